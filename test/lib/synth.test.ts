import {describe, expect, it} from "vitest";
import type {SampleFilter} from "../../src/lib/filter.js";
import {flameTree, searchTree} from "../../src/lib/flametree.js";
import {cellCount, heatmap, type Heatmap} from "../../src/lib/heatmap.js";
import {idleStacks} from "../../src/lib/idle.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {stackComm, wallClockMs, type Profile} from "../../src/lib/profile.js";
import {cellBlock, timeRange, type Selection} from "../../src/lib/selection.js";
import {
  busyWaitMs, fitDiagonal, PATTERN_NAMES, slopeFormulaMs, PATTERNS, patternInfo, perfScriptText, synthesize, synthPlan, workAt,
  type SynthOptions, type SynthPlan, type TimeSpan,
} from "../../src/lib/synth/index.js";
import {bucketStart, NS} from "../../src/lib/time.js";

const ROWS = 50;

/** Each pattern's plan, text and profile at its defaults, made once for the file. */
const made = new Map<string, {plan: SynthPlan; text: string; profile: Profile}>();
function make(name: string) {
  let m = made.get(name);
  if (!m) {
    const plan = synthPlan(name);
    const text = perfScriptText(plan);
    made.set(name, (m = {plan, text, profile: parsePerfScript(text, {source: name})}));
  }
  return m;
}

/** Share of a selection's counted samples under a function named `fn`. */
function share(profile: Profile, selection: Selection, fn: string, filter?: SampleFilter): number {
  return searchTree(flameTree(profile, selection, {filter}), new RegExp(`^${fn}$`)).fraction;
}

/** Buckets (rows) holding any of the map's samples. */
function occupiedRows(map: Heatmap): number[] {
  const rows: number[] = [];
  for (let b = 0; b < map.rows; b++) {
    for (let c = 0; c < map.columns; c++) if (cellCount(map, c, b) > 0) { rows.push(b); break; }
  }
  return rows;
}

/** The cells lying wholly inside [from, to) (ns since the origin). */
function cellsWithin(from: number, to: number, rows = ROWS): {second: number; bucket: number}[] {
  const cells = [];
  for (let second = Math.floor(from / NS); second * NS < to; second++) {
    for (let bucket = 0; bucket < rows; bucket++) {
      const start = second * NS + bucketStart(bucket, rows), end = second * NS + bucketStart(bucket + 1, rows);
      if (start >= from && end <= to) cells.push({second, bucket});
    }
  }
  return cells;
}

/** The application's threads, not the machine's background work (kworkers, RCU,
 * journald), which runs on CPUs the application leaves idle. */
const APP = /^(api-worker-\d+|cache-refresh)$/;

const spans = (episodes: TimeSpan[]): Selection => episodes.map((e) => ({kind: "range", from: e.start, to: e.end}));

