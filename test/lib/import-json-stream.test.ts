// The JSON read in pieces (src/lib/import/json-stream.ts) against JSON.parse of the
// whole text: any document cut at any bytes (a UTF-8 character split between pieces,
// strings with escapes and brackets) gives the same values, and every text JSON.parse
// refuses is refused with an ImportError naming the file and a byte. Then readProfile
// of large and gzip files through it gives what importing the parsed value gives.
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import fc from "fast-check";
import {afterAll, describe, expect, it} from "vitest";
import {importChromeTrace} from "../../src/lib/import/chrome-trace.js";
import {importCpuProfile} from "../../src/lib/import/cpuprofile.js";
import {ImportError} from "../../src/lib/import/errors.js";
import {JsonStream} from "../../src/lib/import/json-stream.js";
import type {Profile} from "../../src/lib/profile.js";
import {readProfile} from "../../src/node/index.js";
import {CPUPROFILE, readJson, TRACE} from "./import-fixtures.js";

const SETTINGS = {numRuns: Number(process.env.FUZZ_RUNS ?? 300)};
const STREAMED = new Set(["nodes", "samples", "list"]);

/** The document the stream hands on, put back together. */
function streamed(bytes: Uint8Array, cuts: number[]): unknown {
  let top: unknown;
  const object: Record<string, unknown> = {};
  const stream = new JsonStream("doc.json", "JSON", {
    streamed: STREAMED,
    array: (key) => {
      if (key === "") top = [];
      else object[key] = [];
    },
    element: (key, value, index) => {
      const array = (key === "" ? top : object[key]) as unknown[];
      expect(index).toBe(array.length);
      array.push(value);
    },
    value: (key, value) => {
      object[key] = value;
    },
  });
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b).concat(bytes.length)) {
    // A Buffer (as Node reads them) that is then overwritten: the stream keeps
    // nothing of a piece uncopied.
    const piece = Buffer.from(bytes.subarray(at, Math.max(at, cut)));
    stream.push(piece);
    piece.fill(0x41);
    at = Math.max(at, cut);
  }
  stream.finish();
  return top ?? object;
}

const text = fc.string({unit: "binary", maxLength: 12});
const value = fc.letrec((tie) => ({
  v: fc.oneof({depthSize: "small"}, fc.integer(), fc.double({noNaN: true, noDefaultInfinity: true}), fc.constantFrom(1e300, -0, 2 ** 53 + 2, 123456789012345678), text, fc.boolean(), fc.constant(null), fc.array(tie("v"), {maxLength: 4}), fc.dictionary(text, tie("v"), {maxKeys: 4})),
})).v;
const document = fc.oneof(
  fc.record({nodes: fc.array(value, {maxLength: 6}), samples: fc.array(fc.oneof(fc.integer(), fc.double({noNaN: true, noDefaultInfinity: true})), {maxLength: 8}), startTime: value, "\\\"{[": value}, {requiredKeys: []}),
  fc.array(value, {maxLength: 6}),
  fc.record({list: value, other: value}),
);
const encode = (doc: unknown, indent: number) => new TextEncoder().encode(JSON.stringify(doc, null, indent));
const cutsOf = (length: number) => fc.array(fc.nat(length), {maxLength: 6});

