// The code behind a pattern: the frames most over-represented in its samples compared
// with the rest of the profile (the widest frames of its flame graph are often the
// same as everywhere: a thread's entry point, the kernel's syscall path).
import {frameModule, frameName, stackComm} from "../profile.js";
import type {Ticks} from "./ticks.js";
import {round3} from "./instance.js";
import type {PatternFrame} from "./types.js";

export interface Evidence {
  frames: PatternFrame[];
  /** Comm names of the samples, most first (up to three). */
  threads: string[];
  samples: number;
}

/** Counts of counted samples per stack, over all of the profile (cached per ticks),
 * and the same summed over each node's subtree of the stack trie (children have
 * larger ids than their parents). */
const totals = new WeakMap<Ticks, Float64Array>();

export function stackTotals(ticks: Ticks): Float64Array {
  let counts = totals.get(ticks);
  if (!counts) {
    counts = new Float64Array(ticks.profile.stacks.length);
    const {stack} = ticks.profile.samples;
    for (let i = 0; i < ticks.tickOf.length; i++) if (ticks.tickOf[i] >= 0) counts[stack[i]]++;
    totals.set(ticks, counts);
  }
  return counts;
}

const subtrees = new WeakMap<Ticks, Float64Array>();

export function subtreeTotals(ticks: Ticks): Float64Array {
  let under = subtrees.get(ticks);
  if (!under) {
    const {prefix} = ticks.profile.stacks;
    under = stackTotals(ticks).slice();
    for (let x = under.length - 1; x > 0; x--) if (prefix[x] >= 0) under[prefix[x]] += under[x];
    subtrees.set(ticks, under);
  }
  return under;
}

/** The frames and threads of the counted samples for which `inside(i)` holds
 * (`candidates` lists the sample indexes to test), versus all other counted samples:
 * most over-represented first, or, `by: "inside"`, widest first (what a load is made
 * of, where there is nothing to compare with). */
export function evidence(ticks: Ticks, candidates: Iterable<number>, inside: (i: number) => boolean = () => true, limit = 5, by: "lift" | "inside" = "lift"): Evidence {
  const {profile} = ticks;
  const {stack} = profile.samples;
  const inCounts = new Map<number, number>();
  let n = 0;
  for (const i of candidates) {
    if (ticks.tickOf[i] < 0 || !inside(i)) continue;
    inCounts.set(stack[i], (inCounts.get(stack[i]) ?? 0) + 1);
    n++;
  }
  if (n === 0) return {frames: [], threads: [], samples: 0};
  const all = stackTotals(ticks);
  const outTotal = ticks.samples - n;
  // Frames on each inside stack (a frame counted once per stack, recursion or not);
  // the outside share of those frames needs every stack that holds them.
  const inFrame = new Map<number, number>();
  const depthOf = new Map<number, number>();
  const depths = stackDepths(profile);
  const comms = new Map<string, number>();
  const {prefix, frame} = profile.stacks;
  for (const [s, c] of inCounts) {
    const seen = new Set<number>();
    let root = s;
    for (let x = s; x >= 0; x = prefix[x]) {
      seen.add(frame[x]);
      depthOf.set(frame[x], Math.min(depthOf.get(frame[x]) ?? Infinity, depths[x]));
      root = x;
    }
    seen.delete(frame[root]); // the process (comm) frame: counted as a thread below
    for (const f of seen) inFrame.set(f, (inFrame.get(f) ?? 0) + c);
    const comm = stackComm(profile, s);
    comms.set(comm, (comms.get(comm) ?? 0) + c);
  }
  // Outside shares from subtree sums over the stack trie (children have larger ids):
  // the outside samples under each node, summed over the nodes of a frame that do not
  // sit under the same frame (direct recursion counts once; a frame re-entered through
  // another, f → g → f, may count twice, so shares are capped at 1). Walking every
  // outside stack's path instead costs stacks × depth per instance.
  // Outside = all − inside, the inside sums walked up from the inside stacks when
  // they are few (a periodic thread's), summed over the trie otherwise.
  const under = subtreeTotals(ticks).slice();
  if (inCounts.size * 64 < all.length) {
    for (const [s, c] of inCounts) for (let x = s; x >= 0; x = prefix[x]) under[x] -= c;
  } else {
    const inside = new Float64Array(all.length);
    for (const [x, c] of inCounts) inside[x] = c;
    for (let x = all.length - 1; x > 0; x--) if (prefix[x] >= 0) inside[prefix[x]] += inside[x];
    for (let x = 0; x < all.length; x++) under[x] -= inside[x];
  }
  const nodes = nodesOfFrames(profile);
  const outFrame = new Map<number, number>();
  for (const f of inFrame.keys()) {
    let sum = 0;
    for (let j = nodes.start[f]; j < nodes.start[f + 1]; j++) {
      const x = nodes.node[j];
      if (prefix[x] < 0 || frame[prefix[x]] !== f) sum += under[x];
    }
    outFrame.set(f, Math.min(sum, outTotal));
  }
  const ranked = [...inFrame].map(([f, c]) => {
    const inside = c / n, outside = outTotal > 0 ? (outFrame.get(f) ?? 0) / outTotal : 0;
    return {f, inside, outside, lift: Math.round((by === "lift" ? inside - outside : inside) * 50) / 50, depth: depthOf.get(f)!};
  })
    .filter((r) => r.inside >= 0.1 && r.lift > 0)
    // Near ties (a thread's entry point and its work function are on the same
    // samples) go to the deeper, more specific frame.
    .sort((a, b) => b.lift - a.lift || b.depth - a.depth || b.inside - a.inside);
  return {
    frames: ranked.slice(0, limit).map((r) => ({name: frameName(profile, r.f), module: frameModule(profile, r.f), inside: round3(r.inside), outside: round3(r.outside)})),
    threads: [...comms].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([name]) => name),
    samples: n,
  };
}

const nodesCache = new WeakMap<object, {start: Int32Array; node: Int32Array}>();

/** The stack-trie nodes of each frame (node ids of frame f: node[start[f] … start[f+1]]). */
function nodesOfFrames(profile: Ticks["profile"]): {start: Int32Array; node: Int32Array} {
  let nodes = nodesCache.get(profile.stacks);
  if (!nodes) {
    const {frame, length} = profile.stacks;
    const start = new Int32Array(profile.frames.length + 1);
    for (let x = 0; x < length; x++) start[frame[x] + 1]++;
    for (let f = 0; f < profile.frames.length; f++) start[f + 1] += start[f];
    const fill = start.slice(0, -1), node = new Int32Array(length);
    for (let x = 0; x < length; x++) node[fill[frame[x]]++] = x;
    nodesCache.set(profile.stacks, (nodes = {start, node}));
  }
  return nodes;
}

const depthCache = new WeakMap<object, Int32Array>();

/** Each stack's depth (its process frame is 0); parents come before children. */
function stackDepths(profile: Ticks["profile"]): Int32Array {
  let depths = depthCache.get(profile.stacks);
  if (!depths) {
    const {prefix, length} = profile.stacks;
    depths = new Int32Array(length);
    for (let s = 0; s < length; s++) depths[s] = prefix[s] < 0 ? 0 : depths[prefix[s]] + 1;
    depthCache.set(profile.stacks, depths);
  }
  return depths;
}

