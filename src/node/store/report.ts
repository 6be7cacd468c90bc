// The pages a store's report adds to the profile pages `subsecond report` builds:
// store.html, the captures on a wall-clock timeline per host (each linked to its
// profile page) and their list, and fleet.html, the fleet heat map by host. Static
// HTML without scripts; every host, file and label text is escaped.
import type {Heatmap} from "../../lib/heatmap.js";
import {escapeXml} from "../../lib/render/escape.js";
import {hostHeatmapsSvg} from "./render.js";
import type {HostHeatmap} from "./store.js";

/** A capture as the report lists it (ProfileStore.list's rows). */
export interface ReportCapture {
  profile: string;
  host: string;
  source: string;
  labels: string;
  start: Date | null;
  seconds: number;
  samples: number;
}

/** No script, nothing from outside the page (the heat maps are inline SVG). */
const POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${POLICY}">
<link rel="icon" href="data:,">
<title>${escapeXml(title)}</title>
<style>body{font-family:Verdana,'DejaVu Sans',sans-serif;font-size:13px;margin:16px;color:#222}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left;border-bottom:1px solid #eee}.figure{overflow-x:auto}</style>
</head><body>
${body}
</body></html>
`;
}

const TIMELINE = {left: 120, width: 880, row: 22, top: 8, axis: 34};

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The captures on one wall-clock axis, a row per host, each a link to its page. */
export function capturesTimelineSvg(captures: ReportCapture[], profileHref: (profile: string) => string | null): string {
  const timed = captures.filter((c) => c.start !== null);
  const hosts = [...new Set(timed.map((c) => c.host))].sort();
  if (hosts.length === 0) return "";
  const t0 = Math.min(...timed.map((c) => c.start!.getTime()));
  const t1 = Math.max(...timed.map((c) => c.start!.getTime() + c.seconds * 1000));
  const span = Math.max(1, t1 - t0);
  const x = (ms: number) => TIMELINE.left + ((ms - t0) / span) * TIMELINE.width;
  const height = TIMELINE.top + hosts.length * TIMELINE.row + TIMELINE.axis;
  const rows = hosts.map((host, k) => {
    const y = TIMELINE.top + k * TIMELINE.row;
    const bars = timed.filter((c) => c.host === host).map((c) => {
      const from = x(c.start!.getTime()), w = Math.max(2, x(c.start!.getTime() + c.seconds * 1000) - from);
      const rect = `<rect x="${from.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${TIMELINE.row - 6}" fill="#d62728"><title>${escapeXml(`${c.host} ${c.source}: ${iso(c.start!.getTime())}, ${c.seconds.toFixed(1)} s, ${c.samples} samples ${c.labels}`)}</title></rect>`;
      const href = profileHref(c.profile);
      return href === null ? rect : `<a href="${escapeXml(href)}">${rect}</a>`;
    });
    return `<text x="${TIMELINE.left - 6}" y="${y + TIMELINE.row / 2 + 4}" text-anchor="end">${escapeXml(host)}</text>\n${bars.join("\n")}`;
  });
  const axisY = TIMELINE.top + hosts.length * TIMELINE.row;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const ms = t0 + f * span;
    return `<line x1="${x(ms).toFixed(1)}" x2="${x(ms).toFixed(1)}" y1="${axisY}" y2="${axisY + 4}" stroke="#888"/><text x="${x(ms).toFixed(1)}" y="${axisY + 16}" text-anchor="${f === 0 ? "start" : f === 1 ? "end" : "middle"}">${iso(ms).slice(0, 19).replace("T", " ")}</text>`;
  });
  const width = TIMELINE.left + TIMELINE.width + 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="store-timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-size="11" font-family="Verdana, 'DejaVu Sans', sans-serif">
<line x1="${TIMELINE.left}" x2="${TIMELINE.left + TIMELINE.width}" y1="${axisY}" y2="${axisY}" stroke="#888"/>
${rows.join("\n")}
${ticks.join("\n")}
<text x="${TIMELINE.left}" y="${axisY + 30}">wall clock (UTC) →</text>
</svg>`;
}

/** store.html: the timeline, then every capture with a link to its profile page. */
export function storeIndexHtml(name: string, captures: ReportCapture[], profileHref: (profile: string) => string | null): string {
  const rows = captures.map((c) => {
    const href = profileHref(c.profile);
    const source = escapeXml(c.source);
    return `<tr><td>${escapeXml(c.host)}</td><td>${c.start ? iso(c.start.getTime()) : "-"}</td><td>${c.seconds.toFixed(1)}</td><td>${c.samples}</td>` +
      `<td>${href === null ? `${source} (no profile page: the file is gone)` : `<a href="${escapeXml(href)}">${source}</a>`}</td><td>${escapeXml(c.labels)}</td><td><code>${escapeXml(c.profile)}</code></td></tr>`;
  });
  const hosts = new Set(captures.map((c) => c.host)).size;
  return page(`${name}: profile store`, `<h1>Profile store ${escapeXml(name)}</h1>
<p>${captures.length} captures on ${hosts} hosts. <a href="fleet.html">Fleet heat map by host</a> · <a href="index.html">all profile pages</a></p>
<div class="figure">${capturesTimelineSvg(captures, profileHref)}</div>
<table><thead><tr><th>host</th><th>start</th><th>seconds</th><th>samples</th><th>capture</th><th>labels</th><th>id</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`);
}

/** fleet.html: the whole fleet's heat map, then one strip per host on the same axis. */
export function fleetPageHtml(name: string, fleet: Heatmap, strips: HostHeatmap[]): string {
  const cellWidth = Math.max(2, Math.min(8, Math.floor(1200 / Math.max(1, fleet.columns))));
  const options = {cellWidth, compactCells: true, cellTitles: false} as const;
  return page(`${name}: fleet heat map`, `<h1>Fleet heat map of ${escapeXml(name)}</h1>
<p><a href="store.html">captures</a> · x = wall-clock seconds; samples (not idle) of every capture summed per cell, then one strip per host on the same axis.</p>
<div class="figure">${hostHeatmapsSvg([{host: "all hosts", confidence: null, rank: null, axis: "wall", period: null, map: fleet}], options)}</div>
<div class="figure">${hostHeatmapsSvg(strips, options)}</div>`);
}
