import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {collapse, foldedText} from "../src/lib/collapse.js";
import {diffTrees, elidedTree} from "../src/lib/diff.js";
import {flameNodeJson, flameTree, searchTree, topFunctions, walkTree, type FlameNode, type FlameTree} from "../src/lib/flametree.js";
import {flameGraphSvg, layoutFlameGraph, pathTo} from "../src/lib/render/flamegraph.js";
import {parsePerfScript} from "../src/lib/perf/parse.js";
import {timeRange} from "../src/lib/selection.js";
import {sampleView} from "../src/lib/view.js";
import {idleSample, perfText, type TestSample} from "./helpers.js";

const s = (time: string, stack: string[], extra: Partial<TestSample> = {}): TestSample => ({time, stack, ...extra});

/** "name:total/self" lines, depth-indented: the tree's shape in one string. */
function shape(tree: FlameTree): string {
  const lines: string[] = [];
  walkTree(tree.root, (n, depth) => lines.push(`${"  ".repeat(depth)}${n.name}:${n.total}/${n.self}`));
  return lines.join("\n");
}

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

const profile = parsePerfScript(perfText([
  s("1.10", ["main", "parse", "lex"]),
  s("1.20", ["main", "parse", "lex"]),
  s("1.30", ["main", "parse"]),
  s("1.40", ["main", "eval"]),
  s("2.10", ["main", "eval", "gc"], {comm: "app", period: 5}),
  s("2.20", ["main", "eval", "gc"]),
  s("2.30", ["main", "eval"]),
  s("2.40", ["work"], {comm: "worker"}),
]));

