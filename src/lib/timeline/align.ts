// Placing a track on a profile's time axis (seconds since its origin). A log's clock
// meets perf's in one of three ways:
// - monotonic: CLOCK_MONOTONIC seconds are perf times when perf recorded with
//   `-k CLOCK_MONOTONIC` (its header's reference time then ends in "(monotonic)");
// - wall: epoch seconds map through the header's reference time (perf read the wall
//   clock and its own clock together): perf = ref.perf + (t − ref.epoch); NTP slewing
//   between the reference time and the log adds to the uncertainty;
// - relative (JVM uptime, V8's --trace-gc): no clock places them; 0 goes at x = 0.
// An explicit offset (seconds) is always added last.
import type {Profile} from "../profile.js";
import {durationSeconds} from "../profile.js";
import type {Track} from "./track.js";

export type AlignmentMethod = "monotonic" | "reference-time" | "offset" | "none";

export interface Alignment {
  method: AlignmentMethod;
  /** Profile seconds since the origin = track time + shift (offset included). */
  shift: number;
  offset: number;
  /** ± seconds, or null when nothing bounds it (no common clock). */
  uncertainty: number | null;
  /** One line for `info`. */
  text: string;
}

export interface AlignedTrack {
  track: Track;
  alignment: Alignment;
  /** Events: start in seconds since the profile's origin (duration as the track's). */
  start: Float64Array;
  /** Series times in seconds since the origin, by series. */
  seriesTime: Float64Array[];
  /** Warnings: a track outside the profile's span, a clock that cannot be checked. */
  warnings: string[];
}

export interface AlignOptions {
  /** Seconds added after the clocks are matched (default 0). */
  offset?: number;
}

/** `gc.log@-0.25` → {path: "gc.log", offset: -0.25}: a track and the seconds it is
 * shifted by (the CLI's --track, the report site's #shift=). An @ not followed by a
 * number is part of the name. */
export function trackWithOffset(text: string): {path: string; offset: number} {
  const m = /^(.*)@([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i.exec(text);
  return m && m[1] ? {path: m[1], offset: Number(m[2])} : {path: text, offset: 0};
}

export function alignTrack(track: Track, profile: Profile, options: AlignOptions = {}): AlignedTrack {
  const offset = options.offset ?? 0;
  if (!Number.isFinite(offset)) throw new Error(`${track.source}: the offset must be a number of seconds, not ${offset}`);
  if (profile.origin === null) throw new Error(`${profile.source}: the profile has no sample times, so no track can be placed on it`);
  const ref = profile.header.referenceTime;
  const warnings: string[] = [];
  const res = track.resolution;
  const withOffset = offset ? `, then ${offset > 0 ? "+" : ""}${offset} s as given` : "";
  let method: AlignmentMethod, shift: number, uncertainty: number | null, text: string;
  if (track.clock === "monotonic") {
    method = "monotonic";
    shift = -profile.origin;
    uncertainty = res;
    const checked = ref && /\(monotonic\)/.test(ref.text);
    if (!checked) warnings.push(`${track.source}: its times are CLOCK_MONOTONIC, but ${profile.source}'s header has no "(monotonic)" reference time: the alignment holds only if perf recorded with -k CLOCK_MONOTONIC`);
    text = `monotonic clock (${track.clockFrom}): exact on perf's clock${checked ? "" : " if perf recorded with -k CLOCK_MONOTONIC (not shown by its header)"}; ±${formatSeconds(res)} (the log's resolution)${withOffset}`;
  } else if (track.clock === "wall" && ref) {
    method = "reference-time";
    shift = ref.perf - ref.epoch - profile.origin;
    uncertainty = res + 1e-3;
    text = `wall clock via the profile's reference time (${ref.text}): ±${formatSeconds(uncertainty)} (the log's resolution ${formatSeconds(res)}, plus wall-clock adjustments since the reference time, assumed under 1 ms)${withOffset}`;
  } else if (track.clock === "wall") {
    method = offset ? "offset" : "none";
    const first = firstTime(track);
    shift = -first;
    uncertainty = null;
    warnings.push(`${track.source}: its times are wall-clock, and ${profile.source} has no reference time (record with -k CLOCK_MONOTONIC): its first record was put at x = 0${offset ? " plus the offset" : ""}`);
    text = `none: wall-clock times, no reference time in the profile; the first record placed at x = ${offset}${offset ? " (the offset)" : ""}; uncertainty unknown`;
  } else {
    method = offset ? "offset" : "none";
    shift = 0;
    uncertainty = null;
    if (!offset) warnings.push(`${track.source}: its times count from an unknown start (${track.clockFrom}): placed with 0 at x = 0; give an offset`);
    text = `${offset ? "explicit offset" : "none"}: ${track.clockFrom}; 0 placed at x = ${offset}; uncertainty unknown (the offset's own)`;
  }
  shift += offset;
  const start = Float64Array.from(track.events.start, (t) => t + shift);
  const seriesTime = track.series.map((s) => Float64Array.from(s.time, (t) => t + shift));
  const span = durationSeconds(profile);
  let outside = 0, total = 0;
  const count = (t: number) => { total++; if (t < 0 || t > span) outside++; };
  start.forEach(count);
  seriesTime.forEach((ts) => ts.forEach(count));
  if (total > 0 && outside === total) warnings.push(`${track.source}: all ${total} records lie outside ${profile.source}'s span (0–${span} s; this log's from ${formatSeconds(Math.min(...minOf(start, seriesTime)))} on): a different run, or a wrong offset or clock?`);
  else if (outside > 0) warnings.push(`${track.source}: ${outside} of ${total} records lie outside ${profile.source}'s span (0–${span} s) and are not drawn`);
  return {track, alignment: {method, shift, offset, uncertainty, text}, start, seriesTime, warnings};
}

function minOf(start: Float64Array, seriesTime: Float64Array[]): number[] {
  const out = start.length ? [start[0]] : [];
  for (const s of seriesTime) if (s.length) out.push(s[0]);
  return out;
}

function firstTime(track: Track): number {
  const c = minOf(track.events.start, track.series.map((s) => s.time));
  return c.length ? Math.min(...c) : 0;
}

function formatSeconds(s: number): string {
  const a = Math.abs(s);
  return a >= 1 ? `${+s.toFixed(3)} s` : a >= 1e-3 ? `${+(s * 1e3).toFixed(3)} ms` : a >= 1e-6 ? `${+(s * 1e6).toFixed(3)} µs` : `${+(s * 1e9).toFixed(0)} ns`;
}
