// subsecond export: export → import keeps the sample count of every stack (and the
// times, where the format holds them) for every format and recorded fixture; go tool
// pprof reads the pprof; a selection exports only its samples; export never writes
// over a file.
import {spawnSync} from "node:child_process";
import {readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {readProfile} from "../../src/node/index.js";
import {frameName, type Profile} from "../../src/lib/profile.js";
import {CPUPROFILE, GO_PPROF, readJson, TRACE} from "../lib/import-fixtures.js";
import {runCli as run, tempFolder} from "./run.js";

const tmp = tempFolder("export").dir;

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

  it("never writes over a file it did not create unless --force, and never over the input", () => {
    const out = join(tmp, "mine.json");
    writeFileSync(out, "my notes");
    const r = run(["export", CPUPROFILE, "--to", "speedscope", "-o", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`subsecond export: -o ${out} exists: subsecond writes only new files unless --force is given\n`);
    expect(readFileSync(out, "utf8")).toBe("my notes");
    const forced = run(["export", CPUPROFILE, "--to", "folded", "--force", "-o", out]);
    expect(forced.status).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^V8;\(root\)|^V8;/);
    const self = run(["export", CPUPROFILE, "--to", "speedscope", "--force", "-o", CPUPROFILE]);
    expect(self).toMatchObject({status: 2, stderr: `subsecond export: -o ${CPUPROFILE} is one of this command's inputs: it would be lost; write elsewhere\n`});
    expect(readJson(CPUPROFILE).samples.length).toBeGreaterThan(0);
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

