// The heat map, drawn once for every front end with Observable Plot cell marks: seconds
// on x, offset within the second on y (0 at the bottom), colour = samples, annotations
// as labelled outlines, and a colour legend. The CLI and notebooks serialise it as a
// standalone SVG; the report site adds its selection overlay on top of the same chart.
// Needs a DOM: the browser's, or a server-side one (jsdom; see `svgDocument` in
// src/node/index.ts).
import * as Plot from "@observablehq/plot";
import type {Annotation} from "../annotations.js";
import type {Heatmap} from "../heatmap.js";
import {cellPeriod, offsetRangeText, type SelectionPart} from "../selection.js";
import {bucketMs, bucketStart, formatPeriod, NS, periodOf} from "../time.js";
import {formatCount, formatWallClockRange} from "../format.js";
import {xmlSafeText} from "./escape.js";
import {svgMarkup} from "./xml.js";
import {annotationColors, colorClasses, heatmapColorScale, type HeatmapPalette} from "./palette.js";
import type {AlignedTrack} from "../timeline/align.js";
import {trackCharts} from "./tracks.js";
import type {ChartGeometry, HeatmapChartGeometry} from "./geometry.js";

/** The one heat-map drawing, shared by the CLI's SVG, notebooks and the report site. */
export interface HeatmapChartOptions {
  /** The DOM to draw with; default the global document. */
  document?: Document;
  /** Cell size in px: width default 8 for one-second columns (folded maps: as many px
   * as make the map about 480 px wide, 2 to 48), height default min(8, 400 / rows),
   * both at least 2. Square cells keep the busy-wait slope formula's spacing at 1. */
  cellWidth?: number;
  cellHeight?: number;
  palette?: HeatmapPalette;
  /** Drawn as labelled outlines; default the map's own (the profile's) annotations. */
  annotations?: Annotation[];
  /** Proposed annotations (found patterns not accepted yet): drawn dashed, labelled,
   * their labels kept clear of the annotations' ones. */
  proposals?: Annotation[];
  /** A <title> (tooltip) per cell, for standalone drawings; a page shows its own. */
  cellTitles?: boolean;
  /** Cells drawn as one path per colour instead of a rect per cell (no per-cell
   * titles): a fifth of the size, for drawings saved many times over (notebooks). */
  compactCells?: boolean;
}

export interface HeatmapSvgOptions extends HeatmapChartOptions {
  title?: string;
  legend?: boolean;
  /** Timelines drawn above the heat map on its x axis (./tracks.ts). */
  tracks?: AlignedTrack[];
}

/** Margins around the cells: room for the axes and their labels. */
export const HEATMAP_MARGIN = {top: 24, right: 16, bottom: 36, left: 48};

export function heatmapGeometry(map: Heatmap, options: Pick<HeatmapChartOptions, "cellWidth" | "cellHeight"> = {}): HeatmapChartGeometry {
  const cellWidth = Math.max(2, options.cellWidth ?? defaultCellWidth(map));
  const cellHeight = Math.max(2, options.cellHeight ?? Math.min(8, Math.floor(400 / map.rows)));
  const {top, left} = HEATMAP_MARGIN;
  const right = left + map.columns * cellWidth, bottom = top + map.rows * cellHeight;
  // Short profiles get a wider right margin, not wider cells, so labels fit.
  const width = Math.max(right + HEATMAP_MARGIN.right, 320);
  return {left, top, right, bottom, cellWidth, cellHeight, columns: map.columns, rows: map.rows, period: map.period, width, height: bottom + HEATMAP_MARGIN.bottom};
}

/** One-second columns keep their 8 px (the busy-wait formula's square cells); a fold
 * has fewer columns when its period is longer, more when shorter: its columns share
 * about 480 px, so that 9 periods of 5 s are not a 72 px sliver and 440 of 100 ms not
 * 3,500 px. */
function defaultCellWidth(map: Heatmap): number {
  if (map.period === NS) return 8;
  return Math.max(2, Math.min(48, Math.floor(480 / Math.max(1, map.columns))));
}

