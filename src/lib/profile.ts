import type {SelectionPart} from "./selection.js";
import {NS, secondOf} from "./time.js";

// The one profile model every part of subsecond reads: columnar and interned, in the
// spirit of the Firefox Profiler's processed profile. Parsers produce it; nothing else
// writes it.

/** Frame kinds, stored as indexes into this list in `FrameTable.kind`. `process` is the
 * root frame of every stack: the sample's comm, so a stack id alone determines the
 * flame-graph path root → comm → frames and aggregation can run on stack ids. */
export const FRAME_KINDS = ["process", "kernel", "user", "jit", "inlined", "unknown"] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];
export const KIND = {process: 0, kernel: 1, user: 2, jit: 3, inlined: 4, unknown: 5} as const;

export interface FrameTable {
  length: number;
  /** String index of the function name, offset (`+0x1f`) removed. */
  name: Int32Array;
  /** String index of the module/DSO as perf printed it, or -1 when there is none. */
  module: Int32Array;
  /** Index into FRAME_KINDS. */
  kind: Uint8Array;
  /** String index of the address (as printed, hex) of an `[unknown]` frame when the
   * parser was asked to keep them (`unknownAddresses`), else -1. */
  address: Int32Array;
}

export interface StackTable {
  length: number;
  /** Parent stack id, -1 for a root (process) stack. Always smaller than the stack's
   * own id, so one pass in id order visits parents before children. */
  prefix: Int32Array;
  frame: Int32Array;
}

export interface ThreadTable {
  length: number;
  /** -1 when perf printed only the TID. */
  pid: Int32Array;
  tid: Int32Array;
  /** String index of the comm. */
  comm: Int32Array;
}

export interface SampleTable {
  length: number;
  /** Nanoseconds since the profile's origin, exact integers; NaN when the sample had
   * no timestamp. Sorted ascending (samples without time last). */
  time: Float64Array;
  stack: Int32Array;
  /** perf's period when printed, else 1. */
  weight: Float64Array;
  thread: Int32Array;
  /** -1 when perf printed no CPU. */
  cpu: Int32Array;
  event: Int32Array;
}

export interface EventInfo {
  name: string;
  /** False when this event's samples were recorded without call graphs (perf prints
   * the one frame on the event line). */
  callchain: boolean;
}

export interface ReferenceTime {
  /** Wall-clock time (Unix epoch seconds) at perf time `perf`. */
  epoch: number;
  /** Perf time in seconds. */
  perf: number;
  /** The line as perf printed it, after `reference time:`. */
  text: string;
}

/** `perf script --header` metadata. `fields` keeps every `# key : value` line (the last
 * value of repeated keys); the rest are the ones subsecond uses, already parsed. */
export interface ProfileHeader {
  fields: Record<string, string>;
  /** Raw `# event :` descriptions, in order. */
  events: string[];
  hostname?: string;
  osRelease?: string;
  perfVersion?: string;
  arch?: string;
  nrcpusOnline?: number;
  nrcpusAvail?: number;
  cpuDesc?: string;
  cmdline?: string;
  capturedOn?: string;
  referenceTime?: ReferenceTime;
}

export type DiagnosticSeverity = "error" | "warning" | "info";

/** One reason lines were skipped, repaired or noted, with how many and where. */
export interface DiagnosticEntry {
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  count: number;
  /** The first few 1-based line numbers where it happened. */
  lines: number[];
  /** The first offending line's text, shortened. */
  example?: string;
}

export interface Diagnostics {
  lines: number;
  bytes: number;
  entries: DiagnosticEntry[];
}

/** A named selection ("GC", "cache refresh"): heat maps draw it as a labelled box
 * (./annotations.ts reads and writes them). */
export interface Annotation {
  label: string;
  /** The annotated samples: one or more ranges or cell blocks. */
  parts: SelectionPart[];
  note?: string;
}

export interface Profile {
  /** What the profile was read from (a file name), for messages. */
  source: string;
  strings: string[];
  frames: FrameTable;
  stacks: StackTable;
  threads: ThreadTable;
  events: EventInfo[];
  samples: SampleTable;
  /** Perf time, in whole seconds, of x = 0 of every heat map: the whole second at or
   * before the first sample. Null when no sample has a timestamp. */
  origin: number | null;
  header: ProfileHeader;
  diagnostics: Diagnostics;
  /** Named selections drawn on heat maps: read from the profile's sidecar
   * NAME.annotations.json, or added with `annotate`. The one mutable part. */
  annotations: Annotation[];
}

/** A sample time (ns since origin) as absolute perf time text, exact: microsecond
 * digits as perf prints by default (`5086.200000`), nanosecond digits when needed. */
export function perfTimeText(profile: Profile, ns: number): string {
  if (profile.origin === null || Number.isNaN(ns)) return "";
  const sec = secondOf(ns);
  const frac = ns - sec * NS;
  const digits = String(frac).padStart(9, "0");
  return `${profile.origin + sec}.${digits.endsWith("000") ? digits.slice(0, 6) : digits}`;
}

/** Wall-clock time (ms since the Unix epoch) of `seconds` since the origin, when the
 * header has a reference time; else null. */
export function wallClockMs(profile: Profile, seconds: number): number | null {
  const ref = profile.header.referenceTime;
  if (!ref || profile.origin === null) return null;
  return (ref.epoch + (profile.origin + seconds - ref.perf)) * 1000;
}

/** Seconds since the origin covered by samples: last sample's second + 1, or 0. */
export function durationSeconds(profile: Profile): number {
  const {time, length} = profile.samples;
  for (let i = length - 1; i >= 0; i--) {
    if (!Number.isNaN(time[i])) return secondOf(time[i]) + 1;
  }
  return 0;
}

export function hasTimes(profile: Profile): boolean {
  return profile.samples.length > 0 && !Number.isNaN(profile.samples.time[0]);
}

export function frameName(profile: Profile, frame: number): string {
  return profile.strings[profile.frames.name[frame]];
}

export function frameModule(profile: Profile, frame: number): string {
  const m = profile.frames.module[frame];
  return m < 0 ? "" : profile.strings[m];
}

export function frameKind(profile: Profile, frame: number): FrameKind {
  return FRAME_KINDS[profile.frames.kind[frame]];
}

/** The comm (root frame name) of a stack. */
export function stackComm(profile: Profile, stack: number): string {
  const {prefix, frame} = profile.stacks;
  let s = stack;
  while (prefix[s] >= 0) s = prefix[s];
  return frameName(profile, frame[s]);
}

/** Finds an event by exact name, or by name without perf's `:modifiers`
 * (`cycles` finds `cycles:ppp`); -1 when there is none. */
export function findEvent(profile: Profile, name: string): number {
  const exact = profile.events.findIndex((e) => e.name === name);
  if (exact >= 0) return exact;
  return profile.events.findIndex((e) => e.name.replace(/:[a-zA-Z]*$/, "") === name);
}
