import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {LISTED_CHILDREN, StackTrie} from "../../src/lib/stack-trie.js";

/** Interns every (prefix choice, frame) step in a trie and in a Map keyed by text, and
 * checks they agree: the same pair gives the same id, new pairs dense new ids. */
function checkAgainstMap(steps: [number, number][], capacity?: number): void {
  const trie = new StackTrie({capacity});
  const known = new Map<string, number>();
  const pairs: [number, number][] = [];
  for (const [pick, frame] of steps) {
    // A prefix among the stacks so far, or a root (-1).
    const prefix = pick % (pairs.length + 1) - 1;
    const key = `${prefix}/${frame}`;
    const id = trie.intern(prefix, frame);
    const expected = known.get(key);
    if (expected === undefined) {
      expect(id).toBe(pairs.length);
      known.set(key, id);
      pairs.push([prefix, frame]);
    } else {
      expect(id).toBe(expected);
    }
  }
  expect(trie.size).toBe(pairs.length);
  const {prefix, frame} = trie.columns();
  expect([...prefix]).toEqual(pairs.map((p) => p[0]));
  expect([...frame]).toEqual(pairs.map((p) => p[1]));
}

describe("StackTrie", () => {
  it("interns like a map of (prefix, frame) pairs, whatever the tree's shape (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(40), fc.nat(30)), {maxLength: 400}),
        fc.option(fc.integer({min: 1, max: 64}), {nil: undefined}),
        (steps, capacity) => checkAgainstMap(steps, capacity),
      ),
      {numRuns: 300},
    );
  });

  it("finds the children of a node beyond the listed ones, and of the root", () => {
    const trie = new StackTrie({capacity: 4});
    const n = LISTED_CHILDREN * 5;
    const roots = Array.from({length: n}, (_, f) => trie.intern(-1, f));
    const children = Array.from({length: n}, (_, f) => trie.intern(roots[0], f));
    expect(roots).toEqual(Array.from({length: n}, (_, i) => i));
    expect(children).toEqual(Array.from({length: n}, (_, i) => n + i));
    for (let f = n - 1; f >= 0; f--) {
      expect(trie.intern(-1, f)).toBe(roots[f]);
      expect(trie.intern(roots[0], f)).toBe(children[f]);
    }
    expect(trie.size).toBe(2 * n);
    const {prefix} = trie.columns();
    expect(prefix.every((p, id) => p < id)).toBe(true);
  });
});
