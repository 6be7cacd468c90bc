// Drawings of a store's query results: the fleet heat map and its strips by host, the
// library's renderers (heatmapSvg) with titles that say what the x axis is. The CLI,
// notebooks and the store report draw them the same way.
import type {Heatmap} from "../../lib/heatmap.js";
import {heatmapSvg, type HeatmapSvgOptions} from "../../lib/render/heatmap.js";
import {svgDocument} from "../index.js";
import type {HostHeatmap} from "./store.js";

export interface FleetAxis {
  axis?: "wall" | "capture";
  period?: number;
}

/** What a fleet heat map's x axis is, in words: with the wall-clock time of column 0. */
export function fleetAxisText(map: Heatmap, {axis = "wall", period}: FleetAxis): string {
  if (period) return `second within ${period} s periods`;
  if (axis === "capture") return "seconds since each capture's origin";
  return map.wallClock === null ? "wall-clock seconds" : `wall-clock seconds from ${new Date(map.wallClock).toISOString().replace(".000Z", "Z")}`;
}

/** The fleet heat map as an SVG document. */
export function fleetHeatmapSvg(map: Heatmap, axis: FleetAxis = {}): string {
  return heatmapSvg(map, {document: svgDocument(), title: `${map.samples} samples; x = ${fleetAxisText(map, axis)}`});
}

/** One heat map per host, one above the other in one SVG document: the strips of
 * ProfileStore.heatmapsByHost share their seconds, so their columns line up. */
export function hostHeatmapsSvg(strips: HostHeatmap[], options: Omit<HeatmapSvgOptions, "document" | "title"> = {}): string {
  return stackSvgs(strips.map(({host, confidence, rank, axis, period, map}) => heatmapSvg(map, {
    ...options,
    document: svgDocument(),
    title: `${host}${rank ? `: strongest ${rank} ${(confidence ?? 0).toFixed(2)}` : ""}; ${map.samples} samples; x = ${fleetAxisText(map, {axis, period: period ?? undefined})}`,
  })));
}

/** A fleet heat map as JSON: counts per column (one array of rows per second). */
export function fleetHeatmapJson(map: Heatmap, {axis = "wall", period}: FleetAxis = {}): Record<string, unknown> {
  const values = Array.from({length: map.columns}, (_, s) => Array.from(map.counts.subarray(s * map.rows, (s + 1) * map.rows)));
  return {axis, period: period ?? null, firstSecond: map.origin, rows: map.rows, columns: map.columns, samples: map.samples, maxCount: map.maxCount, values};
}

/** SVG documents one above the other, in one SVG document. */
function stackSvgs(svgs: string[]): string {
  let y = 0, width = 0;
  const parts = svgs.map((svg) => {
    const body = svg.replace(/^<\?xml[^>]*>\s*/, "");
    const w = Number(/\bwidth="([\d.]+)"/.exec(body)?.[1] ?? 0), h = Number(/\bheight="([\d.]+)"/.exec(body)?.[1] ?? 0);
    const placed = body.replace(/^<svg\b/, `<svg y="${y}"`);
    y += h;
    width = Math.max(width, w);
    return placed;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}">\n${parts.join("\n")}\n</svg>\n`;
}
