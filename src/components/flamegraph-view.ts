// An interactive flame graph of a flame tree: click a frame to zoom (an ancestor or
// the root to zoom back out), Reset, regex search with matches highlighted and the
// matched share, a tooltip per frame, flame/icicle layout, a legend of the colours in
// use, and export as the library's standalone SVG. The keyboard: the graph takes focus
// (Tab); arrow keys move between frames (towards the root and away from it, and to the
// neighbours at the same depth), Enter or Space zooms to the frame as a click does, +
// zooms in to it, - zooms out one level, Home goes to the root. With frame actions
// (the call tree's transforms), a right click or the context-menu key (Shift+F10)
// opens a frame's menu of them, and each action's key runs it on the keyboard's frame.
import type {FlameNode, FlameTree} from "../lib/flametree.js";
import {searchTree} from "../lib/flametree.js";
import {namePattern, type NamePattern} from "../lib/pattern.js";
import {flameGraphSvg, flameLegend, frameTooltip, layoutFlameGraph, pathTo, type FlameLayout, type FlameSvgOptions, type FrameBox} from "../lib/render/flamegraph.js";
import {download, el, formatCount, percent, samples, Tooltip} from "./dom.js";
import {MIN_FRAME_WIDTH, renderFlameLayout} from "./flame-render.js";
import {applicableActions, openFrameMenu, type FrameAction} from "./frame-menu.js";

export interface FlameViewState {
  /** Search: a regular expression, "" for none. */
  q: string;
  /** Names from the root's child down to the zoomed frame; [] for no zoom. */
  zoom: string[];
  orient: "flame" | "icicle";
}

export interface FlameGraphViewOptions {
  tree: FlameTree;
  width: number;
  /** Heading of the exported SVG, and its file name's base. */
  title: string;
  fileName: string;
  /** What the percentages are of, for tooltips ("selection", "B"). */
  whole?: string;
  /** Colour by change (a differential tree) instead of by frame kind. */
  differential?: boolean;
  /** Fit the graph to the window's height (it scrolls inside, its root in view). */
  fit?: boolean;
  state?: Partial<FlameViewState>;
  /** Told about every zoom, search and layout change (the page keeps them in the URL). */
  onChange?: (state: FlameViewState) => void;
  /** More toolbar buttons. */
  actions?: HTMLElement[];
  /** What a frame's menu offers (and its keys do). */
  frameActions?: readonly FrameAction[];
  /** Take the focus once on the page (the graph replaces one that had it). */
  focus?: boolean;
}

/** The node at the end of a path of names, or as far down it as the tree goes. */
function findPath(root: FlameNode, names: string[]): FlameNode | null {
  let node = root;
  for (const name of names) {
    const child = node.children.find((c) => c.name === name);
    if (!child) break;
    node = child;
  }
  return node === root ? null : node;
}

function compileSearch(text: string): NamePattern | Error | null {
  if (!text) return null;
  try {
    return namePattern(text);
  } catch (e) {
    return e as Error;
  }
}

/** Boxes by depth, each level in x order: where the keyboard moves. */
function levelsOf(layout: FlameLayout): FrameBox[][] {
  const levels: FrameBox[][] = [];
  for (const box of layout.boxes) (levels[box.depth] ??= []).push(box);
  for (const level of levels) level?.sort((a, b) => a.x - b.x);
  return levels;
}

/** The box at `depth` whose span holds x (the parent or a child of a frame there). */
function boxAtDepth(levels: FrameBox[][], depth: number, x: number, width: number): FrameBox | undefined {
  const level = levels[depth];
  if (!level) return undefined;
  return level.find((b) => b.x <= x + 0.01 && b.x + b.width >= x + Math.min(width, 0.02) - 0.01) ?? level.find((b) => b.x >= x - 0.01 && b.x < x + width);
}

let views = 0;

