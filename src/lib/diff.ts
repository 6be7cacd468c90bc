// Comparing two flame trees (two selections, or two profiles), with FlameScope's
// semantics: the differential keeps A's shape and gives every node A's value minus B's
// value scaled by total(A)/total(B); the elided view keeps B's shape and shows what B
// has that A lacks, scaled the same way.
import {sortTree, type FlameNode, type FlameTree} from "./flametree.js";

const keyOf = (n: FlameNode) => `${n.name}\0${n.module}\0${n.kind}`;

function childMap(node: FlameNode | undefined): Map<string, FlameNode> {
  const m = new Map<string, FlameNode>();
  if (node) for (const c of node.children) m.set(keyOf(c), c);
  return m;
}

function scaleOf(a: FlameTree, b: FlameTree) {
  return {samples: b.samples > 0 ? a.samples / b.samples : 0, weight: b.weight > 0 ? a.weight / b.weight : 0};
}

/** A's tree with `delta` on every node: positive where A has more than B (grew),
 * negative where less (shrank). A node B lacks has B's value 0 (FlameScope gives such
 * nodes −value, a sign slip; here the formula holds everywhere). */
export function diffTrees(a: FlameTree, b: FlameTree): FlameTree {
  const scale = scaleOf(a, b);
  const copy = (node: FlameNode, other: FlameNode | undefined): FlameNode => ({
    name: node.name, module: node.module, kind: node.kind,
    self: node.self, total: node.total, selfWeight: node.selfWeight, totalWeight: node.totalWeight,
    delta: {
      self: node.self - (other?.self ?? 0) * scale.samples,
      total: node.total - (other?.total ?? 0) * scale.samples,
      selfWeight: node.selfWeight - (other?.selfWeight ?? 0) * scale.weight,
      totalWeight: node.totalWeight - (other?.totalWeight ?? 0) * scale.weight,
    },
    children: [],
  });
  // Iterative: a deep stack must not overflow the call stack.
  const root = copy(a.root, b.root);
  const todo: [FlameNode, FlameNode | undefined, FlameNode][] = [[a.root, b.root, root]];
  while (todo.length) {
    const [node, other, out] = todo.pop()!;
    const others = childMap(other);
    for (const c of node.children) {
      const o = others.get(keyOf(c));
      const made = copy(c, o);
      out.children.push(made);
      todo.push([c, o, made]);
    }
  }
  return {root, samples: a.samples, weight: a.weight};
}

/** B's tree keeping only what A lacks: a node present in A has self 0 (its children
 * are still compared); a subtree absent from A is kept whole, scaled by
 * total(A)/total(B). Totals are recomputed; empty branches are dropped. */
export function elidedTree(a: FlameTree, b: FlameTree, order: "name" | "total" = "name"): FlameTree {
  const scale = scaleOf(a, b);
  // Two passes without recursion: copy B's nodes with their own self (0 where A has the
  // node) parents first, then total them up children first and drop empty branches.
  const made: {out: FlameNode; parent: number}[] = [];
  const todo: [FlameNode, FlameNode | undefined, number][] = [[b.root, a.root, -1]];
  while (todo.length) {
    const [node, inA, parent] = todo.pop()!;
    const self = inA ? 0 : node.self * scale.samples;
    const selfWeight = inA ? 0 : node.selfWeight * scale.weight;
    const id = made.length;
    made.push({out: {name: node.name, module: node.module, kind: node.kind, self, total: self, selfWeight, totalWeight: selfWeight, children: []}, parent});
    const inAChildren = childMap(inA);
    for (const c of node.children) todo.push([c, inA ? inAChildren.get(keyOf(c)) : undefined, id]);
  }
  for (let id = made.length - 1; id > 0; id--) {
    const {out, parent} = made[id];
    if (out.total === 0) continue;
    const p = made[parent].out;
    p.children.push(out);
    p.total += out.total;
    p.totalWeight += out.totalWeight;
  }
  const root = made[0].out;
  sortTree(root, order);
  return {root, samples: root.total, weight: root.totalWeight};
}
