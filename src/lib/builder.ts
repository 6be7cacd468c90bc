// Building the one profile model from JS values: strings, frames, stacks, threads and
// events interned to dense ids, samples appended to growable typed columns, then
// times turned into exact nanoseconds since the origin and sorted. Every importer
// (src/lib/import/*) and fromArtifacts fill the model through this module; the perf
// parser shares its columns, its main-span rule and its sort. Browser-safe.
import {float64Column, int32Column} from "./growable.js";
import {PairTable} from "./intern.js";
import {DiagnosticCounter, type DiagnosticCode} from "./perf/diagnostics.js";
import {DEFAULT_BUDGET} from "./perf/budget.js";
import {FRAME_KINDS, KIND, type Diagnostics, type EventInfo, type FrameKind, type Profile, type ProfileHeader, type SampleTable} from "./profile.js";
import {NS} from "./time.js";

/** Whole seconds from the earliest to the latest sample time kept: nanoseconds since
 * the origin then stay below 2^53, exact in doubles (104 days). */
export const MAX_SPAN_SECONDS = Math.floor(2 ** 53 / NS) - 1;

/** The samples' whole seconds that most of them share: the span of at most
 * MAX_SPAN_SECONDS holding the most timed samples (the earliest one on ties), so that
 * a few damaged times far from the rest decide neither the origin nor the others'
 * times. Returns its first and last second. */
export function mainSpan(seconds: Float64Array): [number, number] {
  const sorted = seconds.filter((sec) => !Number.isNaN(sec)).sort();
  let best = 0, bestCount = 0;
  for (let a = 0, b = 0; a < sorted.length; a++) {
    while (b < sorted.length && sorted[b] - sorted[a] <= MAX_SPAN_SECONDS) b++;
    if (b - a > bestCount) {
      bestCount = b - a;
      best = a;
    }
  }
  return [sorted[best], sorted[best] + MAX_SPAN_SECONDS];
}

export type SampleColumns = Omit<SampleTable, "length">;

/** The sample columns in time order (stable; samples without a time last). */
export function sortSamples(columns: SampleColumns): SampleColumns {
  const {time} = columns;
  const n = time.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => {
    const ta = time[a], tb = time[b];
    if (Number.isNaN(ta)) return Number.isNaN(tb) ? a - b : 1;
    if (Number.isNaN(tb)) return -1;
    return ta - tb || a - b;
  });
  const permute = <T extends Float64Array | Int32Array>(col: T): T => {
    const out = new (col.constructor as new (n: number) => T)(n);
    for (let i = 0; i < n; i++) out[i] = col[order[i]];
    return out;
  };
  return {time: permute(time), stack: permute(columns.stack), weight: permute(columns.weight), thread: permute(columns.thread), cpu: permute(columns.cpu), event: permute(columns.event)};
}

/** Whether the timed samples come first and in ascending order. */
function sorted(time: Float64Array): boolean {
  let untimed = false;
  for (let i = 1; i <= time.length; i++) {
    const t = time[i - 1];
    if (Number.isNaN(t)) untimed = true;
    else if (untimed || (i < time.length && time[i] < t)) return false;
  }
  return true;
}

/** A profile from finished columns, checked: every id in range and every stack's
 * prefix before it, so that analyses never index out of their tables. Throws a
 * message naming the source and the column otherwise. Samples are sorted by time
 * when they are not. */
export function assembleProfile(profile: Profile): Profile {
  const {source, strings, frames, stacks, threads, samples, events} = profile;
  const bad = (what: string) => {
    throw new Error(`${source}: ${what}`);
  };
  const inRange = (column: ArrayLike<number>, length: number, low: number, high: number, what: string) => {
    if (column.length !== length) bad(`${what}: ${column.length} values for ${length} rows`);
    for (let i = 0; i < column.length; i++) if (!(column[i] >= low && column[i] < high)) bad(`${what} ${column[i]} at row ${i} is out of range`);
  };
  inRange(frames.name, frames.length, 0, strings.length, "frame name");
  inRange(frames.module, frames.length, -1, strings.length, "frame module");
  inRange(frames.address, frames.length, -1, strings.length, "frame address");
  inRange(frames.kind, frames.length, 0, FRAME_KINDS.length, "frame kind");
  inRange(stacks.frame, stacks.length, 0, frames.length, "stack frame");
  if (stacks.prefix.length !== stacks.length) bad("stack prefix column length");
  for (let s = 0; s < stacks.length; s++) if (!(stacks.prefix[s] >= -1 && stacks.prefix[s] < s)) bad(`stack ${s}'s prefix ${stacks.prefix[s]} is not an earlier stack`);
  inRange(threads.comm, threads.length, 0, strings.length, "thread comm");
  inRange(samples.stack, samples.length, 0, stacks.length, "sample stack");
  inRange(samples.thread, samples.length, 0, threads.length, "sample thread");
  inRange(samples.event, samples.length, 0, events.length, "sample event");
  if (samples.time.length !== samples.length || samples.weight.length !== samples.length || samples.cpu.length !== samples.length) bad("sample columns differ in length");
  if (sorted(samples.time)) return profile;
  return {...profile, samples: {length: samples.length, ...sortSamples(samples)}};
}

