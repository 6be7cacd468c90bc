// The heat map as a standalone SVG, drawn with Observable Plot cell marks: seconds on
// x, offset within the second on y (0 at the bottom), colour = samples, a tooltip per
// cell, a colour legend, and annotations as labelled outlines. Needs a DOM: the
// browser's, or a server-side one (jsdom; see `svgDocument` in ../node.js).
import * as Plot from "@observablehq/plot";
import type {Annotation} from "../annotations.js";
import type {Heatmap} from "../heatmap.js";
import type {SelectionPart} from "../selection.js";
import {bucketStart, NS, secondOf} from "../time.js";
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
      annotationMark(annotations, map, cw, ch),
    ],
  });
  chart.setAttribute("xmlns", "http://www.w3.org/2000/svg");

  const legendHeight = options.legend === false ? 0 : 50;
  const titleHeight = options.title ? 22 : 0;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
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
    t.textContent = options.title;
    svg.append(t);
  }
  if (legendHeight) svg.append(colorLegend(document, color, map.maxCount, MARGIN.left, titleHeight + 8));
  chart.setAttribute("x", "0");
  chart.setAttribute("y", String(titleHeight + legendHeight));
  svg.append(chart);
  return svg.outerHTML + "\n";
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
  const gradient = el("linearGradient", {id: "subsecond-ramp"});
  color.domain.forEach((d, i) => gradient.append(el("stop", {offset: `${(100 * d) / top}%`, "stop-color": color.range[i]})));
  const defs = el("defs", {});
  defs.append(gradient);
  g.append(defs);
  const label = el("text", {x: 0, y: 0, "font-weight": "bold"});
  label.textContent = "samples per cell";
  g.append(label);
  g.append(el("rect", {x: 0, y: 4, width, height, fill: "url(#subsecond-ramp)", stroke: "#999", "stroke-width": 0.5}));
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

/** The outline of a selection part in chart px: a rectangle for a cell block or a
 * range within one second; for a range over several seconds the "snake" of cells it
 * covers (the first column from its start up, whole columns, the last column up to
 * its end). */
export function partOutline(part: SelectionPart, map: Heatmap, cw: number, ch: number): [number, number][] {
  const left = MARGIN.left, bottom = MARGIN.top + map.rows * ch, h = map.rows * ch;
  const x = (s: number) => left + Math.max(0, Math.min(map.columns, s)) * cw;
  const y = (offsetNs: number) => bottom - (offsetNs / NS) * h;
  if (part.kind === "cells") {
    const y0 = y(bucketStart(part.b0, part.rows)), y1 = y(bucketStart(part.b1 + 1, part.rows));
    return [[x(part.s0), y0], [x(part.s0), y1], [x(part.s1 + 1), y1], [x(part.s1 + 1), y0]];
  }
  const s0 = secondOf(part.from), o0 = part.from - s0 * NS;
  const s1 = secondOf(Math.max(part.from, part.to - 1)), o1 = part.to - s1 * NS;
  if (s0 === s1) return [[x(s0), y(o0)], [x(s0), y(o1)], [x(s0 + 1), y(o1)], [x(s0 + 1), y(o0)]];
  return [
    [x(s0), y(o0)], [x(s0), y(NS)], [x(s1), y(NS)], [x(s1), y(o1)],
    [x(s1 + 1), y(o1)], [x(s1 + 1), y(0)], [x(s0 + 1), y(0)], [x(s0 + 1), y(o0)],
  ];
}

function annotationMark(annotations: Annotation[], map: Heatmap, cw: number, ch: number) {
  return (_index: unknown, _scales: unknown, _values: unknown, _dimensions: unknown, context: {document: Document}) => {
    const doc = context.document;
    const ns = "http://www.w3.org/2000/svg";
    const g = doc.createElementNS(ns, "g");
    g.setAttribute("class", "annotations");
    for (const a of annotations) {
      const group = doc.createElementNS(ns, "g");
      const title = doc.createElementNS(ns, "title");
      title.textContent = a.note ? `${a.label}: ${a.note}` : a.label;
      group.append(title);
      let labelled = false;
      for (const part of a.parts) {
        const points = partOutline(part, map, cw, ch);
        const poly = doc.createElementNS(ns, "polygon");
        poly.setAttribute("points", points.map(([px, py]) => `${round(px)},${round(py)}`).join(" "));
        poly.setAttribute("fill", "none");
        poly.setAttribute("stroke", ANNOTATION_COLOR);
        poly.setAttribute("stroke-width", "1.5");
        group.append(poly);
        if (!labelled) {
          // Above the shape's top-left corner, with a halo to stay legible on cells.
          const minY = Math.min(...points.map((p) => p[1]));
          const minX = Math.min(...points.filter((p) => p[1] === minY).map((p) => p[0]));
          const text = doc.createElementNS(ns, "text");
          text.setAttribute("x", String(round(minX + 1)));
          text.setAttribute("y", String(round(Math.max(minY - 3, 10))));
          text.setAttribute("font-size", "10");
          text.setAttribute("fill", ANNOTATION_COLOR);
          text.setAttribute("stroke", "#ffffff");
          text.setAttribute("stroke-width", "3");
          text.setAttribute("paint-order", "stroke");
          text.textContent = a.label;
          group.append(text);
          labelled = true;
        }
      }
      g.append(group);
    }
    return g;
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
