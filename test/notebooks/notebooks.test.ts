// The notebooks: the display helpers (src/notebook/index.ts) on their own, then every
// notebook executed headless with the project's tslab kernel, as CI runs them.
import {spawn, spawnSync} from "node:child_process";
import {copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve as resolvePath} from "node:path";
import * as Plot from "@observablehq/plot";
import * as aq from "arquero";
import {JSDOM} from "jsdom";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {lockJupyter, unlockJupyter} from "./jupyter-lock.js";
import {annotate, annotation, cells, displayData, flameTree, heatmap, heatmapSvg, parsePerfScript, perSecondTable, samplesTable, seconds, summarize, svgDocument, synthesize, tableHtml} from "../../src/notebook/index.js";
import {perfText} from "../helpers.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const NOTEBOOKS = join(ROOT, "notebooks");
const HOSTILE = "<img src=x onerror=alert(1)>";
const ESCAPED = "&lt;img src=x onerror=alert(1)&gt;";

function hostileProfile() {
  return parsePerfScript(
    perfText([
      {time: "10.250000", stack: ["main", HOSTILE]},
      {time: "10.260000", stack: ["main", "work"]},
      {time: "11.500000", comm: `<b>${HOSTILE}</b>`, stack: ["main", HOSTILE]},
    ]),
    {source: "hostile.perf"},
  );
}

