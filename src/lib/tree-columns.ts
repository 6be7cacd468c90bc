// The columns behind every flame tree the library makes (flameTree, diffTrees,
// elidedTree): per-profile "paths" (stacks merged where their functions are the same:
// the flame graph's nodes) and, per tree, counts per path and each node's children.
// Node objects are made lazily from them. Internal to the library: src/lib/index.ts does
// not export this module.
import {PairTable} from "./intern.js";
import {FRAME_KINDS, type FrameKind, type Profile} from "./profile.js";
import type {FlameDelta, FlameNode, FlameTree} from "./flame-types.js";
import type {SampleView} from "./view.js";

/** Per profile, computed once: functions (frames merged by name, module and kind) and
 * "paths" (stacks merged where their functions are the same: the flame graph's nodes),
 * with paths listed in the name order of their functions. */
export interface TreeIndex {
  names: string[];
  modules: string[];
  kinds: FrameKind[];
  /** Path of each stack; null when every stack is a path of its own (with the same
   * id), which is so when no two frames are one function. Paths are numbered parents
   * first. */
  pathOfStack: Int32Array | null;
  pathParent: Int32Array;
  pathFunction: Int32Array;
  /** Each function's place in the order of (name, module). */
  functionRank: Int32Array;
}

const indexCache = new WeakMap<Profile, TreeIndex>();

export function treeIndex(profile: Profile): TreeIndex {
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
  // Functions are usually the frames themselves (frames differ in more than the
  // function only when addresses are kept): then the paths are the stacks, and the
  // stack table serves as the path table, with no table of millions of pairs to build.
  let pathOfStack: Int32Array | null = null, pathParent: Int32Array, pathFunction: Int32Array;
  if (names.length === frames.length) {
    pathParent = stacks.prefix;
    pathFunction = stacks.frame;
  } else {
    const paths = new PairTable();
    pathOfStack = new Int32Array(stacks.length);
    for (let s = 0; s < stacks.length; s++) {
      const p = stacks.prefix[s];
      pathOfStack[s] = paths.intern(p < 0 ? -1 : pathOfStack[p], fnOfFrame[stacks.frame[s]]);
    }
    pathParent = paths.first.slice(0, paths.size);
    pathFunction = paths.second.slice(0, paths.size);
  }
  index = {names, modules, kinds, pathOfStack, pathParent, pathFunction, functionRank: functionRanks(names, modules)};
  indexCache.set(profile, index);
  return index;
}

/** Each function's place in the order of (name, module), for the order of children. */
function functionRanks(names: string[], modules: string[]): Int32Array {
  const byName = Array.from(names.keys()).sort((a, b) => compareText(names[a], names[b]) || compareText(modules[a], modules[b]) || a - b);
  const rank = new Int32Array(names.length);
  byName.forEach((fn, r) => (rank[fn] = r));
  return rank;
}

/** Functions of a tree index: names, modules and kinds by function id. */
export type TreeFunctions = Pick<TreeIndex, "names" | "modules" | "kinds">;

/** The index of interned paths (numbered parents first) over some functions: a
 * transformed tree's (./calltree.js), whose paths are no profile's stacks (its
 * pathOfStack is empty: no samples are counted through it). */
