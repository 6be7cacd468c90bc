// The pattern detectors on the seventeen synthetic patterns of Gregg's guide (each
// found with its parameters, and nothing else above the default confidence), on
// variations the detectors were not written against (other seeds, 2 and 8 CPUs), on
// profiles where nothing should be found, and on the bundled real captures against
// the workloads' own logs (their annotation sidecars).
import {describe, expect, it} from "vitest";
import {annotate, cellPeriod, type CellBlock, DEFAULT_MIN_CONFIDENCE, expectedPatterns, findPatterns, parsePerfScript, parseSelection, PATTERN_NAMES, patternAnnotation, scoreSynthetic, synthesize, synthPlan, type PatternInstance, type SynthOptions, type SynthPlan} from "../../src/lib/index.js";
import {readProfile} from "../../src/node/index.js";
import {confidenceOf, logBinomialTail, powerSpectrum} from "../../src/lib/patterns/stats.js";

const NS = 1e9;

function run(name: string, options: SynthOptions = {}): {found: PatternInstance[]; plan: SynthPlan} {
  const profile = parsePerfScript(synthesize(name, options), {source: `${name}.perf`});
  return {found: findPatterns(profile), plan: synthPlan(name, options)};
}

describe("findPatterns on the seventeen synthetic patterns", () => {
  it("knows what to expect of every pattern", () => {
    for (const name of PATTERN_NAMES) expect(expectedPatterns(synthPlan(name)).length, name).toBeGreaterThan(0);
  });
  // The defaults, and a variation the detectors were not written against (the
  // benchmark, bench/patterns.js, runs more: seeds, 8 CPUs, 99 Hz).
  for (const options of [{}, {seed: 3, cpus: 2}] as SynthOptions[]) {
    describe(JSON.stringify(options), () => {
      for (const name of PATTERN_NAMES) {
        it(name, () => {
          const {found, plan} = run(name, options);
          for (const p of found) expect(p.confidence).toBeGreaterThanOrEqual(DEFAULT_MIN_CONFIDENCE);
          const result = scoreSynthetic(found, plan);
          const why = JSON.stringify({found: found.map((p) => [p.label, p.parameters, p.occurrences.length]), scores: result.scores.map((x) => [x.ok, x.periodError, x.phaseErrorMs, x.busyError, x.recalled])});
          expect(result.extra.map((p) => p.label), why).toEqual([]);
          expect(result.scores.map((x) => x.ok), why).toEqual(result.scores.map(() => true));
        });
      }
    });
  }
  it("the comparison fails what is wrong: another period, a missing episode, an extra instance", () => {
    const {found, plan} = run("one-thread-once");
    const shifted = found.map((p) => ({...p, parameters: {...p.parameters, periodMs: 1100}}));
    expect(scoreSynthetic(shifted, plan).ok).toBe(false);
    const gc = run("perturbations");
    const fewer = gc.found.map((p) => ({...p, occurrences: p.occurrences.slice(1)}));
    expect(scoreSynthetic(fewer, gc.plan).ok).toBe(false);
    expect(scoreSynthetic([...found, ...gc.found], plan).extra.length).toBe(1);
  });
});

describe("findPatterns where nothing should be found", () => {
  it("an idle machine: no samples but the kernel's odd work", () => {
    const profile = parsePerfScript(synthesize("cpus-5", {utilization: 0, seed: 9}), {source: "idle.perf"});
    expect(findPatterns(profile)).toEqual([]);
  });
  it("a profile without timestamps, and one of two samples", () => {
    const untimed = parsePerfScript("app 100 [000] 1.0: 1 cpu-clock:\n\t401000 main+0x1 (/usr/bin/app)\n\n".replace(" 1.0:", ":"), {source: "u.perf"});
    expect(findPatterns(untimed)).toEqual([]);
    const two = parsePerfScript("app 100 [000] 1.0: 1 cpu-clock:\n\t401000 main+0x1 (/usr/bin/app)\n\napp 100 [000] 1.5: 1 cpu-clock:\n\t401000 main+0x1 (/usr/bin/app)\n\n", {source: "two.perf"});
    expect(findPatterns(two)).toEqual([]);
  });
  it("a higher minimum confidence drops instances; bad options are errors", () => {
    const profile = parsePerfScript(synthesize("perturbations"), {source: "p.perf"});
    expect(findPatterns(profile, {minConfidence: 1.01 - 0.01}).length).toBeLessThanOrEqual(1);
    expect(() => findPatterns(profile, {minConfidence: 2})).toThrow(/from 0 to 1/);
    expect(() => findPatterns(profile, {kinds: ["stripes" as never]})).toThrow(/unknown kind "stripes"/);
    expect(() => findPatterns(profile, {kinds: ["occupancy"]})).toThrow(/needs a frame/);
    expect(findPatterns(profile, {kinds: ["cpu-blocking"]})).toEqual([]);
  });
});

