// Flame-graph trees of a selection: root → comm → frames, the shape of folded stacks.
//
// A tree is computed in columns: one pass over the selected samples counts samples per
// stack, a few passes over the stack table fold those counts into nodes and link each
// node's children in name order. Node objects are made only when something walks down
// to them (a renderer stops at frames too narrow to see), so a selection of a million
// samples becomes a tree in milliseconds however many distinct stacks it holds.
import type {FlameNode, FlameTree, FrameCounts} from "./flame-types.js";
import type {AnalysisOptions} from "./filter.js";
import {namePattern, type NamePattern} from "./pattern.js";
import {PairTable} from "./intern.js";
import type {FrameKind, Profile} from "./profile.js";
import type {Selection} from "./selection.js";
import {columnsFromSelf, columnsOf, compareText, countSamples, functionOfStack, nodeObject, pathIndex, pathOrder, selectionColumns, treeIndex, treeOf, visitColumns, type TreeColumns} from "./tree-columns.js";
import {isSampleView, sampleView, type SampleView} from "./view.js";

export type {FlameDelta, FlameNode, FlameTree, FrameCounts} from "./flame-types.js";
export {wideChildren, type WideChildren} from "./tree-columns.js";

export interface FlameTreeOptions extends AnalysisOptions {
  /** Children order: "name" (alphabetical, as flamegraph.pl) or "total" (largest first). */
  order?: "name" | "total";
}

/** Self samples and weights per stack id for the samples of a view; with `groupOf`
 * (a group id per stack, `groups` of them), per group instead. */
export function stackCounts(view: SampleView, groupOf: Int32Array | null = null, groups = view.profile.stacks.length) {
  // Counts in 32 bits (half the memory a pass over them touches); weights need 64.
  const count = new Uint32Array(groups);
  const weight = new Float64Array(groups);
  countSamples(view, groupOf, count, weight);
  return {count, weight};
}

/** The flame tree of a profile's selection (with `options`' idle classifier and
 * filter), or of a sample view. */
export function flameTree(profile: Profile, selection?: Selection, options?: FlameTreeOptions): FlameTree;
export function flameTree(view: SampleView, options?: Pick<FlameTreeOptions, "order">): FlameTree;
export function flameTree(source: Profile | SampleView, selectionOrOptions?: Selection | FlameTreeOptions, maybeOptions?: FlameTreeOptions): FlameTree {
  const [view, options] = isSampleView(source)
    ? [source, (selectionOrOptions ?? {}) as FlameTreeOptions]
    : [sampleView(source, (selectionOrOptions ?? null) as Selection, maybeOptions), maybeOptions ?? {}];
  return treeOf(selectionColumns(view, options.order ?? "name"));
}

/** Builds, once per profile, what the flame trees of its selections share (the merged
 * paths, their children lists and their depth-first order), so that the first
 * selection's tree does not wait for it: a page calls it once drawn, a notebook need not. */
export function prepareFlameTrees(profile: Profile): void {
  pathOrder(treeIndex(profile));
}

/** Self samples and weights per path of the profile's tree index (its flame-graph
 * nodes) for the samples of a view. */
export function pathCounts(view: SampleView) {
  const index = treeIndex(view.profile);
  // Counted per path at once: no array per stack to fill and fold.
  const {count, weight} = stackCounts(view, index.pathOfStack, index.pathParent.length);
  return {index, self: count, selfWeight: weight};
}

/** Calls `enter` on every node, parents before children and children in order, with
 * the path from the root (the node excluded), and `leave` after its subtree; when
 * `enter` returns false the node's children are skipped. Iterative: stacks thousands of
 * frames deep do not overflow the call stack. */
export function walkTree(
  root: FlameNode,
  enter: (node: FlameNode, depth: number, path: readonly FlameNode[]) => unknown,
  leave?: (node: FlameNode, depth: number) => void,
): void {
  const path: FlameNode[] = [];
  // Each entry is a node to enter, or (leaving) null after the node it closes.
  const todo: (FlameNode | null)[] = [root];
  while (todo.length) {
    const node = todo.pop();
    if (node === null) {
      const done = path.pop()!;
      leave?.(done, path.length);
      continue;
    }
    if (enter(node!, path.length, path) === false) {
      leave?.(node!, path.length);
      continue;
    }
    path.push(node!);
    todo.push(null);
    const children = node!.children;
    for (let k = children.length - 1; k >= 0; k--) todo.push(children[k]);
  }
}

