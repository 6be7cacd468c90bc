// `subsecond synth`: the command's options, output file and usage errors, run through
// the command's own argument parser (the library's synthesizer has test/synth.test.ts).
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {CliError, parseCommandArgs} from "../../src/cli/common.js";
import {synthCommand} from "../../src/cli/synth.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {synthesize} from "../../src/lib/synth/index.js";

describe("subsecond synth", () => {
  const run = async (...argv: string[]) => {
    const {values, positionals} = parseCommandArgs(synthCommand, argv);
    await synthCommand.run(values, positionals);
  };
  const dir = mkdtempSync(join(tmpdir(), "subsecond-synth-"));
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it("writes a pattern's perf script text, with the options applied", async () => {
    const out = join(dir, "blocking.perf");
    await run("cpu-blocking", "--seconds", "20", "--cpus", "2", "--seed", "3", "-o", out);
    const text = readFileSync(out, "utf8");
    expect(text).toBe(synthesize("cpu-blocking", {seconds: 20, cpus: 2, seed: 3}));
    const profile = parsePerfScript(text);
    expect(profile.header.nrcpusOnline).toBe(2);
    expect(heatmap(profile).columns).toBe(20);
  });

  it("--list: one line per pattern, with how to read it", async () => {
    const out = join(dir, "list.txt");
    await run("--list", "-o", out);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(17);
    expect(lines[3]).toMatch(/^busy-wait-once +One busy-wait thread, once per second: A diagonal/);
  });

  it.each([
    [["nope"], /unknown pattern "nope" \(patterns: one-thread-once, /],
    [[], /one pattern name/],
    [["cpus-50", "--cpus", "x"], /--cpus takes a number/],
    [["cpus-50", "--cpus", "0"], /cpus must be a whole number/],
    [["cpus-5", "--list"], /--list takes no pattern/],
  ])("usage errors exit 2: %j", async (argv, message) => {
    const error = await run(...argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).status).toBe(2);
    expect((error as CliError).message).toMatch(message);
  });
});
