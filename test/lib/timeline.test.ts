// Timelines beside the heat map: the importers on real logs recorded with the profiles
// of test/fixtures/timeline (scripts/record/record-timelines.sh), their alignment on
// the profile's axis, metric conditions as selections, and the drawing.
import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";
import {beforeAll, describe, expect, it} from "vitest";
import {diffTrees} from "../../src/lib/diff.js";
import {flameTree, walkTree} from "../../src/lib/flametree.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {stackComm, type Profile} from "../../src/lib/profile.js";
import {heatmapSvg} from "../../src/lib/render/heatmap.js";
import {bucketOf, secondOf} from "../../src/lib/time.js";
import {alignTrack, conditionSelection, describeCondition, epochNumber, formatCondition, isoSeconds, parseCondition, percentile, readTrack, trackFormat, type AlignedTrack} from "../../src/lib/timeline/index.js";
import {sampleView} from "../../src/lib/view.js";
import {readProfile, svgDocument} from "../../src/node/index.js";
import {perfText} from "../helpers.js";
import {parseSvg, snapshot} from "./render-fixture.js";

const DIR = new URL("../fixtures/timeline/", import.meta.url).pathname;
const text = (name: string) => (name.endsWith(".gz") ? gunzipSync(readFileSync(DIR + name)).toString() : readFileSync(DIR + name, "utf8"));
const track = (name: string, profile: Profile, offset = 0) => alignTrack(readTrack(text(name), name), profile, {offset});

describe("timestamps", () => {
  it("reads ISO 8601 to the nanosecond, with zones", () => {
    expect(isoSeconds("2026-12-02T07:47:17.183820962Z")).toEqual({seconds: 1796197637.183821, resolution: 1e-9, zoned: true});
    expect(isoSeconds("2026-12-02T08:47:17.5+01:00")!.seconds).toBe(1796197637.5);
    expect(isoSeconds("2026-12-02 07:47:17")).toEqual({seconds: 1796197637, resolution: 1, zoned: false});
    expect(isoSeconds("2026-13-02T07:47:17Z")).toBeNull();
  });
  it("tells epoch s, ms, µs and ns apart by size; small numbers are relative", () => {
    expect(epochNumber("1796197637")).toEqual({seconds: 1796197637, clock: "wall", resolution: 1});
    expect(epochNumber("1796197637250")).toEqual({seconds: 1796197637.25, clock: "wall", resolution: 1e-3});
    expect(epochNumber("1796197637250000")!.seconds).toBe(1796197637.25);
    expect(epochNumber("1796197637250000123")).toEqual({seconds: 1796197637.250000123, clock: "wall", resolution: 1e-9});
    expect(epochNumber("12.5")).toEqual({seconds: 12.5, clock: "relative", resolution: 0.1});
    expect(epochNumber("1e9")).toBeNull();
  });
});