describe("flame trees", () => {
  it("root → comm → frames, with self and total, children alphabetical", () => {
    expect(shape(flameTree(profile))).toBe(`all:8/0
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
    expect(shape(flameTree(profile, [timeRange(0, 1)]))).toBe(`all:4/0
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
    const sample = fc.record({ms: fc.nat(2999), comm: fc.constantFrom("x", "y"), stack: fc.array(names, {minLength: 1, maxLength: 5})});
    fc.assert(
      fc.property(fc.array(sample, {minLength: 1, maxLength: 40}), (samples) => {
        const p = parsePerfScript(perfText(samples.map((x) => s(`${10 + Math.floor(x.ms / 1000)}.${String((x.ms % 1000) * 1000).padStart(6, "0")}`, x.stack, {comm: x.comm}))));
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
    const sample = fc.record({ms: fc.nat(1999), comm: fc.constantFrom("x", "y"), stack: fc.array(names, {minLength: 1, maxLength: 6})});
    fc.assert(
      fc.property(fc.array(sample, {minLength: 1, maxLength: 40}), fc.constantFrom("name", "total") as fc.Arbitrary<"name" | "total">, (samples, order) => {
        const p = parsePerfScript(perfText(samples.map((x) => s(`${10 + Math.floor(x.ms / 1000)}.${String((x.ms % 1000) * 1000).padStart(6, "0")}`, x.stack, {comm: x.comm}))));
        const tree = flameTree(p, null, {order});
        const plain: FlameTree = {root: JSON.parse(JSON.stringify(tree.root)), samples: tree.samples, weight: tree.weight};
        expect(shape(plain)).toBe(shape(tree));
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

  it("serialises and spreads to the node fields only", () => {
    const node = flameTree(profile).root.children[0];
    expect(Object.keys({...node}).sort()).toEqual(["kind", "module", "name", "self", "selfWeight", "total", "totalWeight"]);
    expect(Object.keys(JSON.parse(JSON.stringify(node))).sort()).toEqual(["children", "kind", "module", "name", "self", "selfWeight", "total", "totalWeight"]);
  });

  it("top functions by self and by total (recursion counted once)", () => {
    const p = parsePerfScript(perfText([s("1.1", ["main", "f", "f", "f"]), s("1.2", ["main", "f", "g"]), s("1.3", ["main", "g"])]));
    const tree = flameTree(p);
    expect(topFunctions(tree, {by: "self"}).map((r) => [r.name, r.self])).toEqual([["g", 2], ["f", 1]]);
    expect(topFunctions(tree, {by: "total"}).map((r) => [r.name, r.total])).toEqual([["app", 3], ["main", 3], ["f", 2], ["g", 2]]);
  });

  it("search counts each sample once, at its outermost match", () => {
    const p = parsePerfScript(perfText([s("1.1", ["main", "gc_mark", "gc_sweep"]), s("1.2", ["main", "work"]), s("1.3", ["main", "gc_mark"])]));
    const result = searchTree(flameTree(p), /^gc_/);
    expect(result.samples).toBe(2);
    expect(result.fraction).toBeCloseTo(2 / 3);
    expect([...result.nodes].map((n) => n.name).sort()).toEqual(["gc_mark", "gc_sweep"]);
  });
});

describe("comparisons", () => {
  // A: 1–2 s, 4 samples; B: 2–3 s, 4 samples (scale 1).
  const a = flameTree(profile, [timeRange(0, 1)]);
  const b = flameTree(profile, [timeRange(1, 2)]);
  const find = (root: FlameNode, path: string[]) => path.reduce<FlameNode | undefined>((n, name) => n?.children.find((c) => c.name === name), root);

  it("the differential has A's shape and A − B·total(A)/total(B) on every node, self and total", () => {
    const d = diffTrees(a, b);
    expect(shape(d)).toBe(shape(a));
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
    expect(shape(e)).toBe(`all:3/0
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
    const sample = fc.record({ms: fc.nat(1999), comm: fc.constantFrom("x", "y"), stack: fc.array(names, {minLength: 1, maxLength: 5})});
    const text = (samples: {ms: number; comm: string; stack: string[]}[]) =>
      perfText(samples.map((x) => s(`${10 + Math.floor(x.ms / 1000)}.${String((x.ms % 1000) * 1000).padStart(6, "0")}`, x.stack, {comm: x.comm})));
    fc.assert(
      fc.property(fc.array(sample, {minLength: 1, maxLength: 30}), fc.array(sample, {minLength: 1, maxLength: 30}), (one, two) => {
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

// stackcollapse-perf.pl's names: `;` → `:`, argument lists cut (Go methods kept whole),
// symbols starting with "(" dropped, `->` inlines split with _[i], [unknown] named by module.
describe("collapse options", () => {
  const p = parsePerfScript(
    "java 10/11 [000] 1.0: 3 cycles:\n" +
      "\tffffffff81000000 do_syscall_64+0x10 ([kernel.kallsyms])\n" +
      "\t7f01 Lfoo/Bar;::run->Lfoo/Baz;::call+0x4 (/tmp/perf-10.map)\n" +
      "\t7f02 [unknown] (/usr/lib/libjvm.so)\n" +
      "\t7f03 std::function<int (int)>::operator() (/x)\n" +
      "\t7f04 (anonymous namespace)::helper(int) (/x)\n" +
      "\t7f05 net/http.(*Client).Do (/x)\n" +
      "\t7f06 [unknown] ([unknown])\n\n" +
      "java 10/12 [001] 1.1: 1 instructions:\n\t7f07 main (/x)\n",
    {unknownAddresses: true},
  );
  it.each([
    [{}, "java;[unknown];net/http.(*Client).Do;std::function<int ;[libjvm.so];foo/Bar:::run;foo/Baz:::call_[i];do_syscall_64 3"],
    [{pid: true}, "java-10;"],
    [{tid: true}, "java-10/11;"],
    [{kernel: true}, ";do_syscall_64_[k] 3"],
    [{jit: true}, ";foo/Bar:::run_[j];foo/Baz:::call_[i];"],
    [{addrs: true}, "java;[unknown <7f06>];net/http.(*Client).Do;std::function<int ;[libjvm.so <7f02>];"],
    [{event: "instructions"}, "java;main 1"],
  ])("%o", (options, fragment) => {
    const lines = collapse(p, options).lines;
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain(fragment);
  });
});

describe("folded text of a view", () => {
  it("folds a selection's counted samples, samples without call graphs as their one frame", async () => {
    // A real capture recorded without -g: stackcollapse-perf.pl (and plain collapse) skip
    // every sample; a selection's export must not be empty.
    const {readFileSync} = await import("node:fs");
    const nocallchain = parsePerfScript(readFileSync(new URL("./fixtures/perf/c-nocallchain.perf", import.meta.url)));
    expect(collapse(nocallchain).lines).toEqual([]);
    const text = foldedText(sampleView(nocallchain));
    const lines = text.trimEnd().split("\n");
    const total = lines.reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
    expect(total).toBe(flameTree(nocallchain).weight); // folded counts are periods, as perf printed them
    expect(lines.length).toBeGreaterThan(1);
    const first = foldedText(sampleView(nocallchain, [timeRange(0, 1)]));
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(text.length);
  });

  it("counts what the view's filter counts: no idle samples, one event", () => {
    const p = parsePerfScript(perfText([
      {time: "1.1", stack: ["main", "work"]},
      {...idleSample("1.2"), cpu: 1},
      {time: "1.3", stack: ["main", "gc"], event: "page-faults"},
    ]));
    expect(foldedText(sampleView(p))).toBe("app;main;work 1\n");
    expect(foldedText(sampleView(p, null, {filter: {event: "page-faults"}}))).toBe("app;main;gc 1\n");
    expect(foldedText(sampleView(p, null, {idle: "keep"}))).toContain("swapper;");
  });
});

describe("folded order", () => {
  it("is byte order, also above U+FFFF where UTF-16 order differs", () => {
    const p = parsePerfScript(perfText([
      {time: "1.1", stack: ["f\u{1F600}"]}, // U+1F600: surrogates in UTF-16, F0 9F 98 80 in UTF-8
      {time: "1.2", stack: ["f\uFF01"]}, // U+FF01: EF BC 81
      {time: "1.3", stack: ["f!"]},
    ]));
    expect(collapse(p).lines).toEqual(["app;f! 1", "app;f\uFF01 1", "app;f\u{1F600} 1"]);
    expect(["app;f\u{1F600}", "app;f\uFF01"].sort()).toEqual(["app;f\u{1F600}", "app;f\uFF01"]); // what a plain sort would say
  });
});

describe("deep stacks", () => {
  // 20,000 frames deep (recursion gone wrong, or a hostile file): every walk over a tree
  // must be iterative; JSON.stringify and recursive layouts overflow near 3,000.
  const DEPTH = 20_000;
  const frames = (variant: string) => Array.from({length: DEPTH}, (_, i) => (i === DEPTH - 1 ? `leaf_${variant}` : `f${i}`));
  const deep = parsePerfScript(perfText([
    s("1.10", frames("a")),
    s("1.20", frames("a")),
    s("1.60", frames("b")),
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
