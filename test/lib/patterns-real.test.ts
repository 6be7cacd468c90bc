// The pattern detectors on real captures whose workloads logged their own episodes
// (test/fixtures/patterns/captures.mjs says how each is scored; bench/patterns.js
// prints the same table).
import {describe, expect, it} from "vitest";
import * as lib from "../../src/lib/index.js";
import {episodesFromLog, scoreEpisodes} from "../../src/lib/patterns/score.js";
import {readProfile} from "../../src/node/index.js";
// @ts-expect-error: a plain ES module shared with the benchmark
import {CAPTURES, scoreCapture} from "../fixtures/patterns/captures.mjs";

type Score = {kind: string; withSamples: number; recalled: number; occurrences: number; precise: number};

describe("patterns on real captures against the workloads' logs", () => {
  it("finds the timer, the busy-wait, the stop-the-world pauses and the I/O stalls", async () => {
    const all: Score[] = [];
    for (const capture of CAPTURES) all.push(...(await scoreCapture({...lib, readProfile, episodesFromLog, scoreEpisodes}, capture)) as Score[]);
    for (const kind of ["periodic", "busy-wait", "perturbation", "cpu-blocking"]) {
      const s = all.find((x) => x.kind === kind)!;
      expect(s.recalled / s.withSamples, kind).toBeGreaterThanOrEqual(0.9);
      expect(s.precise / s.occurrences, kind).toBeGreaterThanOrEqual(0.6);
    }
    const sum = (k: keyof Score) => all.reduce((n, x) => n + (x[k] as number), 0);
    expect(sum("recalled") / sum("withSamples")).toBeGreaterThanOrEqual(0.9);
    expect(sum("precise") / sum("occurrences")).toBeGreaterThanOrEqual(0.6);
  });

  it("scores episodes: one occurrence per episode, overlap of half the shorter", () => {
    const profile = lib.parsePerfScript("app 1 [000] 10.0: 1 cpu-clock:\n\t401000 main+0x1 (/a)\n\n", {source: "x"});
    const episodes = episodesFromLog('{"kind":"perturbation","from_ns":10100000000,"to_ns":10400000000}\n{"kind":"perturbation","from_ns":12000000000,"to_ns":12300000000}\n{"kind":"process","from_ns":0,"to_ns":1}\n', profile, ["perturbation"]);
    expect(episodes.map((e) => [e.from, e.to].map((x) => +x.toFixed(3)))).toEqual([[0.1, 0.4], [2, 2.3]]);
    const found = [{kind: "perturbation", occurrences: [{from: 0.2, to: 0.45}, {from: 5, to: 5.3}]}] as lib.PatternInstance[];
    expect(scoreEpisodes(found, episodes, () => true)).toEqual([{kind: "perturbation", episodes: 2, withSamples: 2, recalled: 1, occurrences: 2, precise: 1}]);
    expect(scoreEpisodes(found, episodes, (e) => e.from < 1)[0].withSamples).toBe(1);
  });
});
