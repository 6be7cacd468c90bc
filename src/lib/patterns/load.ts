// Load over the profile: per-second utilisation, a trend ("load increasing"), bursts
// of heavier work (a batch job, "5 s of load every 30 s": vertical bands, at a regular
// spacing when they are periodic), and, when nothing else stands out, the steady level
// (Gregg's "CPUs 50 % utilized").
import {evidence} from "./frames.js";
import {durationText, percent, rangesSelection, round3, samplesIn, shortName, tickSpan} from "./instance.js";
import {confidenceOf, median} from "./stats.js";
import type {Ticks} from "./ticks.js";
import type {PatternInstance} from "./types.js";
import {NS} from "../time.js";

/** Utilisation (0..1) of the CPUs in consecutive windows of `windowNs`. */
export function utilisation(ticks: Ticks, windowNs: number): {u: Float64Array; ticksPer: number} {
  const ticksPer = Math.max(1, Math.round(windowNs / ticks.tickNs));
  const n = Math.floor(ticks.count / ticksPer);
  const u = new Float64Array(n);
  for (let w = 0; w < n; w++) {
    let busy = 0;
    for (let k = w * ticksPer; k < (w + 1) * ticksPer; k++) busy += ticks.busy[k];
    u[w] = busy / (ticksPer * ticks.capacity);
  }
  return {u, ticksPer};
}

function cpusText(ticks: Ticks): string {
  return `${ticks.lanes} ${ticks.lanes === 1 ? "CPU" : "CPUs"}`;
}

/** Bursts: runs of 250 ms windows of at least 1 s well above the usual level. */
const BURST_WINDOW_NS = 250e6;
const MIN_BURST_WINDOWS = 4;

export interface Burst {
  k0: number;
  k1: number;
  confidence: number;
}

export function findBursts(ticks: Ticks, minConfidence: number): {instance: PatternInstance | null; bursts: Burst[]} {
  const {u, ticksPer} = utilisation(ticks, BURST_WINDOW_NS);
  if (u.length < 3 * MIN_BURST_WINDOWS) return {instance: null, bursts: []};
  const base = median(u);
  const spread = Math.max(0.01, 1.4826 * median(u.map((x) => Math.abs(x - base))));
  const threshold = base + Math.max(0.2, 4 * spread);
  const bursts: Burst[] = [];
  for (let w = 0; w < u.length; ) {
    if (u[w] < threshold) { w++; continue; }
    let end = w;
    for (let j = w + 1; j < u.length; j++) {
      if (u[j] >= threshold) end = j;
      else if (!(j + 1 < u.length && u[j + 1] >= threshold && j - 1 === end)) break;
    }
    const windows = end - w + 1;
    if (windows >= MIN_BURST_WINDOWS) {
      let sum = 0;
      for (let j = w; j <= end; j++) sum += u[j];
      const z = (sum / windows - base) / (spread / Math.sqrt(windows));
      const confidence = confidenceOf(-(z * z) / 2, u.length / windows);
      if (confidence >= minConfidence) bursts.push({k0: w * ticksPer, k1: (end + 1) * ticksPer - 1, confidence});
    }
    w = end + 1;
  }
  if (bursts.length === 0) return {instance: null, bursts};
  const occurrences = bursts.map((b) => tickSpan(ticks, b.k0, b.k1));
  const ev = evidence(ticks, samplesIn(ticks.profile, occurrences));
  const seconds = median(occurrences.map((o) => o.to - o.from));
  let level = 0, n = 0;
  for (const b of bursts) for (let k = b.k0; k <= b.k1; k++) { level += ticks.busy[k]; n += ticks.capacity; }
  const gaps = occurrences.slice(1).map((o, i) => o.from - occurrences[i].from);
  const every = gaps.length >= 2 && gaps.every((g) => Math.abs(g - median(gaps)) <= 0.1 * median(gaps)) ? median(gaps) : null;
  const what = shortName(ev.frames[0]?.name ?? ev.threads[0] ?? "unknown code");
  const spacing = every === null ? "" : ` every ${durationText(every)}`;
  return {
    bursts,
    instance: {
      kind: "load-bursts",
      label: `load bursts: ${durationText(seconds)}${spacing}, ${percent(level / n)} busy, mostly ${what}`,
      explanation: `${bursts.length} ${bursts.length === 1 ? "burst" : "bursts"} of about ${durationText(seconds)}${every === null ? "" : ` at a regular spacing of ${durationText(every)}`} in which the ${cpusText(ticks)} were ${percent(level / n)} busy against ${percent(base)} usually: vertical bands on the heat map, mostly ${what} (a batch job, a cache refresh, a monitoring agent).`,
      confidence: Math.round(Math.max(...bursts.map((b) => b.confidence)) * 1000) / 1000,
      frames: ev.frames, threads: ev.threads,
      parameters: {count: bursts.length, durationMs: Math.round(seconds * 1000), ...(every === null ? {} : {everyMs: Math.round(every * 1000)}), utilization: round3(level / n), baseUtilization: round3(base)},
      occurrences, selection: rangesSelection(occurrences),
    },
  };
}

