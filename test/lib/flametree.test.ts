import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {flameNodeJson, flameTree, searchTree, topFunctions, walkTree, type FlameNode, type FlameTree} from "../../src/lib/flametree.js";
import {flameGraphSvg, layoutFlameGraph, pathTo} from "../../src/lib/render/flamegraph.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {timeRange} from "../../src/lib/selection.js";
import {collapse} from "../../src/lib/collapse.js";
import {diffTrees, elidedTree} from "../../src/lib/diff.js";
import {selectionColumns, treeOf} from "../../src/lib/tree-columns.js";
import {sampleView} from "../../src/lib/view.js";
import {perfText, sample, SMALL_TREE_SAMPLES, treeShape} from "../helpers.js";

// Reference answers computed on plain node objects, the obvious way: the column
// algorithms must agree with them.
function plainTopFunctions(tree: FlameTree, by: "self" | "total") {
  const rows = new Map<string, {name: string; module: string; kind: string; self: number; total: number; selfWeight: number; totalWeight: number}>();
  const onPath = new Map<string, number>();
  const visit = (node: FlameNode) => {
    const key = `${node.name}\0${node.module}\0${node.kind}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = {name: node.name, module: node.module, kind: node.kind, self: 0, total: 0, selfWeight: 0, totalWeight: 0}));
    row.self += node.self;
    row.selfWeight += node.selfWeight;
    const depth = onPath.get(key) ?? 0;
    if (depth === 0) { row.total += node.total; row.totalWeight += node.totalWeight; }
    onPath.set(key, depth + 1);
    for (const c of node.children) visit(c);
    onPath.set(key, depth);
  };
  for (const c of tree.root.children) visit(c);
  return [...rows.values()].filter((r) => r[by] > 0).sort((a, b) => b[by] - a[by] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, 20);
}

function plainSearch(tree: FlameTree, re: RegExp): {samples: number; names: string[]} {
  const names: string[] = [];
  let samples = 0;
  const visit = (node: FlameNode, inMatch: boolean) => {
    const hit = node.kind !== "root" && re.test(node.name);
    if (hit) names.push(node.name);
    if (hit && !inMatch) samples += node.total;
    for (const c of node.children) visit(c, inMatch || hit);
  };
  visit(tree.root, false);
  return {samples, names};
}

const profile = parsePerfScript(perfText(SMALL_TREE_SAMPLES));

describe("flame trees", () => {
  it("root → comm → frames, with self and total, children alphabetical", () => {
    expect(treeShape(flameTree(profile))).toBe(`all:8/0
  app:7/0
    main:7/0
      eval:4/2
        gc:2/2
      parse:3/1
        lex:2/2
  worker:1/0
    work:1/1`);
  });

  it("of a selection", () => {
    expect(treeShape(flameTree(profile, [timeRange(0, 1)]))).toBe(`all:4/0
  app:4/0
    main:4/0
      eval:1/1
      parse:3/1
        lex:2/2`);
  });

  it("orders children by total on request", () => {
    const tree = flameTree(profile, null, {order: "total"});
    expect(tree.root.children[0].children[0].children.map((c) => c.name)).toEqual(["eval", "parse"]);
  });

  it("keeps weights (periods) beside sample counts", () => {
    const gc = flameTree(profile).root.children[0].children[0].children[0].children[0];
    expect(gc.name).toBe("gc");
    expect(gc.total).toBe(2);
    expect(gc.totalWeight).toBe(6);
  });

  it("merges frames by function: [unknown] frames at different addresses are one node", () => {
    const p = parsePerfScript("a 1 [000] 1.0: c:\n\t7f01 [unknown] ([unknown])\n\na 1 [000] 1.1: c:\n\t7f02 [unknown] ([unknown])\n", {unknownAddresses: true});
    const tree = flameTree(p);
    expect(tree.root.children[0].children.map((c) => [c.name, c.total])).toEqual([["[unknown]", 2]]);
  });

  it("totals agree with the folded output for any input (property)", () => {
    const names = fc.constantFrom("main", "a", "b", "c", "gc", "[unknown]");
    const arbitrarySample = fc.record({ms: fc.nat(2999), comm: fc.constantFrom("x", "y"), stack: fc.array(names, {minLength: 1, maxLength: 5})});
    fc.assert(
      fc.property(fc.array(arbitrarySample, {minLength: 1, maxLength: 40}), (samples) => {
        const p = parsePerfScript(perfText(samples.map((x) => sample(`${10 + Math.floor(x.ms / 1000)}.${String((x.ms % 1000) * 1000).padStart(6, "0")}`, x.stack, {comm: x.comm}))));
        const tree = flameTree(p, null, {idle: "keep"});
        expect(tree.samples).toBe(samples.length);
        walkTree(tree.root, (n) => expect(n.total).toBe(n.self + n.children.reduce((a, c) => a + c.total, 0)));
        const folded = collapse(p).lines.reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
        expect(folded).toBe(tree.samples);
      }),
      {numRuns: 200},
    );
  });

  it("trees made in columns answer like plain trees: shape, order, top functions, search (property)", () => {
    const names = fc.constantFrom("main", "a", "b", "c", "b", "gc");
    const arbitrarySample = fc.record({ms: fc.nat(1999), comm: fc.constantFrom("x", "y"), stack: fc.array(names, {minLength: 1, maxLength: 6})});
    fc.assert(
      fc.property(fc.array(arbitrarySample, {minLength: 1, maxLength: 40}), fc.constantFrom("name", "total") as fc.Arbitrary<"name" | "total">, (samples, order) => {
        const p = parsePerfScript(perfText(samples.map((x) => sample(`${10 + Math.floor(x.ms / 1000)}.${String((x.ms % 1000) * 1000).padStart(6, "0")}`, x.stack, {comm: x.comm}))));
        const tree = flameTree(p, null, {order});
        const plain: FlameTree = {root: JSON.parse(JSON.stringify(tree.root)), samples: tree.samples, weight: tree.weight};
        expect(treeShape(plain)).toBe(treeShape(tree));
        for (const by of ["self", "total"] as const) expect(topFunctions(tree, {by})).toEqual(plainTopFunctions(plain, by));
        for (const re of [/^b$/, /a|b/, /x/]) {
          const [lazy, flat] = [searchTree(tree, re), plainSearch(plain, re)];
          expect(lazy.samples).toBe(flat.samples);
          expect([...lazy.nodes].map((n) => n.name).sort()).toEqual(flat.names.sort());
        }
        // Search results are the tree's own node objects (renderers test membership).
        const found = searchTree(tree, /b/);
        let seen = 0;
        walkTree(tree.root, (n) => { if (found.nodes.has(n)) seen++; });
        expect(seen).toBe(found.nodes.size);
      }),
      {numRuns: 200},
    );
  });

  it("a tree counted from its samples sorted in path order is the tree counted per path (property)", () => {
    // [unknown] frames at different addresses are one function: paths are then not the stacks.
    const names = fc.constantFrom("main", "a", "b", "c", "[unknown]");
    const arbitrarySample = fc.record({ms: fc.nat(1999), comm: fc.constantFrom("x", "y"), period: fc.integer({min: 1, max: 9}), stack: fc.array(names, {minLength: 1, maxLength: 6})});
    fc.assert(
      fc.property(fc.array(arbitrarySample, {minLength: 1, maxLength: 50}), fc.nat(2000), fc.nat(2000), fc.constantFrom("name", "total") as fc.Arbitrary<"name" | "total">, (samples, from, to, order) => {
        const p = parsePerfScript(perfText(samples.map((x) => sample(`${10 + Math.floor(x.ms / 1000)}.${String((x.ms % 1000) * 1000).padStart(6, "0")}`, x.stack, {comm: x.comm, period: x.period}))), {unknownAddresses: true});
        const view = sampleView(p, [timeRange(Math.min(from, to) / 1000, Math.max(from, to) / 1000 + 0.001)], {idle: "keep"});
        const [sorted, counted] = (["sorted", "columns"] as const).map((counting) => treeOf(selectionColumns(view, order, counting)));
        expect(sorted.samples).toBe(counted.samples);
        expect(sorted.weight).toBe(counted.weight);
        // Node counts read from the sorted samples first, then the columns made from them.
        expect(treeShape(sorted)).toBe(treeShape(counted));
        // Top functions by self are counted from the samples: as a walk of the plain tree ranks them.
        const plain: FlameTree = {root: JSON.parse(JSON.stringify(counted.root)), samples: counted.samples, weight: counted.weight};
        for (const by of ["self", "total"] as const) {
          expect(topFunctions(sorted, {by})).toEqual(topFunctions(counted, {by}));
          expect(topFunctions(sorted, {by})).toEqual(plainTopFunctions(plain, by));
        }
        expect(flameNodeJson(sorted.root)).toBe(flameNodeJson(counted.root));
      }),
      {numRuns: 300},
    );
  });

  it("serialises and spreads to the node fields only", () => {
    const node = flameTree(profile).root.children[0];
    expect(Object.keys({...node}).sort()).toEqual(["kind", "module", "name", "self", "selfWeight", "total", "totalWeight"]);
    expect(Object.keys(JSON.parse(JSON.stringify(node))).sort()).toEqual(["children", "kind", "module", "name", "self", "selfWeight", "total", "totalWeight"]);
  });

  it("top functions by self and by total (recursion counted once)", () => {
    const p = parsePerfScript(perfText([sample("1.1", ["main", "f", "f", "f"]), sample("1.2", ["main", "f", "g"]), sample("1.3", ["main", "g"])]));
    const tree = flameTree(p);
    expect(topFunctions(tree, {by: "self"}).map((r) => [r.name, r.self])).toEqual([["g", 2], ["f", 1]]);
    expect(topFunctions(tree, {by: "total"}).map((r) => [r.name, r.total])).toEqual([["app", 3], ["main", 3], ["f", 2], ["g", 2]]);
  });

  it("search counts each sample once, at its outermost match", () => {
    const p = parsePerfScript(perfText([sample("1.1", ["main", "gc_mark", "gc_sweep"]), sample("1.2", ["main", "work"]), sample("1.3", ["main", "gc_mark"])]));
    const result = searchTree(flameTree(p), /^gc_/);
    expect(result.samples).toBe(2);
    expect(result.fraction).toBeCloseTo(2 / 3);
    expect([...result.nodes].map((n) => n.name).sort()).toEqual(["gc_mark", "gc_sweep"]);
  });
});

describe("deep stacks", () => {
  // 20,000 frames deep (recursion gone wrong, or a hostile file): every walk over a tree
  // must be iterative; JSON.stringify and recursive layouts overflow near 3,000.
  const DEPTH = 20_000;
  const frames = (variant: string) => Array.from({length: DEPTH}, (_, i) => (i === DEPTH - 1 ? `leaf_${variant}` : `f${i}`));
  const deep = parsePerfScript(perfText([
    sample("1.10", frames("a")),
    sample("1.20", frames("a")),
    sample("1.60", frames("b")),
  ]));

  it("builds, walks, lays out, draws and writes trees of any depth", () => {
    const tree = flameTree(deep);
    let depth = 0;
    walkTree(tree.root, (_n, d) => { depth = Math.max(depth, d); });
    expect(depth).toBe(DEPTH + 1); // root, comm, then the frames
    const layout = layoutFlameGraph(tree, {width: 1000});
    expect(layout.levels).toBe(DEPTH + 2);
    const leafB = layout.boxes.find((b) => b.node.name === "leaf_b")!;
    expect(leafB.x).toBeCloseTo(1000 * 2 / 3);
    expect(pathTo(tree.root, leafB.node)).toHaveLength(DEPTH + 2);
    expect(flameGraphSvg(tree, {zoom: leafB.node})).toContain("leaf_b");
    const json = JSON.parse(flameNodeJson(tree.root));
    let node = json, levels = 0;
    while (node.children.length) { node = node.children[0]; levels++; }
    expect(levels).toBe(DEPTH + 1);
    expect(node).toMatchObject({name: "leaf_a", self: 2, total: 2});
    expect(searchTree(tree, "^leaf_").samples).toBe(3);
    expect(topFunctions(tree, {by: "total", limit: 1})[0].total).toBe(3);
  });

  it("compares trees of any depth", () => {
    const a = flameTree(deep, [timeRange(0, 0.5)]), b = flameTree(deep, [timeRange(0.5, 1)]);
    const diff = diffTrees(a, b);
    expect(JSON.parse(flameNodeJson(diff.root)).children[0].delta.total).toBe(0); // 2 − 1 × 2/1
    const elided = elidedTree(a, b);
    expect(elided.samples).toBe(2); // leaf_b, scaled by 2/1
    expect(topFunctions(elided, {limit: 1})[0]).toMatchObject({name: "leaf_b", self: 2});
  });
});

describe("children order and paths", () => {
  it("lists many children in name order, then module order", () => {
    const names = Array.from({length: 40}, (_, i) => `f${(i * 7919) % 40}`);
    const text = names.flatMap((name, i) => [
      `app 1 [000] 1.${String(2 * i).padStart(6, "0")}: 1 cycles:\n\t2 ${name} (/lib/b.so)\n\t1 main (/app)\n`,
      `app 1 [000] 1.${String(2 * i + 1).padStart(6, "0")}: 1 cycles:\n\t3 ${name} (/lib/a.so)\n\t1 main (/app)\n`,
    ]).join("\n");
    const main = flameTree(parsePerfScript(text)).root.children[0].children[0];
    const expected = [...names].sort().flatMap((name) => [`${name} /lib/a.so`, `${name} /lib/b.so`]);
    expect(main.children.map((c) => `${c.name} ${c.module}`)).toEqual(expected);
  });

  it("merges frames that are one function (addresses kept) into one node", () => {
    const text = "app 1 [000] 1.0: 1 cycles:\n\t7f01 [unknown] (/x)\n\t1 main (/app)\n\napp 1 [000] 1.1: 1 cycles:\n\t7f02 [unknown] (/x)\n\t1 main (/app)\n";
    const p = parsePerfScript(text, {unknownAddresses: true});
    expect(p.frames.length).toBe(4);
    const main = flameTree(p).root.children[0].children[0];
    expect(main.children.map((c) => [c.name, c.total])).toEqual([["[unknown]", 2]]);
  });
});
