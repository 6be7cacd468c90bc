// Notebooks (Jupyter with the tslab kernel): display helpers and selections that read
// naturally, on top of the whole library. This module is the entry of the package
// "subsecond" that notebooks import (scripts/jupyter-kernel.js builds it), so it also
// re-exports the library, Node file access, the Arquero tables, the renderers and the
// synthetic pattern profiles.
//
//   import {readProfile, heatmap, flameTree, seconds, show} from "subsecond";
//   const profile = await readProfile("../examples/app.perf.gz");
//   show(heatmap(profile));
//   show(flameTree(profile, seconds(12, 14.5)));
//
// Node-only (jsdom, the tslab kernel): browsers use ../lib/index.js.
import * as aq from "arquero";
import {ColumnTable} from "arquero";
import {createRequire} from "node:module";
import {annotationGroups, findAnnotation} from "../lib/annotations.js";
import type {FlameTree} from "../lib/flametree.js";
import {periodOption, type Heatmap} from "../lib/heatmap.js";
import type {PatternInstance} from "../lib/patterns/types.js";
import type {Profile} from "../lib/profile.js";
import {escapeXml} from "../lib/render/escape.js";
import {flameGraphSvg, type FlameSvgOptions} from "../lib/render/flamegraph.js";
import {heatmapSummary, heatmapSvg, type HeatmapSvgOptions} from "../lib/render/heatmap.js";
import {topFunctions} from "../lib/flametree.js";
import {svgDocument} from "../node/index.js";
import {cellBlock, timeRange, type SelectionPart} from "../lib/selection.js";
import {formatSummary, type ProfileSummary} from "../lib/summary.js";
import {exploreDisplay, type ExploreOptions} from "./explore.js";
import {alignTrack, type AlignedTrack, type AlignOptions} from "../lib/timeline/align.js";
import type {ReadTrackOptions} from "../lib/timeline/index.js";
import {conditionSelection, conditionText, parseCondition, type ConditionSelection} from "../lib/timeline/when.js";
import {readTrackFile} from "../node/index.js";
import {diffTrees} from "../lib/diff.js";
import {flameTree} from "../lib/flametree.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {sampleView} from "../lib/view.js";
import {hostHeatmapsSvg} from "../node/store/render.js";
import type {HostHeatmap} from "../node/store/store.js";

export * from "../lib/index.js";
export * from "../node/index.js";
export * from "./tables.js";
export {openStore, NotebookStore, type StoreFlameOptions} from "./store.js";
export {exploreDisplay, EXPLORE_MAX_BYTES, type ExploreOptions} from "./explore.js";
/** The patterns of a profile, as notebooks call them: `show(patterns(profile))`, then
 * `annotate(profile, pattern)` to accept one. */
export {findPatterns as patterns} from "../lib/patterns/index.js";

// ---- timelines ------------------------------------------------------------------

/** A timeline file (GC log, --trace-gc output, metrics CSV/JSON, event log) placed on
 * the profile's time axis; show it with the heat map: show(heatmap(p), {tracks: [t]}).
 * Its `alignment.text` says how it was placed, `warnings` what to check. */
export function track(profile: Profile, file: string, options: ReadTrackOptions & AlignOptions = {}): AlignedTrack {
  return alignTrack(readTrackFile(file, options), profile, options);
}

/** "What differs when the metric is high": the differential flame graph of where
 * `condition` holds (`latency_p99_ms>100`, `latency_p99_ms>=p90`,
 * `latency_p99_ms top 10%`: the CLI's --when) against the rest; `text` says what it
 * selected, as the CLI does. */
export function whenDiff(profile: Profile, tracks: AlignedTrack[], condition: string, options: AnalysisOptions = {}): {when: ConditionSelection; text: string; tree: FlameTree} {
  const parsed = parseCondition(condition);
  const when = conditionSelection(profile, tracks, parsed);
  const rest = flameTree(sampleView(profile, when.rest, options));
  if (rest.samples === 0) throw new Error(`the rest of the profile (where ${condition} does not hold) has no samples`);
  return {when, text: conditionText(parsed, when), tree: diffTrees(flameTree(sampleView(profile, when.matching, options)), rest)};
}

