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
import {ColumnTable} from "arquero";
import * as tslab from "tslab";
import {annotationGroups, findAnnotation} from "../lib/annotations.js";
import type {FlameTree} from "../lib/flametree.js";
import type {Heatmap} from "../lib/heatmap.js";
import type {Profile} from "../lib/profile.js";
import {escapeXml} from "../lib/render/escape.js";
import {flameGraphSvg, type FlameSvgOptions} from "../lib/render/flamegraph.js";
import {heatmapSvg, type HeatmapSvgOptions} from "../lib/render/heatmap.js";
import {svgDocument} from "../node/index.js";
import {cellBlock, timeRange, type SelectionPart} from "../lib/selection.js";
import {formatSummary, type ProfileSummary} from "../lib/summary.js";

export * from "../lib/index.js";
export * from "../node/index.js";
export * from "./tables.js";

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
  /** Buckets per second of the heat map the cells are read from. */
  rows: number;
}

/** A block of heat-map cells: only those offsets within those seconds. */
export function cells(input: CellsInput): SelectionPart[] {
  const [s0, s1] = typeof input.seconds === "number" ? [input.seconds, input.seconds] : input.seconds;
  const [b0, b1] = typeof input.buckets === "number" ? [input.buckets, input.buckets] : input.buckets;
  return [cellBlock(s0, s1, b0, b1, input.rows)];
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

/** A rich output: what tslab sends to Jupyter. */
export interface DisplayData {
  mime: "image/svg+xml" | "text/html" | "text/plain";
  data: string;
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


function isHeatmap(value: unknown): value is Heatmap {
  return (value as Heatmap)?.counts instanceof Uint32Array && typeof (value as Heatmap).rows === "number";
}

function isFlameTree(value: unknown): value is FlameTree {
  return Array.isArray((value as FlameTree)?.root?.children) && typeof (value as FlameTree).samples === "number";
}

function isSummary(value: unknown): value is ProfileSummary {
  return Array.isArray((value as ProfileSummary)?.comms) && Array.isArray((value as ProfileSummary).threads);
}

/** What show() displays for a value: heat maps and flame trees as SVG (the CLI's
 * renderers; a tree from diffTrees is drawn as a differential), tables as HTML,
 * summaries as `subsecond info` prints them. */
export function displayData(value: Heatmap, options?: HeatmapShowOptions): DisplayData;
export function displayData(value: FlameTree, options?: FlameSvgOptions): DisplayData;
export function displayData(value: ColumnTable, options?: TableHtmlOptions): DisplayData;
export function displayData(value: ProfileSummary): DisplayData;
export function displayData(value: unknown, options?: object): DisplayData;
export function displayData(value: unknown, options: object = {}): DisplayData {
  // Notebook output areas are about 1000 px wide and clip what is wider: long heat
  // maps get narrower columns, flame graphs a narrower drawing.
  if (isHeatmap(value)) {
    const cellWidth = Math.max(2, Math.min(8, Math.floor(900 / value.columns)));
    return {mime: "image/svg+xml", data: heatmapSvg(value, {cellWidth, ...options, document: svgDocument()})};
  }
  if (isFlameTree(value)) {
    const svgOptions: FlameSvgOptions = {width: 960, differential: value.root.delta !== undefined, ...options};
    return {mime: "image/svg+xml", data: flameGraphSvg(value, svgOptions)};
  }
  if (value instanceof ColumnTable) return {mime: "text/html", data: tableHtml(value, options)};
  if (isSummary(value)) return {mime: "text/plain", data: formatSummary(value)};
  throw new Error("show() draws heat maps (heatmap()), flame trees (flameTree(), diffTrees()), Arquero tables and summaries (summarize())");
}

/** Displays a heat map, flame tree, table or summary in the running notebook cell. */
export function show(value: Heatmap, options?: HeatmapShowOptions): void;
export function show(value: FlameTree, options?: FlameSvgOptions): void;
export function show(value: ColumnTable, options?: TableHtmlOptions): void;
export function show(value: ProfileSummary): void;
export function show(value: unknown, options?: object): void {
  const {mime, data} = displayData(value, options);
  tslab.display.raw(mime, data);
}
