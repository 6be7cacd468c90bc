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
  const copy = (node: FlameNode, other: FlameNode | undefined): FlameNode => {
    const others = childMap(other);
    return {
      name: node.name, module: node.module, kind: node.kind,
      self: node.self, total: node.total, selfWeight: node.selfWeight, totalWeight: node.totalWeight,
      delta: {
        self: node.self - (other?.self ?? 0) * scale.samples,
        total: node.total - (other?.total ?? 0) * scale.samples,
        selfWeight: node.selfWeight - (other?.selfWeight ?? 0) * scale.weight,
        totalWeight: node.totalWeight - (other?.totalWeight ?? 0) * scale.weight,
      },
      children: node.children.map((c) => copy(c, others.get(keyOf(c)))),
    };
  };
  return {root: copy(a.root, b.root), samples: a.samples, weight: a.weight};
}

/** B's tree keeping only what A lacks: a node present in A has self 0 (its children
 * are still compared); a subtree absent from A is kept whole, scaled by
 * total(A)/total(B). Totals are recomputed; empty branches are dropped. */
export function elidedTree(a: FlameTree, b: FlameTree, order: "name" | "total" = "name"): FlameTree {
  const scale = scaleOf(a, b);
  const elide = (node: FlameNode, inA: FlameNode | undefined): FlameNode | null => {
    const inAChildren = childMap(inA);
    const children: FlameNode[] = [];
    for (const c of node.children) {
      const e = elide(c, inA ? inAChildren.get(keyOf(c)) : undefined);
      if (e) children.push(e);
    }
    const self = inA ? 0 : node.self * scale.samples;
    const selfWeight = inA ? 0 : node.selfWeight * scale.weight;
    const total = self + children.reduce((s, c) => s + c.total, 0);
    const totalWeight = selfWeight + children.reduce((s, c) => s + c.totalWeight, 0);
    if (total === 0 && node.kind !== "root") return null;
    return {name: node.name, module: node.module, kind: node.kind, self, total, selfWeight, totalWeight, children};
  };
  const root = elide(b.root, a.root)!;
  sortTree(root, order);
  return {root, samples: root.total, weight: root.totalWeight};
}
