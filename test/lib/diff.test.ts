import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {diffTrees, elidedTree} from "../../src/lib/diff.js";
import {flameNodeJson, flameTree, type FlameNode, type FlameTree} from "../../src/lib/flametree.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {timeRange} from "../../src/lib/selection.js";
import {perfText, sample, SMALL_TREE_SAMPLES, treeShape} from "../helpers.js";

const profile = parsePerfScript(perfText(SMALL_TREE_SAMPLES));

describe("comparisons", () => {
  // A: 1–2 s, 4 samples; B: 2–3 s, 4 samples (scale 1).
  const a = flameTree(profile, [timeRange(0, 1)]);
  const b = flameTree(profile, [timeRange(1, 2)]);
  const find = (root: FlameNode, path: string[]) => path.reduce<FlameNode | undefined>((n, name) => n?.children.find((c) => c.name === name), root);

  it("the differential has A's shape and A − B·total(A)/total(B) on every node, self and total", () => {
    const d = diffTrees(a, b);
    expect(treeShape(d)).toBe(treeShape(a));
    expect(find(d.root, ["app", "main", "parse"])!.delta).toMatchObject({self: 1, total: 3});
    expect(find(d.root, ["app", "main", "eval"])!.delta).toMatchObject({self: 1 - 1, total: 1 - 3});
    expect(find(d.root, ["app"])!.delta!.total).toBe(4 - 3);
    expect(d.root.delta!.total).toBe(0);
  });

  it("scales B by total(A)/total(B)", () => {
    const whole = flameTree(profile); // 8 samples
    const d = diffTrees(a, whole); // scale 4/8
    expect(find(d.root, ["app", "main", "parse", "lex"])!.delta!.self).toBe(2 - 2 * 0.5);
    expect(find(d.root, ["app", "main", "eval"])!.delta!.total).toBe(1 - 4 * 0.5);
  });

  it("the elided view is what B has and A lacks, scaled", () => {
    const e = elidedTree(a, b);
    expect(treeShape(e)).toBe(`all:3/0
  app:2/0
    main:2/0
      eval:2/0
        gc:2/2
  worker:1/0
    work:1/1`);
    // Nodes A also has keep no self: main;eval had 1 self sample in B, dropped.
    expect(find(e.root, ["app", "main", "eval"])!.self).toBe(0);
  });

  it("agree with plain-object comparisons, within one profile and across two (property)", () => {
    const names = fc.constantFrom("main", "a", "b", "c", "gc");
    const arbitrarySample = fc.record({ms: fc.nat(1999), comm: fc.constantFrom("x", "y"), stack: fc.array(names, {minLength: 1, maxLength: 5})});
    const text = (samples: {ms: number; comm: string; stack: string[]}[]) =>
      perfText(samples.map((x) => sample(`${10 + Math.floor(x.ms / 1000)}.${String((x.ms % 1000) * 1000).padStart(6, "0")}`, x.stack, {comm: x.comm})));
    fc.assert(
      fc.property(fc.array(arbitrarySample, {minLength: 1, maxLength: 30}), fc.array(arbitrarySample, {minLength: 1, maxLength: 30}), (one, two) => {
        const p = parsePerfScript(text([...one, ...two]));
        const other = parsePerfScript(text(two));
        for (const [ta, tb] of [
          [flameTree(p, [timeRange(0, 1)]), flameTree(p, [timeRange(1, 2)])],
          [flameTree(p), flameTree(other)],
        ]) {
          if (ta.samples === 0 || tb.samples === 0) continue;
          const plain = (t: FlameTree) => JSON.parse(flameNodeJson(t.root));
          // Scaled sums may differ in the last bits with the order of addition.
          const rounded = (node: unknown) => JSON.parse(JSON.stringify(node), (_k, v) => (typeof v === "number" ? Math.round(v * 1e9) / 1e9 : v));
          expect(rounded(plain(diffTrees(ta, tb)))).toEqual(rounded(plainDiff(plain(ta), plain(tb), ta.samples / tb.samples, ta.weight / tb.weight)));
          expect(rounded(plain(elidedTree(ta, tb)))).toEqual(rounded(plainElided(plain(ta), plain(tb), ta.samples / tb.samples, ta.weight / tb.weight)));
        }
      }),
      {numRuns: 150},
    );
  });
});

// FlameScope's comparisons on plain node objects, the obvious recursive way: the
// column algorithms must agree with them.
type PlainNode = FlameNode & {delta?: FlameNode["delta"]};
const plainKey = (n: FlameNode) => `${n.name}\0${n.module}\0${n.kind}`;
const plainChild = (n: FlameNode | undefined, c: FlameNode) => n?.children.find((x) => plainKey(x) === plainKey(c));

function plainDiff(a: PlainNode, b: PlainNode | undefined, scale: number, scaleW: number): PlainNode {
  return {
    name: a.name, module: a.module, kind: a.kind, self: a.self, total: a.total, selfWeight: a.selfWeight, totalWeight: a.totalWeight,
    delta: {self: a.self - (b?.self ?? 0) * scale, total: a.total - (b?.total ?? 0) * scale, selfWeight: a.selfWeight - (b?.selfWeight ?? 0) * scaleW, totalWeight: a.totalWeight - (b?.totalWeight ?? 0) * scaleW},
    children: a.children.map((c) => plainDiff(c, plainChild(b, c), scale, scaleW)),
  };
}

function plainElided(a: PlainNode | undefined, b: PlainNode, scale: number, scaleW: number): PlainNode | null {
  const children = b.children.map((c) => plainElided(a && plainChild(a, c), c, scale, scaleW)).filter((c): c is PlainNode => c !== null);
  const self = a ? 0 : b.self * scale, selfWeight = a ? 0 : b.selfWeight * scaleW;
  const total = self + children.reduce((t, c) => t + c.total, 0);
  if (total === 0 && b.kind !== "root") return null;
  return {name: b.name, module: b.module, kind: b.kind, self, total, selfWeight, totalWeight: selfWeight + children.reduce((t, c) => t + c.totalWeight, 0), children};
}

