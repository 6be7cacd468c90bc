// Hostile and damaged files of every format: a real file with one value replaced by
// any JSON value, or one key removed (JSON formats), or bytes flipped and cut
// (pprof). Every import must end with a profile that passes the model's checks, or
// with an ImportError naming the file: never another exception. Bounded as
// test/fuzz.test.ts is (FUZZ_RUNS, FUZZ_TIME_MS, FUZZ_SEED).
import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {assembleProfile} from "../../src/lib/builder.js";
import {toGecko} from "../../src/lib/export/gecko.js";
import {toSpeedscope} from "../../src/lib/export/speedscope.js";
import {ImportError, importProfile, type FormatName} from "../../src/lib/import/index.js";
import {readProfile} from "../../src/node/index.js";
import {sampleView} from "../../src/lib/view.js";
import {CPUPROFILE, GO_PPROF, readJson, TRACE} from "./import-fixtures.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SETTINGS = {
  numRuns: RUNS,
  ...(process.env.FUZZ_SEED ? {seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH} : {}),
  plugins: [fc.interruptAfterTimeLimit(Number(process.env.FUZZ_TIME_MS ?? 8000))],
};

/** Imports, and checks the outcome: a valid profile or an ImportError. */
function importOrRefuse(bytes: Uint8Array, format?: FormatName): void {
  try {
    const profile = importProfile(bytes, {source: "fuzzed", format, maxSamples: 200_000});
    expect(assembleProfile(profile)).toBeDefined();
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    expect((e as Error).message.startsWith("fuzzed: ")).toBe(true);
  }
}

/** Every path to a value inside a JSON value, up to `limit` of them. */
function paths(value: unknown, limit = 4000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (out.length >= limit) return;
    out.push(path);
    if (Array.isArray(v)) v.slice(0, 30).forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === "object") for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k]);
  };
  walk(value, []);
  return out;
}

function mutated(doc: unknown, path: (string | number)[], replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(doc);
  if (path.length === 0) return replacement;
  let at = copy as any;
  for (const k of path.slice(0, -1)) at = at[k];
  const last = path[path.length - 1];
  if (remove && !Array.isArray(at)) delete at[last];
  else at[last] = replacement;
  return copy;
}

const cpuprofile = readJson(CPUPROFILE);
const fullTrace = readJson(TRACE);
// The trace's metadata and first chunks: small enough to copy once a run.
const trace = {traceEvents: fullTrace.traceEvents.filter((e: any) => e.ph === "M" || e.name === "Profile").concat(fullTrace.traceEvents.filter((e: any) => e.name === "ProfileChunk").slice(0, 6))};
const source = await readProfile(CPUPROFILE);
const view = sampleView(source, null, {idle: "keep"});
const DOCS: [string, unknown][] = [
  ["cpuprofile", {...cpuprofile, samples: cpuprofile.samples.slice(0, 300), timeDeltas: cpuprofile.timeDeltas.slice(0, 300)}],
  ["chrome trace", trace],
  ["speedscope", JSON.parse(toSpeedscope(view))],
  ["gecko", JSON.parse(toGecko(view).json)],
];

describe.each(DOCS)("%s with one value replaced or removed", (_, doc) => {
  const all = paths(doc);
  it("is imported or refused with an ImportError", () => {
    fc.assert(
      fc.property(fc.nat(all.length - 1), fc.jsonValue({maxDepth: 2}), fc.boolean(), (k, replacement, remove) => {
        importOrRefuse(new TextEncoder().encode(JSON.stringify(mutated(doc, all[k], replacement, remove))));
      }),
      SETTINGS,
    );
  });
});

describe("pprof with bytes flipped or cut", () => {
  const bytes = gunzipSync(readFileSync(GO_PPROF));
  it("is imported or refused with an ImportError", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.nat(255)), {minLength: 1, maxLength: 8}), fc.nat(bytes.length), (flips, cut) => {
        const damaged = Uint8Array.from(bytes);
        for (const [at, value] of flips) damaged[at] = value;
        importOrRefuse(damaged.subarray(0, Math.max(1, cut)), "pprof");
      }),
      SETTINGS,
    );
  });

  it("random bytes read as pprof are refused", () => {
    fc.assert(fc.property(fc.uint8Array({minLength: 1, maxLength: 2000}), (random) => importOrRefuse(random, "pprof")), SETTINGS);
  });
});

