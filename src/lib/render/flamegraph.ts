// Flame graphs: a pure layout of a flame tree into boxes, and a standalone SVG of it.
// The SVG reads without scripts: every frame has a <title> with its samples and share.
// Front ends make it interactive by laying out again (zoom, search) and mapping a
// clicked box back to its node through `data-i`.
import {walkTree, wideChildren, type FlameNode, type FlameTree} from "../flametree.js";
import {formatCount} from "../format.js";
import {escapeXml} from "./escape.js";
import type {FrameKind} from "../profile.js";
import {diffColor, FRAME_COLOR_LABELS, frameColor, frameColorClass, SEARCH_COLOR, type FrameColorClass} from "./palette.js";

export interface FlameLayoutOptions {
  /** Drawing width in px (default 1200). */
  width?: number;
  frameHeight?: number;
  /** Fit this node to the full width; its ancestors span the width, dimmed. */
  zoom?: FlameNode | null;
  /** Frames narrower than this (px) are left out with their children (default 0.1). */
  minWidth?: number;
  /** "flame": root at the bottom (default); "icicle": root at the top. */
  orientation?: "flame" | "icicle";
}

export interface FrameBox {
  node: FlameNode;
  depth: number;
  /** Position and width in px within the drawing area. */
  x: number;
  width: number;
  /** True for ancestors of the zoomed node (drawn full width, dimmed). */
  ancestor: boolean;
}

export interface FlameLayout {
  boxes: FrameBox[];
  /** Depth levels drawn (the root is level 0). */
  levels: number;
  width: number;
  frameHeight: number;
  orientation: "flame" | "icicle";
  /** The node spanning the full width (the root, or the zoomed node). */
  focus: FlameNode;
}

/** The path from the root to `node` (inclusive), or null when it is not in the tree. */
export function pathTo(root: FlameNode, node: FlameNode): FlameNode[] | null {
  let found: FlameNode[] | null = null;
  walkTree(root, (n, _depth, path) => {
    if (found !== null) return false;
    if (n === node) found = [...path, n];
  });
  return found;
}

export function layoutFlameGraph(tree: FlameTree, options: FlameLayoutOptions = {}): FlameLayout {
  const width = options.width ?? 1200;
  const frameHeight = options.frameHeight ?? 16;
  const minWidth = options.minWidth ?? 0.1;
  const path = (options.zoom && pathTo(tree.root, options.zoom)) || [tree.root];
  const focus = path[path.length - 1];
  const boxes: FrameBox[] = [];
  path.slice(0, -1).forEach((node, depth) => boxes.push({node, depth, x: 0, width, ancestor: true}));
  let levels = path.length;
  if (focus.total > 0) {
    const scale = width / focus.total;
    // Depth first with an explicit stack (deep stacks must not overflow the call
    // stack), children pushed in reverse so that boxes come out in drawing order.
    const todo: {node: FlameNode; depth: number; x: number}[] = [{node: focus, depth: path.length - 1, x: 0}];
    while (todo.length) {
      const {node, depth, x} = todo.pop()!;
      const w = node.total * scale;
      if (w < minWidth) continue;
      boxes.push({node, depth, x, width: w, ancestor: false});
      if (depth + 1 > levels) levels = depth + 1;
      // Only children that may be wide enough (a hair under, for rounding: each is
      // tested as it is drawn); a library tree makes no objects for the others.
      const {children, before} = wideChildren(node, (minWidth / scale) * (1 - 1e-9));
      for (let k = children.length - 1; k >= 0; k--) todo.push({node: children[k], depth: depth + 1, x: x + before[k] * scale});
    }
  } else {
    boxes.push({node: focus, depth: path.length - 1, x: 0, width, ancestor: false});
  }
  return {boxes, levels, width, frameHeight, orientation: options.orientation ?? "flame", focus};
}

export interface FlameSvgOptions extends FlameLayoutOptions {
  title?: string;
  /** A second header line, e.g. the selection and its sample count. */
  subtitle?: string;
  /** Frames to highlight (search matches). */
  highlight?: Set<FlameNode>;
  /** Colour by `delta` (a differential tree): red grew, blue shrank. */
  differential?: boolean;
  fontSize?: number;
  /** What frames' shares are of, in their titles (default "selection"). */
  whole?: string;
  /** Add a script (as flamegraph.pl does) so that, where scripts run (a browser
   * opening the file), clicking a frame zooms to it and "Search" highlights frames
   * matching a regular expression. The drawing reads the same without it. */
  interactive?: boolean;
}

