// Bursts of one function: a cache refresh, a compaction, a report: code that runs for
// 100s of ms at a time and rarely otherwise, whether or not it raises the CPUs' load
// (a refresh on a Node event loop takes the loop's one CPU from the requests). Found
// per frame: the runs of its samples (as in ../occupancy.ts), kept when the frame's
// samples gather in them far more than the profile's activity does (a binomial test),
// so a function that runs whenever anything runs is not a burst.
import {frameName, stackComm} from "../profile.js";
import {EDGE_NS} from "./episodes.js";
import {evidence, subtreeTotals} from "./frames.js";
import {durationText, rangesSelection, round6, samplesIn, shortName} from "./instance.js";
import {confidenceOf, logBinomialTail, median} from "./stats.js";
import type {Ticks} from "./ticks.js";
import type {PatternInstance, PatternOccurrence} from "./types.js";
import {NS} from "../time.js";

/** Frames examined (most samples first), and the fewest samples worth it. */
const MAX_FRAMES = 64;
const MIN_SAMPLES = 12;
/** A burst: at least this long and this many samples. */
const MIN_BURST_NS = 100e6;
const MIN_BURST_SAMPLES = 4;

interface Candidate {
  /** The function's name, V8's JIT tier mark dropped. */
  name: string;
  /** Its counted samples, and the runs of them long enough to be bursts. */
  total: number;
  runs: Burst[];
}

interface Burst {
  k0: number;
  k1: number;
  samples: number;
}

/** A frame's function: V8 names a function by its JIT tier (`JS:~f` interpreted,
 * `JS:^f` baseline, `JS:*f` optimised), and a function that moves up a tier during
 * warm-up would look like a burst of each. */
function functionName(name: string): string {
  return name.replace(/^JS:[~^*+]/, "JS:");
}

/** The functions worth examining, each with its runs: those on fewer than half of
 * the counted samples (a thread's entry point is on all of its own). One pass over
 * the samples keeps each function's current run, so memory follows the runs, not the
 * samples (a million-sample capture has hundreds of thousands of frame visits). */
function candidates(ticks: Ticks): Candidate[] {
  const {profile, tickOf, perTick, tickNs} = ticks;
  const {prefix, frame} = profile.stacks;
  const {stack} = profile.samples;
  // Each frame's function (an index into names).
  const names: string[] = [], keyByName = new Map<string, number>();
  const keyOf = new Int32Array(profile.frames.length);
  for (let f = 0; f < keyOf.length; f++) {
    const name = functionName(frameName(profile, f));
    let k = keyByName.get(name);
    if (k === undefined) keyByName.set(name, (k = names.push(name) - 1));
    keyOf[f] = k;
  }
  // Samples under each node of the stack trie (children have larger ids), then each
  // function's total: the nodes of its frames not under the same function (direct
  // recursion counts once; f → g → f may count twice, a ranking's small error).
  const under = subtreeTotals(ticks);
  const perKey: number[] = [];
  for (let x = 0; x < under.length; x++) {
    if (under[x] === 0 || prefix[x] < 0) continue; // unsampled, or the process frame
    const k = keyOf[frame[x]];
    if (prefix[prefix[x]] >= 0 && keyOf[frame[prefix[x]]] === k) continue;
    perKey[k] = (perKey[k] ?? 0) + under[x];
  }
  const chosen = names.map((_, k) => k)
    .filter((k) => perKey[k] >= MIN_SAMPLES && perKey[k] <= 0.5 * ticks.samples)
    .sort((a, b) => perKey[b] - perKey[a])
    .slice(0, MAX_FRAMES);
  const index = new Int32Array(names.length).fill(-1);
  chosen.forEach((k, j) => (index[k] = j));
  const chosenOfFrame = keyOf.map((k) => index[k]);
  // The chosen functions on each node's path as a bit set (a node's is its parent's
  // plus its own function): a sample's functions are then its stack's set bits, each
  // once, however deep and recursive the stack (walking deep stacks frame by frame
  // was most of this detector's time).
  const words = Math.ceil(chosen.length / 32);
  const bits = new Uint32Array(under.length * words);
  for (let x = 0; x < under.length; x++) {
    const p = prefix[x];
    if (p < 0) continue;
    for (let w = 0; w < words; w++) bits[x * words + w] = bits[p * words + w];
    const j = chosenOfFrame[frame[x]];
    if (j >= 0) bits[x * words + (j >> 5)] |= 1 << (j & 31);
  }
  // Runs: samples no more than four sampling periods apart.
  const gapTicks = Math.max(1, Math.round(4 / perTick));
  const start = new Int32Array(chosen.length).fill(-1), last = new Int32Array(chosen.length), count = new Int32Array(chosen.length);
  const runs: Burst[][] = chosen.map(() => []);
  const close = (j: number) => {
    if (count[j] >= MIN_BURST_SAMPLES && (last[j] - start[j] + 1) * tickNs >= MIN_BURST_NS) runs[j].push({k0: start[j], k1: last[j], samples: count[j]});
  };
  for (let i = 0; i < tickOf.length; i++) {
    const k = tickOf[i];
    if (k < 0) continue;
    const base = stack[i] * words;
    for (let w = 0; w < words; w++) {
      for (let word = bits[base + w]; word !== 0; word &= word - 1) {
        const j = w * 32 + 31 - Math.clz32(word & -word);
        if (start[j] >= 0 && k - last[j] <= gapTicks) {
          last[j] = k;
          count[j]++;
          continue;
        }
        if (start[j] >= 0) close(j);
        start[j] = last[j] = k;
        count[j] = 1;
      }
    }
  }
  for (let j = 0; j < chosen.length; j++) if (start[j] >= 0) close(j);
  return chosen.map((k, j) => ({name: names[k], total: perKey[k], runs: runs[j]}));
}