/** Cells with samples, as Plot data. */
export function heatmapCells(map: Heatmap): {second: number; bucket: number; count: number; weight: number}[] {
  const cells = [];
  for (let s = 0; s < map.columns; s++) {
    for (let b = 0; b < map.rows; b++) {
      const i = s * map.rows + b;
      if (map.counts[i] > 0) cells.push({second: s, bucket: b, count: map.counts[i], weight: map.weights[i]});
    }
  }
  return cells;
}

/** Where a cell is: "second 3, 100–120 ms"; in a folded map "period 3 (from 15 s),
 * 100–200 ms". */
export function cellPlace(second: number, bucket: number, rows: number, period: number = NS): string {
  if (period === NS) return `second ${second}, ${bucketMs(bucket, rows)}–${bucketMs(bucket + 1, rows)} ms`;
  return `period ${second} (from ${(second * period) / NS} s), ${offsetRangeText(bucketStart(bucket, rows, period), bucketStart(bucket + 1, rows, period), period)}`;
}

/** One cell's description: its second, its offsets and its samples, then, given the
 * wall-clock time (ms since the epoch) of the origin, its span in wall-clock time. */
export function cellText(second: number, bucket: number, rows: number, count: number, originWallClock: number | null = null, period: number = NS): string {
  const text = `${cellPlace(second, bucket, rows, period)}: ${count} sample${count === 1 ? "" : "s"}`;
  if (originWallClock === null) return text;
  const [from, to] = [bucketStart(bucket, rows, period), bucketStart(bucket + 1, rows, period)];
  const start = originWallClock + (second * period) / 1e6;
  return `${text}\n${formatWallClockRange(start + from / 1e6, start + to / 1e6, {date: false})}`;
}

/** A heat map in words, for people who cannot see it (its accessible description) and
 * as its caption: its size, its span in wall-clock time, its samples, the busiest cell
 * and second, and its annotations. */
