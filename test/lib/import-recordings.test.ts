// The importers on real recordings: sample counts and times agree with the files
// (computed here from the JSON, or by `go tool pprof` when it was recorded, not by
// the importers), V8's own frames are understood, the periodic task is a stripe in
// the heat map, and a format without times (Go's CPU pprof) still gives flame graphs
// while the heat map says why not.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {flameTree, topFunctions} from "../../src/lib/flametree.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {idleStacks} from "../../src/lib/idle.js";
import {importProfile, sniffFormat} from "../../src/lib/import/index.js";
import {readProfile} from "../../src/node/index.js";
import {frameName, stackComm, type Profile} from "../../src/lib/profile.js";
import {CPUPROFILE, GO_PPROF, GO_PPROF_RAW, goRawStacks, readJson, TRACE, traceSampleTimes, v8Times} from "./import-fixtures.js";

/** Absolute sample times in µs (the V8 clock), sorted. */
function microseconds(profile: Profile): number[] {
  return Array.from(profile.samples.time, (t) => profile.origin! * 1e6 + t / 1000).sort((a, b) => a - b);
}

/** The leaf frame name of each sample's stack. */
function leafCounts(profile: Profile): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples.stack[i];
    const name = profile.stacks.prefix[s] < 0 ? "" : frameName(profile, profile.stacks.frame[s]);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Rows (of 20, 50 ms each) holding the periodic task's samples, per whole second. */
function stripe(profile: Profile) {
  const map = heatmap(profile, {rows: 20, idle: "keep", filter: {include: "^periodicTask"}});
  const perRow = new Array(20).fill(0);
  let total = 0;
  // Whole seconds only: the first and last are partly outside the recording.
  for (let c = 1; c < map.columns - 1; c++) {
    for (let r = 0; r < 20; r++) {
      perRow[r] += map.counts[c * 20 + r];
      total += map.counts[c * 20 + r];
    }
  }
  const rows = perRow.map((n, r) => [n, r]).sort((a, b) => b[0] - a[0]);
  let covered = 0, k = 0;
  while (covered < 0.8 * total) covered += rows[k++][0];
  return {total, rowsFor80Percent: k, columns: map.columns};
}

describe("V8 .cpuprofile (node --cpu-prof)", async () => {
  const json = readJson(CPUPROFILE);
  const profile = await readProfile(CPUPROFILE);

  it("is sniffed by content", () => {
    expect(sniffFormat(readFileSync(CPUPROFILE))).toBe("json");
    expect(profile.header.fields.format).toBe("V8 .cpuprofile");
  });

  it("keeps every sample at its own time, to the microsecond", () => {
    expect(profile.samples.length).toBe(json.samples.length);
    const expected = v8Times(json.startTime, json.timeDeltas).sort((a, b) => a - b);
    expect(microseconds(profile)).toEqual(expected);
    expect(profile.origin).toBe(Math.floor(expected[0] / 1e6));
  });

  it("counts each node's samples as the file does", () => {
    const byNode = new Map<number, number>();
    for (const id of json.samples) byNode.set(id, (byNode.get(id) ?? 0) + 1);
    const names = new Map(json.nodes.map((n: any) => [n.id, n.callFrame.functionName]));
    const expectedIdle = [...byNode].filter(([id]) => names.get(id) === "(idle)").reduce((a, [, n]) => a + n, 0);
    expect(leafCounts(profile).get("(idle)")).toBe(expectedIdle);
    const idle = idleStacks(profile);
    let classified = 0;
    for (let i = 0; i < profile.samples.length; i++) classified += idle[profile.samples.stack[i]];
    expect(classified).toBe(expectedIdle);
    expect(expectedIdle).toBeGreaterThan(0);
  });

  it("names frames by function, URL, line and column", () => {
    const names = new Set(Array.from({length: profile.frames.length}, (_, f) => frameName(profile, f)));
    expect([...names].some((n) => /^periodicTask file:\/\/.*periodic-task\.mjs:\d+:\d+$/.test(n))).toBe(true);
    expect(names.has("(program)")).toBe(true);
    expect(stackComm(profile, profile.samples.stack[0])).toBe("V8");
  });

  it("shows the periodic task as a stripe", () => {
    const s = stripe(profile);
    expect(s.total).toBeGreaterThan(100);
    // Four tasks a second of 40 ms: 80% of their samples in at most 8 of 20 rows (a
    // task spread evenly over the second would need 16).
    expect(s.rowsFor80Percent).toBeLessThanOrEqual(8);
  });
});

