// Periodic activity: a thread (or the CPUs together) waking every P, found in the power
// spectrum of its samples on the sampling grid (so perf's own beat is not a period),
// refined on the exact sample times, and read back as a phase and a width in the
// period. A period a little longer than a round one (1 s + 20 ms) is a busy-wait
// thread: it works b ms, sleeps a round S, and its wake-up creeps b ms a period, the
// diagonal of a one-second heat map (busy time = (1000 ms / (rows × spacing)) ×
// tan(angle) by the seed's formula, and measured from the samples).
import {lowerBound} from "../sorted.js";
import {bucketOf, NS} from "../time.js";
import {DEFAULT_ROWS} from "../heatmap.js";
import {cellBlock, formatSelection, type CellBlock} from "../selection.js";
import {busyWaitMs, slopeFormulaMs} from "../synth/slope.js";
import {stackComm} from "../profile.js";
import {evidence} from "./frames.js";
import {durationText, round6, shortName} from "./instance.js";
import {confidenceOf, logBinomialTail, powerSpectrum} from "./stats.js";
import type {Ticks} from "./ticks.js";
import type {PatternInstance, PatternOccurrence} from "./types.js";

/** Shortest period looked for: shorter ones are a few samples apart at 49 Hz. */
const MIN_PERIOD_NS = 80e6;
/** Longest: a minute (slower rhythms are load bursts, ./load.ts), and at least three
 * periods in the profile. */
const MAX_PERIOD_NS = 60e9;
/** Work this wide or wider is a vertical band (load), not a periodic wake-up. */
const MAX_WIDTH_NS = NS;
/** Threads examined, busiest first, and the fewest samples worth a spectrum. */
const MAX_THREADS = 32;
const MIN_SAMPLES = 12;
/** Round sleeps a busy-wait thread may take between bursts. */
const ROUND_SLEEPS_NS = [100e6, 200e6, 250e6, 500e6, 1e9, 2e9, 5e9, 10e9, 15e9, 30e9, 60e9];

interface Series {
  /** A thread index, or -1 for all counted samples. */
  thread: number;
  /** Sample indexes, in time order. */
  samples: number[];
}

/** The series of every busy thread with enough samples, and of all counted samples. */
function seriesOf(ticks: Ticks): Series[] {
  const {tickOf, profile} = ticks;
  const byThread = new Map<number, number[]>();
  const all: number[] = [];
  for (let i = 0; i < tickOf.length; i++) {
    if (tickOf[i] < 0) continue;
    all.push(i);
    const t = profile.samples.thread[i];
    let list = byThread.get(t);
    if (!list) byThread.set(t, (list = []));
    list.push(i);
  }
  const threads = [...byThread].filter(([, s]) => s.length >= MIN_SAMPLES).sort((a, b) => b[1].length - a[1].length).slice(0, MAX_THREADS);
  return [...threads.map(([thread, samples]) => ({thread, samples})), {thread: -1, samples: all}];
}

/** The spectrum's strongest peaks (frequencies, Hz) in the range of periods looked
 * for: a narrow pulse train has power at every harmonic, so each peak only proposes
 * periods; the fold test below picks among them. */