// ---- selections ------------------------------------------------------------------

/** Samples from `from` to `to` seconds since the origin (the heat map's x axis). */
export function seconds(from: number, to: number): SelectionPart[] {
  return [timeRange(from, to)];
}

export interface CellsInput {
  /** A heat-map column, or the first and last (inclusive). */
  seconds: number | [number, number];
  /** A row (bucket), or the lowest and highest (inclusive); 0 is offset 0. */
  buckets: number | [number, number];
  /** Buckets per column of the heat map the cells are read from. */
  rows: number;
  /** The period of a folded heat map's columns ("15m", "500ms", or seconds), as given
   * to heatmap(profile, {period}); default one second. */
  period?: number | string;
}

/** A block of heat-map cells: only those offsets within those seconds. */
export function cells(input: CellsInput): SelectionPart[] {
  const [s0, s1] = typeof input.seconds === "number" ? [input.seconds, input.seconds] : input.seconds;
  const [b0, b1] = typeof input.buckets === "number" ? [input.buckets, input.buckets] : input.buckets;
  return [cellBlock(s0, s1, b0, b1, input.rows, periodOption(input.period))];
}

/** The samples of every annotation with this label (a sidecar often marks each GC
 * pause or each lock hold with the same label). */
export function annotation(profile: Profile, label: string): SelectionPart[] {
  findAnnotation(profile, label); // throws, naming the labels there are
  return annotationGroups(profile.annotations).find((g) => g.label === label)!.parts;
}

// ---- display ---------------------------------------------------------------------

export interface TableHtmlOptions {
  /** Rows shown (default 20); the rest are counted below the table. */
  limit?: number;
}

export type HeatmapShowOptions = Omit<HeatmapSvgOptions, "document">;
/** Flame graphs in notebooks are script-free (see explore() for the interactive view). */
export type FlameShowOptions = Omit<FlameSvgOptions, "interactive">;

/** A rich output, as tslab sends it to Jupyter: the same thing in several forms, of
 * which Jupyter shows the richest it may. Figures are HTML holding inline SVG (no
 * script), which Jupyter shows in notebooks it does not trust and nbconvert keeps in
 * HTML exports (both drop image/svg+xml), and text for everything else. */
export interface DisplayData {
  "text/html"?: string;
  "text/plain": string;
}

/** An Arquero table as an HTML table, missing values (a pivot's gaps) blank. Arquero's
 * toHTML escapes values but not column names, and names can come from the data (a
 * pivot on frame names), so they are escaped here first. */
export function tableHtml(table: ColumnTable, options: TableHtmlOptions = {}): string {
  const limit = options.limit ?? 20;
  const names = table.columnNames();
  const html = table.rename(Object.fromEntries(names.map((n) => [n, escapeXml(n)]))).toHTML({limit, null: () => ""});
  const rows = table.numRows();
  return rows > limit ? `${html}\n<p>${limit.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows</p>` : html;
}

/** An SVG string in an HTML output: scrolls rather than overflows the output area. */
function figureHtml(svg: string): string {
  return `<div class="subsecond-figure" style="overflow-x:auto">${svg.replace(/^<\?xml[^>]*>\s*/, "")}</div>`;
}

function isHeatmap(value: unknown): value is Heatmap {
  return (value as Heatmap)?.counts instanceof Uint32Array && typeof (value as Heatmap).rows === "number";
}

/** Strips of a store's heat map by host (NotebookStore.heatmapsByHost). */
function isHostHeatmaps(value: unknown): value is HostHeatmap[] {
  return Array.isArray(value) && value.length > 0 && value.every((s) => typeof s?.host === "string" && isHeatmap(s.map));
}

function isFlameTree(value: unknown): value is FlameTree {
  return Array.isArray((value as FlameTree)?.root?.children) && typeof (value as FlameTree).samples === "number";
}

