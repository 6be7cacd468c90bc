// The recorded fixtures of other formats (test/fixtures/formats/, recorded by
// scripts/record/record-*.mjs and scripts/record/record-go-pprof.sh) and what tests
// compute from them without the importers.
import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";

export const FORMATS_DIR = new URL("../fixtures/formats/", import.meta.url).pathname;
export const CPUPROFILE = `${FORMATS_DIR}node-periodic.cpuprofile`;
export const TRACE = `${FORMATS_DIR}chromium-periodic.trace.json.gz`;
export const GO_PPROF = `${FORMATS_DIR}go-periodic.pb.gz`;
/** The recorded profiles written out by `subsecond export`
 * (scripts/record/export-format-fixtures.sh): no speedscope, Gecko or folded
 * producer is on this machine. */
export const SPEEDSCOPE = `${FORMATS_DIR}node-periodic.speedscope.json`;
export const GECKO = `${FORMATS_DIR}chromium-periodic.gecko.json.gz`;
export const FOLDED = `${FORMATS_DIR}go-periodic-stacks.folded`;

/** `go tool pprof -raw` of GO_PPROF, written when it was recorded. */
export const GO_PPROF_RAW = `${FORMATS_DIR}go-periodic.pprof-raw.txt`;

/** Samples per stack (function names, outermost first, joined by ";") as `go tool
 * pprof -raw` printed them: each sample is `COUNT VALUE: LOCATION-IDS` (leaf first),
 * each location `ID: ADDRESS M=N FUNCTION FILE:LINE s=N` with a further line per
 * inlined caller. */
export function goRawStacks(raw: string): Map<string, number> {
  const [samples, rest] = raw.split(/^Locations$/m);
  const [locations] = rest.split(/^Mappings$/m);
  const functions = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of locations.split("\n")) {
    const head = /^\s*(\d+): 0x[0-9a-f]+ M=\d+ (\S+) /.exec(line);
    if (head) functions.set(head[1], (current = [head[2]]));
    else if (/^\s+\S+ \S+:\d+ s=\d+$/.test(line)) current.push(line.trim().split(" ")[0]);
  }
  const stacks = new Map<string, number>();
  for (const m of samples.matchAll(/^\s+(\d+)\s+\d+: ([\d ]+)$/gm)) {
    const names = m[2].trim().split(" ").flatMap((id) => functions.get(id)!).reverse().join(";");
    stacks.set(names, (stacks.get(names) ?? 0) + Number(m[1]));
  }
  return stacks;
}

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

/** How many samples each fixture holds, counted from the file itself: the V8 samples
 * array, every ProfileChunk's deltas, Go's decoding, speedscope's sample lists,
 * Gecko's sample rows with a stack, and the folded counts. */
export function fixtureSampleCount(path: string): number {
  switch (path) {
    case CPUPROFILE: return readJson(path).samples.length;
    case TRACE: return [...traceSampleTimes(readJson(path)).values()].reduce((n, times) => n + times.length, 0);
    case GO_PPROF: return [...goRawStacks(readFileSync(GO_PPROF_RAW, "utf8")).values()].reduce((a, b) => a + b, 0);
    case SPEEDSCOPE: return readJson(path).profiles.reduce((n: number, p: any) => n + p.samples.length, 0);
    case GECKO: return readJson(path).threads.reduce((n: number, t: any) => n + t.samples.data.filter((row: any[]) => row[t.samples.schema.stack] !== null).length, 0);
    case FOLDED: return foldedCount(readFileSync(path, "utf8"));
  }
  throw new Error(`${path} is not one of the format fixtures`);
}

/** The sum of the counts of folded stacks text. */
export function foldedCount(text: string): number {
  return text.split("\n").filter((l) => l !== "").reduce((n, l) => n + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

/** The samples' total weight, from the file: speedscope's weights (nanoseconds);
 * every other fixture's samples weigh 1. */
export function fixtureWeight(path: string): number {
  if (path !== SPEEDSCOPE) return fixtureSampleCount(path);
  return readJson(path).profiles.reduce((n: number, p: any) => n + p.weights.reduce((a: number, b: number) => a + b, 0), 0);
}
