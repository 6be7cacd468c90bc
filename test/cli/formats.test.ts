// Every command on every format, run as a user runs them: info, heatmap, flamegraph
// and collapse accept the recorded fixtures (export: ./export.test.ts); --input-format
// forces a format; malformed files of each format get one line naming the file.
import {existsSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {CPUPROFILE, GO_PPROF, TRACE} from "../lib/import-fixtures.js";
import {runCli as run, tempFolder} from "./run.js";

const tmp = tempFolder("formats").dir;

const FIXTURES: [string, string, boolean][] = [["cpuprofile", CPUPROFILE, true], ["chrome trace", TRACE, true], ["pprof", GO_PPROF, false]];

describe.each(FIXTURES)("every command reads %s", (_, path, timed) => {
  it("info, flamegraph, collapse", () => {
    const info = run(["info", path]);
    expect(info.status, info.stderr).toBe(0);
    expect(info.stdout).toMatch(/^format {8}\S/m);
    const fg = run(["flamegraph", path, "--idle", "keep"]);
    expect(fg.status, fg.stderr).toBe(0);
    expect(fg.stdout).toMatch(/^<svg/);
    const collapse = run(["collapse", path]);
    expect(collapse.status, collapse.stderr).toBe(0);
    expect(collapse.stdout).toMatch(/^\S.* \d+$/m);
  });

  it(timed ? "heatmap draws the samples" : "heatmap says why it cannot", () => {
    const r = run(["heatmap", path, "--format", "csv"]);
    if (timed) {
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.startsWith("second,bucket,")).toBe(true);
    } else {
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`subsecond heatmap: ${path}: a heat map needs sample timestamps, and this pprof file has none (flame graphs, collapse and export work)\n`);
    }
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

describe("malformed files of each format: one line naming the file, exit 1", () => {
  const cpuprofile = readFileSync(CPUPROFILE, "utf8");
  const node = (id: number, extra = {}) => ({id, callFrame: {functionName: "f", url: "", lineNumber: 0, columnNumber: 0}, ...extra});
  const cases: [string, string | Uint8Array, RegExp][] = [
    ["truncated.cpuprofile", cpuprofile.slice(0, cpuprofile.length / 2), /: V8 \.cpuprofile: byte \d+: the JSON ends early, inside the value that starts at byte \d+ \(a truncated file\?\)$/],
    ["unknown-node.cpuprofile", JSON.stringify({nodes: [node(1)], startTime: 0, samples: [7], timeDeltas: [1]}), /: V8 \.cpuprofile: samples\[0\]: node 7 is not in the profile's nodes$/],
    ["cycle.cpuprofile", JSON.stringify({nodes: [node(1, {children: [2]}), node(2, {children: [1]})], startTime: 0, samples: [1], timeDeltas: [1]}), /: samples\[0\]: the parents of node 1 form a cycle$/],
    ["string-time.cpuprofile", JSON.stringify({nodes: [node(1)], startTime: "soon", samples: [1], timeDeltas: [1]}), /: V8 \.cpuprofile: startTime: expected a whole number, found the string "soon"$/],
    ["chunk-first.json", JSON.stringify({traceEvents: [{name: "ProfileChunk", ph: "P", pid: 1, tid: 1, id: "0x1", args: {data: {cpuProfile: {}, timeDeltas: []}}}]}), /: Chrome trace: traceEvents\[0\]: a ProfileChunk of profile "0x1" of pid 1 before its Profile event$/],
    ["no-samples-trace.json", JSON.stringify([{name: "thread_name", ph: "M", pid: 1, tid: 1, args: {name: "main"}}]), /: Chrome trace: no V8 sampling events \(Profile \/ ProfileChunk\): record the trace with the "disabled-by-default-v8\.cpu_profiler" category$/],
    ["bad-frame.speedscope.json", JSON.stringify({$schema: "https://www.speedscope.app/file-format-schema.json", shared: {frames: [{name: "a"}]}, profiles: [{type: "sampled", name: "p", unit: "none", startValue: 0, endValue: 1, samples: [[0, 5]], weights: [1]}]}), /: speedscope: profiles\[0\]\.samples\[0\]\[1\]: 5 is not an index into a table of 1$/],
    ["no-stacks.gecko.json", JSON.stringify({meta: {startTime: 0}, threads: [{name: "t", stringTable: [], frameTable: {schema: {location: 0}, data: []}, samples: {schema: {stack: 0, time: 1}, data: []}}]}), /: Firefox Profiler \(Gecko\) JSON: threads\[0\]\.stackTable: expected an object, found nothing$/],
    ["random.pb.gz", gzipSync(Uint8Array.from({length: 4000}, (_, i) => (i * 7919 + 13) & 0xff).map((b, i) => (i === 0 ? 0x0a : b))), /: pprof: /],
    ["garbage.folded", "main;work 12\nmain;rest 3\nmain 1\nthis is not folded\n", /^(?!)/],
  ];
  it.each(cases)("%s", (name, content, message) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    const r = run(["info", path]);
    if (name === "garbage.folded") {
      // Three good lines and one bad: the good ones are read, the bad one counted.
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/warning: 1 × lines that are not `STACK COUNT` were skipped \(.*line 4\); e\.g\. "this is not folded"/);
      return;
    }
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr.split("\n").length, r.stderr).toBe(2);
    expect(r.stderr.startsWith(`subsecond info: ${path}: `), r.stderr).toBe(true);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(existsSync(path)).toBe(true);
  });
});
