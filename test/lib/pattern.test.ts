// User-typed regular expressions (CLI filters, the page's search, a link's #q=) run with
// RE2 semantics: a catastrophic pattern finishes instead of freezing the process. With
// JavaScript's backtracking engine, (a+)+$ on 40 "a"s and a "b" takes about 2^40 steps:
// these tests would not end.
import {describe, expect, it} from "vitest";
import {compileSelector} from "../../src/lib/filter.js";
import {flameTree, searchTree} from "../../src/lib/flametree.js";
import {matchNames, namePattern, PatternError} from "../../src/lib/pattern.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {perfText} from "../helpers.js";

const EVIL = "(a+)+$";
const LONG = `${"a".repeat(40)}b`;
const profile = parsePerfScript(perfText([
  {time: "1.1", stack: ["main", LONG]},
  {time: "1.2", stack: ["main", "aaaa"]},
  {time: "1.3", comm: LONG, stack: ["main", "work"]},
]));

describe("name patterns", () => {
  it("match in linear time: a catastrophic pattern finishes", () => {
    expect(namePattern(EVIL).test(LONG)).toBe(false);
    expect(namePattern(EVIL).test("aaaa")).toBe(true);
    expect(Array.from(matchNames([LONG, "aaaa", "b"], namePattern(EVIL)))).toEqual([0, 1, 0]);
  });

  it("filter frames and comms with them", () => {
    const sel = compileSelector(profile, {filter: {include: EVIL}});
    expect(profile.samples.stack.filter((st) => sel.stackOk[st] === 1).length).toBe(1);
    const byComm = compileSelector(profile, {filter: {comm: namePattern("^(a|aa)+b$")}});
    expect(Array.from(byComm.threadOk)).toEqual([0, 1]);
    expect(() => compileSelector(profile, {filter: {comm: namePattern(EVIL)}})).toThrow(/no comm matches "\(a\+\)\+\$" \(comms: "app", "a{40}b"\)/);
  });

  it("search flame trees with them", () => {
    const found = searchTree(flameTree(profile), EVIL);
    expect(found.samples).toBe(1);
    expect([...found.nodes].map((n) => n.name)).toEqual(["aaaa"]);
  });

  it("are RE2: (?i) ignores case; backreferences and lookaround are refused with a clear error", () => {
    expect(namePattern("(?i)^MAIN$").test("main")).toBe(true);
    expect(() => namePattern("(a)\\1")).toThrow(PatternError);
    expect(() => namePattern("(?=a)")).toThrow(/invalid regular expression "\(\?=a\)"/);
    expect(() => namePattern("x".repeat(1001))).toThrow(/at most 1000/);
    expect(() => compileSelector(profile, {filter: {include: "("}})).toThrow(/invalid frame regular expression "\(": missing closing \)/);
  });

  it("leave a RegExp object from code to run natively", () => {
    expect(namePattern(/(?<=m)ain/).test("main")).toBe(true);
  });
});
