// Comparing two flame trees (two selections, or two profiles), with FlameScope's
// semantics: the differential keeps A's shape and gives every node A's value minus B's
// value scaled by total(A)/total(B); the elided view keeps B's shape and shows what B
// has that A lacks, scaled the same way. Both are computed in the trees' columns
// (./tree-columns.js), so they are trees like any other: topFunctions, searchTree and
// the renderers take them, at any depth and size.
import type {FlameTree} from "./flametree.js";
import {columnsFromSelf, columnsOf, matchPaths, treeOf} from "./tree-columns.js";

function scaleOf(a: FlameTree, b: FlameTree) {
  return {samples: b.samples > 0 ? a.samples / b.samples : 0, weight: b.weight > 0 ? a.weight / b.weight : 0};
}

/** A's tree with `delta` on every node: positive where A has more than B (grew),
 * negative where less (shrank). A node B lacks has B's value 0 (FlameScope gives such
 * nodes −value, a sign slip; here the formula holds everywhere). */
export function diffTrees(a: FlameTree, b: FlameTree): FlameTree {
  const ca = columnsOf(a, "diffTrees"), cb = columnsOf(b, "diffTrees");
  const scale = scaleOf(a, b);
  const inB = matchPaths(ca, cb);
  const n = inB.length;
  const delta = {
    self: new Float64Array(n), total: new Float64Array(n), selfWeight: new Float64Array(n), totalWeight: new Float64Array(n),
    root: {self: 0, total: a.samples - b.samples * scale.samples, selfWeight: 0, totalWeight: a.weight - b.weight * scale.weight},
  };
  for (let p = 0; p < n; p++) {
    const q = inB[p];
    delta.self[p] = ca.self[p] - (q < 0 ? 0 : cb.self[q] * scale.samples);
    delta.total[p] = ca.total[p] - (q < 0 ? 0 : cb.total[q] * scale.samples);
    delta.selfWeight[p] = ca.selfWeight[p] - (q < 0 ? 0 : cb.selfWeight[q] * scale.weight);
    delta.totalWeight[p] = ca.totalWeight[p] - (q < 0 ? 0 : cb.totalWeight[q] * scale.weight);
  }
  return treeOf({...ca, delta, objects: []});
}

/** B's tree keeping only what A lacks: a node present in A has self 0 (its children
 * are still compared); a subtree absent from A is kept whole, scaled by
 * total(A)/total(B). Totals are recomputed; empty branches are dropped. */
export function elidedTree(a: FlameTree, b: FlameTree, order: "name" | "total" = "name"): FlameTree {
  const ca = columnsOf(a, "elidedTree"), cb = columnsOf(b, "elidedTree");
  const scale = scaleOf(a, b);
  const inA = matchPaths(cb, ca);
  const n = inA.length;
  const self = new Float64Array(n), selfWeight = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    if (inA[p] >= 0) continue;
    self[p] = cb.self[p] * scale.samples;
    selfWeight[p] = cb.selfWeight[p] * scale.weight;
  }
  return treeOf(columnsFromSelf(cb.index, self, selfWeight, order));
}