describe("notebook display helpers", () => {
  it("draws heat maps and flame trees as SVG with frame names, comms and labels escaped", () => {
    const profile = hostileProfile();
    annotate(profile, {label: HOSTILE, from: 0.2, to: 0.3, note: HOSTILE});
    const map = displayData(heatmap(profile, {rows: 10}));
    const tree = displayData(flameTree(profile));
    for (const out of [map, tree]) {
      // HTML holding inline SVG, without a script: what untrusted notebooks and HTML
      // exports show.
      expect(out["text/html"]).toMatch(/^<div class="subsecond-figure"[^>]*><svg /);
      expect(out["text/html"]).toContain(ESCAPED);
      expect(out["text/html"]).not.toContain("<img");
      expect(out["text/html"]).not.toContain("<b>");
      expect(out["text/html"]).not.toMatch(/<script/i);
      expect(out["text/plain"]).not.toBe("");
    }
    expect(map["text/plain"]).toMatch(/^heat map of hostile\.perf: 2 seconds × 10 rows/);
    expect(tree["text/plain"]).toMatch(/^flame graph: 3 samples\nmost self samples:\n {2}2 {2}<img/);
  });

  it("draws a heat map's cells as one path per colour, the same cells as Plot's rects", () => {
    const profile = parsePerfScript(synthesize("cpus-50", {seconds: 10}), {source: "cpus-50.perf"});
    const map = heatmap(profile, {rows: 50});
    const compact = displayData(map)["text/html"]!;
    const full = heatmapSvg(map, {document: svgDocument()});
    const cellsOf = (svg: string) => {
      const layer = new JSDOM(svg).window.document.querySelector('g[aria-label="cell"]')!;
      const byFill: Record<string, string[]> = {};
      for (const r of Array.from(layer.querySelectorAll("rect"))) (byFill[r.getAttribute("fill")!] ??= []).push(`M${r.getAttribute("x")} ${r.getAttribute("y")}h${r.getAttribute("width")}v${r.getAttribute("height")}h-${r.getAttribute("width")}z`);
      for (const p of Array.from(layer.querySelectorAll("path"))) (byFill[p.getAttribute("fill")!] ??= []).push(...p.getAttribute("d")!.split(/(?=M)/));
      return Object.fromEntries(Object.entries(byFill).map(([k, v]) => [k, v.sort()]));
    };
    expect(cellsOf(compact)).toEqual(cellsOf(full));
    expect(Object.values(cellsOf(full)).flat().length).toBeGreaterThan(100);
    expect(compact.length).toBeLessThan(full.length / 3);
  });

  it("renders Arquero tables as HTML, escaping values and column names from the data", () => {
    // A pivot's columns are named after data (here frame names), with gaps left blank.
    const leaves = samplesTable(hostileProfile()).select("comm", "leaf");
    const byLeaf = samplesTable(hostileProfile()).groupby("comm").pivot("leaf", {n: aq.op.count()});
    for (const table of [leaves, byLeaf]) {
      const html = displayData(table)["text/html"]!;
      expect(html).toMatch(/^<table>/);
      expect(html).toContain(ESCAPED);
      expect(html).not.toContain("<img");
      expect(html).not.toContain("<b>");
      expect(html).not.toContain("undefined");
    }
    expect(byLeaf.columnNames()).toContain(HOSTILE);
  });

  it("counts the rows a table leaves out", () => {
    const table = aq.table({n: Array.from({length: 30}, (_, i) => i)});
    const html = tableHtml(table, {limit: 5});
    expect(html.match(/<tr>/g)).toHaveLength(6);
    expect(html).toContain("5 of 30 rows");
    expect(tableHtml(table)).toContain("20 of 30 rows");
  });

  it("prints summaries as `subsecond info` does and refuses what it cannot draw", () => {
    const out = displayData(summarize(hostileProfile()));
    expect(out["text/html"]).toBeUndefined();
    expect(out["text/plain"]).toMatch(/^file {10}hostile\.perf/);
    expect(() => displayData(() => 1)).toThrow(/^show\(\) takes a heat map .* got a function/);
    expect(() => displayData(Promise.resolve(1))).toThrow(/got a Promise \(await it first\)/);
    expect(() => displayData(new Map())).toThrow(/got a Map$/);
  });

  it("shows arrays of records as tables, Plot charts as their HTML and plain values as text", () => {
    const records = displayData([{frame: HOSTILE, samples: 2}, {frame: "main", samples: 1}]);
    expect(records["text/html"]).toMatch(/^<table>/);
    expect(records["text/html"]).toContain(ESCAPED);
    expect(records["text/html"]).not.toContain("<img");
    const chart = Plot.plot({document: svgDocument(), marks: [Plot.barY([3, 1, 2])]});
    const plotted = displayData(chart);
    expect(plotted["text/html"]).toMatch(/^<svg [^>]*class="plot-/);
    expect(plotted["text/html"]).toContain("<rect");
    expect(displayData(42)).toEqual({"text/plain": "42"});
    expect(displayData("a <b>")).toEqual({"text/plain": "a <b>"});
    expect(displayData([1, 2])["text/plain"]).toBe("[\n  1,\n  2\n]");
    expect(displayData({n: 1})["text/plain"]).toBe('{\n  "n": 1\n}');
    const scripted = svgDocument().createElement("div");
    scripted.append(svgDocument().createElement("script"));
    expect(() => displayData(scripted)).toThrow(/elements with scripts/);
  });

  it("draws a differential when the tree came from diffTrees", async () => {
    const {diffTrees} = await import("../../src/notebook/index.js");
    const profile = hostileProfile();
    const diff = displayData(diffTrees(flameTree(profile, seconds(0, 1)), flameTree(profile, seconds(1, 2))));
    const plain = displayData(flameTree(profile, seconds(0, 1)));
    expect(diff["text/html"]).toContain("change:");
    expect(plain["text/html"]).not.toContain("change:");
  });

  it("counts samples per second per comm and per thread, refusing unknown comms", () => {
    const profile = parsePerfScript(
      perfText([
        {time: "10.25", comm: "web", tid: 7, stack: ["main"]},
        {time: "10.50", comm: "web", tid: 8, stack: ["main"]},
        {time: "10.75", comm: "db", tid: 9, stack: ["main"]},
        {time: "12.10", comm: "web", tid: 7, stack: ["main"]},
        {time: "12.20", comm: "web", tid: 7, stack: ["do_idle", "default_idle"], module: "[kernel.kallsyms]", period: 5}, // idle: not counted
      ]),
      {source: "threads.perf"},
    );
    expect(perSecondTable(profile).objects()).toEqual([
      {second: 0, comm: "db", samples: 1, weight: 1},
      {second: 0, comm: "web", samples: 2, weight: 2},
      {second: 2, comm: "web", samples: 1, weight: 1},
    ]);
    expect(perSecondTable(profile, {by: "thread", filter: {comm: "web"}}).objects()).toEqual([
      {second: 0, comm: "web", pid: null, tid: 7, samples: 1, weight: 1},
      {second: 0, comm: "web", pid: null, tid: 8, samples: 1, weight: 1},
      {second: 2, comm: "web", pid: null, tid: 7, samples: 1, weight: 1},
    ]);
    expect(perSecondTable(profile, {selection: seconds(2, 3)}).numRows()).toBe(1);
    expect(() => perSecondTable(profile, {filter: {comm: "wbe"}})).toThrow(/no comm "wbe" in the profile \(comms: "web", "db"\)/);
    expect(() => perSecondTable(profile, {by: "pid" as "comm"})).toThrow(/by is "comm" or "thread", not "pid"/);
  });

  it("selects by seconds, by cells and by annotation", () => {
    const profile = hostileProfile();
    expect(flameTree(profile, seconds(0, 1)).samples).toBe(2);
    // Second 0, 200–300 ms at 10 rows: the first two samples (10.25 and 10.26 s).
    expect(flameTree(profile, cells({seconds: 0, buckets: 2, rows: 10})).samples).toBe(2);
    expect(flameTree(profile, cells({seconds: [0, 1], buckets: [5, 9], rows: 10})).samples).toBe(1);
    annotate(profile, {label: "late", from: 1, to: 1.5});
    annotate(profile, {label: "other", from: 0, to: 1});
    annotate(profile, {label: "late", from: 1.5, to: 2});
    expect(annotation(profile, "late")).toEqual([...seconds(1, 1.5), ...seconds(1.5, 2)]);
    expect(() => annotation(profile, "early")).toThrow(/no annotation "early"/);
  });
});

// ---- executing the notebooks ---------------------------------------------------------

const JUPYTER = "/usr/bin/jupyter";
const hasJupyter = existsSync(JUPYTER);
if (!hasJupyter) {
  const bar = "!".repeat(78);
  console.warn(
    `${bar}\nSKIPPED: notebook execution: ${JUPYTER} not found\n` +
      `(apt-get install -y --no-install-recommends jupyter-notebook jupyter-nbconvert jupyter-nbformat python3-nbclient)\n${bar}`,
  );
}

/** What each notebook must show: heat maps and flame graphs (SVG outputs). */
const EXPECTED: Record<string, {svgOnly: 0; heatmaps: number; flamegraphs: number}> = {
  "01-quickstart.ipynb": {svgOnly: 0, heatmaps: 1, flamegraphs: 5},
  "02-patterns.ipynb": {svgOnly: 0, heatmaps: 18, flamegraphs: 1},
  "03-investigation.ipynb": {svgOnly: 0, heatmaps: 4, flamegraphs: 4},
  "04-timelines.ipynb": {svgOnly: 0, heatmaps: 2, flamegraphs: 1},
  "05-fleet.ipynb": {svgOnly: 0, heatmaps: 2, flamegraphs: 2},
};

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}

