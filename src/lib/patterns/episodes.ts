// Episodes in which the CPUs do something unusual together, found on the sampling grid:
// - perturbation: every CPU busy for 100s of ms (GC-like), over a lighter load;
// - CPU blocking: every CPU idle (or not sampled: an idle VM CPU often is not) for
//   100s of ms in a busy map (I/O-like);
// - single-threaded blocking: one thread alone on CPU while the others idle (a lock).
// A run of ticks in such a state is reported when the ticks around it make so long a
// run unlikely: a two-state Markov chain fitted to the surroundings (load drifts, and
// requests make neighbouring ticks alike, so neither a global rate nor independent
// ticks would do).
import {evidence} from "./frames.js";
import {durationText, rangesSelection, shortName, tickSpan} from "./instance.js";
import {confidenceOf, logBinomialTail, median} from "./stats.js";
import type {Ticks} from "./ticks.js";
import type {PatternInstance, PatternKind, PatternOccurrence} from "./types.js";
import {NS} from "../time.js";

/** Shortest episode: 100 ms ("100s of ms" of GC or I/O), at least 4 ticks. */
const MIN_EPISODE_NS = 100e6;
/** Longer all-busy runs are load, not a perturbation (see ./load.ts). */
const MAX_PERTURBATION_NS = 3e9;
/** Runs this close to a capture's start or end are not reported. */
export const EDGE_NS = NS;
/** How far around a run its surroundings reach. */
const CONTEXT_NS = 5e9;

interface Run {
  k0: number;
  k1: number;
  /** Ticks in the state (the rest are tolerated one-tick gaps). */
  inState: number;
  /** Thread (index) of a single-thread run, else -1. */
  thread: number;
  confidence: number;
}

type TickState = (k: number) => boolean;

function busyThreadOf(ticks: Ticks, k: number): number {
  const {sample, lanes, profile} = ticks;
  let thread = -1;
  for (let l = 0; l < lanes; l++) {
    const i = sample[k * lanes + l];
    if (i < 0) continue;
    const t = profile.samples.thread[i];
    if (thread >= 0 && t !== thread) return -2;
    thread = t;
  }
  return thread;
}

/** Runs of ticks in a state, bridging one-tick gaps; `sameThread` keeps a run to the
 * one thread of its first tick. */
function findRuns(ticks: Ticks, inState: TickState, minTicks: number, sameThread: boolean): Run[] {
  const runs: Run[] = [];
  let k = 0;
  while (k < ticks.count) {
    if (!inState(k)) { k++; continue; }
    const thread = sameThread ? busyThreadOf(ticks, k) : -1;
    const fits = (j: number) => inState(j) && (!sameThread || busyThreadOf(ticks, j) === thread);
    let end = k, n = 1;
    for (let j = k + 1; j < ticks.count; j++) {
      if (fits(j)) { end = j; n++; continue; }
      if (j + 1 < ticks.count && fits(j + 1) && j - 1 === end) continue;
      break;
    }
    if (end - k + 1 >= minTicks) runs.push({k0: k, k1: end, inState: n, thread, confidence: 0});
    k = end + 1;
  }
  return runs;
}

/** Prefix sums, over the ticks outside the given runs (episodes already found must
 * not teach the chain that the state persists), of the ticks, of those in the state
 * and of its stays (k − 1 and k both in it), for the local chain. */
function stateSums(ticks: Ticks, inState: TickState, runs: readonly Run[]): Sums {
  const n = ticks.count;
  const inRun = new Uint8Array(n);
  for (const r of runs) inRun.fill(1, r.k0, r.k1 + 1);
  const normal = new Int32Array(n + 1), state = new Int32Array(n + 1), stay = new Int32Array(n + 1);
  let prev = false;
  for (let k = 0; k < n; k++) {
    const counted = inRun[k] === 0;
    const s = counted && inState(k);
    normal[k + 1] = normal[k] + (counted ? 1 : 0);
    state[k + 1] = state[k] + (s ? 1 : 0);
    stay[k + 1] = stay[k] + (s && prev ? 1 : 0);
    prev = s;
  }
  return {normal, state, stay};
}

interface Sums {
  normal: Int32Array;
  state: Int32Array;
  stay: Int32Array;
}

/** How unlikely a run is given the ticks around it (excluding the run and a margin):
 * its in-state ticks against a binomial with the surroundings' rate, on an effective
 * length shortened by the surroundings' tick-to-tick correlation (a Markov chain's
 * variance inflation, (1 + ρ) / (1 − ρ)). */
