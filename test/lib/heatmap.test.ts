import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {compileSelector} from "../../src/lib/filter.js";
import {cellCount, heatmap} from "../../src/lib/heatmap.js";
import {idleStacks} from "../../src/lib/idle.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {cellBlock} from "../../src/lib/selection.js";
import {bucketOf, bucketStart, periodOf, secondOf} from "../../src/lib/time.js";
import {sampleView} from "../../src/lib/view.js";
import {idleSample, perfText, type TestSample} from "../helpers.js";

const at = (time: string, extra: Partial<TestSample> = {}): TestSample => ({time, stack: ["main", "work"], ...extra});

describe("heatmap", () => {
  it("puts 5086.200000 in the 200 ms bucket (FlameScope's float modulo puts it in 180 ms)", () => {
    const p = parsePerfScript(perfText([at("5086.000000"), at("5086.200000")]));
    const map = heatmap(p, {rows: 50});
    expect(cellCount(map, 0, 10)).toBe(1); // 200 ms / 20 ms
    expect(cellCount(map, 0, 9)).toBe(0);
    // What FlameScope computes, for the record:
    expect(Math.floor(50 * (5086.2 % 1))).toBe(9);
  });

  it("has one column per whole second from the origin; empty seconds are zeros", () => {
    const p = parsePerfScript(perfText([at("100.5"), at("103.25")]));
    const map = heatmap(p);
    expect(map.columns).toBe(4);
    expect(map.origin).toBe(100);
    expect([...map.counts].reduce((a, b) => a + b)).toBe(2);
    expect(cellCount(map, 0, 25)).toBe(1);
    expect(cellCount(map, 3, 12)).toBe(1);
    for (const s of [1, 2]) for (let b = 0; b < 50; b++) expect(cellCount(map, s, b)).toBe(0);
  });

  it("an integer last timestamp gets its own column (FlameScope's ceil(end) drops it)", () => {
    const map = heatmap(parsePerfScript(perfText([at("100.5"), at("102.000000")])));
    expect(map.columns).toBe(3);
    expect(cellCount(map, 2, 0)).toBe(1);
  });

  it.each([10, 25, 49, 50, 99, 100, 7, 1000])("bucket edges are exact at %i rows", (rows) => {
    // A sample exactly at each bucket's first nanosecond, and one nanosecond before.
    const samples: TestSample[] = [];
    for (let b = 1; b < Math.min(rows, 60); b++) {
      const ns = bucketStart(b, rows);
      samples.push(at(`7.${String(ns).padStart(9, "0")}`), at(`7.${String(ns - 1).padStart(9, "0")}`));
    }
    const map = heatmap(parsePerfScript(perfText(samples)), {rows});
    for (let b = 1; b < Math.min(rows, 60); b++) {
      // bucket b holds its first ns; b - 1 holds the ns before (and b's own predecessor pair)
      expect(cellCount(map, 0, b)).toBeGreaterThanOrEqual(1);
    }
    const total = [...map.counts].reduce((a, c) => a + c, 0);
    expect(total).toBe(samples.length);
    expect(bucketOf(bucketStart(3, rows), rows)).toBe(Math.min(3, rows));
    expect(bucketOf(bucketStart(3, rows) - 1, rows)).toBe(Math.min(3, rows) - 1);
  });

  it("every cell's count and weight are those of its samples, one by one (property)", () => {
    // Each sample's cell found on its own (periodOf, bucketOf), against the map's walk
    // over the sorted samples, for filters that test the stack alone and ones that test
    // threads and CPUs too, cell-block selections, idle samples and folded periods.
    const sampleArb = fc.record({
      second: fc.integer({min: 0, max: 4}), ns: fc.integer({min: 0, max: 999_999_999}),
      tid: fc.constantFrom(7, 8, 9), cpu: fc.constantFrom(0, 1), period: fc.integer({min: 1, max: 5000}),
      kind: fc.constantFrom("a", "b", "idle"),
    });
    fc.assert(
      fc.property(fc.array(sampleArb, {minLength: 1, maxLength: 60}), fc.constantFrom(1, 7, 50), fc.constantFrom(undefined, "250ms", 2),
        fc.constantFrom<object>({}, {tid: [7, 9]}, {cpu: 1}, {exclude: "^b$"}), fc.boolean(), (drawn, rows, periodText, filter, block) => {
          // Every thread, CPU and stack the filters name is in the profile (a filter
          // naming what it lacks is refused).
          const always = [{second: 0, ns: 5, tid: 7, cpu: 0, period: 1, kind: "a"}, {second: 1, ns: 5, tid: 8, cpu: 1, period: 1, kind: "b"}, {second: 2, ns: 5, tid: 9, cpu: 0, period: 1, kind: "a"}];
          const text = perfText([...always, ...drawn].map((d) => {
            const time = `${1000 + d.second}.${String(d.ns).padStart(9, "0")}`;
            return d.kind === "idle" ? {...idleSample(time, d.cpu), period: d.period} : at(time, {tid: d.tid, cpu: d.cpu, period: d.period, stack: ["main", d.kind]});
          }));
          const p = parsePerfScript(text);
          const options = {rows, period: periodText, filter};
          const selection = block ? [cellBlock(0, 3, 0, Math.max(0, Math.floor(rows / 2)), rows)] : null;
          const view = sampleView(p, selection, options);
          const map = heatmap(selection ? view : p, options);
          const counts = new Uint32Array(map.counts.length), weights = new Float64Array(map.counts.length);
          for (let i = 0; i < p.samples.length; i++) {
            if (!view.has(i)) continue;
            const t = p.samples.time[i], column = periodOf(t, map.period);
            const cell = column * rows + bucketOf(t - column * map.period, rows, map.period);
            counts[cell]++;
            weights[cell] += p.samples.weight[i];
          }
          expect([...map.counts]).toEqual([...counts]);
          expect([...map.weights]).toEqual([...weights]);
          expect(map.samples).toBe(counts.reduce((a, c) => a + c, 0));
        }),
      {numRuns: 150},
    );
  });

  it("bucketOf and bucketStart agree for every rows and offset (property)", () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 100_000}), fc.integer({min: 0, max: 999_999_999}), (rows, offset) => {
        const b = bucketOf(offset, rows);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(rows);
        expect(bucketStart(b, rows)).toBeLessThanOrEqual(offset);
        expect(bucketStart(b + 1, rows)).toBeGreaterThan(offset);
      }),
      {numRuns: 2000},
    );
  });

  it("secondOf is exact just below second boundaries, far from the origin", () => {
    for (const s of [1, 2999, 3001, 86_399, 1_000_000, 8_000_000]) {
      expect(secondOf(s * 1e9 - 1)).toBe(s - 1);
      expect(secondOf(s * 1e9)).toBe(s);
    }
  });

  it("leaves idle samples out by default and counts them with idle: keep", () => {
    const p = parsePerfScript(perfText([at("1.1"), idleSample("1.2"), idleSample("1.3", 1)]));
    expect(heatmap(p).samples).toBe(1);
    expect(heatmap(p, {idle: "keep"}).samples).toBe(3);
  });

  it("filters by event, process, thread, CPU and frame", () => {
    const p = parsePerfScript(perfText([
      at("1.1", {comm: "db", tid: 7, cpu: 0}),
      at("1.2", {comm: "web", tid: 8, cpu: 1, stack: ["main", "render"]}),
      at("1.3", {comm: "web", tid: 9, cpu: 1, event: "page-faults"}),
    ]));
    const count = (filter: object) => heatmap(p, {filter}).samples;
    expect(count({})).toBe(2); // the first event (cpu-clock) by default
    expect(count({event: "page-faults"})).toBe(1);
    expect(count({comm: "web"})).toBe(1);
    expect(count({comm: /^w/, event: "page-faults"})).toBe(1);
    expect(count({tid: [7, 9]})).toBe(1);
    expect(count({cpu: 1})).toBe(1);
    expect(count({include: "render"})).toBe(1);
    expect(count({exclude: /render/})).toBe(1);
    expect(() => count({event: "cycles"})).toThrow(/no event "cycles"/);
    expect(() => count({include: "("})).toThrow(/invalid frame regular expression/);
  });

  it("refuses filters that name what the profile does not have, listing what it has", () => {
    const p = parsePerfScript(perfText([at("1.1", {comm: "db", tid: 7}), at("1.2", {comm: "web", tid: 8})]));
    const count = (filter: object) => heatmap(p, {filter}).samples;
    expect(() => count({comm: "wbe"})).toThrow(/no comm "wbe" in the profile \(comms: "db", "web"\)/);
    expect(() => count({tid: [7, 99]})).toThrow(/no tid 99 in the profile \(tids: 7, 8\)/);
    expect(() => count({pid: 5})).toThrow(/no pid 5 in the profile/);
    expect(() => count({comm: /^x/})).toThrow(/no comm matches "\^x"/);
    expect(() => count({cpu: [0, 3]})).toThrow(/no cpu 3 in the profile \(cpus: 0\)/);
    expect(() => count({cpu: -1})).toThrow(/no cpu -1 in the profile/);
    expect(count({comm: ["db", "web"], tid: 8})).toBe(1);
  });

  it("needs timestamps and says how to get them", () => {
    const p = parsePerfScript("a 1 cpu-clock:\n\t1 f (/x)\n");
    expect(() => heatmap(p)).toThrow(/perf script -F \+time/);
  });

  it("rejects rows that are not a positive whole number", () => {
    const p = parsePerfScript(perfText([at("1.1")]));
    for (const rows of [0, -1, 2.5, NaN]) expect(() => heatmap(p, {rows})).toThrow(/rows/);
  });
});