export interface FrameInput {
  name: string;
  /** The module, file or URL; none when omitted or empty. */
  module?: string;
  kind: FrameKind;
  /** An address, kept when the format has one and the name is unknown. */
  address?: string;
}

export interface BuilderOptions {
  /** What is read (a file name), for messages. */
  source: string;
  /** Samples kept at most: further samples are dropped, with an error diagnostic. */
  maxSamples?: number;
  header?: Partial<ProfileHeader>;
}

/** Fills a Profile from JS values. Ids are dense and stable: the same input gives
 * the same ids. */
export class ProfileBuilder {
  readonly source: string;
  readonly diagnostics = new DiagnosticCounter();
  private readonly maxSamples: number;
  private header: ProfileHeader;
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private frameIds = new Map<string, number>();
  private frameName = int32Column();
  private frameModule = int32Column();
  private frameAddress = int32Column();
  private frameKind: number[] = [];
  private stacks = new PairTable();
  private rootStacks = new Map<number, number>();
  private threadIds = new Map<string, number>();
  private threadPid = int32Column(16);
  private threadTid = int32Column(16);
  private threadComm = int32Column(16);
  private events: EventInfo[] = [];
  private second = float64Column();
  private nanos = int32Column();
  private stack = int32Column();
  private weight = float64Column();
  private thread = int32Column();
  private cpu = int32Column();
  private event = int32Column();
  /** True once the sample budget is reached: further samples are dropped. */
  stopped = false;

  constructor(options: BuilderOptions) {
    this.source = options.source;
    this.maxSamples = options.maxSamples ?? DEFAULT_BUDGET.maxSamples;
    this.header = {fields: {}, events: [], ...options.header};
  }

  get sampleCount(): number {
    return this.stack.length;
  }

  /** Samples the budget still takes: a format's count of n samples beyond it is an
   * error up front, not n appends until memory runs out. */
  get samplesLeft(): number {
    return Math.max(0, this.maxSamples - this.stack.length);
  }

