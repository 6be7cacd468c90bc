// What the pattern detectors report: instances of the patterns a trained eye reads off
// a subsecond-offset heat map (Gregg's "FlameScope Pattern Recognition"), each with the
// code behind it and every occurrence in time, so a page, a notebook or the CLI can
// propose it as an annotation.
import type {AnalysisOptions} from "../filter.js";

export const PATTERN_KINDS = [
  "periodic", "busy-wait", "load-trend", "load-bursts", "steady-load",
  "perturbation", "cpu-blocking", "single-threaded-blocking", "occupancy",
] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];

/** Seconds since the profile's origin (the heat map's x axis), to > from. */
export interface PatternOccurrence {
  from: number;
  to: number;
}

/** A frame over-represented in an instance's samples compared with the rest. */
export interface PatternFrame {
  name: string;
  module: string;
  /** Share of the instance's samples with this frame on the stack, 0..1. */
  inside: number;
  /** Share of the other samples with it. */
  outside: number;
}

export interface PatternInstance {
  kind: PatternKind;
  /** Short, for a heat-map label: "perturbation: 300 ms, 2 CPUs, mostly gc_mark_heap". */
  label: string;
  /** One sentence: what was seen and what it most likely is. */
  explanation: string;
  /** 0..1: how unlikely the pattern is to be chance (a binomial tail on sample counts,
   * or the strength of a periodogram peak), scaled so DEFAULT_MIN_CONFIDENCE separates. */
  confidence: number;
  /** Most over-represented frames first. */
  frames: PatternFrame[];
  /** The comm names of most of the instance's samples, most first. */
  threads: string[];
  /** Kind-specific numbers, in the units their names say (periodMs, phaseMs, busyMs…). */
  parameters: Record<string, number | string>;
  /** Every instance in time, in time order. */
  occurrences: PatternOccurrence[];
  /** The instance's samples as a selection's text form (see ../selection.ts): time
   * ranges, or one folded cell block for a periodic pattern. */
  selection: string;
  /** For periodic patterns: the period to fold the heat map at, in ns. */
  period?: number;
}

export interface PatternOptions extends AnalysisOptions {
  /** Instances below this confidence are dropped (default DEFAULT_MIN_CONFIDENCE). */
  minConfidence?: number;
  /** Only these kinds (default all but "occupancy", which needs `frame`). */
  kinds?: readonly PatternKind[];
  /** For "occupancy": the function (regex) whose on-CPU intervals to report. */
  frame?: string | RegExp;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;