function runConfidence(ticks: Ticks, sums: Sums, run: Run): number {
  const reach = Math.max(Math.round(CONTEXT_NS / ticks.tickNs), 2 * (run.k1 - run.k0 + 1));
  const margin = 2;
  const a0 = Math.max(0, run.k0 - reach), a1 = Math.max(a0, run.k0 - margin);
  const b0 = Math.min(ticks.count, run.k1 + 1 + margin), b1 = Math.min(ticks.count, run.k1 + 1 + reach);
  // A run within a second of a capture's start or end is most likely the workload
  // starting or stopping; elsewhere it needs surroundings on both sides.
  const side = Math.round(EDGE_NS / ticks.tickNs);
  if (a1 - a0 < side || b1 - b0 < side) return 0;
  const total = sums.normal[a1] - sums.normal[a0] + sums.normal[b1] - sums.normal[b0];
  if (total < 20) return 0;
  const inState = sums.state[a1] - sums.state[a0] + sums.state[b1] - sums.state[b0];
  // stay[k + 1] counts the transitions (j − 1 → j), j ≤ k, that stay in the state.
  const staysIn = (a: number, b: number) => (b - a >= 2 ? sums.stay[b] - sums.stay[a + 1] : 0);
  const stays = staysIn(a0, a1) + staysIn(b0, b1);
  const pState = (inState + 1) / (total + 2);
  if (pState >= 0.5) return 0; // the state is the norm around the run: nothing unusual
  const pStay = (stays + 1) / (inState + 2);
  const rho = Math.max(0, Math.min(0.95, (pStay - pState) / (1 - pState)));
  const length = run.k1 - run.k0 + 1;
  const shrink = (1 - rho) / (1 + rho);
  const logP = logBinomialTail(Math.round(run.inState * shrink), Math.max(1, Math.round(length * shrink)), pState);
  // Looked for at every tick, for three states, with gaps bridged: ten trials a tick.
  return confidenceOf(logP, 10 * ticks.count);
}

/** The samples of the runs' ticks: the first counted one of each (tick, lane), which
 * is every one at one sampling period a tick. */
function* samplesOf(ticks: Ticks, runs: readonly {k0: number; k1: number}[]): Generator<number> {
  const {sample, lanes} = ticks;
  for (const r of runs) {
    for (let k = r.k0; k <= r.k1; k++) {
      for (let l = 0; l < lanes; l++) if (sample[k * lanes + l] >= 0) yield sample[k * lanes + l];
    }
  }
}

interface EpisodeKind {
  kind: PatternKind;
  inState: TickState;
  sameThread: boolean;
  maxNs: number;
  describe(ticks: Ticks, group: Run[], ev: ReturnType<typeof evidence>, ms: number): {label: string; explanation: string};
  /** Where the evidence comes from: the runs themselves, or just before them. */
  before?: boolean;
}

function episodeKinds(ticks: Ticks): EpisodeKind[] {
  const {busy, capacity, lanes} = ticks;
  const full = Math.ceil(0.9 * capacity), idle = Math.floor(0.1 * capacity), few = Math.max(1, Math.floor(0.25 * capacity));
  const cpus = `${lanes} ${lanes === 1 ? "CPU" : "CPUs"}`;
  const top = (ev: ReturnType<typeof evidence>) => shortName(ev.frames[0]?.name ?? ev.threads[0] ?? "unknown code");
  const kinds: EpisodeKind[] = [{
    kind: "cpu-blocking", inState: (k) => busy[k] <= idle, sameThread: false, maxNs: Infinity, before: true,
    describe: (_, group, ev, ms) => ({
      label: `CPU blocking: ${durationText(ms / 1000)}, all ${cpus} idle${ev.frames.length ? `, after ${top(ev)}` : ""}`,
      explanation: `All ${cpus} were idle for about ${durationText(ms / 1000)} at a time (${group.length}×) in an otherwise busy profile: every thread was waiting (I/O, a lock, a sleep)${ev.frames.length ? `; the samples just before show ${top(ev)}` : ""}. CPU samples cannot show off-CPU time: an off-CPU profile would.`,
    }),
  }];
  if (lanes >= 2) {
    kinds.push({
      kind: "perturbation", inState: (k) => busy[k] >= full, sameThread: false, maxNs: MAX_PERTURBATION_NS,
      describe: (_, group, ev, ms) => ({
        label: `perturbation: ${durationText(ms / 1000)}, ${cpus}, mostly ${top(ev)}`,
        explanation: `Every CPU was busy for about ${durationText(ms / 1000)} at a time (${group.length}×) over a lighter load, mostly in ${top(ev)} (${ev.threads.join(", ")}): a stop-the-world pause such as garbage collection, or a burst of work.`,
      }),
    }, {
      kind: "single-threaded-blocking", inState: (k) => busy[k] >= 1 && busy[k] <= few && busyThreadOf(ticks, k) >= 0, sameThread: true, maxNs: Infinity,
      describe: (_, group, ev, ms) => {
        const who = ev.threads.map((t) => shortName(t, 30)).join(", ") || "one thread";
        return {
          label: `single-threaded: ${durationText(ms / 1000)}, one thread on CPU (${who}), mostly ${top(ev)}`,
          explanation: `For about ${durationText(ms / 1000)} at a time (${group.length}×) one thread (${who}) ran alone while the other CPUs idled: the other threads were most likely waiting for it (a lock it held), in ${top(ev)}.`,
        };
      },
    });
  }
  return kinds;
}

