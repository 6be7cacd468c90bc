// Call-tree views of a selection, as speedscope and the Firefox Profiler offer them:
// transforms kept as a stack (focus on a function or a subtree, merge a function, drop
// samples with a function, collapse recursion, collapse a module), the inverted
// (bottom-up) tree, the callers and callees of one function ("sandwich"), and one tree
// per thread for the busiest threads.
//
// A transform is a pure function of a sample's stack of functions (root first: comm,
// then frames outermost first) to a new stack, or to nothing (the sample is dropped).
// The tree is computed in columns as flame trees are: the view's self counts per path
// of the profile's tree index, each sampled path's functions transformed once, the
// results interned as paths of a new index (./tree-columns.js). The result is a tree
// like any other: topFunctions, searchTree, diffTrees and the renderers take it.
import {flameTree, pathCounts, type FlameTree} from "./flametree.js";
import {accepts} from "./filter.js";
import {PairTable} from "./intern.js";
import type {FrameKind} from "./profile.js";
import {columnsFromSelf, pathIndex, treeOf, type TreeFunctions, type TreeIndex} from "./tree-columns.js";
import {sampleView, type SampleView} from "./view.js";

export type CallTreeTransform =
  /** Keep samples with the function; each stack starts at its outermost call. */
  | {type: "focus-function"; name: string}
  /** Keep samples under a node (names from the root's child, the comm, down); each
   * stack starts at the node. */
  | {type: "focus-subtree"; path: string[]}
  /** Remove the function from every stack: its self samples go to its caller. */
  | {type: "merge-function"; name: string}
  /** Drop the samples whose stack holds the function. */
  | {type: "drop-function"; name: string}
  /** One call of the function for a recursion through it, with whatever ran between
   * the outer call and the inner ones removed: A F B F C becomes A F C. */
  | {type: "collapse-recursion"; name: string}
  /** Only direct recursion: F F F becomes F; A F B F stays. */
  | {type: "collapse-direct-recursion"; name: string}
  /** Each run of frames of a module (its path as perf printed it, or its file name)
   * becomes one frame named after the module's file. */
  | {type: "collapse-module"; module: string};

export type CallTreeTransformType = CallTreeTransform["type"];

export interface CallTreeOptions {
  /** Children order: "name" (alphabetical, as flamegraph.pl) or "total" (left-heavy:
   * the heaviest first, as speedscope's left-heavy view). */
  order?: "name" | "total";
  /** Applied in order, each to the stacks the ones before it left. */
  transforms?: readonly CallTreeTransform[];
  /** The inverted (bottom-up) tree: the functions samples were in at the root, their
   * callers below them. A top-level node's self is its total (the samples it was the
   * innermost frame of); deeper nodes have self 0. Applied after the transforms. */
  invert?: boolean;
}

// ---- text form ---------------------------------------------------------------------
// Transforms joined by "~", each KEY-ARGUMENT with the argument percent-encoded
// ("~" too; a subtree's names joined by ","): ff-main~mf-malloc~fs-app,main,serve~cm-libc.so.6.
// Only URL-safe text.

const KEYS: Record<CallTreeTransformType, string> = {
  "focus-function": "ff",
  "focus-subtree": "fs",
  "merge-function": "mf",
  "drop-function": "df",
  "collapse-recursion": "rec",
  "collapse-direct-recursion": "drec",
  "collapse-module": "cm",
};
const TYPES = new Map(Object.entries(KEYS).map(([type, key]) => [key, type as CallTreeTransformType]));

/** Most transforms in a text form: each costs a pass over the sampled paths. */
export const MAX_TRANSFORMS = 64;