/** The counted samples of a function inside its bursts (gathered only for the few
 * functions that pass the tests on runs alone). */
function burstSamples(ticks: Ticks, name: string, runs: Burst[]): number[] {
  const {profile, tickOf} = ticks;
  const {prefix, frame} = profile.stacks;
  const {stack} = profile.samples;
  const holds = new Map<number, boolean>();
  const has = (s: number) => {
    let yes = holds.get(s);
    if (yes === undefined) {
      yes = false;
      for (let x = s; prefix[x] >= 0 && !yes; x = prefix[x]) yes = functionName(frameName(profile, frame[x])) === name;
      holds.set(s, yes);
    }
    return yes;
  };
  const out: number[] = [];
  for (const r of runs) {
    // The run's ticks with a tick to spare each side (a sample's tick is its grid point).
    const span = {from: Math.max(0, ticks.start + (r.k0 - 1) * ticks.tickNs) / NS, to: (ticks.start + (r.k1 + 2) * ticks.tickNs) / NS};
    for (const i of samplesIn(profile, [span])) if (tickOf[i] >= r.k0 && tickOf[i] <= r.k1 && has(stack[i])) out.push(i);
  }
  return out;
}

export function findFunctionBursts(ticks: Ticks, options: {minConfidence: number; explained: readonly PatternOccurrence[]}): PatternInstance[] {
  const {busy, count, tickNs} = ticks;
  // Counted samples up to each tick: the profile's activity inside a set of bursts.
  const activity = new Float64Array(count + 1);
  for (let k = 0; k < count; k++) activity[k + 1] = activity[k] + busy[k];
  const explainedTicks = options.explained.map((o) => [Math.floor((o.from * NS - ticks.start) / tickNs), Math.ceil((o.to * NS - ticks.start) / tickNs)]);
  const list = candidates(ticks);
  const found: {name: string; runs: Burst[]; logP: number; samples: number[]}[] = [];
  for (const c of list) {
    const {runs} = c;
    // One burst in the capture's first or last second is the program starting or
    // stopping (class loading, JIT warm-up), not a burst of its work.
    const edge = Math.round(EDGE_NS / tickNs);
    if (runs.length === 0 || (runs.length === 1 && (runs[0].k0 < edge || runs[0].k1 >= count - edge))) continue;
    const inRuns = runs.reduce((s, r) => s + r.samples, 0);
    if (inRuns < 0.7 * c.total) continue;
    const spanTicks = runs.reduce((s, r) => s + (r.k1 - r.k0 + 1), 0);
    if (spanTicks > 0.4 * count) continue; // more of the time is no longer a burst
    // Work another pattern already explains (a GC pause's threads, a load burst's job).
    const inside = (r: Burst) => explainedTicks.reduce((n, [a, b]) => n + Math.max(0, Math.min(b, r.k1 + 1) - Math.max(a, r.k0)), 0);
    const covered = runs.filter((r) => inside(r) >= 0.5 * (r.k1 - r.k0 + 1)).length;
    if (covered >= 0.5 * runs.length) continue;
    const share = runs.reduce((s, r) => s + activity[r.k1 + 1] - activity[r.k0], 0) / ticks.samples;
    const logP = logBinomialTail(inRuns, c.total, Math.min(1, share));
    if (confidenceOf(logP, list.length * 4) < options.minConfidence) continue;
    const samples = burstSamples(ticks, c.name, runs);
    // In a burst the function is most of what its threads do (a refresh takes the
    // event loop). Bursts only in a capture's first 15 % may be warm-up: a caller the
    // JIT inlines away after it was over most requests; those must also own the work
    // under them (the functions they call run mostly in their bursts), where the
    // requests' work goes on under other callers after warm-up.
    const warmUp = runs[runs.length - 1].k1 < 0.15 * count;
    if (threadShare(ticks, samples, runs) < 0.6 || (warmUp && innerShare(ticks, c.name, samples) < 0.5)) continue;
    found.push({name: c.name, runs, logP, samples});
  }
  // Nested frames (a refresh and what it calls) burst together: keep the one with the
  // most samples of each set of coinciding bursts.
  found.sort((a, b) => b.samples.length - a.samples.length);
  const kept: typeof found = [];
  for (const f of found) if (!kept.some((k) => overlapShare(k.runs, f.runs) >= 0.6)) kept.push(f);
  return kept.map((f) => burstInstance(ticks, f.name, f.runs, f.samples, confidenceOf(f.logP, list.length * 4)));
}

