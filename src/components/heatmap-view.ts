// The interactive heat map: the library's chart (Observable Plot cell marks: seconds on
// x, offset on y with 0 at the bottom, colour = samples) under an overlay that selects
// samples three ways:
//   - FlameScope's clicks: click a start cell, then an end cell, for the time range
//     between them (the range follows the pointer until the second click; Escape
//     cancels, or, with nothing pending, goes back to the whole profile);
//   - a rectangular d3-brush over the cells, for a block of cells;
//   - the keyboard: the map takes focus (Tab), arrow keys move a cursor cell (Shift: 10
//     at a time; Home/End: first/last second; PageUp/PageDown: top/bottom row), Enter
//     or Space marks the start cell and then the end cell, Escape as above.
// Keys act only while the map has focus, so Escape in a search box is the search box's.
// Each selection goes to `onSelect`; the page shows it back with `showSelection`.
// Hovering, brushing and moving the cursor touch only the overlay, never Plot's cell
// layer, so all stay smooth on long profiles.
import * as d3 from "d3";
import type {Annotation} from "../lib/annotations.js";
import {cellCount, type Heatmap} from "../lib/heatmap.js";
import {cellPlace, cellText, HEATMAP_MARGIN, heatmapChart, heatmapGeometry, heatmapLegend, heatmapSummary, partOutlines, pointsText} from "../lib/render/heatmap.js";
import type {HeatmapChartGeometry} from "../lib/render/geometry.js";
import type {HeatmapPalette} from "../lib/render/palette.js";
import {cellBlock, cellPeriod, describeSelection, describeSelectionWallClock, rangeFromCells, type Cell, type Selection, type SelectionPart} from "../lib/selection.js";
import {bucketOf, periodOf} from "../lib/time.js";
import {el, svgEl, Tooltip} from "./dom.js";

export interface HeatmapViewOptions {
  map: Heatmap;
  palette: HeatmapPalette;
  /** Width available (px); a longer profile scrolls sideways. */
  width: number;
  /** Height of the cells (px, default 400): the page fits the map to the window. */
  height?: number;
  /** The selection to outline to start with. */
  selection: Selection;
  /** Drawn as labelled outlines. */
  annotations: Annotation[];
  /** Proposed annotations (found patterns), drawn dashed. */
  proposals?: Annotation[];
  /** Called with each selection made on the map (null: the whole profile). */
  onSelect: (selection: Selection) => void;
  /** Drawn above the cells in the same sideways scroll, given the cells' geometry
   * (timeline tracks on the map's x axis: ./tracks-view.ts). */
  above?: (geometry: HeatmapChartGeometry) => Element | null;
}

export type HeatmapView = HTMLElement & {
  /** Outlines a selection and says what it is (the page's current one). */
  showSelection(selection: Selection): void;
  /** Outlines the pinned comparison baseline A (undefined: none). */
  showPinned(a: Selection | undefined): void;
};

/** Cells are at least this wide (px): long profiles scroll instead of shrinking. */
const MIN_CELL_WIDTH = 6;
const MAX_CELL_WIDTH = 64;
const PLOT_HEIGHT = 400;

let views = 0;