describe("the JSON stream against JSON.parse", () => {
  it("gives the same values, however the bytes are cut", () => {
    fc.assert(
      fc.property(document, fc.constantFrom(0, 2), fc.array(fc.nat(), {maxLength: 6}), (doc, indent, cuts) => {
        const bytes = encode(doc, indent);
        expect(streamed(bytes, cuts.map((c) => c % (bytes.length + 1)))).toEqual(JSON.parse(new TextDecoder().decode(bytes)));
      }),
      SETTINGS,
    );
  });

  it("refuses a truncated document, and junk after one, with an ImportError naming the file and a byte", () => {
    fc.assert(
      fc.property(document, fc.nat(), fc.uint8Array({minLength: 1, maxLength: 8}), (doc, cut, junk) => {
        const bytes = encode(doc, 0);
        const truncated = bytes.subarray(0, cut % bytes.length);
        expect(() => streamed(truncated, [truncated.length >> 1])).toThrow(/^doc\.json: JSON: byte \d+: /);
        const extra = new Uint8Array([...bytes, ...junk]);
        const parses = (() => {
          try {
            JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(extra));
            return true;
          } catch {
            return false;
          }
        })();
        if (!parses) expect(() => streamed(extra, [bytes.length])).toThrow(ImportError);
      }),
      SETTINGS,
    );
  });

  it("accepts what JSON.parse accepts and refuses the rest, on texts made of JSON's own characters", () => {
    const piece = fc.constantFrom("{", "}", "[", "]", ",", ":", " ", '"', "\\", '"nodes"', '"samples"', '"a"', "1", "-", "0", "e5", ".5", "true", "null", "\\u00e9", "é", "\n");
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 24}), cutsOf(64), (pieces, cuts) => {
        const source = pieces.join("");
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(source);
        } catch {
          valid = false;
        }
        const bytes = new TextEncoder().encode(source);
        const objectOrArray = typeof expected === "object" && expected !== null;
        let got: unknown;
        try {
          got = streamed(bytes, cuts.map((c) => Math.min(c, bytes.length)));
        } catch (e) {
          if (!(e instanceof ImportError)) throw e;
          // Refused: JSON.parse refuses it too, or it is not an object or array, or
          // it repeats a top-level key.
          if (valid && objectOrArray) expect((e as Error).message).toMatch(/appears twice/);
          return;
        }
        expect(valid && objectOrArray).toBe(true);
        expect(got).toEqual(expected);
      }),
      {numRuns: SETTINGS.numRuns * 4},
    );
  });

  it("names the byte where it goes wrong", () => {
    const bytes = new TextEncoder().encode('{"nodes": [1, 2,, 3]}');
    expect(() => streamed(bytes, [])).toThrow(/^doc\.json: JSON: byte 16: expected a value, found ","$/);
    expect(() => streamed(new TextEncoder().encode('{"samples": [1] "x": 2}'), [])).toThrow(/^doc\.json: JSON: byte 16: expected , or } after the value of "samples", found "\\""$/);
    expect(() => streamed(new TextEncoder().encode('{"a": 1}\u0000\u0001'), [])).toThrow(/^doc\.json: JSON: byte 8: byte 0x00 after the end of the JSON$/);
    expect(() => streamed(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), [])).toThrow(/^doc\.json: JSON: byte 1: the value that starts here is not valid UTF-8$/);
  });
});

describe("readProfile streams .cpuprofile and Chrome trace files", () => {
  const dir = mkdtempSync(join(tmpdir(), "subsecond-json-stream-"));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  /** A cpuprofile of several MiB (more than one read), with names in several scripts
   * so that pieces end inside UTF-8 characters. */
  function largeCpuProfile() {
    const profile = readJson(CPUPROFILE);
    const maxId = Math.max(...profile.nodes.map((n: any) => n.id));
    const root = profile.nodes.find((n: any) => n.callFrame.functionName === "(root)");
    const copies = 150;
    const shift = (k: number) => (id: number) => (id === root.id ? id : id + k * maxId);
    const nodes = [{...root, children: Array.from({length: copies}, (_, k) => (root.children ?? []).map(shift(k))).flat()}];
    for (let k = 0; k < copies; k++) {
      for (const n of profile.nodes) if (n.id !== root.id) nodes.push({...n, id: shift(k)(n.id), children: n.children?.map(shift(k)), callFrame: {...n.callFrame, functionName: `${n.callFrame.functionName}·é😀函数"{[\\${k}`}});
    }
    return {...profile, nodes, samples: Array.from({length: copies}, (_, k) => profile.samples.map(shift(k))).flat(), timeDeltas: Array.from({length: copies}, () => profile.timeDeltas).flat()};
  }

  const summary = (p: Profile) => ({
    samples: p.samples.length,
    time: Array.from(p.samples.time),
    stack: Array.from(p.samples.stack),
    stacks: p.stacks.length,
    names: Array.from(p.frames.name, (i) => p.strings[i]),
    origin: p.origin,
  });

  it("a large .cpuprofile, plain and gzip, reads as importing its parsed value does", async () => {
    const profile = largeCpuProfile();
    const text = JSON.stringify(profile);
    expect(text.length).toBeGreaterThan(5 << 20);
    const plain = join(dir, "large.cpuprofile"), gzip = join(dir, "large.cpuprofile.gz");
    writeFileSync(plain, text);
    writeFileSync(gzip, gzipSync(text));
    const expected = summary(importCpuProfile(profile, {source: plain}));
    expect(summary(await readProfile(plain, {sidecar: false}))).toEqual(expected);
    expect(summary(await readProfile(gzip, {sidecar: false}))).toEqual(expected);
  });

  it("a gzip Chrome trace reads as importing its parsed value does", async () => {
    const trace = readJson(TRACE);
    expect(summary(await readProfile(TRACE, {sidecar: false}))).toEqual(summary(importChromeTrace(trace, {source: TRACE})));
  });

  it("a truncated gzip trace is refused naming the file", async () => {
    const path = join(dir, "cut.trace.json.gz");
    const bytes = gzipSync(JSON.stringify(readJson(TRACE)));
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    await expect(readProfile(path, {sidecar: false})).rejects.toThrow(new RegExp(`^${path.replace(/[.]/g, "\\.")}: .*(damaged or truncated|ends early)`));
  });
});
