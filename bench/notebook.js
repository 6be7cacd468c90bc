#!/usr/bin/env node
// Issue 10's notebook target: the first heat map of a large capture in a fresh kernel
// ≤ 5 s, as a user feels it. A throwaway notebook, three cells as a user's notebook has
// them (notebooks/01-quickstart.ipynb): import the package "subsecond", readProfile the
// capture, show(heatmap(profile)). It is executed by `jupyter nbconvert --execute` with
// the project's tslab kernel (scripts/jupyter-kernel.js), a fresh kernel per run.
//
// The cells time themselves (performance.now(), whose origin is the kernel process's
// start) and print their marks on stdout; nbclient records when the kernel began each
// cell (its busy status, in the kernel's clock); the parent takes the wall clock around
// nbconvert. Together they make one timeline: nbconvert's start, the kernel's start, the
// kernel ready for the first cell, each cell's code start and end. Between a cell's busy
// status and its code's start, tslab type-checks and compiles it.
//
//   node bench/notebook.js [CAPTURE] [--runs N]     (default bench/data/deep.perf, 3 runs)
//
// The notebook is written to a fresh folder under the project's git-ignored tmp/, so
// that tslab type-checks it with the project's node_modules/@types above it, as it does
// the notebooks in notebooks/ (in a folder outside the project it cannot see @types/node
// and refuses `console` and `performance`). The folder is removed after each run.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {countNewlinesStreaming} from "./floor.mjs";
import {measureProcess, peakRssMeter} from "./measure-process.js";
import {median} from "./stats.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const SCRATCH = join(root, "tmp");
export const DEFAULT_CAPTURE = join(here, "data", "deep.perf");
/** Issue 10: kernel start → the first heat map shown. */
export const NOTEBOOK_TARGET_MS = 5000;
/** What starts a cell's line of marks on its stdout. */
const MARK = "subsecond-bench-notebook ";
const APT_PACKAGES = "jupyter-notebook jupyter-nbconvert jupyter-nbformat python3-nbclient";

/** The phases of the timeline, in order: each runs from the previous mark to its own. */
export const PHASES = [
  ["jupyter", "nbconvert start → kernel process start (Python, nbclient, kernel launch)"],
  ["kernelReady", "kernel process start → ready for the first cell (tslab's start)"],
  ["importCompile", "cell 1: tslab type-check and compile"],
  ["import", 'cell 1: import … from "subsecond" (require of the package)'],
  ["readCompile", "cell 2: between cells, tslab type-check and compile"],
  ["read", "cell 2: readProfile(capture)"],
  ["heatmapCompile", "cell 3: between cells, tslab type-check and compile"],
  ["heatmap", "cell 3: heatmap(profile)"],
  ["show", "cell 3: show(map) (the SVG, sent to Jupyter)"],
];

/** The three cells' sources. The capture's path goes in as a JSON string literal. The
 * marks around the import come before and after it in the cell: tslab compiles a cell to
 * CommonJS, which keeps statements in source order. */
export function benchCells(capture) {
  const mark = (fields) => `console.log(${JSON.stringify(MARK)} + JSON.stringify({${fields}}));`;
  const usage = "cpuUs: process.cpuUsage().user + process.cpuUsage().system, maxRssKiB: process.resourceUsage().maxRSS";
  return [
    [
      "const importStart = performance.now();",
      'import {heatmap, readProfile, show} from "subsecond";',
      "const importEnd = performance.now();",
      mark(`cell: "import", origin: performance.timeOrigin, importStart, importEnd, ${usage}`),
    ].join("\n"),
    [
      "const readStart = performance.now();",
      `const profile = await readProfile(${JSON.stringify(capture)});`,
      "const readEnd = performance.now();",
      mark(`cell: "read", readStart, readEnd, samples: profile.samples.length, ${usage}`),
    ].join("\n"),
    [
      "const heatmapStart = performance.now();",
      "const map = heatmap(profile);",
      "const heatmapEnd = performance.now();",
      "show(map);",
      "const shown = performance.now();",
      mark(`cell: "heatmap", heatmapStart, heatmapEnd, shown, columns: map.columns, rows: map.rows, ${usage}`),
    ].join("\n"),
  ];
}

