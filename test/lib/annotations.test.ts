// Annotations that share a label (each GC pause, each lock hold): grouped, with the
// union of their windows, whose flame tree holds every window's samples once.
import {describe, expect, it} from "vitest";
import {annotate, annotationGroups, parseAnnotations, removeAnnotation} from "../../src/lib/annotations.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {perfText} from "../helpers.js";
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

describe("annotate and removeAnnotation", () => {
  // Seconds 0 to 4 since the origin.
  const fresh = () => parsePerfScript(perfText([{time: "10.1", stack: ["main"]}, {time: "14.5", stack: ["main"]}]), {source: "five.perf"});

  it("is idempotent: the same label and range again updates the note instead of adding", () => {
    const p = fresh();
    annotate(p, {label: "GC", from: 1, to: 1.5, note: "first"});
    annotate(p, {label: "GC", from: 2, to: 2.5});
    const again = annotate(p, {label: "GC", from: 1, to: 1.5, note: "second"});
    annotate(p, {label: "GC", selection: "t2_2.5"}); // the same window as text
    expect(p.annotations).toHaveLength(2);
    expect(again).toBe(p.annotations[0]);
    expect(p.annotations[0].note).toBe("second");
  });

  it("refuses empty labels, reversed, empty and out-of-range windows, naming the annotation", () => {
    const p = fresh();
    expect(() => annotate(p, {label: "  ", from: 1, to: 2})).toThrow(/an annotation needs a label \(got "  "\)/);
    expect(() => annotate(p, {label: "GC", from: 2, to: 1})).toThrow(/annotation "GC": from \(2 s\) must be before to \(1 s\): reversed/);
    expect(() => annotate(p, {label: "GC", from: 2, to: 2})).toThrow(/: empty/);
    expect(() => annotate(p, {label: "GC", from: -1, to: 1})).toThrow(/annotation "GC": .* is outside the profile \(0–5 s since the origin\)/);
    expect(() => annotate(p, {label: "GC", from: 4, to: 6})).toThrow(/outside the profile/);
    expect(() => annotate(p, {label: "GC", selection: "c3_9x0_1r50"})).toThrow(/outside the profile/);
    expect(() => annotate(p, {label: "GC", from: NaN, to: 1})).toThrow(/from and to are seconds since the origin/);
    expect(() => annotate(p, {label: "GC"})).toThrow(/needs from and to/);
    expect(p.annotations).toEqual([]);
    expect(() => parseAnnotations({annotations: [{label: "GC", from: 3, to: 2}]}, "x.json")).toThrow(/x\.json: annotation 1 \("GC"\): "from" \(3\) must be before "to" \(2\)/);
  });

  it("removes by label, or one window of a label, and says what there is when nothing matches", () => {
    const p = fresh();
    annotate(p, {label: "GC", from: 1, to: 1.5});
    annotate(p, {label: "lock", from: 1, to: 1.5});
    annotate(p, {label: "GC", from: 2, to: 2.5});
    expect(removeAnnotation(p, "GC", "t2_2.5")).toBe(1);
    expect(() => removeAnnotation(p, "GC", "t3_3.5")).toThrow(/no annotation "GC" with the selection t3_3.5 \(its selections: t1_1.5\)/);
    expect(removeAnnotation(p, "GC")).toBe(1);
    expect(p.annotations.map((a) => a.label)).toEqual(["lock"]);
    expect(() => removeAnnotation(p, "GC")).toThrow(/no annotation "GC" \(annotations: "lock"\)/);
  });
});
