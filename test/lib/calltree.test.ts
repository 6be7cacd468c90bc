import {describe, expect, it} from "vitest";
import {callTree, describeTransform, formatTransforms, parseTransforms, sandwich, threadTrees, type CallTreeTransform} from "../../src/lib/calltree.js";
import {diffTrees} from "../../src/lib/diff.js";
import {flameTree, searchTree, topFunctions} from "../../src/lib/flametree.js";
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