export function heatmapSummary(map: Heatmap): string {
  let busiest = 0, busiestSecond = 0, busiestSecondCount = 0;
  for (let s = 0; s < map.columns; s++) {
    let sum = 0;
    for (let b = 0; b < map.rows; b++) {
      const c = map.counts[s * map.rows + b];
      sum += c;
      if (c > map.counts[busiest]) busiest = s * map.rows + b;
    }
    if (sum > busiestSecondCount) { busiestSecond = s; busiestSecondCount = sum; }
  }
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? "" : "s"}`;
  const parts = [map.period === NS
    ? `${plural(map.columns, "second")} × ${map.rows} rows of ${bucketMs(1, map.rows)} ms`
    : `${plural(map.columns, "period")} of ${formatPeriod(map.period)} × ${map.rows} rows of ${offsetRangeText(0, bucketStart(1, map.rows, map.period), map.period).replace(/^0–/, "")}`];
  if (map.wallClock !== null) parts.push(formatWallClockRange(map.wallClock, map.wallClock + (map.columns * map.period) / 1e6, {ms: false}));
  parts.push(`${plural(map.samples, "sample")} counted`);
  if (map.samples > 0) {
    const s = Math.floor(busiest / map.rows), b = busiest - s * map.rows;
    parts.push(`busiest cell: ${cellText(s, b, map.rows, map.counts[busiest], null, map.period)}`, `busiest ${map.period === NS ? "second" : "period"}: ${busiestSecond} (${plural(busiestSecondCount, "sample")})`);
  }
  if (map.annotations.length) parts.push(plural(map.annotations.length, "annotation"));
  return parts.join("; ");
}

/** The unit of a folded map's offset axis: as offsetRangeText's. */
function offsetUnit(period: number): string {
  return offsetRangeText(0, 0, period).split(" ")[1];
}

/** An offset axis tick: whole ms for one second (as before folding); else the offset
 * in the axis unit, to a tenth at most. */
function offsetTick(offsetNs: number, period: number): string {
  if (period === NS) return String(Math.round(offsetNs / 1e6));
  const text = offsetRangeText(offsetNs, offsetNs, period).split("–")[0];
  return String(+(+text).toFixed(1));
}

/** A column axis tick of a folded map: the time its period starts at, in the period's
 * units ("0", "10s", "1.5s", "30m"). */
function periodTick(column: number, period: number): string {
  return column === 0 ? "0" : formatPeriod(column * period);
}

/** Tick values: about one per `step` px, on round numbers. */
function ticks(count: number, size: number, step: number): number[] {
  const every = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 1800, 3600].find((e) => e * size >= step) ?? Math.ceil(step / size);
  const out = [];
  for (let v = 0; v < count; v += every) out.push(v);
  return out;
}

/** The heat map's Plot options: band scales of seconds and buckets (offset 0 at the
 * bottom), the colour scale of the palette, the cells, and the annotations. */
export function heatmapPlot(map: Heatmap, options: HeatmapChartOptions = {}) {
  const g = heatmapGeometry(map, options);
  const color = heatmapColorScale(options.palette ?? "flamescope", map.maxCount);
  const document = options.document ?? globalThis.document;
  if (!document) throw new Error("drawing a heat map needs a DOM: pass {document} (in Node, svgDocument() from subsecond's node module)");
  return {
    document,
    width: g.width,
    height: g.height,
    marginTop: HEATMAP_MARGIN.top, marginLeft: HEATMAP_MARGIN.left, marginBottom: HEATMAP_MARGIN.bottom,
    marginRight: g.width - g.right,
    ariaLabel: `Heat map of ${map.source}`,
    ariaDescription: heatmapSummary(map),
    style: {background: "#ffffff", fontFamily: "Verdana, 'DejaVu Sans', sans-serif", fontSize: "10px", maxWidth: "none"},
    x: {
      type: "band", domain: range(map.columns), padding: 0, ticks: ticks(map.columns, g.cellWidth, 50),
      ...(map.period === NS ? {} : {tickFormat: (s: number) => periodTick(s, map.period)}),
      label: map.period === NS ? "seconds since origin →" : `time since origin, one column per ${formatPeriod(map.period)} →`, labelAnchor: "left", labelOffset: 30,
    },
    y: {
      type: "band", domain: range(map.rows), padding: 0, reverse: true, ticks: ticks(map.rows, g.cellHeight, 40),
      // Whole ms: rows that do not divide a second (49) have edges such as 102.041 ms,
      // which the tooltips give exactly.
      tickFormat: (b: number) => offsetTick(bucketStart(b, map.rows, map.period), map.period),
      label: map.period === NS ? "↑ offset in second (ms)" : `↑ offset in ${formatPeriod(map.period)} (${offsetUnit(map.period)})`, labelAnchor: "top",
    },
    color: color.type === "threshold"
      ? {type: "threshold", domain: color.domain.slice(1), range: color.range}
      : {type: "linear", domain: color.domain, range: color.range, interpolate: "rgb"},
    marks: [
      Plot.frame({stroke: "#ccc"}),
      Plot.cell(heatmapCells(map), {
        x: "second",
        y: "bucket",
        fill: "count",
        inset: 0,
        ...(options.cellTitles === false || options.compactCells ? {} : {title: (d: {second: number; bucket: number; count: number}) => cellText(d.second, d.bucket, map.rows, d.count, map.wallClock, map.period)}),
      }),
      annotationsMark(options.annotations ?? map.annotations, g, options.proposals),
    ],
  } satisfies Plot.PlotOptions;
}

/** The heat map as a Plot chart (an <svg>), its geometry on the element's dataset
 * (data-left, data-bottom, data-cw, data-ch, data-columns, data-rows, data-palette) for
 * scripts that point at cells. */
export function heatmapChart(map: Heatmap, options: HeatmapChartOptions = {}): SVGSVGElement {
  const g = heatmapGeometry(map, options);
  // Plot returns an <svg> when it draws no legend or caption of its own.
  const svg = Plot.plot(heatmapPlot(map, options)) as SVGSVGElement;
  if (options.compactCells) mergeCells(svg);
  svg.classList.add("subsecond-heatmap-chart");
  const palette = options.palette ?? "flamescope";
  for (const [key, value] of Object.entries({left: g.left, bottom: g.bottom, cw: g.cellWidth, ch: g.cellHeight, columns: g.columns, rows: g.rows, palette})) svg.setAttribute(`data-${key}`, String(value));
  return svg;
}

/** Replaces Plot's rect per cell by one path per fill colour: the same pixels. */
function mergeCells(svg: SVGSVGElement): void {
  const layer = svg.querySelector('g[aria-label="cell"]');
  if (!layer) return;
  const byFill = new Map<string, string[]>();
  for (const rect of Array.from(layer.querySelectorAll("rect"))) {
    const fill = rect.getAttribute("fill") ?? "";
    const [x, y, w, h] = ["x", "y", "width", "height"].map((a) => rect.getAttribute(a) ?? "0");
    let d = byFill.get(fill);
    if (!d) byFill.set(fill, (d = []));
    d.push(`M${x} ${y}h${w}v${h}h-${w}z`);
    rect.remove();
  }
  for (const [fill, d] of byFill) {
    const path = svgElement(svg.ownerDocument, "path", {fill, d: d.join("")});
    layer.append(path);
  }
}

/** A standalone SVG document (string) of the heat map, with a title and the legend. */
export function heatmapSvg(map: Heatmap, options: HeatmapSvgOptions = {}): string {
  const document = options.document ?? globalThis.document;
  if (!document) throw new Error("heatmapSvg needs a DOM: pass {document} (in Node, svgDocument() from subsecond's node module)");
  const chart = heatmapChart(map, {...options, document});
  const {height} = heatmapGeometry(map, options);
  // The title sets the width when it is wider than the chart (a long file name over a
  // short or folded map): the chart keeps its own width, left-aligned.
  const width = Math.max(heatmapGeometry(map, options).width, options.title ? Math.ceil(HEATMAP_MARGIN.left + xmlSafeText(options.title).length * TITLE_CHAR + HEATMAP_MARGIN.right) : 0);
  const annotations = options.annotations ?? map.annotations;
  const labels = options.legend === false ? null : annotationLegend(annotations, {document, x: HEATMAP_MARGIN.left, width: width - HEATMAP_MARGIN.left - HEATMAP_MARGIN.right});
  const legendHeight = options.legend === false ? 0 : 50 + (labels ? labels.height : 0);
  const titleHeight = options.title ? 22 : 0;
  const g = heatmapGeometry(map, options);
  const tracks = (options.tracks ?? []).flatMap((t) => trackCharts(t, g, {document}));
  const tracksHeight = tracks.reduce((n, t) => n + t.height, 0);
  const total = titleHeight + legendHeight + tracksHeight + height;
  const svg = svgElement(document, "svg", {width, height: total, viewBox: `0 0 ${width} ${total}`, "font-family": "Verdana, 'DejaVu Sans', sans-serif"});
  svg.append(svgElement(document, "rect", {width: "100%", height: "100%", fill: "#ffffff"}));
  if (options.title) {
    const t = svgElement(document, "text", {x: HEATMAP_MARGIN.left, y: 16, "font-size": 14});
    t.textContent = xmlSafeText(options.title);
    svg.append(t);
  }
  if (legendHeight) svg.append(heatmapLegend(map, {document, palette: options.palette, x: HEATMAP_MARGIN.left, y: titleHeight + 8}));
  if (labels) {
    labels.g.setAttribute("transform", `translate(0,${titleHeight + 50})`);
    svg.append(labels.g);
  }
  let y = titleHeight + legendHeight;
  for (const t of tracks) {
    t.svg.setAttribute("x", "0");
    t.svg.setAttribute("y", String(y));
    svg.append(t.svg);
    y += t.height;
  }
  chart.setAttribute("x", "0");
  chart.setAttribute("y", String(y));
  svg.append(chart);
  // As XML: HTML serialisation (outerHTML) writes entities such as &nbsp; that an SVG
  // file may not hold.
  return svgMarkup(svg) + "\n";
}

/** About one character of the 14 px title, in px (Verdana's are wide). */
const TITLE_CHAR = 8.5;

function svgElement(doc: Document, name: string, attrs: Record<string, string | number>): SVGElement {
  const e = doc.createElementNS("http://www.w3.org/2000/svg", name) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

export interface HeatmapLegendOptions {
  document?: Document;
  palette?: HeatmapPalette;
  /** Where the legend's top-left corner goes (px). */
  x?: number;
  y?: number;
}

/** The colour legend in a <g>: for a threshold scale ("steps") one swatch per class,
 * 0 first, each labelled with its counts; else a ramp (an SVG gradient; Plot's own
 * ramp legend needs a canvas) with ticks. */
export function heatmapLegend(map: Heatmap, options: HeatmapLegendOptions = {}): SVGGElement {
  const doc = options.document ?? globalThis.document;
  const palette = options.palette ?? "flamescope";
  const color = heatmapColorScale(palette, map.maxCount);
  const max = map.maxCount;
  const width = 240, height = 10, top = max > 0 ? max : 1;
  const g = svgElement(doc, "g", {class: "subsecond-legend-ramp", transform: `translate(${options.x ?? 0},${options.y ?? 0})`, "font-size": 10}) as SVGGElement;
  const label = svgElement(doc, "text", {x: 0, y: 0, "font-weight": "bold"});
  label.textContent = "samples per cell";
  g.append(label);
  const tick = (x: number, text: string) => {
    const t = svgElement(doc, "text", {x, y: 4 + height + 13, "text-anchor": "middle"});
    t.textContent = text;
    g.append(t);
  };
  if (color.type === "threshold") {
    const classes = [{from: 0, to: 0, color: "#FFFFFF"}, ...colorClasses(color, max)];
    const w = Math.min(34, width / classes.length);
    classes.forEach((c, k) => {
      g.append(svgElement(doc, "rect", {class: "legend-class", x: k * w, y: 4, width: w, height, fill: c.color, stroke: "#999", "stroke-width": 0.5}));
      tick(k * w + w / 2, c.from === c.to ? String(c.from) : `${c.from}–${c.to}`);
    });
    return g;
  }
  // One id per scale: several heat maps on a page must not share a gradient.
  const id = `subsecond-ramp-${palette}-${top}`;
  const gradient = svgElement(doc, "linearGradient", {id});
  color.domain.forEach((d, i) => gradient.append(svgElement(doc, "stop", {offset: `${(100 * d) / top}%`, "stop-color": color.range[i]})));
  const defs = svgElement(doc, "defs", {});
  defs.append(gradient);
  g.append(defs);
  g.append(svgElement(doc, "rect", {x: 0, y: 4, width, height, fill: `url(#${id})`, stroke: "#999", "stroke-width": 0.5}));
  const tickValues = [...new Set([0, ...color.domain.filter((d) => d > 0 && d < top).map(Math.round), top])];
  for (const v of tickValues) {
    const tx = (v / top) * width;
    g.append(svgElement(doc, "line", {x1: tx, x2: tx, y1: 4, y2: 4 + height + 3, stroke: "#666"}));
    tick(tx, String(v));
  }
  return g;
}