function spectralPeaks(ticks: Ticks, samples: number[], peaks = 3): {frequencies: number[]; bins: number} {
  const {tickOf, count} = ticks;
  // Bins of whole ticks about 5 ms wide: the spectrum then reaches 100 Hz, eight
  // harmonics of the shortest period looked for, and a 1 kHz capture's FFT is a
  // fifth of the size.
  const perBin = Math.max(1, Math.floor(5e6 / ticks.tickNs));
  const tickNs = ticks.tickNs * perBin;
  const n = Math.ceil(count / perBin);
  const x = new Float64Array(n);
  for (const i of samples) x[Math.floor(tickOf[i] / perBin)]++;
  const mean = samples.length / n;
  for (let k = 0; k < n; k++) x[k] -= mean;
  const {power, size} = powerSpectrum(x);
  const binHz = NS / (size * tickNs);
  const spanNs = count * ticks.tickNs;
  const jMin = Math.max(1, Math.ceil(NS / Math.min(MAX_PERIOD_NS, spanNs / 3) / binHz));
  const jMax = Math.min(power.length - 2, Math.floor(NS / Math.max(MIN_PERIOD_NS, 4 * tickNs) / binHz));
  if (jMax <= jMin) return {frequencies: [], bins: 0};
  // Power over the noise floor near each frequency (the median of a band 25 % wide: a
  // peak holds a bin or two of it; a load trend raises the low bands only).
  const z = new Float64Array(power.length);
  const zMax = power.length - 2; // harmonics of the periods looked for reach higher
  for (let lo = jMin; lo <= zMax; ) {
    const hi = Math.min(zMax, Math.max(lo + 16, Math.floor(lo * 1.25)));
    // The median of up to 65 evenly spaced bins of the band: as good a floor, and
    // sorting whole bands of a long capture's spectrum is most of the detector's time.
    const stride = Math.max(1, Math.floor((hi - lo + 1) / 65));
    const band: number[] = [];
    for (let j = lo; j <= hi; j += stride) band.push(power[j]);
    band.sort((a, b) => a - b);
    const floor = Math.max(band[band.length >> 1] / Math.LN2, 1e-12);
    for (let j = lo; j <= hi; j++) z[j] = power[j] / floor;
    lo = hi + 1;
  }
  // Narrow pulses (a short wake-up every 5 s) spread their power over many harmonics,
  // none above the rest: the harmonic sum (z at f, 2f, … 8f) peaks at the fundamental.
  const harmonicSum = new Float64Array(power.length);
  for (let j = jMin; j <= jMax; j++) {
    for (let h = 1; h <= 8 && h * j < power.length; h++) harmonicSum[j] += z[h * j];
  }
  const top = (score: Float64Array, n: number, min: number) => {
    const order: number[] = [];
    for (let j = jMin; j <= jMax; j++) if (score[j] >= min) order.push(j);
    order.sort((a, b) => score[b] - score[a]);
    const out: number[] = [];
    for (const j of order) {
      if (out.length >= n || score[j] < min) break;
      if (out.every((c) => Math.abs(c - j) > 2)) out.push(j);
    }
    return out;
  };
  // Peaks noise would rarely reach anywhere in the range: the largest of n Exp(1)
  // powers is about ln n, a sum of 8 is Gamma(8)-distributed.
  const bins = jMax - jMin + 1;
  const chosen = [...new Set([...top(z, peaks, Math.log(bins) + 5), ...top(harmonicSum, 2, 35 + Math.log(bins))])];
  return {frequencies: chosen.map((j) => j * binHz), bins};
}

/** Periods a peak at `hz` may be a harmonic of: 1 to 6 times its period (shorter
 * ones, aliases of a creeping wake-up, are tried from the best fold, creepAlias). */
function candidatePeriods(hz: number): number[] {
  const out: number[] = [];
  for (let h = 1; h <= 6; h++) {
    const p = (NS / hz) * h;
    if (p >= MIN_PERIOD_NS && p <= MAX_PERIOD_NS) out.push(p);
  }
  return out;
}

/** Most samples the period refinement reads (evenly spaced picks beyond). */
const MAX_REFINE_SAMPLES = 500;

/** The period (ns) near `approxNs` at which the samples' phases line up best
 * (Rayleigh's R² on the exact times), searched coarse then fine. */
function refinePeriod(times: Float64Array, approxNs: number, spanNs: number): number {
  return snapped(searchPeriod(times, approxNs, spanNs));
}

/** A period within 0.05 % of a round one (a timer's) as the round one: the search's
 * last digits are noise, and a round period reads better in a fold's selection. */
function snapped(period: number): number {
  const round = [...ROUND_SLEEPS_NS, Math.round(period / NS) * NS].find((r) => r > 0 && Math.abs(period - r) <= 0.0005 * r);
  return round ?? period;
}

