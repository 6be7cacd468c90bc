// Detected patterns in notebooks: show(patterns(profile)) as an escaped table, and
// annotate(profile, pattern) drawing the accepted proposal on the next heat map.
import {describe, expect, it} from "vitest";
import {annotate, displayData, heatmap, parsePerfScript, patterns, synthesize} from "../../src/notebook/index.js";

describe("patterns in notebooks", () => {
  it("shows the instances as a table and accepts one as an annotation", () => {
    const profile = parsePerfScript(synthesize("perturbations").replaceAll("gc_mark_heap", "gc_<img src=x onerror=alert(1)>"), {source: "p.perf"});
    const found = patterns(profile);
    expect(found.map((p) => p.kind)).toEqual(["perturbation"]);
    const out = displayData(found);
    expect(out["text/html"]).toMatch(/^<table class="subsecond-patterns">/);
    expect(out["text/html"]).toContain("gc_&lt;img src=x onerror=alert(1)&gt;");
    expect(out["text/html"]).not.toContain("<img");
    expect(out["text/plain"]).toMatch(/^perturbation \(1\.00\): perturbation: \d+ ms, 4 CPUs, mostly gc_<img/);
    annotate(profile, found[0]);
    expect(profile.annotations.map((a) => a.label)).toEqual([found[0].label]);
    const map = displayData(heatmap(profile, {rows: 50}));
    expect(map["text/html"]).toContain("perturbation: ");
    expect(map["text/html"]).not.toContain("<img");
  });
});
