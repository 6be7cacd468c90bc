// Heat-map palettes at real sample rates, where a cell holds 0–4 samples: the colours
// the drawn cells get must tell 1, 2, 3 and 4 samples apart at a glance, and tell 1
// from an empty (white) cell. Measured as CIE76 ΔE in Lab (about 2.3 is just
// noticeable; 20 is "a different colour").
import {describe, expect, it} from "vitest";
import {heatmap} from "../../src/lib/heatmap.js";
import {svgDocument} from "../../src/node/index.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {heatmapSvg} from "../../src/lib/render/heatmap.js";
import {colorClasses, heatmapColorScale, HEATMAP_PALETTES, type HeatmapPalette} from "../../src/lib/render/palette.js";
import {perfText, type TestSample} from "../helpers.js";
import {parseSvg, snapshot} from "./render-fixture.js";

/** One second with cells of 1, 2, 3 and 4 samples (rows of 100 ms). */
const counts = parsePerfScript(
  perfText([1, 2, 3, 4].flatMap((n): TestSample[] => Array.from({length: n}, (_, k) => ({time: `1.${n}${k}`, cpu: k, stack: ["main", "work"]})))),
);

function lab(color: string): [number, number, number] {
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/i.exec(color);
  const rgb = m ? [+m[1], +m[2], +m[3]] : [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  const [r, g, b] = rgb.map((v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
  const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  const [fx, fy, fz] = xyz.map((t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116));
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
const deltaE = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

/** The fill of the drawn cell holding n samples, per n. */
function fills(palette: HeatmapPalette): Map<number, string> {
  const svg = heatmapSvg(heatmap(counts, {rows: 10}), {document: svgDocument(), palette});
  const cells = [...parseSvg(svg).querySelectorAll("rect")].filter((r) => r.parentElement?.getAttribute("aria-label") === "cell");
  return new Map(cells.map((r) => [Number(/: (\d+) sample/.exec(r.querySelector("title")!.textContent!)![1]), r.getAttribute("fill")!]));
}

/** The smallest ΔE between two of white, 1, 2, 3 and 4 samples. */
function smallestStep(palette: HeatmapPalette): number {
  const f = fills(palette);
  const colors = ["#FFFFFF", ...[1, 2, 3, 4].map((n) => f.get(n)!)];
  let min = Infinity;
  for (let i = 0; i < colors.length; i++) for (let j = i + 1; j < colors.length; j++) min = Math.min(min, deltaE(colors[i], colors[j]));
  return min;
}

describe("heat-map palettes at 0–4 samples a cell", () => {
  it("steps gives white, 1, 2, 3 and 4 samples colours at least ΔE 20 apart", () => {
    expect(smallestStep("steps")).toBeGreaterThan(20);
    snapshot("heatmap-steps-counts.svg", heatmapSvg(heatmap(counts, {rows: 10}), {document: svgDocument(), palette: "steps"}));
  });

  it("FlameScope's palette does not (3 and 4 samples are nearly the same red), which is why steps exists", () => {
    expect(smallestStep("flamescope")).toBeLessThan(10);
  });

  it("enhanced is not FlameScope's palette when the busiest cell holds 3 samples or fewer", () => {
    for (const max of [1, 2, 3]) expect(heatmapColorScale("enhanced", max)).not.toEqual(heatmapColorScale("flamescope", max));
  });

  it("steps keeps one class per count up to 7, then 7 classes of about equal ranges that cover every count", () => {
    expect(colorClasses(heatmapColorScale("steps", 2), 2).map((c) => [c.from, c.to])).toEqual([[1, 1], [2, 2]]);
    expect(colorClasses(heatmapColorScale("steps", 7), 7)).toHaveLength(7);
    const wide = colorClasses(heatmapColorScale("steps", 200), 200);
    expect(wide).toHaveLength(7);
    expect(wide[0].from).toBe(1);
    expect(wide[6].to).toBe(200);
    for (let k = 1; k < wide.length; k++) expect(wide[k].from).toBe(wide[k - 1].to + 1);
    expect(new Set(wide.map((c) => c.color)).size).toBe(7);
  });

  it("every palette draws, with its legend", () => {
    for (const palette of HEATMAP_PALETTES) expect(parseSvg(heatmapSvg(heatmap(counts, {rows: 10}), {document: svgDocument(), palette})).querySelectorAll(".subsecond-legend-ramp").length).toBe(1);
  });
});