// ---- frame style: one source for the SVG here and the report site's drawing ----------

/** The text a frame box shows: its name, else its module's file name in brackets. */
export function frameLabel(node: FlameNode): string {
  return node.name || (node.module ? `[${node.module.replace(/.*\//, "")}]` : "(no symbol)");
}

/** A label cut to what fits `width` px at `charWidth` px a character ("" when under three
 * characters fit), as flamegraph.pl cuts them. */
export function fitLabel(label: string, width: number, charWidth: number): string {
  const chars = Math.floor((width - 6) / charWidth);
  return chars < 3 ? "" : label.length <= chars ? label : `${label.slice(0, chars - 2)}..`;
}

export interface FrameFillOptions {
  /** Frames to highlight (search matches). */
  highlight?: Set<FlameNode>;
  /** Colour by `delta.self` (a differential tree): red grew, blue shrank. */
  differential?: boolean;
  /** The largest |delta.self| drawn: the full red or blue. */
  maxDelta?: number;
}

/** A frame's fill: the search colour, its change (differential), or its kind's colour. */
export function frameFill(node: FlameNode, options: FrameFillOptions = {}): string {
  if (options.highlight?.has(node)) return SEARCH_COLOR;
  const maxDelta = options.maxDelta ?? 0;
  if (options.differential) return diffColor(maxDelta > 0 ? (node.delta?.self ?? 0) / maxDelta : 0);
  return frameColor(node.kind, node.name);
}

/** The largest |delta.self| among boxes: the scale of a differential's colours. */
export function maxSelfDelta(boxes: FrameBox[]): number {
  let max = 0;
  for (const b of boxes) max = Math.max(max, Math.abs(b.node.delta?.self ?? 0));
  return max;
}

export interface LegendEntry {
  label: string;
  color: string;
}

/** The legend of the colours a layout uses, in a fixed order: frame classes (or, for a
 * differential, grew / shrank / unchanged), then the search colour when frames match. */
export function flameLegend(layout: FlameLayout, options: Pick<FrameFillOptions, "highlight" | "differential"> = {}): LegendEntry[] {
  const matched = options.highlight !== undefined && layout.boxes.some((b) => options.highlight!.has(b.node));
  const search = matched ? [{label: "search match", color: SEARCH_COLOR}] : [];
  if (options.differential) return [{label: "grew", color: diffColor(1)}, {label: "shrank", color: diffColor(-1)}, {label: "unchanged", color: diffColor(0)}, ...search];
  const used = new Set<FrameColorClass>();
  for (const b of layout.boxes) used.add(frameColorClass(b.node.kind, b.node.name));
  const kinds = (Object.keys(FRAME_COLOR_LABELS) as FrameColorClass[]).filter((c) => used.has(c));
  // One shade stands for each class (every name has its own).
  const sample: Record<FrameColorClass, [FrameKind | "root", string]> = {root: ["root", ""], process: ["process", ""], kernel: ["kernel", ""], native: ["user", ""], cpp: ["user", "::"], jit: ["jit", ""], inlined: ["inlined", ""], unknown: ["unknown", ""]};
  return [...kinds.map((c) => ({label: FRAME_COLOR_LABELS[c], color: frameColor(...sample[c])})), ...search];
}

/** A frame's tooltip: its name and module, its samples and share (of `whole` when
 * given: "selection", "B"), its self samples, and its change on differential trees. */
export function frameTooltip(node: FlameNode, treeSamples: number, whole?: string): string {
  const share = treeSamples > 0 ? ((node.total / treeSamples) * 100).toFixed(2) : "0.00";
  let text = `${node.name || "(no symbol)"}${node.module ? ` (${node.module})` : ""}\n${formatCount(node.total)} samples, ${share}%${whole ? ` of ${whole}` : ""}`;
  if (node.self > 0) text += `; self ${formatCount(node.self)}`;
  if (node.delta) text += `\nchange: ${signed(node.delta.total)} total, ${signed(node.delta.self)} self`;
  return text;
}

