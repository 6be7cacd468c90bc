// Which samples an analysis counts: not idle (by the chosen classifier), and matching
// the event, process, thread, CPU and frame filters. Compiled once into per-stack,
// per-thread, per-event and per-CPU tables so the per-sample test is a few array reads.
import {idleStacks, type IdleClassifier} from "./idle.js";
import {namePattern, type NamePattern} from "./pattern.js";
import {findEvent, type Profile} from "./profile.js";
import {sampleRanges, type Selection} from "./selection.js";

export interface SampleFilter {
  /** Event name (`cycles` also finds `cycles:ppp`) or id. Default: the first event
   * in the profile, as perf report and stackcollapse-perf.pl do: samples of
   * different events do not add up. */
  event?: string | number;
  /** Processes by PID. */
  pid?: number | number[];
  /** Processes by comm: exact names, or a pattern (see ./pattern.js). */
  comm?: string | string[] | RegExp | NamePattern;
  /** Threads by TID. */
  tid?: number | number[];
  cpu?: number | number[];
  /** Keep only samples with a frame (name or module) matching this regular expression
   * (a string is matched with RE2 semantics, in linear time: see ./pattern.js). */
  include?: RegExp | string | NamePattern;
  /** Drop samples with a frame (name or module) matching this. */
  exclude?: RegExp | string | NamePattern;
}

export interface AnalysisOptions {
  /** Idle classifier (default "default"). Idle samples are not counted. */
  idle?: IdleClassifier;
  filter?: SampleFilter;
}

/** The compiled test: sample i counts when all four tables say 1. */
export interface SampleSelector {
  stackOk: Uint8Array;
  threadOk: Uint8Array;
  eventOk: Uint8Array;
  /** Indexed by CPU + 1 (so a missing CPU, -1, is index 0); null when CPUs do not matter. */
  cpuOk: Uint8Array | null;
}

const list = <T>(x: T | T[] | undefined): T[] | undefined => (x === undefined ? undefined : Array.isArray(x) ? x : [x]);

export function compileSelector(profile: Profile, options: AnalysisOptions = {}): SampleSelector {
  const {stacks, frames, threads, strings} = profile;
  const filter = options.filter ?? {};
  const idle = idleStacks(profile, options.idle ?? "default");

  const stackOk = new Uint8Array(stacks.length);
  const include = filter.include !== undefined ? namePattern(filter.include, "frame") : null;
  const exclude = filter.exclude !== undefined ? namePattern(filter.exclude, "frame") : null;
  if (include || exclude) {
    // Per frame once, then down the stack tree (parents have smaller ids).
    const frameMatch = (pattern: NamePattern) => {
      const m = new Uint8Array(frames.length);
      for (let f = 0; f < frames.length; f++) {
        const mod = frames.module[f];
        m[f] = pattern.test(strings[frames.name[f]]) || (mod >= 0 && pattern.test(strings[mod])) ? 1 : 0;
      }
      return m;
    };
    const inc = include ? frameMatch(include) : null;
    const exc = exclude ? frameMatch(exclude) : null;
    const hasInc = new Uint8Array(stacks.length);
    const hasExc = new Uint8Array(stacks.length);
    for (let s = 0; s < stacks.length; s++) {
      const p = stacks.prefix[s], f = stacks.frame[s];
      hasInc[s] = (p >= 0 && hasInc[p]) || (inc !== null && inc[f]) ? 1 : 0;
      hasExc[s] = (p >= 0 && hasExc[p]) || (exc !== null && exc[f]) ? 1 : 0;
      stackOk[s] = !idle[s] && (!inc || hasInc[s]) && !hasExc[s] ? 1 : 0;
    }
  } else {
    for (let s = 0; s < stacks.length; s++) stackOk[s] = idle[s] ? 0 : 1;
  }

  const threadOk = new Uint8Array(threads.length).fill(1);
  const pids = list(filter.pid), tids = list(filter.tid);
  const comm = filter.comm;
  const commTest =
    comm === undefined ? null : typeof comm === "string" || Array.isArray(comm) ? ((names) => (c: string) => names.includes(c))(list(comm)!) : ((pattern) => (c: string) => pattern.test(c))(namePattern(comm, "comm"));
  for (let t = 0; t < threads.length; t++) {
    if (pids && !pids.includes(threads.pid[t])) threadOk[t] = 0;
    if (tids && !tids.includes(threads.tid[t])) threadOk[t] = 0;
    if (commTest && !commTest(strings[threads.comm[t]])) threadOk[t] = 0;
  }

  const eventOk = new Uint8Array(profile.events.length);
  if (filter.event === undefined) {
    if (eventOk.length) eventOk[0] = 1;
  } else {
    const id = typeof filter.event === "number" ? filter.event : findEvent(profile, filter.event);
    if (id < 0 || id >= profile.events.length) {
      throw new Error(`no event ${JSON.stringify(filter.event)} (events: ${profile.events.map((e) => e.name).join(", ") || "none"})`);
    }
    eventOk.fill(0);
    eventOk[id] = 1;
  }

  let cpuOk: Uint8Array | null = null;
  const cpus = list(filter.cpu);
  if (cpus) {
    let max = 0;
    for (let i = 0; i < profile.samples.length; i++) if (profile.samples.cpu[i] > max) max = profile.samples.cpu[i];
    cpuOk = new Uint8Array(max + 2);
    for (const c of cpus) if (c + 1 < cpuOk.length && c >= 0) cpuOk[c + 1] = 1;
  }
  return {stackOk, threadOk, eventOk, cpuOk};
}

export function accepts(profile: Profile, sel: SampleSelector, i: number): boolean {
  const s = profile.samples;
  return sel.stackOk[s.stack[i]] === 1 && sel.threadOk[s.thread[i]] === 1 && sel.eventOk[s.event[i]] === 1 && (sel.cpuOk === null || sel.cpuOk[s.cpu[i] + 1] === 1);
}

/** 1 for each sample in the selection that the options count (not idle, passing the
 * filter), else 0. */
export function sampleMask(profile: Profile, selection: Selection, options: AnalysisOptions = {}): Uint8Array {
  const sel = compileSelector(profile, options);
  const mask = new Uint8Array(profile.samples.length);
  const ranges = sampleRanges(profile, selection);
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++) if (accepts(profile, sel, i)) mask[i] = 1;
  }
  return mask;
}

/** The event an analysis counts (the filter's, or the first). */
export function analysedEvent(profile: Profile, options: AnalysisOptions = {}): string | undefined {
  const e = options.filter?.event;
  if (e === undefined) return profile.events[0]?.name;
  return typeof e === "number" ? profile.events[e]?.name : profile.events[findEvent(profile, e)]?.name;
}
