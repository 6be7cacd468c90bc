// The real captures made on this machine (scripts/record/), read by the command line as
// perf itself reads them.
import {readdirSync, readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {FIXTURES, runCli} from "./run.js";

describe("subsecond captures", () => {
  // Real captures made on this machine (scripts/record/): C with frame pointers, Node
  // with --perf-basic-prof, Java with a perf map, and one recorded without -g.
  const captures = readdirSync(FIXTURES).filter((f) => f.endsWith(".report-comm-n.txt")).map((f) => f.replace(".report-comm-n.txt", ""));

  it("has the real captures", () => {
    expect(captures.sort()).toEqual(["c-deep", "c-nocallchain", "java-perfmap", "node-jit"]);
  });

  it.each(captures)("info agrees with `perf report --sort comm` on %s", (name) => {
    const report = readFileSync(join(FIXTURES, `${name}.report-comm-n.txt`), "utf8");
    const perfCounts = new Map<string, number>();
    // "    36.48%    36.48%            89  walker-1" (with -g) or "    36.48%            89  walker-1"
    for (const m of report.matchAll(/^\s+(?:[\d.]+%\s+)+(\d+)\s+(.+?)\s*$/gm)) perfCounts.set(m[2], Number(m[1]));
    const total = Number(/# Samples: (\d+)/.exec(report)![1]);
    const r = runCli(["info", "--json", "--top", "1000", join(FIXTURES, `${name}.perf`)]);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.samples.total).toBe(total);
    expect(new Map(info.comms.map((c: {comm: string; samples: number}) => [c.comm, c.samples]))).toEqual(perfCounts);
    expect(info.diagnostics.filter((d: {severity: string}) => d.severity !== "info")).toEqual([]);
  });

  it("the real captures resolve their workloads' functions", () => {
    const folded = (name: string, extra: string[] = []) => runCli(["collapse", ...extra, join(FIXTURES, `${name}.perf`)]).stdout;
    expect(folded("c-deep")).toMatch(/walker-\d;start_thread;walker_main;walk_forest;walk_tree_level;.*checksum_block \d+/);
    expect(folded("node-jit")).toMatch(/;.*runPricingLoop.*;.*priceBasket/);
    expect(folded("java-perfmap", ["--jit"])).toMatch(/Busy\.spinHash_\[j\]/);
    // Recorded without -g: collapse skips those samples, as stackcollapse-perf.pl does; --flat folds them.
    expect(folded("c-nocallchain")).toBe("");
    expect(folded("c-nocallchain", ["--flat"])).toMatch(/;checksum_block \d+/);
  });
});