export interface AnnotationLegendOptions {
  document?: Document;
  /** Left edge and the width to wrap entries in (px). */
  x?: number;
  width?: number;
}

/** One entry per annotation label in its outline colour, in rows that wrap at
 * `width`; null without annotations. The legend names every label, also those the
 * chart had no room to write. */
export function annotationLegend(annotations: Annotation[], options: AnnotationLegendOptions = {}): {g: SVGGElement; height: number} | null {
  const colors = annotationColors(annotations);
  if (colors.size === 0) return null;
  const doc = options.document ?? globalThis.document;
  const x0 = options.x ?? 0, width = options.width ?? 600, ROW = 16, CHAR = 6.5;
  const g = svgElement(doc, "g", {class: "subsecond-annotation-legend", "font-size": 10}) as SVGGElement;
  let x = 0, row = 0;
  for (const [label, color] of colors) {
    const text = xmlSafeText(label);
    const w = 22 + text.length * CHAR + 14;
    if (x > 0 && x + w > width) { x = 0; row++; }
    const entry = svgElement(doc, "g", {class: "annotation-key", transform: `translate(${x0 + x},${row * ROW})`});
    entry.append(svgElement(doc, "rect", {x: 0, y: 2, width: 16, height: 9, fill: "none", stroke: color, "stroke-width": 1.5}));
    const t = svgElement(doc, "text", {x: 22, y: 10, fill: color, "font-weight": "bold"});
    t.textContent = text;
    entry.append(t);
    g.append(entry);
    x += w;
  }
  return {g, height: (row + 1) * ROW + 4};
}

