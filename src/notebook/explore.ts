// explore(profile): the report page's workbench inside a notebook output. The output is
// HTML holding three things:
//   - the static figures (the heat map and the flame graph of all the samples, inline
//     script-free SVG), which every Jupyter shows, trusted or not, and nbconvert keeps;
//   - the samples, as JSON (src/lib/explore-data.ts: base64 Arrow columns of only what
//     is explored), capped in size;
//   - one script, the esbuild bundle of src/components/explore-entry.ts (built beside
//     the package by scripts/jupyter-kernel.js), which replaces the figures with the
//     interactive view where Jupyter runs an output's scripts: in notebooks it trusts.
// Nothing is fetched and nothing goes back to the kernel.
import {readFileSync} from "node:fs";
import type {ExploreSiteLink} from "../components/explore-view.js";
import type {ExplorePayload} from "../components/explore-entry.js";
import {encodeExploreData, viewProfile} from "../lib/explore-data.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {flameTree} from "../lib/flametree.js";
import {DEFAULT_ROWS, heatmap} from "../lib/heatmap.js";
import {profileName} from "../lib/annotations.js";
import {formatCount, slugs} from "../lib/format.js";
import {durationSeconds, hasTimes, type Profile} from "../lib/profile.js";
import {escapeXml} from "../lib/render/escape.js";
import {flameGraphSvg} from "../lib/render/flamegraph.js";
import {heatmapSvg} from "../lib/render/heatmap.js";
import type {HeatmapPalette} from "../lib/render/palette.js";
import {timeRange} from "../lib/selection.js";
import {sampleView} from "../lib/view.js";
import {svgDocument} from "../node/index.js";

export interface ExploreOptions extends AnalysisOptions {
  /** Buckets per second (default 50). */
  rows?: number;
  palette?: HeatmapPalette;
  /** Explore only the samples from `from` to `to` seconds since the origin (the heat
   * map's axis stays the profile's, so selections and links mean the same). */
  from?: number;
  to?: number;
  /** The report site's address ("http://localhost:8000/"), for links that open there;
   * without it the link is shown as a path relative to the site. */
  site?: string;
  /** The most the samples may take in the output (bytes of JSON; default 4 MB). */
  maxBytes?: number;
}

export const EXPLORE_MAX_BYTES = 4_000_000;
const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The explore output's HTML and text, with `script` as its script (default: the
 * package's bundle). Throws, saying what to do, when the samples are over maxBytes. */
export function exploreDisplay(profile: Profile, options: ExploreOptions = {}, script = exploreScript()): {"text/html": string; "text/plain": string} {
  if (!hasTimes(profile)) throw new Error(`explore: ${profile.source} has no sample timestamps, so no heat map: show(flameTree(profile)) draws its flame graph`);
  const {rows = DEFAULT_ROWS, palette = "steps", idle, filter} = options;
  const window = options.from !== undefined || options.to !== undefined ? [timeRange(options.from ?? 0, options.to ?? durationSeconds(profile))] : null;
  const view = sampleView(profile, window, {idle, filter});
  const explored = viewProfile(view);
  const site: ExploreSiteLink = {base: options.site ?? "", slug: slugs([profileName(profile.source)])[0], view: siteView(profile, options)};
  const payload: ExplorePayload = {data: encodeExploreData(explored), file: profile.source, rows, palette, site};
  // In a <script> element nothing may read as "</script" or "<!--": JSON allows < as \u003c.
  const json = JSON.stringify(payload).replace(/</g, "\\u003c");
  const maxBytes = options.maxBytes ?? EXPLORE_MAX_BYTES;
  if (json.length > maxBytes) {
    const seconds = Math.max(1, Math.floor((durationSeconds(explored) * maxBytes) / json.length));
    throw new Error(
      `explore: the ${formatCount(explored.samples.length)} samples of ${profile.source} take ${MB(json.length)} in an output, over the ${MB(maxBytes)} limit: ` +
        `explore a time window of about ${seconds} s (explore(profile, {from, to})), filter the samples (filter: {comm: …}), or raise maxBytes`,
    );
  }
  const all = {idle: "keep" as const};
  const map = heatmap(explored, {rows, ...all});
  const tree = flameTree(explored, null, all);
  const cellWidth = Math.max(2, Math.min(8, Math.floor(900 / map.columns)));
  const figures = [
    heatmapSvg(map, {cellWidth, compactCells: true, palette, document: svgDocument()}),
    flameGraphSvg(tree, {width: 960, interactive: false, title: `${profile.source}: ${window ? "the window" : "whole profile"}`}),
  ].map((svg) => `<div class="subsecond-figure" style="overflow-x:auto">${svg.replace(/^<\?xml[^>]*>\s*/, "")}</div>`);
  const html = [
    `<div class="subsecond-explore">`,
    `<div class="subsecond-explore-static">`,
    `<p style="color:#6b6b6b;font:13px sans-serif">${escapeXml(profile.source)}: ${formatCount(tree.samples)} samples. Selecting on this heat map needs the output's script, which Jupyter runs in notebooks it trusts (File → Trust Notebook, or <code>jupyter trust NOTEBOOK.ipynb</code>) once the cell has run or the notebook is reopened.</p>`,
    ...figures,
    `</div>`,
    `<div class="subsecond-explore-live"></div>`,
    `<script type="application/json" class="subsecond-explore-data">${json}</script>`,
    `<script>${script}</script>`,
    `</div>`,
  ].join("\n");
  const text = `explore ${profile.source}: ${formatCount(tree.samples)} samples over ${map.columns} s, ${rows} rows (interactive in a trusted notebook)`;
  return {"text/html": html, "text/plain": text};
}

/** The site page's settings matching the samples explored, as far as its links carry
 * them (one pid, tid or CPU; comm and frame filters have no link form). */
function siteView(profile: Profile, options: ExploreOptions): ExploreSiteLink["view"] {
  const {filter = {}} = options;
  const one = (v: number | number[] | undefined) => (typeof v === "number" ? v : Array.isArray(v) && v.length === 1 ? v[0] : null);
  const event = filter.event === undefined ? null : typeof filter.event === "number" ? (profile.events[filter.event]?.name ?? null) : filter.event;
  return {
    rows: options.rows ?? DEFAULT_ROWS,
    idle: typeof options.idle === "string" ? options.idle : "default",
    pid: one(filter.pid), tid: one(filter.tid), cpu: one(filter.cpu), event,
  };
}

let bundle: string | undefined;

/** The output's script: explore.js beside the package's bundle. */
export function exploreScript(): string {
  const file = new URL("./explore.js", import.meta.url);
  try {
    return (bundle ??= readFileSync(file, "utf8"));
  } catch {
    throw new Error(`explore: its script ${file.pathname} is missing: node scripts/jupyter-kernel.js builds it (the kernel does when it starts)`);
  }
}
