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
  const source = options.source ?? "<cpuprofile>";
  const json = new JsonReader(source, CPUPROFILE);
  const builder = new ProfileBuilder({source, maxSamples: options.maxSamples, header: {fields: {format: CPUPROFILE}}});
  const thread = builder.threadOf(-1, -1, CPUPROFILE_COMM);
  addV8Profile(builder, json, value, "", thread, CPUPROFILE_COMM);
  return builder.build();
}

/** Adds one `{nodes, startTime, samples, timeDeltas}` object's samples for `thread`. */
export function addV8Profile(builder: ProfileBuilder, json: JsonReader, value: unknown, path: string, thread: number, comm: string): void {
  const profile = json.object(value, path || "the top level");
  const tree = new V8NodeTree(builder, json, comm);
  json.array(profile.nodes, `${path}nodes`).forEach((node, i) => tree.add(node, `${path}nodes[${i}]`));
  const samples = json.array(profile.samples, `${path}samples`);
  const deltas = json.optionalArray(profile.timeDeltas, `${path}timeDeltas`);
  let us = json.integer(profile.startTime, `${path}startTime`);
  const event = builder.eventOf("samples");
  if (deltas.length < samples.length) builder.note("no-time", `${samples.length - deltas.length} of ${samples.length} samples have no time delta (timeDeltas has ${deltas.length}): they are in flame graphs, not on heat maps`);
  // The hot loop: values are checked inline, messages built only on failure.
  for (let i = 0; i < samples.length && !builder.stopped; i++) {
    const id = samples[i];
    if (!Number.isSafeInteger(id)) json.integer(id, `${path}samples[${i}]`);
    const stack = tree.stackOf(id as number, () => `${path}samples[${i}]`);
    if (i < deltas.length) {
      const delta = deltas[i];
      if (!Number.isSafeInteger(delta)) json.integer(delta, `${path}timeDeltas[${i}]`);
      us += delta as number;
      builder.sampleMicroseconds(us, stack, thread, event);
    } else {
      builder.sampleAt(NaN, 0, stack, thread, event);
    }
  }
}