function outputsOf(path: string): Output[] {
  const nb = JSON.parse(readFileSync(path, "utf8")) as {cells: {cell_type: string; outputs?: Output[]}[]};
  return nb.cells.flatMap((c) => c.outputs ?? []);
}

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("") : (v ?? ""));
// Figures are HTML outputs holding inline SVG.
const svgs = (outputs: Output[]) => outputs.map((o) => text(o.data?.["text/html"])).filter((h) => h.includes("<svg"));
// The heat map's colour legend and the flame graph's frame groups tell them apart.
const count = (outputs: Output[]) => ({
  // No image/svg+xml: Jupyter hides it in untrusted notebooks and nbconvert drops it.
  svgOnly: outputs.filter((o) => o.data?.["image/svg+xml"] !== undefined).length,
  heatmaps: svgs(outputs).filter((s) => s.includes("samples per cell")).length,
  flamegraphs: svgs(outputs).filter((s) => s.includes('class="frame"')).length,
});

/** Runs `jupyter nbconvert --execute` on a notebook (in notebooks/ unless a path),
 * writing the result to `outDir`. */
function execute(name: string, outDir: string, env: NodeJS.ProcessEnv, cwd = NOTEBOOKS): Promise<{status: number | null; log: string}> {
  return new Promise((resolve) => {
    const child = spawn(
      JUPYTER,
      ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--output-dir", outDir, resolvePath(NOTEBOOKS, name)],
      {env, cwd},
    );
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("close", (status) => resolve({status, log}));
  });
}