describe("an instance as an annotation; occupancy", () => {
  it("patternAnnotation adds the instance's samples under its label", () => {
    const profile = parsePerfScript(synthesize("perturbations"), {source: "p.perf"});
    const [p] = findPatterns(profile);
    expect(patternAnnotation(p)).toEqual({label: p.label, selection: p.selection, note: p.explanation});
    const a = annotate(profile, p);
    expect(a.label).toBe(p.label);
    expect(a.parts).toEqual(parseSelection(p.selection));
    expect(a.note).toBe(p.explanation);
  });
  it("a periodic instance selects its window in every period (one folded cell block)", () => {
    const profile = parsePerfScript(synthesize("one-thread-once"), {source: "o.perf"});
    const [p] = findPatterns(profile);
    const [block] = parseSelection(p.selection)!;
    expect(block).toMatchObject({kind: "cells", s0: 0});
    expect(cellPeriod(block as CellBlock)).toBe(1e9);
    expect(p.period).toBe(1e9);
  });
  it("occupancy: when a function is on CPU", () => {
    const profile = parsePerfScript(synthesize("perturbations"), {source: "p.perf"});
    const [o] = findPatterns(profile, {kinds: ["occupancy"], frame: "gc_mark_heap"});
    expect(o.kind).toBe("occupancy");
    // Each GC episode is one interval (the perturbation's, as an expected occupancy).
    const [perturbation] = expectedPatterns(synthPlan("perturbations"));
    const {scores} = scoreSynthetic([{...o, kind: "perturbation"}], synthPlan("perturbations"));
    expect(scores[0].recalled).toBe(1);
    expect(o.occurrences.length).toBe(perturbation.episodes!.length);
  });
});

describe("findPatterns on the bundled real captures, against the workloads' logs", () => {
  const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;
  const overlap = (a: {from: number; to: number}, b: {from: number; to: number}) => Math.min(a.to, b.to) - Math.max(a.from, b.from);
  /** Logged episodes (annotation parts with this label) found as their own occurrence. */
  function recall(found: PatternInstance, episodes: {from: number; to: number}[]): number {
    const used = new Set<number>();
    let hits = 0;
    for (const e of episodes) {
      const j = found.occurrences.findIndex((o, k) => !used.has(k) && overlap(o, e) >= 0.5 * Math.min(o.to - o.from, e.to - e.from));
      if (j >= 0) { used.add(j); hits++; }
    }
    return hits / episodes.length;
  }
  const logged = async (name: string, label: string) => {
    const profile = await readProfile(EXAMPLES + name);
    const episodes = profile.annotations.filter((a) => a.label === label).flatMap((a) => a.parts.map((p) => (p.kind === "range" ? {from: p.from / NS, to: p.to / NS} : null)!));
    return {profile, episodes};
  };
  it("c-global-lock: the lock holds are single-threaded blocking in rehash_index_pass", async () => {
    const {profile, episodes} = await logged("c-global-lock.perf.gz", "global lock held");
    const found = findPatterns(profile);
    const lock = found.find((p) => p.kind === "single-threaded-blocking")!;
    expect(lock.frames[0].name).toBe("rehash_index_pass");
    expect(recall(lock, episodes)).toBeGreaterThanOrEqual(0.7);
  });
  it("node-cache-refresh: the refreshes are bursts of refreshPriceCache, the major GC a perturbation", async () => {
    const {profile, episodes} = await logged("node-cache-refresh.perf.gz", "cache refresh");
    const found = findPatterns(profile);
    const refresh = found.find((p) => p.kind === "load-bursts")!;
    expect(refresh.label).toMatch(/refreshPriceCache/);
    expect(recall(refresh, episodes)).toBe(1);
    const gc = profile.annotations.find((a) => a.label === "major GC")!.parts[0];
    const perturbation = found.find((p) => p.kind === "perturbation")!;
    expect(recall(perturbation, [{from: (gc as {from: number}).from / NS, to: (gc as {to: number}).to / NS}])).toBe(1);
  });
});

describe("the statistics", () => {
  it("binomial tails match exact sums", () => {
    const exact = (k: number, n: number, p: number) => {
      let s = 0, c = 1;
      for (let i = 0; i <= n; i++) {
        if (i >= k) s += c * p ** i * (1 - p) ** (n - i);
        c = (c * (n - i)) / (i + 1);
      }
      return s;
    };
    for (const [k, n, p] of [[3, 10, 0.2], [10, 10, 0.5], [1, 5, 0.01], [40, 60, 0.3]]) expect(Math.exp(logBinomialTail(k, n, p))).toBeCloseTo(exact(k, n, p), 10);
    expect(logBinomialTail(0, 5, 0.3)).toBe(0);
    expect(confidenceOf(Math.log(1e-3), 10)).toBeCloseTo(0.99, 10);
    expect(confidenceOf(0, 1)).toBe(0);
  });
  it("the power spectrum of a sine peaks at its frequency", () => {
    const x = Array.from({length: 256}, (_, i) => Math.sin((2 * Math.PI * 16 * i) / 256));
    const {power, size} = powerSpectrum(x);
    expect(size).toBe(256);
    expect([...power].indexOf(Math.max(...power))).toBe(16);
    expect(power[16]).toBeCloseTo((256 / 2) ** 2, 6);
  });
});
