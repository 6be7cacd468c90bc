import {describe, expect, it} from "vitest";
import {collapse, foldedText} from "../../src/lib/collapse.js";
import {flameTree} from "../../src/lib/flametree.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {timeRange} from "../../src/lib/selection.js";
import {sampleView} from "../../src/lib/view.js";
import {idleSample, perfText} from "../helpers.js";

// stackcollapse-perf.pl's names: `;` → `:`, argument lists cut (Go methods kept whole),
// symbols starting with "(" dropped, `->` inlines split with _[i], [unknown] named by module.
describe("collapse options", () => {
  const p = parsePerfScript(
    "java 10/11 [000] 1.0: 3 cycles:\n" +
      "\tffffffff81000000 do_syscall_64+0x10 ([kernel.kallsyms])\n" +
      "\t7f01 Lfoo/Bar;::run->Lfoo/Baz;::call+0x4 (/tmp/perf-10.map)\n" +
      "\t7f02 [unknown] (/usr/lib/libjvm.so)\n" +
      "\t7f03 std::function<int (int)>::operator() (/x)\n" +
      "\t7f04 (anonymous namespace)::helper(int) (/x)\n" +
      "\t7f05 net/http.(*Client).Do (/x)\n" +
      "\t7f06 [unknown] ([unknown])\n\n" +
      "java 10/12 [001] 1.1: 1 instructions:\n\t7f07 main (/x)\n",
    {unknownAddresses: true},
  );
  it.each([
    [{}, "java;[unknown];net/http.(*Client).Do;std::function<int ;[libjvm.so];foo/Bar:::run;foo/Baz:::call_[i];do_syscall_64 3"],
    [{pid: true}, "java-10;"],
    [{tid: true}, "java-10/11;"],
    [{kernel: true}, ";do_syscall_64_[k] 3"],
    [{jit: true}, ";foo/Bar:::run_[j];foo/Baz:::call_[i];"],
    [{addrs: true}, "java;[unknown <7f06>];net/http.(*Client).Do;std::function<int ;[libjvm.so <7f02>];"],
    [{event: "instructions"}, "java;main 1"],
  ])("%o", (options, fragment) => {
    const lines = collapse(p, options).lines;
    expect(lines.length).toBe(1);
    expect(lines[0]).toContain(fragment);
  });
});

describe("folded text of a view", () => {
  it("folds a selection's counted samples, samples without call graphs as their one frame", async () => {
    // A real capture recorded without -g: stackcollapse-perf.pl (and plain collapse) skip
    // every sample; a selection's export must not be empty.
    const {readFileSync} = await import("node:fs");
    const nocallchain = parsePerfScript(readFileSync(new URL("../fixtures/perf/c-nocallchain.perf", import.meta.url)));
    expect(collapse(nocallchain).lines).toEqual([]);
    const text = foldedText(sampleView(nocallchain));
    const lines = text.trimEnd().split("\n");
    const total = lines.reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
    expect(total).toBe(flameTree(nocallchain).weight); // folded counts are periods, as perf printed them
    expect(lines.length).toBeGreaterThan(1);
    const first = foldedText(sampleView(nocallchain, [timeRange(0, 1)]));
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(text.length);
  });

  it("counts what the view's filter counts: no idle samples, one event", () => {
    const p = parsePerfScript(perfText([
      {time: "1.1", stack: ["main", "work"]},
      {...idleSample("1.2"), cpu: 1},
      {time: "1.3", stack: ["main", "gc"], event: "page-faults"},
    ]));
    expect(foldedText(sampleView(p))).toBe("app;main;work 1\n");
    expect(foldedText(sampleView(p, null, {filter: {event: "page-faults"}}))).toBe("app;main;gc 1\n");
    expect(foldedText(sampleView(p, null, {idle: "keep"}))).toContain("swapper;");
  });
});

describe("folded order", () => {
  it("is byte order, also above U+FFFF where UTF-16 order differs", () => {
    const p = parsePerfScript(perfText([
      {time: "1.1", stack: ["f\u{1F600}"]}, // U+1F600: surrogates in UTF-16, F0 9F 98 80 in UTF-8
      {time: "1.2", stack: ["f\uFF01"]}, // U+FF01: EF BC 81
      {time: "1.3", stack: ["f!"]},
    ]));
    expect(collapse(p).lines).toEqual(["app;f! 1", "app;f\uFF01 1", "app;f\u{1F600} 1"]);
    expect(["app;f\u{1F600}", "app;f\uFF01"].sort()).toEqual(["app;f\u{1F600}", "app;f\uFF01"]); // what a plain sort would say
  });
});