export function flameGraphView(options: FlameGraphViewOptions): HTMLDivElement {
  const {tree, width} = options;
  const state: FlameViewState = {q: options.state?.q ?? "", zoom: options.state?.zoom ?? [], orient: options.state?.orient ?? "flame"};
  let zoom = findPath(tree.root, state.zoom);
  let layout: FlameLayout;
  /** The layout's boxes by depth, made when the keyboard first moves in a layout: after
   * a brush, thousands of boxes need not be sorted for keys that may never come. */
  let levels: FrameBox[][] | null = null;
  let highlight: Set<FlameNode> | undefined;
  /** The keyboard's frame. */
  let focused: FlameNode | null = null;

  const id = `subsecond-flame-${++views}`;
  const node = el("div", {class: "subsecond-flame"});
  const graph = el("div", {
    class: options.fit ? "subsecond-scroll subsecond-flame-graph subsecond-flame-fit" : "subsecond-scroll subsecond-flame-graph",
    tabindex: 0, role: "tree", "aria-roledescription": "flame graph",
    "aria-label": `Flame graph, ${samples(tree.samples)}: arrow keys move between frames, Enter zooms to a frame, + and - zoom in and out${options.frameActions?.length ? "; the context-menu key or Shift+F10 opens a frame's transforms" : ""}`,
  });
  const tooltip = new Tooltip(node);
  const searchInput = el("input", {type: "search", placeholder: "search frames (regex)", value: state.q, "aria-label": "search frames"});
  const searchStatus = el("span", {class: "subsecond-status"});
  const layoutSelect = el("select", {"aria-label": "layout", title: "flame: the root at the bottom; icicle: the root at the top"}, el("option", {value: "flame"}, "flame"), el("option", {value: "icicle"}, "icicle"));
  layoutSelect.value = state.orient;
  const reset = el("button", {type: "button"}, "Reset zoom");
  const exportSvg = el("button", {type: "button"}, "Export SVG");
  const legend = el("div", {class: "subsecond-legend"});
  node.append(el("div", {class: "subsecond-toolbar"}, reset, searchInput, searchStatus, layoutSelect, exportSvg, ...(options.actions ?? [])), graph, legend);

  const svgOptions = (): FlameSvgOptions => ({width, zoom, highlight, orientation: state.orient, differential: options.differential, whole: options.whole});

  function changed() {
    state.zoom = zoom ? pathTo(tree.root, zoom)!.slice(1).map((n) => n.name) : [];
    options.onChange?.({...state});
  }

  function draw() {
    layout = layoutFlameGraph(tree, {...svgOptions(), minWidth: MIN_FRAME_WIDTH});
    levels = null;
    graph.replaceChildren(renderFlameLayout(layout, {highlight, differential: options.differential}));
    reset.disabled = zoom === null;
    const swatch = (color: string, text: string) => el("span", {}, el("span", {class: "subsecond-swatch", style: `background:${color}`}), text);
    legend.replaceChildren(...flameLegend(layout, {highlight, differential: options.differential}).map((e) => swatch(e.color, e.label)));
    if (focused) markFocused(layout.boxes.find((b) => b.node === focused) ?? layout.boxes.find((b) => b.node === layout.focus)!, false);
    // The root is what a graph is read from: in view however deep the stacks are. A
    // fitted flame (root at the bottom) is a column-reverse box, whose scroll starts at
    // its bottom (style.css).
    graph.classList.toggle("flame", state.orient === "flame");
    if (options.fit) graph.scrollTop = 0;
  }

  function search() {
    const re = compileSearch(state.q);
    if (re instanceof Error) {
      highlight = undefined;
      searchStatus.textContent = re.message;
      searchStatus.classList.add("subsecond-error");
    } else {
      searchStatus.classList.remove("subsecond-error");
      const found = re ? searchTree(tree, re) : null;
      highlight = found?.nodes;
      searchStatus.textContent = found ? `matched ${percent(found.samples, tree.samples, 2)} (${formatCount(found.samples)} of ${formatCount(tree.samples)} samples)` : "";
    }
  }

  const frameOf = (box: FrameBox) => graph.querySelector<HTMLElement>(`.frame[data-i="${layout.boxes.indexOf(box)}"]`);
  const boxAt = (target: EventTarget | null) => {
    const frame = (target as Element | null)?.closest?.(".frame");
    return frame ? layout.boxes[Number(frame.getAttribute("data-i"))] : undefined;
  };

  /** Makes `box` the keyboard's frame: outlined, named to assistive technology, its
   * tooltip shown when asked. */
  function markFocused(box: FrameBox, showTooltip: boolean) {
    focused = box.node;
    graph.querySelector(".frame.focused")?.removeAttribute("id");
    graph.querySelector(".frame.focused")?.classList.remove("focused");
    const frame = frameOf(box);
    if (!frame) return;
    const text = frameTooltip(box.node, tree.samples, options.whole ?? "selection");
    frame.classList.add("focused");
    Object.assign(frame, {id: `${id}-focus`});
    frame.setAttribute("role", "treeitem");
    frame.setAttribute("aria-level", String(box.depth + 1));
    frame.setAttribute("aria-label", text.replace(/\n/g, ", "));
    graph.setAttribute("aria-activedescendant", frame.id);
    if (showTooltip) {
      frame.scrollIntoView({block: "nearest", inline: "nearest"});
      const r = frame.getBoundingClientRect();
      tooltip.showAt(text, r.left + Math.min(r.width, 40), r.bottom);
    }
  }

  function zoomTo(next: FlameNode | null) {
    if (next === zoom) return;
    zoom = next;
    changed();
    draw();
  }

  graph.addEventListener("click", (event) => {
    const box = boxAt(event.target);
    if (box) zoomTo(box.node === tree.root ? null : box.node);
  });
  graph.addEventListener("mousemove", (event) => {
    const box = boxAt(event.target);
    if (!box) return tooltip.hide();
    tooltip.show(frameTooltip(box.node, tree.samples, options.whole ?? "selection"), event);
  });
  graph.addEventListener("mouseleave", () => tooltip.hide());
  const frameActions = options.frameActions ?? [];
  const openMenu = (box: FrameBox, at: {x: number; y: number}) => {
    tooltip.hide();
    return openFrameMenu({container: node, actions: frameActions, node: box.node, path: pathTo(tree.root, box.node)!, at, onClose: () => graph.focus()});
  };
  graph.addEventListener("contextmenu", (event) => {
    const box = boxAt(event.target);
    if (box && frameActions.length && openMenu(box, {x: event.clientX, y: event.clientY})) event.preventDefault();
  });
  // A click focuses the graph too: the keyboard's frame shows only for keyboard focus.
  graph.addEventListener("focus", () => {
    if (graph.matches(":focus-visible")) markFocused(layout.boxes.find((b) => b.node === focused) ?? layout.boxes.find((b) => b.node === layout.focus)!, true);
  });
  graph.addEventListener("blur", () => tooltip.hide());
  graph.addEventListener("keydown", (event: KeyboardEvent) => {
    const box = layout.boxes.find((b) => b.node === focused) ?? layout.boxes.find((b) => b.node === layout.focus)!;
    // Towards the root is down in a flame graph, up in an icicle.
    const outward = state.orient === "flame" ? "ArrowDown" : "ArrowUp", inward = state.orient === "flame" ? "ArrowUp" : "ArrowDown";
    let next: FrameBox | undefined;
    if (frameActions.length && (event.key === "ContextMenu" || (event.shiftKey && event.key === "F10"))) {
      const r = frameOf(box)?.getBoundingClientRect();
      openMenu(box, r ? {x: r.left + Math.min(r.width, 40), y: r.bottom} : {x: 0, y: 0});
      event.preventDefault();
      return;
    }
    const action = event.ctrlKey || event.metaKey || event.altKey ? undefined : frameActions.find((a) => a.key === event.key);
    if (action) {
      const path = pathTo(tree.root, box.node)!;
      if (applicableActions([action], box.node, path).length) action.run(box.node, path);
      event.preventDefault();
      return;
    }
    levels ??= levelsOf(layout);
    if (event.key === outward) next = boxAtDepth(levels, box.depth - 1, box.x, box.width);
    else if (event.key === inward) next = boxAtDepth(levels, box.depth + 1, box.x, box.width);
    else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      const level = levels[box.depth];
      next = level[level.indexOf(box) + (event.key === "ArrowLeft" ? -1 : 1)];
    } else if (event.key === "Home") next = layout.boxes[0];
    else if (event.key === "Enter" || event.key === " ") zoomTo(box.node === tree.root ? null : box.node);
    else if (event.key === "+" || event.key === "=") zoomTo(box.node === tree.root || box.ancestor ? zoom : box.node);
    else if (event.key === "-" || event.key === "_") {
      const path = zoom ? pathTo(tree.root, zoom)! : [];
      zoomTo(path.length > 2 ? path[path.length - 2] : null);
    } else return;
    event.preventDefault();
    if (next) markFocused(next, true);
    else if (document.activeElement === graph) markFocused(layout.boxes.find((b) => b.node === focused) ?? layout.boxes[0], true);
  });

  reset.addEventListener("click", () => zoomTo(null));
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  searchInput.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.q = searchInput.value;
      search();
      changed();
      draw();
    }, 150);
  });
  layoutSelect.addEventListener("change", () => {
    state.orient = layoutSelect.value === "icicle" ? "icicle" : "flame";
    changed();
    draw();
  });
  exportSvg.addEventListener("click", () => {
    download(`${options.fileName}.svg`, flameGraphSvg(tree, {...svgOptions(), width: 1200, title: options.title, subtitle: samples(tree.samples)}), "image/svg+xml");
  });

  search();
  draw();
  if (options.focus) requestAnimationFrame(() => graph.isConnected && graph.focus());
  return node;
}
