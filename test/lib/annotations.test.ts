// Annotations that share a label (each GC pause, each lock hold): grouped, with the
// union of their windows, whose flame tree holds every window's samples once.
import {describe, expect, it} from "vitest";
import {annotationGroups} from "../../src/lib/annotations.js";
import {flameTree} from "../../src/lib/flametree.js";
import {readProfile} from "../../src/node/index.js";
import {timeRange} from "../../src/lib/selection.js";

describe("annotations by label", () => {
  it("groups in order of first appearance, with every window's parts", () => {
    const a = (label: string, from: number) => ({label, parts: [timeRange(from, from + 1)]});
    const groups = annotationGroups([a("GC", 1), a("lock", 2), a("GC", 5), a("GC", 9)]);
    expect(groups.map((g) => [g.label, g.annotations.length, g.parts.length])).toEqual([["GC", 3, 3], ["lock", 1, 1]]);
    expect(groups[0].parts).toEqual([timeRange(1, 2), timeRange(5, 6), timeRange(9, 10)]);
  });

  it("on the real capture: the union of the lock holds has the samples of all of them, overlaps once", async () => {
    const profile = await readProfile(new URL("../../examples/c-global-lock.perf.gz", import.meta.url).pathname);
    const [held] = annotationGroups(profile.annotations).filter((g) => g.label === "global lock held");
    expect(held.annotations.length).toBeGreaterThan(10);
    const each = held.annotations.map((a) => flameTree(profile, a.parts).samples);
    expect(flameTree(profile, held.parts).samples).toBe(each.reduce((x, y) => x + y, 0));
    expect(flameTree(profile, [...held.parts, ...held.parts]).samples).toBe(flameTree(profile, held.parts).samples);
  });
});
