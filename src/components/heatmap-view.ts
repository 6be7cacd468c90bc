// The interactive heat map: Observable Plot cell marks (seconds on x, offset on y with
// 0 at the bottom, colour = samples) under an overlay that selects samples two ways:
//   - FlameScope's clicks: click a start cell, then an end cell, for the time range
//     between them (the range follows the pointer until the second click; Escape
//     cancels, or, with nothing pending, goes back to the whole profile);
//   - a rectangular d3-brush over Plot's scales, for a block of cells.
// The element is a Framework view: `value` is the selection (null = whole profile) and
// an "input" event fires when it changes. Hovering and brushing touch only the overlay,
// never Plot's cell layer, so both stay smooth on long profiles.
import * as Plot from "@observablehq/plot";
import * as d3 from "d3";
import type {Annotation} from "../lib/annotations.js";
import {cellCount, type Heatmap} from "../lib/heatmap.js";
import {annotationShapes, bucketMs, heatmapCells, partOutlines, pointsText, type ChartGeometry} from "../lib/render/heatmap.js";
import {ANNOTATION_COLOR, heatmapColorScale, type HeatmapPalette} from "../lib/render/palette.js";
import {cellBlock, describeSelection, rangeFromCells, type Cell, type Selection, type SelectionPart} from "../lib/selection.js";
import {el, samples, svgEl, Tooltip} from "./dom.js";

export interface HeatmapViewOptions {
  map: Heatmap;
  palette: HeatmapPalette;
  /** Width available (px); a longer profile scrolls sideways. */
  width: number;
  /** The selection to start with. */
  selection: Selection;
  /** Drawn as labelled outlines. */
  annotations: Annotation[];
  /** Resolves when the page drops this view (Framework's `invalidation`). */
  invalidation?: Promise<unknown>;
}

export type HeatmapView = HTMLElement & {
  value: Selection;
  select(selection: Selection): void;
  /** Outlines the pinned comparison baseline A (undefined: none). */
  showPinned(a: Selection | undefined): void;
};

/** Mark name set when a selection is made; the flame graph measures from it. */
export const SELECT_MARK = "subsecond:select";

const MARGIN = {top: 28, right: 20, bottom: 40, left: 52};
/** Cells are at least this wide (px): long profiles scroll instead of shrinking. */
const MIN_CELL_WIDTH = 6;
const MAX_CELL_WIDTH = 64;
const PLOT_HEIGHT = 400;