/** A tree as JSON text ({name, module, kind, self, total, selfWeight, totalWeight,
 * children[, delta]} per node), written without recursion: JSON.stringify of a deep
 * tree overflows the call stack. */
export function flameNodeJson(root: FlameNode): string {
  const out: string[] = [];
  walkTree(
    root,
    (node, _depth, path) => {
      const parent = path[path.length - 1];
      if (parent && parent.children[0] !== node) out.push(",");
      const {name, module, kind, self, total, selfWeight, totalWeight, delta} = node;
      const head = JSON.stringify({name, module, kind, self, total, selfWeight, totalWeight, ...(delta ? {delta} : {})});
      out.push(head.slice(0, -1), ',"children":[');
    },
    () => out.push("]}"),
  );
  return out.join("");
}

/** A function's counts over a whole tree; `total` counts samples with the function
 * anywhere in the stack, recursion once. */
export type FunctionRow = FrameCounts;

/** Functions ranked by self (default) or total samples in a tree. */
export function topFunctions(tree: FlameTree, options: {by?: "self" | "total"; limit?: number} = {}): FunctionRow[] {
  const by = options.by ?? "self";
  const limit = options.limit ?? 20;
  const rows: FunctionRow[] = [];
  const columns = columnsOf(tree, "topFunctions");
  if (by === "self" && columns.samples && limit <= MASK_BITS) return topBySelf(columns, columns.samples, limit);
  // Per function, with a count of its occurrences on the current path: a recursive
  // function's total counts each sample once.
  const {index} = columns;
  const fns = index.names.length;
  const self = new Float64Array(fns), selfW = new Float64Array(fns), total = new Float64Array(fns), totalW = new Float64Array(fns);
  const onPath = new Int32Array(fns);
  visitColumns(
    columns,
    (id) => {
      const fn = index.pathFunction[id];
      self[fn] += columns.self[id];
      selfW[fn] += columns.selfWeight[id];
      if (onPath[fn]++ === 0) { total[fn] += columns.total[id]; totalW[fn] += columns.totalWeight[id]; }
    },
    (id) => onPath[index.pathFunction[id]]--,
  );
  for (let fn = 0; fn < fns; fn++) {
    if (total[fn] > 0) rows.push({name: index.names[fn], module: index.modules[fn], kind: index.kinds[fn], self: self[fn], total: total[fn], selfWeight: selfW[fn], totalWeight: totalW[fn]});
  }
  return rows
    .filter((r) => r[by] > 0)
    .sort((a, b) => b[by] - a[by] || compareText(a.name, b.name))
    .slice(0, limit);
}

/** Functions a path mask holds (one bit each). */
const MASK_BITS = 32;

/** topFunctions by self of a tree that counts a view's samples as they are: self counts
 * per function from one pass over the samples (each sample's innermost function), then
 * the totals of the top functions only, as bits of a mask per sample: its path walked
 * to the root when the samples are few (a sorted tree), else carried down every path.
 * No walk of every node of the tree (on captures of millions of paths, that walk and
 * the columns it reads take hundreds of ms in a browser). */