function isPatternList(value: unknown): value is PatternInstance[] {
  return Array.isArray(value) && value.length > 0 && value.every((p) => typeof p?.kind === "string" && typeof p?.explanation === "string" && Array.isArray(p?.occurrences));
}

/** Detected patterns (findPatterns) as a table: what, how sure, the code, when. */
function patternsHtml(found: PatternInstance[]): string {
  const when = (p: PatternInstance) => p.occurrences.slice(0, 4).map((o) => `${o.from.toFixed(2)}–${o.to.toFixed(2)} s`).join(", ") + (p.occurrences.length > 4 ? `, … (${p.occurrences.length})` : "");
  const rows = found.map((p) => `<tr><td>${escapeXml(p.kind)}</td><td>${p.confidence.toFixed(2)}</td><td><b>${escapeXml(p.label)}</b><br>${escapeXml(p.explanation)}</td>` +
    `<td>${p.frames.slice(0, 3).map((f) => escapeXml(f.name)).join("<br>")}</td><td>${escapeXml(when(p))}</td></tr>`);
  return `<table class="subsecond-patterns"><thead><tr><th>kind</th><th>confidence</th><th>pattern</th><th>frames</th><th>when (s since the origin)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function isSummary(value: unknown): value is ProfileSummary {
  return Array.isArray((value as ProfileSummary)?.comms) && Array.isArray((value as ProfileSummary).threads);
}

/** A DOM element (a Plot chart, an htl fragment), from jsdom or a browser. */
function isElement(value: unknown): value is Element {
  return typeof value === "object" && value !== null && (value as Element).nodeType === 1 && typeof (value as Element).outerHTML === "string";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const SHOW_TAKES =
  "show() takes a heat map (heatmap(), a store's heatmap()), a store's heatmapsByHost(), a flame tree (flameTree(), diffTrees()), detected patterns (findPatterns()), an Arquero table, an array of records (shown as a table), " +
  "a summary (summarize()), a Plot chart or other DOM element, or a plain value (string, number, boolean, null, array or plain object)";

/** A flame tree in words: its samples and its busiest functions. */
function flameTreeText(tree: FlameTree, title: string | undefined): string {
  const top = topFunctions(tree, {by: "self", limit: 5}).map((f) => `  ${f.self}  ${f.name}`);
  return [`${title ? `${title}: ` : "flame graph: "}${tree.samples} samples`, ...(top.length ? ["most self samples:", ...top] : [])].join("\n");
}

/** A plain value as text: JSON for arrays and objects (bigints as numbers). */
function plainText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" || value === null || value === undefined) return String(value);
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v), 2);
}

/** What show() displays for a value: heat maps and flame trees as script-free SVG in
 * HTML (the CLI's renderers; a tree from diffTrees is drawn as a differential) with a
 * description in text, tables as HTML, summaries as `subsecond info` prints them, Plot
 * charts as their HTML, plain values as text. */
export function displayData(value: Heatmap, options?: HeatmapShowOptions): DisplayData;
export function displayData(value: FlameTree, options?: FlameShowOptions): DisplayData;
export function displayData(value: PatternInstance[]): DisplayData;
export function displayData(value: HostHeatmap[], options?: HeatmapShowOptions): DisplayData;
export function displayData(value: ColumnTable | Record<string, unknown>[], options?: TableHtmlOptions): DisplayData;
export function displayData(value: ProfileSummary): DisplayData;
export function displayData(value: unknown, options?: object): DisplayData;
export function displayData(value: unknown, options: object = {}): DisplayData {
  // Notebook output areas are about 1000 px wide and scroll what is wider: long heat
  // maps get narrower columns, flame graphs a narrower drawing.
  if (isHeatmap(value)) {
    const cellWidth = Math.max(2, Math.min(8, Math.floor(900 / value.columns)));
    // Compact cells: a saved notebook holds every figure; the tooltips are explore()'s.
    const svg = heatmapSvg(value, {cellWidth, compactCells: true, ...options, document: svgDocument()});
    return {"text/html": figureHtml(svg), "text/plain": `heat map of ${value.source}: ${heatmapSummary(value)}`};
  }
  if (isHostHeatmaps(value)) {
    const cellWidth = Math.max(2, Math.min(8, Math.floor(900 / value[0].map.columns)));
    const svg = hostHeatmapsSvg(value, {cellWidth, compactCells: true, ...options});
    return {"text/html": figureHtml(svg), "text/plain": value.map((s) => `${s.host}: ${heatmapSummary(s.map)}`).join("\n")};
  }
  if (isFlameTree(value)) {
    const svgOptions: FlameSvgOptions = {width: 960, differential: value.root.delta !== undefined, ...options, interactive: false};
    return {"text/html": figureHtml(flameGraphSvg(value, svgOptions)), "text/plain": flameTreeText(value, svgOptions.title)};
  }
  if (value instanceof ColumnTable) return {"text/html": tableHtml(value, options), "text/plain": value.toString()};
  if (isPatternList(value)) return {"text/html": patternsHtml(value), "text/plain": value.map((p) => `${p.kind} (${p.confidence.toFixed(2)}): ${p.label}`).join("\n")};
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) return displayData(aq.from(value), options);
  if (isSummary(value)) return {"text/plain": formatSummary(value)};
  if (isElement(value)) {
    if (value.querySelector("script") || value.localName === "script") throw new Error("show() does not display elements with scripts (notebook outputs stay script-free)");
    return {"text/html": value.outerHTML, "text/plain": value.textContent ?? ""};
  }
  if (value === null || ["string", "number", "boolean", "bigint", "undefined"].includes(typeof value) || Array.isArray(value) || isRecord(value)) {
    return {"text/plain": plainText(value)};
  }
  throw new Error(`${SHOW_TAKES}; got ${describeValue(value)}`);
}

function describeValue(value: unknown): string {
  if (typeof value === "function") return "a function (call it?)";
  if (value instanceof Promise) return "a Promise (await it first)";
  const name = (value as object)?.constructor?.name;
  return name ? `a ${name}` : typeof value;
}

/** Sends a display bundle to the running cell's output (tslab's display sends one
 * MIME type at a time; Jupyter picks the richest of a bundle it may show). */
function sendDisplay(data: DisplayData): void {
  // tslab's own channel to the cell output, read when called: the running kernel sets
  // it per cell (tslab stays external to the package bundle, so this is its module).
  const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter.js") as typeof import("tslab/dist/jupyter.js");
  if (!jupyter.lastWriteDisplayData) throw new Error("show() runs in a notebook cell (the tslab kernel); use displayData() elsewhere");
  jupyter.lastWriteDisplayData({data: {...data}, metadata: {}, transient: {}}, false);
}

/** Displays a value in the running notebook cell: see displayData for what it takes. */
export function show(value: Heatmap, options?: HeatmapShowOptions): void;
export function show(value: FlameTree, options?: FlameShowOptions): void;
export function show(value: PatternInstance[]): void;
export function show(value: HostHeatmap[], options?: HeatmapShowOptions): void;
export function show(value: ColumnTable | Record<string, unknown>[], options?: TableHtmlOptions): void;
export function show(value: ProfileSummary): void;
export function show(value: Element): void;
export function show(value: string | number | boolean | null | unknown[] | Record<string, unknown>): void;
export function show(value: unknown, options?: object): void {
  sendDisplay(displayData(value, options));
}

/** The interactive heat map of a profile with the flame graph of its selection below
 * it, in the running notebook cell (see ./explore.ts): brush or click-click the cells;
 * where Jupyter does not run the output's script (a notebook it does not trust, an
 * HTML export), the static heat map and flame graph of all the samples. */
export function explore(profile: Profile, options?: ExploreOptions): void {
  sendDisplay(exploreDisplay(profile, options));
}