function searchPeriod(times: Float64Array, approxNs: number, spanNs: number): number {
  const cycles = Math.max(1, spanNs / approxNs);
  let center = approxNs, reach = (1.5 * approxNs) / cycles;
  for (let pass = 0, steps = 16; pass < 3; pass++, steps = 5) {
    let bestP = center, bestR = -1;
    for (let s = -steps; s <= steps; s++) {
      const p = center + (reach * s) / steps;
      let c = 0, sn = 0;
      for (let i = 0; i < times.length; i++) {
        const a = ((times[i] % p) / p) * 2 * Math.PI;
        c += Math.cos(a);
        sn += Math.sin(a);
      }
      const r = c * c + sn * sn;
      if (r > bestR) { bestR = r; bestP = p; }
    }
    center = bestP;
    reach /= steps;
  }
  return Math.round(center);
}

interface Fold {
  period: number;
  rows: number;
  /** First and last bucket of the active window, circular (b1 < b0 wraps). */
  b0: number;
  b1: number;
  /** Samples in the window. */
  inWindow: number;
}

/** The active window of samples folded at `period`: the peak bucket and the buckets
 * around it well above an even spread. */
function foldWindow(ticks: Ticks, times: Float64Array, period: number): Fold {
  // Buckets one tick wide: narrower ones would split each CPU's fixed grid phases
  // unevenly between them, and perf's beat would pass for a period.
  const rows = Math.max(2, Math.round(period / ticks.tickNs));
  const counts = new Float64Array(rows);
  for (const t of times) counts[bucketOf(t % period, rows, period)]++;
  let peak = 0;
  for (let b = 1; b < rows; b++) if (counts[b] > counts[peak]) peak = b;
  const even = times.length / rows;
  const active = (b: number) => counts[(b + rows) % rows] > Math.max(3 * even, 0.15 * counts[peak]) && counts[(b + rows) % rows] >= 1;
  let lo = peak, hi = peak;
  while (hi - lo + 1 < rows && active(lo - 1)) lo--;
  while (hi - lo + 1 < rows && active(hi + 1)) hi++;
  let inWindow = 0;
  for (let b = lo; b <= hi; b++) inWindow += counts[(b + rows) % rows];
  return {period, rows, b0: (lo + rows) % rows, b1: (hi + rows) % rows, inWindow};
}

function windowWidth(f: Fold): number {
  return (((f.b1 - f.b0 + f.rows) % f.rows) + 1) * (f.period / f.rows);
}

/** The selection of a fold's window in every period: one folded cell block (two when
 * the window wraps past the period's end). */
function foldSelection(f: Fold, lastColumn: number): string {
  const blocks: CellBlock[] = f.b0 <= f.b1
    ? [cellBlock(0, lastColumn, f.b0, f.b1, f.rows, f.period)]
    : [cellBlock(0, lastColumn, f.b0, f.rows - 1, f.rows, f.period), cellBlock(0, lastColumn, 0, f.b1, f.rows, f.period)];
  return formatSelection(blocks);
}

