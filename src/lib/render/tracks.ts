// Timelines drawn above a heat map on its x axis (seconds since the origin): a lane
// per kind of event (GC pauses, concurrent phases, log events: ranges as bars,
// instants as ticks, coloured by kind) and a step line per metric series. One Plot
// chart per track with the heat map's left margin and cell width, so a second on a
// track is the column below it. Every mark has a <title>: hovering shows its values.
import * as Plot from "@observablehq/plot";
import type {AlignedTrack} from "../timeline/align.js";
import type {HeatmapChartGeometry} from "./geometry.js";
import {xmlSafeText} from "./escape.js";

/** Colours of the kinds the importers give; other kinds take OTHER_KIND_COLOR. */
export const TRACK_KIND_COLORS: Record<string, string> = {
  young: "#4e79a7", mixed: "#f28e2b", full: "#e15759", remark: "#76b7b2", cleanup: "#59a14f",
  concurrent: "#bab0ac", pause: "#edc948", scavenge: "#4e79a7", "mark-compact": "#e15759",
  "minor-mark-compact": "#f28e2b", event: "#9c755f",
};
export const OTHER_KIND_COLOR = "#b07aa1";

export interface TrackChartOptions {
  document?: Document;
  /** Height of one lane of events, px (default 14). */
  laneHeight?: number;
  /** Height of one metric series' chart, px (default 70). */
  seriesHeight?: number;
}

export interface TrackEventDatum {
  start: number;
  end: number;
  kind: string;
  label: string;
  title: string;
}

/** A track's events as records, in seconds since the origin: what the charts draw and
 * what a page turns into annotations. */
export function trackEvents(aligned: AlignedTrack): TrackEventDatum[] {
  const {track, start} = aligned;
  const e = track.events, s = track.strings;
  const out: TrackEventDatum[] = [];
  for (let i = 0; i < e.length; i++) {
    const kind = s[e.kind[i]], label = s[e.label[i]], detail = e.detail[i] >= 0 ? s[e.detail[i]] : "";
    const d = e.duration[i];
    const when = `${start[i].toFixed(3)} s${d > 0 ? ` – ${(start[i] + d).toFixed(3)} s (${+(d * 1e3).toFixed(3)} ms)` : ""}`;
    out.push({start: start[i], end: start[i] + d, kind, label, title: xmlSafeText(`${label}${detail ? `\n${detail}` : ""}\n${kind}: ${when}`)});
  }
  return out;
}

/** One chart of a track: its events' (with the events it draws, in the order of its
 * bars, each bar's index in `data-event`), or one metric series' (its index). */
export interface TrackChart {
  svg: SVGSVGElement;
  height: number;
  events?: TrackEventDatum[];
  series?: number;
}

/** The events a track's chart draws on a map of `columns` columns, and their kinds (a
 * lane each, in order of first appearance). */
function drawnEvents(aligned: AlignedTrack, columns: number): {events: TrackEventDatum[]; kinds: string[]} {
  const events = trackEvents(aligned).filter((d) => d.end >= 0 && d.start <= columns);
  return {events, kinds: [...new Set(events.map((d) => d.kind))]};
}

/** A series chart's height in px, its name's line included. */
const seriesChartHeight = (options: TrackChartOptions) => (options.seriesHeight ?? 70) + 16;
/** An events chart's height in px: a lane per kind (one when there are none) and its name's line. */
const eventsChartHeight = (kinds: string[], options: TrackChartOptions) => Math.max(1, kinds.length) * (options.laneHeight ?? 14) + 16;

/** The heights in px of the charts trackCharts draws of a track above a map of
 * `columns` columns, top to bottom: what a page leaves room for. */
export function trackChartHeights(aligned: AlignedTrack, columns: number, options: TrackChartOptions = {}): number[] {
  if (aligned.track.series.length) return aligned.track.series.map(() => seriesChartHeight(options));
  return [eventsChartHeight(drawnEvents(aligned, columns).kinds, options)];
}

/** The charts of one track, top to bottom: one for its events (a lane per kind), or
 * one per metric series; each with its height in px. */
