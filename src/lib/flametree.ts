// Flame-graph trees of a selection: root → comm → frames, the shape of folded stacks.
//
// A tree is computed in columns: one pass over the selected samples counts samples per
// stack, a few passes over the stack table fold those counts into nodes and link each
// node's children in name order. Node objects are made only when something walks down
// to them (a renderer stops at frames too narrow to see), so a selection of a million
// samples becomes a tree in milliseconds however many distinct stacks it holds.
import type {AnalysisOptions} from "./filter.js";
import {PairTable} from "./intern.js";
import {namePattern, type NamePattern} from "./pattern.js";
import {FRAME_KINDS, type FrameKind, type Profile} from "./profile.js";
import type {Selection} from "./selection.js";
import {isSampleView, sampleView, type SampleView} from "./view.js";

/** A function's identity and its sample counts (and summed weights). */
export interface FrameCounts {
  name: string;
  /** Module/DSO, "" when none. */
  module: string;
  kind: FrameKind | "root";
  /** Samples whose innermost frame is this one. */
  self: number;
  /** Samples through this frame (for a node: self + children's totals). */
  total: number;
  selfWeight: number;
  totalWeight: number;
}

export interface FlameNode extends FrameCounts {
  children: FlameNode[];
  /** Present on differential trees: this node's A value minus B's, B scaled by
   * total(A)/total(B). */
  delta?: FlameDelta;
}

export interface FlameDelta {
  self: number;
  total: number;
  selfWeight: number;
  totalWeight: number;
}

export interface FlameTree {
  root: FlameNode;
  /** Samples in the tree (= root.total). */
  samples: number;
  weight: number;
}

export interface FlameTreeOptions extends AnalysisOptions {
  /** Children order: "name" (alphabetical, as flamegraph.pl) or "total" (largest first). */
  order?: "name" | "total";
}

/** Per profile, computed once: functions (frames merged by name, module and kind) and
 * "paths" (stacks merged where their functions are the same: the flame graph's nodes),
 * with paths listed in the name order of their functions. */
interface TreeIndex {
  names: string[];
  modules: string[];
  kinds: FrameKind[];
  /** Path of each stack. Paths are numbered parents first. */
  pathOfStack: Int32Array;
  pathParent: Int32Array;
  pathFunction: Int32Array;
  /** Path ids sorted by their function's (name, module), stable. */
  pathsByName: Int32Array;
}

const indexCache = new WeakMap<Profile, TreeIndex>();

function treeIndex(profile: Profile): TreeIndex {
  let index = indexCache.get(profile);
  if (index) return index;
  const {frames, strings, stacks} = profile;
  const fnOfFrame = new Int32Array(frames.length);
  const ids = new Map<string, number>();
  const names: string[] = [], modules: string[] = [], kinds: FrameKind[] = [];
  for (let f = 0; f < frames.length; f++) {
    const name = strings[frames.name[f]];
    const module = frames.module[f] < 0 ? "" : strings[frames.module[f]];
    const kind = FRAME_KINDS[frames.kind[f]];
    const key = `${name}\0${module}\0${kind}`;
    let id = ids.get(key);
    if (id === undefined) {
      ids.set(key, (id = names.length));
      names.push(name);
      modules.push(module);
      kinds.push(kind);
    }
    fnOfFrame[f] = id;
  }
  const paths = new PairTable();
  const pathOfStack = new Int32Array(stacks.length);
  for (let s = 0; s < stacks.length; s++) {
    const p = stacks.prefix[s];
    pathOfStack[s] = paths.intern(p < 0 ? -1 : pathOfStack[p], fnOfFrame[stacks.frame[s]]);
  }
  // Rank functions by name, then order paths by rank with a counting sort.
  const byName = Array.from(names.keys()).sort((a, b) => compareText(names[a], names[b]) || compareText(modules[a], modules[b]) || a - b);
  const rank = new Int32Array(names.length);
  byName.forEach((fn, r) => (rank[fn] = r));
  const n = paths.size;
  const pathFunction = paths.second.slice(0, n);
  const starts = new Int32Array(names.length + 1);
  for (let p = 0; p < n; p++) starts[rank[pathFunction[p]] + 1]++;
  for (let r = 0; r < names.length; r++) starts[r + 1] += starts[r];
  const pathsByName = new Int32Array(n);
  for (let p = 0; p < n; p++) pathsByName[starts[rank[pathFunction[p]]]++] = p;
  index = {names, modules, kinds, pathOfStack, pathParent: paths.first.slice(0, n), pathFunction, pathsByName};
  indexCache.set(profile, index);
  return index;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Self samples and weights per stack id for the samples of a view. */
export function stackCounts(view: SampleView) {
  const {profile, ranges} = view;
  const {stackOk, threadOk, eventOk, cpuOk, stacksOnly: byStackOnly} = view.selector;
  const {stack, thread, event, cpu, weight} = profile.samples;
  // Counts in 32 bits (half the memory a pass over them touches); weights need 64.
  const count = new Uint32Array(profile.stacks.length);
  const weightSum = new Float64Array(profile.stacks.length);
  // Usually only idle stacks are filtered out (byStackOnly): then the loop tests the
  // stack alone.
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r], end = ranges[r + 1]; i < end; i++) {
      const s = stack[i];
      if (stackOk[s] === 0) continue;
      if (!byStackOnly && (threadOk[thread[i]] === 0 || eventOk[event[i]] === 0 || (cpuOk !== null && cpuOk[cpu[i] + 1] === 0))) continue;
      count[s]++;
      weightSum[s] += weight[i];
    }
  }
  return {count, weight: weightSum};
}