describe("Chrome trace (Chromium, CDP Tracing)", async () => {
  const trace = readJson(TRACE);
  const profile = await readProfile(TRACE);

  it("reads every ProfileChunk sample of every thread at its time", () => {
    const times = [...traceSampleTimes(trace).values()].flat().sort((a, b) => a - b);
    expect(profile.samples.length).toBe(times.length);
    expect(microseconds(profile)).toEqual(times);
  });

  it("names threads from the metadata events", () => {
    const names = new Set(trace.traceEvents.filter((e: any) => e.name === "thread_name").map((e: any) => e.args.name));
    for (let t = 0; t < profile.threads.length; t++) expect(names).toContain(profile.strings[profile.threads.comm[t]]);
    const profiles = trace.traceEvents.filter((e: any) => e.name === "Profile");
    expect(profile.threads.length).toBe(profiles.length);
    expect([...profile.threads.pid].sort()).toEqual(profiles.map((e: any) => e.pid).sort());
  });

  it("shows the page's periodic task as a stripe", () => {
    const s = stripe(profile);
    expect(s.total).toBeGreaterThan(100);
    expect(s.rowsFor80Percent).toBeLessThanOrEqual(8);
  });
});

describe("pprof (Go runtime/pprof)", async () => {
  const profile = await readProfile(GO_PPROF);

  it("has go tool pprof's samples per stack", () => {
    // Go's own decoding of the file, saved when it was recorded (Go is not needed here).
    const go = goRawStacks(readFileSync(GO_PPROF_RAW, "utf8"));
    const ours = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const names: string[] = [];
      // Up to the comm's root (the program and its labels), which Go prints apart.
      for (let s = profile.samples.stack[i]; profile.stacks.prefix[s] >= 0; s = profile.stacks.prefix[s]) names.unshift(frameName(profile, profile.stacks.frame[s]));
      ours.set(names.join(";"), (ours.get(names.join(";")) ?? 0) + 1);
    }
    expect(new Map([...ours].sort())).toEqual(new Map([...go].sort()));
    expect(go.size).toBeGreaterThan(1);
    expect(profile.events[0].name).toBe("samples");
    expect(topFunctions(flameTree(profile, null, {idle: "keep"}), {by: "total", limit: 50}).map((r) => r.name)).toContain("main.periodicTask");
  });

  it("turns labels into the comm, so --comm filters on them", () => {
    const comms = new Set(Array.from(profile.threads.comm, (c) => profile.strings[c]));
    expect([...comms].some((c) => c.endsWith("{task=periodic}"))).toBe(true);
    const tree = flameTree(profile, null, {idle: "keep", filter: {comm: /task=periodic/}});
    expect(tree.samples).toBeGreaterThan(0);
    expect(tree.samples).toBeLessThanOrEqual(profile.samples.length);
  });

  it("has no times: flame graphs work, the heat map says why not", () => {
    expect(profile.origin).toBeNull();
    expect(() => heatmap(profile)).toThrow(/heat map needs sample timestamps, and this pprof file has none/);
  });
});

describe("sniffing", () => {
  it("tells formats apart by content, not by name", () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(sniffFormat(text("main;work;leaf 12\nmain;idle 3\n"))).toBe("folded");
    expect(sniffFormat(text("app 100 [000] 1.000000: cpu-clock:\n\t401000 main+0x1 (/usr/bin/app)\n\n"))).toBe("perf");
    expect(sniffFormat(text("  {\"nodes\": []}"))).toBe("json");
    expect(sniffFormat(text("PERFILE2\0\0\0\0"))).toBe("perf");
    expect(sniffFormat(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]))).toBe("perf"); // zstd: the perf parser refuses it
    expect(sniffFormat(Uint8Array.from([0x0a, 0x04, 0x08, 0x01, 0x10, 0x02]))).toBe("pprof");
  });

  it("names the JSON keys and the formats tried when JSON is none of them", () => {
    expect(() => importProfile(new TextEncoder().encode('{"name": "x", "version": 1}'), {source: "package.json"}))
      .toThrow(/^package\.json: JSON: not a profile subsecond reads \(keys "name", "version"; tried perf script text, V8 \.cpuprofile, .*folded stacks; --input-format NAME forces one\)$/);
    expect(() => importProfile(new TextEncoder().encode("{}"), {source: "empty.json"})).toThrow(/^empty\.json: JSON: not a profile subsecond reads \(an object without keys; tried /);
  });
});