export function heatmapView(options: HeatmapViewOptions): HeatmapView {
  const {map} = options;
  // A folded map's columns are periods: its cells select those offsets of each period.
  const {rows, columns, period} = map;
  const {left: marginLeft, right: marginRight} = HEATMAP_MARGIN;
  const cw = Math.max(MIN_CELL_WIDTH, Math.min(MAX_CELL_WIDTH, Math.floor((options.width - marginLeft - marginRight) / Math.max(columns, 1))));
  const ch = Math.max(2, Math.floor((options.height ?? PLOT_HEIGHT) / rows));
  // The library's chart, the same drawing as the CLI's SVG; the page adds its overlay.
  const svg = heatmapChart(map, {cellWidth: cw, cellHeight: ch, palette: options.palette, annotations: options.annotations, proposals: options.proposals, cellTitles: false});
  const geometry = heatmapGeometry(map, {cellWidth: cw, cellHeight: ch});
  const {left, top, bottom, right} = geometry;
  const legend = svgEl("svg", {class: "subsecond-heatmap-legend", width: 260, height: 40, "aria-hidden": "true"});
  legend.append(heatmapLegend(map, {palette: options.palette, x: 8, y: 10}));

  const layer = (name: string) => svg.appendChild(svgEl("g", {class: name}));
  const pinnedLayer = layer("pinned-layer");
  const selectionLayer = layer("selection-layer");
  const previewLayer = layer("preview-layer");
  const cursorLayer = layer("cursor-layer");
  const brushLayer = layer("brush");

  const id = `subsecond-heatmap-${++views}`;
  const summary = el("p", {class: "subsecond-hint subsecond-heatmap-summary", id: `${id}-summary`}, heatmapSummary(map));
  const node = el("div", {class: "subsecond-heatmap"});
  // The focusable part: the keyboard's cursor moves in it.
  const scroll = el("div", {
    class: "subsecond-scroll subsecond-heatmap-cells", tabindex: 0, role: "application", "aria-roledescription": "heat map",
    "aria-label": `Heat map of ${map.source}: arrow keys move between cells, Enter or Space marks the start cell and then the end cell, Escape cancels`,
    "aria-describedby": summary.id,
  }, options.above?.(geometry), svg);
  const tooltip = new Tooltip(node);
  const status = el("span", {class: "subsecond-status"});
  const announce = el("div", {class: "subsecond-sr-only", "aria-live": "polite"});
  node.append(
    el("div", {class: "subsecond-toolbar"}, legend, el("button", {type: "button", onclick: () => select(null)}, "Whole profile"), status),
    scroll, summary, announce,
  );

  const cellAt = (event: MouseEvent | PointerEvent): Cell | null => {
    const [x, y] = d3.pointer(event, svg);
    const second = Math.floor((x - left) / cw), bucket = Math.floor((bottom - y) / ch);
    return second >= 0 && second < columns && bucket >= 0 && bucket < rows ? {second, bucket} : null;
  };

  const drawParts = (g: SVGGElement, parts: SelectionPart[], className: string) => {
    g.replaceChildren(...parts.flatMap((p) => partOutlines(p, geometry).map((points) => svgEl("polygon", {class: className, points: pointsText(points)}))));
  };

  let selection: Selection = options.selection;
  /** The first click's (or Enter's) cell while waiting for the second. */
  let pending: Cell | null = null;
  /** The keyboard's cell. */
  let cursor: Cell | null = null;

  function showStatus() {
    if (pending) {
      status.textContent = `start: ${cellPlace(pending.second, pending.bucket, rows, period)}. Click the end cell, or move to it and press Enter (Esc cancels).`;
      return;
    }
    const wall = describeSelectionWallClock(selection, map.wallClock);
    status.textContent = `Selected: ${describeSelection(selection)}${wall ? ` (${wall})` : ""}`;
  }

  function showSelection(next: Selection) {
    selection = next;
    drawParts(selectionLayer, selection ?? [], "selection");
    showStatus();
  }

  function select(next: Selection) {
    pending = null;
    drawParts(previewLayer, [], "preview");
    showSelection(next);
    options.onSelect(next);
  }

  function cancelPending() {
    pending = null;
    drawParts(previewLayer, [], "preview");
    showStatus();
  }

  function clickCell(cell: Cell) {
    if (!pending) {
      pending = cell;
      drawParts(previewLayer, [rangeFromCells(cell, cell, rows, period)], "preview");
      showStatus();
    } else {
      select([rangeFromCells(pending, cell, rows, period)]);
    }
  }

  /** The cells a brush rectangle (px) touches. */
  const blockOf = ([[x0, y0], [x1, y1]]: [[number, number], [number, number]]) => {
    const clampS = (s: number) => Math.max(0, Math.min(columns - 1, s)), clampB = (b: number) => Math.max(0, Math.min(rows - 1, b));
    return cellBlock(clampS(Math.floor((x0 - left) / cw)), clampS(Math.ceil((x1 - left) / cw) - 1), clampB(Math.floor((bottom - y1) / ch)), clampB(Math.ceil((bottom - y0) / ch) - 1), rows, period);
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

  // d3-brush cancels the pointer's default action, focus included: focus the map
  // here, so that Escape after a click reaches it. The keyboard's cursor and focus ring
  // show only once a key is used (class "keyboard").
  let pointerFocus = false;
  scroll.addEventListener("pointerdown", () => {
    pointerFocus = true;
    scroll.focus({preventScroll: true});
    pointerFocus = false;
  }, true);
  svg.addEventListener("pointermove", (event) => {
    const cell = cellAt(event);
    if (!cell) return tooltip.hide();
    tooltip.show(cellText(cell.second, cell.bucket, rows, cellCount(map, cell.second, cell.bucket), map.wallClock, period), event);
    if (pending) drawParts(previewLayer, [rangeFromCells(pending, cell, rows, period)], "preview");
  });
  svg.addEventListener("pointerleave", () => tooltip.hide());

  /** Draws the cursor cell, its tooltip, and says what it holds. */
  function showCursor(cell: Cell) {
    cursor = cell;
    const x = left + cell.second * cw, y = bottom - (cell.bucket + 1) * ch;
    cursorLayer.replaceChildren(svgEl("rect", {class: "cursor", x, y, width: cw, height: ch}));
    const text = cellText(cell.second, cell.bucket, rows, cellCount(map, cell.second, cell.bucket), map.wallClock, period);
    const box = svg.getBoundingClientRect();
    tooltip.showAt(text, box.left + x + cw, box.top + y + ch);
    announce.textContent = `${text.replace("\n", ", ")}${pending ? ". Enter marks the end cell." : ""}`;
    if (pending) drawParts(previewLayer, [rangeFromCells(pending, cell, rows, period)], "preview");
    // Keep the cursor in view when the map scrolls sideways.
    const inView = x - scroll.scrollLeft;
    if (inView < left || inView + cw > scroll.clientWidth) scroll.scrollLeft = x - scroll.clientWidth / 2;
  }

  /** Where the cursor starts: the pending cell, else the selection's first cell, else
   * the first column's bottom cell. */
  function startCell(): Cell {
    if (pending) return pending;
    const first = selection?.[0];
    if (first?.kind === "cells" && first.rows === rows && cellPeriod(first) === period) return {second: first.s0, bucket: first.b0};
    if (first?.kind === "range") {
      const second = Math.max(0, Math.min(columns - 1, periodOf(first.from, period)));
      return {second, bucket: Math.max(0, Math.min(rows - 1, bucketOf(first.from - second * period, rows, period)))};
    }
    return {second: 0, bucket: 0};
  }

  scroll.addEventListener("focus", () => {
    if (pointerFocus) return;
    scroll.classList.add("keyboard");
    showCursor(cursor ?? startCell());
  });
  scroll.addEventListener("blur", () => {
    scroll.classList.remove("keyboard");
    cursorLayer.replaceChildren();
    tooltip.hide();
  });
  scroll.addEventListener("keydown", (event: KeyboardEvent) => {
    scroll.classList.add("keyboard");
    const step = event.shiftKey ? 10 : 1;
    const c = cursor ?? startCell();
    const move = (second: number, bucket: number) => showCursor({second: Math.max(0, Math.min(columns - 1, second)), bucket: Math.max(0, Math.min(rows - 1, bucket))});
    switch (event.key) {
      case "ArrowLeft": move(c.second - step, c.bucket); break;
      case "ArrowRight": move(c.second + step, c.bucket); break;
      case "ArrowUp": move(c.second, c.bucket + step); break;
      case "ArrowDown": move(c.second, c.bucket - step); break;
      case "Home": move(0, c.bucket); break;
      case "End": move(columns - 1, c.bucket); break;
      case "PageUp": move(c.second, rows - 1); break;
      case "PageDown": move(c.second, 0); break;
      case "Enter":
      case " ":
        clickCell(c);
        showCursor(c);
        break;
      case "Escape":
        if (pending) cancelPending();
        else if (selection !== null) select(null);
        else return;
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  showSelection(selection);
  const showPinned = (a: Selection | undefined) => {
    drawParts(pinnedLayer, a === undefined ? [] : (a ?? [cellBlock(0, columns - 1, 0, rows - 1, rows, period)]), "pinned");
    // "A" inside the first part's top-left corner (an outline's second point).
    const corner = pinnedLayer.querySelector("polygon")?.points[1];
    if (corner) pinnedLayer.append(Object.assign(svgEl("text", {class: "pinned-label", "text-anchor": "start", x: corner.x + 3, y: corner.y + 13}), {textContent: "A"}));
  };
  return Object.assign(node, {showSelection, showPinned});
}

/** In place of the heat map of a profile without sample timestamps (or one that cannot
 * be drawn: `problem` says why): a note, and a view that outlines nothing. */
export function noHeatmapView(problem?: string): HeatmapView {
  const node = problem
    ? el("p", {class: "subsecond-hint mismatch subsecond-heatmap-problem"}, `No heat map: ${problem}`)
    : el("p", {class: "subsecond-hint"}, "This profile has no sample timestamps, so it has no heat map: the flame graph shows all of it.");
  return Object.assign(node, {showSelection: () => {}, showPinned: () => {}});
}
