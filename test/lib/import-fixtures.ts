// The recorded fixtures of other formats (test/fixtures/formats/, recorded by
// scripts/record/record-*.mjs and scripts/record/go-periodic) and what tests compute
// from them without the importers.
import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";

export const FORMATS_DIR = new URL("../fixtures/formats/", import.meta.url).pathname;
export const CPUPROFILE = `${FORMATS_DIR}node-periodic.cpuprofile`;
export const TRACE = `${FORMATS_DIR}chromium-periodic.trace.json.gz`;
export const GO_PPROF = `${FORMATS_DIR}go-periodic.pb.gz`;

export function readJson(path: string): any {
  const bytes = readFileSync(path);
  return JSON.parse((bytes[0] === 0x1f ? gunzipSync(bytes) : bytes).toString("utf8"));
}

/** Every sample time of a V8 profile, µs, in file order: startTime plus the deltas. */
export function v8Times(startTime: number, deltas: number[]): number[] {
  let t = startTime;
  return deltas.map((d) => (t += d));
}

/** Sample times (µs) of every sampled thread of a Chrome trace, by "pid:id". */
export function traceSampleTimes(trace: any): Map<string, number[]> {
  const times = new Map<string, number[]>();
  const last = new Map<string, number>();
  for (const e of trace.traceEvents) {
    const key = `${e.pid}:${e.id}`;
    if (e.name === "Profile") {
      last.set(key, e.args.data.startTime);
      times.set(key, []);
    } else if (e.name === "ProfileChunk") {
      let t = last.get(key)!;
      for (const d of e.args.data.timeDeltas ?? []) times.get(key)!.push((t += d));
      last.set(key, t);
    }
  }
  return times;
}
