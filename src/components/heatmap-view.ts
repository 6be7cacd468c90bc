// The interactive heat map: Observable Plot cell marks (seconds on x, offset on y with
// 0 at the bottom, colour = samples) under an overlay that selects samples two ways:
//   - FlameScope's clicks: click a start cell, then an end cell, for the time range
//     between them (the range follows the pointer until the second click; Escape
//     cancels, or, with nothing pending, goes back to the whole profile);
//   - a rectangular d3-brush over Plot's scales, for a block of cells.
// The element is a Framework view: `value` is the selection (null = whole profile) and
// an "input" event fires when it changes. Hovering and brushing touch only the overlay,
// never Plot's cell layer, so both stay smooth on long profiles.
import * as d3 from "d3";
import type {Annotation} from "../lib/annotations.js";
import {cellCount, type Heatmap} from "../lib/heatmap.js";
import {bucketMs, cellText, HEATMAP_MARGIN, heatmapChart, heatmapGeometry, heatmapLegend, partOutlines, pointsText} from "../lib/render/heatmap.js";
import type {HeatmapPalette} from "../lib/render/palette.js";
import {cellBlock, describeSelection, rangeFromCells, type Cell, type Selection, type SelectionPart} from "../lib/selection.js";
import {el, svgEl, Tooltip} from "./dom.js";

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

/** Cells are at least this wide (px): long profiles scroll instead of shrinking. */
const MIN_CELL_WIDTH = 6;
const MAX_CELL_WIDTH = 64;
const PLOT_HEIGHT = 400;

export function heatmapView(options: HeatmapViewOptions): HeatmapView {
  const {map} = options;
  const {rows, columns} = map;
  const {left: marginLeft, right: marginRight} = HEATMAP_MARGIN;
  const cw = Math.max(MIN_CELL_WIDTH, Math.min(MAX_CELL_WIDTH, Math.floor((options.width - marginLeft - marginRight) / Math.max(columns, 1))));
  const ch = Math.max(2, Math.floor(PLOT_HEIGHT / rows));
  // The library's chart, the same drawing as the CLI's SVG; the page adds its overlay.
  const svg = heatmapChart(map, {cellWidth: cw, cellHeight: ch, palette: options.palette, annotations: options.annotations, cellTitles: false});
  const geometry = heatmapGeometry(map, {cellWidth: cw, cellHeight: ch});
  const {left, top, bottom, right} = geometry;
  const legend = svgEl("svg", {class: "subsecond-heatmap-legend", width: 260, height: 44});
  legend.append(heatmapLegend(map, {palette: options.palette, x: 8, y: 10}));

  const layer = (name: string) => svg.appendChild(svgEl("g", {class: name}));
  const pinnedLayer = layer("pinned-layer");
  const selectionLayer = layer("selection-layer");
  const previewLayer = layer("preview-layer");
  const brushLayer = layer("brush");

  const node = el("div", {class: "subsecond-heatmap"});
  const scroll = el("div", {class: "subsecond-scroll"}, svg);
  const tooltip = new Tooltip(node);
  const status = el("span", {class: "subsecond-status"});
  node.append(legend, scroll, el("div", {class: "subsecond-toolbar"}, el("button", {type: "button", onclick: () => select(null)}, "Whole profile"), status));

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
    tooltip.show(cellText(cell.second, cell.bucket, rows, count), event);
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

