// --track on heatmap and info, flamegraph --when … --vs rest, on the recorded captures
// of test/fixtures/timeline.
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {MAX_DRAWN_TRACK_RECORDS} from "../../src/cli/tracks.js";
import {runCli, tempFolder} from "./run.js";

const DIR = new URL("../fixtures/timeline/", import.meta.url).pathname;
const P = DIR + "jvm-latency.perf.gz";

describe("timelines on the command line", () => {
  it("info says how each track was placed", () => {
    const r = runCli(["info", P, "--track", DIR + "jvm-latency.gc.log.gz", "--track", DIR + "jvm-latency.gc-time.log.gz", "--track", `${DIR}node-trace-gc.gc.log.gz@2.5`]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`track ${DIR}jvm-latency.gc.log.gz: jvm-gc, 40 events\n  alignment: monotonic clock (the timenanos decoration (System.nanoTime: CLOCK_MONOTONIC)): exact on perf's clock; ±1 ns (the log's resolution)\n  on the heat map: 2.685 s to 29.558 s\n`);
    expect(r.stdout).toContain("  alignment: wall clock via the profile's reference time (2026-12-02 07:47:13.274539 = 1796197633.274539 (TOD) = 2956.026260819 (monotonic)): ±2 ms");
    expect(r.stdout).toContain("  alignment: explicit offset: --trace-gc's milliseconds since the V8 isolate started (no clock places it: give an offset); 0 placed at x = 2.5");
    const json = JSON.parse(runCli(["info", P, "--json", "--track", DIR + "jvm-latency.metrics.csv"]).stdout);
    expect(json.tracks[0].alignment.method).toBe("reference-time");
    expect(json.tracks[0].series).toEqual([{name: "latency_p99_ms", points: 30}, {name: "latency_p50_ms", points: 30}, {name: "requests", points: 30}]);
  });

  it("heatmap draws the tracks above the map; a track outside the span is a warning", () => {
    const {file} = tempFolder("timeline");
    const out = file("placeholder", "").replace(/placeholder$/, "map.svg");
    const r = runCli(["heatmap", P, "--track", DIR + "jvm-latency.gc.log.gz", "--track", `${DIR}jvm-latency.metrics.csv@3600`, "-o", out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("jvm-latency.metrics.csv@3600".replace("@3600", "") + ": all 90 records lie outside");
    const svg = readFileSync(out, "utf8");
    expect(svg.match(/ subsecond-track-chart"/g)?.length).toBe(4);
  });

  it("a track of more records than a heat map draws is refused naming it, before any drawing; info reads it", () => {
    // A million events once aborted heatmap out of memory after a minute.
    const {file} = tempFolder("timeline-big");
    const log = file("many.events.log", Array.from({length: MAX_DRAWN_TRACK_RECORDS + 1}, (_, i) => `2026-12-02T07:47:${String(14 + Math.floor(i / 2000)).padStart(2, "0")}.${String(i).padStart(9, "0")}Z e\n`).join(""));
    const r = runCli(["heatmap", P, "--track", log, "-o", log.replace(/many.events.log$/, "map.svg")]);
    expect([r.status, r.stderr.trim()]).toEqual([1, `subsecond heatmap: ${log}: ${MAX_DRAWN_TRACK_RECORDS + 1} events and points, over the ${MAX_DRAWN_TRACK_RECORDS} a heat map draws (info --track and flamegraph --when read it)`]);
    expect(runCli(["info", P, "--track", log]).stdout).toContain(`track ${log}: events, ${MAX_DRAWN_TRACK_RECORDS + 1} events`);
  });

  it("flamegraph --when SERIES>VALUE --vs rest: the refresh grows", () => {
    const r = runCli(["flamegraph", P, "--track", DIR + "jvm-latency.metrics.csv", "--when", "latency_p99_ms>100", "--vs", "rest", "--format", "top"]);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("latency_p99_ms > 100: 4 of 30 points, 4 s: 209 samples of cpu-clock:ppp vs the rest (739 samples): red grew, blue shrank");
    const changes = r.stdout.slice(r.stdout.indexOf("largest changes")).split("\n");
    expect(changes.slice(1, 3).join("\n")).toContain("+14.0       java.util.Map RequestChurn.loadPriceSnapshot(java.util.concurrent.ThreadLocalRandom, int)");
    const decile = runCli(["flamegraph", P, "--track", DIR + "jvm-latency.metrics.csv", "--when", "latency_p99_ms>p90", "--format", "top"]);
    expect(decile.stdout.split("\n")[0]).toBe("latency_p99_ms > 138.926 (p90): 3 of 30 points, 3 s: 162 samples of cpu-clock:ppp");
  });

  it("flamegraph --when 'SERIES top 10%' and the other operators: the same parser as the library", () => {
    const top = runCli(["flamegraph", P, "--track", DIR + "jvm-latency.metrics.csv", "--when", "latency_p99_ms top 10%", "--format", "top"]);
    expect(top.stdout.split("\n")[0]).toBe("latency_p99_ms > 138.926 (the top 10%): 3 of 30 points, 3 s: 162 samples of cpu-clock:ppp");
    const low = runCli(["flamegraph", P, "--track", DIR + "jvm-latency.metrics.csv", "--when", "requests<=p50", "--vs", "rest", "--format", "top"]);
    expect(low.stdout.split("\n")[0]).toMatch(/^requests <= 1000 \(p50\): 20 of 30 points, 20 s: \d+ samples of cpu-clock:ppp vs the rest \(\d+ samples\)/);
  });

  it("bad usage says what is wrong", () => {
    expect(runCli(["flamegraph", P, "--when", "latency"]).stderr).toMatch(/--when: a condition is SERIES>VALUE/);
    expect(runCli(["flamegraph", P, "--when", "x>1"]).stderr).toMatch(/--when needs the --track/);
    expect(runCli(["flamegraph", P, "--vs", "rest"]).stderr).toMatch(/--vs rest is the rest of a --when selection/);
    const r = runCli(["flamegraph", P, "--track", DIR + "jvm-latency.metrics.csv", "--when", "p999>1"]);
    expect([r.status, r.stderr.trim()]).toEqual([1, 'subsecond flamegraph: no series named "p999"; the tracks have "latency_p99_ms", "latency_p50_ms", "requests"']);
    const missing = runCli(["heatmap", P, "--track", DIR + "nope.log", "--format", "json"]);
    expect([missing.status, missing.stderr]).toEqual([1, expect.stringContaining(`${DIR}nope.log: ENOENT`)]);
  });
});