export function heatmapView(options: HeatmapViewOptions): HeatmapView {
  const {map} = options;
  const {rows, columns} = map;
  const cw = Math.max(MIN_CELL_WIDTH, Math.min(MAX_CELL_WIDTH, Math.floor((options.width - MARGIN.left - MARGIN.right) / Math.max(columns, 1))));
  const ch = Math.max(2, Math.floor(PLOT_HEIGHT / rows));
  const left = MARGIN.left, top = MARGIN.top, bottom = MARGIN.top + rows * ch, right = left + columns * cw;
  const color = heatmapColorScale(options.palette, map.maxCount);

  const chart = Plot.plot({
    width: right + MARGIN.right,
    height: bottom + MARGIN.bottom,
    marginLeft: MARGIN.left, marginRight: MARGIN.right, marginTop: MARGIN.top, marginBottom: MARGIN.bottom,
    style: {maxWidth: "none", fontSize: "11px"},
    x: {type: "band", domain: d3.range(columns), padding: 0, ticks: d3.ticks(0, columns - 1, Math.max(2, (columns * cw) / 60)).filter(Number.isInteger), label: "seconds since origin →", labelAnchor: "right"},
    y: {type: "band", domain: d3.range(rows), padding: 0, reverse: true, ticks: d3.ticks(0, rows - 1, 10).filter(Number.isInteger), tickFormat: (b: number) => bucketMs(b, rows), label: "↑ offset in second (ms)", labelAnchor: "top"},
    color: {type: "linear", domain: color.domain, range: color.range, interpolate: "rgb", label: "samples per cell"},
    marks: [Plot.frame({stroke: "#ddd"}), Plot.cell(heatmapCells(map), {x: "second", y: "bucket", fill: "count", inset: 0})],
  });
  const legend = chart.legend("color", {width: 300, marginLeft: 12, marginRight: 12, label: "samples per cell", ticks: d3.ticks(0, Math.max(1, map.maxCount), 6).filter(Number.isInteger), tickFormat: "d"});

  const geometry: ChartGeometry = {left, bottom, cellWidth: cw, cellHeight: ch, columns, rows};

  // Plot returns an <svg> when it draws no legend or caption of its own. Its geometry
  // goes on it for scripts (tests, the benchmark) that point at cells.
  const svg = chart as SVGSVGElement;
  svg.classList.add("subsecond-heatmap-chart");
  for (const [key, value] of Object.entries({left, bottom, cw, ch, columns, rows, palette: options.palette})) svg.dataset[key] = String(value);
  const layer = (name: string) => svg.appendChild(svgEl("g", {class: name}));
  const pinnedLayer = layer("pinned-layer");
  const selectionLayer = layer("selection-layer");
  const previewLayer = layer("preview-layer");
  const brushLayer = layer("brush");
  const annotationLayer = layer("annotations");

  const node = el("div", {class: "subsecond-heatmap"});
  const scroll = el("div", {class: "subsecond-scroll"}, svg);
  const tooltip = new Tooltip(node);
  const status = el("span", {class: "subsecond-status"});
  node.append(legend ?? "", scroll, el("div", {class: "subsecond-toolbar"}, el("button", {type: "button", onclick: () => select(null)}, "Whole profile"), status));

  const cellAt = (event: MouseEvent | PointerEvent): Cell | null => {
    const [x, y] = d3.pointer(event, svg);
    const second = Math.floor((x - left) / cw), bucket = Math.floor((bottom - y) / ch);
    return second >= 0 && second < columns && bucket >= 0 && bucket < rows ? {second, bucket} : null;
  };

  const drawParts = (g: SVGGElement, parts: SelectionPart[], className: string) => {
    g.replaceChildren(...parts.flatMap((p) => partOutlines(p, geometry).map((points) => svgEl("polygon", {class: className, points: pointsText(points)}))));
  };

  let selection: Selection = options.selection;
  /** The first click's cell while waiting for the second. */
  let pending: Cell | null = null;

  function showSelection() {
    drawParts(selectionLayer, selection ?? [], "selection");
    status.textContent = pending
      ? `start: second ${pending.second}, ${bucketMs(pending.bucket, rows)} ms. Click the end cell (Esc cancels).`
      : `Selected: ${describeSelection(selection)}`;
  }

  function select(next: Selection) {
    pending = null;
    selection = next;
    drawParts(previewLayer, [], "preview");
    showSelection();
    performance.mark(SELECT_MARK);
    node.dispatchEvent(new Event("input", {bubbles: true}));
  }

  function clickCell(cell: Cell) {
    if (!pending) {
      pending = cell;
      drawParts(previewLayer, [rangeFromCells(cell, cell, rows)], "preview");
      showSelection();
    } else {
      select([rangeFromCells(pending, cell, rows)]);
    }
  }

  /** The cells a brush rectangle (px) touches. */
  const blockOf = ([[x0, y0], [x1, y1]]: [[number, number], [number, number]]) => {
    const clampS = (s: number) => Math.max(0, Math.min(columns - 1, s)), clampB = (b: number) => Math.max(0, Math.min(rows - 1, b));
    return cellBlock(clampS(Math.floor((x0 - left) / cw)), clampS(Math.ceil((x1 - left) / cw) - 1), clampB(Math.floor((bottom - y1) / ch)), clampB(Math.ceil((bottom - y0) / ch) - 1), rows);
  };

  const brush = d3
    .brush()
    .extent([[left, top], [right, bottom]])
    .on("brush", (event: d3.D3BrushEvent<unknown>) => {
      if (event.sourceEvent && event.selection) drawParts(previewLayer, [blockOf(event.selection as [[number, number], [number, number]])], "preview");
    })
    .on("end", (event: d3.D3BrushEvent<unknown>) => {
      if (!event.sourceEvent) return; // our own clearing below
      if (event.selection) {
        select([blockOf(event.selection as [[number, number], [number, number]])]);
        d3.select(brushLayer).call(brush.clear);
      } else {
        const cell = cellAt(event.sourceEvent as MouseEvent);
        if (cell) clickCell(cell);
      }
    });
  d3.select(brushLayer).call(brush);

  svg.addEventListener("pointermove", (event) => {
    const cell = cellAt(event);
    if (!cell) return tooltip.hide();
    const count = cellCount(map, cell.second, cell.bucket);
    tooltip.show(`second ${cell.second}\n${bucketMs(cell.bucket, rows)}–${bucketMs(cell.bucket + 1, rows)} ms\n${samples(count)}`, event);
    if (pending) drawParts(previewLayer, [rangeFromCells(pending, cell, rows)], "preview");
  });
  svg.addEventListener("pointerleave", () => tooltip.hide());

  const onKey = (event: KeyboardEvent) => {
    if (event.key !== "Escape") return;
    if (pending) {
      pending = null;
      drawParts(previewLayer, [], "preview");
      showSelection();
    } else if (selection !== null) {
      select(null);
    }
  };
  window.addEventListener("keydown", onKey);
  options.invalidation?.then(() => window.removeEventListener("keydown", onKey));

  drawAnnotations(annotationLayer, options.annotations, geometry);
  showSelection();
  const showPinned = (a: Selection | undefined) => {
    drawParts(pinnedLayer, a === undefined ? [] : (a ?? [cellBlock(0, columns - 1, 0, rows - 1, rows)]), "pinned");
    // "A" inside the first part's top-left corner (an outline's second point).
    const corner = pinnedLayer.querySelector("polygon")?.points[1];
    if (corner) pinnedLayer.append(Object.assign(svgEl("text", {class: "pinned-label", "text-anchor": "start", x: corner.x + 3, y: corner.y + 13}), {textContent: "A"}));
  };
  return asView(node, () => selection, select, showPinned);
}

