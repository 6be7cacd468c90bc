// The heat map as a standalone SVG, drawn with Observable Plot cell marks: seconds on
// x, offset within the second on y (0 at the bottom), colour = samples, a tooltip per
// cell, a colour legend, and annotations as labelled outlines. Needs a DOM: the
// browser's, or a server-side one (jsdom; see `svgDocument` in ../node.js).
import * as Plot from "@observablehq/plot";
import type {Annotation} from "../annotations.js";
import type {Heatmap} from "../heatmap.js";
import type {SelectionPart} from "../selection.js";
import {bucketStart, NS, secondOf} from "../time.js";
import {xmlSafeText} from "./escape.js";
import {ANNOTATION_COLOR, heatmapColorScale, type HeatmapPalette} from "./palette.js";

export interface HeatmapSvgOptions {
  /** The DOM to draw with; default the global document. */
  document?: Document;
  /** Cell size in px (default 8 × min(8, 400 / rows), at least 2). Square cells keep
   * the busy-wait slope formula's spacing at 1. */
  cellWidth?: number;
  cellHeight?: number;
  palette?: HeatmapPalette;
  /** Drawn as labelled outlines; default the map's own (the profile's) annotations. */
  annotations?: Annotation[];
  title?: string;
  legend?: boolean;
}

const MARGIN = {top: 24, right: 16, bottom: 36, left: 48};

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

/** "12.5" for 12.5 ms: bucket edges in ms, to 3 decimals at most. */
export function bucketMs(b: number, rows: number): string {
  return String(+(bucketStart(b, rows) / 1e6).toFixed(3));
}

/** Tick values: about one per `step` px, on round numbers. */
function ticks(count: number, size: number, step: number): number[] {
  const every = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 1800, 3600].find((e) => e * size >= step) ?? Math.ceil(step / size);
  const out = [];
  for (let v = 0; v < count; v += every) out.push(v);
  return out;
}

export function heatmapSvg(map: Heatmap, options: HeatmapSvgOptions = {}): string {
  const document = options.document ?? globalThis.document;
  if (!document) throw new Error("heatmapSvg needs a DOM: pass {document} (in Node, svgDocument() from subsecond's node module)");
  const cw = options.cellWidth ?? 8;
  const ch = options.cellHeight ?? Math.max(2, Math.min(8, Math.floor(400 / map.rows)));
  // Short profiles get a wider right margin, not wider cells, so labels fit.
  const width = Math.max(MARGIN.left + map.columns * cw + MARGIN.right, 320);
  const height = MARGIN.top + map.rows * ch + MARGIN.bottom;
  const color = heatmapColorScale(options.palette ?? "flamescope", map.maxCount);
  const annotations = options.annotations ?? map.annotations;

  const chart = Plot.plot({
    document,
    width,
    height,
    ...MARGIN_OPTIONS,
    marginRight: width - MARGIN.left - map.columns * cw,
    style: {background: "#ffffff", fontFamily: "Verdana, 'DejaVu Sans', sans-serif", fontSize: "10px"},
    x: {type: "band", domain: range(map.columns), padding: 0, ticks: ticks(map.columns, cw, 50), label: "seconds since origin →", labelAnchor: "left", labelOffset: 30},
    y: {type: "band", domain: range(map.rows), padding: 0, reverse: true, ticks: ticks(map.rows, ch, 40), tickFormat: (b: number) => String(Math.round(bucketStart(b, map.rows) / 1e6)), label: "↑ offset in second (ms)", labelAnchor: "top"},
    color: {type: "linear", domain: color.domain, range: color.range, interpolate: "rgb"},
    marks: [
      Plot.frame({stroke: "#ccc"}),
      Plot.cell(heatmapCells(map), {
        x: "second",
        y: "bucket",
        fill: "count",
        inset: 0,
        title: (d: {second: number; bucket: number; count: number}) =>
          `second ${d.second}, ${bucketMs(d.bucket, map.rows)}–${bucketMs(d.bucket + 1, map.rows)} ms: ${d.count} sample${d.count === 1 ? "" : "s"}`,
      }),
      annotationMark(annotations, {left: MARGIN.left, bottom: MARGIN.top + map.rows * ch, cellWidth: cw, cellHeight: ch, columns: map.columns, rows: map.rows}),
    ],
  });

  const legendHeight = options.legend === false ? 0 : 50;
  const titleHeight = options.title ? 22 : 0;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  const totalWidth = width;
  svg.setAttribute("width", String(totalWidth));
  svg.setAttribute("height", String(titleHeight + legendHeight + height));
  svg.setAttribute("viewBox", `0 0 ${totalWidth} ${titleHeight + legendHeight + height}`);
  svg.setAttribute("font-family", "Verdana, 'DejaVu Sans', sans-serif");
  const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  bg.setAttribute("width", "100%");
  bg.setAttribute("height", "100%");
  bg.setAttribute("fill", "#ffffff");
  svg.append(bg);
  if (options.title) {
    const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
    t.setAttribute("x", String(MARGIN.left));
    t.setAttribute("y", "16");
    t.setAttribute("font-size", "14");
    t.textContent = xmlSafeText(options.title);
    svg.append(t);
  }
  if (legendHeight) svg.append(colorLegend(document, color, map.maxCount, MARGIN.left, titleHeight + 8));
  chart.setAttribute("x", "0");
  chart.setAttribute("y", String(titleHeight + legendHeight));
  svg.append(chart);
  // As XML: HTML serialisation (outerHTML) writes entities such as &nbsp; that an SVG
  // file may not hold.
  const serializer = new (document.defaultView?.XMLSerializer ?? XMLSerializer)();
  return serializer.serializeToString(svg) + "\n";
}

