// The formats audit: every command on every format's fixture, run as a user runs them,
// each giving the sample count the file holds (counted from the file, not by the
// importers; `report` on a folder of them: test/site/formats.test.ts); --input-format forces a format; malformed files of each format get one
// line naming the file, or a counted warning naming the line.
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {CPUPROFILE, FOLDED, fixtureSampleCount, fixtureWeight, foldedCount, GECKO, GO_PPROF, readJson, SPEEDSCOPE, TRACE} from "../lib/import-fixtures.js";
import {runCli as run, tempFolder} from "./run.js";

const tmp = tempFolder("formats").dir;

/** Each format's fixture, and whether its samples have times (a heat map). */
const AUDITED: [format: string, path: string, timed: boolean][] = [
  ["cpuprofile", CPUPROFILE, true],
  ["chrome-trace", TRACE, true],
  ["pprof", GO_PPROF, false],
  ["speedscope", SPEEDSCOPE, true],
  ["gecko", GECKO, true],
  ["folded", FOLDED, false],
];

const json = (out: string) => JSON.parse(out);

/** Every command that reads one profile, as the audit runs it (every sample kept),
 * and the figure its output states: the sample count, or the samples' total weight
 * (folded stacks count weight, as stackcollapse-perf.pl counts periods); null: the
 * periodic task found. */
const COMMANDS: [command: string, args: (path: string) => string[], figure: ["samples" | "weight", (stdout: string) => number] | null][] = [
  ["info", (p) => ["info", p], ["samples", (out) => Number(/^samples +([\d,]+) /m.exec(out)![1].replaceAll(",", ""))]],
  ["collapse", (p) => ["collapse", p], ["weight", foldedCount]],
  ["heatmap", (p) => ["heatmap", p, "--idle", "keep", "--format", "json"], ["samples", (out) => json(out).samples]],
  ["flamegraph", (p) => ["flamegraph", p, "--idle", "keep", "--format", "json"], ["samples", (out) => json(out).samples]],
  ["export", (p) => ["export", p, "--to", "folded", "--idle", "keep", "-o", "-"], ["weight", foldedCount]],
  ["patterns", (p) => ["patterns", p, "--kind", "periodic", "--json"], null],
];

const NEEDS_TIMES = new Set(["heatmap", "patterns"]);