export function findPeriodic(ticks: Ticks, options: {minConfidence: number; explained?: readonly {from: number; to: number}[]}): PatternInstance[] {
  const {profile, count, tickNs} = ticks;
  const explained = (options.explained ?? []).map((e) => ({from: e.from * NS, to: e.to * NS}));
  const {time} = profile.samples;
  const spanNs = count * tickNs;
  const out: PatternInstance[] = [];
  const all = seriesOf(ticks);
  const reported = new Set<number>();
  // Sample times of reported threads, for the whole profile's series (sorted: binary search).
  const reportedAt = (t: number) => {
    for (let i = lowerBound(time, t); i < time.length && time[i] === t; i++) if (reported.has(profile.samples.thread[i])) return true;
    return false;
  };
  for (const series of all) {
    const {frequencies, bins} = spectralPeaks(ticks, series.samples);
    if (frequencies.length === 0) continue;
    const times = Float64Array.from(series.samples, (i) => time[i]);
    const step = Math.max(1, Math.ceil(times.length / MAX_REFINE_SAMPLES));
    const picked = step === 1 ? times : times.filter((_, i) => i % step === 0);
    // The fold test: the share of the samples in the period's active window against an
    // even spread over the period (a binomial tail), for each candidate period.
    // Harmonics of different peaks propose the same periods: each once.
    const proposed = frequencies.flatMap(candidatePeriods).sort((a, b) => a - b).filter((p, i, all) => i === 0 || p > all[i - 1] * 1.003);
    // The candidates are compared on the picked samples (the same for all), the best
    // then folded with every sample.
    let bestPeriod = 0, bestLogP = 0;
    for (const approx of proposed) {
      const period = refinePeriod(picked, approx, spanNs);
      if (period < Math.max(MIN_PERIOD_NS, 4 * tickNs) || period > MAX_PERIOD_NS || spanNs < 3 * period) continue;
      const fold = foldWindow(ticks, picked, period);
      const width = windowWidth(fold);
      if (width >= MAX_WIDTH_NS || width > 0.5 * period) continue;
      const logP = logBinomialTail(fold.inWindow, picked.length, width / period);
      if (bestPeriod === 0 || logP < bestLogP) [bestPeriod, bestLogP] = [period, logP];
    }
    if (bestPeriod === 0) continue;
    const fold = foldWindow(ticks, times, bestPeriod);
    const width = windowWidth(fold);
    if (width >= MAX_WIDTH_NS || width > 0.5 * bestPeriod) continue;
    let best = {fold, logP: logBinomialTail(fold.inWindow, times.length, width / bestPeriod)};
    best = longerPeriod(ticks, times, picked, best.fold, spanNs) ?? best;
    if (!explainedDirectly(ticks, best.fold, times.length)) best = {...best, fold: creepAlias(ticks, times, picked, best.fold, spanNs) ?? best.fold};
    if (explained.length && share(times, best.fold, (t) => explained.some((e) => t >= e.from && t < e.to)) >= 0.8) continue;
    // Looked for at every frequency bin, phase and window of every series tested.
    const confidence = confidenceOf(best.logP, bins * best.fold.rows * all.length * 4);
    if (confidence < options.minConfidence) continue;
    // The whole profile's rhythm is reported only when no thread's explains it: most
    // of its samples are not of a thread already reported.
    if (series.thread < 0 && share(times, best.fold, (t) => reportedAt(t)) >= 0.5) continue;
    const instance = periodicInstance(ticks, series, best.fold, confidence);
    if (!instance) continue;
    out.push(instance);
    if (series.thread >= 0) reported.add(series.thread);
  }
  return out;
}

/** The share of the samples in a fold's window for which `test(time)` holds. */
function share(times: Float64Array, fold: Fold, test: (t: number) => boolean): number {
  let n = 0, yes = 0;
  for (const t of times) {
    if (!inFoldWindow(fold, t)) continue;
    n++;
    if (test(t)) yes++;
  }
  return n ? yes / n : 0;
}

function inFoldWindow(fold: Fold, t: number): boolean {
  const phase = (fold.b0 * fold.period) / fold.rows;
  const offset = (t % fold.period) - phase;
  return (offset < 0 ? offset + fold.period : offset) < windowWidth(fold);
}

/** A fold at k × the period when the samples sit in one of its k windows only: a
 * thread waking every second also lines up at 500 ms, with every other window empty
 * (the binomial test alone cannot tell them apart when the work is short). */
function longerPeriod(ticks: Ticks, times: Float64Array, picked: Float64Array, fold: Fold, spanNs: number): {fold: Fold; logP: number} | null {
  const n = times.length;
  for (let k = 2; k <= 10; k++) {
    const longer = fold.period * k;
    if (longer > MAX_PERIOD_NS || spanNs < 3 * longer) break;
    const counts = new Float64Array(k);
    const phase = (fold.b0 * fold.period) / fold.rows;
    for (const t of times) if (inFoldWindow(fold, t)) counts[Math.floor((t - phase) / fold.period) % k]++;
    const top = Math.max(...counts);
    const inWindow = counts.reduce((a, b) => a + b, 0);
    if (inWindow === 0 || top < 0.8 * inWindow || logBinomialTail(top, inWindow, 1 / k) > -8) continue;
    const period = refinePeriod(picked, longer, spanNs);
    const folded = foldWindow(ticks, times, period);
    const width = windowWidth(folded);
    if (width >= MAX_WIDTH_NS || width > 0.5 * period) continue;
    return {fold: folded, logP: logBinomialTail(folded.inWindow, n, width / period)};
  }
  return null;
}