function range(n: number): number[] {
  return Array.from({length: n}, (_, i) => i);
}

/** Room (px) a label leaves at the chart's right edge. */
const LABEL_MARGIN = 4;

type Point = [number, number];

/** The outlines of a selection part in chart px: a rectangle for a cell block or a
 * range within one second; for a range over several seconds the "snake" of cells it
 * covers (the first column from its start up, whole columns, the last column up to
 * its end), or two rectangles when a range over two seconds does not join up (it
 * ends lower in its second column than it started in the first). */
export function partOutlines(part: SelectionPart, g: ChartGeometry): Point[][] {
  const h = g.rows * g.cellHeight;
  const P = g.period ?? NS;
  const x = (s: number) => g.left + Math.max(0, Math.min(g.columns, s)) * g.cellWidth;
  const y = (offsetNs: number) => g.bottom - (offsetNs / P) * h;
  const rect = (s0: number, s1: number, o0: number, o1: number): Point[] => [[x(s0), y(o0)], [x(s0), y(o1)], [x(s1 + 1), y(o1)], [x(s1 + 1), y(o0)]];
  if (part.kind === "cells" && cellPeriod(part) === P) return [rect(part.s0, part.s1, bucketStart(part.b0, part.rows, P), bucketStart(part.b1 + 1, part.rows, P))];
  // A range, or cells of another fold: the snake of the time they span.
  const [from, to] = part.kind === "range" ? [part.from, part.to] : [part.s0 * cellPeriod(part) + bucketStart(part.b0, part.rows, cellPeriod(part)), part.s1 * cellPeriod(part) + bucketStart(part.b1 + 1, part.rows, cellPeriod(part))];
  const s0 = periodOf(from, P), o0 = from - s0 * P;
  const s1 = periodOf(Math.max(from, to - 1), P), o1 = to - s1 * P;
  if (s0 === s1) return [rect(s0, s0, o0, o1)];
  if (s1 === s0 + 1 && o1 <= o0) return [rect(s0, s0, o0, P), rect(s1, s1, 0, o1)];
  return [[
    [x(s0), y(o0)], [x(s0), y(P)], [x(s1), y(P)], [x(s1), y(o1)],
    [x(s1 + 1), y(o1)], [x(s1 + 1), y(0)], [x(s0 + 1), y(0)], [x(s0 + 1), y(o0)],
  ]];
}