describe.each(AUDITED)("the audit: every command reads %s", (format, path, timed) => {
  const expected = {samples: fixtureSampleCount(path), weight: fixtureWeight(path)};

  it.each(COMMANDS)(`%s gives the file's figure`, (command, args, figure) => {
    const r = run(args(path));
    if (!timed && NEEDS_TIMES.has(command)) {
      expect(r.status).toBe(1);
      const needs = command === "heatmap" ? "a heat map needs" : "patterns need";
      expect(r.stderr).toBe(`subsecond ${command}: ${path}: ${needs} sample timestamps, and this ${format === "pprof" ? "pprof" : "folded stacks"} file has none (flame graphs, collapse and export work)\n`);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    if (figure) expect(figure[1](r.stdout)).toBe(expected[figure[0]]);
    else {
      // The recordings run a task every 250 ms: patterns finds it.
      const periods = json(r.stdout).patterns.map((p: any) => p.parameters.periodMs);
      expect(periods.some((ms: number) => Math.abs(ms - 250) < 10), r.stdout).toBe(true);
    }
    expect(expected.samples).toBeGreaterThan(40);
  });
});

describe("--input-format", () => {
  it("forces a format, and names the file when it is not that", () => {
    const r = run(["info", CPUPROFILE, "--input-format", "pprof"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^subsecond info: ${CPUPROFILE}: pprof: .*\\n$`));
    expect(run(["info", CPUPROFILE, "--input-format", "xml"])).toMatchObject({status: 2});
    expect(run(["info", CPUPROFILE, "--input-format", "cpuprofile"]).status).toBe(0);
  });
});

describe("malformed files of each format: one line naming the file (exit 1), or a counted warning naming the line", () => {
  const cpuprofile = readFileSync(CPUPROFILE, "utf8");
  const speedscope = JSON.parse(readFileSync(SPEEDSCOPE, "utf8"));
  const gecko = readJson(GECKO);
  const trace = readJson(TRACE);
  const pprof = readFileSync(GO_PPROF);
  const node = (id: number, extra = {}) => ({id, callFrame: {functionName: "f", url: "", lineNumber: 0, columnNumber: 0}, ...extra});
  /** A copy of a parsed fixture with one value changed. */
  const edit = (json: any, change: (copy: any) => void) => {
    const copy = structuredClone(json);
    change(copy);
    return JSON.stringify(copy);
  };
  const firstEvent = (t: any, name: string) => t.traceEvents.find((e: any) => e.name === name && (name !== "ProfileChunk" || e.args.data.timeDeltas?.length));
  const errors: [string, string | Uint8Array, RegExp][] = [
    // Truncated and damaged files.
    ["truncated.cpuprofile", cpuprofile.slice(0, cpuprofile.length / 2), /: V8 \.cpuprofile: byte \d+: the JSON ends early, inside the value that starts at byte \d+ \(a truncated file\?\)$/],
    ["truncated.pb.gz", pprof.subarray(0, pprof.length / 2), /: the gzip data is damaged or truncated \(unexpected end of file\)$/],
    ["truncated.gecko.json.gz", readFileSync(GECKO).subarray(0, 20_000), /: the gzip data is damaged or truncated \(unexpected end of file\)$/],
    ["random.pb.gz", gzipSync(Uint8Array.from({length: 4000}, (_, i) => (i * 7919 + 13) & 0xff).map((b, i) => (i === 0 ? 0x0a : b))), /: pprof: /],
    ["binary-junk", Uint8Array.from({length: 3000}, (_, i) => (i * 7919 + 13) & 0xff), /: binary data, not `perf script` text: .*\(tried perf script text, V8 \.cpuprofile, .*folded stacks\)$/],
    // Wrong types.
    ["string-time.cpuprofile", JSON.stringify({nodes: [node(1)], startTime: "soon", samples: [1], timeDeltas: [1]}), /: V8 \.cpuprofile: startTime: expected a whole number, found the string "soon"$/],
    ["string-delta.trace.json", edit(trace, (t) => (firstEvent(t, "ProfileChunk").args.data.timeDeltas[0] = "1")), /: Chrome trace: traceEvents\[\d+\]\.args\.data\.timeDeltas\[0\]: expected a whole number, found the string "1"$/],
    ["string-weight.speedscope.json", edit(speedscope, (j) => (j.profiles[0].weights[2] = "1")), /: speedscope: profiles\[0\]\.weights\[2\]: expected a number, found the string "1"$/],
    ["string-time.gecko.json", edit(gecko, (g) => (g.threads[0].samples.data[5][1] = "5")), /: Firefox Profiler \(Gecko\) JSON: threads\[0\]\.samples time of sample 5: expected a number, found the string "5"$/],
    // Huge numbers.
    ["huge-delta.cpuprofile", edit(JSON.parse(cpuprofile), (j) => (j.timeDeltas[3] = 1e300)), /: V8 \.cpuprofile: timeDeltas\[3\]: expected a whole number, found 1e\+300$/],
    ["huge-start.trace.json", edit(trace, (t) => (firstEvent(t, "Profile").args.data.startTime = 1e300)), /: Chrome trace: traceEvents\[\d+\]\.args\.data\.startTime: expected a whole number, found 1e\+300$/],
    ["huge-stack.gecko.json", edit(gecko, (g) => (g.threads[0].samples.data[5][0] = 1e9)), /: threads\[0\]\.samples stack of sample 5: 1000000000 is not an index into a table of \d+$/],
    ["huge-weight.speedscope.json", edit(speedscope, (j) => (j.profiles[0].weights[2] = 1e300)), /: speedscope: profiles\[0\]\.samples\[3\]: its time \(the sum of the weights before it\) is 1e\+300 nanoseconds after startValue, past the 2\^53 ns \(104 days\) a profile spans$/],
    ["huge-counts.folded", "main;a 1e400\nmain;b 1e400\nmain;c 1e400\n", /: folded stacks: line 1: no line is `STACK COUNT` with a whole number of samples as COUNT$/],
    ["over-budget.folded", "main;a 999999999999999\nmain;b 3\nmain;c 4\n", /: folded stacks: line 1: a count of 999999999999999 samples is more than the sample budget leaves \(\d+; --max-samples sets it\)$/],
    // Missing keys.
    ["no-samples.cpuprofile", edit(JSON.parse(cpuprofile), (j) => delete j.samples), /: V8 \.cpuprofile: samples: expected an array, found nothing$/],
    ["no-start.trace.json", edit(trace, (t) => delete firstEvent(t, "Profile").args.data.startTime), /: Chrome trace: traceEvents\[\d+\]\.args\.data\.startTime: expected a whole number, found nothing$/],
    ["no-frames.speedscope.json", edit(speedscope, (j) => (j.shared = {})), /: speedscope: shared\.frames: expected an array, found nothing$/],
    ["no-weights.speedscope.json", edit(speedscope, (j) => delete j.profiles[0].weights), /: speedscope: profiles\[0\]\.weights: 0 weights for \d+ samples$/],
    ["no-stacks.gecko.json", JSON.stringify({meta: {startTime: 0}, threads: [{name: "t", stringTable: [], frameTable: {schema: {location: 0}, data: []}, samples: {schema: {stack: 0, time: 1}, data: []}}]}), /: Firefox Profiler \(Gecko\) JSON: threads\[0\]\.stackTable: expected an object, found nothing$/],
    // What the format's rules forbid.
    ["unknown-node.cpuprofile", JSON.stringify({nodes: [node(1)], startTime: 0, samples: [7], timeDeltas: [1]}), /: V8 \.cpuprofile: samples\[0\]: node 7 is not in the profile's nodes$/],
    ["cycle.cpuprofile", JSON.stringify({nodes: [node(1, {children: [2]}), node(2, {children: [1]})], startTime: 0, samples: [1], timeDeltas: [1]}), /: samples\[0\]: the parents of node 1 form a cycle$/],
    ["chunk-first.json", JSON.stringify({traceEvents: [{name: "ProfileChunk", ph: "P", pid: 1, tid: 1, id: "0x1", args: {data: {cpuProfile: {}, timeDeltas: []}}}]}), /: Chrome trace: traceEvents\[0\]: a ProfileChunk of profile "0x1" of pid 1 before its Profile event$/],
    ["no-samples-trace.json", JSON.stringify([{name: "thread_name", ph: "M", pid: 1, tid: 1, args: {name: "main"}}]), /: Chrome trace: no V8 sampling events \(Profile \/ ProfileChunk\): record the trace with the "disabled-by-default-v8\.cpu_profiler" category$/],
    ["bad-frame.speedscope.json", JSON.stringify({$schema: "https://www.speedscope.app/file-format-schema.json", shared: {frames: [{name: "a"}]}, profiles: [{type: "sampled", name: "p", unit: "none", startValue: 0, endValue: 1, samples: [[0, 5]], weights: [1]}]}), /: speedscope: profiles\[0\]\.samples\[0\]\[1\]: 5 is not an index into a table of 1$/],
  ];
  it.each(errors)("%s: an error", (name, content, message) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    const r = run(["info", path]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.split("\n").length, r.stderr).toBe(2);
    expect(r.stderr.startsWith(`subsecond info: ${path}: `), r.stderr).toBe(true);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(existsSync(path)).toBe(true);
  });

  // Good lines read, the bad ones counted with their line numbers.
  const warnings: [string, string, number, RegExp][] = [
    ["garbage.folded", "main;work 12\nmain;rest 3\nmain 1\nthis is not folded\n", 16, /warning: 1 × lines that are not `STACK COUNT` were skipped \(.*line 4\); e\.g\. "this is not folded"/],
    ["bad-counts.folded", "main;a 3\nmain;b 1e400\nmain;c 2\nmain;d 2.5\nmain;e -1\nmain;f 99999999999999999999\n", 5, /warning: 4 × lines whose count is not a whole number of samples \(at most 15 digits\) were skipped \(.*: lines 2, 4, 5, 6\); e\.g\. "main;b 1e400"/],
  ];
  it.each(warnings)("%s: a counted warning", (name, content, samples, warning) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    const r = run(["info", path]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^samples +${samples} `, "m"));
    expect(r.stdout).toMatch(warning);
  });
});
