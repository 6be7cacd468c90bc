// The subsecond command line, run as a user runs it: `node bin/subsecond.js …`.
import {spawnSync} from "node:child_process";
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {perfText} from "./helpers.js";

const BIN = new URL("../bin/subsecond.js", import.meta.url).pathname;
const FIXTURES = new URL("./fixtures/perf/", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "subsecond-cli-"));

function run(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [BIN, ...args], {input, encoding: "utf8", maxBuffer: 64 << 20});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

function file(name: string, content: string | Buffer): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

const SAMPLES = perfText([
  {time: "10.100000", stack: ["main", "parse"]},
  {time: "10.300000", stack: ["main", "eval"]},
  {time: "11.300000", stack: ["main", "eval"], comm: "web server", tid: 7},
  {time: "12.250000", stack: ["main", "gc"], event: "page-faults"},
]);

describe("subsecond CLI", () => {
  it("prints usage and per-command help", () => {
    const top = run(["--help"]);
    expect(top.status).toBe(0);
    for (const command of ["info", "heatmap", "flamegraph", "collapse"]) {
      expect(top.stdout).toContain(command);
      const help = run([command, "--help"]);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: subsecond ${command}`));
    }
    expect(run([]).status).toBe(2);
  });

  it("fails in one line with status 2 on bad usage", () => {
    for (const args of [["frobnicate"], ["info", "--bogus", "x"], ["heatmap", "--rows", "0", "x"], ["flamegraph", "--cells", "1-2", "x"]]) {
      const r = run(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("fails in one line naming the file on unreadable or invalid input", () => {
    const cases: [string, RegExp][] = [
      [join(tmp, "missing.perf"), /missing\.perf: no such file/],
      [tmp, /is a directory/],
      [file("perf.data", Buffer.concat([Buffer.from("PERFILE2"), Buffer.alloc(64)])), /perf\.data: binary perf\.data file.*perf script --header -i/],
      [file("junk.txt", "hello world\nthis is not perf\n"), /junk\.txt: no samples: 2 line\(s\) are not perf script output \(first at line 1: "hello world"\)/],
    ];
    for (const [path, message] of cases) {
      const r = run(["info", path]);
      expect(r.status, path).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

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
    const r = run(["info", "--json", "--top", "1000", join(FIXTURES, `${name}.perf`)]);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.samples.total).toBe(total);
    expect(new Map(info.comms.map((c: {comm: string; samples: number}) => [c.comm, c.samples]))).toEqual(perfCounts);
    expect(info.diagnostics.filter((d: {severity: string}) => d.severity !== "info")).toEqual([]);
  });

  it("the real captures resolve their workloads' functions", () => {
    const folded = (name: string, extra: string[] = []) => run(["collapse", ...extra, join(FIXTURES, `${name}.perf`)]).stdout;
    expect(folded("c-deep")).toMatch(/walker-\d;start_thread;walker_main;walk_forest;walk_tree_level;.*checksum_block \d+/);
    expect(folded("node-jit")).toMatch(/;.*runPricingLoop.*;.*priceBasket/);
    expect(folded("java-perfmap", ["--jit"])).toMatch(/Busy\.spinHash_\[j\]/);
    // Recorded without -g: collapse skips those samples, as stackcollapse-perf.pl does; --flat folds them.
    expect(folded("c-nocallchain")).toBe("");
    expect(folded("c-nocallchain", ["--flat"])).toMatch(/;checksum_block \d+/);
  });

  it("info prints origin, span, CPUs, processes and diagnostics", () => {
    const r = run(["info", file("info.perf", SAMPLES + "\nTHIS IS NOT PERF\n")]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/samples\s+4 \(idle 0 = 0\.0%\)/);
    expect(r.stdout).toMatch(/events\s+cpu-clock: 3 samples/);
    expect(r.stdout).toMatch(/origin\s+10 s perf time/);
    expect(r.stdout).toMatch(/first sample\s+10\.100000/);
    expect(r.stdout).toMatch(/duration\s+2\.150000 s; 3 heat-map columns/);
    expect(r.stdout).toMatch(/web server/);
    expect(r.stdout).toMatch(/warning: 1 × lines that are neither .* \(.*info\.perf: line 17\); e\.g\. "THIS IS NOT PERF"/);
  });

  it("collapse reads files, gzip and stdin alike, and warns about skipped events", () => {
    const plain = run(["collapse", file("c.perf", SAMPLES)]);
    expect(plain.stdout).toBe("app;main;eval 1\napp;main;parse 1\nweb_server;main;eval 1\n");
    expect(plain.stderr).toMatch(/folded event cpu-clock; skipped 1 sample\(s\) of page-faults/);
    expect(run(["collapse", file("c.perf.gz", gzipSync(SAMPLES))]).stdout).toBe(plain.stdout);
    expect(run(["collapse"], SAMPLES).stdout).toBe(plain.stdout);
    expect(run(["collapse", "-"], gzipSync(SAMPLES)).stdout).toBe(plain.stdout);
    expect(run(["collapse", "--event", "page-faults", "--tid", "-q"], SAMPLES)).toMatchObject({stdout: "app-?/100;main;gc 1\n", stderr: ""});
  });

  it("collapse of an empty file prints nothing and succeeds; info refuses it", () => {
    expect(run(["collapse", file("empty.perf", "")])).toMatchObject({status: 0, stdout: ""});
    const empty = file("empty2.perf", "");
    expect(run(["info", empty])).toMatchObject({status: 1, stderr: `subsecond info: ${empty}: no samples: the input is empty\n`});
  });

  it("a truncated gzip keeps what was readable and warns", () => {
    const gz = gzipSync(SAMPLES.repeat(50));
    const r = run(["collapse", file("cut.perf.gz", gz.subarray(0, gz.length - 20))]);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/compressed input is damaged or truncated/);
  });

  it("heatmap: json, csv and svg", () => {
    const path = file("h.perf", SAMPLES);
    const json = JSON.parse(run(["heatmap", "--format", "json", "--rows", "10", path]).stdout);
    expect(json).toMatchObject({origin: 10, rows: 10, columns: 3, maxCount: 1, samples: 3});
    expect(json.values[0]).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(run(["heatmap", "--format", "csv", path]).stdout).toBe("second,bucket,offset_ms,count,weight\n0,5,100,1,1\n0,15,300,1,1\n1,15,300,1,1\n");
    const out = join(tmp, "h.svg");
    expect(run(["heatmap", path, "-o", out]).status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it("heatmap without timestamps explains how to get them", () => {
    const r = run(["heatmap", file("notime.perf", "app 1 cpu-clock:\n\t1 main (/x)\n")]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/perf script -F \+time/);
  });

  it("flamegraph of ranges, cells, text selections and annotations", () => {
    const path = file("f.perf", SAMPLES);
    writeFileSync(join(tmp, "f.annotations.json"), JSON.stringify({annotations: [{label: "second one", from: 1, to: 2}]}));
    const folded = (args: string[]) => run(["flamegraph", "--format", "folded", ...args, path]).stdout;
    expect(folded(["--from", "0", "--to", "1"])).toBe("app;main;eval 1\napp;main;parse 1\n");
    expect(folded(["--cells", "0:1,15:15"])).toBe("app;main;eval 1\nweb_server;main;eval 1\n");
    expect(folded(["--select", "t1_2"])).toBe("web_server;main;eval 1\n");
    expect(folded(["--annotation", "second one"])).toBe("web_server;main;eval 1\n");
    expect(folded(["--event", "page-faults"])).toBe("app;main;gc 1\n");
    const missing = run(["flamegraph", "--annotation", "GC", path]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no annotation "GC" \(annotations: "second one"\)/);
    const json = JSON.parse(run(["flamegraph", "--format", "json", "--from", "0", "--to", "1", path]).stdout);
    expect(json.samples).toBe(2);
    expect(json.root.children[0].name).toBe("app");
  });

  it("flamegraph differential and elided views", () => {
    const path = file("d.perf", SAMPLES);
    const diff = JSON.parse(run(["flamegraph", "--format", "json", "--from", "0", "--to", "1", "--vs", "1-2", path]).stdout);
    const main = diff.root.children.find((c: {name: string}) => c.name === "app").children[0];
    expect(main.delta.total).toBe(2);
    const svg = run(["flamegraph", "--from", "0", "--to", "1", "--vs", "t1_2", path]);
    expect(svg.stdout).toContain("red grew, blue shrank");
    const elided = JSON.parse(run(["flamegraph", "--format", "json", "--from", "0", "--to", "1", "--vs", "all", "--elided", path]).stdout);
    expect(elided.root.children.map((c: {name: string}) => c.name)).toEqual(["web server"]);
    expect(run(["flamegraph", "--elided", path]).status).toBe(2);
  });

  it("prints names from the profile to terminals inert: escape sequences and bidi controls show as codes", () => {
    // ESC [2J clears a screen, U+009B is the one-byte CSI, U+202E reverses what follows.
    const path = file("esc.perf", perfText([{time: "1.1", comm: "evil\x1b[2J\u009b31m", stack: ["main\u202eesrever\x1b]0;pwned\x07"]}]));
    const unsafe = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
    const info = run(["info", path]);
    expect(info.stdout).not.toMatch(unsafe);
    expect(info.stdout).toContain("evil\\x1b[2J\\x9b31m");
    const top = run(["flamegraph", "--format", "top", path]);
    expect(top.stdout).not.toMatch(unsafe);
    expect(top.stdout).toContain("main\\u202eesrever\\x1b]0;pwned\\x07");
    const missing = run(["flamegraph", "--annotation", "x\x1b[2J", path]);
    expect(missing.stderr).not.toMatch(unsafe);
  });

  it("refuses times a selection cannot hold, and finishes on a catastrophic regular expression", () => {
    const path = file("range.perf", SAMPLES);
    const far = run(["flamegraph", "--from", "1e300", path]);
    expect(far.status).toBe(2);
    expect(far.stderr).toMatch(/--from: 1e\+300 s is out of range/);
    expect(run(["flamegraph", "--vs", `0-1${"0".repeat(300)}`, path]).stderr).toMatch(/--vs: .* out of range/);
    expect(run(["flamegraph", "--format", "folded", "--cells", "0:9000000,15:15", path]).stdout).toBe("app;main;eval 1\nweb_server;main;eval 1\n");
    const evil = file("evil.perf", perfText([{time: "1.1", stack: ["main", `${"a".repeat(40)}b`]}, {time: "1.2", stack: ["main", "aaaa"]}]));
    expect(run(["flamegraph", "--format", "folded", "--include", "(a+)+$", evil]).stdout).toBe("app;main;aaaa 1\n");
    const bad = run(["heatmap", "--include", "(?<=a)b", evil]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--include: invalid frame regular expression/);
  });

  it("writes nothing but its outputs", () => {
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