export interface AnnotationShape {
  annotation: Annotation;
  outlines: Point[][];
  /** Its label's colour (one per label). */
  color: string;
  /** The label as written: cut with "…" to the chart's width when it is wider (the
   * outline's title and the legend give it whole). */
  text: string;
  /** Where its label goes (its baseline's start), or null when an annotation with the
   * same label already has one nearby (neighbouring windows often share a label) or
   * no free place is left (the legend still names it). */
  label: Point | null;
  /** From the label to its outline, when the label had to move away from it. */
  leader: [Point, Point] | null;
}

/** Annotations' outlines and label positions. A label goes just above the highest,
 * leftmost corner of its first outline; when another label is there it moves up, then
 * down, in steps of a line, joined to its outline by a leader line: labels never
 * overlap, and stay within the chart's cells (cut when wider than them).
 * `charWidth` is about one label character. */
export function annotationShapes(annotations: Annotation[], g: ChartGeometry, charWidth = 7): AnnotationShape[] {
  const LINE = 12;
  const placed: {x0: number; x1: number; y: number; label: string}[] = [];
  const colors = annotationColors(annotations);
  const top = 10, bottom = g.bottom + 24;
  return annotations.map((annotation) => {
    const outlines = annotation.parts.flatMap((part) => partOutlines(part, g));
    const color = colors.get(annotation.label)!;
    const first = outlines[0];
    const minY = Math.min(...first.map((p) => p[1]));
    // At the right edge, the label moves left to stay on the cells; wider than them, it
    // starts at their left edge and is cut where the chart ends.
    const right = g.left + g.columns * g.cellWidth;
    const cornerX = Math.min(...first.filter((p) => p[1] === minY).map((p) => p[0]));
    const x = Math.max(g.left, Math.min(cornerX + 1, right - annotation.label.length * charWidth));
    const text = fitText(annotation.label, Math.floor((Math.max(right, (g.width ?? 0) - LABEL_MARGIN) - x) / charWidth));
    const width = text.length * charWidth;
    const x1 = x + width;
    const clash = (y: number) => placed.filter((p) => Math.abs(p.y - y) < LINE && x < p.x1 + 4 && x1 > p.x0 - 4);
    const base = Math.max(minY - 3, top);
    if (text === "" || clash(base).some((p) => p.label === annotation.label)) return {annotation, outlines, color, text, label: null, leader: null};
    const candidates = [base];
    for (let k = 1; base - k * LINE >= top || base + k * LINE <= bottom; k++) {
      if (base - k * LINE >= top) candidates.push(base - k * LINE);
      if (base + k * LINE <= bottom) candidates.push(base + k * LINE);
    }
    const y = candidates.find((c) => clash(c).length === 0);
    if (y === undefined) return {annotation, outlines, color, text, label: null, leader: null};
    placed.push({x0: x, x1, y, label: annotation.label});
    const leader: [Point, Point] | null = y === base ? null : [[x, y < minY ? y + 2 : y - 9], [cornerX, minY]];
    return {annotation, outlines, color, text, label: [x, y], leader};
  });
}