function topBySelf(columns: TreeColumns, view: SampleView, limit: number): FunctionRow[] {
  const {index} = columns;
  const fns = index.names.length;
  const self = new Uint32Array(fns), selfWeight = new Float64Array(fns);
  countSamples(view, functionOfStack(index), self, selfWeight);
  const ranked: number[] = [];
  for (let fn = 0; fn < fns; fn++) if (self[fn] > 0) ranked.push(fn);
  // As topFunctions ranks its rows (in function order, then a stable sort).
  ranked.sort((a, b) => self[b] - self[a] || compareText(index.names[a], index.names[b]) || a - b);
  const top = ranked.slice(0, limit);
  const bit = new Int32Array(fns).fill(-1);
  top.forEach((fn, k) => (bit[fn] = k));
  const {pathParent, pathFunction, pathOfStack} = index;
  const total = new Float64Array(top.length), totalWeight = new Float64Array(top.length);
  /** Adds samples to the totals of the top functions in a mask. */
  const addToTotals = (mask: number, samples: number, weight: number) => {
    for (let m = mask; m !== 0; m &= m - 1) {
      const b = 31 - Math.clz32(m & -m);
      total[b] += samples;
      totalWeight[b] += weight;
    }
  };
  if (columns.sorted) {
    // Few samples against the paths: each sample's path walked to the root, with no
    // column as long as the paths.
    const weights = view.profile.samples.weight;
    countSamples(view, null, null, null, (i, s) => {
      let mask = 0;
      for (let p = pathOfStack ? pathOfStack[s] : s; p >= 0; p = pathParent[p]) {
        const b = bit[pathFunction[p]];
        if (b >= 0) mask |= 1 << b;
      }
      addToTotals(mask, 1, weights[i]);
    });
  } else {
    // The top functions on each path (parents come first), and the samples ending
    // there: the tree's own self columns.
    const paths = pathParent.length;
    const onPath = new Uint32Array(paths);
    for (let p = 0; p < paths; p++) {
      const b = bit[pathFunction[p]];
      onPath[p] = (pathParent[p] < 0 ? 0 : onPath[pathParent[p]]) | (b < 0 ? 0 : 1 << b);
    }
    const {self: pathSelf, selfWeight: pathWeight} = columns;
    for (let p = 0; p < paths; p++) if (pathSelf[p] > 0) addToTotals(onPath[p], pathSelf[p], pathWeight[p]);
  }
  return top.map((fn, k) => ({name: index.names[fn], module: index.modules[fn], kind: index.kinds[fn], self: self[fn], total: total[k], selfWeight: selfWeight[fn], totalWeight: totalWeight[k]}));
}

export interface SearchResult {
  /** Samples under matching frames, each counted once (at its outermost match). */
  samples: number;
  fraction: number;
  /** The matching nodes. */
  nodes: Set<FlameNode>;
}

/** Frames whose name matches, and the share of samples under them. A string pattern is
 * matched with RE2 semantics in linear time (./pattern.js). */
export function searchTree(tree: FlameTree, pattern: string | RegExp | NamePattern): SearchResult {
  const matcher = namePattern(pattern);
  const test = (name: string) => matcher.test(name);
  const nodes = new Set<FlameNode>();
  let samples = 0;
  // Test each function once; walk the columns; make objects for the matches only.
  const columns = columnsOf(tree, "searchTree");
  const {index} = columns;
  const matches = index.names.map(test);
  let depthInMatch = 0;
  const found: number[] = [];
  visitColumns(
    columns,
    (id) => {
      if (!matches[index.pathFunction[id]]) return;
      if (depthInMatch++ === 0) samples += columns.total[id];
      found.push(id);
    },
    (id) => { if (matches[index.pathFunction[id]]) depthInMatch--; },
  );
  for (const id of found) nodes.add(nodeObject(tree, columns, id));
  return {samples, fraction: tree.samples > 0 ? samples / tree.samples : 0, nodes};
}


/** Self counts per stack of stacks that are no profile's (a profile store's query
 * result): `parent[s]` (−1 for a root) comes before `s`, `fn[s]` indexes the function
 * lists. */
export interface StackPathCounts {
  names: string[];
  modules: string[];
  kinds: FrameKind[];
  parent: Int32Array;
  fn: Int32Array;
  self: Float64Array;
  selfWeight: Float64Array;
}

/** The flame tree of counts per stack given as paths (see StackPathCounts): the same
 * tree flameTree makes of a profile with those samples. */
export function flameTreeOfPaths(input: StackPathCounts, order: "name" | "total" = "name"): FlameTree {
  const paths = new PairTable();
  const n = input.parent.length;
  const pathOf = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const p = input.parent[s];
    if (p >= s) throw new Error(`flameTreeOfPaths: stack ${s}'s parent ${p} does not come before it`);
    pathOf[s] = paths.intern(p < 0 ? -1 : pathOf[p], input.fn[s]);
  }
  const self = new Float64Array(paths.size), selfWeight = new Float64Array(paths.size);
  for (let s = 0; s < n; s++) {
    self[pathOf[s]] += input.self[s];
    selfWeight[pathOf[s]] += input.selfWeight[s];
  }
  const index = pathIndex({names: input.names, modules: input.modules, kinds: input.kinds}, paths);
  return treeOf(columnsFromSelf(index, self, selfWeight, order));
}
