// Colours shared by every front end (CLI SVG, notebooks, the report site).
import {hashString} from "../intern.js";
import type {FrameKind} from "../profile.js";

export type HeatmapPalette = "flamescope" | "enhanced";

/** FlameScope's heat-map colour scales: white at 0 rising to red at the maximum; the
 * enhanced one makes counts of 1–3 visible (blue, pink) next to a busy maximum. */
export function heatmapColorScale(palette: HeatmapPalette, maxCount: number): {domain: number[]; range: string[]} {
  const max = Math.max(maxCount, 1);
  if (palette === "enhanced" && max > 3) {
    return {domain: [0, 1, 3, Math.max(max / 2, 3.5), max], range: ["#FFFFFF", "#6AAAFF", "#FAA0B5", "#FF5032", "#E50914"]};
  }
  return {domain: [0, max / 2, max], range: ["#FFFFFF", "#FF5032", "#E50914"]};
}

/** Selection highlight on heat maps (FlameScope's purple). */
export const SELECTION_COLOR = "#936EB5";
export const ANNOTATION_COLOR = "#1f5fbf";

/** A small deterministic hash of a name, in [0, 1), so a frame keeps its colour
 * from one render to the next. */
export function nameHash(name: string): number {
  return (hashString(name) % 1000) / 1000;
}

/** Flame-graph frame colours by kind, after flamegraph.pl's "java" palette: kernel
 * orange, JIT green, inlined aqua, C++ yellow, other native code red, comm purple. */
export function frameColor(kind: FrameKind | "root", name: string): string {
  const v = nameHash(name);
  const rgb = (r: number, g: number, b: number) => `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
  switch (kind) {
    case "root": return "rgb(220,220,220)";
    case "process": return rgb(180 + 40 * v, 150 + 40 * v, 220 + 30 * v);
    case "kernel": return rgb(230 + 25 * v, 120 + 60 * v, 20 + 40 * v);
    case "jit": return rgb(50 + 60 * v, 180 + 50 * v, 50 + 60 * v);
    case "inlined": return rgb(60 + 50 * v, 190 + 40 * v, 190 + 40 * v);
    case "unknown": return rgb(170 + 40 * v, 170 + 40 * v, 170 + 40 * v);
    case "user":
      return name.includes("::") ? rgb(210 + 40 * v, 200 + 40 * v, 40 + 50 * v) : rgb(220 + 35 * v, 70 + 90 * v, 40 + 40 * v);
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