/** The columns of one computed tree. Node ids are path ids; -1 is the root. */
interface TreeColumns {
  index: TreeIndex;
  order: "name" | "total";
  self: Uint32Array;
  total: Uint32Array;
  selfWeight: Float64Array;
  totalWeight: Float64Array;
  /** Children of node n (root: n = -1) are childList[childStart[n + 1] .. childStart[n + 2]). */
  childStart: Int32Array;
  childList: Int32Array;
  /** Node objects made so far, by id. */
  objects: (LazyNode | undefined)[];
}

/** A node whose children are made on first access. */
class LazyNode implements FlameNode {
  name: string;
  module: string;
  kind: FrameKind | "root";
  self: number;
  total: number;
  selfWeight: number;
  totalWeight: number;
  // ES private fields: not enumerable, so spreading or serialising a node shows only
  // the FlameNode fields.
  readonly #columns: TreeColumns;
  readonly #id: number;
  #children: FlameNode[] | undefined;

  constructor(columns: TreeColumns, id: number, rootTotals?: [number, number]) {
    this.#columns = columns;
    this.#id = id;
    const {index} = columns;
    if (id < 0) {
      this.name = "all";
      this.module = "";
      this.kind = "root";
      this.self = this.selfWeight = 0;
      [this.total, this.totalWeight] = rootTotals!;
    } else {
      const fn = index.pathFunction[id];
      this.name = index.names[fn];
      this.module = index.modules[fn];
      this.kind = index.kinds[fn];
      this.self = columns.self[id];
      this.total = columns.total[id];
      this.selfWeight = columns.selfWeight[id];
      this.totalWeight = columns.totalWeight[id];
    }
    if (id >= 0) columns.objects[id] = this;
  }

  get children(): FlameNode[] {
    if (!this.#children) {
      const columns = this.#columns, id = this.#id;
      const made: LazyNode[] = [];
      for (let k = columns.childStart[id + 1]; k < columns.childStart[id + 2]; k++) made.push(new LazyNode(columns, columns.childList[k]));
      if (columns.order === "total") made.sort((a, b) => b.total - a.total); // stable: ties stay in name order
      this.#children = made;
    }
    return this.#children;
  }

  /** For JSON.stringify of trees up to about a thousand levels deep (it recurses);
   * flameNodeJson writes any depth. */
  toJSON() {
    const {name, module, kind, self, total, selfWeight, totalWeight, children} = this;
    return {name, module, kind, self, total, selfWeight, totalWeight, children};
  }
}

const columnsOf = new WeakMap<FlameNode, TreeColumns>();

/** The flame tree of a profile's selection (with `options`' idle classifier and
 * filter), or of a sample view. */
export function flameTree(profile: Profile, selection?: Selection, options?: FlameTreeOptions): FlameTree;
export function flameTree(view: SampleView, options?: Pick<FlameTreeOptions, "order">): FlameTree;
export function flameTree(source: Profile | SampleView, selectionOrOptions?: Selection | FlameTreeOptions, maybeOptions?: FlameTreeOptions): FlameTree {
  const [view, options] = isSampleView(source)
    ? [source, (selectionOrOptions ?? {}) as FlameTreeOptions]
    : [sampleView(source, (selectionOrOptions ?? null) as Selection, maybeOptions), maybeOptions ?? {}];
  const index = treeIndex(view.profile);
  const {count, weight} = stackCounts(view);
  const n = index.pathParent.length;
  const self = new Uint32Array(n), selfWeight = new Float64Array(n);
  const {pathOfStack, pathParent} = index;
  for (let s = 0; s < count.length; s++) {
    if (count[s] === 0) continue;
    self[pathOfStack[s]] += count[s];
    selfWeight[pathOfStack[s]] += weight[s];
  }
  const total = self.slice(), totalWeight = selfWeight.slice();
  let rootTotal = 0, rootWeight = 0;
  for (let p = n - 1; p >= 0; p--) {
    const parent = pathParent[p];
    if (parent >= 0) {
      total[parent] += total[p];
      totalWeight[parent] += totalWeight[p];
    } else {
      rootTotal += total[p];
      rootWeight += totalWeight[p];
    }
  }
  // Children lists, filled in name order (slot 0 is the root's).
  const childStart = new Int32Array(n + 2);
  for (let p = 0; p < n; p++) if (total[p] > 0) childStart[pathParent[p] + 2]++;
  for (let k = 1; k < childStart.length; k++) childStart[k] += childStart[k - 1];
  const cursor = childStart.slice(0, n + 1);
  const childList = new Int32Array(childStart[n + 1]);
  for (const p of index.pathsByName) if (total[p] > 0) childList[cursor[pathParent[p] + 1]++] = p;

  const columns: TreeColumns = {index, order: options.order ?? "name", self, total, selfWeight, totalWeight, childStart, childList, objects: []};
  const root = new LazyNode(columns, -1, [rootTotal, rootWeight]);
  columnsOf.set(root, columns);
  return {root, samples: rootTotal, weight: rootWeight};
}