export function trackCharts(aligned: AlignedTrack, g: HeatmapChartGeometry, options: TrackChartOptions = {}): TrackChart[] {
  const document = options.document ?? globalThis.document;
  if (!document) throw new Error("drawing a track needs a DOM: pass {document}");
  const x = {type: "linear" as const, domain: [0, g.columns], axis: null};
  const frame = {document, width: g.width, marginLeft: g.left, marginRight: g.width - g.right, marginTop: 14, marginBottom: 2, style: {background: "#ffffff", fontFamily: "Verdana, 'DejaVu Sans', sans-serif", fontSize: "10px", maxWidth: "none"}};
  const track = aligned.track;
  if (track.series.length) {
    const height = seriesChartHeight(options);
    return track.series.map((series, k) => {
      const name = xmlSafeText(series.name);
      const data = Array.from(series.value, (value, i) => ({time: aligned.seriesTime[k][i], value})).filter((d) => d.time >= 0 && d.time <= g.columns);
      const svg = Plot.plot({
        ...frame, height, ariaLabel: `Track ${xmlSafeText(track.name)}: ${name}`,
        x, y: {axis: "left", label: null, ticks: 3, grid: true, nice: true, zero: true},
        marks: [
          Plot.frame({stroke: "#ddd"}),
          Plot.lineY(data, {x: "time", y: "value", curve: "step-after", stroke: "#4e79a7", strokeWidth: 1.2}),
          Plot.dot(data, {x: "time", y: "value", r: 1.5, fill: "#4e79a7", title: (d: {time: number; value: number}) => `${name}: ${d.value} at ${d.time.toFixed(3)} s`}),
        ],
      }) as SVGSVGElement;
      return {svg: finish(svg, `${track.name}: ${series.name}`), height, series: k};
    });
  }
  const {events, kinds} = drawnEvents(aligned, g.columns);
  const height = eventsChartHeight(kinds, options);
  // At least a pixel and a half wide: a 2 ms pause at 8 px a second is a sixtieth of a pixel.
  const minWidth = 1.5 / g.cellWidth;
  const colors = kinds.map((k) => TRACK_KIND_COLORS[k] ?? OTHER_KIND_COLOR);
  const svg = Plot.plot({
    ...frame, height, ariaLabel: `Track ${xmlSafeText(track.name)}`,
    x, y: {type: "band", domain: kinds, axis: null, padding: 0.15}, color: {type: "ordinal", domain: kinds, range: colors},
    marks: [
      Plot.frame({stroke: "#ddd"}),
      Plot.rectX(events, {x1: "start", x2: (d: TrackEventDatum) => Math.max(d.end, d.start + minWidth), y: "kind", fill: "kind", title: "title"}),
      // each lane's kind at its left end, in its colour: the key
      Plot.text(kinds, {x: 0, y: (k: string) => k, text: (k: string) => k, fill: (k: string) => k, textAnchor: "start", dx: 2, fontSize: 9, stroke: "#ffffff", strokeWidth: 3, paintOrder: "stroke", pointerEvents: "none"}),
    ],
  }) as SVGSVGElement;
  // Plot draws a bar per datum in order: number them, for pages that act on a bar.
  svg.querySelectorAll('g[aria-label="rect"] rect').forEach((rect, i) => rect.setAttribute("data-event", String(i)));
  return [{svg: finish(svg, track.name), height, events}];
}

/** The track's name above its chart. */
function finish(svg: SVGSVGElement, name: string): SVGSVGElement {
  svg.classList.add("subsecond-track-chart");
  const doc = svg.ownerDocument;
  const text = (x: number, content: string, attrs: Record<string, string | number>) => {
    const t = doc.createElementNS("http://www.w3.org/2000/svg", "text");
    for (const [k, v] of Object.entries({x, y: 10, "font-size": 10, "text-anchor": "start", ...attrs})) t.setAttribute(k, String(v));
    t.textContent = xmlSafeText(content);
    svg.append(t);
  };
  text(4, name, {"font-weight": "bold"});
  return svg;
}