export function pathIndex(functions: TreeFunctions, paths: PairTable): TreeIndex {
  const n = paths.size;
  return {
    ...functions, pathOfStack: new Int32Array(0), pathParent: paths.first.slice(0, n), pathFunction: paths.second.slice(0, n),
    functionRank: functionRanks(functions.names, functions.modules),
  };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The columns of one computed tree. Node ids are path ids; -1 is the root. */
export interface TreeColumns {
  index: TreeIndex;
  order: "name" | "total";
  /** Samples per path: whole counts, or scaled ones (elided trees). */
  self: Uint32Array | Float64Array;
  total: Uint32Array | Float64Array;
  selfWeight: Float64Array;
  totalWeight: Float64Array;
  rootTotal: number;
  rootWeight: number;
  /** Differential trees: A's value minus B's scaled value, per path and at the root. */
  delta: {self: Float64Array; total: Float64Array; selfWeight: Float64Array; totalWeight: Float64Array; root: FlameDelta} | null;
  /** Node objects made so far, by id. */
  objects: (LazyNode | undefined)[];
  /** A small selection's tree: its samples in depth-first order, where each node reads
   * its own counts (see SortedSamples); `self` and `total` are then made only when read. */
  sorted: SortedSamples | null;
  /** The view whose samples the tree counts as they are (a flame tree, no transform):
   * counts per function are then read from the samples, with no walk of the tree. */
  samples: SampleView | null;
}

/** Children lists up to this long are sorted by insertion. */
const SHORT_LIST = 16;

/** Every path's children (slot 0 is the root's) in name order (ties in id order): node
 * n's are childList[childStart[n + 1] .. childStart[n + 2]). */
export interface ChildLists {
  childStart: Int32Array;
  childList: Int32Array;
}

const childListsCache = new WeakMap<TreeIndex, ChildLists>();

/** The children lists of an index's paths in name order, made once per index, for
 * what walks the whole tree in order (the depth-first order of paths, searches). */
export function childLists(index: TreeIndex): ChildLists {
  let lists = childListsCache.get(index);
  if (lists) return lists;
  const {childStart, childList} = listChildren(index.pathParent);
  sortChildren(childStart, childList, index.functionRank, index.pathFunction);
  lists = {childStart, childList};
  childListsCache.set(index, lists);
  return lists;
}

// The passes over millions of paths are functions of their own, each with nothing after
// its loop but its result: V8 optimises a running loop (on-stack replacement) and throws
// that code away on reaching code after it that had never run, once per loop of a
// function that has several (measured on 2.2 M paths: four such rounds in childLists's
// first call).

/** The children of each path (and of the root, slot 0) in id order. Filled in id
 * order, which walks the paths front to back: the ends of the lists first, then each
 * child placed before the ones after it, so that every list ends where the next begins. */
function listChildren(pathParent: Int32Array): ChildLists {
  const n = pathParent.length;
  const childStart = countChildren(pathParent);
  startsFromCounts(childStart);
  childStart[n + 1] = childStart[n];
  return {childStart, childList: placeChildren(pathParent, childStart)};
}

function countChildren(pathParent: Int32Array): Int32Array {
  const n = pathParent.length;
  const counts = new Int32Array(n + 2);
  for (let p = 0; p < n; p++) counts[pathParent[p] + 1]++;
  return counts;
}

/** Counts (slots 1 … length - 2) to the ends of the lists. */
function startsFromCounts(childStart: Int32Array): void {
  for (let k = 1, n = childStart.length - 2; k <= n; k++) childStart[k] += childStart[k - 1];
}

function placeChildren(pathParent: Int32Array, childStart: Int32Array): Int32Array {
  const childList = new Int32Array(pathParent.length);
  for (let p = pathParent.length - 1; p >= 0; p--) childList[--childStart[pathParent[p] + 1]] = p;
  return childList;
}

/** Each list in name order: most lists are a few paths long and sorted in place; long
 * ones (a root with many processes) by a real sort. */
function sortChildren(childStart: Int32Array, childList: Int32Array, functionRank: Int32Array, pathFunction: Int32Array): void {
  const byRank = (a: number, b: number) => functionRank[pathFunction[a]] - functionRank[pathFunction[b]] || a - b;
  for (let k = 0, n = childStart.length - 2; k <= n; k++) {
    const from = childStart[k], to = childStart[k + 1];
    if (to - from > SHORT_LIST) {
      childList.subarray(from, to).sort(byRank);
      continue;
    }
    for (let i = from + 1; i < to; i++) {
      const p = childList[i], rank = functionRank[pathFunction[p]];
      let j = i - 1;
      for (; j >= from && functionRank[pathFunction[childList[j]]] > rank; j--) childList[j + 1] = childList[j];
      childList[j + 1] = p;
    }
  }
}

/** Every path's children (and the root's) in id order, as lists linked through the
 * paths, each id stored plus one (0 ends a list: the arrays need no fill): node n's
 * first child is firstChild[n + 1] - 1 (the root's: firstChild[0] - 1), and the one
 * after child c is nextSibling[c] - 1. */
interface ChildLinks {
  firstChild: Int32Array;
  nextSibling: Int32Array;
}

const childLinksCache = new WeakMap<TreeIndex, ChildLinks>();

/** The children lists of an index's paths, made once per index in one pass over them: a
 * tree lists a node's children with samples by skipping the others, and puts those in
 * name order when they are read. So a selection's tree makes no lists of its own (on
 * captures of millions of paths, the fresh memory a tree's arrays take costs more than
 * the passes that fill them), and the first tree of a profile sorts only the lists of
 * the nodes that are read (ordered lists of all 2.2 M paths of the deep benchmark
 * capture took four passes, most of that tree's first call). */
function childLinks(index: TreeIndex): ChildLinks {
  let links = childLinksCache.get(index);
  if (!links) childLinksCache.set(index, (links = linkChildren(index.pathParent)));
  return links;
}

/** Links each path into its parent's list, last path first, so that lists are in id
 * order. */
function linkChildren(pathParent: Int32Array): ChildLinks {
  const n = pathParent.length;
  const firstChild = new Int32Array(n + 1), nextSibling = new Int32Array(n);
  for (let p = n - 1; p >= 0; p--) {
    const slot = pathParent[p] + 1;
    nextSibling[p] = firstChild[slot];
    firstChild[slot] = p + 1;
  }
  return {firstChild, nextSibling};
}

/** The children of node id (-1: the root) whose `total` is above 0, in name order (ties
 * in id order), and their totals. */
function childrenByName(index: TreeIndex, total: Uint32Array | Float64Array, id: number): {ids: number[]; totals: number[]} {
  const {firstChild, nextSibling} = childLinks(index);
  const ids: number[] = [];
  for (let c = firstChild[id + 1] - 1; c >= 0; c = nextSibling[c] - 1) if (total[c] > 0) ids.push(c);
  if (ids.length > 1) {
    const {functionRank, pathFunction} = index;
    ids.sort((a, b) => functionRank[pathFunction[a]] - functionRank[pathFunction[b]] || a - b);
  }
  return {ids, totals: ids.map((c) => total[c])};
}

/** Self weights per path given later: computed only when a weight is read (the report
 * site's flame graphs show samples only), with the sum of all of them now. */
export interface DeferredWeights {
  selfWeight: () => Float64Array;
  rootWeight: number;
}

/** Totals summed up the paths (children have larger ids than their parents), and the
 * root's. */
function sumUp(pathParent: Int32Array, values: Uint32Array | Float64Array): number {
  let root = 0;
  for (let p = values.length - 1; p >= 0; p--) {
    const parent = pathParent[p];
    if (parent >= 0) values[parent] += values[p];
    else root += values[p];
  }
  return root;
}

/** A self column and its totals summed up the paths, made once on first use. */
function totalsWhenRead<T extends Uint32Array | Float64Array>(pathParent: Int32Array, own: () => T): () => {self: T; total: T} {
  let made: {self: T; total: T} | undefined;
  return () => {
    if (!made) {
      const self = own(), total = self.slice() as T;
      sumUp(pathParent, total);
      made = {self, total};
    }
    return made;
  };
}

/** Adds the weight columns to `columns` (made for them: not copied, as a copy would read
 * columns made only when read), now or (deferred) when first read. Enumerable, so that
 * a copy of the columns ({...columns}) has them too. */
function withWeights(columns: Omit<TreeColumns, "selfWeight" | "totalWeight" | "rootWeight">, selfWeight: Float64Array | DeferredWeights): TreeColumns {
  const {pathParent} = columns.index;
  if (selfWeight instanceof Float64Array) {
    const totalWeight = selfWeight.slice();
    return Object.assign(columns, {selfWeight, totalWeight, rootWeight: sumUp(pathParent, totalWeight)});
  }
  const weights = totalsWhenRead(pathParent, selfWeight.selfWeight);
  return Object.defineProperties(Object.assign(columns, {rootWeight: selfWeight.rootWeight}), {
    selfWeight: {get: () => weights().self, enumerable: true},
    totalWeight: {get: () => weights().total, enumerable: true},
  }) as TreeColumns;
}

/** A tree's columns from self counts per path: totals summed up the paths, and the
 * index's children lists (a child without samples is not the tree's). */
export function columnsFromSelf(index: TreeIndex, self: Uint32Array | Float64Array, selfWeight: Float64Array | DeferredWeights, order: "name" | "total"): TreeColumns {
  const total = self.slice();
  const rootTotal = sumUp(index.pathParent, total);
  return withWeights({index, order, self, total, rootTotal, delta: null, objects: [], sorted: null, samples: null}, selfWeight);
}

const functionOfStackCache = new WeakMap<TreeIndex, Int32Array>();

/** The function of each stack's innermost frame. */
export function functionOfStack(index: TreeIndex): Int32Array {
  const {pathOfStack, pathFunction} = index;
  if (!pathOfStack) return pathFunction;
  let fns = functionOfStackCache.get(index);
  if (!fns) {
    fns = new Int32Array(pathOfStack.length);
    for (let s = 0; s < pathOfStack.length; s++) fns[s] = pathFunction[pathOfStack[s]];
    functionOfStackCache.set(index, fns);
  }
  return fns;
}

/** Each path's place in the depth-first order of the tree of all paths (children in
 * their lists' name order), and the end of its subtree there: a node's samples, listed
 * in that order, are one run. Made once per index. */
export interface PathOrder {
  start: Int32Array;
  end: Int32Array;
  /** The place of each stack's path (`start` itself when stacks are the paths). */
  startOfStack: Int32Array;
}

const pathOrderCache = new WeakMap<TreeIndex, PathOrder>();

export function pathOrder(index: TreeIndex): PathOrder {
  let order = pathOrderCache.get(index);
  if (order) return order;
  const {pathParent, pathOfStack} = index;
  const {childStart, childList} = childLists(index);
  const n = pathParent.length;
  // Subtree sizes first (children have larger ids than their parents), then places
  // parents first: each child after its parent and its earlier siblings' subtrees.
  const end = new Int32Array(n).fill(1);
  for (let p = n - 1; p >= 0; p--) if (pathParent[p] >= 0) end[pathParent[p]] += end[p];
  const start = new Int32Array(n);
  for (let k = childStart[0], at = 0; k < childStart[1]; k++) {
    start[childList[k]] = at;
    at += end[childList[k]];
  }
  for (let p = 0; p < n; p++) {
    for (let k = childStart[p + 1], at = start[p] + 1; k < childStart[p + 2]; k++) {
      start[childList[k]] = at;
      at += end[childList[k]];
    }
    end[p] += start[p];
  }
  let startOfStack = start;
  if (pathOfStack) {
    startOfStack = new Int32Array(pathOfStack.length);
    for (let s = 0; s < pathOfStack.length; s++) startOfStack[s] = start[pathOfStack[s]];
  }
  order = {start, end, startOfStack};
  pathOrderCache.set(index, order);
  return order;
}

/** A selection's samples as their paths' places in the index's depth-first order,
 * sorted: the counts of any node are two binary searches away, so a tree of a small
 * selection of a capture with millions of paths needs no column as long as the paths
 * (what fills and sums those columns is most of such a tree's cost). */
export class SortedSamples {
  readonly order: PathOrder;
  readonly places: Int32Array;

  constructor(order: PathOrder, places: Int32Array) {
    this.order = order;
    this.places = places;
  }

  /** The first k in [from, to) with places[k] >= value (to when none). */
  #lowerBound(value: number, from = 0, to = this.places.length): number {
    const {places} = this;
    while (from < to) {
      const mid = (from + to) >>> 1;
      if (places[mid] < value) from = mid + 1;
      else to = mid;
    }
    return from;
  }

  total(id: number): number {
    return id < 0 ? this.places.length : this.#lowerBound(this.order.end[id]) - this.#lowerBound(this.order.start[id]);
  }

  self(id: number): number {
    if (id < 0) return 0;
    const at = this.#lowerBound(this.order.start[id]);
    return this.#lowerBound(this.order.start[id] + 1, at) - at;
  }

  /** The children of node id (-1: the root) that have samples, in list order, among
   * those of childList[from .. to): each found from the next sample not yet placed in
   * a child, skipping the children without samples in between. */
  childrenWithSamples(id: number, childList: Int32Array, from: number, to: number, totals: number[]): number[] {
    const {start, end} = this.order;
    let at = 0, last = this.places.length;
    if (id >= 0) {
      at = this.#lowerBound(start[id] + 1);
      last = this.#lowerBound(end[id], at);
    }
    const found: number[] = [];
    while (at < last) {
      const place = this.places[at];
      // The last child starting at or before `place` holds it.
      let lo = from, hi = to;
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (start[childList[mid]] <= place) lo = mid;
        else hi = mid;
      }
      const child = childList[lo];
      found.push(child);
      const next = this.#lowerBound(end[child], at, last);
      totals.push(next - at);
      at = next;
      from = lo + 1;
    }
    return found;
  }
}

