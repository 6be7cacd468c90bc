// Interning of stacks as (prefix, frame) pairs, for the parser, as a prefix tree whose
// nodes list their children.
//
// A hash table of pairs puts every new stack at a random place in a table several
// times the size of the stacks, and re-places them all at every doubling: on captures
// whose deep paths rarely repeat (millions of new stacks), that is bound by cache
// misses and by the first touch of fresh memory. Here a node's fields share one cache
// line, a chain of new stacks (one per frame below the point where a sample leaves the
// known tree) is written front to back, and nothing is ever re-placed.
//
// Input is untrusted: a node with very many children (a crafted file can make one)
// would make each lookup walk them all, so a node lists at most LISTED_CHILDREN of them
// and its further children are found through a hash table of pairs.
import {PairTable} from "./intern.js";

/** Children of one node found by walking its list; the rest are hashed. */
export const LISTED_CHILDREN = 8;
/** Ints per node: prefix, frame, first child, next sibling (-1: none). */
const FIELDS = 4;

export interface StackTrieOptions {
  /** Nodes to make room for at the start (default 1024). Room that is never written
   * costs no memory, so a generous estimate is cheap; more room is made as needed. */
  capacity?: number;
}

export class StackTrie {
  private nodes: Int32Array;
  /** Number of stacks (nodes). Ids are dense, 0 … size - 1, and a stack's prefix id is
   * always smaller than its own. */
  size = 0;
  /** The list of root stacks (prefix -1). */
  private rootHead = -1;
  /** Children beyond the listed ones: (prefix, frame) → an index into `hashedIds`. */
  private hashed = new PairTable();
  private hashedIds = new Int32Array(64);

  constructor(options: StackTrieOptions = {}) {
    this.nodes = new Int32Array(FIELDS * Math.max(16, Math.ceil(options.capacity ?? 1024)));
  }

  /** The id of the stack `frame` on top of `prefix` (-1 for a root), made when new. */
  intern(prefix: number, frame: number): number {
    const nodes = this.nodes;
    let child = prefix < 0 ? this.rootHead : nodes[prefix * FIELDS + 2];
    let listed = 0;
    while (child >= 0) {
      if (nodes[child * FIELDS + 1] === frame) return child;
      child = nodes[child * FIELDS + 3];
      listed++;
    }
    if (listed < LISTED_CHILDREN) {
      const id = this.add(prefix, frame);
      // Newest first: a stack just made is the likeliest to be met again soon.
      const n = this.nodes;
      if (prefix < 0) {
        n[id * FIELDS + 3] = this.rootHead;
        this.rootHead = id;
      } else {
        n[id * FIELDS + 3] = n[prefix * FIELDS + 2];
        n[prefix * FIELDS + 2] = id;
      }
      return id;
    }
    const known = this.hashed.size;
    const pair = this.hashed.intern(prefix, frame);
    if (pair < known) return this.hashedIds[pair];
    if (pair === this.hashedIds.length) {
      const ids = new Int32Array(pair * 2);
      ids.set(this.hashedIds);
      this.hashedIds = ids;
    }
    const id = this.add(prefix, frame);
    this.hashedIds[pair] = id;
    this.nodes[id * FIELDS + 3] = -1;
    return id;
  }

  private add(prefix: number, frame: number): number {
    const id = this.size++;
    if (id * FIELDS === this.nodes.length) {
      const nodes = new Int32Array(this.nodes.length * 2);
      nodes.set(this.nodes);
      this.nodes = nodes;
    }
    const k = id * FIELDS;
    this.nodes[k] = prefix;
    this.nodes[k + 1] = frame;
    this.nodes[k + 2] = -1;
    return id;
  }

  /** The profile's stack columns: each stack's prefix and frame. */
  columns(): {prefix: Int32Array; frame: Int32Array} {
    const n = this.size, nodes = this.nodes;
    const prefix = new Int32Array(n), frame = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      prefix[i] = nodes[i * FIELDS];
      frame[i] = nodes[i * FIELDS + 1];
    }
    return {prefix, frame};
  }
}
