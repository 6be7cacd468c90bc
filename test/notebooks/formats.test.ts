// Notebooks read every format through the same readProfile: the display helpers draw
// heat maps and flame graphs of each format's fixture, and the samples table has the
// samples its file holds (counted from the file).
import {describe, expect, it} from "vitest";
import {displayData, flameTree, heatmap, readProfile, samplesTable} from "../../src/notebook/index.js";
import {CPUPROFILE, fixtureSampleCount, FOLDED, GECKO, GO_PPROF, SPEEDSCOPE, TRACE} from "../lib/import-fixtures.js";

describe.each([[CPUPROFILE, true], [TRACE, true], [GO_PPROF, false], [SPEEDSCOPE, true], [GECKO, true], [FOLDED, false]] as const)("notebook helpers on %s", (path, timed) => {
  it("draw its flame graph, its heat map when it has times, and tabulate its samples", async () => {
    const profile = await readProfile(path);
    expect(displayData(flameTree(profile))["text/html"]).toContain("<svg");
    if (timed) expect(displayData(heatmap(profile, {rows: 20}))["text/html"]).toContain("<svg");
    else expect(() => heatmap(profile)).toThrow(/has none/);
    expect(samplesTable(profile).numRows()).toBe(fixtureSampleCount(path));
  });
});