/** A tree's columns from its samples' places (see SortedSamples), with the self counts
 * per path `countSelf` makes when a whole column is read (a walk of every node, a
 * comparison). */
export function columnsFromSorted(index: TreeIndex, sorted: SortedSamples, countSelf: () => Uint32Array, selfWeight: DeferredWeights, order: "name" | "total"): TreeColumns {
  const counts = totalsWhenRead(index.pathParent, countSelf);
  const columns: Omit<TreeColumns, "self" | "total" | "selfWeight" | "totalWeight" | "rootWeight"> = {index, order, rootTotal: sorted.places.length, delta: null, objects: [], sorted, samples: null};
  return withWeights(Object.defineProperties(columns as Omit<TreeColumns, "selfWeight" | "totalWeight" | "rootWeight">, {
    self: {get: () => counts().self, enumerable: true},
    total: {get: () => counts().total, enumerable: true},
  }), selfWeight);
}

/** A node whose children are made on first access. */
class LazyNode implements FlameNode {
  name: string;
  module: string;
  kind: FrameKind | "root";
  self: number;
  total: number;
  declare selfWeight: number;
  declare totalWeight: number;
  declare delta?: FlameDelta;
  /** The weights: read from the columns when asked, as a tree's may be computed only
   * then (see DeferredWeights). Own and enumerable, as the other fields, so that a
   * spread node has them; the same two getters on every node keep nodes of one shape. */
  static readonly #weights: PropertyDescriptorMap = {
    selfWeight: {get(this: LazyNode) { return this.#id < 0 ? 0 : this.#columns.selfWeight[this.#id]; }, enumerable: true},
    totalWeight: {get(this: LazyNode) { return this.#id < 0 ? this.#columns.rootWeight : this.#columns.totalWeight[this.#id]; }, enumerable: true},
  };
  // ES private fields: not enumerable, so spreading or serialising a node shows only
  // the FlameNode fields.
  readonly #columns: TreeColumns;
  readonly #id: number;
  #children: FlameNode[] | undefined;

  constructor(columns: TreeColumns, id: number) {
    this.#columns = columns;
    this.#id = id;
    const {index, delta} = columns;
    Object.defineProperties(this, LazyNode.#weights);
    if (id < 0) {
      this.name = "all";
      this.module = "";
      this.kind = "root";
      this.self = 0;
      this.total = columns.rootTotal;
      if (delta) this.delta = delta.root;
    } else {
      const fn = index.pathFunction[id];
      this.name = index.names[fn];
      this.module = index.modules[fn];
      this.kind = index.kinds[fn];
      // A sorted tree's own counts: its columns are made only when something reads them.
      const {sorted} = columns;
      this.self = sorted ? sorted.self(id) : columns.self[id];
      this.total = sorted ? sorted.total(id) : columns.total[id];
      if (delta) this.delta = {self: delta.self[id], total: delta.total[id], selfWeight: delta.selfWeight[id], totalWeight: delta.totalWeight[id]};
      columns.objects[id] = this;
    }
  }

  /** The ids and totals of the children with samples, in the tree's order. */
  childIds(): {ids: number[]; totals: number[]} {
    const columns = this.#columns, id = this.#id;
    const {sorted} = columns;
    let ids: number[] = [], totals: number[] = [];
    if (sorted) {
      // Its paths' depth-first order was made from the ordered lists.
      const {childStart, childList} = childLists(columns.index);
      ids = sorted.childrenWithSamples(id, childList, childStart[id + 1], childStart[id + 2], totals);
    } else {
      // A node's children are those of its path (see childLinks) with samples.
      ({ids, totals} = childrenByName(columns.index, columns.total, id));
    }
    if (columns.order === "total" && ids.length > 1) {
      const byTotal = Array.from(ids.keys()).sort((a, b) => totals[b] - totals[a] || a - b); // ties stay in name order
      ids = byTotal.map((k) => ids[k]);
      totals = byTotal.map((k) => totals[k]);
    }
    return {ids, totals};
  }

  /** A child's object: the one made already (by wideChildren, nodeObject), else a new one. */
  child(id: number): FlameNode {
    return this.#columns.objects[id] ?? new LazyNode(this.#columns, id);
  }

  get children(): FlameNode[] {
    if (!this.#children) this.#children = this.childIds().ids.map((id) => this.child(id));
    return this.#children;
  }

  /** Whether the children's objects are made. */
  get childrenMade(): boolean {
    return this.#children !== undefined;
  }

  /** For JSON.stringify of trees up to about a thousand levels deep (it recurses);
   * flameNodeJson writes any depth. */
  toJSON() {
    const {name, module, kind, self, total, selfWeight, totalWeight, delta, children} = this;
    return {name, module, kind, self, total, selfWeight, totalWeight, ...(delta ? {delta} : {}), children};
  }
}

/** Children of a node with at least some samples, and the samples of all the children
 * before each of them (in the tree's order). */
export interface WideChildren {
  children: FlameNode[];
  before: number[];
}

/** The children of `node` with at least `minTotal` samples, in order, and the samples
 * of all the children before each one: what a renderer draws of them. On the library's
 * trees no objects are made for the others (frames too narrow to draw), which on
 * captures of many distinct stacks are most of a node's children. */
export function wideChildren(node: FlameNode, minTotal: number): WideChildren {
  const wide: WideChildren = {children: [], before: []};
  let before = 0;
  const add = (total: number, child: () => FlameNode) => {
    if (total >= minTotal) {
      wide.children.push(child());
      wide.before.push(before);
    }
    before += total;
  };
  if (node instanceof LazyNode && !node.childrenMade) {
    const {ids, totals} = node.childIds();
    for (let k = 0; k < ids.length; k++) add(totals[k], () => node.child(ids[k]));
  } else {
    for (const child of node.children) add(child.total, () => child);
  }
  return wide;
}

const columnsByRoot = new WeakMap<FlameNode, TreeColumns>();

/** The tree of some columns. */
export function treeOf(columns: TreeColumns): FlameTree {
  const root = new LazyNode(columns, -1);
  columnsByRoot.set(root, columns);
  return {root, samples: columns.rootTotal, weight: columns.rootWeight};
}

/** A library tree's columns; trees made some other way are refused. */
export function columnsOf(tree: FlameTree, caller: string): TreeColumns {
  const columns = columnsByRoot.get(tree.root);
  if (!columns) throw new Error(`${caller} takes a tree made by flameTree, diffTrees or elidedTree`);
  return columns;
}

/** Visits a computed tree's nodes depth first (root excluded) in its columns. */
export function visitColumns(columns: TreeColumns, enter: (id: number) => void, leave: (id: number) => void): void {
  const {total} = columns;
  const {childStart, childList} = childLists(columns.index);
  const stack: number[] = [];
  for (let k = childStart[1] - 1; k >= childStart[0]; k--) if (total[childList[k]] > 0) stack.push(childList[k]);
  while (stack.length) {
    const id = stack.pop()!;
    if (id < 0) {
      leave(~id);
      continue;
    }
    enter(id);
    stack.push(~id);
    for (let k = childStart[id + 2] - 1; k >= childStart[id + 1]; k--) if (total[childList[k]] > 0) stack.push(childList[k]);
  }
}

/** The object for node id, making the objects on its path from the root. */
export function nodeObject(tree: FlameTree, columns: TreeColumns, id: number): FlameNode {
  const unmade: number[] = [];
  for (let n = id; n >= 0 && !columns.objects[n]; n = columns.index.pathParent[n]) unmade.push(n);
  // Outermost first: reading a parent's children makes the child's object.
  for (let k = unmade.length - 1; k >= 0; k--) {
    const parent = columns.index.pathParent[unmade[k]];
    void (parent < 0 ? tree.root : columns.objects[parent]!).children;
  }
  return columns.objects[id]!;
}

/** For each path of `from` with samples, the path of `to` with the same functions from
 * the root (-1 where `to` has no samples there). Trees of one profile share their
 * paths; trees of two profiles are matched by function name, module and kind. */
export function matchPaths(from: TreeColumns, to: TreeColumns): Int32Array {
  const n = from.index.pathParent.length;
  const match = new Int32Array(n).fill(-1);
  if (from.index === to.index) {
    for (let p = 0; p < n; p++) if (from.total[p] > 0 && to.total[p] > 0) match[p] = p;
    return match;
  }
  const key = (index: TreeIndex, parent: number, p: number) => {
    const fn = index.pathFunction[p];
    return `${parent}\0${index.names[fn]}\0${index.modules[fn]}\0${index.kinds[fn]}`;
  };
  const inTo = new Map<string, number>();
  for (let p = 0; p < to.index.pathParent.length; p++) if (to.total[p] > 0) inTo.set(key(to.index, to.index.pathParent[p], p), p);
  // Paths are numbered parents first, so a parent's match is known before its children's.
  for (let p = 0; p < n; p++) {
    if (from.total[p] === 0) continue;
    const parent = from.index.pathParent[p];
    const toParent = parent < 0 ? -1 : match[parent];
    if (parent >= 0 && toParent < 0) continue;
    match[p] = inTo.get(key(from.index, toParent, p)) ?? -1;
  }
  return match;
}

/** Adds the view's samples to `count` and their weights to `weight` (either may be
 * null) per stack, or per group with `groupOf`, and calls `visit` (when given) with each
 * sample's index and group; returns the sum of their weights and the number of samples. */
export function countSamples(view: SampleView, groupOf: Int32Array | null, count: Uint32Array | null, weightSum: Float64Array | null, visit: ((sample: number, group: number) => void) | null = null): {weight: number; samples: number} {
  const {profile, ranges} = view;
  const {stackOk, threadOk, eventOk, cpuOk, stacksOnly: byStackOnly} = view.selector;
  const {stack, thread, event, cpu, weight} = profile.samples;
  let all = 0, samples = 0;
  // Usually only idle stacks are filtered out (byStackOnly): then the loop tests the
  // stack alone.
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r], end = ranges[r + 1]; i < end; i++) {
      const s = stack[i];
      if (stackOk[s] === 0) continue;
      if (!byStackOnly && (threadOk[thread[i]] === 0 || eventOk[event[i]] === 0 || (cpuOk !== null && cpuOk[cpu[i] + 1] === 0))) continue;
      const g = groupOf === null ? s : groupOf[s];
      if (count !== null) count[g]++;
      if (weightSum !== null) weightSum[g] += weight[i];
      if (visit !== null) visit(i, g);
      samples++;
      all += weight[i];
    }
  }
  return {weight: all, samples};
}

/** How a selection's tree is counted: "sorted" lists its samples in path order (see
 * SortedSamples), "columns" counts them per path; "auto" sorts when the samples are
 * fewer than a share of the paths (SORTED_SHARE). */
export type SelectionCounting = "auto" | "sorted" | "columns";

/** Sort a selection's samples when they are at most this share of the paths: on the
 * deep benchmark capture (2.2 M paths) sorting 120 k samples costs about what the
 * columns do, and 400 k twice that. */
const SORTED_SHARE = 1 / 16;

/** The columns of the flame tree of a view's samples. Weights per path are counted only
 * when a node's weight is read: the report site's flame graphs show samples only. */
export function selectionColumns(view: SampleView, order: "name" | "total", counting: SelectionCounting = "auto"): TreeColumns {
  const index = treeIndex(view.profile);
  const paths = index.pathParent.length;
  const selfWeight = () => {
    const weight = new Float64Array(paths);
    countSamples(view, index.pathOfStack, null, weight);
    return weight;
  };
  const countSelf = () => {
    const self = new Uint32Array(paths);
    return {self, weight: countSamples(view, index.pathOfStack, self, null).weight};
  };
  const {ranges} = view;
  let most = 0;
  for (let r = 0; r < ranges.length; r += 2) most += ranges[r + 1] - ranges[r];
  if (counting === "columns" || (counting === "auto" && most > paths * SORTED_SHARE)) {
    const {self, weight} = countSelf();
    return Object.assign(columnsFromSelf(index, self, {selfWeight, rootWeight: weight}, order), {samples: view});
  }
  const depthFirst = pathOrder(index);
  const listed = new Int32Array(most);
  let listedCount = 0;
  const {weight, samples} = countSamples(view, depthFirst.startOfStack, null, null, (_, place) => (listed[listedCount++] = place));
  const sorted = new SortedSamples(depthFirst, listed.subarray(0, samples).sort());
  return Object.assign(columnsFromSorted(index, sorted, () => countSelf().self, {selfWeight, rootWeight: weight}, order), {samples: view});
}