describe("idle classifiers", () => {
  const kernel = (stack: string[], comm = "swapper", tid = 0): TestSample => ({time: "1.5", comm, tid, stack, module: "[kernel.kallsyms]"});
  const irqOnIdle = kernel(["start_secondary", "cpu_startup_entry", "do_idle", "cpuidle_enter_state", "asm_common_interrupt", "__do_softirq", "net_rx_action"]);
  const halted = kernel(["start_secondary", "cpu_startup_entry", "do_idle", "default_idle_call", "pv_native_safe_halt"]);
  const modernHalt = kernel(["common_startup_64", "cpu_startup_entry", "do_idle", "cpuidle_enter_state", "intel_idle"]);
  const acpi = kernel(["cpu_startup_entry", "do_idle", "cpuidle_enter_state", "acpi_idle_enter"]);
  const xen = kernel(["cpu_bringup_and_idle", "cpu_startup_entry", "default_idle", "xen_hypercall_sched_op"]);
  const app = kernel(["main", "do_idle_work"], "app", 5);
  const idleOf = (s: TestSample, mode: "default" | "flamescope") => {
    const p = parsePerfScript(perfText([s]));
    return idleStacks(p, mode)[p.samples.stack[0]] === 1;
  };

  it.each([
    ["halt leaf", true, true, halted],
    ["intel_idle leaf", true, true, modernHalt],
    ["acpi_idle_* leaf", true, true, acpi],
    ["xen hypercall leaf", true, true, xen],
    ["softirq work on an idle CPU", false, true, irqOnIdle],
    ["an app thread", false, false, app],
  ] as const)("%s: idle by default %s, by flamescope %s", (_, byDefault, byFlamescope, sample) => {
    expect(idleOf(sample, "default")).toBe(byDefault);
    expect(idleOf(sample, "flamescope")).toBe(byFlamescope);
  });

  it("the compiled filter counts every stack that its classifier does not call idle", () => {
    // The default classifier's filter is made from the leaf frames directly, without
    // the table of idle stacks: both must agree on every stack, leaves or not.
    const p = parsePerfScript(perfText([halted, modernHalt, acpi, xen, irqOnIdle, app]));
    for (const mode of ["default", "flamescope", "keep"] as const) {
      const idle = idleStacks(p, mode);
      expect(Array.from(compileSelector(p, {idle: mode}).stackOk)).toEqual(Array.from(idle, (i) => i ^ 1));
    }
    expect(idleStacks(p).reduce((a, i) => a + i, 0)).toBeGreaterThan(0);
  });

  it("the flamescope preset equals FlameScope's regex on the sample's text (property)", () => {
    const words = ["cpuidle_enter", "cpu_idle", "swapper", "native_safe_halt", "f", "xen_hypercall_vcpu_op", "cpu_bringup_and_idle", "g"];
    fc.assert(
      fc.property(fc.constantFrom("swapper", "app", "swapper2"), fc.array(fc.constantFrom(...words), {minLength: 1, maxLength: 6}), (comm, stack) => {
        const p = parsePerfScript(perfText([{time: "1.5", comm, stack, module: "[kernel.kallsyms]"}]));
        // FlameScope: event line (comm first) + frame lines innermost first.
        const text = `${comm} ` + [...stack].reverse().map((f) => `${f} ([kernel.kallsyms])`).join(" ");
        const expected = /swapper.*(cpuidle|cpu_idle|cpu_bringup_and_idle|native_safe_halt|xen_hypercall_sched_op|xen_hypercall_vcpu_op)/.test(text);
        expect(idleStacks(p, "flamescope")[p.samples.stack[0]] === 1).toBe(expected);
      }),
      {numRuns: 500},
    );
  });
});
