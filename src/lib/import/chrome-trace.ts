// Chrome trace event JSON (DevTools' Performance panel, `--enable-tracing`, CDP
// `Tracing`), as an array of events or `{traceEvents: […]}`. The samples are V8's:
// a `Profile` event per sampled thread gives the start time, `ProfileChunk` events
// bring the nodes, samples and time deltas in pieces. Thread and process names come
// from the `M` (metadata) events. Other events are not samples and are skipped.
import {ProfileBuilder} from "../builder.js";
import type {Profile} from "../profile.js";
import {JsonReader} from "./errors.js";
import type {ImportOptions} from "./options.js";
import {V8NodeTree} from "./v8.js";
import {addV8Profile} from "./cpuprofile.js";

export const CHROME_TRACE = "Chrome trace";

export function isChromeTrace(json: unknown): boolean {
  const events = Array.isArray(json) ? json : (json as {traceEvents?: unknown})?.traceEvents;
  if (!Array.isArray(events)) return false;
  const first = events.find((e) => typeof e === "object" && e !== null);
  return events.length === 0 ? !Array.isArray(json) : first !== undefined && "ph" in first;
}

interface SampledThread {
  pid: number;
  tid: number;
  tree: V8NodeTree;
  us: number;
  /** Node id and time (µs) of each sample, resolved once every chunk is in. */
  nodes: number[];
  times: number[];
  path: string[];
}

export function importChromeTrace(value: unknown, options: ImportOptions = {}): Profile {
  const source = options.source ?? "<trace>";
  const json = new JsonReader(source, CHROME_TRACE);
  const builder = new ProfileBuilder({source, maxSamples: options.maxSamples, header: {fields: {format: CHROME_TRACE}}});
  const eventsPath = Array.isArray(value) ? "" : "traceEvents";
  const events = Array.isArray(value) ? value : json.array(json.object(value, "the top level").traceEvents, "traceEvents");
  const at = (i: number) => `${eventsPath}[${i}]`;
  const threadNames = new Map<string, string>(), processNames = new Map<number, string>();
  const sampled = new Map<string, SampledThread>();
  const commOf = (pid: number, tid: number) => threadNames.get(`${pid}:${tid}`) ?? processNames.get(pid) ?? `pid ${pid}`;
  // Names first: metadata events may come after the samples they name.
  events.forEach((e, i) => {
    const event = json.object(e, at(i));
    if (event.ph !== "M") return;
    const name = json.object(event.args ?? {}, `${at(i)}.args`).name;
    if (typeof name !== "string") return;
    if (event.name === "thread_name") threadNames.set(`${json.integer(event.pid, `${at(i)}.pid`)}:${json.integer(event.tid, `${at(i)}.tid`)}`, name);
    else if (event.name === "process_name") processNames.set(json.integer(event.pid, `${at(i)}.pid`), name);
  });
  const sampleEvent = builder.eventOf("samples");
  let skipped = 0;
  events.forEach((e, i) => {
    const event = e as Record<string, unknown>;
    if (event.name === "Profile" || event.name === "ProfileChunk") {
      const pid = json.integer(event.pid, `${at(i)}.pid`);
      const key = `${pid}:${String(event.id)}`;
      const data = json.object(json.object(event.args, `${at(i)}.args`).data, `${at(i)}.args.data`);
      const thread = sampled.get(key);
      if (event.name === "Profile") {
        if (thread) json.fail(at(i), `a second Profile event for profile ${JSON.stringify(String(event.id))} of pid ${pid}`);
        const tid = json.integer(event.tid, `${at(i)}.tid`);
        const us = json.integer(data.startTime, `${at(i)}.args.data.startTime`);
        sampled.set(key, {pid, tid, us, tree: new V8NodeTree(builder, json, commOf(pid, tid)), nodes: [], times: [], path: []});
        return;
      }
      const owner = thread ?? json.fail(at(i), `a ProfileChunk of profile ${JSON.stringify(String(event.id))} of pid ${pid} before its Profile event`);
      const cpuProfile = json.object(data.cpuProfile ?? {}, `${at(i)}.args.data.cpuProfile`);
      json.optionalArray(cpuProfile.nodes, `${at(i)}.args.data.cpuProfile.nodes`).forEach((n, k) => owner.tree.add(n, `${at(i)}.args.data.cpuProfile.nodes[${k}]`));
      const samples = json.optionalArray(cpuProfile.samples, `${at(i)}.args.data.cpuProfile.samples`);
      const deltas = json.optionalArray(data.timeDeltas, `${at(i)}.args.data.timeDeltas`);
      if (deltas.length !== samples.length) json.fail(`${at(i)}.args.data`, `${samples.length} samples but ${deltas.length} timeDeltas`);
      const chunkPath = at(i);
      for (let k = 0; k < samples.length; k++) {
        const id = samples[k], delta = deltas[k];
        if (!Number.isSafeInteger(id)) json.integer(id, `${chunkPath}.args.data.cpuProfile.samples[${k}]`);
        if (!Number.isSafeInteger(delta)) json.integer(delta, `${chunkPath}.args.data.timeDeltas[${k}]`);
        owner.nodes.push(id as number);
        owner.us += delta as number;
        owner.times.push(owner.us);
        owner.path.push(chunkPath);
      }
    } else if (event.name === "CpuProfile" && typeof event.args === "object") {
      // Older Chrome: one event with the whole .cpuprofile of a thread.
      const pid = json.integer(event.pid, `${at(i)}.pid`), tid = json.integer(event.tid, `${at(i)}.tid`);
      const comm = commOf(pid, tid);
      addV8Profile(builder, json, json.object(json.object(event.args, `${at(i)}.args`).data, `${at(i)}.args.data`).cpuProfile, `${at(i)}.args.data.cpuProfile.`, builder.threadOf(pid, tid, comm), comm);
    } else if (event.ph === "P") {
      skipped++;
    }
  });
  for (const thread of sampled.values()) {
    const id = builder.threadOf(thread.pid, thread.tid, commOf(thread.pid, thread.tid));
    for (let k = 0; k < thread.nodes.length && !builder.stopped; k++) {
      builder.sampleMicroseconds(thread.times[k], thread.tree.stackOf(thread.nodes[k], () => `${thread.path[k]}.args.data.cpuProfile.samples`), id, sampleEvent);
    }
  }
  if (skipped > 0) builder.note("other-records", `${skipped} sample events other than V8's Profile and ProfileChunk were skipped`);
  if (builder.sampleCount === 0 && sampled.size === 0) {
    json.fail("", `no V8 sampling events (Profile / ProfileChunk): record the trace with the "disabled-by-default-v8.cpu_profiler" category`);
  }
  return builder.build();
}
