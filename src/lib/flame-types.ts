// What a flame tree is, apart from how it is computed (./flametree.ts, ./tree-columns.ts)
// and drawn (./render/flamegraph.ts): nodes with their sample counts and, on
// differential trees, their deltas.
import type {FrameKind} from "./profile.js";

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
