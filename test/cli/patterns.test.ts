// `subsecond patterns`: the text report and the JSON shape on a synthetic
// perturbation profile and a real capture; options and bad input; untrusted frame
// names in the report.
import {describe, expect, it} from "vitest";
import {synthesize} from "../../src/lib/index.js";
import {perfText} from "../helpers.js";
import {runCli, tempFolder} from "./run.js";

const {file} = tempFolder("patterns");
const PERTURBATIONS = file("perturbations.perf", synthesize("perturbations"));
const LOCK = new URL("../../examples/c-global-lock.perf.gz", import.meta.url).pathname;

describe("subsecond patterns", () => {
  it("prints each instance with its explanation, frames, occurrences and selection", () => {
    const r = runCli(["patterns", PERTURBATIONS]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`${PERTURBATIONS}: 1 pattern`);
    expect(lines[2]).toMatch(/^perturbation {2}\(confidence 1\.00\) {2}perturbation: \d+ ms, 4 CPUs, mostly gc_mark_heap$/);
    expect(r.stdout).toMatch(/\n {2}frames: gc_mark_heap \(\d+% inside, 0% outside\)/);
    expect(r.stdout).toMatch(/\n {2}occurrences \(7, s since the origin\): \d+\.\d{3}–\d+\.\d{3}, /);
    expect(r.stdout).toMatch(/\n {2}selection: t\d+\.\d+_\d+\.\d+~/);
  });

  it("--json has the issue's shape; its selection feeds flamegraph --select", () => {
    const r = runCli(["patterns", LOCK, "--json"]);
    expect(r.status).toBe(0);
    const {patterns} = JSON.parse(r.stdout);
    const lock = patterns.find((p: {kind: string}) => p.kind === "single-threaded-blocking");
    expect(Object.keys(lock).sort()).toEqual(["confidence", "explanation", "frames", "kind", "label", "occurrences", "parameters", "selection", "threads"]);
    expect(lock.frames[0]).toMatchObject({name: "rehash_index_pass"});
    expect(lock.occurrences.length).toBeGreaterThanOrEqual(10);
    for (const o of lock.occurrences) expect(o.to).toBeGreaterThan(o.from);
    const tree = runCli(["flamegraph", LOCK, "--select", lock.selection, "--format", "top"]);
    expect(tree.status).toBe(0);
    expect(tree.stdout).toContain("rehash_index_pass");
  });

  it("--kind, --min-confidence and --frame narrow what is reported", () => {
    expect(JSON.parse(runCli(["patterns", PERTURBATIONS, "--json", "--kind", "cpu-blocking,periodic"]).stdout)).toEqual({patterns: []});
    const occupancy = JSON.parse(runCli(["patterns", PERTURBATIONS, "--json", "--frame", "gc_mark", "--kind", "perturbation"]).stdout).patterns;
    expect(occupancy.map((p: {kind: string}) => p.kind).sort()).toEqual(["occupancy", "perturbation"]);
    expect(runCli(["patterns", PERTURBATIONS, "--min-confidence", "1.5"]).stderr).toMatch(/--min-confidence takes a number from 0 to 1, not "1.5"/);
    expect(runCli(["patterns", PERTURBATIONS, "--kind", "stripes"]).status).toBe(2);
    expect(runCli(["patterns", PERTURBATIONS, "--frame", "(a"]).stderr).toMatch(/--frame: invalid frame regular expression "\(a"/);
  });

  it("says so when nothing is found, and refuses a missing file", () => {
    const quiet = file("quiet.perf", perfText([{time: "10.1", stack: ["main"]}, {time: "11.1", stack: ["main"]}]));
    expect(runCli(["patterns", quiet]).stdout).toBe(`${quiet}: no pattern found above the confidence asked for\n`);
    const missing = runCli(["patterns", file("x", "") + ".missing"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/\.missing/);
  });

  it("escapes hostile frame names for the terminal", () => {
    // The perturbation's GC function renamed with a terminal escape sequence.
    const hostile = file("hostile.perf", synthesize("perturbations").replaceAll("gc_mark_heap", "gc\u001b]0;owned\u0007mark"));
    const r = runCli(["patterns", hostile]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(r.stdout).toContain("gc\\x1b]0;owned\\x07mark");
    expect(JSON.parse(runCli(["patterns", hostile, "--json"]).stdout).patterns[0].frames[0].name).toBe("gc\u001b]0;owned\u0007mark");
  });
});