// encodeURIComponent leaves ~ (our separator) and !'()* as they are.
const encode = (text: string) => encodeURIComponent(text).replace(/[~!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function formatTransforms(transforms: readonly CallTreeTransform[]): string {
  return transforms
    .map((t) => `${KEYS[t.type]}-${t.type === "focus-subtree" ? t.path.map(encode).join(",") : encode(t.type === "collapse-module" ? t.module : t.name)}`)
    .join("~");
}

export function parseTransforms(text: string): CallTreeTransform[] {
  const t = text.trim();
  if (t === "") return [];
  const parts = t.split("~");
  if (parts.length > MAX_TRANSFORMS) throw new Error(`at most ${MAX_TRANSFORMS} transforms, not ${parts.length}`);
  return parts.map((part) => {
    const dash = part.indexOf("-");
    const type = dash < 0 ? undefined : TYPES.get(part.slice(0, dash));
    if (type === undefined) throw new Error(`not a transform: ${JSON.stringify(part)} (expected KEY-NAME, KEY one of ${[...TYPES.keys()].join(", ")})`);
    const decode = (arg: string) => {
      try {
        return decodeURIComponent(arg);
      } catch {
        throw new Error(`not a transform: ${JSON.stringify(part)} (a broken %-escape)`);
      }
    };
    const arg = part.slice(dash + 1);
    if (arg === "") throw new Error(`not a transform: ${JSON.stringify(part)} (no ${type === "collapse-module" ? "module" : "function"} after "${part.slice(0, dash + 1)}")`);
    if (type === "focus-subtree") return {type, path: arg.split(",").map(decode)};
    if (type === "collapse-module") return {type, module: decode(arg)};
    return {type, name: decode(arg)};
  });
}

/** A transform for people: "focus on main", "merge malloc". */
export function describeTransform(t: CallTreeTransform): string {
  switch (t.type) {
    case "focus-function": return `focus on ${t.name}`;
    case "focus-subtree": return `focus on the subtree ${t.path.join(" → ")}`;
    case "merge-function": return `merge ${t.name}`;
    case "drop-function": return `drop samples with ${t.name}`;
    case "collapse-recursion": return `collapse recursion in ${t.name}`;
    case "collapse-direct-recursion": return `collapse direct recursion in ${t.name}`;
    case "collapse-module": return `collapse ${moduleFile(t.module)}`;
  }
}

const moduleFile = (module: string) => module.replace(/.*\//, "");

// ---- the transforms, over tables of paths ---------------------------------------------
// A table of paths (parent, function), numbered parents first, as the profile's tree
// index has them. A transform maps each path to a path of a new table (or to nothing)
// from its parent's image in one pass, as the Firefox Profiler transforms its stack
// table: the work is one step per path however deep the stacks are.

/** A path's image: a path of the new table, or one of these. */
const EMPTY = -1; // no frames left: the root itself
const DROPPED = -2; // the samples here and below are dropped
const PENDING = -3; // not started yet (focus): samples here are dropped, below may start

interface PathTable {
  parent: Int32Array;
  fn: Int32Array;
  self: Float64Array | Uint32Array;
  selfWeight: Float64Array;
  /** The interned paths (parent, fn) when the table was made here. */
  paths?: PairTable;
}

/** Function ids, with the collapsed modules' stand-ins added as they are needed. */
class Functions implements TreeFunctions {
  names: string[];
  modules: string[];
  kinds: FrameKind[];
  readonly #standIns = new Map<string, number>();

  constructor(readonly base: TreeIndex) {
    this.names = base.names;
    this.modules = base.modules;
    this.kinds = base.kinds;
  }

  /** Functions whose name is `name`. */
  named(name: string): Uint8Array {
    const match = new Uint8Array(this.base.names.length);
    this.base.names.forEach((n, fn) => (match[fn] = n === name ? 1 : 0));
    return match;
  }

  /** The one frame a run of a module's frames of this kind becomes. */
  standIn(module: string, kind: FrameKind): number {
    const key = `${module}\0${kind}`;
    let fn = this.#standIns.get(key);
    if (fn === undefined) {
      if (this.names === this.base.names) [this.names, this.modules, this.kinds] = [[...this.names], [...this.modules], [...this.kinds]];
      this.#standIns.set(key, (fn = this.names.length));
      this.names.push(moduleFile(module));
      this.modules.push(module);
      this.kinds.push(kind);
    }
    return fn;
  }
}

/** Maps path p (its parent's image known) to its image; `out` interns new paths. */
type PathStep = (p: number, parentImage: number, fn: number, out: PairTable) => number;

const isPath = (image: number) => image >= 0;
/** The image of a path that keeps its function under its parent's image. */
const keep = (parentImage: number, fn: number, out: PairTable) => (parentImage === DROPPED ? DROPPED : out.intern(parentImage === PENDING ? EMPTY : parentImage, fn));

function compile(t: CallTreeTransform, fns: Functions, table: PathTable): PathStep {
  switch (t.type) {
    case "focus-function": {
      const is = fns.named(t.name);
      // Before the outermost call: pending; from it on, kept.
      return (_p, up, fn, out) => (up === PENDING || up === EMPTY ? (is[fn] === 1 ? out.intern(EMPTY, fn) : PENDING) : keep(up, fn, out));
    }
    case "focus-subtree": {
      const path = t.path.map((name) => fns.named(name));
      const depth = new Int32Array(table.parent.length);
      return (p, up, fn, out) => {
        const parent = table.parent[p];
        const d = (depth[p] = parent < 0 ? 0 : depth[parent] + 1);
        if (d >= path.length) return keep(up, fn, out);
        if (up === DROPPED || path[d][fn] !== 1) return DROPPED;
        return d === path.length - 1 ? out.intern(EMPTY, fn) : PENDING;
      };
    }
    case "merge-function": {
      const is = fns.named(t.name);
      return (_p, up, fn, out) => (is[fn] === 1 ? up : keep(up, fn, out));
    }
    case "drop-function": {
      const is = fns.named(t.name);
      return (_p, up, fn, out) => (is[fn] === 1 ? DROPPED : keep(up, fn, out));
    }
    case "collapse-recursion": {
      const is = fns.named(t.name);
      // Per new path: its outermost call of the function (-1: none on the path).
      const outer: number[] = [];
      return (_p, up, fn, out) => {
        const outerUp = isPath(up) ? outer[up] : -1;
        if (is[fn] === 1 && outerUp >= 0) return outerUp;
        const image = keep(up, fn, out);
        if (isPath(image)) outer[image] = outerUp >= 0 ? outerUp : is[fn] === 1 ? image : -1;
        return image;
      };
    }
    case "collapse-direct-recursion": {
      const is = fns.named(t.name);
      return (_p, up, fn, out) => (is[fn] === 1 && isPath(up) && out.second[up] === fn ? up : keep(up, fn, out));
    }
    case "collapse-module": {
      const {module} = t;
      const inModule = fns.base.modules.map((m) => m !== "" && (m === module || moduleFile(m) === module));
      return (_p, up, fn, out) => {
        if (fn >= inModule.length || !inModule[fn]) return keep(up, fn, out);
        const standIn = fns.standIn(fns.base.modules[fn], fns.base.kinds[fn]);
        return isPath(up) && out.second[up] === standIn ? up : keep(up, standIn, out);
      };
    }
  }
}

/** One pass of a step over a table: the new table, its samples moved to the images
 * (those that `counts`, when given). */
function applyStep(table: PathTable, step: PathStep, rootImage: number, counts?: (image: number) => boolean, live?: Uint8Array): PathTable {
  const n = table.parent.length;
  const out = new PairTable();
  const image = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const parent = table.parent[p];
    const up = parent < 0 ? rootImage : image[parent];
    image[p] = (live && live[p] === 0) || up === DROPPED ? DROPPED : step(p, up, table.fn[p], out);
  }
  const m = out.size;
  const self = new Float64Array(m), selfWeight = new Float64Array(m);
  for (let p = 0; p < n; p++) {
    if (table.self[p] === 0 || !isPath(image[p]) || (counts && !counts(image[p]))) continue;
    self[image[p]] += table.self[p];
    selfWeight[image[p]] += table.selfWeight[p];
  }
  return {parent: out.first.subarray(0, m), fn: out.second.subarray(0, m), self, selfWeight, paths: out};
}

/** The profile's paths with a view's samples; `live` marks those with samples at or
 * below them, the only ones a transform need look at. */
function sampledTable(view: SampleView): {index: TreeIndex; table: PathTable; live: Uint8Array} {
  const {index, self, selfWeight} = pathCounts(view);
  const n = self.length;
  // One pass up: children have larger ids than their parents.
  const live = new Uint8Array(n);
  for (let p = n - 1; p >= 0; p--) if (self[p] > 0 || live[p] === 1) { live[p] = 1; if (index.pathParent[p] >= 0) live[index.pathParent[p]] = 1; }
  return {index, table: {parent: index.pathParent, fn: index.pathFunction, self, selfWeight}, live};
}

/** The inverted table: each sampled path's functions from the innermost out. */
function invertTable(table: PathTable): PathTable {
  const out = new PairTable();
  const self: number[] = [], weight: number[] = [];
  for (let q = 0; q < table.parent.length; q++) {
    if (table.self[q] === 0) continue;
    let path = EMPTY;
    for (let r = q; r >= 0; r = table.parent[r]) path = out.intern(path, table.fn[r]);
    self[path] = (self[path] ?? 0) + table.self[q];
    weight[path] = (weight[path] ?? 0) + table.selfWeight[q];
  }
  const m = out.size;
  const selfColumn = new Float64Array(m), weightColumn = new Float64Array(m);
  for (let q = 0; q < m; q++) [selfColumn[q], weightColumn[q]] = [self[q] ?? 0, weight[q] ?? 0];
  return {parent: out.first.subarray(0, m), fn: out.second.subarray(0, m), self: selfColumn, selfWeight: weightColumn, paths: out};
}

/** The tree of the view's samples with the transforms applied; `last` is a final step
 * (the sandwich's callers). */
function transformedTree(view: SampleView, options: CallTreeOptions, last?: (fns: Functions) => {step: PathStep; rootImage: number; counts: (image: number) => boolean}): FlameTree {
  const sampled = sampledTable(view);
  const fns = new Functions(sampled.index);
  let table = sampled.table;
  // The first step looks only at the live paths; its table has only those.
  let live: Uint8Array | undefined = sampled.live;
  for (const t of options.transforms ?? []) {
    table = applyStep(table, compile(t, fns, table), t.type === "focus-function" ? PENDING : EMPTY, undefined, live);
    live = undefined;
  }
  if (last) {
    const {step, rootImage, counts} = last(fns);
    table = applyStep(table, step, rootImage, counts, live);
  }
  const invert = options.invert ?? false;
  if (invert) table = invertTable(table);
  const columns = columnsFromSelf(pathIndex(fns, table.paths!), table.self, table.selfWeight, options.order ?? "name");
  if (invert) {
    // Self is where a sample's innermost frame is: the top level of an inverted tree.
    for (let q = 0; q < table.parent.length; q++) {
      const top = table.parent[q] < 0;
      columns.self[q] = top ? columns.total[q] : 0;
      columns.selfWeight[q] = top ? columns.totalWeight[q] : 0;
    }
  }
  return treeOf(columns);
}

/** The call tree of a view with transforms, inverted or not, in either order. Without
 * transforms or inversion it is the view's flame tree. */
export function callTree(view: SampleView, options: CallTreeOptions = {}): FlameTree {
  if (!options.invert && !options.transforms?.length) return flameTree(view, {order: options.order});
  return transformedTree(view, options);
}

export interface Sandwich {
  /** The function's callers: an inverted tree whose top level is the function (each
   * sample at its outermost call), its callers below. */
  callers: FlameTree;
  /** What the function called: each sample with the function, from its outermost call. */
  callees: FlameTree;
}

/** The callers and callees of a function ("sandwich"), after the transforms. Both trees
 * hold the same samples: those with the function. */
export function sandwich(view: SampleView, name: string, options: CallTreeOptions = {}): Sandwich {
  const transforms = options.transforms ?? [];
  const callees = callTree(view, {...options, invert: false, transforms: [...transforms, {type: "focus-function", name}]});
  const callers = transformedTree(view, {...options, invert: true}, (fns) => {
    const is = fns.named(name);
    // Up to the outermost call: pending before it, the call's own path from it on.
    const cut: number[] = [];
    return {
      rootImage: PENDING,
      step: (p, up, fn, out) => {
        if (up === DROPPED) return DROPPED;
        if (isPath(up) && cut[up] === 1) return up;
        const image = out.intern(up === PENDING ? EMPTY : up, fn);
        if (is[fn] === 1) cut[image] = 1;
        return image;
      },
      // Samples that end before the call are not the function's.
      counts: (image) => cut[image] === 1,
    };
  });
  return {callers, callees};
}

export interface ThreadTree {
  pid: number;
  tid: number;
  /** The comm most of the thread's samples in the view have. */
  comm: string;
  samples: number;
  tree: FlameTree;
}

/** The busiest `limit` threads (by TID) of a view, most samples first (ties: lower
 * TID), each with its call tree. */
export function threadTrees(view: SampleView, options: CallTreeOptions & {limit?: number} = {}): ThreadTree[] {
  const {profile, ranges, selector} = view;
  const {threads, strings} = profile;
  const perThread = new Float64Array(threads.length);
  const thread = profile.samples.thread;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++) if (accepts(profile, selector, i)) perThread[thread[i]]++;
  }
  // A TID can have several rows in the thread table (a comm changed by exec).
  const byTid = new Map<number, {samples: number; pid: number; comm: string; commSamples: number}>();
  for (let t = 0; t < threads.length; t++) {
    if (perThread[t] === 0) continue;
    const tid = threads.tid[t];
    const row = byTid.get(tid) ?? {samples: 0, pid: threads.pid[t], comm: "", commSamples: -1};
    row.samples += perThread[t];
    if (perThread[t] > row.commSamples) [row.comm, row.commSamples, row.pid] = [strings[threads.comm[t]], perThread[t], threads.pid[t]];
    byTid.set(tid, row);
  }
  const limit = options.limit ?? 8;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`threads: a whole number ≥ 1, not ${limit}`);
  const top = [...byTid].sort((a, b) => b[1].samples - a[1].samples || a[0] - b[0]).slice(0, limit);
  return top.map(([tid, row]) => {
    const filter = {...view.options.filter, tid};
    return {pid: row.pid, tid, comm: row.comm, samples: row.samples, tree: callTree(sampleView(profile, view.selection, {...view.options, filter}), options)};
  });
}
