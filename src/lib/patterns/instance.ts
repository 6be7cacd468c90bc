// Shared by the detectors: turning occurrences into an instance's selection text and
// its labels' numbers.
import type {Profile} from "../profile.js";
import {formatSelection, MAX_SELECTION_PARTS, timeRange} from "../selection.js";
import {sampleRanges} from "../view.js";
import {tickTime, type Ticks} from "./ticks.js";
import type {PatternOccurrence} from "./types.js";
import {NS} from "../time.js";

/** Ticks k0..k1 (inclusive) as seconds since the origin: from half a tick before the
 * first to half a tick after the last (a sample stands for the time around it). */
export function tickSpan(ticks: Ticks, k0: number, k1: number): PatternOccurrence {
  const half = ticks.tickNs / 2;
  return {from: round6(Math.max(0, tickTime(ticks, k0) - half) / NS), to: round6((tickTime(ticks, k1) + half) / NS)};
}

export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The occurrences as a selection: one time range each, the first MAX_SELECTION_PARTS. */
export function rangesSelection(occurrences: readonly PatternOccurrence[]): string {
  return formatSelection(occurrences.slice(0, MAX_SELECTION_PARTS).map((o) => timeRange(o.from, o.to)));
}

/** "300 ms", "1.2 s". */
export function durationText(seconds: number): string {
  if (seconds >= 1) return `${Number(seconds.toPrecision(3))} s`;
  const ms = seconds * 1000;
  return `${ms >= 10 ? Math.round(ms) : Number(ms.toPrecision(2))} ms`;
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** A frame or thread name cut for a label (C++ and Java names run long). */
export function shortName(name: string, max = 60): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}

/** Indexes of the samples with times in the occurrences (seconds since the origin),
 * each once. */
export function* samplesIn(profile: Profile, occurrences: readonly PatternOccurrence[]): Generator<number> {
  const ranges = sampleRanges(profile, occurrences.map((o) => timeRange(o.from, o.to)));
  for (let r = 0; r < ranges.length; r += 2) for (let i = ranges[r]; i < ranges[r + 1]; i++) yield i;
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