describe("the JVM G1 capture (jvm-latency)", () => {
  let profile: Profile;
  let gc: AlignedTrack, gcWall: AlignedTrack;
  beforeAll(async () => {
    profile = await readProfile(DIR + "jvm-latency.perf.gz");
    gc = track("jvm-latency.gc.log.gz", profile);
    gcWall = track("jvm-latency.gc-time.log.gz", profile);
  });

  it("reads pauses with start, duration, cause and kind, and concurrent phases as ranges", () => {
    const t = gc.track;
    expect([t.format, t.clock, t.events.length, t.diagnostics.length]).toEqual(["jvm-gc", "monotonic", 40, 0]);
    const kinds = new Map<string, number>();
    for (let i = 0; i < t.events.length; i++) kinds.set(t.strings[t.events.kind[i]], (kinds.get(t.strings[t.events.kind[i]]) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual(Object.fromEntries([...kinds].filter(([k]) => ["young", "mixed", "remark", "cleanup", "concurrent"].includes(k))));
    expect(kinds.get("concurrent")).toBe(16);
    expect(t.events.length - kinds.get("concurrent")!).toBe(24);
    // GC(0): `[gc,start] … Pause Young (Normal) (G1 Evacuation Pause)` at timenanos 2958711… and 81.965 ms
    expect(t.strings[t.events.label[0]]).toBe("Pause Young (Normal) (G1 Evacuation Pause)");
    expect(t.strings[t.events.detail[0]]).toBe("GC(0) G1 Evacuation Pause 160M->35M(256M)");
    expect(t.events.duration[0]).toBeCloseTo(0.081965, 9);
  });

  it("places the pauses where the GC threads' samples are: every GC Thread sample inside a pause", () => {
    const e = gc.track.events;
    const pauses: [number, number][] = [];
    for (let i = 0; i < e.length; i++) if (gc.track.strings[e.kind[i]] !== "concurrent") pauses.push([gc.start[i], gc.start[i] + e.duration[i]]);
    const gcSamples: number[] = [];
    for (let i = 0; i < profile.samples.length; i++) if (/^GC Thread#/.test(stackComm(profile, profile.samples.stack[i]))) gcSamples.push(profile.samples.time[i] / 1e9);
    expect(gcSamples.length).toBe(104);
    const inside = gcSamples.filter((t) => pauses.some(([s, end]) => t >= s && t <= end));
    expect(inside.length).toBe(104);
    // every pause of 20 ms (a bucket at 50 rows) or more has GC Thread samples
    const long = pauses.filter(([s, end]) => end - s >= 0.02);
    expect(long.length).toBe(12);
    expect(long.filter(([s, end]) => gcSamples.some((t) => t >= s && t <= end)).length).toBe(12);
  });

  it("aligns the wall-clock log (time,uptime,level,tags) through the reference time within 1 ms of timenanos", () => {
    expect(gcWall.track.clock).toBe("wall");
    expect(gcWall.alignment.method).toBe("reference-time");
    expect(gcWall.alignment.uncertainty).toBeCloseTo(0.002, 9);
    expect(gc.alignment.method).toBe("monotonic");
    expect(gcWall.start.length).toBe(gc.start.length);
    let worst = 0;
    for (let i = 0; i < gc.start.length; i++) worst = Math.max(worst, Math.abs(gcWall.start[i] - gc.start[i]));
    expect(worst).toBeLessThan(0.001);
    // and within one bucket at 50 rows: the same cell for every pause start but those
    // within a ms of a bucket edge
    const ns = (s: number) => Math.round(s * 1e9);
    const cell = (s: number) => [secondOf(ns(s)), bucketOf(ns(s) - secondOf(ns(s)) * 1e9, 50)];
    for (let i = 0; i < gc.start.length; i++) {
      const [a, b] = [cell(gc.start[i]), cell(gcWall.start[i])];
      expect(Math.abs((a[0] * 50 + a[1]) - (b[0] * 50 + b[1]))).toBeLessThanOrEqual(1);
    }
  });

  it("pairs the application log's refresh start/end into ranges on the monotonic truth (wall clock: starts within 0.5 ms)", () => {
    const events = track("jvm-latency.events.log", profile);
    const truth = text("jvm-latency.refresh.jsonl").trim().split("\n").map((l) => JSON.parse(l) as {event: string; t_ns: number});
    expect(events.start.length).toBe(4);
    for (let i = 0; i < 4; i++) {
      expect(events.track.strings[events.track.events.label[i]]).toBe("cache refresh");
      expect(Math.abs(events.start[i] - (truth[2 * i].t_ns / 1e9 - profile.origin!))).toBeLessThan(0.0005);
      // the log's lines are written just after the monotonic readings (the first one
      // while its logging code is still interpreted): durations agree within 4 ms
      expect(Math.abs(events.track.events.duration[i] - (truth[2 * i + 1].t_ns - truth[2 * i].t_ns) / 1e9)).toBeLessThan(0.004);
    }
  });

  it("the high-latency seconds' differential shows the cache refresh as the largest growth", () => {
    const latency = track("jvm-latency.metrics.csv", profile);
    expect(latency.track.series.map((s) => [s.name, s.time.length])).toEqual([["latency_p99_ms", 30], ["latency_p50_ms", 30], ["requests", 30]]);
    const c = conditionSelection(profile, [latency], parseCondition("latency_p99_ms>100"));
    expect([c.points, c.pointsInSpan, c.seconds]).toEqual([4, 30, 4]);
    // the four spikes start with the four refreshes (3.94, 10.94, 17.94, 24.94 s)
    expect(c.matching.map((r) => Math.floor(r.from / 1e9))).toEqual([3, 10, 17, 24]);
    const diff = diffTrees(flameTree(sampleView(profile, c.matching)), flameTree(sampleView(profile, c.rest)));
    const comms = diff.root.children.map((n) => [n.name, n.delta!.total] as const).sort((a, b) => b[1] - a[1]);
    expect(comms[0][0]).toBe("cache-refresh");
    expect(comms[0][1]).toBeCloseTo(68, 6);
    const functions: [string, number][] = [];
    walkTree(diff.root, (n) => { if (n.name.includes("RequestChurn")) functions.push([n.name, n.delta!.total]); });
    functions.sort((a, b) => b[1] - a[1]);
    expect(functions[0]).toEqual(["java.util.Map RequestChurn.loadPriceSnapshot(java.util.concurrent.ThreadLocalRandom, int)", 46]);
    // the top decile: the 3 highest seconds of 30 (above the 27th value, 138.926 ms)
    const decile = conditionSelection(profile, [latency], parseCondition("latency_p99_ms>p90"));
    expect([decile.threshold, decile.points]).toEqual([138.926, 3]);
    // "top 10%" is the same three seconds; "bottom 10%" the three lowest
    const top = conditionSelection(profile, [latency], parseCondition("latency_p99_ms top 10%"));
    expect([top.threshold, top.points, top.matching]).toEqual([138.926, 3, decile.matching]);
    const bottom = conditionSelection(profile, [latency], parseCondition("latency_p99_ms bottom 10%"));
    const lowest = Array.from(latency.track.series[0].value).sort((a, b) => a - b);
    expect([bottom.points, bottom.threshold]).toEqual([3, lowest[3]]);
    // the other operators: the complement of > is <=, and >= holds at the threshold too
    const atMost = conditionSelection(profile, [latency], parseCondition("latency_p99_ms<=100"));
    expect(atMost.points + c.points).toBe(30);
    // (the rest also holds the profile's time before the first point and after the last)
    expect(atMost.seconds + c.seconds).toBeCloseTo(30, 6);
    for (const r of atMost.matching) expect(c.rest.some((o) => o.from <= r.from && r.to <= o.to)).toBe(true);
    const atLeast = conditionSelection(profile, [latency], parseCondition(`latency_p99_ms>=${lowest[26]}`));
    expect(atLeast.points).toBe(4);
    expect(conditionSelection(profile, [latency], parseCondition(`latency_p99_ms<${lowest[0]}`)).points).toBe(0);
  });

  it("warns about a log outside the profile's span", () => {
    const moved = track("jvm-latency.gc.log.gz", profile, 3600);
    expect(moved.warnings).toEqual([expect.stringContaining("all 40 records lie outside")]);
    const partly = track("jvm-latency.gc.log.gz", profile, 10);
    expect(partly.warnings[0]).toMatch(/^jvm-latency.gc.log.gz: 19 of 40 records lie outside/);
  });
});

describe("Node --trace-gc (node-trace-gc)", () => {
  it("reads scavenges and mark-compacts with their pauses; the clock needs an offset, and with the process's start the GCs fall on the service's own GC log", async () => {
    const profile = await readProfile(DIR + "node-trace-gc.perf.gz");
    const service = text("node-trace-gc.service.jsonl.gz").trim().split("\n").map((l) => JSON.parse(l));
    const origin = Number(BigInt(service[0].time_origin_ns)) / 1e9;
    const bare = track("node-trace-gc.gc.log.gz", profile);
    expect(bare.alignment.method).toBe("none");
    expect(bare.warnings[0]).toMatch(/give an offset/);
    const t = bare.track;
    expect([t.format, t.clock, t.events.length, t.diagnostics.length]).toEqual(["node-gc", "relative", 48, 0]);
    const kinds = new Set(Array.from(t.events.kind, (k) => t.strings[k]));
    expect([...kinds].sort()).toEqual(["mark-compact", "scavenge"]);
    const placed = track("node-trace-gc.gc.log.gz", profile, origin - profile.origin!);
    expect(placed.alignment.method).toBe("offset");
    // V8 starts its clock after the process's (77 ms here): the GCs' spacing is the
    // service's PerformanceObserver log's, within the whole ms the log prints
    const gcs = service.filter((e) => e.event === "gc" && e.kind === "minor").map((e) => Number(BigInt(e.start_ns)) / 1e9 - profile.origin!);
    const scavenges = Array.from(placed.start).filter((_, i) => t.strings[t.events.kind[i]] === "scavenge");
    expect([gcs.length, scavenges.length]).toEqual([46, 46]);
    const lag = gcs[0] - scavenges[0];
    for (let i = 0; i < 46; i++) expect(Math.abs(gcs[i] - scavenges[i] - lag)).toBeLessThan(0.0011);
    expect(lag).toBeCloseTo(0.0769, 2);
    expect(Math.abs(t.events.duration[0] - service.find((e) => e.event === "gc" && e.kind === "minor").duration_ms / 1e3)).toBeLessThan(0.0001);
  });
});

describe("bad input", () => {
  const profile = parsePerfScript(perfText([{time: "100.100000", stack: ["main"]}, {time: "104.900000", stack: ["main"]}]), {source: "p.perf"});
  it("counts lines it cannot use, naming the lines", () => {
    const csv = "time,latency\n1796197634000,2.5\nnot-a-time,3\n1796197636000,abc\n1796197637000,7\n";
    const t = readTrack(csv, "lat.csv");
    expect(t.series[0].value).toEqual(new Float64Array([2.5, 7]));
    expect(t.diagnostics.map((d) => [d.code, d.count, d.lines])).toEqual([["track-time", 1, [3]], ["track-value", 1, [4]]]);
    const gc = readTrack("[100ns][gc] Using G1\ngarbage line\n[2000000000ns][gc] GC(0) Pause Full (System.gc()) 10M->5M(256M) 12.500ms\n", "x.gc.log");
    expect(gc.diagnostics.map((d) => [d.code, d.lines])).toEqual([["track-line", [2]]]);
    expect([gc.clock, gc.strings[gc.events.kind[0]], gc.strings[gc.events.detail[0]], gc.events.start[0]]).toEqual(["relative", "full", "GC(0) System.gc() 10M->5M(256M)", 1.9875]);
  });
  it("refuses a file with nothing usable, naming it and its first bad line", () => {
    expect(() => readTrack("hello\nworld\n", "app.log")).toThrow("app.log: no events in it (line 1: lines the event pattern does not match were skipped)");
    expect(() => readTrack("time,v\nx,1\n", "m.csv")).toThrow(/^m.csv: no values in it \(line 2/);
    // A file that must be a GC log (the report site's NAME.gc.log) and is not one.
    expect(() => readTrack("time,v\n1,2\n", "app.gc.log", {only: ["jvm-gc", "node-gc"]})).toThrow("app.gc.log: not a JVM unified GC log (-Xlog:gc) or Node --trace-gc output");
    expect(readTrack("[100ns][gc] GC(0) Pause Full (System.gc()) 10M->5M(256M) 12.500ms\n", "app.gc.log", {only: ["jvm-gc", "node-gc"]}).format).toBe("jvm-gc");
  });
  it("a wall-clock log without a reference time goes to x = 0 with a warning", () => {
    const a = alignTrack(readTrack("time,v\n1796197634000,1\n1796197635000,2\n", "m.csv"), profile);
    expect([a.alignment.method, a.alignment.uncertainty, a.seriesTime[0][0]]).toEqual(["none", null, 0]);
    expect(a.warnings[0]).toMatch(/no reference time/);
  });
  it("conditions: syntax errors, unknown series, percentiles", () => {
    expect(() => parseCondition("latency 200")).toThrow(/SERIES>VALUE/);
    expect(parseCondition("p99 >= 2.5")).toEqual({series: "p99", op: ">=", threshold: 2.5});
    expect(parseCondition("lat>p90")).toEqual({series: "lat", op: ">", threshold: {percentile: 90}});
    expect(parseCondition(" req count <-1.5e3 ")).toEqual({series: "req count", op: "<", threshold: -1500});
    for (const bad of [">1", "a>1x", "a<=p", "a"]) expect(() => parseCondition(bad), bad).toThrow(/SERIES>VALUE/);
    expect(() => parseCondition("huge>1e400")).toThrow('"huge>1e400": 1e400 is beyond any number a series holds');
    // Linear in its length: a long run of spaces and no operator took 27 s at 100,000.
    const t0 = performance.now();
    expect(() => parseCondition(`a${" ".repeat(200_000)}x`)).toThrow(/SERIES>VALUE/);
    expect(() => parseCondition(`a${" ".repeat(200_000)}top x%`)).toThrow(/SERIES>VALUE/);
    expect(() => parseCondition(`a${"> ".repeat(100_000)}x`)).toThrow(/SERIES>VALUE/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(parseCondition("lat<-1.5e3")).toEqual({series: "lat", op: "<", threshold: -1500});
    expect(parseCondition(" lat <= 7 ")).toEqual({series: "lat", op: "<=", threshold: 7});
    expect(parseCondition("p99 latency TOP 10%")).toEqual({series: "p99 latency", rank: "top", percent: 10});
    expect(parseCondition("lat bottom 2.5 %")).toEqual({series: "lat", rank: "bottom", percent: 2.5});
    // a series name may hold the operators' characters: the threshold at the end tells them apart
    expect(parseCondition("<b>a>=b</b>>=3")).toEqual({series: "<b>a>=b</b>", op: ">=", threshold: 3});
    for (const bad of [">200", "lat>", "lat top 10", "lat top 0%", "lat top 100%", "lat>>", "lat=3", "lat > p"]) expect(() => parseCondition(bad), bad).toThrow(/a condition is|over 0%/);
    // formatCondition reads back as the same condition
    for (const text of ["lat>200", "lat>=p90", "a b<-2", "x<=0.5", "lat top 10%", "lat bottom 2.5%", "<i>>1"]) expect(formatCondition(parseCondition(text))).toBe(text);
    expect(describeCondition(parseCondition("lat top 10%"), 12)).toBe("lat > 12 (the top 10%)");
    expect(describeCondition(parseCondition("lat bottom 5%"), 1)).toBe("lat < 1 (the bottom 5%)");
    expect(describeCondition(parseCondition("lat>=p50"), 3)).toBe("lat >= 3 (p50)");
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    const a = alignTrack(readTrack("time,v\n101,1\n102,2\n", "m.csv"), profile, {offset: -100 + 100});
    expect(() => conditionSelection(profile, [a], parseCondition("nope>1"))).toThrow('no series named "nope"; the tracks have "v"');
  });
  it("hostile long lines are read in linear time, and a record nested too deeply is a warning", () => {
    // Each of these took seconds at 40,000 characters and minutes at 400,000 when a
    // pattern retried every split of the line; linear, all of them take well under one.
    const n = 400_000;
    const decorations = "[3000000000ns][gc] ";
    const gcLog = `[100ns][gc] Using G1\n[2000000000ns][gc] GC(0) Pause Full (System.gc()) 10M->5M(256M) 12.500ms\n`;
    const nodeGc = "[1:0x1]  5 ms: Scavenge 1.0 (2.0) -> 1.0 (2.0) MB, 1.5 / 0.0 ms  allocation failure\n";
    const hostile: [string, string, number][] = [
      ["x.gc.log", `${gcLog}${decorations}GC(1) Pause Young ${"->".repeat(n / 2)} x\n`, 1],
      ["x.gc.log", `${gcLog}${"[]".repeat(n / 2)}\u2028\n`, 1],
      ["x.gc.log", `${nodeGc}[1:0x1]  5 ms: ${"A ".repeat(n / 2)}\n`, 1],
      ["x.events.log", `2026-12-02T07:47:20Z a${" ".repeat(n)}x\n2026-12-02T07:47:21Z a${" \t".repeat(n / 2)}x\n`, 2],
    ];
    for (const [source, log, events] of hostile) {
      const t0 = performance.now();
      expect(readTrack(log, source).events.length, source).toBe(events);
      expect(performance.now() - t0, `${source}: ${log.slice(0, 80)}`).toBeLessThan(3000);
    }
    // Range words still pair after any white space, and only at a word's end.
    const ranges = readTrack("2026-12-02T07:47:20Z cache\t refresh  started now\n2026-12-02T07:47:21Z cache\t refresh finished rows=5\n2026-12-02T07:47:22Z restarting\n", "r.events.log");
    expect([...ranges.events.label].map((i) => ranges.strings[i])).toEqual(["cache\t refresh", "restarting"]);
    expect([ranges.events.duration[0], ranges.strings[ranges.events.detail[0]]]).toEqual([1, "rows=5"]);
    // A duration of 400 digits reads as Infinity: skipped and counted, never a bar from -Infinity.
    const huge = readTrack(`${gcLog}[3000000000ns][gc] GC(1) Pause Young (Normal) 10M->5M(256M) ${"9".repeat(400)}ms\n`, "h.gc.log");
    expect([huge.events.length, huge.diagnostics.map((d) => [d.code, d.lines])]).toEqual([1, [["track-range", [3]]]]);
    const deep = readTrack(`[${"[".repeat(20_000)}${"]".repeat(20_000)}, {"time": 1796197634000, "v": 1}]`, "m.json");
    expect([deep.series[0].value[0], deep.diagnostics.map((d) => d.example)]).toEqual([1, ["(a record nested too deeply to read)"]]);
  });
  it("tells formats by content and name", () => {
    expect(trackFormat("a.txt", "[1:0xabc]      12 ms: Scavenge 1 (2) -> 1 (2) MB, 0.5 / 0.0 ms  x;\n")).toBe("node-gc");
    expect(trackFormat("a.csv", "time,v\n")).toBe("metrics");
    expect(trackFormat("a.log", "2026-01-01T00:00:00Z hello\n")).toBe("events");
  });
});

describe("drawing", () => {
  it("draws tracks above the heat map on its x axis, escaping their text", () => {
    const profile = parsePerfScript([
      "# reference time: 2026-12-02 07:47:13.000000 = 1796197633.000000 (TOD) = 100.000000000 (monotonic)",
      perfText([0.1, 0.5, 1.2, 1.25, 2.7, 3.3].map((t) => ({time: (100 + t).toFixed(6), stack: ["main", "work"]}))),
    ].join("\n"), {source: "small.perf"});
    const gc = alignTrack(readTrack([
      "[100500000000ns][gc,start] GC(0) Pause Young (Normal) (G1 Evacuation Pause)",
      "[100540000000ns][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 10M->5M(64M) 40.000ms",
      "[102000000000ns][gc] GC(1) Concurrent Mark Cycle 600.000ms",
      "[103300000000ns][gc] GC(2) Pause Remark 9M->9M(64M) 2.000ms",
    ].join("\n"), "svc.gc.log"), profile);
    const metrics = alignTrack(readTrack("time,p99_ms\n1796197633000,2\n1796197634000,40\n1796197635000,3\n1796197636000,5\n", "svc.metrics.csv"), profile);
    const events = alignTrack(readTrack("2026-12-02T07:47:14.200Z INFO [x] <script>alert(1)</script> start\n2026-12-02T07:47:14.700Z INFO [x] <script>alert(1)</script> end\n", "svc.events.log"), profile);
    const svg = heatmapSvg(heatmap(profile, {rows: 10}), {document: svgDocument(), tracks: [gc, metrics, events], title: "small"});
    const doc = parseSvg(svg);
    expect(doc.querySelectorAll("svg.subsecond-track-chart").length).toBe(3);
    expect(svg).not.toContain("<script>");
    expect([...doc.querySelectorAll("title")].some((t) => t.textContent!.startsWith("<script>alert(1)</script>\nevent: 1.200 s – 1.700 s (500 ms)"))).toBe(true);
    snapshot("heatmap-tracks.svg", svg);
  });
});
