// "What differs when the metric is high": the time ranges where a series is above (or
// below) a threshold, or in its top decile, and the rest of the profile, as selections
// for a differential flame graph. Each point of a series stands for the interval from
// its time to the next point's (the last one for the series' median step).
import type {Profile} from "../profile.js";
import {durationSeconds} from "../profile.js";
import {NS} from "../time.js";
import type {TimeRange} from "../selection.js";
import type {AlignedTrack} from "./align.js";

export type ConditionOp = ">" | ">=" | "<" | "<=";

/** A series compared with a value or a percentile of its own (`latency>200`,
 * `latency>=p90`), or its highest or lowest points (`latency top 10%`). */
export type Condition =
  | {
    /** A series name, or a track's name when it has one series. */
    series: string;
    op: ConditionOp;
    /** A value, or a percentile of the series (`p90`: the top decile with >). */
    threshold: number | {percentile: number};
  }
  | {series: string; rank: "top" | "bottom"; percent: number};

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e[+-]?\d+)?`;
const PERCENT = String.raw`\d{1,2}(?:\.\d+)?`;
// Patterns of the condition's end only, searched without a leading anchor: the series
// is whatever comes before, so a name may hold any character (a metrics file's column
// can be `<b>` or `a>b`) and the work stays linear in the text (a lazy match of the
// name, retried before each space of a long run, took 27 s at 100,000 characters).
const COMPARISON_END = new RegExp(String.raw`(>=|<=|>|<)[ \t]*(?:p(${PERCENT})|(${NUMBER}))[ \t]*$`, "i");
const RANK_END = new RegExp(String.raw`[ \t](top|bottom)[ \t]+(${PERCENT})[ \t]*%[ \t]*$`, "i");

/** `latency>200`, `latency_p99_ms>=p90`, `requests<500`, `latency top 10%`,
 * `requests bottom 5%`: the one syntax of the CLI's --when, the notebooks' whenDiff
 * and the report site's link (#when=). */
export function parseCondition(text: string): Condition {
  const rank = RANK_END.exec(text);
  if (rank) {
    const series = text.slice(0, rank.index).trim();
    const percent = Number(rank[2]);
    if (series !== "") {
      if (percent <= 0) throw new Error(`a condition's top or bottom share is over 0%, not ${JSON.stringify(text)}`);
      return {series, rank: rank[1].toLowerCase() as "top" | "bottom", percent};
    }
  }
  const m = COMPARISON_END.exec(text);
  const series = m ? text.slice(0, m.index).trim() : "";
  if (!m || series === "") throw new Error(`a condition is SERIES>VALUE, SERIES<VALUE (or >=, <=), SERIES>p90 (a percentile), or SERIES top 10% (or bottom 10%), not ${JSON.stringify(text)}`);
  const op = m[1] as ConditionOp;
  if (m[2] !== undefined) return {series, op, threshold: {percentile: Number(m[2])}};
  const threshold = Number(m[3]);
  if (!Number.isFinite(threshold)) throw new Error(`${JSON.stringify(text)}: ${m[3]} is beyond any number a series holds`);
  return {series, op, threshold};
}

/** The condition as parseCondition reads it back. */
export function formatCondition(condition: Condition): string {
  if ("rank" in condition) return `${condition.series} ${condition.rank} ${condition.percent}%`;
  const {threshold} = condition;
  return `${condition.series}${condition.op}${typeof threshold === "number" ? threshold : `p${threshold.percentile}`}`;
}

/** A condition with the threshold it came to: `latency > 138.926 (the top 10%)`. */
export function describeCondition(condition: Condition, threshold: number): string {
  if ("rank" in condition) return `${condition.series} ${condition.rank === "top" ? ">" : "<"} ${threshold} (the ${condition.rank} ${condition.percent}%)`;
  return `${condition.series} ${condition.op} ${threshold}${typeof condition.threshold === "number" ? "" : ` (p${condition.threshold.percentile})`}`;
}

/** What a condition selected, in words (the CLI's, the notebooks' and the site's):
 * `latency > 100: 4 of 30 points, 4 s`. */
export function conditionText(condition: Condition, selection: ConditionSelection): string {
  return `${describeCondition(condition, selection.threshold)}: ${selection.points} of ${selection.pointsInSpan} points, ${+selection.seconds.toFixed(3)} s`;
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

/** The comparison a condition makes on these values (the points within the profile's
 * span). The top N% are the points above the value at percentile 100 − N, the bottom
 * N% those below the one at percentile N counted from the top: each is the N% of the
 * points (fewer with ties at the threshold), as `>p90` is the top decile. */
function thresholdOf(condition: Condition, values: Float64Array): {op: ConditionOp; threshold: number} {
  if ("rank" in condition) {
    if (condition.rank === "top") return {op: ">", threshold: percentile(values.sort(), 100 - condition.percent)};
    return {op: "<", threshold: -percentile(values.map((v) => -v).sort(), 100 - condition.percent)};
  }
  const {threshold} = condition;
  return {op: condition.op, threshold: typeof threshold === "number" ? threshold : percentile(values.sort(), threshold.percentile)};
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
  const {op, threshold} = thresholdOf(condition, Float64Array.from(inSpan, (i) => value[i]));
  const holds = (v: number) => op === ">" ? v > threshold : op === ">=" ? v >= threshold : op === "<" ? v < threshold : v <= threshold;
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