/** A colour ramp (SVG gradient; Plot's own ramp legend needs a canvas) with ticks. */
function colorLegend(doc: Document, color: {domain: number[]; range: string[]}, max: number, x: number, y: number): SVGGElement {
  const ns = "http://www.w3.org/2000/svg";
  const el = <K extends string>(name: K, attrs: Record<string, string | number>) => {
    const e = doc.createElementNS(ns, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  };
  const width = 240, height = 10, top = max > 0 ? max : 1;
  const g = el("g", {transform: `translate(${x},${y})`, "font-size": 10}) as SVGGElement;
  // One id per scale: several heat maps on a page must not share a gradient.
  const id = `subsecond-ramp-${color.range.length}-${top}`;
  const gradient = el("linearGradient", {id});
  color.domain.forEach((d, i) => gradient.append(el("stop", {offset: `${(100 * d) / top}%`, "stop-color": color.range[i]})));
  const defs = el("defs", {});
  defs.append(gradient);
  g.append(defs);
  const label = el("text", {x: 0, y: 0, "font-weight": "bold"});
  label.textContent = "samples per cell";
  g.append(label);
  g.append(el("rect", {x: 0, y: 4, width, height, fill: `url(#${id})`, stroke: "#999", "stroke-width": 0.5}));
  const tickValues = [...new Set([0, ...color.domain.filter((d) => d > 0 && d < top).map(Math.round), top])];
  for (const v of tickValues) {
    const tx = (v / top) * width;
    g.append(el("line", {x1: tx, x2: tx, y1: 4, y2: 4 + height + 3, stroke: "#666"}));
    const t = el("text", {x: tx, y: 4 + height + 13, "text-anchor": "middle"});
    t.textContent = String(v);
    g.append(t);
  }
  return g;
}

const MARGIN_OPTIONS = {marginTop: MARGIN.top, marginRight: MARGIN.right, marginBottom: MARGIN.bottom, marginLeft: MARGIN.left};

function range(n: number): number[] {
  return Array.from({length: n}, (_, i) => i);
}

/** Where a heat map's cells are drawn: the chart's left edge and bottom (px), the cell
 * size, and the map's size in cells. */
export interface ChartGeometry {
  left: number;
  bottom: number;
  cellWidth: number;
  cellHeight: number;
  columns: number;
  rows: number;
}

type Point = [number, number];

/** The outlines of a selection part in chart px: a rectangle for a cell block or a
 * range within one second; for a range over several seconds the "snake" of cells it
 * covers (the first column from its start up, whole columns, the last column up to
 * its end), or two rectangles when a range over two seconds does not join up (it
 * ends lower in its second column than it started in the first). */
export function partOutlines(part: SelectionPart, g: ChartGeometry): Point[][] {
  const h = g.rows * g.cellHeight;
  const x = (s: number) => g.left + Math.max(0, Math.min(g.columns, s)) * g.cellWidth;
  const y = (offsetNs: number) => g.bottom - (offsetNs / NS) * h;
  const rect = (s0: number, s1: number, o0: number, o1: number): Point[] => [[x(s0), y(o0)], [x(s0), y(o1)], [x(s1 + 1), y(o1)], [x(s1 + 1), y(o0)]];
  if (part.kind === "cells") return [rect(part.s0, part.s1, bucketStart(part.b0, part.rows), bucketStart(part.b1 + 1, part.rows))];
  const s0 = secondOf(part.from), o0 = part.from - s0 * NS;
  const s1 = secondOf(Math.max(part.from, part.to - 1)), o1 = part.to - s1 * NS;
  if (s0 === s1) return [rect(s0, s0, o0, o1)];
  if (s1 === s0 + 1 && o1 <= o0) return [rect(s0, s0, o0, NS), rect(s1, s1, 0, o1)];
  return [[
    [x(s0), y(o0)], [x(s0), y(NS)], [x(s1), y(NS)], [x(s1), y(o1)],
    [x(s1 + 1), y(o1)], [x(s1 + 1), y(0)], [x(s0 + 1), y(0)], [x(s0 + 1), y(o0)],
  ]];
}

export interface AnnotationShape {
  annotation: Annotation;
  outlines: Point[][];
  /** Where its label goes (its baseline's start), or null when the label would
   * overlap one placed before it (neighbouring windows often share a label). */
  label: Point | null;
}

/** Annotations' outlines and label positions: each label just above the highest,
 * leftmost corner of its first outline. `charWidth` is about one label character. */
export function annotationShapes(annotations: Annotation[], g: ChartGeometry, charWidth = 6.5): AnnotationShape[] {
  const placed: {x0: number; x1: number; y: number}[] = [];
  return annotations.map((annotation) => {
    const outlines = annotation.parts.flatMap((part) => partOutlines(part, g));
    const first = outlines[0];
    const minY = Math.min(...first.map((p) => p[1]));
    const width = annotation.label.length * charWidth;
    // At the right edge, the label moves left to stay on the chart.
    const right = g.left + g.columns * g.cellWidth;
    const x = Math.max(g.left, Math.min(Math.min(...first.filter((p) => p[1] === minY).map((p) => p[0])) + 1, right - width));
    const y = Math.max(minY - 3, 10);
    const x1 = x + width;
    if (placed.some((p) => Math.abs(p.y - y) < 12 && x < p.x1 + 4 && x1 > p.x0 - 4)) return {annotation, outlines, label: null};
    placed.push({x0: x, x1, y});
    return {annotation, outlines, label: [x, y]};
  });
}

export function pointsText(points: Point[]): string {
  return points.map(([px, py]) => `${round(px)},${round(py)}`).join(" ");
}

function annotationMark(annotations: Annotation[], geometry: ChartGeometry) {
  return (_index: unknown, _scales: unknown, _values: unknown, _dimensions: unknown, context: {document: Document}) => {
    const doc = context.document;
    const ns = "http://www.w3.org/2000/svg";
    const g = doc.createElementNS(ns, "g");
    g.setAttribute("class", "annotations");
    for (const {annotation: a, outlines, label} of annotationShapes(annotations, geometry)) {
      const group = doc.createElementNS(ns, "g");
      const title = doc.createElementNS(ns, "title");
      title.textContent = xmlSafeText(a.note ? `${a.label}: ${a.note}` : a.label);
      group.append(title);
      for (const points of outlines) {
        const poly = doc.createElementNS(ns, "polygon");
        poly.setAttribute("points", pointsText(points));
        poly.setAttribute("fill", "none");
        poly.setAttribute("stroke", ANNOTATION_COLOR);
        poly.setAttribute("stroke-width", "1.5");
        group.append(poly);
      }
      if (label) {
        // A white halo keeps the label legible on red cells.
        const text = doc.createElementNS(ns, "text");
        text.setAttribute("x", String(round(label[0])));
        text.setAttribute("y", String(round(label[1])));
        text.setAttribute("font-size", "10");
        text.setAttribute("fill", ANNOTATION_COLOR);
        text.setAttribute("stroke", "#ffffff");
        text.setAttribute("stroke-width", "3");
        text.setAttribute("paint-order", "stroke");
        text.textContent = xmlSafeText(a.label);
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