/** Whether a fold's period needs no aliasing to explain it: a round period (a
 * timer), or a round sleep plus a creep that matches the CPU time measured per
 * wake-up (a busy-wait whose every wake-up is sampled). */
function explainedDirectly(ticks: Ticks, fold: Fold, samples: number): boolean {
  const {period} = fold;
  if (ROUND_SLEEPS_NS.some((s) => Math.abs(period - s) <= 0.002 * s) || Math.abs(period - Math.round(period / NS) * NS) <= 0.002 * period) return true;
  const sleep = ROUND_SLEEPS_NS.filter((s) => s < period).pop();
  if (sleep === undefined) return false;
  const creep = period - sleep;
  const busyNs = (fold.inWindow / ((ticks.count * ticks.tickNs) / period)) * (ticks.tickNs / ticks.perTick);
  return creep <= 0.3 * sleep && samples > 0 && creep / busyNs > 0.5 && creep / busyNs < 2;
}

/** A busy-wait thread's true period when only some of its wake-ups were sampled: its
 * wake-up creeps b a period against perf's grid, so a short burst meets a sampling
 * tick only every k periods, where k·b is about a whole number of sampling periods,
 * and the samples line up at k times the period (Gregg's light busy-wait). Every
 * P / k that fits is equally consistent with the samples; a one-second sleep, the
 * common case, is preferred, else the longest period that fits. */
function creepAlias(ticks: Ticks, times: Float64Array, picked: Float64Array, fold: Fold, spanNs: number): Fold | null {
  const samplingNs = ticks.tickNs / ticks.perTick;
  const fits: {fold: Fold; sleep: number}[] = [];
  for (let k = 2; k <= 8; k++) {
    const shorter = fold.period / k;
    const sleep = ROUND_SLEEPS_NS.filter((s) => s < shorter).pop();
    if (sleep === undefined || shorter > 1.3 * sleep || shorter - sleep < 1e6) continue;
    const drift = k * (shorter - sleep);
    const j = Math.round(drift / samplingNs);
    if (j < 1 || Math.abs(drift - j * samplingNs) > 0.15 * samplingNs) continue;
    const period = refinePeriod(picked, shorter, spanNs);
    const folded = foldWindow(ticks, times, period);
    if (folded.inWindow >= 0.8 * times.length && windowWidth(folded) <= 0.5 * period) fits.push({fold: folded, sleep});
  }
  return (fits.find((f) => f.sleep === NS) ?? fits[0])?.fold ?? null;
}

