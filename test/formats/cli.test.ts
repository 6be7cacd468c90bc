// Every command on every format, run as a user runs them: info, heatmap, flamegraph,
// collapse and export accept the recorded fixtures; export → import keeps the sample
// count of every stack (and the times, where the format holds them); export never
// writes over a file; malformed files of each format get one line naming the file.
import {spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {readProfile} from "../../src/lib/node.js";
import {frameName, type Profile} from "../../src/lib/profile.js";
import {CPUPROFILE, GO_PPROF, readJson, TRACE} from "./fixtures.js";

const BIN = new URL("../../bin/subsecond.js", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "subsecond-formats-"));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {encoding: "utf8"});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

const FIXTURES: [string, string, boolean][] = [["cpuprofile", CPUPROFILE, true], ["chrome trace", TRACE, true], ["pprof", GO_PPROF, false]];

/** Sample counts per stack (comm;frames), and the sample times relative to the first. */
function stacksAndTimes(profile: Profile) {
  const counts = new Map<string, number>();
  const names = (s: number): string[] => (s < 0 ? [] : [...names(profile.stacks.prefix[s]), frameName(profile, profile.stacks.frame[s])]);
  for (let i = 0; i < profile.samples.length; i++) {
    const key = names(profile.samples.stack[i]).join(";");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const t = profile.samples.time;
  return {counts: new Map([...counts].sort()), times: Array.from(t, (x) => x - t[0])};
}

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

describe.each(FIXTURES)("export of %s and back", (name, path, timed) => {
  const targets = timed ? ["speedscope", "pprof", "folded", "gecko"] : ["speedscope", "pprof", "folded"];
  it.each(targets)("as %s: the same samples per stack", async (to) => {
    const out = join(tmp, `${name.replace(" ", "-")}.${to}`);
    const r = run(["export", path, "--to", to, "--idle", "keep", "-o", out]);
    expect(r.status, r.stderr).toBe(0);
    const [source, back] = [await readProfile(path), await readProfile(out)];
    const a = stacksAndTimes(source), b = stacksAndTimes(back);
    if (to === "folded") {
      // Folded stacks count samples only when every sample weighs 1; these do.
      expect(b.counts).toEqual(a.counts);
      expect(back.origin).toBeNull();
      return;
    }
    expect(b.counts).toEqual(a.counts);
    if (!timed) return;
    if (to === "gecko") {
      // Milliseconds as doubles: exact to well under a microsecond.
      b.times.forEach((t, i) => expect(Math.abs(t - a.times[i])).toBeLessThan(1000));
    } else {
      expect(b.times).toEqual(a.times);
    }
  });
});

describe("export", () => {
  it("is read by go tool pprof, a decoder it did not write with", () => {
    const out = join(tmp, "for-go.pb.gz");
    expect(run(["export", CPUPROFILE, "--to", "pprof", "--idle", "keep", "-o", out]).status).toBe(0);
    const go = spawnSync("go", ["tool", "pprof", "-raw", out], {encoding: "utf8"});
    if (go.status !== 0) return console.warn("SKIPPED: Go is not installed (apt-get install golang-go); the pprof export was not read by go tool pprof");
    const counts = [...go.stdout.matchAll(/^\s+(\d+)\s+\d+: [\d ]+$/gm)].map((m) => Number(m[1]));
    expect(counts.reduce((x, y) => x + y, 0)).toBe(readJson(CPUPROFILE).samples.length);
    expect(go.stdout).toMatch(/end_timestamp_ns:\[\d{10,}/);
  });

  it("never writes over a file, not even the input", () => {
    const out = join(tmp, "mine.json");
    writeFileSync(out, "my notes");
    const r = run(["export", CPUPROFILE, "--to", "speedscope", "-o", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`subsecond export: ${out} exists: export never writes over a file; remove it or choose another name\n`);
    expect(readFileSync(out, "utf8")).toBe("my notes");
    const self = run(["export", CPUPROFILE, "--to", "speedscope", "-o", CPUPROFILE]);
    expect(self.stderr).toMatch(/exists \(it is the input\)/);
  });

  it("exports a selection only", async () => {
    const out = join(tmp, "second-1.speedscope.json");
    expect(run(["export", CPUPROFILE, "--to", "speedscope", "--idle", "keep", "--select", "t1_2", "-o", out]).status).toBe(0);
    const source = await readProfile(CPUPROFILE);
    const inSecond = Array.from(source.samples.time).filter((t) => t >= 1e9 && t < 2e9).length;
    expect((await readProfile(out)).samples.length).toBe(inSecond);
  });

  it("checks its options before reading", () => {
    expect(run(["export", CPUPROFILE, "--to", "svg", "-o", join(tmp, "x")])).toMatchObject({status: 2, stderr: 'subsecond export: --to takes speedscope, pprof, folded, gecko, not "svg"\n'});
    expect(run(["export", CPUPROFILE, "--to", "folded"])).toMatchObject({status: 2});
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
    ["truncated.cpuprofile", cpuprofile.slice(0, cpuprofile.length / 2), /: JSON: not valid JSON \(/],
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