/** `text` in at most `chars` characters: whole, or cut with "…" (code points: a cut
 * never splits a surrogate pair); "" when not even two fit. */
function fitText(text: string, chars: number): string {
  const points = Array.from(text);
  if (points.length <= chars) return text;
  return chars < 2 ? "" : `${points.slice(0, chars - 1).join("")}…`;
}

export function pointsText(points: Point[]): string {
  return points.map(([px, py]) => `${round(px)},${round(py)}`).join(" ");
}

/** Annotations as labelled outlines, a Plot mark (a render function), then proposed
 * ones dashed (class "proposal"). They take no pointer events: a label must not catch
 * the start of a brush on a page. */
export function annotationsMark(annotations: Annotation[], geometry: ChartGeometry, proposals: Annotation[] = []) {
  return (_index: unknown, _scales: unknown, _values: unknown, _dimensions: unknown, context: {document: Document}) => {
    const doc = context.document;
    const g = svgElement(doc, "g", {class: "annotations", "pointer-events": "none"});
    // Placed together: a proposal's label never covers an annotation's.
    const shapes = annotationShapes([...annotations, ...proposals], geometry);
    for (const [i, {annotation: a, outlines, color, text: labelText, label, leader}] of shapes.entries()) {
      const proposed = i >= annotations.length;
      const group = svgElement(doc, "g", {class: proposed ? "annotation proposal" : "annotation"});
      const title = svgElement(doc, "title", {});
      title.textContent = xmlSafeText(a.note ? `${a.label}: ${a.note}` : a.label);
      group.append(title);
      for (const points of outlines) {
        group.append(svgElement(doc, "polygon", {points: pointsText(points), fill: "none", stroke: color, "stroke-width": 1.5, ...(proposed ? {"stroke-dasharray": "4 3"} : {})}));
      }
      if (leader) {
        group.append(svgElement(doc, "line", {class: "annotation-leader", x1: round(leader[0][0]), y1: round(leader[0][1]), x2: round(leader[1][0]), y2: round(leader[1][1]), stroke: color, "stroke-width": 1}));
      }
      if (label) {
        // A white halo keeps the label legible on red cells.
        const text = svgElement(doc, "text", {
          class: "annotation-label", x: round(label[0]), y: round(label[1]), "text-anchor": "start", "font-size": 10, "font-weight": "bold",
          fill: color, stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke",
        });
        text.textContent = xmlSafeText(labelText);
        group.append(text);
      }
      g.append(group);
    }
    return g;
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