/** The notebook (nbformat 4) of `benchCells(capture)`, for the project's kernel. */
export function benchNotebook(capture) {
  return {
    cells: benchCells(capture).map((source, i) => ({cell_type: "code", id: `bench-${i + 1}`, execution_count: null, metadata: {}, outputs: [], source})),
    metadata: {kernelspec: {display_name: "TypeScript (subsecond)", language: "typescript", name: "subsecond"}},
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const text = (v) => (Array.isArray(v) ? v.join("") : (v ?? ""));

/** The timeline of one executed bench notebook: `spawnedAt` is the epoch (ms) at which
 * nbconvert was started. Returns each phase's ms (PHASES), the three parts of the issue
 * (kernel start + import, reading, heat map), the headline (kernel start → heat map
 * shown), and the kernel's CPU time and peak RSS. Throws when a cell failed or the heat
 * map is not among the outputs. */
export function notebookTimings(executed, spawnedAt) {
  const cells = executed.cells.filter((c) => c.cell_type === "code");
  if (cells.length !== 3) throw new Error(`expected the bench notebook's 3 code cells, found ${cells.length}`);
  const marks = cells.map((cell, i) => {
    const outputs = cell.outputs ?? [];
    const failed = outputs.filter((o) => o.output_type === "error" || o.name === "stderr");
    if (failed.length) throw new Error(`cell ${i + 1} failed:\n${failed.map((o) => text(o.text) || `${o.ename}: ${o.evalue}`).join("\n")}`);
    const line = outputs.filter((o) => o.name === "stdout").flatMap((o) => text(o.text).split("\n")).find((l) => l.startsWith(MARK));
    if (!line) throw new Error(`cell ${i + 1} printed no timing line`);
    const busy = Date.parse(cell.metadata?.execution?.["iopub.status.busy"] ?? "");
    if (Number.isNaN(busy)) throw new Error(`cell ${i + 1} has no execution timing (nbclient's record_timing)`);
    return {...JSON.parse(line.slice(MARK.length)), busy};
  });
  const [imported, read, mapped] = marks;
  if (!cells[2].outputs.some((o) => text(o.data?.["text/html"]).includes("samples per cell"))) throw new Error("cell 3 showed no heat map");
  // Everything as ms since the kernel process started (performance.now()'s origin).
  const k = (epoch) => epoch - imported.origin;
  const timeline = [k(spawnedAt), 0, k(imported.busy), imported.importStart, imported.importEnd, read.readStart, read.readEnd,
    mapped.heatmapStart, mapped.heatmapEnd, mapped.shown];
  const phases = Object.fromEntries(PHASES.map(([key], i) => [key, timeline[i + 1] - timeline[i]]));
  return {
    phases,
    kernelAndImportMs: imported.importEnd,
    readingMs: read.readEnd - imported.importEnd,
    heatmapPartMs: mapped.shown - read.readEnd,
    firstHeatmapMs: mapped.shown,
    fromNbconvertMs: mapped.shown - timeline[0],
    kernelCpuMs: {kernelAndImport: imported.cpuUs / 1000, reading: (read.cpuUs - imported.cpuUs) / 1000, heatmap: (mapped.cpuUs - read.cpuUs) / 1000, total: mapped.cpuUs / 1000},
    kernelMaxRssKiB: mapped.maxRssKiB,
    samples: read.samples,
    heatmap: {columns: mapped.columns, rows: mapped.rows},
  };
}

/** Why the notebook cannot be measured here (jupyter or the kernel is missing), or null. */
export function missingNotebookTools() {
  const nbconvert = spawnSync("jupyter", ["nbconvert", "--version"], {encoding: "utf8"});
  if (nbconvert.error?.code === "ENOENT") return `jupyter is not installed (apt-get install -y --no-install-recommends ${APT_PACKAGES})`;
  if (nbconvert.status !== 0) return `jupyter nbconvert does not run (apt-get install -y --no-install-recommends ${APT_PACKAGES}):\n${nbconvert.stderr}`;
  try {
    createRequire(join(root, "package.json")).resolve("tslab/dist/main.js");
  } catch {
    return "the kernel is missing: tslab is not in node_modules (npm ci)";
  }
  return null;
}

/** Says loudly that the notebook was not measured. */
export function warnNotMeasured(reason, log) {
  const bar = "!".repeat(78);
  log(`${bar}\nnotebook: NOT MEASURED: ${reason}\n${bar}`);
}

/** The kernel spec and the package "subsecond" (built now when stale, so that no run
 * includes a build); returns the environment to run Jupyter with. */
function setUpKernel() {
  const setup = spawnSync(process.execPath, [join(root, "scripts", "jupyter-kernel.js")], {encoding: "utf8"});
  if (setup.status !== 0) throw new Error(`kernel setup failed:\n${setup.stdout}${setup.stderr}`);
  return {JUPYTER_PATH: setup.stdout.match(/^JUPYTER_PATH=(.*)$/m)[1]};
}

/** One fresh kernel executing the bench notebook on `capture`. */
function runOnce(capture, env, meter) {
  mkdirSync(SCRATCH, {recursive: true});
  const dir = mkdtempSync(join(SCRATCH, "bench-notebook-"));
  try {
    const input = join(dir, "first-heatmap.ipynb");
    writeFileSync(input, JSON.stringify(benchNotebook(capture), null, 1) + "\n");
    const out = join(dir, "out");
    const spawnedAt = performance.timeOrigin + performance.now();
    const nbconvert = measureProcess(meter, "jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.record_timing=True",
      "--ExecutePreprocessor.timeout=600", "--output-dir", out, input], env);
    const timings = notebookTimings(JSON.parse(readFileSync(join(out, "first-heatmap.ipynb"), "utf8")), spawnedAt);
    return {...timings, nbconvertMs: nbconvert.ms, nbconvertMaxRssKiB: nbconvert.maxRssKiB};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** `runs` timed runs (after one untimed run that warms the page cache and the kernel's
 * files), or null when jupyter or the kernel is missing (said loudly through `log`). */
export async function measureNotebook({capture = DEFAULT_CAPTURE, runs = 3, log}) {
  const missing = missingNotebookTools();
  if (missing) {
    warnNotMeasured(missing, log);
    return null;
  }
  const file = resolve(capture);
  const env = setUpKernel();
  const meter = peakRssMeter();
  await countNewlinesStreaming(file);
  log(`notebook: untimed run on ${relative(root, file)}`);
  runOnce(file, env, meter);
  const all = [];
  for (let i = 0; i < runs; i++) {
    log(`notebook: run ${i + 1} of ${runs}`);
    all.push(runOnce(file, env, meter));
  }
  const med = (f) => median(all.map(f));
  return {
    capture: relative(root, file),
    runs: all,
    median: {
      firstHeatmapMs: med((r) => r.firstHeatmapMs),
      fromNbconvertMs: med((r) => r.fromNbconvertMs),
      nbconvertMs: med((r) => r.nbconvertMs),
      kernelAndImportMs: med((r) => r.kernelAndImportMs),
      readingMs: med((r) => r.readingMs),
      heatmapPartMs: med((r) => r.heatmapPartMs),
      phases: Object.fromEntries(PHASES.map(([key]) => [key, med((r) => r.phases[key])])),
      kernelCpuMs: Object.fromEntries(Object.keys(all[0].kernelCpuMs).map((key) => [key, med((r) => r.kernelCpuMs[key])])),
    },
    targetMs: NOTEBOOK_TARGET_MS,
    pass: med((r) => r.firstHeatmapMs) <= NOTEBOOK_TARGET_MS,
  };
}

const fmtMs = (x) => `${Math.round(x).toLocaleString("en-US")} ms`;

/** The report: one row per measure, its median, min and every run. */
export function notebookTable(result) {
  const rows = [];
  const add = (name, f, target = "") => {
    const xs = result.runs.map(f);
    rows.push([name, fmtMs(median(xs)), fmtMs(Math.min(...xs)), xs.map((x) => Math.round(x)).join(", "), target]);
  };
  add(`kernel start → first heat map shown`, (r) => r.firstHeatmapMs, `≤ ${fmtMs(result.targetMs)}: ${result.pass ? "pass" : "MISS"}`);
  add("  kernel start + import", (r) => r.kernelAndImportMs);
  add("  reading the capture (cell 2)", (r) => r.readingMs);
  add("  heat map (cell 3)", (r) => r.heatmapPartMs);
  rows.push(["  the timeline, phase by phase:", "", "", "", ""]);
  for (const [key, label] of PHASES) add(`    ${label}`, (r) => r.phases[key]);
  add("nbconvert start → heat map shown", (r) => r.fromNbconvertMs);
  add("nbconvert, whole process (kernel shutdown included)", (r) => r.nbconvertMs);
  add("kernel CPU time (user + sys) until shown", (r) => r.kernelCpuMs.total);
  add("  of it: kernel start + import", (r) => r.kernelCpuMs.kernelAndImport);
  add("  reading", (r) => r.kernelCpuMs.reading);
  add("  heat map", (r) => r.kernelCpuMs.heatmap);
  const header = ["measure", "median", "min", "runs (ms)", "target"];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  const last = result.runs[result.runs.length - 1];
  return [
    `Notebook: the first heat map of ${result.capture} (${last.samples.toLocaleString("en-US")} samples, ${last.heatmap.columns} × ${last.heatmap.rows}) in a fresh tslab kernel; median and min of ${result.runs.length} runs; ` +
      `kernel peak RSS ${Math.round(Math.max(...result.runs.map((r) => r.kernelMaxRssKiB)) / 1024)} MiB`,
    line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line),
  ].join("\n");
}

async function main(argv) {
  let capture = DEFAULT_CAPTURE, runs = 3;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--runs") runs = Math.max(1, Number(argv[++i]));
    else if (argv[i] === "-h" || argv[i] === "--help") {
      process.stdout.write("usage: node bench/notebook.js [CAPTURE] [--runs N]\n");
      return;
    } else if (argv[i].startsWith("--")) throw new Error(`unknown option ${argv[i]}`);
    else capture = argv[i];
  }
  if (!existsSync(capture)) throw new Error(`${capture}: no such capture`);
  const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
  const result = await measureNotebook({capture, runs, log});
  if (!result) return;
  process.stdout.write(notebookTable(result) + "\n" + JSON.stringify(result) + "\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : e}\n`);
    process.exitCode = 1;
  }
}