describe("every pattern", () => {
  it("has 17 patterns with unique kebab-case names, titles, functions, descriptions", () => {
    expect(PATTERNS).toHaveLength(17);
    expect(new Set(PATTERN_NAMES).size).toBe(17);
    for (const p of PATTERNS) {
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.title.length).toBeGreaterThan(3);
      expect(p.function).toMatch(/^[a-z_]+$/);
      expect(p.description).toMatch(/^[A-Z].*\.$/);
    }
  });

  it.each(PATTERN_NAMES)("%s parses cleanly: header, CPUs, columns, 49 Hz per CPU", (name) => {
    const {plan, profile} = make(name);
    const seconds = plan.options.seconds;
    expect(profile.diagnostics.entries).toEqual([]);
    expect(profile.events).toEqual([{name: "cpu-clock:ppp", callchain: true}]);
    expect(profile.header).toMatchObject({nrcpusOnline: 4, nrcpusAvail: 4, perfVersion: "6.8.12", arch: "x86_64"});
    expect(profile.header.cmdline).toBe(`/usr/bin/perf record -F 49 -a -g -k CLOCK_MONOTONIC -- sleep ${seconds}`);
    expect(profile.origin).toBe(5086);
    // perf took its reference time just before the first sample.
    const ref = profile.header.referenceTime!;
    expect(ref.perf).toBeLessThan(5086 + profile.samples.time[0] / NS);
    expect(ref.perf).toBeGreaterThan(5085.99);
    expect(wallClockMs(profile, 0)).toBeCloseTo((ref.epoch - (ref.perf - 5086)) * 1000, 0);
    expect(heatmap(profile, {rows: ROWS}).columns).toBe(seconds);
    for (let cpu = 0; cpu < 4; cpu++) {
      const n = profile.samples.cpu.filter((c) => c === cpu).length;
      expect(n).toBe(49 * seconds);
    }
    expect(profile.samples.weight.every((w) => w === 20408163)).toBe(true);
  });

  it.each(PATTERN_NAMES)("%s: samples are busy exactly where the plan runs a thread, and show that thread", (name) => {
    const {plan, profile} = make(name);
    const idle = idleStacks(profile);
    const {time, cpu, stack, thread} = profile.samples;
    let busy = 0, wrong = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const work = workAt(plan, cpu[i], time[i]);
      if (work) busy++;
      const comm = stackComm(profile, stack[i]);
      const ok = work
        ? !idle[stack[i]] && comm === work.thread.comm && profile.threads.tid[thread[i]] === work.thread.tid
        : idle[stack[i]] === 1 && comm === "swapper";
      if (!ok) wrong++;
    }
    expect(wrong).toBe(0);
    expect(busy).toBeGreaterThan(0);
    // FlameScope's own idle rule agrees: every swapper sample is an idle-loop stack.
    expect(heatmap(profile, {idle: "flamescope"}).samples).toBe(busy);
  });

  it("prints perf's exact line formats", () => {
    const text = make("cpus-50").text;
    expect(text.endsWith(")\n\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    const body = lines.slice(lines.indexOf("#", lines.lastIndexOf("# ========")) + 1);
    let events = 0;
    for (let i = 0; i < body.length; i++) {
      const line = body[i];
      if (line === "") {
        expect(i === body.length - 1 || /^\S/.test(body[i + 1])).toBe(true);
        continue;
      }
      if (line.startsWith("\t")) {
        expect(line).toMatch(/^\t {0,15}[0-9a-f]{1,16} [\w.]+\+0x[0-9a-f]+ \((\[kernel\.kallsyms\]|\[vdso\]|\/[\w./-]+)\)$/);
        expect(line.length - line.trimStart().length + line.trimStart().indexOf(" ")).toBe(17);
      } else {
        expect(line).toMatch(/^[\w/:.-]+ +\d{1,5} \[\d{3}\] +\d+\.\d{6}: +20408163 cpu-clock:ppp: $/);
        expect(line.indexOf(" [")).toBe(line.indexOf(" ") + 6);
        events++;
      }
    }
    expect(events).toBe(4 * 49 * 60);
    expect(lines[0]).toBe("# ========");
    expect(lines).toContain("# clockid: monotonic (1)");
  });
});

