// Flame-graph trees of a selection: root → comm → frames, the shape of folded stacks.
// Built from per-stack counts (one pass over the selected samples, then passes over the
// stack table), so a selection of a million samples becomes a tree in milliseconds.
import {compileSelector, type AnalysisOptions} from "./filter.js";
import {PairTable} from "./intern.js";
import {FRAME_KINDS, type FrameKind, type Profile} from "./profile.js";
import {sampleRanges, type Selection} from "./selection.js";

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

/** A function: frames merged in flame graphs (same name, module and kind; `[unknown]`
 * frames at different addresses are one function). Cached per profile. */
const functionCache = new WeakMap<Profile, {ofFrame: Int32Array; names: string[]; modules: string[]; kinds: FrameKind[]}>();

function functions(profile: Profile) {
  let fns = functionCache.get(profile);
  if (!fns) {
    const {frames, strings} = profile;
    const ofFrame = new Int32Array(frames.length);
    const ids = new Map<string, number>();
    const names: string[] = [], modules: string[] = [], kinds: FrameKind[] = [];
    for (let f = 0; f < frames.length; f++) {
      const name = strings[frames.name[f]];
      const module = frames.module[f] < 0 ? "" : strings[frames.module[f]];
      const kind = FRAME_KINDS[frames.kind[f]];
      const key = `${name}\0${module}\0${kind}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = names.length;
        ids.set(key, id);
        names.push(name);
        modules.push(module);
        kinds.push(kind);
      }
      ofFrame[f] = id;
    }
    functionCache.set(profile, (fns = {ofFrame, names, modules, kinds}));
  }
  return fns;
}

/** Self samples and weights per stack id for the selected, counted samples. */
export function stackCounts(profile: Profile, selection: Selection = null, options: AnalysisOptions = {}) {
  const {stackOk, threadOk, eventOk, cpuOk} = compileSelector(profile, options);
  const {stack, thread, event, cpu, weight} = profile.samples;
  const count = new Float64Array(profile.stacks.length);
  const weightSum = new Float64Array(profile.stacks.length);
  const ranges = sampleRanges(profile, selection);
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r], end = ranges[r + 1]; i < end; i++) {
      const s = stack[i];
      if (stackOk[s] === 0 || threadOk[thread[i]] === 0 || eventOk[event[i]] === 0 || (cpuOk !== null && cpuOk[cpu[i] + 1] === 0)) continue;
      count[s]++;
      weightSum[s] += weight[i];
    }
  }
  return {count, weight: weightSum};
}

export function flameTree(profile: Profile, selection: Selection = null, options: FlameTreeOptions = {}): FlameTree {
  const {count, weight} = stackCounts(profile, selection, options);
  const {prefix, frame, length} = profile.stacks;
  const total = count.slice(), totalWeight = weight.slice();
  for (let s = length - 1; s >= 0; s--) {
    const p = prefix[s];
    if (p >= 0) { total[p] += total[s]; totalWeight[p] += totalWeight[s]; }
  }

  // Merge stacks into nodes by (parent node, function); node 0 is the root.
  const fns = functions(profile);
  const table = new PairTable();
  const nodeOfStack = new Int32Array(length);
  const nodes: FlameNode[] = [{name: "all", module: "", kind: "root", self: 0, total: 0, selfWeight: 0, totalWeight: 0, children: []}];
  for (let s = 0; s < length; s++) {
    if (total[s] === 0) continue;
    const parent = prefix[s] < 0 ? 0 : nodeOfStack[prefix[s]];
    const fn = fns.ofFrame[frame[s]];
    const id = table.intern(parent, fn) + 1;
    nodeOfStack[s] = id;
    let node = nodes[id];
    if (!node) {
      node = nodes[id] = {name: fns.names[fn], module: fns.modules[fn], kind: fns.kinds[fn], self: 0, total: 0, selfWeight: 0, totalWeight: 0, children: []};
      nodes[parent].children.push(node);
    }
    node.self += count[s];
    node.total += total[s];
    node.selfWeight += weight[s];
    node.totalWeight += totalWeight[s];
  }
  const root = nodes[0];
  for (const child of root.children) { root.total += child.total; root.totalWeight += child.totalWeight; }
  sortTree(root, options.order ?? "name");
  return {root, samples: root.total, weight: root.totalWeight};
}

const byName = (a: FlameNode, b: FlameNode) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.module < b.module ? -1 : a.module > b.module ? 1 : 0);
const byTotal = (a: FlameNode, b: FlameNode) => b.total - a.total || byName(a, b);

export function sortTree(root: FlameNode, order: "name" | "total"): void {
  const compare = order === "total" ? byTotal : byName;
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.children.length > 1) node.children.sort(compare);
    for (const c of node.children) stack.push(c);
  }
}

/** Calls fn on every node, parents before children, with the path from the root. */
export function walkTree(root: FlameNode, fn: (node: FlameNode, depth: number, path: readonly FlameNode[]) => void): void {
  const path: FlameNode[] = [];
  const visit = (node: FlameNode, depth: number) => {
    fn(node, depth, path);
    path.push(node);
    for (const c of node.children) visit(c, depth + 1);
    path.pop();
  };
  visit(root, 0);
}

/** A function's counts over a whole tree; `total` counts samples with the function
 * anywhere in the stack, recursion once. */
export type FunctionRow = FrameCounts;

/** Functions ranked by self (default) or total samples in a tree. */
export function topFunctions(tree: FlameTree, options: {by?: "self" | "total"; limit?: number} = {}): FunctionRow[] {
  const rows = new Map<string, FunctionRow>();
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
  const by = options.by ?? "self";
  return [...rows.values()]
    .filter((r) => r[by] > 0)
    .sort((a, b) => b[by] - a[by] || (a.name < b.name ? -1 : 1))
    .slice(0, options.limit ?? 20);
}

/** Samples under frames whose name matches: each sample counted once, at its
 * outermost matching frame. */
export function searchTree(tree: FlameTree, pattern: RegExp): {samples: number; fraction: number; nodes: Set<FlameNode>} {
  const nodes = new Set<FlameNode>();
  let samples = 0;
  walkTree(tree.root, (node, _depth, path) => {
    if (node.kind === "root") return;
    pattern.lastIndex = 0;
    if (!pattern.test(node.name)) return;
    nodes.add(node);
    if (!path.some((p) => nodes.has(p))) samples += node.total;
  });
  return {samples, fraction: tree.samples > 0 ? samples / tree.samples : 0, nodes};
}