  string(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      this.stringIds.set(text, (id = this.strings.length));
      this.strings.push(text);
    }
    return id;
  }

  frame(frame: FrameInput): number {
    const key = `${frame.kind}\0${frame.name}\0${frame.module ?? ""}\0${frame.address ?? ""}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frameName.push(this.string(frame.name));
      this.frameModule.push(frame.module ? this.string(frame.module) : -1);
      this.frameAddress.push(frame.address ? this.string(frame.address) : -1);
      this.frameKind.push(KIND[frame.kind]);
      this.frameIds.set(key, id);
    }
    return id;
  }

  /** The root stack of a process: its one frame is the comm. */
  root(comm: string): number {
    const frame = this.frame({name: comm, kind: "process"});
    let id = this.rootStacks.get(frame);
    if (id === undefined) this.rootStacks.set(frame, (id = this.stacks.intern(-1, frame)));
    return id;
  }

  /** The stack of `frame` called from stack `prefix`. */
  stackOf(prefix: number, frame: number): number {
    return this.stacks.intern(prefix, frame);
  }

  /** The stack of frames (outermost first) under a comm's root. */
  path(comm: string, frames: Iterable<number>): number {
    let stack = this.root(comm);
    for (const f of frames) stack = this.stacks.intern(stack, f);
    return stack;
  }

  /** A thread by pid, tid and comm (-1: unknown pid or tid). */
  threadOf(pid: number, tid: number, comm: string): number {
    const key = `${pid}\0${tid}\0${comm}`;
    let id = this.threadIds.get(key);
    if (id === undefined) {
      id = this.threadPid.push(pid);
      this.threadTid.push(tid);
      this.threadComm.push(this.string(comm));
      this.threadIds.set(key, id);
    }
    return id;
  }

  eventOf(name: string, callchain = true): number {
    let id = this.events.findIndex((e) => e.name === name);
    if (id < 0) id = this.events.push({name, callchain}) - 1;
    return id;
  }

  /** Appends a sample at whole second `second` (of the format's own clock; NaN: no
   * time) plus `nanos` (0 ≤ nanos < 1e9). Returns false, and drops it, once the sample
   * budget is reached. */
  sampleAt(second: number, nanos: number, stack: number, thread: number, event: number, weight = 1, cpu = -1): boolean {
    if (this.stack.length >= this.maxSamples) {
      if (!this.stopped) this.diagnostics.count("sample-budget", 0, undefined, `reading stopped at the sample budget of ${this.maxSamples} samples; the samples before were kept`);
      this.stopped = true;
      return false;
    }
    this.second.push(second);
    this.nanos.push(Number.isNaN(second) ? 0 : nanos);
    this.stack.push(stack);
    this.weight.push(weight);
    this.thread.push(thread);
    this.cpu.push(cpu);
    this.event.push(event);
    return true;
  }

  /** Appends a sample at `us` microseconds of the format's clock (a whole number):
   * exact for any time below 2^53 µs, though µs × 1000 may not be. */
  sampleMicroseconds(us: number, stack: number, thread: number, event: number, weight = 1, cpu = -1): boolean {
    const second = Math.floor(us / 1e6);
    return this.sampleAt(second, (us - second * 1e6) * 1000, stack, thread, event, weight, cpu);
  }

  /** Appends a sample at `ns` nanoseconds of the format's clock (a whole number of at
   * most 2^53; NaN: no time). */
  sample(ns: number, stack: number, thread: number, event: number, weight = 1, cpu = -1): boolean {
    if (Number.isNaN(ns)) return this.sampleAt(NaN, 0, stack, thread, event, weight, cpu);
    const second = Math.floor(ns / NS);
    return this.sampleAt(second, ns - second * NS, stack, thread, event, weight, cpu);
  }

  /** Counts a diagnostic (`line`: a 1-based line or record number, 0 for none). */
  note(code: DiagnosticCode, message?: string, line = 0, example?: string): void {
    this.diagnostics.count(code, line, example === undefined ? undefined : () => example, message);
  }

  setHeader(fields: Partial<ProfileHeader>): void {
    Object.assign(this.header, fields);
  }

  build(sizes: Omit<Diagnostics, "entries"> = {lines: 0, bytes: 0}): Profile {
    const n = this.stack.length;
    const time = this.second.result();
    const nanos = this.nanos.data;
    let origin: number | null = null;
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(time[i])) continue;
      if (time[i] < lo) lo = time[i];
      if (time[i] > hi) hi = time[i];
    }
    if (lo <= hi) {
      if (hi - lo > MAX_SPAN_SECONDS) {
        const [first, last] = mainSpan(time);
        lo = first;
        for (let i = 0; i < n; i++) {
          if (time[i] < first || time[i] > last) {
            time[i] = NaN;
            this.diagnostics.count("far-time", 0);
          }
        }
      }
      origin = lo;
      for (let i = 0; i < n; i++) time[i] = (time[i] - lo) * NS + nanos[i];
    }
    let untimed = 0;
    for (let i = 0; i < n; i++) if (Number.isNaN(time[i])) untimed++;
    if (untimed > 0 && untimed < n) this.diagnostics.count("no-time", 0, undefined, `${untimed} samples have no timestamp: they are in flame graphs, not on heat maps`);
    if (n === 0 && !this.diagnostics.hasSeverity("error")) this.diagnostics.count("no-samples", 0, undefined, `no samples: the ${this.header.fields.format ?? "profile"} holds none`);
    const profile = assembleProfile({
      source: this.source,
      strings: this.strings,
      frames: {length: this.frameName.length, name: this.frameName.result(), module: this.frameModule.result(), address: this.frameAddress.result(), kind: Uint8Array.from(this.frameKind)},
      stacks: {length: this.stacks.size, prefix: this.stacks.first.slice(0, this.stacks.size), frame: this.stacks.second.slice(0, this.stacks.size)},
      threads: {length: this.threadPid.length, pid: this.threadPid.result(), tid: this.threadTid.result(), comm: this.threadComm.result()},
      events: this.events,
      samples: {length: n, time, stack: this.stack.result(), weight: this.weight.result(), thread: this.thread.result(), cpu: this.cpu.result(), event: this.event.result()},
      origin,
      header: this.header,
      diagnostics: {lines: 0, bytes: 0, entries: []},
      annotations: [],
    });
    profile.diagnostics = this.diagnostics.result(sizes.lines, sizes.bytes);
    return profile;
  }
}
