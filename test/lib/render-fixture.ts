// The drawings' shared fixture and their snapshots, in the manner of Observable Plot's
// test/output/*.svg: each drawing is compared with its committed snapshot; a mismatch
// writes the new drawing under test/output/actual/ to look at. A missing snapshot fails
// too; SUBSECOND_UPDATE_SNAPSHOTS=1 writes missing and changed ones (then look at them
// before committing).
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {JSDOM} from "jsdom";
import {expect} from "vitest";
import {annotate} from "../../src/lib/annotations.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {cellBlock} from "../../src/lib/selection.js";
import {idleSample, perfText, type TestSample} from "../helpers.js";

const OUTPUT = new URL("../output/", import.meta.url);

const UPDATE = process.env.SUBSECOND_UPDATE_SNAPSHOTS === "1";

export function snapshot(name: string, svg: string): void {
  const expectedPath = new URL(name, OUTPUT);
  if (UPDATE) {
    mkdirSync(OUTPUT, {recursive: true});
    writeFileSync(expectedPath, svg);
    console.warn(`wrote snapshot test/output/${name}`);
    return;
  }
  expect(existsSync(expectedPath), `no snapshot test/output/${name}: run with SUBSECOND_UPDATE_SNAPSHOTS=1 and look at it`).toBe(true);
  const expected = readFileSync(expectedPath, "utf8");
  if (expected !== svg) {
    const actual = new URL(`actual/${name}`, OUTPUT);
    mkdirSync(new URL("actual/", OUTPUT), {recursive: true});
    writeFileSync(actual, svg);
  }
  expect(svg, `test/output/${name} differs (new drawing in test/output/actual/${name})`).toBe(expected);
}

/** Parses as XML: a drawing must be well-formed, and escaping mistakes are not. */
export function parseSvg(svg: string): Document {
  const doc = new JSDOM(svg, {contentType: "image/svg+xml"}).window.document;
  expect(doc.getElementsByTagName("parsererror").length).toBe(0);
  return doc;
}

export const HOSTILE = "<img src=x onerror=alert(1)>";
const samples: TestSample[] = [];
// Four seconds of an app at two offsets, a periodic GC stripe at 200 ms, idle CPUs.
for (let s = 0; s < 4; s++) {
  for (const ms of [100, 150, 500, 700]) samples.push({time: `${50 + s}.${String(ms * 1000).padStart(6, "0")}`, stack: ["main", "serve", ms < 500 ? "parse_request" : "render_page"]});
  samples.push({time: `${50 + s}.200000`, comm: "gc-thread", tid: 101, stack: ["start_thread", "gc_mark_heap"]});
  samples.push({time: `${50 + s}.210000`, comm: "gc-thread", tid: 101, stack: ["start_thread", "gc_mark_heap", "gc_scan_roots"]});
  samples.push(idleSample(`${50 + s}.900000`, 1));
}
samples.push({time: "53.950000", comm: `evil ${HOSTILE}`, tid: 666, stack: ["main", HOSTILE, "a&b \"quoted\" 'single'"]});
export const profile = parsePerfScript(perfText(samples), {source: "render-fixture.perf"});
annotate(profile, {label: "GC <stripe>", selection: [cellBlock(0, 3, 10, 10, 50)], note: "gc_mark_heap & friends"});
annotate(profile, {label: "second half", from: 1.5, to: 3.25});

