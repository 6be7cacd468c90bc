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