describe("periodic threads", () => {
  it("one thread, once per second: one row holds the thread's samples, in every column", () => {
    const {profile} = make("one-thread-once");
    const map = heatmap(profile, {rows: ROWS, filter: {comm: "metricsd"}});
    const rows = occupiedRows(map);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toBe(15); // woken at 300 ms
    for (let c = 0; c < map.columns; c++) expect(cellCount(map, c, rows[0])).toBeGreaterThan(0);
    // The stripe's flame graph is the thread's; the whole profile's is diluted by noise.
    const stripe = [cellBlock(0, map.columns - 1, rows[0], rows[0], ROWS)];
    expect(share(profile, stripe, "flush_metrics")).toBeGreaterThanOrEqual(0.9);
    expect(share(profile, null, "flush_metrics")).toBeLessThan(share(profile, stripe, "flush_metrics"));
  });

  it("one thread, twice per second: two rows about 500 ms apart, one thread", () => {
    const {profile} = make("one-thread-twice");
    const map = heatmap(profile, {rows: ROWS, filter: {comm: "heartbeat"}});
    const rows = occupiedRows(map);
    expect(rows).toHaveLength(2);
    expect(rows[1] - rows[0]).toBeGreaterThanOrEqual(24);
    expect(rows[1] - rows[0]).toBeLessThanOrEqual(26);
    for (const b of rows) for (let c = 0; c < map.columns; c++) expect(cellCount(map, c, b)).toBeGreaterThan(0);
    expect(new Set(profile.samples.thread.filter((t) => profile.strings[profile.threads.comm[t]] === "heartbeat")).size).toBe(1);
    expect(share(profile, [cellBlock(0, map.columns - 1, rows[0], rows[0], ROWS), cellBlock(0, map.columns - 1, rows[1], rows[1], ROWS)], "send_heartbeat")).toBeGreaterThanOrEqual(0.9);
  });

  it("two threads: a row each, at different offsets; each row's flame graph is its thread", () => {
    const {profile} = make("two-threads");
    const rowOf = (comm: string) => {
      const map = heatmap(profile, {rows: ROWS, filter: {comm}});
      const rows = occupiedRows(map);
      expect(rows).toHaveLength(1);
      for (let c = 0; c < map.columns; c++) expect(cellCount(map, c, rows[0])).toBeGreaterThan(0);
      return rows[0];
    };
    const db = rowOf("probe-db"), cache = rowOf("probe-cache");
    expect(db).not.toBe(cache);
    for (const [row, comm] of [[db, "probe-db"], [cache, "probe-cache"]] as const) {
      const tree = flameTree(profile, [cellBlock(0, 59, row, row, ROWS)], {order: "total"});
      expect(tree.root.children[0].name).toBe(comm);
      expect(tree.root.children[0].total / tree.samples).toBeGreaterThanOrEqual(0.9);
      expect(share(profile, [cellBlock(0, 59, row, row, ROWS)], "run_health_probe")).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe("busy-wait lines", () => {
  it("busyWaitMs inverts the climb of b ms of work per S ms of sleep: 1000 b / (S + b) ms per column", () => {
    const slope = (busyMs: number, sleepMs: number, rows = 50) => ((1000 * busyMs) / (sleepMs + busyMs)) / (1000 / rows);
    expect(busyWaitMs(slope(20, 1000), 50)).toBeCloseTo(20, 9);
    expect(busyWaitMs(slope(80, 1000), 50)).toBeCloseTo(80, 9);
    expect(busyWaitMs(slope(20, 1000, 100), 100)).toBeCloseTo(20, 9);
    expect(busyWaitMs(slope(20, 500), 50, 500)).toBeCloseTo(20, 9);
    expect(busyWaitMs(slope(20, 5000), 50, 5000)).toBeCloseTo(20, 9);
    // Gregg's rule of thumb, busy = slope × 1000 / rows, is close for light work only.
    expect(slope(20, 1000) * 20).toBeCloseTo(19.6, 1);
    expect(slope(80, 1000) * 20).toBeCloseTo(74.1, 1);
  });

  it("the guide's formula, busy_time = (1000 ms / (rows × spacing)) × tan(angle), applied to the measured slope gives back 20 ms", () => {
    for (const [name, spacing] of [["busy-wait-once", 1], ["busy-wait-twice", 2], ["busy-wait-every-5s", 0.2]] as const) {
      const {profile} = make(name);
      const map = heatmap(profile, {rows: ROWS, filter: {comm: "poller"}});
      const tanAngle = fitDiagonal(map, spacing === 2 ? 2 : 1).slope; // square cells: rows per column
      expect(slopeFormulaMs(tanAngle, ROWS, spacing), name).toBeGreaterThan(19);
      expect(slopeFormulaMs(tanAngle, ROWS, spacing), name).toBeLessThan(21);
    }
  });

  it.each([
    ["busy-wait-once", 1, 1000],
    ["busy-wait-twice", 2, 500],
    ["busy-wait-heavy", 1, 1000],
    ["busy-wait-light", 1, 1000],
    ["busy-wait-every-5s", 1, 5000],
  ] as const)("%s: the line's slope gives back the busy time", (name, lines, sleepMs) => {
    const {plan, profile} = make(name);
    const busyMs = plan.options.busyMs;
    expect(plan.options.sleepMs).toBe(sleepMs);
    const map = heatmap(profile, {rows: ROWS, filter: {comm: "poller"}});
    const fit = fitDiagonal(map, lines);
    expect(fit.slope).toBeCloseTo((1000 * busyMs) / (sleepMs + busyMs) / 20, 1);
    expect(busyWaitMs(fit.slope, ROWS, sleepMs)).toBeGreaterThan(busyMs * 0.97);
    expect(busyWaitMs(fit.slope, ROWS, sleepMs)).toBeLessThan(busyMs * 1.03);
    // A line, not a cloud: every sample's cell lies within its burst's height of the
    // (wrapped, folded) fitted line...
    const fold = ROWS / lines;
    const reach = busyMs / 20 + 1;
    const distance = (c: number, b: number) => {
      const off = (((b + 0.5 - fit.intercept - fit.slope * c) % fold) + fold) % fold;
      return Math.min(off, fold - off);
    };
    for (let c = 0; c < map.columns; c++) {
      for (let b = 0; b < ROWS; b++) if (cellCount(map, c, b) > 0) expect(distance(c, b)).toBeLessThanOrEqual(reach);
    }
    // ...and selecting those cells (whatever else runs) gives the busy-wait's flame graph.
    const line: Selection = [];
    for (let c = 0; c < map.columns; c++) {
      for (let b = 0; b < ROWS; b++) if (distance(c, b) <= reach) line.push(cellBlock(c, c, b, b, ROWS));
    }
    expect(share(profile, line, "busy_wait_spin")).toBeGreaterThan(0.6);
  });

  it("the once-per-second line rises (nearly) one row per column", () => {
    const map = heatmap(make("busy-wait-once").profile, {rows: ROWS, filter: {comm: "poller"}});
    expect(fitDiagonal(map).slope).toBeCloseTo(1, 1);
    // At 100 rows it rises two.
    expect(fitDiagonal(heatmap(make("busy-wait-once").profile, {rows: 100, filter: {comm: "poller"}})).slope).toBeCloseTo(2, 1);
  });
});

describe("utilization", () => {
  it.each([
    ["cpus-100", 1],
    ["cpus-50", 0.5],
    ["cpus-25", 0.25],
    ["cpus-5", 0.05],
  ] as const)("%s: the non-idle share of samples is near %d, evenly over the offsets", (name, level) => {
    const {profile} = make(name);
    const map = heatmap(profile, {rows: ROWS});
    expect(map.samples / profile.samples.length).toBeGreaterThan(level - Math.max(0.015, level * 0.06));
    expect(map.samples / profile.samples.length).toBeLessThan(level + Math.max(0.015, level * 0.06));
    // No structure in the offsets: each row (but the top one, see below) holds about
    // the same share. 49 Hz puts 49 samples a second into 50 rows, so the top row of
    // every CPU that started sampling on a whole second stays empty.
    const perRow = Array.from({length: ROWS}, (_, b) => {
      let n = 0;
      for (let c = 0; c < map.columns; c++) n += cellCount(map, c, b);
      return n;
    });
    expect(perRow[ROWS - 1]).toBe(0);
    const mean = map.samples / (ROWS - 1);
    for (const n of perRow.slice(0, -1)) expect(Math.abs(n - mean)).toBeLessThan(Math.max(0.2 * mean, 4 * Math.sqrt(mean)));
  });

  it("at 100 % every cell holds one sample per CPU", () => {
    const map = heatmap(make("cpus-100").profile, {rows: ROWS});
    for (let c = 0; c < map.columns; c++) for (let b = 0; b < ROWS - 1; b++) expect(cellCount(map, c, b)).toBe(4);
  });

  it("load increasing: columns grow busier over two minutes", () => {
    const {profile} = make("load-increasing");
    const map = heatmap(profile, {rows: ROWS});
    const busy = Array.from({length: map.columns}, (_, c) => {
      let n = 0;
      for (let b = 0; b < ROWS; b++) n += cellCount(map, c, b);
      return n / (4 * 49);
    });
    expect(map.columns).toBe(120);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    expect(mean(busy.slice(0, 10))).toBeLessThan(0.15);
    expect(mean(busy.slice(-10))).toBeGreaterThan(0.85);
    // Least-squares slope: (1 - 0.02) over 120 columns.
    const xs = busy.map((_, i) => i), mx = mean(xs), my = mean(busy);
    const slope = xs.reduce((s, x, i) => s + (x - mx) * (busy[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(0.98 / 120 * 0.85);
    expect(slope).toBeLessThan(0.98 / 120 * 1.15);
  });

  it("5 s of load every 30 s: busy five-column bands of the batch job", () => {
    const {plan, profile} = make("load-5s-every-30s");
    expect(plan.episodes.map((e) => [e.start / NS, e.end / NS])).toEqual([[10, 15], [40, 45], [70, 75], [100, 105]]);
    const map = heatmap(profile, {rows: ROWS});
    const keep = heatmap(profile, {rows: ROWS, idle: "keep"});
    const columnShare = (c: number) => {
      let n = 0, all = 0;
      for (let b = 0; b < ROWS; b++) { n += cellCount(map, c, b); all += cellCount(keep, c, b); }
      return n / all;
    };
    for (let c = 0; c < map.columns; c++) {
      const inBurst = plan.episodes.some((e) => e.start <= c * NS && c * NS < e.end);
      if (inBurst) expect(columnShare(c)).toBeGreaterThan(0.8);
      else expect(columnShare(c)).toBeLessThan(0.3);
    }
    expect(share(profile, spans(plan.episodes), "compact_segments")).toBeGreaterThan(0.7);
    expect(share(profile, [timeRange(16, 39)], "compact_segments")).toBe(0);
  });
});

describe("perturbations and blocking", () => {
  it("perturbations: every CPU busy for the whole episode, in GC", () => {
    const {plan, profile} = make("perturbations");
    expect(plan.episodes.length).toBeGreaterThanOrEqual(5);
    const map = heatmap(profile, {rows: ROWS});
    const keep = heatmap(profile, {rows: ROWS, idle: "keep"});
    for (const e of plan.episodes) {
      const cells = cellsWithin(e.start, e.end);
      expect(cells.length).toBeGreaterThanOrEqual(5);
      for (const {second, bucket} of cells) expect(cellCount(map, second, bucket)).toBe(cellCount(keep, second, bucket));
    }
    expect(share(profile, spans(plan.episodes), "gc_mark_heap")).toBe(1);
    expect(share(profile, null, "gc_mark_heap")).toBeLessThan(0.3);
  });

  it("CPU blocking: every CPU idle through each gap, and blocking_io_wait just at its start", () => {
    const {plan, profile} = make("cpu-blocking");
    expect(plan.episodes.length).toBeGreaterThanOrEqual(5);
    let checked = 0;
    for (let cpu = 0; cpu < 4; cpu++) {
      const map = heatmap(profile, {rows: ROWS, filter: {cpu, comm: APP}});
      const keep = heatmap(profile, {rows: ROWS, filter: {cpu}, idle: "keep"});
      for (const e of plan.episodes) {
        // The first 12 ms of a gap may hold the read that blocks.
        for (const {second, bucket} of cellsWithin(e.start + 12e6, e.end)) {
          expect(cellCount(map, second, bucket)).toBe(0);
          checked += cellCount(keep, second, bucket);
        }
      }
    }
    expect(checked).toBeGreaterThan(plan.episodes.length * 4 * 5);
    const starts: Selection = plan.episodes.map((e) => timeRange(e.start / NS, e.start / NS + 0.012));
    expect(flameTree(profile, starts).samples).toBeGreaterThan(0);
    expect(share(profile, starts, "blocking_io_wait")).toBe(1);
    // Around the gaps the CPUs are busy.
    expect(heatmap(profile, {rows: ROWS}).samples / profile.samples.length).toBeGreaterThan(0.5);
  });

  it("single-threaded blocking: exactly one CPU busy through each gap, in the cache rebuild", () => {
    const {plan, profile} = make("single-threaded-blocking");
    expect(plan.episodes.length).toBeGreaterThanOrEqual(5);
    const perCpu = [0, 1, 2, 3].map((cpu) => ({
      map: heatmap(profile, {rows: ROWS, filter: {cpu, comm: APP}}),
      keep: heatmap(profile, {rows: ROWS, filter: {cpu}, idle: "keep"}),
    }));
    for (const e of plan.episodes) {
      const cells = cellsWithin(e.start, e.end);
      const busyCpus = perCpu.filter(({map}) => cells.some((c) => cellCount(map, c.second, c.bucket) > 0));
      expect(busyCpus).toHaveLength(1);
      // ...and that one is busy in every cell.
      for (const c of cells) expect(cellCount(busyCpus[0].map, c.second, c.bucket)).toBe(cellCount(busyCpus[0].keep, c.second, c.bucket));
    }
    expect(share(profile, spans(plan.episodes), "cache_refresh_rebuild", {comm: APP})).toBe(1);
  });
});

describe("options and determinism", () => {
  it("the same seed gives the same text; another seed another", () => {
    const a = synthesize("cpus-25", {seconds: 5, seed: 7});
    expect(synthesize("cpus-25", {seconds: 5, seed: 7})).toBe(a);
    expect(synthesize("cpus-25", {seconds: 5, seed: 8})).not.toBe(a);
    expect(perfScriptText(synthPlan("cpus-25", {seconds: 5, seed: 7}))).toBe(a);
  });

  it("takes CPUs, rate, length and start", () => {
    const options: SynthOptions = {cpus: 2, hz: 99, seconds: 10, start: 700.5};
    const profile = parsePerfScript(synthesize("cpus-50", options));
    expect(profile.diagnostics.entries).toEqual([]);
    expect(profile.header.nrcpusOnline).toBe(2);
    expect(new Set(profile.samples.cpu)).toEqual(new Set([0, 1]));
    expect(profile.samples.length).toBe(2 * 990);
    expect(profile.samples.weight[0]).toBe(10101010);
    expect(profile.origin).toBe(700);
    expect(profile.samples.time[0]).toBeGreaterThanOrEqual(0.5 * NS);
    expect(profile.samples.time[0]).toBeLessThan(0.501 * NS);
    expect(heatmap(profile).columns).toBe(11);
  });

  it("pattern knobs change the pattern", () => {
    const map = heatmap(parsePerfScript(synthesize("busy-wait-once", {busyMs: 40})), {rows: ROWS, filter: {comm: "poller"}});
    expect(busyWaitMs(fitDiagonal(map).slope, ROWS)).toBeCloseTo(40, 0);
  });

  it("rejects unknown patterns and bad options, naming what is valid", () => {
    expect(() => synthesize("nope")).toThrow(/unknown pattern "nope" \(patterns: one-thread-once, .*single-threaded-blocking\)/);
    expect(() => patternInfo("")).toThrow(/patterns:/);
    expect(() => synthesize("cpus-50", {cpus: 0})).toThrow(/cpus must be/);
    expect(() => synthesize("cpus-50", {utilization: 2})).toThrow(/utilization must be/);
    expect(() => synthesize("one-thread-once", {wakeMs: [1000]})).toThrow(/wakeMs must be/);
  });
});
