// bench/notebook.js: the bench notebook's cells, and the timeline read back from an
// executed copy (the cells' marks and nbclient's cell timings); then, where Jupyter is
// installed, the notebook executed for real on a bundled example.
import {existsSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
// @ts-expect-error: a plain JavaScript module of the project's benchmark
import {PHASES, benchCells, benchNotebook, measureNotebook, missingNotebookTools, notebookTimings} from "../../bench/notebook.js";
import {lockJupyter, unlockJupyter} from "../notebooks/jupyter-lock.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const MARK = "subsecond-bench-notebook ";
const ORIGIN = Date.parse("2026-12-03T13:00:00.000Z");

/** An executed bench notebook: the cells' marks (ms since the kernel started) and
 * their busy times (ms since the kernel started) as nbclient records them. */
function executed(marks: Record<string, string | number>[], busy: number[], heatmapHtml = '<div class="subsecond-figure"><svg><text>samples per cell</text></svg></div>') {
  const nb = benchNotebook("/captures/x.perf");
  nb.cells.forEach((cell: {outputs: object[]; metadata: object}, i: number) => {
    cell.metadata = {execution: {"iopub.status.busy": new Date(ORIGIN + busy[i]).toISOString()}};
    cell.outputs = [{output_type: "stream", name: "stdout", text: [`${MARK}${JSON.stringify({origin: ORIGIN, ...marks[i]})}\n`]}];
  });
  nb.cells[2].outputs.unshift({output_type: "display_data", data: {"text/html": heatmapHtml, "text/plain": "heat map"}, metadata: {}});
  return nb;
}

const MARKS: Record<string, string | number>[] = [
  {cell: "import", importStart: 1500, importEnd: 1800, cpuUs: 1_700_000, maxRssKiB: 100_000},
  {cell: "read", readStart: 2100, readEnd: 4100, samples: 1234, cpuUs: 4_000_000, maxRssKiB: 300_000},
  {cell: "heatmap", heatmapStart: 4400, heatmapEnd: 4420, shown: 4900, columns: 61, rows: 50, cpuUs: 4_600_000, maxRssKiB: 310_000},
];
const BUSY = [1000, 1810, 4110];

describe("bench/notebook.js", () => {
  it("writes cells that import the package as a notebook does and keep a hostile path a string", () => {
    const path = '/tmp/a"b\\c`${process.exit(1)}`\n.perf';
    const [imports, read, map] = benchCells(path);
    expect(imports).toContain('import {heatmap, readProfile, show} from "subsecond";');
    const literal = read.match(/readProfile\((.*)\);$/m)![1];
    expect(JSON.parse(literal)).toBe(path);
    expect(read.split("\n")).toHaveLength(4);
    expect(map).toContain("show(map);");
    expect(benchNotebook(path).metadata.kernelspec.name).toBe("subsecond");
  });

  it("reads the timeline back: phases end to end from nbconvert's start, the issue's three parts, the kernel's CPU time", () => {
    const t = notebookTimings(executed(MARKS, BUSY), ORIGIN - 700);
    expect(t.phases).toEqual({jupyter: 700, kernelReady: 1000, importCompile: 500, import: 300, readCompile: 300, read: 2000, heatmapCompile: 300, heatmap: 20, show: 480});
    expect(Object.keys(t.phases)).toEqual(PHASES.map(([key]: [string]) => key));
    const total = Object.values(t.phases as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(t.fromNbconvertMs);
    expect(t.firstHeatmapMs).toBe(4900);
    expect(t.kernelAndImportMs + t.readingMs + t.heatmapPartMs).toBe(4900);
    expect([t.kernelAndImportMs, t.readingMs, t.heatmapPartMs]).toEqual([1800, 2300, 800]);
    expect(t.kernelCpuMs).toEqual({kernelAndImport: 1700, reading: 2300, heatmap: 600, total: 4600});
    expect(t.kernelMaxRssKiB).toBe(310_000);
    expect(t.heatmap).toEqual({columns: 61, rows: 50});
  });

  it("refuses a run whose cells failed, printed no marks or showed no heat map", () => {
    const failed = executed(MARKS, BUSY);
    failed.cells[1].outputs = [{output_type: "stream", name: "stderr", text: ["2:1 - Cannot find name 'console'.\n"]}];
    expect(() => notebookTimings(failed, ORIGIN)).toThrow(/cell 2 failed:\n2:1 - Cannot find name 'console'/);
    const unmarked = executed(MARKS, BUSY);
    unmarked.cells[0].outputs = [];
    expect(() => notebookTimings(unmarked, ORIGIN)).toThrow(/cell 1 printed no timing line/);
    const untimed = executed(MARKS, BUSY);
    untimed.cells[2].metadata = {};
    expect(() => notebookTimings(untimed, ORIGIN)).toThrow(/cell 3 has no execution timing/);
    expect(() => notebookTimings(executed(MARKS, BUSY, "<div>no figure</div>"), ORIGIN)).toThrow(/cell 3 showed no heat map/);
  });

  const tools = missingNotebookTools();
  if (tools) console.warn(`SKIPPED: the bench notebook executed for real: ${tools}`);
  it.skipIf(tools !== null)("runs for real in a fresh kernel on a bundled example", async () => {
    const example = join(ROOT, "examples", "c-global-lock.perf.gz");
    expect(existsSync(example)).toBe(true);
    await lockJupyter();
    try {
      const logs: string[] = [];
      const result = await measureNotebook({capture: example, runs: 1, log: (m: string) => logs.push(m)});
      expect(result.capture).toBe("examples/c-global-lock.perf.gz");
      const [run] = result.runs;
      expect(run.samples).toBeGreaterThan(1000);
      expect(run.heatmap.rows).toBe(50);
      for (const ms of Object.values(run.phases as Record<string, number>)) expect(ms).toBeGreaterThanOrEqual(0);
      expect(run.firstHeatmapMs).toBeLessThan(run.fromNbconvertMs);
      expect(run.fromNbconvertMs).toBeLessThan(run.nbconvertMs);
      expect(logs).toEqual(["notebook: untimed run on examples/c-global-lock.perf.gz", "notebook: run 1 of 1"]);
    } finally {
      unlockJupyter();
    }
  }, 600_000);
});
