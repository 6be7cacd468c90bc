// The command line's guarantees on bad input (README, "Guarantees on bad input"), run
// as a user runs it: what is refused (exit 1, one line naming the file), what is warned
// and counted, and the sample budget.
import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {runCli, tempFolder} from "./run.js";

const {file} = tempFolder("bad-input");

/** The commands that read one profile, with the arguments each needs. */
const READERS: [string, string[]][] = [["info", []], ["heatmap", []], ["flamegraph", ["--format", "folded"]], ["collapse", []]];

const HEADER = "# ========\n# captured on    : Sat Nov 21 10:41:03 2026\n# hostname : vm\n# cmdline : /usr/bin/perf record -F 49 -a -g -- sleep 1\n# ========\n#\n";
const sample = (eventLine: string) => `${eventLine}\n\t401000 main+0x1 (/usr/bin/app)\n\n`;

describe("refused: one line naming the file, exit 1", () => {
  let seed = 7;
  const random = Uint8Array.from({length: 20_000}, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  const inputs: [string, string | Uint8Array, RegExp][] = [
    ["empty.perf", "", /: no samples: the input is empty$/],
    ["header.perf", HEADER, /: no samples: the input has only its header \(6 `#` lines\)/],
    ["junk.txt", "hello world\nthis is not perf\n", /: no samples: 2 line\(s\) are not perf script output \(first at line 1: "hello world"\)/],
    ["random.bin", random, /: binary data, not `perf script` text/],
    ["nul.perf", new Uint8Array(4096), /: binary data, not `perf script` text/],
    ["utf16.perf", Buffer.from("\uFEFF" + sample("app 1 [000] 1.0: c:"), "utf16le"), /: UTF-16 text: .*iconv/],
  ];
  it.each(inputs)("%s", (name, content, message) => {
    const path = file(name, content);
    for (const [command, args] of READERS) {
      const r = runCli([command, path, ...args]);
      const allowed = command === "collapse" && (name === "empty.perf" || name === "header.perf");
      if (allowed) {
        // As stackcollapse-perf.pl: no output and success, with the warning.
        expect(r, command).toMatchObject({status: 0, stdout: ""});
        expect(r.stderr.startsWith(`subsecond: warning: ${path}: no samples: `), r.stderr).toBe(true);
        expect(r.stderr.trimEnd()).toMatch(message);
        continue;
      }
      expect(r.status, `${command} ${name}`).toBe(1);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0].startsWith(`subsecond ${command}: ${path}: `), lines[0]).toBe(true);
      expect(lines[0]).toMatch(message);
    }
  });
});

describe("warned and counted: the sample is kept", () => {
  it("a bad timestamp first: heat map of the good samples, collapse of all, the warning names line 1", () => {
    const path = file("nan-first.perf", sample("app 100 [000] nan: 1 cpu-clock:") + sample("app 100 [000] 10.5: 1 cpu-clock:") + sample("app 100 [001] 11.5: 1 cpu-clock:"));
    const map = runCli(["heatmap", path, "--format", "json"]);
    expect(map.status).toBe(0);
    expect(JSON.parse(map.stdout)).toMatchObject({samples: 2, columns: 2, origin: 10});
    expect(map.stderr).toMatch(/timestamps are not perf's SECONDS.*kept without a time.*nan-first\.perf: line 1\); e\.g\. "app 100 \[000\] nan: 1 cpu-clock:"/);
    expect(runCli(["collapse", path, "-q"]).stdout).toBe("app;main 3\n");
  });

  it("a huge CPU number and pid: kept without them", () => {
    const path = file("huge.perf", sample("app 99999999999/5 [99999999999] 10.5: 1 cpu-clock:"));
    const r = runCli(["info", path, "--json"]);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.cpus).toEqual([]);
    expect(info.diagnostics.map((d: {code: string}) => d.code).sort()).toEqual(["bad-cpu", "bad-pid"]);
  });
});

describe("the sample budget", () => {
  const tiny = "a 1 [000] 1.000001: c:\n\t1 f (/x)\n\n";
  const bomb = gzipSync(tiny.repeat(300_000), {level: 9});

  it("a gzip bomb and --max-samples: every reader stops in one line naming the file, the line and the budget", () => {
    expect(bomb.length).toBeLessThan(50_000);
    const path = file("bomb.perf.gz", bomb);
    for (const [command, args] of READERS) {
      const r = runCli([command, path, "--max-samples", "1000", ...args]);
      expect(r.status, command).toBe(1);
      expect(r.stderr).toBe(`subsecond ${command}: ${path}: line 3001: reading stopped at the sample budget of 1000 samples (--max-samples, ParseOptions.maxSamples); the 1000 samples before this line were kept\n`);
    }
  });

  it("SUBSECOND_MAX_SAMPLES sets it too; within the budget nothing changes", () => {
    const path = file("bomb2.perf.gz", bomb);
    expect(runCli(["info", path], {env: {SUBSECOND_MAX_SAMPLES: "10"}}).stderr).toMatch(/line 31: reading stopped at the sample budget of 10 samples/);
    expect(runCli(["collapse", path, "--max-samples", "300000"]).stdout).toBe("a;f 300000\n");
  });

  it("a bad --max-samples is a usage error; the help gives the default", () => {
    for (const bad of ["0", "1e6", "lots", "99999999999999999"]) expect(runCli(["info", "x.perf", "--max-samples", bad]), bad).toMatchObject({status: 2, stderr: expect.stringMatching(/--max-samples takes a whole number/)});
    expect(runCli(["info", "x.perf", "--max-samples", "-1"]).status).toBe(2);
    expect(runCli(["heatmap", "--help"]).stdout).toMatch(/--max-samples N .*\n.*\n.*96 bytes a sample, here [\d,]+\)/);
    expect(runCli(["synth", "--help"]).stdout).not.toMatch(/--max-samples/);
  });
});