describe("malformed files of each format: an ImportError naming the file and where", () => {
  const enc = (x: unknown) => new TextEncoder().encode(typeof x === "string" ? x : JSON.stringify(x));
  const node = (id: number, extra = {}) => ({id, callFrame: {functionName: "f", url: "", lineNumber: 0, columnNumber: 0}, ...extra});
  const cpuBytes = readFileSync(CPUPROFILE);
  const traceBytes = gunzipSync(readFileSync(TRACE));
  const pprofBytes = gunzipSync(readFileSync(GO_PPROF));
  const [, speedscope] = DOCS[2], [, gecko] = DOCS[3];
  const speedscopeText = JSON.stringify(speedscope), geckoText = JSON.stringify(gecko);
  const cases: [string, Uint8Array, RegExp][] = [
    ["cpuprofile truncated", cpuBytes.subarray(0, 1000), /^bad: V8 \.cpuprofile: byte 1000: the JSON ends early, inside the value that starts at byte \d+ \(a truncated file\?\)$/],
    ["cpuprofile binary junk after it", new Uint8Array([...cpuBytes, 0, 1, 2]), new RegExp(`^bad: V8 \\.cpuprofile: byte ${cpuBytes.length}: byte 0x00 after the end of the JSON$`)],
    ["cpuprofile wrong types", enc({nodes: [node(1)], startTime: 0, samples: ["1"], timeDeltas: [1]}), /^bad: V8 \.cpuprofile: samples\[0\]: expected a whole number, found the string "1"$/],
    ["cpuprofile huge number", enc('{"nodes":[{"id":1,"callFrame":{"functionName":"f"}}],"startTime":0,"samples":[1],"timeDeltas":[1e400]}'), /^bad: V8 \.cpuprofile: timeDeltas\[0\]: expected a whole number, found Infinity$/],
    ["cpuprofile cycle", enc({nodes: [node(1, {children: [2]}), node(2, {children: [1]})], startTime: 0, samples: [1], timeDeltas: [1]}), /^bad: V8 \.cpuprofile: samples\[0\]: the parents of node 1 form a cycle$/],
    ["cpuprofile node out of range", enc({nodes: [node(1)], startTime: 0, samples: [9], timeDeltas: [1]}), /^bad: V8 \.cpuprofile: samples\[0\]: node 9 is not in the profile's nodes$/],
    ["trace truncated", traceBytes.subarray(0, traceBytes.length / 3), /^bad: Chrome trace: byte \d+: the JSON ends early, inside the value that starts at byte \d+ \(a truncated file\?\)$/],
    ["trace binary junk after it", new Uint8Array([...traceBytes, 0xff, 0]), new RegExp(`^bad: Chrome trace: byte ${traceBytes.length}: byte 0xff after the end of the JSON$`)],
    ["trace wrong types", enc({traceEvents: [{name: "Profile", ph: "P", pid: "x", id: 1, args: {data: {startTime: 0}}}]}), /^bad: Chrome trace: traceEvents\[0\]\.pid: expected a whole number, found the string "x"$/],
    ["trace huge number", enc('{"traceEvents":[{"name":"Profile","ph":"P","pid":1,"tid":1,"id":"1","args":{"data":{"startTime":1e400}}}]}'), /^bad: Chrome trace: traceEvents\[0\]\.args\.data\.startTime: expected a whole number, found Infinity$/],
    ["trace empty events", enc({traceEvents: []}), /^bad: Chrome trace: no V8 sampling events/],
    ["speedscope truncated", enc(speedscopeText.slice(0, speedscopeText.length / 2)), /^bad: JSON: not valid JSON \(/],
    ["speedscope binary junk after it", enc(`${speedscopeText}\u0000junk`), /^bad: JSON: not valid JSON \(/],
    ["speedscope unknown unit", enc({...(speedscope as {profiles: object[]}), profiles: [{...(speedscope as {profiles: object[]}).profiles[0], unit: "parsecs"}]}), /^bad: speedscope: profiles\[0\]\.unit: expected one of nanoseconds, microseconds, milliseconds, seconds, none, bytes, found "parsecs"$/],
    ["gecko truncated", enc(geckoText.slice(0, geckoText.length / 2)), /^bad: JSON: not valid JSON \(/],
    ["gecko binary junk after it", enc(`${geckoText}xx`), /^bad: JSON: not valid JSON \(/],
    ["pprof truncated", pprofBytes.subarray(0, pprofBytes.length / 2), /^bad: pprof: /],
    ["pprof binary junk after it", new Uint8Array([...pprofBytes, 0xff, 0xff, 0xff]), /^bad: pprof: cannot be decoded as profile\.proto/],
  ];
  it.each(cases)("%s", (_, bytes, message) => {
    expect(() => importProfile(bytes, {source: "bad"})).toThrow(message);
  });

  it("a .cpuprofile with empty arrays is an empty profile", () => {
    expect(importProfile(enc({nodes: [], startTime: 0, samples: [], timeDeltas: []}), {source: "bad"}).samples.length).toBe(0);
  });
});
