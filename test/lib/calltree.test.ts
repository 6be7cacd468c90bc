import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {callTree, describeTransform, formatTransforms, parseTransforms, sandwich, threadTrees, type CallTreeTransform} from "../../src/lib/calltree.js";
import {diffTrees} from "../../src/lib/diff.js";
import {flameTree, searchTree, topFunctions, type FlameTree} from "../../src/lib/flametree.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {timeRange} from "../../src/lib/selection.js";
import {sampleView} from "../../src/lib/view.js";
import {perfText, sample, SMALL_TREE_SAMPLES, treeShape} from "../helpers.js";

const LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";
// main → parse → lex (2), main → parse (1), main → eval (1), main → eval → gc (2),
// main → eval (1), worker → work (1).
const small = sampleView(parsePerfScript(perfText(SMALL_TREE_SAMPLES)));
// Recursion (direct and through another function) and a library's frames.
const recursive = sampleView(
  parsePerfScript(
    perfText([
      sample("1.1", ["main", "walk", "visit", "walk", "leaf"]),
      sample("1.2", ["main", "walk", "walk", "walk", "leaf"]),
      sample("1.3", ["main", "walk"]),
      sample("1.4", ["main", "fmt", "printf", "vfprintf", "write"], {modules: [undefined, undefined, LIBC, LIBC, "[kernel.kallsyms]"]}),
      sample("1.5", ["main", "fmt", "printf", "vfprintf"], {modules: [undefined, undefined, LIBC, LIBC]}),
      sample("1.6", ["main", "malloc", "sbrk"], {modules: [undefined, LIBC, LIBC]}),
    ]),
  ),
);
const shape = (view = small, options = {}) => treeShape(callTree(view, options));

describe("call-tree transforms", () => {
  it("without transforms, the view's flame tree", () => {
    expect(shape()).toBe(treeShape(flameTree(small)));
  });

  it("focus on a function: samples with it, from its outermost call", () => {
    expect(shape(small, {transforms: [{type: "focus-function", name: "eval"}]})).toBe(`all:4/0
  eval:4/2
    gc:2/2`);
    expect(shape(recursive, {transforms: [{type: "focus-function", name: "walk"}]})).toBe(`all:3/0
  walk:3/1
    visit:1/0
      walk:1/0
        leaf:1/1
    walk:1/0
      walk:1/0
        leaf:1/1`);
  });

  it("focus on a subtree: only the samples under that node, from it", () => {
    expect(shape(small, {transforms: [{type: "focus-subtree", path: ["app", "main", "parse"]}]})).toBe(`all:3/0
  parse:3/1
    lex:2/2`);
    expect(shape(small, {transforms: [{type: "focus-subtree", path: ["app", "parse"]}]})).toBe("all:0/0");
  });

  it("merge a function: its self samples go to its caller", () => {
    expect(shape(small, {transforms: [{type: "merge-function", name: "parse"}]})).toBe(`all:8/0
  app:7/0
    main:7/1
      eval:4/2
        gc:2/2
      lex:2/2
  worker:1/0
    work:1/1`);
  });

  it("drop the samples with a function", () => {
    expect(shape(small, {transforms: [{type: "drop-function", name: "eval"}]})).toBe(`all:4/0
  app:3/0
    main:3/0
      parse:3/1
        lex:2/2
  worker:1/0
    work:1/1`);
  });

  it("collapse recursion, through other functions or only direct", () => {
    expect(shape(recursive, {transforms: [{type: "drop-function", name: "fmt"}, {type: "drop-function", name: "malloc"}, {type: "collapse-recursion", name: "walk"}]})).toBe(`all:3/0
  app:3/0
    main:3/0
      walk:3/1
        leaf:2/2`);
    expect(shape(recursive, {transforms: [{type: "focus-function", name: "walk"}, {type: "collapse-direct-recursion", name: "walk"}]})).toBe(`all:3/0
  walk:3/1
    leaf:1/1
    visit:1/0
      walk:1/0
        leaf:1/1`);
  });

  it("collapse a module: each run of its frames is one frame named after its file", () => {
    const tree = callTree(recursive, {transforms: [{type: "collapse-module", module: "libc.so.6"}, {type: "drop-function", name: "walk"}]});
    expect(treeShape(tree)).toBe(`all:3/0
  app:3/0
    main:3/0
      fmt:2/0
        libc.so.6:2/1
          write:1/1
      libc.so.6:1/1`);
    const standIn = tree.root.children[0].children[0].children[1];
    expect([standIn.module, standIn.kind]).toEqual([LIBC, "user"]);
    // The full path names the module too.
    expect(shape(recursive, {transforms: [{type: "collapse-module", module: LIBC}, {type: "drop-function", name: "walk"}]})).toBe(treeShape(tree));
  });

  it("applies transforms in order, each to what the ones before left", () => {
    const merged: CallTreeTransform[] = [{type: "merge-function", name: "main"}, {type: "focus-subtree", path: ["app", "eval"]}];
    expect(shape(small, {transforms: merged})).toBe(`all:4/0
  eval:4/2
    gc:2/2`);
    expect(shape(small, {transforms: [...merged].reverse()})).toBe("all:0/0");
  });

  it("left-heavy order: children heaviest first", () => {
    const tree = callTree(small, {order: "total", transforms: [{type: "merge-function", name: "parse"}]});
    expect(tree.root.children[0].children[0].children.map((c) => `${c.name}:${c.total}`)).toEqual(["eval:4", "lex:2"]);
  });

  it("gives trees the rest of the library takes", () => {
    const tree = callTree(small, {transforms: [{type: "merge-function", name: "eval"}]});
    expect(topFunctions(tree, {by: "self", limit: 3}).map((r) => `${r.name}:${r.self}`)).toEqual(["gc:2", "lex:2", "main:2"]);
    expect(searchTree(tree, /gc/).samples).toBe(2);
    expect(treeShape(diffTrees(tree, flameTree(small))).split("\n")[3]).toBe("      gc:2/2");
  });
});

