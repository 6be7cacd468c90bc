// "What differs when the metric is high": the time ranges where a series is above (or
// below) a threshold, or in its top decile, and the rest of the profile, as selections
// for a differential flame graph. Each point of a series stands for the interval from
// its time to the next point's (the last one for the series' median step).
import type {Profile} from "../profile.js";
import {durationSeconds} from "../profile.js";
import {NS} from "../time.js";
import type {TimeRange} from "../selection.js";
import type {AlignedTrack} from "./align.js";

export interface Condition {
  /** A series name, or a track's name when it has one series. */
  series: string;
  op: ">" | ">=" | "<" | "<=";
  /** A value, or a percentile of the series (`p90`: the top decile with >). */
  threshold: number | {percentile: number};
}

/** `latency>200`, `latency_p99_ms>=p90`, `requests<500`. Split at the first `<` or `>`
 * rather than by one pattern of the whole text: a series name's lazy match, retried
 * before each space of a long run, took 27 s on a condition of 100,000 characters. */
export function parseCondition(text: string): Condition {
  const usage = () => new Error(`a condition is SERIES>VALUE, SERIES<VALUE (or >=, <=) or SERIES>p90 (a percentile: the top decile), not ${JSON.stringify(text)}`);
  const at = text.search(/[<>]/);
  if (at < 0) throw usage();
  const op = (text[at + 1] === "=" ? text.slice(at, at + 2) : text[at]) as Condition["op"];
  const series = text.slice(0, at).trim();
  const m = /^(?:p(\d{1,2}(?:\.\d+)?)|(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?))$/i.exec(text.slice(at + op.length).trim());
  if (series === "" || series.includes("=") || !m) throw usage();
  if (m[1] !== undefined) return {series, op, threshold: {percentile: Number(m[1])}};
  const threshold = Number(m[2]);
  if (!Number.isFinite(threshold)) throw new Error(`${JSON.stringify(text)}: ${m[2]} is beyond any number a series holds`);
  return {series, op, threshold};
}

export interface ConditionSelection {
  /** The series matched, and the threshold used (a percentile's value). */
  series: string;
  threshold: number;
  /** Where the condition holds, and the rest of the profile's span. */
  matching: TimeRange[];
  rest: TimeRange[];
  /** Points that matched, of all points within the profile's span. */
  points: number;
  pointsInSpan: number;
  /** Seconds of the profile where it holds. */
  seconds: number;
}

/** The series a condition names among tracks: by exact series name, else a track's
 * name when that track has one series. */
export function findSeries(tracks: AlignedTrack[], name: string): {track: AlignedTrack; index: number} {
  for (const track of tracks) {
    const i = track.track.series.findIndex((s) => s.name === name);
    if (i >= 0) return {track, index: i};
  }
  const byTrack = tracks.find((t) => t.track.name === name && t.track.series.length === 1);
  if (byTrack) return {track: byTrack, index: 0};
  const names = tracks.flatMap((t) => t.track.series.map((s) => s.name));
  throw new Error(`no series named ${JSON.stringify(name)}${names.length ? `; the tracks have ${names.map((n) => JSON.stringify(n)).join(", ")}` : ": no track has a series (give a metrics file)"}`);
}

/** Value at percentile p (0–100) of sorted values, nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function conditionSelection(profile: Profile, tracks: AlignedTrack[], condition: Condition): ConditionSelection {
  const {track, index} = findSeries(tracks, condition.series);
  const series = track.track.series[index];
  const time = track.seriesTime[index], value = series.value;
  const span = durationSeconds(profile);
  const steps: number[] = [];
  for (let i = 1; i < time.length; i++) steps.push(time[i] - time[i - 1]);
  steps.sort((a, b) => a - b);
  const step = steps.length ? steps[Math.floor(steps.length / 2)] : 1;
  const inSpan: number[] = [];
  for (let i = 0; i < time.length; i++) if (time[i] < span && time[i] + step > 0) inSpan.push(i);
  if (inSpan.length === 0) throw new Error(`${track.track.source}: no point of ${series.name} lies within ${profile.source}'s span (0–${span} s)`);
  const threshold = typeof condition.threshold === "number"
    ? condition.threshold
    : percentile(Float64Array.from(inSpan, (i) => value[i]).sort(), condition.threshold.percentile);
  const holds = (v: number) => condition.op === ">" ? v > threshold : condition.op === ">=" ? v >= threshold : condition.op === "<" ? v < threshold : v <= threshold;
  const matching: TimeRange[] = [];
  let points = 0;
  for (const i of inSpan) {
    if (!holds(value[i])) continue;
    points++;
    const next = i + 1 < time.length ? Math.min(time[i + 1], time[i] + 2 * step) : time[i] + step;
    const from = Math.max(0, Math.round(time[i] * NS)), to = Math.min(span * NS, Math.round(next * NS));
    if (to <= from) continue;
    const last = matching[matching.length - 1];
    if (last && from <= last.to) last.to = Math.max(last.to, to);
    else matching.push({kind: "range", from, to});
  }
  const rest: TimeRange[] = [];
  let at = 0;
  for (const r of matching) {
    if (r.from > at) rest.push({kind: "range", from: at, to: r.from});
    at = r.to;
  }
  if (at < span * NS) rest.push({kind: "range", from: at, to: span * NS});
  const seconds = matching.reduce((n, r) => n + (r.to - r.from) / NS, 0);
  return {series: series.name, threshold, matching, rest, points, pointsInSpan: inSpan.length, seconds};
}