export interface EpisodeOptions {
  minConfidence: number;
  /** Time spans (ticks) already explained by another pattern: runs inside them are skipped. */
  explained?: readonly {k0: number; k1: number}[];
}

export function findEpisodes(ticks: Ticks, options: EpisodeOptions): PatternInstance[] {
  const minTicks = Math.max(4, Math.ceil(MIN_EPISODE_NS / ticks.tickNs));
  const out: PatternInstance[] = [];
  for (const kind of episodeKinds(ticks)) {
    const runs = findRuns(ticks, kind.inState, minTicks, kind.sameThread)
      .filter((r) => (r.k1 - r.k0 + 1) * ticks.tickNs <= kind.maxNs)
      .filter((r) => !(options.explained ?? []).some((e) => r.k0 >= e.k0 && r.k1 <= e.k1));
    // Twice: the second time the surroundings leave out every run long enough to be an
    // episode, not only those found the first time: episodes that recur every few
    // seconds (a JVM's GC pauses) otherwise raise each other's surroundings' rate and
    // tick-to-tick correlation, and each looks ordinary.
    const plain = stateSums(ticks, kind.inState, []);
    for (const r of runs) r.confidence = runConfidence(ticks, plain, r);
    // Only when some run stands out against the plain surroundings.
    if (runs.some((r) => r.confidence >= options.minConfidence)) {
      const sums = stateSums(ticks, kind.inState, runs);
      for (const r of runs) if (r.confidence < options.minConfidence) r.confidence = runConfidence(ticks, sums, r);
    }
    const kept = runs.filter((r) => r.confidence >= options.minConfidence);
    if (kept.length) out.push(instanceOf(ticks, kind, kept));
  }
  return out;
}

/** Each CPU's last sample in the 100 ms before each run: what it was doing when it
 * went idle (the hint CPU samples give of a blocking's cause). */
function lastBefore(ticks: Ticks, runs: readonly Run[]): number[] {
  const {sample, lanes} = ticks;
  const reach = Math.max(1, Math.round(100e6 / ticks.tickNs));
  const out: number[] = [];
  for (const r of runs) {
    for (let l = 0; l < lanes; l++) {
      for (let k = r.k0 - 1; k >= Math.max(0, r.k0 - reach); k--) {
        const i = sample[k * lanes + l];
        if (i >= 0) { out.push(i); break; }
      }
    }
  }
  return out;
}

function instanceOf(ticks: Ticks, kind: EpisodeKind, group: Run[]): PatternInstance {
  const occurrences: PatternOccurrence[] = group.map((r) => tickSpan(ticks, r.k0, r.k1));
  const ev = evidence(ticks, kind.before ? lastBefore(ticks, group) : samplesOf(ticks, group));
  const ms = median(occurrences.map((o) => (o.to - o.from) * 1000));
  const {label, explanation} = kind.describe(ticks, group, ev, ms);
  return {
    kind: kind.kind, label, explanation,
    confidence: Math.round(Math.max(...group.map((r) => r.confidence)) * 1000) / 1000,
    frames: ev.frames, threads: ev.threads,
    parameters: {count: group.length, durationMs: Math.round(ms), cpus: ticks.lanes},
    occurrences, selection: rangesSelection(occurrences),
  };
}
