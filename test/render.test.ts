// SVG snapshot tests, in the manner of Observable Plot's test/output/*.svg: each drawing
// is compared with its committed snapshot; a mismatch writes the new drawing under
// test/output/actual/ to look at. A missing snapshot fails too; SUBSECOND_UPDATE_SNAPSHOTS=1
// writes missing and changed ones (then look at them before committing).
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {JSDOM} from "jsdom";
import {beforeAll, describe, expect, it} from "vitest";
import {annotate} from "../src/lib/annotations.js";
import {diffTrees, elidedTree} from "../src/lib/diff.js";
import {flameTree, searchTree} from "../src/lib/flametree.js";
import {heatmap} from "../src/lib/heatmap.js";
import {svgDocument} from "../src/lib/node.js";
import {parsePerfScript} from "../src/lib/perf/parse.js";
import {flameGraphSvg, layoutFlameGraph} from "../src/lib/render/flamegraph.js";
import {annotationShapes, partOutlines} from "../src/lib/render/heatmap.js";
import {heatmapSvg} from "../src/lib/render/heatmap.js";
import {cellBlock, timeRange} from "../src/lib/selection.js";
import {idleSample, perfText, type TestSample} from "./helpers.js";

const OUTPUT = new URL("./output/", import.meta.url);

const UPDATE = process.env.SUBSECOND_UPDATE_SNAPSHOTS === "1";