/** The function's share of its threads' samples inside its bursts. */
function threadShare(ticks: Ticks, samples: number[], runs: Burst[]): number {
  const {profile, sample, lanes} = ticks;
  const threads = new Set(samples.map((i) => profile.samples.thread[i]));
  let all = 0;
  for (const r of runs) {
    for (let k = r.k0; k <= r.k1; k++) {
      for (let l = 0; l < lanes; l++) {
        const i = sample[k * lanes + l];
        if (i >= 0 && threads.has(profile.samples.thread[i])) all++;
      }
    }
  }
  return all ? Math.min(1, samples.length / all) : 0;
}

/** Of the functions a burst's samples run below the bursting one (its leaf left
 * out: a shared leaf, a spin loop or memcpy, says nothing), the share of their
 * samples inside the bursts, weighted by how often each is there; 1 when nothing
 * runs below it but leaves. */
function innerShare(ticks: Ticks, name: string, samples: number[]): number {
  const {profile, tickOf} = ticks;
  const {stack} = profile.samples;
  const {prefix, frame} = profile.stacks;
  // The functions strictly between a stack's leaf and the bursting function.
  const memo = new Map<number, string[]>();
  const below = (s: number) => {
    let names = memo.get(s);
    if (!names) {
      const path: string[] = [];
      for (let x = prefix[s]; x >= 0 && prefix[x] >= 0; x = prefix[x]) path.push(functionName(frameName(profile, frame[x])));
      const at = path.indexOf(name);
      names = at < 0 ? [] : [...new Set(path.slice(0, at))];
      memo.set(s, names);
    }
    return names;
  };
  const inBursts = new Map<string, number>();
  for (const i of samples) for (const n of below(stack[i])) inBursts.set(n, (inBursts.get(n) ?? 0) + 1);
  if (inBursts.size === 0) return 1;
  const everywhere = new Map<string, number>();
  const pathHas = new Map<number, Set<string>>();
  for (let i = 0; i < tickOf.length; i++) {
    if (tickOf[i] < 0) continue;
    let names = pathHas.get(stack[i]);
    if (!names) {
      names = new Set();
      for (let x = prefix[stack[i]]; x >= 0 && prefix[x] >= 0; x = prefix[x]) {
        const n = functionName(frameName(profile, frame[x]));
        if (inBursts.has(n)) names.add(n);
      }
      pathHas.set(stack[i], names);
    }
    for (const n of names) everywhere.set(n, (everywhere.get(n) ?? 0) + 1);
  }
  let weighted = 0, total = 0;
  for (const [n, c] of inBursts) {
    weighted += c * Math.min(1, c / (everywhere.get(n) ?? c));
    total += c;
  }
  return weighted / total;
}

/** The share of `b`'s bursts that overlap one of `a`'s. */
function overlapShare(a: Burst[], b: Burst[]): number {
  return b.filter((r) => a.some((s) => r.k0 <= s.k1 && s.k0 <= r.k1)).length / b.length;
}

function burstInstance(ticks: Ticks, name: string, runs: Burst[], samples: number[], confidence: number): PatternInstance {
  const {profile, tickNs} = ticks;
  const samplingNs = tickNs / ticks.perTick;
  const occurrences = runs.map((r) => ({
    from: round6(Math.max(0, ticks.start + r.k0 * tickNs - samplingNs) / NS),
    to: round6((ticks.start + (r.k1 + 1) * tickNs) / NS),
  }));
  const ev = evidence(ticks, samplesIn(profile, occurrences));
  const threads = [...new Set(samples.slice(0, 2000).map((i) => stackComm(profile, profile.samples.stack[i])))].slice(0, 3);
  const ms = median(occurrences.map((o) => (o.to - o.from) * 1000));
  const gaps = occurrences.slice(1).map((o, i) => o.from - occurrences[i].from);
  const every = gaps.length >= 2 && gaps.every((g) => Math.abs(g - median(gaps)) <= 0.1 * median(gaps)) ? median(gaps) : null;
  const what = shortName(name);
  const spacing = every === null ? "" : ` every ${durationText(every)}`;
  return {
    kind: "load-bursts",
    label: `bursts of ${what}: ${durationText(ms / 1000)}${spacing}, ${runs.length}×`,
    explanation: `${what} (${threads.join(", ")}) runs in ${runs.length} ${runs.length === 1 ? "burst" : "bursts"} of about ${durationText(ms / 1000)}${every === null ? "" : `, one every ${durationText(every)}`}, and hardly at all in between: a refresh, a batch or a scheduled job.`,
    confidence: Math.round(confidence * 1000) / 1000,
    // The bursting function first, with its shares as the evidence measured them.
    frames: [...ev.frames.filter((f) => functionName(f.name) === name), ...ev.frames.filter((f) => functionName(f.name) !== name)].slice(0, 5),
    threads,
    parameters: {frame: what, count: runs.length, durationMs: Math.round(ms), ...(every === null ? {} : {everyMs: Math.round(every * 1000)}), samples: samples.length},
    occurrences, selection: rangesSelection(occurrences),
  };
}