/** Whole seconds of ticks (the first and last, partial, left out). */
function perSecond(ticks: Ticks): Float64Array {
  const {u} = utilisation(ticks, NS);
  return u.length > 2 ? u.subarray(1, u.length - 1) : u;
}

export function findTrend(ticks: Ticks, minConfidence: number): PatternInstance | null {
  const u = perSecond(ticks);
  const n = u.length;
  if (n < 10) return null;
  let sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) { sx += i; sy += u[i]; sxx += i * i; sxy += i * u[i]; syy += u[i] * u[i]; }
  const vx = sxx - (sx * sx) / n, vy = syy - (sy * sy) / n, cov = sxy - (sx * sy) / n;
  if (vx <= 0 || vy <= 0) return null;
  const slope = cov / vx, r2 = (cov * cov) / (vx * vy);
  const change = slope * (n - 1);
  if (Math.abs(change) < 0.25 || r2 < 0.6) return null;
  const t2 = (r2 * (n - 2)) / Math.max(1e-12, 1 - r2);
  const confidence = confidenceOf(-t2 / 2, 1);
  if (confidence < minConfidence) return null;
  const a = sy / n - slope * (sx / n), first = a, last = a + slope * (n - 1);
  const occurrences = [tickSpan(ticks, 0, ticks.count - 1)];
  // The work whose load changes: the widest frames of the busiest third.
  const third = (ticks.count * ticks.tickNs) / 3e9;
  const busiest = change > 0 ? {from: occurrences[0].to - third, to: occurrences[0].to} : {from: occurrences[0].from, to: occurrences[0].from + third};
  const ev = evidence(ticks, samplesIn(ticks.profile, [busiest]), undefined, 5, "inside");
  const direction = change > 0 ? "increasing" : "decreasing";
  return {
    kind: "load-trend",
    label: `load ${direction}: ${percent(clamp01(first))} → ${percent(clamp01(last))} of ${cpusText(ticks)} over ${durationText(n)}`,
    explanation: `The CPUs' utilisation ${change > 0 ? "rises" : "falls"} steadily from about ${percent(clamp01(first))} to ${percent(clamp01(last))} over ${n} s (R² ${r2.toFixed(2)}): columns ${change > 0 ? "darkening" : "fading"} from left to right.`,
    confidence: Math.round(confidence * 1000) / 1000,
    frames: ev.frames, threads: ev.threads,
    parameters: {fromUtilization: round3(clamp01(first)), toUtilization: round3(clamp01(last)), perSecond: round3(slope), r2: round3(r2)},
    occurrences, selection: rangesSelection(occurrences),
  };
}

/** The steady level, when at least 2 % and most seconds sit near it. */
export function steadyLoad(ticks: Ticks, minConfidence: number): PatternInstance | null {
  const u = perSecond(ticks);
  if (u.length < 3) return null;
  let mean = 0;
  for (const x of u) mean += x;
  mean /= u.length;
  if (mean < 0.02) return null;
  const perSecondChances = (NS / ticks.tickNs) * ticks.capacity;
  const tolerance = Math.max(0.1, 3 * Math.sqrt((mean * (1 - mean)) / perSecondChances));
  const near = u.filter((x) => Math.abs(x - mean) <= tolerance).length / u.length;
  if (near < minConfidence) return null;
  const occurrences = [tickSpan(ticks, 0, ticks.count - 1)];
  const ev = evidence(ticks, samplesIn(ticks.profile, occurrences), undefined, 5, "inside");
  const what = shortName(ev.frames[0]?.name ?? ev.threads[0] ?? "");
  return {
    kind: "steady-load",
    label: `steady load: ${percent(mean)} of ${cpusText(ticks)}`,
    explanation: `The ${cpusText(ticks)} are about ${percent(mean)} busy throughout (${percent(near)} of the seconds within ${percent(tolerance)} of it), with no pattern standing out${what ? `; the work is mostly ${what}` : ""}.`,
    confidence: Math.round(near * 1000) / 1000,
    frames: ev.frames, threads: ev.threads,
    parameters: {utilization: round3(mean), cpus: ticks.lanes, seconds: u.length},
    occurrences, selection: rangesSelection(occurrences),
  };
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}


