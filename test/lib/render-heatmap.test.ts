import {beforeAll, describe, expect, it} from "vitest";
import {annotate} from "../../src/lib/annotations.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {svgDocument} from "../../src/node/index.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {annotationShapes, heatmapSvg, partOutlines} from "../../src/lib/render/heatmap.js";
import {cellBlock, timeRange} from "../../src/lib/selection.js";
import {perfText} from "../helpers.js";
import {parseSvg, profile, snapshot} from "./render-fixture.js";

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

  it("draws a folded map with wide columns, ticks in the period's units, labels within the chart and a title that fits", () => {
    // A minute of work folded at 5 s: 12 columns, which at one second's 8 px were 96 px.
    const p = parsePerfScript(perfText(Array.from({length: 240}, (_, i) => ({time: (100 + i * 0.25).toFixed(6), stack: ["main", i % 7 ? "work" : "flush"]}))), {source: "folded.perf"});
    const label = "a stop-the-world pause of every thread while the collector <marks> the whole heap, longer than the chart";
    for (const from of [12, 12.1, 12.2, 57]) annotate(p, {label: `${label} ${from}`, from, to: from + 0.3});
    const title = `a title much longer than a folded chart of twelve periods: ${"x".repeat(40)}`;
    const svg = heatmapSvg(heatmap(p, {period: "5s", rows: 50}), {document, title});
    snapshot("heatmap-folded-5s.svg", svg);
    const doc = parseSvg(svg);
    const chart = [...doc.getElementsByTagName("svg")].find((e) => e.getAttribute("class")?.includes("subsecond-heatmap-chart"))!;
    const [cw, columns] = ["cw", "columns"].map((k) => Number(chart.getAttribute(`data-${k}`)));
    expect(columns).toBe(12);
    expect(cw).toBe(40);
    const texts = [...doc.getElementsByTagName("text")].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(["0", "10s", "20s", "50s", "time since origin, one column per 5s →", "↑ offset in 5s (ms)"]));
    const labels = [...doc.getElementsByTagName("text")].filter((t) => t.getAttribute("class") === "annotation-label");
    expect(labels.length).toBeGreaterThanOrEqual(2);
    for (const t of labels) {
      expect(t.textContent!.endsWith("…")).toBe(true);
      expect(Number(t.getAttribute("x")) + t.textContent!.length * 7).toBeLessThanOrEqual(Number(chart.getAttribute("width")));
    }
    const boxes = labels.map((t) => ({x0: Number(t.getAttribute("x")), x1: Number(t.getAttribute("x")) + t.textContent!.length * 7, y: Number(t.getAttribute("y"))}));
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) expect(Math.abs(a.y - b.y) >= 12 || a.x1 <= b.x0 || b.x1 <= a.x0).toBe(true);
    // The legend and the outlines' titles keep the whole label.
    expect(texts).toContain(`${label} 12`);
    expect(svg).not.toContain("<marks>");
    expect(Number(doc.documentElement.getAttribute("width"))).toBeGreaterThanOrEqual(48 + title.length * 8.5);
  });

  it("gives a short fold narrow columns and a long capture's one-second map its 8 px", () => {
    const p = parsePerfScript(perfText(Array.from({length: 400}, (_, i) => ({time: (100 + i * 0.1).toFixed(6), stack: ["main"]}))));
    const cw = (svg: string) => Number(/data-cw="([\d.]+)"/.exec(svg)![1]);
    expect(cw(heatmapSvg(heatmap(p), {document}))).toBe(8);
    expect(cw(heatmapSvg(heatmap(p, {period: "100ms"}), {document}))).toBe(2);
    expect(cw(heatmapSvg(heatmap(p, {period: "500ms"}), {document}))).toBe(6);
  });

  it("draws the enhanced palette and other row counts", () => {
    snapshot("heatmap-enhanced-10rows.svg", heatmapSvg(heatmap(profile, {rows: 10, idle: "keep"}), {document, palette: "enhanced", legend: true}));
  });
});

describe("annotation legend", () => {
  it("names every label once, in its colour, under the colour legend", () => {
    const p = parsePerfScript(perfText(Array.from({length: 40}, (_, i) => ({time: (10 + i * 0.25).toFixed(6), stack: ["main", "work"]}))));
    annotate(p, {label: "GC <pause>", from: 1, to: 1.2});
    annotate(p, {label: "lock", from: 1, to: 1.2});
    annotate(p, {label: "GC <pause>", from: 5, to: 5.2});
    const doc = parseSvg(heatmapSvg(heatmap(p), {document: svgDocument()}));
    const keys = [...doc.getElementsByTagName("g")].filter((g) => g.getAttribute("class") === "annotation-key");
    expect(keys.map((k) => k.textContent)).toEqual(["GC <pause>", "lock"]);
    const strokes = keys.map((k) => k.getElementsByTagName("rect")[0].getAttribute("stroke"));
    expect(strokes[0]).not.toBe(strokes[1]);
    const outlines = [...doc.getElementsByTagName("polygon")].map((o) => o.getAttribute("stroke"));
    expect(outlines).toEqual([strokes[0], strokes[1], strokes[0]]);
    expect(heatmapSvg(heatmap(p), {document: svgDocument(), legend: false})).not.toContain("annotation-key");
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
  it("labels of different annotations move up or down, never overlapping, with a leader line; one colour per label", () => {
    // Five labels at the same corner: each must find its own line.
    const crowd = ["GC", "lock", "refresh", "compaction", "GC2"].map((label) => ({label, parts: [timeRange(2.5, 2.7)]}));
    const shapes = annotationShapes([...crowd, {label: "GC", parts: [timeRange(6.5, 6.7)]}], g);
    const boxes = shapes.filter((s) => s.label).map((s) => ({x0: s.label![0], x1: s.label![0] + s.annotation.label.length * 7, y: s.label![1]}));
    expect(boxes).toHaveLength(6);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) expect(Math.abs(a.y - b.y) >= 12 || a.x1 + 4 <= b.x0 || b.x1 + 4 <= a.x0, JSON.stringify([a, b])).toBe(true);
    }
    expect(shapes[0].leader).toBeNull();
    expect(shapes.slice(1, 5).every((s) => s.leader !== null)).toBe(true);
    expect(new Set(shapes.slice(0, 5).map((s) => s.color)).size).toBe(5);
    expect(shapes[5].color).toBe(shapes[0].color);
  });

  it("labels that would overlap an earlier one are left out", () => {
    const windows = [0, 1, 2, 3].map((s) => ({label: "global lock held", parts: [timeRange(s + 0.1, s + 0.5)]}));
    const shapes = annotationShapes([...windows, {label: "GC", parts: [cellBlock(5, 6, 40, 45, 50)]}], g);
    expect(shapes.map((s) => s.label !== null)).toEqual([true, false, false, false, true]);
  });
});