function snapshot(name: string, svg: string): void {
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
function parseSvg(svg: string): Document {
  const doc = new JSDOM(svg, {contentType: "image/svg+xml"}).window.document;
  expect(doc.getElementsByTagName("parsererror").length).toBe(0);
  return doc;
}

const HOSTILE = "<img src=x onerror=alert(1)>";
const samples: TestSample[] = [];
// Four seconds of an app at two offsets, a periodic GC stripe at 200 ms, idle CPUs.
for (let s = 0; s < 4; s++) {
  for (const ms of [100, 150, 500, 700]) samples.push({time: `${50 + s}.${String(ms * 1000).padStart(6, "0")}`, stack: ["main", "serve", ms < 500 ? "parse_request" : "render_page"]});
  samples.push({time: `${50 + s}.200000`, comm: "gc-thread", tid: 101, stack: ["start_thread", "gc_mark_heap"]});
  samples.push({time: `${50 + s}.210000`, comm: "gc-thread", tid: 101, stack: ["start_thread", "gc_mark_heap", "gc_scan_roots"]});
  samples.push(idleSample(`${50 + s}.900000`, 1));
}
samples.push({time: "53.950000", comm: `evil ${HOSTILE}`, tid: 666, stack: ["main", HOSTILE, "a&b \"quoted\" 'single'"]});
const profile = parsePerfScript(perfText(samples), {source: "render-fixture.perf"});
annotate(profile, {label: "GC <stripe>", selection: [cellBlock(0, 3, 10, 10, 50)], note: "gc_mark_heap & friends"});
annotate(profile, {label: "second half", from: 1.5, to: 3.25});

describe("flame graph SVG", () => {
  const tree = flameTree(profile);

  it("draws the whole profile", () => snapshot("flamegraph.svg", flameGraphSvg(tree, {title: "render-fixture", subtitle: "whole profile", width: 800})));

  it("draws an icicle, a zoom and search matches", () => {
    const app = tree.root.children.find((c) => c.name === "app")!;
    const serve = app.children[0].children[0];
    const matches = searchTree(tree, /parse/).nodes;
    snapshot("flamegraph-icicle-zoom.svg", flameGraphSvg(tree, {orientation: "icicle", zoom: serve, highlight: matches, width: 600}));
  });

  it("draws a differential and an elided view", () => {
    const a = flameTree(profile, [timeRange(0, 2)]);
    const b = flameTree(profile, [timeRange(2, 4)]);
    snapshot("flamegraph-diff.svg", flameGraphSvg(diffTrees(a, b), {differential: true, width: 600, title: "0–2 s vs 2–4 s"}));
    snapshot("flamegraph-elided.svg", flameGraphSvg(elidedTree(a, b), {width: 600, title: "elided"}));
  });

  it("escapes frame, comm and module names, and stays well-formed", () => {
    const svg = flameGraphSvg(tree, {title: HOSTILE});
    expect(svg).not.toContain("<img");
    expect(svg).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const doc = parseSvg(svg);
    const titles = [...doc.getElementsByTagName("title")].map((t) => t.textContent);
    expect(titles.some((t) => t?.startsWith(HOSTILE))).toBe(true);
    expect(titles.some((t) => t?.startsWith(`evil ${HOSTILE}`))).toBe(true);
    expect(titles.some((t) => t?.startsWith(`a&b "quoted" 'single'`))).toBe(true);
  });

  it("gives every frame a title with samples and percent, and leaves out frames under minWidth", () => {
    const doc = parseSvg(flameGraphSvg(tree, {width: 1000}));
    const title = [...doc.getElementsByTagName("title")].map((t) => t.textContent!).find((t) => t.startsWith("gc_mark_heap"))!;
    expect(title).toBe("gc_mark_heap (/usr/bin/app)\n8 samples, 32.00%; self 4");
    const narrow = layoutFlameGraph(tree, {width: 10, minWidth: 1});
    expect(narrow.boxes.every((b) => b.width >= 1)).toBe(true);
    expect(narrow.boxes.length).toBeLessThan(layoutFlameGraph(tree, {width: 10}).boxes.length);
  });
});

describe("heat map SVG", () => {
  let document: Document;
  beforeAll(async () => {
    document = svgDocument();
  });

  it("draws cells, axes, legend and annotations", () => {
    const svg = heatmapSvg(heatmap(profile, {rows: 50}), {document, title: "render-fixture"});
    snapshot("heatmap.svg", svg);
    const doc = parseSvg(svg);
    // 4 seconds × 3 busy offsets of the app (100, 150: one bucket each; 500; 700) + 2 GC
    // offsets (200, 210 ms are buckets 10 and 10 → one cell) + the hostile sample.
    const cells = [...doc.querySelectorAll("rect")].filter((r) => r.parentElement?.getAttribute("aria-label") === "cell");
    expect(cells.length).toBe(4 * 5 + 1);
    const titles = [...doc.getElementsByTagName("title")].map((t) => t.textContent);
    expect(titles).toContain("second 0, 200–220 ms: 2 samples");
    expect(titles).toContain("GC <stripe>: gc_mark_heap & friends");
    expect(svg).not.toContain("<stripe>");
  });

  it("stays valid XML with non-breaking spaces, control characters and lone surrogates in names", () => {
    const hostile = parsePerfScript(perfText([{time: "1.5", comm: "a\u00a0b", stack: ["main"]}]));
    annotate(hostile, {label: "GC\u00a0pause\u0001\ud800", from: 0, to: 0.5, note: "x\u001b[2Jy"});
    const svg = heatmapSvg(heatmap(hostile), {document, title: "title\u00a0\u0007 <b>"});
    expect(svg).not.toContain("&nbsp;");
    const doc = parseSvg(svg);
    const texts = [...doc.getElementsByTagName("text")].map((t) => t.textContent);
    expect(texts).toContain("GC\u00a0pause\uFFFD\uFFFD");
    expect(texts).toContain("title\u00a0\uFFFD <b>");
  });

  it("draws the enhanced palette and other row counts", () => {
    snapshot("heatmap-enhanced-10rows.svg", heatmapSvg(heatmap(profile, {rows: 10, idle: "keep"}), {document, palette: "enhanced", legend: true}));
  });
});

describe("outlines", () => {
  const g = {left: 0, bottom: 100, cellWidth: 10, cellHeight: 2, columns: 10, rows: 50};
  it("a range over two seconds that does not join up is two rectangles", () => {
    expect(partOutlines(timeRange(1.9, 2.3), g)).toEqual([
      [[10, 10], [10, 0], [20, 0], [20, 10]],
      [[20, 100], [20, 70], [30, 70], [30, 100]],
    ]);
  });
  it("a range over two seconds that joins up is one snake; over more seconds too", () => {
    expect(partOutlines(timeRange(1.3, 2.6), g)).toHaveLength(1);
    expect(partOutlines(timeRange(1.9, 3.1), g)).toHaveLength(1);
    expect(partOutlines(timeRange(1.9, 3.1), g)[0]).toHaveLength(8);
  });
  it("labels that would overlap an earlier one are left out", () => {
    const windows = [0, 1, 2, 3].map((s) => ({label: "global lock held", parts: [timeRange(s + 0.1, s + 0.5)]}));
    const shapes = annotationShapes([...windows, {label: "GC", parts: [cellBlock(5, 6, 40, 45, 50)]}], g);
    expect(shapes.map((s) => s.label !== null)).toEqual([true, false, false, false, true]);
  });
});

describe.skipIf(!existsSync("/usr/bin/chromium"))("interactive flame graph SVG, in Chromium", () => {
  it("zooms on click, resets, and searches with the matched share", async () => {
    const {chromium} = await import("playwright-core");
    const {CHROMIUM_ARGS} = await import("./site/heatmap-page.js");
    const dir = mkdtempSync(join(tmpdir(), "subsecond-svg-"));
    const file = join(dir, "fg.svg");
    writeFileSync(file, flameGraphSvg(flameTree(profile), {interactive: true, width: 800, title: "interactive"}));
    const browser = await chromium.launch({executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS});
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`file://${file}`);
      const frame = (name: string) => page.locator("g.frame", {has: page.locator(`title`, {hasText: new RegExp(`^${name} `)})}).first();
      const width = async (name: string) => Number(await frame(name).locator("rect").getAttribute("width"));
      expect(await width("gc_mark_heap")).toBeCloseTo(800 * 8 / 25, 1);
      await frame("gc_mark_heap").locator("rect").click();
      expect(await width("gc_mark_heap")).toBeCloseTo(800, 1);
      expect(await frame("parse_request").isVisible()).toBe(false);
      await page.locator("text.reset").click();
      expect(await width("gc_mark_heap")).toBeCloseTo(800 * 8 / 25, 1);
      page.once("dialog", (d) => d.accept("^gc_"));
      await page.locator("text.search").click();
      expect(await page.locator("text.matched").textContent()).toBe("Matched: 32.0%");
      expect(await frame("gc_scan_roots").locator("rect").getAttribute("fill")).toBe("rgb(230,0,230)");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      rmSync(dir, {recursive: true, force: true});
    }
  }, 60_000);
});
