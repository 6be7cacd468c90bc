// V8 / Chrome `.cpuprofile` (`node --cpu-prof`, DevTools' JavaScript profiler, CDP
// `Profiler.stop`): `{nodes, startTime, endTime, samples, timeDeltas}`. Each sample
// keeps its own time, startTime plus the deltas up to and including its own (FlameScope
// instead moves sample i to time i+1 and drops the last).
import {ProfileBuilder} from "../builder.js";
import type {Profile} from "../profile.js";
import {JsonReader} from "./errors.js";
import type {ImportOptions} from "./options.js";
import {V8NodeTree} from "./v8.js";

export const CPUPROFILE = "V8 .cpuprofile";
/** The comm of a .cpuprofile's one thread: the file names no process. */
export const CPUPROFILE_COMM = "V8";

export function isCpuProfile(json: unknown): boolean {
  const o = json as Record<string, unknown>;
  return typeof o === "object" && o !== null && Array.isArray(o.nodes) && Array.isArray(o.samples) && "startTime" in o;
}

export function importCpuProfile(value: unknown, options: ImportOptions = {}): Profile {
  const reader = new CpuProfileReader(options);
  const profile = reader.json.object(value, "the top level");
  for (const [key, v] of Object.entries(profile)) reader.value(key, v);
  return reader.finish();
}

/** The keys of a .cpuprofile whose arrays are long: read element by element. */
export const CPUPROFILE_STREAMED = new Set(["nodes", "samples", "timeDeltas"]);

/** A .cpuprofile read key by key and element by element (./json-stream.ts hands it
 * the pieces of a large file; importCpuProfile the keys of a parsed one). */
export class CpuProfileReader {
  readonly json: JsonReader;
  private builder: ProfileBuilder;
  private profile: V8ProfileReader;

  constructor(options: ImportOptions = {}) {
    const source = options.source ?? "<cpuprofile>";
    this.json = new JsonReader(source, CPUPROFILE);
    this.builder = new ProfileBuilder({source, maxSamples: options.maxSamples, header: {fields: {format: CPUPROFILE}}});
    this.profile = new V8ProfileReader(this.builder, this.json, "", () => CPUPROFILE_COMM);
  }

  /** A top-level key's whole value. */
  value(key: string, value: unknown): void {
    this.profile.value(key, value);
  }

  /** The start of a top-level array read element by element. */
  array(key: string): void {
    if (key === "") this.json.object([], "the top level");
    this.profile.array(key);
  }

  /** An element of that array. */
  element(key: string, value: unknown, index: number): void {
    this.profile.element(key, value, index);
  }

  finish(): Profile {
    this.profile.finish(this.builder.threadOf(-1, -1, CPUPROFILE_COMM));
    return this.builder.build();
  }
}

/** Adds one `{nodes, startTime, samples, timeDeltas}` object's samples for `thread`. */
export function addV8Profile(builder: ProfileBuilder, json: JsonReader, value: unknown, path: string, thread: number, comm: string): void {
  const profile = json.object(value, path || "the top level");
  const reader = new V8ProfileReader(builder, json, path, () => comm);
  for (const [key, v] of Object.entries(profile)) reader.value(key, v);
  reader.finish(thread);
}

/** One V8 profile's keys as they come: nodes go into the tree at once, samples and
 * time deltas are kept as numbers until the end, when every node is known. */
class V8ProfileReader {
  private tree: V8NodeTree;
  private samples: number[] = [];
  private deltas: number[] = [];
  private startTime: unknown;
  private seen = new Set<string>();

  constructor(private builder: ProfileBuilder, private json: JsonReader, private path: string, comm: () => string) {
    this.tree = new V8NodeTree(builder, json, comm);
  }

  value(key: string, value: unknown): void {
    if (key === "startTime") this.startTime = value;
    else if (CPUPROFILE_STREAMED.has(key) && !(key === "timeDeltas" && (value === undefined || value === null))) {
      const elements = this.json.array(value, `${this.path}${key}`);
      this.array(key);
      elements.forEach((v, i) => this.element(key, v, i));
    }
  }

  array(key: string): void {
    this.seen.add(key);
  }

  element(key: string, value: unknown, i: number): void {
    const {json, path} = this;
    if (key === "nodes") this.tree.add(value, `${path}nodes[${i}]`);
    else if (key === "samples") {
      if (!Number.isSafeInteger(value)) json.integer(value, `${path}samples[${i}]`);
      this.samples.push(value as number);
    } else if (key === "timeDeltas") {
      if (!Number.isSafeInteger(value)) json.integer(value, `${path}timeDeltas[${i}]`);
      this.deltas.push(value as number);
    }
  }

  finish(thread: number): void {
    const {builder, json, path, samples, deltas, tree} = this;
    for (const key of ["nodes", "samples"]) if (!this.seen.has(key)) json.array(undefined, `${path}${key}`);
    let us = json.integer(this.startTime, `${path}startTime`);
    const event = builder.eventOf("samples");
    if (deltas.length < samples.length) builder.note("no-time", `${samples.length - deltas.length} of ${samples.length} samples have no time delta (timeDeltas has ${deltas.length}): they are in flame graphs, not on heat maps`);
    // The hot loop: values were checked as they came.
    for (let i = 0; i < samples.length && !builder.stopped; i++) {
      const stack = tree.stackOf(samples[i], () => `${path}samples[${i}]`);
      if (i < deltas.length) {
        us += deltas[i];
        builder.sampleMicroseconds(us, stack, thread, event);
      } else {
        builder.sampleAt(NaN, 0, stack, thread, event);
      }
    }
  }
}