function asView(node: HTMLElement, value: () => Selection, select: HeatmapView["select"], showPinned: HeatmapView["showPinned"]): HeatmapView {
  Object.defineProperty(node, "value", {get: value});
  return Object.assign(node, {select, showPinned}) as HeatmapView;
}

/** In place of the heat map of a profile without sample timestamps: a note, and a view
 * whose selection is always the whole profile. */
export function noHeatmapView(): HeatmapView {
  const node = el("p", {class: "subsecond-hint"}, "This profile has no sample timestamps, so it has no heat map: the flame graph shows all of it.");
  return asView(node, () => null, () => {}, () => {});
}

/** Annotations as labelled outlines. They take no pointer events: a label must not
 * catch the start of a brush (the list below the map selects them). */
function drawAnnotations(g: SVGGElement, annotations: Annotation[], geometry: ChartGeometry) {
  for (const {annotation, outlines, label} of annotationShapes(annotations, geometry, LABEL_CHAR_WIDTH)) {
    const group = g.appendChild(svgEl("g", {class: "annotation"}));
    for (const points of outlines) group.append(svgEl("polygon", {points: pointsText(points), fill: "none", stroke: ANNOTATION_COLOR, "stroke-width": 1.5}));
    if (!label) continue;
    const text = svgEl("text", {class: "annotation-label", "text-anchor": "start", x: label[0], y: label[1], fill: ANNOTATION_COLOR, stroke: "#fff", "stroke-width": 3, "paint-order": "stroke", "font-size": 11, "font-weight": "bold"});
    text.textContent = annotation.label;
    group.append(text);
  }
}

/** About the width (px) of a character of an annotation label (11 px bold sans). */
const LABEL_CHAR_WIDTH = 7;
