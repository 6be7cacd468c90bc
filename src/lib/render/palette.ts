// Colours shared by every front end (CLI SVG, notebooks, the report site).
import {hashString} from "../intern.js";
import type {FrameKind} from "../profile.js";

/** The heat-map palettes: FlameScope's two, and "steps", one distinct colour per
 * sample count (or per equal range of counts, when a cell can hold more than
 * STEP_COLORS.length). */
export const HEATMAP_PALETTES = ["flamescope", "enhanced", "steps"] as const;
export type HeatmapPalette = (typeof HEATMAP_PALETTES)[number];

export function isHeatmapPalette(value: unknown): value is HeatmapPalette {
  return (HEATMAP_PALETTES as readonly unknown[]).includes(value);
}

/** A heat map's colour scale. "linear": colours interpolated between stops at
 * `domain`; "threshold": classes, counts from domain[k] up to domain[k + 1] - 1 (the
 * last up to the maximum) drawn in range[k]. Count 0 is never drawn (white). */
export interface HeatmapColorScale {
  type: "linear" | "threshold";
  domain: number[];
  range: string[];
}

/** ColorBrewer's YlOrRd (Cynthia Brewer), its two palest steps left out so that one
 * sample stands out from an empty (white) cell: yellow to dark red, each step darker. */
export const STEP_COLORS = ["#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"];

const ENHANCED_LOW = ["#FFFFFF", "#6AAAFF", "#FAA0B5", "#FF5032"];

/** The colour scale of a palette for a map whose busiest cell holds `maxCount`:
 * - flamescope: white at 0 rising to red at the maximum (FlameScope's);
 * - enhanced: FlameScope's enhanced scale, counts of 1–3 blue and pink next to a busy
 *   maximum; when the maximum is 3 or less, 1 is blue, 2 pink, 3 red;
 * - steps: when the maximum is at most 7, one class per count, its colours spread over
 *   the whole ramp (a maximum of 2 gives yellow and dark red); above that, 7 classes
 *   of about equal ranges of counts. */
export function heatmapColorScale(palette: HeatmapPalette, maxCount: number): HeatmapColorScale {
  const max = Math.max(maxCount, 1);
  if (palette === "steps") {
    const classes = Math.min(max, STEP_COLORS.length);
    const spread = (k: number) => STEP_COLORS[classes === 1 ? STEP_COLORS.length - 1 : Math.round((k * (STEP_COLORS.length - 1)) / (classes - 1))];
    const domain = Array.from({length: classes}, (_, k) => 1 + Math.round((k * max) / classes));
    return {type: "threshold", domain, range: domain.map((_, k) => spread(k))};
  }
  if (palette === "enhanced") {
    if (max <= 3) return {type: "linear", domain: Array.from({length: max + 1}, (_, k) => k), range: ENHANCED_LOW.slice(0, max + 1)};
    return {type: "linear", domain: [0, 1, 3, Math.max(max / 2, 3.5), max], range: ["#FFFFFF", "#6AAAFF", "#FAA0B5", "#FF5032", "#E50914"]};
  }
  return {type: "linear", domain: [0, max / 2, max], range: ["#FFFFFF", "#FF5032", "#E50914"]};
}

/** One class of a threshold scale: counts `from` to `to` (inclusive) in `color`. */
export interface ColorClass {
  from: number;
  to: number;
  color: string;
}

/** A threshold scale's classes, up to the map's maximum count. */
export function colorClasses(scale: HeatmapColorScale, maxCount: number): ColorClass[] {
  if (scale.type !== "threshold") return [];
  return scale.domain.map((from, k) => ({from, to: k + 1 < scale.domain.length ? scale.domain[k + 1] - 1 : Math.max(from, maxCount), color: scale.range[k]}));
}

/** Selection highlight on heat maps (FlameScope's purple). */
export const SELECTION_COLOR = "#936EB5";
/** Annotation outlines, one colour per label in order of first appearance: dark,
 * distinct hues that stand out against the heat map's white-to-red cells (Okabe and
 * Ito's colour-blind-safe set, its yellow and vermillion left out, and black). */
export const ANNOTATION_COLORS = ["#0072B2", "#009E73", "#CC79A7", "#000000", "#56B4E9", "#E69F00"];

/** The colour of each label of these annotations (labels cycle through the colours). */
export function annotationColors(annotations: {label: string}[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const a of annotations) if (!colors.has(a.label)) colors.set(a.label, ANNOTATION_COLORS[colors.size % ANNOTATION_COLORS.length]);
  return colors;
}

/** A small deterministic hash of a name, in [0, 1), so a frame keeps its colour
 * from one render to the next. */
export function nameHash(name: string): number {
  return (hashString(name) % 1000) / 1000;
}

/** The classes of frame colours (what a legend names): a frame kind, with user code
 * split into C++ (a name with "::") and other native code. */
export type FrameColorClass = "root" | "process" | "kernel" | "jit" | "inlined" | "unknown" | "cpp" | "native";

export const FRAME_COLOR_LABELS: Record<FrameColorClass, string> = {
  root: "all (root)", process: "process (comm)", kernel: "kernel", native: "native code", cpp: "C++", jit: "JIT", inlined: "inlined", unknown: "unknown",
};

export function frameColorClass(kind: FrameKind | "root", name: string): FrameColorClass {
  return kind === "user" ? (name.includes("::") ? "cpp" : "native") : kind;
}

/** Flame-graph frame colours by kind, after flamegraph.pl's "java" palette: kernel
 * orange, JIT green, inlined aqua, C++ yellow, other native code red, comm purple;
 * each name its own shade. */
export function frameColor(kind: FrameKind | "root", name: string): string {
  const v = nameHash(name);
  const rgb = (r: number, g: number, b: number) => `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
  switch (frameColorClass(kind, name)) {
    case "root": return "rgb(220,220,220)";
    case "process": return rgb(180 + 40 * v, 150 + 40 * v, 220 + 30 * v);
    case "kernel": return rgb(230 + 25 * v, 120 + 60 * v, 20 + 40 * v);
    case "jit": return rgb(50 + 60 * v, 180 + 50 * v, 50 + 60 * v);
    case "inlined": return rgb(60 + 50 * v, 190 + 40 * v, 190 + 40 * v);
    case "unknown": return rgb(170 + 40 * v, 170 + 40 * v, 170 + 40 * v);
    case "cpp": return rgb(210 + 40 * v, 200 + 40 * v, 40 + 50 * v);
    case "native": return rgb(220 + 35 * v, 70 + 90 * v, 40 + 40 * v);
  }
}

/** Differential colours: red where A grew, blue where it shrank, white unchanged;
 * `ratio` is the delta over the largest |delta|, in [-1, 1]. */
export function diffColor(ratio: number): string {
  const r = Math.max(-1, Math.min(1, ratio));
  const v = Math.round(245 - 190 * Math.abs(r));
  return r >= 0 ? `rgb(255,${v},${v})` : `rgb(${v},${v},255)`;
}

export const SEARCH_COLOR = "rgb(230,0,230)";