const PAD = 10;

/** A standalone SVG document (string) of a flame tree. */
export function flameGraphSvg(tree: FlameTree, options: FlameSvgOptions = {}): string {
  return flameSvg(tree, options, null).text + "\n";
}

export interface FlamePanel extends FlameSvgOptions {
  tree: FlameTree;
}

/** One SVG document of several flame graphs, one under another (a function's callers
 * and callees, the busiest threads), under a title. Each panel is a nested <svg> with
 * its own title and, when `interactive`, its own zoom and search. */
export function flameGraphPanelsSvg(panels: FlamePanel[], options: Pick<FlameSvgOptions, "title" | "subtitle" | "width" | "fontSize" | "interactive"> = {}): string {
  const fontSize = options.fontSize ?? 12;
  const width = (options.width ?? 1200) + 2 * PAD;
  const head: string[] = [];
  let y = headings(head, options, width, fontSize);
  const body: string[] = [];
  for (const {tree, ...panel} of panels) {
    const drawn = flameSvg(tree, {fontSize, interactive: options.interactive, ...panel, width: options.width}, y);
    body.push(drawn.text);
    y += drawn.height;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + PAD}" viewBox="0 0 ${width} ${y + PAD}" font-family="Verdana, 'DejaVu Sans', sans-serif" font-size="${fontSize}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...head,
    ...body,
    `</svg>`,
  ].join("\n") + "\n";
}

/** The title and subtitle lines, centred in `width`; returns the y below them. */
function headings(out: string[], options: Pick<FlameSvgOptions, "title" | "subtitle">, width: number, fontSize: number): number {
  let y = PAD;
  if (options.title) {
    y += fontSize + 4;
    out.push(`<text x="${width / 2}" y="${y}" text-anchor="middle" font-size="${fontSize + 4}">${escapeXml(options.title)}</text>`);
    y += 8;
  }
  if (options.subtitle) {
    y += fontSize;
    out.push(`<text x="${width / 2}" y="${y}" text-anchor="middle" fill="#555">${escapeXml(options.subtitle)}</text>`);
  }
  return y;
}

