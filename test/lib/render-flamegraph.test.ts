import {existsSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {diffTrees, elidedTree} from "../../src/lib/diff.js";
import {flameTree, searchTree} from "../../src/lib/flametree.js";
import {callTree, sandwich, threadTrees} from "../../src/lib/calltree.js";
import {flameGraphPanelsSvg, flameGraphSvg, flameLegend, frameFill, layoutFlameGraph} from "../../src/lib/render/flamegraph.js";
import {sampleView} from "../../src/lib/view.js";
import {timeRange} from "../../src/lib/selection.js";
import {HOSTILE, parseSvg, profile, snapshot} from "./render-fixture.js";

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

  it("draws call-tree views: a transformed inverted tree, a sandwich, the busiest threads", () => {
    const view = sampleView(profile);
    snapshot("flamegraph-inverted-merged.svg", flameGraphSvg(callTree(view, {invert: true, transforms: [{type: "merge-function", name: "serve"}]}), {title: "inverted, serve merged", width: 600}));
    const {callers, callees} = sandwich(view, "serve");
    const svg = flameGraphPanelsSvg([{tree: callers, title: "callers of serve"}, {tree: callees, title: "callees of serve", orientation: "icicle"}], {title: "sandwich", width: 600, interactive: true});
    snapshot("flamegraph-sandwich.svg", svg);
    // Each panel zooms and searches on its own: a nested <svg> with its own script.
    const doc = parseSvg(svg);
    expect(doc.documentElement.getElementsByTagName("svg")).toHaveLength(2);
    expect(doc.getElementsByTagName("script")).toHaveLength(2);
    const threads = threadTrees(view, {limit: 2});
    snapshot("flamegraph-threads.svg", flameGraphPanelsSvg(threads.map((t) => ({tree: t.tree, title: `${t.comm} ${t.tid}: ${t.samples} samples`})), {title: HOSTILE, width: 600}));
    expect(flameGraphPanelsSvg([{tree: threads[0].tree, title: HOSTILE}], {title: HOSTILE})).not.toContain("<img");
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

describe.skipIf(!existsSync("/usr/bin/chromium"))("interactive flame graph SVG, in Chromium", () => {
  it("zooms on click, resets, and searches with the matched share", async () => {
    const {chromium} = await import("playwright-core");
    const {CHROMIUM_ARGS} = await import("../../scripts/browser/heatmap-page.js");
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

describe("the flame graph's legend", () => {
  const tree = flameTree(profile);
  const withIdle = flameTree(profile, null, {idle: "keep"});

  it("names the colours in use, one entry per frame class, and search matches only when a frame matches", () => {
    // The fixture has comms and native code, and the kernel's idle loop when idle samples are kept; no JIT, inlined, C++ or unknown frames.
    expect(flameLegend(layoutFlameGraph(tree)).map((e) => e.label)).toEqual(["all (root)", "process (comm)", "native code"]);
    expect(flameLegend(layoutFlameGraph(withIdle)).map((e) => e.label)).toEqual(["all (root)", "process (comm)", "kernel", "native code"]);
    const layout = layoutFlameGraph(tree);
    expect(flameLegend(layout, {highlight: searchTree(tree, /parse/).nodes}).map((e) => e.label)).toContain("search match");
    expect(flameLegend(layout, {highlight: searchTree(tree, /no such frame/).nodes}).map((e) => e.label)).not.toContain("search match");
  });

  it("names grew, shrank and unchanged for a differential", () => {
    const diff = diffTrees(flameTree(profile, [timeRange(0, 2)]), flameTree(profile, [timeRange(2, 4)]));
    expect(flameLegend(layoutFlameGraph(diff), {differential: true}).map((e) => e.label)).toEqual(["grew", "shrank", "unchanged"]);
  });

  it("gives each class a colour of the range its frames are drawn in", () => {
    const layout = layoutFlameGraph(withIdle);
    const legend = new Map(flameLegend(layout).map((e) => [e.label, e.color]));
    const kernelFrame = layout.boxes.find((b) => b.node.kind === "kernel")!;
    // Kernel frames are orange: red 230-255, green 120-180, blue 20-60.
    for (const color of [legend.get("kernel")!, frameFill(kernelFrame.node)]) {
      const [r, g, b] = color.match(/\d+/g)!.map(Number);
      expect(r >= 230 && g >= 120 && g <= 180 && b >= 20 && b <= 60, color).toBe(true);
    }
  });
});