// The transforms' meaning, stack by stack, the obvious way (stacks root first: comm,
// then frames); the one-pass path-table algorithm must agree with it.
function plainTransform(stack: string[], t: CallTreeTransform, moduleOf: (name: string) => string): string[] | null {
  const at = (name: string) => stack.indexOf(name);
  switch (t.type) {
    case "focus-function": return at(t.name) < 0 ? null : stack.slice(at(t.name));
    case "focus-subtree": return t.path.every((n, k) => stack[k] === n) && stack.length >= t.path.length ? stack.slice(t.path.length - 1) : null;
    case "merge-function": { const kept = stack.filter((n) => n !== t.name); return kept.length ? kept : null; }
    case "drop-function": return stack.includes(t.name) ? null : stack;
    case "collapse-recursion": {
      const first = at(t.name), last = stack.lastIndexOf(t.name);
      return first < 0 || first === last ? stack : [...stack.slice(0, first), t.name, ...stack.slice(last + 1)];
    }
    case "collapse-direct-recursion": return stack.filter((n, k) => !(k > 0 && n === t.name && stack[k - 1] === n));
    case "collapse-module": {
      const out: string[] = [];
      for (const n of stack) {
        const file = moduleOf(n).replace(/.*\//, "");
        const standIn = moduleOf(n) === t.module || file === t.module ? file : null;
        if (standIn === null) out.push(n);
        else if (out.length === 0 || out[out.length - 1] !== `\0${standIn}`) out.push(`\0${standIn}`);
      }
      return out.map((n) => n.replace("\0", ""));
    }
  }
}

describe("transforms agree with their meaning stack by stack (property)", () => {
  const names = ["main", "a", "b", "c", "malloc", "free"];
  const moduleOf = (name: string) => (name === "malloc" || name === "free" ? LIBC : "/usr/bin/app");
  const transform: fc.Arbitrary<CallTreeTransform> = fc.oneof(
    ...(["focus-function", "merge-function", "drop-function", "collapse-recursion", "collapse-direct-recursion"] as const).map((type) => fc.constantFrom(...names).map((name) => ({type, name}) as CallTreeTransform)),
    fc.array(fc.constantFrom("app", "worker", ...names), {minLength: 1, maxLength: 3}).map((path) => ({type: "focus-subtree", path}) as CallTreeTransform),
    fc.constant({type: "collapse-module", module: "libc.so.6"} as CallTreeTransform),
  );
  const input = fc.array(fc.record({comm: fc.constantFrom("app", "worker"), stack: fc.array(fc.constantFrom(...names), {minLength: 1, maxLength: 7})}), {minLength: 1, maxLength: 30});

  it("for any stacks, any transforms, inverted or not, and a function's callers", () => {
    fc.assert(
      fc.property(input, fc.array(transform, {maxLength: 4}), fc.boolean(), (samples, transforms, invert) => {
        const view = sampleView(parsePerfScript(perfText(samples.map((x, k) => sample(`1.${String(k).padStart(3, "0")}`, x.stack, {comm: x.comm, modules: x.stack.map(moduleOf)})))));
        const folded = new Map<string, number>();
        for (const x of samples) {
          let stack: string[] | null = [x.comm, ...x.stack];
          for (const t of transforms) if ((stack = plainTransform(stack, t, moduleOf)) === null) break;
          if (stack === null) continue;
          const key = (invert ? [...stack].reverse() : stack).join(";");
          folded.set(key, (folded.get(key) ?? 0) + 1);
        }
        // The tree's paths and where its samples end (the innermost frame; the top level when inverted).
        const ends = (tree: FlameTree) => {
          const found = new Map<string, number>();
          const visit = (node: FlameTree["root"], path: string[]) => {
            const here = node.kind === "root" ? [] : [...path, node.name];
            const ending = node.total - node.children.reduce((n, c) => n + c.total, 0);
            if (ending > 0) found.set(here.join(";"), ending);
            for (const c of node.children) visit(c, here);
          };
          visit(tree.root, []);
          return found;
        };
        const tree = callTree(view, {transforms, invert});
        expect(ends(tree)).toEqual(folded);
        expect(tree.samples).toBe([...folded.values()].reduce((a, b) => a + b, 0));
        // The callers of "a": each sample with it, up to its outermost call, inverted.
        const callers = new Map<string, number>();
        for (const x of samples) {
          let stack: string[] | null = [x.comm, ...x.stack];
          for (const t of transforms) if ((stack = plainTransform(stack, t, moduleOf)) === null) break;
          if (stack === null || !stack.includes("a")) continue;
          const key = stack.slice(0, stack.indexOf("a") + 1).reverse().join(";");
          callers.set(key, (callers.get(key) ?? 0) + 1);
        }
        expect(ends(sandwich(view, "a", {transforms}).callers)).toEqual(callers);
      }),
      {numRuns: 300},
    );
  });
});

describe("inverted trees", () => {
  it("innermost frames at the top, callers below; the top level's self is its total", () => {
    expect(shape(small, {invert: true})).toBe(`all:8/0
  eval:2/2
    main:2/0
      app:2/0
  gc:2/2
    eval:2/0
      main:2/0
        app:2/0
  lex:2/2
    parse:2/0
      main:2/0
        app:2/0
  parse:1/1
    main:1/0
      app:1/0
  work:1/1
    worker:1/0`);
  });

  it("after the transforms", () => {
    expect(shape(small, {invert: true, transforms: [{type: "focus-function", name: "main"}, {type: "merge-function", name: "eval"}]})).toBe(`all:7/0
  gc:2/2
    main:2/0
  lex:2/2
    parse:2/0
      main:2/0
  main:2/2
  parse:1/1
    main:1/0`);
  });
});

describe("sandwich", () => {
  it("the callers and the callees of a function, over the same samples", () => {
    const {callers, callees} = sandwich(recursive, "walk");
    expect(treeShape(callers)).toBe(`all:3/0
  walk:3/3
    main:3/0
      app:3/0`);
    expect(treeShape(callees)).toBe(treeShape(callTree(recursive, {transforms: [{type: "focus-function", name: "walk"}]})));
    const lib = sandwich(recursive, "vfprintf");
    expect(treeShape(lib.callers)).toBe(`all:2/0
  vfprintf:2/2
    printf:2/0
      fmt:2/0
        main:2/0
          app:2/0`);
    expect(treeShape(lib.callees)).toBe(`all:2/0
  vfprintf:2/1
    write:1/1`);
  });

  it("after the transforms, and empty for a function no sample has", () => {
    const {callers} = sandwich(recursive, "vfprintf", {transforms: [{type: "merge-function", name: "printf"}]});
    expect(treeShape(callers).split("\n")[2]).toBe("    fmt:2/0");
    const none = sandwich(recursive, "nothing");
    expect([none.callers.samples, none.callees.samples]).toEqual([0, 0]);
  });
});

describe("per-thread trees", () => {
  const threads = sampleView(
    parsePerfScript(
      perfText([
        sample("1.1", ["main", "a"], {tid: 7}),
        sample("1.2", ["main", "b"], {tid: 7}),
        sample("1.3", ["run"], {tid: 9, comm: "pool-1"}),
        sample("1.4", ["run"], {tid: 9, comm: "pool-1"}),
        sample("1.5", ["run", "x"], {tid: 9, comm: "pool-1"}),
        sample("2.5", ["tick"], {tid: 3, comm: "timer"}),
      ]),
    ),
  );

  it("the busiest threads first, each with its tree", () => {
    const rows = threadTrees(threads, {limit: 2});
    expect(rows.map((r) => `${r.comm} ${r.tid}: ${r.samples}`)).toEqual(["pool-1 9: 3", "app 7: 2"]);
    expect(treeShape(rows[0].tree)).toBe(`all:3/0
  pool-1:3/0
    run:3/2
      x:1/1`);
    expect(threadTrees(threads).map((r) => r.tid)).toEqual([9, 7, 3]);
  });

  it("of a selection, with transforms", () => {
    const rows = threadTrees(threads.select([timeRange(0, 1)]), {transforms: [{type: "merge-function", name: "main"}], invert: true});
    expect(rows.map((r) => r.tid)).toEqual([9, 7]);
    expect(treeShape(rows[1].tree)).toBe(`all:2/0
  a:1/1
    app:1/0
  b:1/1
    app:1/0`);
  });

  it("refuses a limit that is not a whole number ≥ 1", () => {
    expect(() => threadTrees(threads, {limit: 0})).toThrow(/whole number/);
  });
});

describe("the text form of transforms", () => {
  const all: CallTreeTransform[] = [
    {type: "focus-function", name: "std::vector<int>::push_back(int&&)"},
    {type: "focus-subtree", path: ["java", "Thread.run", "a,b~c"]},
    {type: "merge-function", name: "malloc"},
    {type: "drop-function", name: "100% ~ <script>"},
    {type: "collapse-recursion", name: "walk"},
    {type: "collapse-direct-recursion", name: "walk"},
    {type: "collapse-module", module: LIBC},
  ];

  it("round-trips any names in URL-safe text", () => {
    const text = formatTransforms(all);
    expect(text).toMatch(/^[A-Za-z0-9\-._~%,]+$/);
    expect(parseTransforms(text)).toEqual(all);
    expect(formatTransforms([{type: "focus-function", name: "main"}, {type: "merge-function", name: "malloc"}])).toBe("ff-main~mf-malloc");
    expect(parseTransforms("")).toEqual([]);
  });

  it("refuses what is not a transform, saying what it expected", () => {
    expect(() => parseTransforms("xx-main")).toThrow(/not a transform: "xx-main" \(expected KEY-NAME/);
    expect(() => parseTransforms("ff-")).toThrow(/no function/);
    expect(() => parseTransforms("ff-%E0%A4%A")).toThrow(/broken %-escape/);
    expect(() => parseTransforms(Array(65).fill("ff-a").join("~"))).toThrow(/at most 64/);
  });

  it("describes transforms for people", () => {
    expect(all.map(describeTransform)).toEqual([
      "focus on std::vector<int>::push_back(int&&)",
      "focus on the subtree java → Thread.run → a,b~c",
      "merge malloc",
      "drop samples with 100% ~ <script>",
      "collapse recursion in walk",
      "collapse direct recursion in walk",
      "collapse libc.so.6",
    ]);
  });
});