/** A flame graph's SVG: a document (y null), or an <svg> element at y inside one. */
function flameSvg(tree: FlameTree, options: FlameSvgOptions, y0: number | null): {text: string; height: number} {
  const layout = layoutFlameGraph(tree, options);
  const fontSize = options.fontSize ?? 12;
  const fh = layout.frameHeight;
  const header = (options.title ? fontSize + 12 : 0) + (options.subtitle ? fontSize + 6 : 0);
  const top = PAD + header;
  const height = top + layout.levels * fh + PAD;
  const width = layout.width + 2 * PAD;
  const maxDelta = options.differential ? maxSelfDelta(layout.boxes) : 0;
  const charWidth = fontSize * 0.59;

  const interactive = options.interactive ?? false;
  const out: string[] = [];
  const place = y0 === null ? `xmlns="http://www.w3.org/2000/svg"` : `x="0" y="${y0}"`;
  out.push(
    `<svg ${place} width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Verdana, 'DejaVu Sans', sans-serif" font-size="${fontSize}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  if (interactive) {
    out.push(
      `<text class="reset" x="${PAD}" y="${PAD + fontSize}" display="none" cursor="pointer">Reset zoom</text>`,
      `<text class="search" x="${width - PAD}" y="${PAD + fontSize}" text-anchor="end" cursor="pointer">Search</text>`,
      `<text class="matched" x="${width - PAD}" y="${height - 2}" text-anchor="end" font-size="${fontSize - 2}"></text>`,
    );
  }
  headings(out, options, width, fontSize);
  layout.boxes.forEach((box, i) => {
    const {node} = box;
    const level = layout.orientation === "flame" ? layout.levels - 1 - box.depth : box.depth;
    const bx = PAD + box.x, by = top + level * fh;
    const fill = frameFill(node, {highlight: options.highlight, differential: options.differential, maxDelta});
    const title = frameTooltip(node, tree.samples, options.whole);
    const label = frameLabel(node);
    const text = fitLabel(label, box.width, charWidth);
    const data = interactive ? ` data-d="${box.depth}" data-label="${escapeXml(label)}"` : "";
    out.push(
      `<g class="frame" data-i="${i}"${data}${box.ancestor ? ' opacity="0.6"' : ""}><title>${escapeXml(title)}</title>` +
        `<rect x="${num(bx)}" y="${by}" width="${num(box.width)}" height="${fh - 1}" fill="${fill}" rx="2"/>` +
        (text || interactive ? `<text x="${num(bx + 3)}" y="${by + fh - 4}">${escapeXml(text)}</text>` : "") +
        `</g>`,
    );
  });
  if (interactive) out.push(`<script><![CDATA[${zoomScript(PAD, layout.width, charWidth)}]]></script>`);
  out.push(`</svg>`);
  return {text: out.join("\n"), height};
}

/** The script of an interactive SVG: click to zoom (the root, or "Reset zoom", zooms
 * out), "Search" to highlight frames matching a regular expression and show the
 * share of samples under them. Frames keep their original geometry in `orig`. */
function zoomScript(pad: number, full: number, charWidth: number): string {
  return `(() => {
  const svg = document.currentScript.closest("svg");
  const frames = [...svg.querySelectorAll("g.frame")].map((g) => {
    const r = g.querySelector("rect"), t = g.querySelector("text");
    return {g, r, t, x: +r.getAttribute("x"), w: +r.getAttribute("width"), d: +g.dataset.d, fill: r.getAttribute("fill"), label: g.dataset.label};
  });
  const reset = svg.querySelector("text.reset"), matched = svg.querySelector("text.matched");
  const fitLabel = ${fitLabel.toString()};
  const fit = (f, x, w) => {
    f.r.setAttribute("x", x); f.r.setAttribute("width", w); f.t.setAttribute("x", x + 3);
    f.t.textContent = fitLabel(f.label, w, ${charWidth});
  };
  const zoom = (z) => {
    const scale = ${full} / z.w;
    for (const f of frames) {
      const show = f.d < z.d ? f.x <= z.x + 0.01 && f.x + f.w >= z.x + z.w - 0.01 : f.x >= z.x - 0.01 && f.x + f.w <= z.x + z.w + 0.01;
      f.g.style.display = show ? "" : "none";
      if (!show) continue;
      if (f.d < z.d) { fit(f, ${pad}, ${full}); f.g.setAttribute("opacity", "0.6"); }
      else { fit(f, ${pad} + (f.x - z.x) * scale, f.w * scale); f.g.removeAttribute("opacity"); }
    }
    reset.setAttribute("display", "inline");
  };
  const unzoom = () => {
    for (const f of frames) { f.g.style.display = ""; fit(f, f.x, f.w); f.g.removeAttribute("opacity"); }
    reset.setAttribute("display", "none");
  };
  svg.addEventListener("click", (e) => {
    const g = e.target.closest("g.frame");
    if (g) { const f = frames.find((x) => x.g === g); f.d === 0 ? unzoom() : zoom(f); }
  });
  reset.addEventListener("click", unzoom);
  svg.querySelector("text.search").addEventListener("click", () => {
    const text = prompt("Search frames (regular expression)");
    if (text === null) return;
    let re;
    try { re = text ? new RegExp(text) : null; } catch (err) { alert(err.message); return; }
    const hits = [];
    for (const f of frames) {
      const hit = re !== null && re.test(f.label);
      f.r.setAttribute("fill", hit ? "${SEARCH_COLOR}" : f.fill);
      if (hit) hits.push(f);
    }
    // Samples under the outermost matches: a match inside another's span is counted once.
    hits.sort((a, b) => a.d - b.d);
    const counted = [];
    for (const f of hits) if (!counted.some((c) => f.x >= c.x - 0.01 && f.x + f.w <= c.x + c.w + 0.01)) counted.push(f);
    const share = counted.reduce((s, f) => s + f.w, 0) / ${full};
    matched.textContent = re ? "Matched: " + (100 * share).toFixed(1) + "%" : "";
  });
})();`;
}

function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}


function signed(n: number): string {
  return `${n > 0 ? "+" : n < 0 ? "−" : "±"}${formatCount(Math.abs(n))}`;
}