function periodicInstance(ticks: Ticks, series: Series, fold: Fold, confidence: number): PatternInstance | null {
  const {profile} = ticks;
  const {time} = profile.samples;
  const {period, rows, b0} = fold;
  const windowStart = (b0 * period) / rows;
  const width = windowWidth(fold);
  const inWindow = (t: number) => inFoldWindow(fold, t);
  // The wake-up's offset: the earliest in-window sample's (samples fall evenly over
  // the work after it), where the window's buckets only give it to a bucket.
  let phaseNs = Infinity;
  for (const i of series.samples) {
    if (!inWindow(time[i])) continue;
    const offset = (time[i] % period) - windowStart;
    phaseNs = Math.min(phaseNs, windowStart + (offset < 0 ? offset + period : offset));
  }
  phaseNs %= period;
  // Each wake-up that holds samples, in time order.
  const occurrences: PatternOccurrence[] = [];
  let lastCycle = -Infinity;
  for (const i of series.samples) {
    if (!inWindow(time[i])) continue;
    const cycle = Math.floor((time[i] - windowStart) / period);
    if (cycle === lastCycle) continue;
    lastCycle = cycle;
    const from = windowStart + cycle * period;
    occurrences.push({from: round6(Math.max(0, from) / NS), to: round6((from + width) / NS)});
  }
  // Wake-ups sampled too rarely to be worth a proposal (a kernel thread seen 8 times
  // in 300 periods); light busy-waits are sampled every few periods.
  if (occurrences.length < Math.max(5, (0.1 * ticks.count * ticks.tickNs) / period)) return null;
  const ev = evidence(ticks, series.samples, (i) => inWindow(time[i]));
  const lastColumn = Math.floor((ticks.start + ticks.count * ticks.tickNs) / period);
  const cycles = (ticks.count * ticks.tickNs) / period;
  // A sample stands for one sampling period of CPU time.
  const busyNs = (fold.inWindow / cycles) * (ticks.tickNs / ticks.perTick);
  const who = shortName(series.thread >= 0 ? stackComm(profile, profile.samples.stack[series.samples[0]]) : ev.threads.join(", ") || "all threads");
  const what = shortName(ev.frames[0]?.name ?? who);
  const base = {frames: ev.frames, threads: series.thread >= 0 ? [who] : ev.threads, occurrences, selection: foldSelection(fold, lastColumn), period, confidence: Math.round(confidence * 1000) / 1000};
  const sleep = ROUND_SLEEPS_NS.filter((s) => s < period).pop();
  const creep = sleep === undefined ? 0 : period - sleep;
  // A busy-wait: the period overshoots a round sleep by about the CPU time measured per
  // wake-up (a timer on a fixed schedule keeps the round period exactly).
  if (sleep !== undefined && creep >= Math.max(1e6, 0.002 * sleep) && creep <= 0.3 * sleep && busyNs > 0 && creep / busyNs > 0.4 && creep / busyNs < 2.5) {
    const rowsShown = DEFAULT_ROWS;
    // The line climbs `creep` a wake-up, 1 s / period wake-ups a one-second column.
    const wakeUpsPerSecond = NS / period;
    const climbMs = (creep / 1e6) * wakeUpsPerSecond;
    const slope = climbMs / (1000 / rowsShown);
    return {
      kind: "busy-wait",
      label: `busy-wait: ${durationText(creep / NS)} of CPU every ${durationText(period / NS)}, ${what}`,
      explanation: `${who} works about ${durationText(creep / NS)} (${durationText(busyNs / NS)} measured from the samples) and then sleeps ${durationText(sleep / NS)}, so each wake-up comes ${durationText(creep / NS)} later: a diagonal on the one-second heat map, climbing ${slope.toFixed(2)} rows a column at ${rowsShown} rows, in ${what}.`,
      parameters: {
        periodMs: round6(period / 1e6), sleepMs: sleep / 1e6, busyMs: round6(creep / 1e6), measuredBusyMs: round6(busyNs / 1e6),
        slopeRowsPerColumn: round6(slope), formulaBusyMs: round6(slopeFormulaMs(slope, rowsShown, wakeUpsPerSecond)),
        slopeBusyMs: round6(busyWaitMs(slope, rowsShown, sleep / 1e6)),
        phaseMs: round6(phaseNs / 1e6), wrapSeconds: round6(1000 / climbMs), wakeUps: occurrences.length,
      },
      ...base,
    };
  }
  return {
    kind: "periodic",
    label: `periodic: every ${durationText(period / NS)} at +${Math.round(phaseNs / 1e6)} ms, ${durationText(busyNs / NS)}, ${what}`,
    explanation: `${who} runs about ${durationText(busyNs / NS)} every ${durationText(period / NS)}, ${Math.round(phaseNs / 1e6)} ms into the period (${occurrences.length} wake-ups with samples), in ${what}: a timer; fold the heat map at ${durationText(period / NS)} to see it as one row.`,
    parameters: {periodMs: round6(period / 1e6), phaseMs: round6(phaseNs / 1e6), widthMs: round6(width / 1e6), busyMs: round6(busyNs / 1e6), wakeUps: occurrences.length},
    ...base,
  };
}