// tslab reports a failing cell on stderr (and nbconvert stops there).
const errorsOf = (outputs: Output[]) => outputs.filter((o) => o.output_type === "error" || o.name === "stderr").map((o) => text(o.text));

describe.skipIf(!hasJupyter)("notebooks executed with the tslab kernel", () => {
  let outDir = "";
  let kernelEnv: NodeJS.ProcessEnv = {};
  // Notebook 03 saves the example's annotations: re-running it must write them unchanged.
  const sidecar = join(ROOT, "examples", "node-cache-refresh.annotations.json");
  const sidecarBefore = existsSync(sidecar) ? readFileSync(sidecar, "utf8") : null;
  const runs = new Map<string, {status: number | null; log: string}>();

  beforeAll(async () => {
    await lockJupyter();
    outDir = mkdtempSync(join(tmpdir(), "subsecond-notebooks-"));
    const setup = spawnSync(process.execPath, [join(ROOT, "scripts", "jupyter-kernel.js")], {encoding: "utf8"});
    if (setup.status !== 0) throw new Error(`kernel setup failed:\n${setup.stdout}${setup.stderr}`);
    kernelEnv = {...process.env, JUPYTER_PATH: setup.stdout.match(/^JUPYTER_PATH=(.*)$/m)![1]};
    const names = Object.keys(EXPECTED);
    const results = await Promise.all(names.map((n) => execute(n, outDir, kernelEnv)));
    names.forEach((n, i) => runs.set(n, results[i]));
  }, 2_400_000);

  afterAll(() => {
    unlockJupyter(); // held from beforeAll: the tests below start kernels too
    if (outDir) rmSync(outDir, {recursive: true, force: true});
    // Leave the committed sidecar as it was, whatever the run wrote.
    if (sidecarBefore !== null) writeFileSync(sidecar, sidecarBefore);
  });

  it("finds every notebook in notebooks/ in this test", () => {
    expect(readdirSync(NOTEBOOKS).filter((f) => f.endsWith(".ipynb")).sort()).toEqual(Object.keys(EXPECTED));
  });


  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} runs without errors and shows its heat maps and flame graphs`, () => {
      const run = runs.get(name)!;
      expect(run.status, run.log).toBe(0);
      const outputs = outputsOf(join(outDir, name));
      expect(errorsOf(outputs), "error outputs").toEqual([]);
      expect(count(outputs)).toEqual(expected);
    });

    it(`${name} is committed with its outputs, small, and as a re-run writes it`, () => {
      const committed = join(NOTEBOOKS, name);
      const outputs = outputsOf(committed);
      expect(errorsOf(outputs), "error outputs").toEqual([]);
      expect(count(outputs)).toEqual(expected);
      expect(statSync(committed).size).toBeLessThan(1_000_000);
      // Deterministic: re-running (npm run notebook -- --execute) leaves git clean.
      expect(outputsOf(join(outDir, name)), "outputs differ from a fresh run: re-run `npm run notebook -- --execute`").toEqual(outputs);
    });
  }

  it("01-quickstart.ipynb draws a hostile frame name as text", () => {
    const rich = outputsOf(join(outDir, "01-quickstart.ipynb")).map((o) => text(o.data?.["text/html"]));
    expect(rich.some((r) => r.includes(ESCAPED))).toBe(true);
    expect(rich.filter((r) => r.includes("<img"))).toEqual([]);
  });

  it("04-timelines.ipynb places the logs and finds the cache refresh growing most when latency is high", () => {
    const streams = outputsOf(join(outDir, "04-timelines.ipynb")).filter((o) => o.name === "stdout").map((o) => text(o.text));
    expect(streams[0]).toContain("jvm-latency.gc.log.gz: monotonic clock");
    expect(streams[0]).toContain("jvm-latency.metrics.csv: wall clock via the profile's reference time");
    expect(streams.slice(1)).toEqual([
      "latency_p99_ms > 100: 4 of 30 points, 4 s\n",
      expect.stringMatching(/^\+46\.0 {2}java\.util\.Map RequestChurn\.loadPriceSnapshot\(/),
      expect.stringMatching(/^latency_p99_ms > 138\.926 \(the top 10%\): 3 of 30 points, 3 s\n\+[\d.]+ {2}java\.util\.Map RequestChurn\.loadPriceSnapshot\(/),
    ]);
  });

  it("an HTML export (nbconvert --to html) of an executed notebook shows its figures", () => {
    const result = spawnSync(JUPYTER, ["nbconvert", "--to", "html", "--output-dir", outDir, join(outDir, "03-investigation.ipynb")], {encoding: "utf8"});
    expect(result.status, result.stderr).toBe(0);
    const doc = new JSDOM(readFileSync(join(outDir, "03-investigation.html"), "utf8")).window.document;
    const figures = Array.from(doc.querySelectorAll(".subsecond-figure > svg"));
    expect(figures.filter((f) => f.textContent!.includes("samples per cell"))).toHaveLength(EXPECTED["03-investigation.ipynb"].heatmaps);
    expect(figures.filter((f) => f.querySelector(".frame rect"))).toHaveLength(EXPECTED["03-investigation.ipynb"].flamegraphs);
    // The heat maps keep their cells and the annotations' labels.
    const cellPaths = Array.from(doc.querySelectorAll('.subsecond-figure g[aria-label="cell"] path'), (p) => p.getAttribute("d")!);
    expect(cellPaths.join("").match(/M/g)?.length).toBeGreaterThan(1000);
    expect(Array.from(doc.querySelectorAll(".annotation-label"), (t) => t.textContent)).toContain("major GC");
  });

  it("runs the README's first cell of \"your own notebook\" in an empty folder", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Your own notebook"));
    const cell = section.match(/```ts\n([\s\S]*?)```/)![1];
    const dir = mkdtempSync(join(tmpdir(), "subsecond-own-notebook-"));
    try {
      copyFileSync(join(ROOT, "examples", "c-global-lock.perf.gz"), join(dir, "app.perf.gz"));
      const notebook = {
        cells: [{cell_type: "code", id: "first", execution_count: null, metadata: {}, outputs: [], source: cell}],
        metadata: {kernelspec: {display_name: "TypeScript (subsecond)", language: "typescript", name: "subsecond"}},
        nbformat: 4,
        nbformat_minor: 5,
      };
      writeFileSync(join(dir, "mine.ipynb"), JSON.stringify(notebook));
      const run = await execute(join(dir, "mine.ipynb"), dir, kernelEnv, dir);
      expect(run.status, run.log).toBe(0);
      const outputs = outputsOf(join(dir, "mine.ipynb"));
      expect(errorsOf(outputs), "error outputs").toEqual([]);
      expect(count(outputs)).toEqual({svgOnly: 0, heatmaps: 1, flamegraphs: 1});
      expect(outputs.some((o) => text(o.data?.["text/html"]).startsWith("<table>"))).toBe(true);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  }, 600_000);

  it("03-investigation.ipynb saves the same annotations on every run", () => {
    expect(sidecarBefore, `${sidecar} is missing: run the notebook and commit it`).not.toBeNull();
    expect(readFileSync(sidecar, "utf8")).toBe(sidecarBefore);
  });
});

describe("the investigation's findings", () => {
  // Notebook 03 finds the cache refreshes in the samples; the service logged them on the
  // same clock as perf. Sampling at 49 Hz puts a window's edges within a few samples.
  it("03-investigation.ipynb's cache refreshes match the service's own log", () => {
    const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), "utf8")).annotations as {label: string; from: number; to: number}[];
    const found = read("examples/node-cache-refresh.annotations.json").filter((a) => a.label === "cache refresh");
    const logged = read("test/fixtures/annotations/node-cache-refresh.log.json");
    expect(found.map((a) => a.from.toFixed(1))).toEqual(logged.map((a) => a.from.toFixed(1)));
    found.forEach((a, i) => {
      expect(Math.abs(a.from - logged[i].from), `refresh ${i + 1} start`).toBeLessThan(0.06);
      expect(Math.abs(a.to - logged[i].to), `refresh ${i + 1} end`).toBeLessThan(0.06);
    });
  });
});
