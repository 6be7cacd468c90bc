import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {collapse, compareBytes, foldedText, writeCollapsed} from "../../src/lib/collapse.js";
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

describe("one stack under several root labels", () => {
  // Two processes of one comm share their stacks; --pid and --tid fold them apart.
  const p = parsePerfScript(
    "app 10/10 [000] 1.0: 1 cycles:\n\t1 work (/x)\n\t2 main (/x)\n\n" +
      "app 20/21 [001] 1.1: 1 cycles:\n\t1 work (/x)\n\t2 main (/x)\n\n" +
      "app 10/10 [000] 1.2: 1 cycles:\n\t1 work (/x)\n\t2 main (/x)\n\n" +
      "app 20/22 [001] 1.3: 1 cycles:\n\t1 work (/x)\n\t2 main (/x)\n",
  );
  it.each([
    [{}, ["app;main;work 4"]],
    [{pid: true}, ["app-10;main;work 2", "app-20;main;work 2"]],
    [{tid: true}, ["app-10/10;main;work 2", "app-20/21;main;work 1", "app-20/22;main;work 1"]],
  ])("%o", (options, lines) => {
    expect(collapse(p, options).lines).toEqual(lines);
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


describe("folded text of many stacks", () => {
  // Segments that begin with a sibling's and go on with a character before ';' ("!",
  // " "), after it ("~", "b"), or that the clean-up makes equal ("a(int)" is "a").
  const names = ["a", "a!", "a~", "a b", "ab", "a(int)", "b", "a;b", "\u{1F600}", "\uFF01"];
  const text = fc.array(fc.tuple(fc.constantFrom("app", "app;x", "app!", "apq"), fc.array(fc.constantFrom(...names), {maxLength: 5})), {minLength: 1, maxLength: 40})
    .map((samples) => samples.map(([comm, stack], i) =>
      [`${comm} 1/1 [000] 1.${String(i).padStart(6, "0")}: 1 cycles:`, ...stack.map((f, k) => `\t${k + 1} ${f} (/x)`), ""].join("\n")).join("\n"));

  it("has one line per text, in byte order, written as the same bytes (property)", () => {
    fc.assert(
      fc.property(text, (perf) => {
        const p = parsePerfScript(perf);
        const {lines} = collapse(p);
        const texts = lines.map((l) => l.slice(0, l.lastIndexOf(" ")));
        expect(new Set(texts).size).toBe(texts.length);
        expect([...texts].sort(compareBytes)).toEqual(texts);
        expect(lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0)).toBe(p.samples.length);
        const pieces: Uint8Array[] = [];
        writeCollapsed(p, {}, (bytes) => pieces.push(bytes.slice()));
        expect(Buffer.concat(pieces).toString("utf8")).toBe(lines.length ? `${lines.join("\n")}\n` : "");
      }),
      {numRuns: 300},
    );
  });

  it("writes pieces of at most a MiB, whole lines each", () => {
    const stack = Array.from({length: 60}, (_, k) => `\t${k + 1} frame_${k}_${"x".repeat(40)} (/x)`);
    const perf = Array.from({length: 2000}, (_, i) => [`app 1/1 [000] 1.${String(i).padStart(6, "0")}: 1 cycles:`, `\t99 leaf_${i} (/x)`, ...stack, ""].join("\n")).join("\n");
    const pieces: string[] = [];
    writeCollapsed(parsePerfScript(perf), {}, (bytes) => pieces.push(Buffer.from(bytes).toString("utf8")));
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(1 << 20);
      expect(piece.endsWith("\n")).toBe(true);
    }
    expect(pieces.join("").split("\n")).toHaveLength(2001);
  });

  it("names frames of deleted files and memfds as stackcollapse-perf.pl does", () => {
    // What the script prints for these lines (checked against it): it takes the last
    // " (" of the line as the module's, so "[unknown] (/memfd:…" is the symbol, cut
    // at "(" into "[unknown] ", and a frame without a symbol is skipped.
    const p = parsePerfScript(
      "node 1/1 [000] 1.0: 1 cycles:\n" +
        "\tc6a96 [unknown] (/memfd:sealed-9117 (deleted))\n" +
        "\t8e07d (/tmp/gone.so (deleted))\n" +
        "\t8e07e run (/tmp/gone.so (deleted))\n" +
        "\t7f01 main (/usr/bin/node)\n\n",
    );
    expect(collapse(p).lines).toEqual(["node;main;run ;[unknown]  1"]);
  });
});
