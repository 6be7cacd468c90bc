// A profile as compact artifacts and back: three Arrow IPC tables (samples, stacks,
// frames) and a small JSON dictionary (strings, threads, events, header, annotations).
// The report site's data loaders write them once per profile; its pages rebuild a real
// Profile from them, so heatmap(), flameTree(), diffTrees() … run unchanged in the
// browser and nothing there parses perf text. Browser-safe: only flechette, which is
// also what arquero reads and writes Arrow with (`aq.fromArrow(artifacts.samples)` is
// the samples table in a notebook).
import {float64, int32, tableFromArrays, tableFromIPC, tableToIPC, type Table} from "@uwdata/flechette";
import {assembleProfile} from "./builder.js";
import {formatAnnotations, parseAnnotations} from "./annotations.js";
import type {Diagnostics, EventInfo, Profile, ProfileHeader} from "./profile.js";
import {NS, secondOf} from "./time.js";

/** Bumped when the artifacts' layout changes. */
export const ARTIFACTS_VERSION = 1;

export interface ProfileArtifacts {
  /** One row per sample: `second` (whole seconds since the origin, -1 for a sample
   * without a timestamp), `offset` (exact ns within that second, so any rows setting
   * buckets exactly), `stack`, `thread`, `cpu`, `event` (Int32) and `weight` (Float64). */
  samples: Uint8Array;
  /** One row per stack: `prefix`, `frame` (Int32). */
  stacks: Uint8Array;
  /** One row per frame: `name`, `module`, `address` (string indexes, -1 none) and
   * `kind` (Int32 index into FRAME_KINDS). */
  frames: Uint8Array;
  dictionary: ProfileDictionary;
}

/** The JSON part: everything that is not a per-sample, per-stack or per-frame column. */
export interface ProfileDictionary {
  version: number;
  source: string;
  strings: string[];
  threads: {pid: number[]; tid: number[]; comm: number[]};
  events: EventInfo[];
  origin: number | null;
  header: ProfileHeader;
  diagnostics: Diagnostics;
  /** The annotations in the sidecar file's JSON form. */
  annotations: unknown;
}

export function toArtifacts(profile: Profile): ProfileArtifacts {
  const {samples, stacks, frames, threads} = profile;
  const second = new Int32Array(samples.length);
  const offset = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const t = samples.time[i];
    if (Number.isNaN(t)) {
      second[i] = -1;
    } else {
      second[i] = secondOf(t);
      offset[i] = t - second[i] * NS;
    }
  }
  const kind = Int32Array.from(frames.kind);
  return {
    samples: ipc({second, offset, stack: samples.stack, thread: samples.thread, cpu: samples.cpu, event: samples.event, weight: samples.weight}),
    stacks: ipc({prefix: stacks.prefix, frame: stacks.frame}),
    frames: ipc({name: frames.name, module: frames.module, address: frames.address, kind}),
    dictionary: {
      version: ARTIFACTS_VERSION,
      source: profile.source,
      strings: profile.strings,
      threads: {pid: Array.from(threads.pid), tid: Array.from(threads.tid), comm: Array.from(threads.comm)},
      events: profile.events,
      origin: profile.origin,
      header: profile.header,
      diagnostics: profile.diagnostics,
      annotations: JSON.parse(formatAnnotations(profile.annotations)),
    },
  };
}

export function fromArtifacts(artifacts: ProfileArtifacts): Profile {
  const {dictionary: d} = artifacts;
  if (d.version !== ARTIFACTS_VERSION) throw new Error(`${d.source}: artifacts version ${d.version}, expected ${ARTIFACTS_VERSION}: rebuild the site`);
  const samples = tableFromIPC(artifacts.samples);
  const stacks = tableFromIPC(artifacts.stacks);
  const frames = tableFromIPC(artifacts.frames);
  const second = int32Column(samples, "second"), offset = int32Column(samples, "offset");
  const time = new Float64Array(samples.numRows);
  for (let i = 0; i < time.length; i++) time[i] = second[i] < 0 ? NaN : second[i] * NS + offset[i];
  return assembleProfile({
    source: d.source,
    strings: d.strings,
    frames: {length: frames.numRows, name: int32Column(frames, "name"), module: int32Column(frames, "module"), address: int32Column(frames, "address"), kind: Uint8Array.from(int32Column(frames, "kind"))},
    stacks: {length: stacks.numRows, prefix: int32Column(stacks, "prefix"), frame: int32Column(stacks, "frame")},
    threads: {length: d.threads.tid.length, pid: Int32Array.from(d.threads.pid), tid: Int32Array.from(d.threads.tid), comm: Int32Array.from(d.threads.comm)},
    events: d.events,
    samples: {
      length: samples.numRows,
      time,
      stack: int32Column(samples, "stack"),
      weight: column(samples, "weight", Float64Array),
      thread: int32Column(samples, "thread"),
      cpu: int32Column(samples, "cpu"),
      event: int32Column(samples, "event"),
    },
    origin: d.origin,
    header: d.header,
    diagnostics: d.diagnostics,
    annotations: parseAnnotations(d.annotations, `${d.source} annotations`).annotations,
  });
}

function ipc(columns: Record<string, Int32Array | Float64Array>): Uint8Array {
  // flechette infers a column's type from its first batch: an empty column has none.
  const types = Object.fromEntries(Object.entries(columns).filter(([, v]) => v.length === 0).map(([k, v]) => [k, v instanceof Float64Array ? float64() : int32()]));
  return tableToIPC(tableFromArrays(columns, {types}), {format: "file"})!;
}

const int32Column = (table: Table, name: string) => column(table, name, Int32Array);

/** A column as the typed array the Profile model uses (flechette hands back a view of
 * the IPC bytes when it can, else a copy). */
function column<T extends Int32Array | Float64Array>(table: Table, name: string, type: {new (n: number): T; from(a: ArrayLike<number>): T}): T {
  const values = table.getChild(name).toArray() as ArrayLike<number>;
  return values instanceof type ? values : type.from(values);
}
