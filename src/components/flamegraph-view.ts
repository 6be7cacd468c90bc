// An interactive flame graph of a flame tree: click a frame to zoom (an ancestor or
// the root to zoom back out), Reset, regex search with matches highlighted and the
// matched share, a tooltip per frame, flame/icicle layout, and export as the library's
// standalone SVG.
import type {FlameNode, FlameTree} from "../lib/flametree.js";
import {searchTree} from "../lib/flametree.js";
import {namePattern, type NamePattern} from "../lib/pattern.js";
import {flameGraphSvg, frameTooltip, layoutFlameGraph, pathTo, type FlameLayout, type FlameSvgOptions} from "../lib/render/flamegraph.js";
import {FRAME_KINDS} from "../lib/profile.js";
import {diffColor, frameColor, SEARCH_COLOR} from "../lib/render/palette.js";
import {download, el, formatCount, percent, samples, Tooltip} from "./dom.js";
import {MIN_FRAME_WIDTH, renderFlameLayout} from "./flame-render.js";

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
  state?: Partial<FlameViewState>;
  /** Told about every zoom, search and layout change (the page keeps them in the URL). */
  onChange?: (state: FlameViewState) => void;
  /** More toolbar buttons. */
  actions?: HTMLElement[];
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

export function flameGraphView(options: FlameGraphViewOptions): HTMLDivElement {
  const {tree, width} = options;
  const state: FlameViewState = {q: options.state?.q ?? "", zoom: options.state?.zoom ?? [], orient: options.state?.orient ?? "flame"};
  let zoom = findPath(tree.root, state.zoom);
  let layout: FlameLayout;
  let highlight: Set<FlameNode> | undefined;

  const node = el("div", {class: "subsecond-flame"});
  const graph = el("div", {class: "subsecond-scroll"});
  const tooltip = new Tooltip(node);
  const searchInput = el("input", {type: "search", placeholder: "search frames (regex)", value: state.q, "aria-label": "search frames"});
  const searchStatus = el("span", {class: "subsecond-status"});
  const layoutSelect = el("select", {"aria-label": "layout"}, el("option", {value: "flame"}, "flame (root at bottom)"), el("option", {value: "icicle"}, "icicle (root at top)"));
  layoutSelect.value = state.orient;
  const reset = el("button", {type: "button"}, "Reset zoom");
  const exportSvg = el("button", {type: "button"}, "Export SVG");
  node.append(el("div", {class: "subsecond-toolbar"}, reset, searchInput, searchStatus, layoutSelect, exportSvg, ...(options.actions ?? [])), graph, legend(options.differential));

  const svgOptions = (): FlameSvgOptions => ({width, zoom, highlight, orientation: state.orient, differential: options.differential, whole: options.whole});

  function changed() {
    state.zoom = zoom ? pathTo(tree.root, zoom)!.slice(1).map((n) => n.name) : [];
    options.onChange?.({...state});
  }

  function draw() {
    layout = layoutFlameGraph(tree, {...svgOptions(), minWidth: MIN_FRAME_WIDTH});
    graph.replaceChildren(renderFlameLayout(layout, {highlight, differential: options.differential}));
    reset.disabled = zoom === null;
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

  const boxAt = (target: EventTarget | null) => {
    const frame = (target as Element | null)?.closest?.(".frame");
    return frame ? layout.boxes[Number(frame.getAttribute("data-i"))] : undefined;
  };

  graph.addEventListener("click", (event) => {
    const box = boxAt(event.target);
    if (!box) return;
    const next = box.node === tree.root ? null : box.node;
    if (next === zoom) return;
    zoom = next;
    changed();
    draw();
  });
  graph.addEventListener("mousemove", (event) => {
    const box = boxAt(event.target);
    if (!box) return tooltip.hide();
    tooltip.show(frameTooltip(box.node, tree.samples, options.whole ?? "selection"), event);
  });
  graph.addEventListener("mouseleave", () => tooltip.hide());

  reset.addEventListener("click", () => {
    zoom = null;
    changed();
    draw();
  });
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
  return node;
}

function legend(differential: boolean | undefined): HTMLElement {
  const swatch = (color: string, text: string) => el("span", {}, el("span", {class: "subsecond-swatch", style: `background:${color}`}), text);
  if (differential) return el("div", {class: "subsecond-legend"}, swatch(diffColor(1), "grew"), swatch(diffColor(-1), "shrank"), swatch(diffColor(0), "unchanged"), swatch(SEARCH_COLOR, "search match"));
  return el("div", {class: "subsecond-legend"}, ...FRAME_KINDS.map((k) => swatch(frameColor(k, ""), k === "process" ? "process (comm)" : k)), swatch(SEARCH_COLOR, "search match"));
}
