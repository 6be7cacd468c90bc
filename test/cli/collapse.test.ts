// `subsecond collapse`: folded stacks from files, gzip and standard input.
import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {FOUR_SAMPLES, runCli, tempFolder} from "./run.js";

const {file} = tempFolder("cli-collapse");

describe("subsecond collapse", () => {
  it("collapse reads files, gzip and stdin alike, and warns about skipped events", () => {
    const plain = runCli(["collapse", file("c.perf", FOUR_SAMPLES)]);
    expect(plain.stdout).toBe("app;main;eval 1\napp;main;parse 1\nweb_server;main;eval 1\n");
    expect(plain.stderr).toMatch(/folded event cpu-clock; skipped 1 sample\(s\) of page-faults/);
    expect(runCli(["collapse", file("c.perf.gz", gzipSync(FOUR_SAMPLES))]).stdout).toBe(plain.stdout);
    expect(runCli(["collapse"], {input: FOUR_SAMPLES}).stdout).toBe(plain.stdout);
    expect(runCli(["collapse", "-"], {input: gzipSync(FOUR_SAMPLES)}).stdout).toBe(plain.stdout);
    expect(runCli(["collapse", "--event", "page-faults", "--tid", "-q"], {input: FOUR_SAMPLES})).toMatchObject({stdout: "app-?/100;main;gc 1\n", stderr: ""});
  });

  it("collapse of an empty file prints nothing and succeeds; info refuses it", () => {
    expect(runCli(["collapse", file("empty.perf", "")])).toMatchObject({status: 0, stdout: ""});
    const empty = file("empty2.perf", "");
    expect(runCli(["info", empty])).toMatchObject({status: 1, stderr: `subsecond info: ${empty}: no samples: the input is empty\n`});
  });

  it("a truncated gzip keeps what was readable and warns", () => {
    const gz = gzipSync(FOUR_SAMPLES.repeat(50));
    const r = runCli(["collapse", file("cut.perf.gz", gz.subarray(0, gz.length - 20))]);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/compressed input is damaged or truncated/);
  });
});
