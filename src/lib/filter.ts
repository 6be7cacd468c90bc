// Which samples an analysis counts: not idle (by the chosen classifier), and matching
// the event, process, thread, CPU and frame filters. Compiled once per profile and
// filter (and cached) into per-stack, per-thread, per-event and per-CPU tables, so the
// per-sample test is a few array reads. Analyses take the compiled filter through a
// SampleView (./view.js).
import {idleLeafFrames, idleStacks, leafFrameValues, type IdleClassifier} from "./idle.js";
import {namePattern, type NamePattern} from "./pattern.js";
import {findEvent, type Profile} from "./profile.js";

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
  /** The event counted, -1 when the profile has none. */
  event: number;
  /** True when every thread, event and CPU passes: only stacks are tested. */
  stacksOnly: boolean;
}

/** The id of an event by name (`cycles` finds `cycles:ppp`) or id; the first event when
 * none is given; -1 when the profile has no events and none was asked for. */
export function resolveEvent(profile: Profile, event: string | number | undefined): number {
  if (event === undefined) return profile.events.length ? 0 : -1;
  const id = typeof event === "number" ? event : findEvent(profile, event);
  if (!Number.isInteger(id) || id < 0 || id >= profile.events.length) {
    throw new Error(`no event ${JSON.stringify(event)} (events: ${profile.events.map((e) => e.name).join(", ") || "none"})`);
  }
  return id;
}

const list = <T>(x: T | T[] | undefined): T[] | undefined => (x === undefined ? undefined : Array.isArray(x) ? x : [x]);

const compiled = new WeakMap<Profile, Map<string, SampleSelector>>();

/** The compiled filter, made once per profile, idle classifier and filter. */
export function compileSelector(profile: Profile, options: AnalysisOptions = {}): SampleSelector {
  let byKey = compiled.get(profile);
  if (!byKey) compiled.set(profile, (byKey = new Map()));
  const key = optionsKey(options);
  let selector = byKey.get(key);
  if (!selector) byKey.set(key, (selector = compile(profile, options)));
  return selector;
}

const classifierIds = new WeakMap<object, number>();
let classifiers = 0;

/** A text that is the same for options that select the same samples. */
function optionsKey({idle = "default", filter = {}}: AnalysisOptions): string {
  const text = (x: unknown): unknown => {
    if (x === undefined) return null;
    if (x instanceof RegExp) return `re:${x.source}/${x.flags}`;
    if (typeof x === "object" && x !== null && !Array.isArray(x) && "test" in x) return `pattern:${(x as NamePattern).source}`;
    return x;
  };
  let idleKey: unknown = idle;
  if (typeof idle === "function") {
    if (!classifierIds.has(idle)) classifierIds.set(idle, classifiers++);
    idleKey = `fn:${classifierIds.get(idle)}`;
  }
  const {event, pid, comm, tid, cpu, include, exclude} = filter;
  return JSON.stringify([idleKey, event, pid, text(comm), tid, cpu, text(include), text(exclude)].map(text));
}

function compile(profile: Profile, options: AnalysisOptions): SampleSelector {
  const {stacks, frames, threads, strings} = profile;
  const filter = options.filter ?? {};
  const classifier = options.idle ?? "default";
  const stackOk = new Uint8Array(stacks.length);
  const include = filter.include !== undefined ? namePattern(filter.include, "frame") : null;
  const exclude = filter.exclude !== undefined ? namePattern(filter.exclude, "frame") : null;
  if (!include && !exclude && classifier === "default") {
    // The default classifier judges the leaf frame alone: each stack's test is one
    // load from the frames' table, with no table of idle stacks made first (one pass
    // over the stacks, not two: on millions of stacks, most of a first heat map's cost).
    const busyFrame = idleLeafFrames(profile);
    for (let f = 0; f < busyFrame.length; f++) busyFrame[f] ^= 1;
    leafFrameValues(stackOk, stacks.frame, busyFrame);
  } else if (include || exclude) {
    const idle = idleStacks(profile, classifier);
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
    const idle = idleStacks(profile, classifier);
    for (let s = 0, n = stacks.length; s < n; s++) stackOk[s] = idle[s] ^ 1;
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
  // A filter naming what the profile does not have is a typo, not a reason to count 0.
  const comms = () => [...new Set(Array.from(threads.comm, (c) => strings[c]))];
  unknown("pid", pids, (p) => threads.pid.includes(p), () => [...new Set(threads.pid)].filter((p) => p >= 0));
  unknown("tid", tids, (t) => threads.tid.includes(t), () => [...new Set(threads.tid)]);
  if (typeof comm === "string" || Array.isArray(comm)) unknown("comm", list(comm), (c) => comms().includes(c), comms);
  else if (commTest && !comms().some(commTest)) throw new Error(`no comm matches ${JSON.stringify(namePattern(comm!).source)} (comms: ${listed(comms())})`);

  const event = resolveEvent(profile, filter.event);
  const eventOk = new Uint8Array(profile.events.length);
  if (event >= 0) eventOk[event] = 1;

  let cpuOk: Uint8Array | null = null;
  const cpus = list(filter.cpu);
  if (cpus) {
    let max = 0;
    for (let i = 0; i < profile.samples.length; i++) if (profile.samples.cpu[i] > max) max = profile.samples.cpu[i];
    const seen = new Uint8Array(max + 2);
    for (let i = 0; i < profile.samples.length; i++) seen[profile.samples.cpu[i] + 1] = 1;
    const seenCpus = () => Array.from(seen.keys()).filter((k) => k > 0 && seen[k] === 1).map((k) => k - 1);
    unknown("cpu", cpus, (c) => Number.isInteger(c) && c >= 0 && c <= max && seen[c + 1] === 1, seenCpus);
    cpuOk = new Uint8Array(max + 2);
    for (const c of cpus) cpuOk[c + 1] = 1;
  }
  const stacksOnly = cpuOk === null && threadOk.every((ok) => ok === 1) && eventOk.every((ok) => ok === 1);
  return {stackOk, threadOk, eventOk, cpuOk, event, stacksOnly};
}

function unknown<T extends number | string>(what: string, asked: T[] | undefined, has: (v: T) => boolean, known: () => T[]): void {
  const missing = asked?.filter((v) => !has(v)) ?? [];
  if (missing.length) throw new Error(`no ${what} ${missing.map((v) => JSON.stringify(v)).join(", ")} in the profile (${what}s: ${listed(known())})`);
}

/** The first few of a list, for messages. */
function listed(values: (number | string)[]): string {
  const shown = values.slice(0, 12).map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v)));
  return (shown.join(", ") || "none") + (values.length > 12 ? `, … (${values.length} in all)` : "");
}

/** Whether the compiled filter counts sample i. */
export function accepts(profile: Profile, sel: SampleSelector, i: number): boolean {
  const s = profile.samples;
  return sel.stackOk[s.stack[i]] === 1 && sel.threadOk[s.thread[i]] === 1 && sel.eventOk[s.event[i]] === 1 && (sel.cpuOk === null || sel.cpuOk[s.cpu[i] + 1] === 1);
}
