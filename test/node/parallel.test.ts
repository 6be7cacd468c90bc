// Reading a perf script file on several threads (src/node/parallel.ts) gives exactly
// the profile one thread gives: every column, table, diagnostic and header, on real
// captures cut at many places and on texts whose state crosses a cut.
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gunzipSync, gzipSync} from "node:zlib";
import {afterAll, describe, expect, it} from "vitest";
import {parsePerfScript, type ParseOptions} from "../../src/lib/perf/parse.js";
import type {Profile} from "../../src/lib/profile.js";
import {readProfile} from "../../src/node/index.js";
import {pieceStarts, readInPieces} from "../../src/node/parallel.js";
import {perfText, sample} from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "subsecond-parallel-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const examples = ["c-global-lock", "jvm-g1-gc", "node-cache-refresh"].map((name) => ({
  name,
  bytes: gunzipSync(readFileSync(new URL(`../../examples/${name}.perf.gz`, import.meta.url))),
}));

let files = 0;
function fileOf(bytes: Uint8Array): string {
  const file = join(dir, `input-${files++}.perf`);
  writeFileSync(file, bytes);
  return file;
}

/** The text read in `threads` pieces (null: not merged, read on one thread then). */
async function inPieces(bytes: Uint8Array, threads: number, options: ParseOptions = {}): Promise<Profile | null> {
  const fd = openSync(fileOf(bytes), "r");
  try {
    return await readInPieces(fd, bytes.length, bytes.subarray(0, 4 << 20), {source: "input", ...options, threads, minBytes: 0, inputBytes: bytes.length});
  } finally {
    closeSync(fd);
  }
}

type Columns = Record<string, ArrayLike<number> | number>;

/** The first index where two columns differ, or -1. */
function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

function expectSameProfile(actual: Profile, expected: Profile): void {
  for (const table of ["samples", "stacks", "frames", "threads"] as const) {
    const a = actual[table] as unknown as Columns, e = expected[table] as unknown as Columns;
    expect(Object.keys(a).sort(), table).toEqual(Object.keys(e).sort());
    for (const column of Object.keys(e)) {
      if (typeof e[column] === "number") expect(a[column], `${table}.${column}`).toBe(e[column]);
      else expect(firstDifference(a[column] as ArrayLike<number>, e[column] as ArrayLike<number>), `${table}.${column}: first differing row`).toBe(-1);
    }
  }
  expect(actual.strings).toEqual(expected.strings);
  expect(actual.events).toEqual(expected.events);
  expect(actual.origin).toBe(expected.origin);
  expect(actual.header).toEqual(expected.header);
  expect(actual.diagnostics).toEqual(expected.diagnostics);
  expect(actual.source).toBe(expected.source);
}

async function expectMergedExactly(bytes: Uint8Array, threads: number, options: ParseOptions = {}): Promise<Profile> {
  const merged = await inPieces(bytes, threads, options);
  expect(merged, "read in pieces").not.toBeNull();
  expectSameProfile(merged!, parsePerfScript(bytes, {source: "input", ...options}));
  return merged!;
}

const text = (t: string) => new TextEncoder().encode(t);

describe("pieceStarts", () => {
  it("cuts right after blank lines, in order, and not where a window has none", () => {
    const {bytes} = examples[1];
    const fd = openSync(fileOf(bytes), "r");
    try {
      for (const pieces of [2, 3, 7, 16]) {
        const starts = pieceStarts(fd, bytes.length, pieces);
        expect(starts.length).toBe(pieces);
        expect(starts[0]).toBe(0);
        for (let k = 1; k < starts.length; k++) {
          expect(starts[k]).toBeGreaterThan(starts[k - 1]);
          expect([bytes[starts[k] - 2], bytes[starts[k] - 1]]).toEqual([10, 10]);
          // The first blank line at or after the planned cut.
          const planned = Math.floor((bytes.length * k) / pieces);
          expect(Buffer.from(bytes).indexOf("\n\n", planned)).toBe(starts[k] - 2);
        }
      }
    } finally {
      closeSync(fd);
    }
    // One sample of 3 MB of frame lines: no blank line within 1 MiB of the middle.
    const deep = sample("1.0", Array.from({length: 80_000}, (_, i) => `f${i}`));
    const long = text(perfText([sample("0.5", ["main"]), deep, sample("2.0", ["main"])]));
    const fdLong = openSync(fileOf(long), "r");
    try {
      expect(pieceStarts(fdLong, long.length, 2)).toEqual([0]);
    } finally {
      closeSync(fdLong);
    }
  });
});