const byName = (a: FlameNode, b: FlameNode) => compareText(a.name, b.name) || compareText(a.module, b.module);
const byTotal = (a: FlameNode, b: FlameNode) => b.total - a.total || byName(a, b);

/** Sorts a tree of plain nodes (such as an elided tree) in place. */
export function sortTree(root: FlameNode, order: "name" | "total"): void {
  const compare = order === "total" ? byTotal : byName;
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.children.length > 1) node.children.sort(compare);
    for (const c of node.children) stack.push(c);
  }
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

/** Visits a computed tree's nodes depth first (root excluded) in its columns. */
function visitColumns(columns: TreeColumns, enter: (id: number) => void, leave: (id: number) => void): void {
  const {childStart, childList} = columns;
  const stack: number[] = [];
  for (let k = childStart[1] - 1; k >= childStart[0]; k--) stack.push(childList[k]);
  while (stack.length) {
    const id = stack.pop()!;
    if (id < 0) {
      leave(~id);
      continue;
    }
    enter(id);
    stack.push(~id);
    for (let k = childStart[id + 2] - 1; k >= childStart[id + 1]; k--) stack.push(childList[k]);
  }
}

/** Functions ranked by self (default) or total samples in a tree. */
export function topFunctions(tree: FlameTree, options: {by?: "self" | "total"; limit?: number} = {}): FunctionRow[] {
  const by = options.by ?? "self";
  const rows = new Map<string, FunctionRow>();
  const columns = columnsOf.get(tree.root);
  if (columns) {
    // In columns: per function, with a count of its occurrences on the current path.
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
      if (total[fn] > 0) rows.set(String(fn), {name: index.names[fn], module: index.modules[fn], kind: index.kinds[fn], self: self[fn], total: total[fn], selfWeight: selfW[fn], totalWeight: totalW[fn]});
    }
  } else {
    const onPath = new Map<string, number>();
    const keyOf = (node: FlameNode) => `${node.name}\0${node.module}\0${node.kind}`;
    walkTree(
      tree.root,
      (node) => {
        if (node === tree.root) return;
        const key = keyOf(node);
        let row = rows.get(key);
        if (!row) rows.set(key, (row = {name: node.name, module: node.module, kind: node.kind, self: 0, total: 0, selfWeight: 0, totalWeight: 0}));
        row.self += node.self;
        row.selfWeight += node.selfWeight;
        const depth = onPath.get(key) ?? 0;
        if (depth === 0) { row.total += node.total; row.totalWeight += node.totalWeight; }
        onPath.set(key, depth + 1);
      },
      (node) => { if (node !== tree.root) onPath.set(keyOf(node), onPath.get(keyOf(node))! - 1); },
    );
  }
  return [...rows.values()]
    .filter((r) => r[by] > 0)
    .sort((a, b) => b[by] - a[by] || compareText(a.name, b.name))
    .slice(0, options.limit ?? 20);
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
  const columns = columnsOf.get(tree.root);
  if (columns) {
    // Test each function once; walk the columns; make objects for the matches only.
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
    for (const id of found) nodes.add(nodeObject(tree.root as LazyNode, columns, id));
  } else {
    let depthInMatch = 0;
    walkTree(
      tree.root,
      (node) => {
        if (node.kind === "root" || !test(node.name)) return;
        nodes.add(node);
        if (depthInMatch++ === 0) samples += node.total;
      },
      (node) => { if (nodes.has(node)) depthInMatch--; },
    );
  }
  return {samples, fraction: tree.samples > 0 ? samples / tree.samples : 0, nodes};
}

/** The object for node id, making the objects on its path from the root. */
function nodeObject(root: LazyNode, columns: TreeColumns, id: number): LazyNode {
  const unmade: number[] = [];
  for (let n = id; n >= 0 && !columns.objects[n]; n = columns.index.pathParent[n]) unmade.push(n);
  // Outermost first: reading a parent's children makes the child's object.
  for (let k = unmade.length - 1; k >= 0; k--) {
    const parent = columns.index.pathParent[unmade[k]];
    void (parent < 0 ? root : columns.objects[parent]!).children;
  }
  return columns.objects[id]!;
}
