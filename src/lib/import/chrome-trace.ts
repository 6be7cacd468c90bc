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
  const reader = new ChromeTraceReader(options);
  if (Array.isArray(value)) {
    reader.array("");
    value.forEach((e, i) => reader.element("", e, i));
  } else {
    for (const [key, v] of Object.entries(reader.json.object(value, "the top level"))) reader.value(key, v);
  }
  return reader.finish();
}

/** The key of a trace object whose array is long: read event by event. */
export const CHROME_TRACE_STREAMED = new Set(["traceEvents"]);

/** A Chrome trace read event by event (./json-stream.ts hands it the events of a
 * large file, importChromeTrace those of a parsed one), in one pass: names are looked
 * up at the end, since metadata events may come after the samples they name. */
export class ChromeTraceReader {
  readonly json: JsonReader;
  private builder: ProfileBuilder;
  private eventsPath: string | null = null;
  private threadNames = new Map<string, string>();
  private processNames = new Map<number, string>();
  private sampled = new Map<string, SampledThread>();
  /** Older Chrome's whole-profile events, added at the end when the names are known. */
  private cpuProfiles: {value: Record<string, unknown>; at: string}[] = [];
  private skipped = 0;

  constructor(options: ImportOptions = {}) {
    const source = options.source ?? "<trace>";
    this.json = new JsonReader(source, CHROME_TRACE);
    this.builder = new ProfileBuilder({source, maxSamples: options.maxSamples, header: {fields: {format: CHROME_TRACE}}});
  }

  private commOf(pid: number, tid: number): string {
    return this.threadNames.get(`${pid}:${tid}`) ?? this.processNames.get(pid) ?? `pid ${pid}`;
  }

  /** A top-level key's whole value: `traceEvents` when it is not an array (an error),
   * other keys are not read. */
  value(key: string, value: unknown): void {
    if (key === "traceEvents") {
      const events = this.json.array(value, "traceEvents");
      this.array(key);
      events.forEach((e, i) => this.element(key, e, i));
    }
  }

  /** The start of the events: the top-level array ("") or `traceEvents`. */
  array(key: string): void {
    if (key === "" || key === "traceEvents") this.eventsPath = key;
  }

  /** The `i`th event. */
  element(key: string, e: unknown, i: number): void {
    if (key !== this.eventsPath) return;
    const {json, builder} = this;
    const at = `${key}[${i}]`;
    const event = json.object(e, at);
    if (event.ph === "M") {
      const name = json.object(event.args ?? {}, `${at}.args`).name;
      if (typeof name !== "string") return;
      if (event.name === "thread_name") this.threadNames.set(`${json.integer(event.pid, `${at}.pid`)}:${json.integer(event.tid, `${at}.tid`)}`, name);
      else if (event.name === "process_name") this.processNames.set(json.integer(event.pid, `${at}.pid`), name);
    }
    if (event.name === "Profile" || event.name === "ProfileChunk") {
      const pid = json.integer(event.pid, `${at}.pid`);
      const key = `${pid}:${String(event.id)}`;
      const data = json.object(json.object(event.args, `${at}.args`).data, `${at}.args.data`);
      const thread = this.sampled.get(key);
      if (event.name === "Profile") {
        if (thread) json.fail(at, `a second Profile event for profile ${JSON.stringify(String(event.id))} of pid ${pid}`);
        const tid = json.integer(event.tid, `${at}.tid`);
        const us = json.integer(data.startTime, `${at}.args.data.startTime`);
        this.sampled.set(key, {pid, tid, us, tree: new V8NodeTree(builder, json, () => this.commOf(pid, tid)), nodes: [], times: [], path: []});
        return;
      }
      const owner = thread ?? json.fail(at, `a ProfileChunk of profile ${JSON.stringify(String(event.id))} of pid ${pid} before its Profile event`);
      const cpuProfile = json.object(data.cpuProfile ?? {}, `${at}.args.data.cpuProfile`);
      json.optionalArray(cpuProfile.nodes, `${at}.args.data.cpuProfile.nodes`).forEach((n, k) => owner.tree.add(n, `${at}.args.data.cpuProfile.nodes[${k}]`));
      const samples = json.optionalArray(cpuProfile.samples, `${at}.args.data.cpuProfile.samples`);
      const deltas = json.optionalArray(data.timeDeltas, `${at}.args.data.timeDeltas`);
      if (deltas.length !== samples.length) json.fail(`${at}.args.data`, `${samples.length} samples but ${deltas.length} timeDeltas`);
      for (let k = 0; k < samples.length; k++) {
        const id = samples[k], delta = deltas[k];
        if (!Number.isSafeInteger(id)) json.integer(id, `${at}.args.data.cpuProfile.samples[${k}]`);
        if (!Number.isSafeInteger(delta)) json.integer(delta, `${at}.args.data.timeDeltas[${k}]`);
        owner.nodes.push(id as number);
        owner.us += delta as number;
        owner.times.push(owner.us);
        owner.path.push(at);
      }
    } else if (event.name === "CpuProfile" && typeof event.args === "object") {
      // Older Chrome: one event with the whole .cpuprofile of a thread.
      json.integer(event.pid, `${at}.pid`);
      json.integer(event.tid, `${at}.tid`);
      this.cpuProfiles.push({value: event, at});
    } else if (event.ph === "P") {
      this.skipped++;
    }
  }

  finish(): Profile {
    const {json, builder} = this;
    if (this.eventsPath === null) json.array(undefined, "traceEvents");
    for (const {value: event, at} of this.cpuProfiles) {
      const pid = event.pid as number, tid = event.tid as number;
      const comm = this.commOf(pid, tid);
      addV8Profile(builder, json, json.object(json.object(event.args, `${at}.args`).data, `${at}.args.data`).cpuProfile, `${at}.args.data.cpuProfile.`, builder.threadOf(pid, tid, comm), comm);
    }
    const sampleEvent = builder.eventOf("samples");
    for (const thread of this.sampled.values()) {
      const id = builder.threadOf(thread.pid, thread.tid, this.commOf(thread.pid, thread.tid));
      for (let k = 0; k < thread.nodes.length && !builder.stopped; k++) {
        builder.sampleMicroseconds(thread.times[k], thread.tree.stackOf(thread.nodes[k], () => `${thread.path[k]}.args.data.cpuProfile.samples`), id, sampleEvent);
      }
    }
    if (this.skipped > 0) builder.note("other-records", `${this.skipped} sample events other than V8's Profile and ProfileChunk were skipped`);
    if (builder.sampleCount === 0 && this.sampled.size === 0) {
      json.fail("", `no V8 sampling events (Profile / ProfileChunk): record the trace with the "disabled-by-default-v8.cpu_profiler" category`);
    }
    return builder.build();
  }
}