describe("readInPieces on real captures", () => {
  for (const {name, bytes} of examples) {
    it(`${name}: the one-thread profile, cut into 2, 3, 5 and 8 pieces`, async () => {
      for (const threads of [2, 3, 5, 8]) await expectMergedExactly(bytes, threads);
      await expectMergedExactly(bytes, 4, {unknownAddresses: true});
    });
  }

  it("the examples one after the other: threads, frames and events first met in a later piece", async () => {
    const bodies = examples.map((e, k) => (k === 0 ? Buffer.from(e.bytes) : Buffer.from(Buffer.from(e.bytes).toString("latin1").replace(/^#.*\n/gm, ""), "latin1")));
    const merged = await expectMergedExactly(Buffer.concat(bodies), 3);
    expect(merged.threads.length).toBeGreaterThan(examples.length);
  });
});

describe("readInPieces when state crosses a cut", () => {
  const many = (from: number, count: number, extra = {}) =>
    Array.from({length: count}, (_, i) => sample((from + i * 0.001).toFixed(6), ["main", `work${i % 7}`, `leaf${i % 3}`], extra));

  it("samples out of time order across a cut: sorted, the out-of-order line the end of the first sample that goes back", async () => {
    const bytes = text(perfText([...many(10, 3000), ...many(5, 3000), ...many(20, 3000)]));
    const merged = await expectMergedExactly(bytes, 3);
    expect(merged.diagnostics.entries.find((d) => d.code === "out-of-order")?.lines).toEqual([3000 * 5 + 5]);
  });

  it("an untimed sample in the first piece makes the later ones be sorted", async () => {
    const untimed = "app 100 [000] 1 cpu-clock:\n\t401000 main+0x1 (/usr/bin/app)\n\n";
    const bytes = text(perfText(many(10, 3000)) + "\n" + untimed + perfText(many(11, 6000)));
    const merged = await expectMergedExactly(bytes, 2);
    expect(merged.diagnostics.entries.map((d) => d.code)).toContain("no-time");
  });

  it("skipped lines, new threads and events in later pieces: counts and line numbers of the whole text", async () => {
    const later = many(30, 3000, {comm: "late", tid: 7, event: "cycles"});
    const bytes = text(perfText(many(10, 3000)) + "\nnot a perf line\n\n" + perfText(later) + "\n\tdeadbeef stray+0x1 (/x)\n\n" + perfText(many(40, 3000)));
    const merged = await expectMergedExactly(bytes, 4);
    const codes = merged.diagnostics.entries.map((d) => `${d.code}:${d.count}`);
    expect(codes).toEqual(expect.arrayContaining(["unrecognized-line:1", "stray-frame:1"]));
    expect(merged.events.map((e) => e.name)).toEqual(["cpu-clock", "cycles"]);
  });

  it("cannot merge exactly: a text shorter than the sniffed start, a budget reached, header lines or undecodable bytes in a later piece", async () => {
    expect(await inPieces(text(perfText(many(10, 300))), 2), "short").toBeNull();
    const bytes = text(perfText(many(10, 9000)));
    expect(await inPieces(bytes, 3, {maxSamples: 5000}), "budget later").toBeNull();
    expect(await inPieces(bytes, 3, {maxSamples: 100}), "budget first").toBeNull();
    const header = text(perfText(many(10, 8000)) + "\n# hostname : other\n\n" + perfText(many(11, 4000)));
    expect(await inPieces(header, 2), "header").toBeNull();
    // A frame whose name has a byte that is not UTF-8, met first after the cut.
    const badFrame = Buffer.concat([text("app 100 [000] 10.900000: 1 cpu-clock:\n\t401000 bad"), Buffer.from([0xff]), text("+0x1 (/usr/bin/app)\n\n")]);
    const badUtf8 = Buffer.concat([text(perfText(many(10, 8000)) + "\n"), badFrame, text(perfText(many(11, 4000)))]);
    expect(parsePerfScript(badUtf8).diagnostics.entries.map((d) => d.code)).toContain("invalid-utf8");
    expect(await inPieces(badUtf8, 2), "utf8").toBeNull();
  });
});

describe("readProfile", () => {
  it("a file of 32 MiB or more: the same profile on 2 threads as on 1, and as its gzip read (on one thread)", async () => {
    // The JVM example and shifted copies of its samples (header dropped), 40 MB.
    const {bytes} = examples[1];
    const body = Buffer.from(bytes).toString("latin1").replace(/^#.*\n/gm, "");
    const copies = [Buffer.from(bytes)];
    for (let k = 1, size = bytes.length; size < 40e6; k++, size += body.length) {
      copies.push(Buffer.from(body.replace(/ (\d+)\.(\d{6}):/g, (_, s, f) => ` ${Number(s) + 30 * k}.${f}:`), "latin1"));
    }
    const big = Buffer.concat(copies);
    const file = fileOf(big);
    const gz = `${file}.gz`;
    writeFileSync(gz, gzipSync(big, {level: 1}));
    const one = await readProfile(file, {threads: 1});
    expectSameProfile(await readProfile(file, {threads: 2}), one);
    expectSameProfile(await readProfile(gz, {threads: 2}), {...one, source: gz});
  });

  const deep = new URL("../../bench/data/deep.perf", import.meta.url).pathname;
  it.skipIf(!existsSync(deep))("the benchmark's deep capture (bench/record-deep.sh): the same profile on 2 threads as on 1", async () => {
    expectSameProfile(await readProfile(deep, {threads: 2}), await readProfile(deep, {threads: 1}));
  });
  if (!existsSync(deep)) console.warn(`SKIPPED: ${deep} is missing (record it with bench/record-deep.sh): the deep capture's comparison did not run`);
});
