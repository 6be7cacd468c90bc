// `subsecond` usage: help, bad usage and unreadable input fail in one line.
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {runCli, tempFolder} from "./run.js";

const {dir: tmp, file} = tempFolder("cli-usage");

describe("subsecond usage", () => {
  it("prints usage and per-command help", () => {
    const top = runCli(["--help"]);
    expect(top.status).toBe(0);
    for (const command of ["info", "heatmap", "flamegraph", "collapse"]) {
      expect(top.stdout).toContain(command);
      const help = runCli([command, "--help"]);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: subsecond ${command}`));
    }
    expect(runCli([]).status).toBe(2);
  });

  it("fails in one line with status 2 on bad usage", () => {
    for (const args of [["frobnicate"], ["info", "--bogus", "x"], ["heatmap", "--rows", "0", "x"], ["flamegraph", "--cells", "1-2", "x"]]) {
      const r = runCli(args);
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
      const r = runCli(["info", path]);
      expect(r.status, path).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
