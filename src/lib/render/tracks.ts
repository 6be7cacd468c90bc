// Timelines drawn above a heat map on its x axis (seconds since the origin): a lane
// per kind of event (GC pauses, concurrent phases, log events: ranges as bars,
// instants as ticks, coloured by kind) and a step line per metric series. One Plot
// chart per track with the heat map's left margin and cell width, so a second on a
// track is the column below it. Every mark has a <title>: hovering shows its values.
import * as Plot from "@observablehq/plot";
import type {AlignedTrack} from "../timeline/align.js";
import type {HeatmapChartGeometry} from "./heatmap.js";
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
  /** Height of one lane of events, px (default 16). */
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

/** The chart of one track: its height in px and the <svg>. */
export function trackChart(aligned: AlignedTrack, g: HeatmapChartGeometry, options: TrackChartOptions = {}): {svg: SVGSVGElement; height: number} {
  const document = options.document ?? globalThis.document;
  if (!document) throw new Error("drawing a track needs a DOM: pass {document}");
  const x = {type: "linear" as const, domain: [0, g.columns], axis: null};
  const frame = {document, width: g.width, marginLeft: g.left, marginRight: g.width - g.right, style: {background: "#ffffff", fontFamily: "Verdana, 'DejaVu Sans', sans-serif", fontSize: "10px", maxWidth: "none"}};
  const track = aligned.track;
  if (track.series.length) {
    const seriesHeight = options.seriesHeight ?? 70;
    const data = track.series.flatMap((s, k) => Array.from(s.value, (v, i) => ({series: xmlSafeText(s.name), time: aligned.seriesTime[k][i], value: v})))
      .filter((d) => d.time >= 0 && d.time <= g.columns);
    const height = seriesHeight * track.series.length + 16;
    const svg = Plot.plot({
      ...frame, height, marginTop: 14, marginBottom: 2, ariaLabel: `Track ${xmlSafeText(track.name)}`,
      x, y: {axis: "left", label: null, ticks: 3, grid: true, nice: true},
      fy: {label: null, axis: "right", tickFormat: (s: string) => s},
      marks: [
        Plot.frame({stroke: "#ddd"}),
        Plot.lineY(data, {x: "time", y: "value", fy: "series", curve: "step-after", stroke: "#4e79a7", strokeWidth: 1.2}),
        Plot.dot(data, {x: "time", y: "value", fy: "series", r: 1.5, fill: "#4e79a7", title: (d: {series: string; time: number; value: number}) => `${d.series}: ${d.value} at ${d.time.toFixed(3)} s`}),
      ],
    }) as SVGSVGElement;
    return {svg: finish(svg, track.name, g), height};
  }
  const events = trackEvents(aligned).filter((d) => d.end >= 0 && d.start <= g.columns);
  const kinds = [...new Set(events.map((d) => d.kind))];
  const lane = options.laneHeight ?? 16;
  const height = Math.max(1, kinds.length) * lane + 16;
  // At least a pixel wide: a 2 ms pause at 8 px a second is a sixtieth of a pixel.
  const minWidth = 1.5 / g.cellWidth;
  const color = {type: "ordinal" as const, domain: kinds, range: kinds.map((k) => TRACK_KIND_COLORS[k] ?? OTHER_KIND_COLOR)};
  const svg = Plot.plot({
    ...frame, height, marginTop: 14, marginBottom: 2, ariaLabel: `Track ${xmlSafeText(track.name)}`,
    x, y: {type: "band", domain: kinds, axis: "right", label: null, padding: 0.15}, color,
    marks: [
      Plot.frame({stroke: "#ddd"}),
      Plot.rectX(events, {x1: "start", x2: (d: TrackEventDatum) => Math.max(d.end, d.start + minWidth), y: "kind", fill: "kind", title: "title"}),
    ],
  }) as SVGSVGElement;
  return {svg: finish(svg, track.name, g), height};
}

function finish(svg: SVGSVGElement, name: string, g: HeatmapChartGeometry): SVGSVGElement {
  svg.classList.add("subsecond-track-chart");
  const label = svg.ownerDocument.createElementNS("http://www.w3.org/2000/svg", "text");
  for (const [k, v] of Object.entries({x: g.left, y: 10, "font-size": 10, "font-weight": "bold"})) label.setAttribute(k, String(v));
  label.textContent = xmlSafeText(name);
  svg.append(label);
  return svg;
}
