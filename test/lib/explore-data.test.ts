// explore()'s data: the samples a view counts as a smaller profile, through base64 Arrow
// and back, count exactly what the view of the whole profile counts.
import {describe, expect, it} from "vitest";
import {decodeExploreData, encodeExploreData, fromBase64, toBase64, viewProfile} from "../../src/lib/explore-data.js";
import {flameTree, topFunctions} from "../../src/lib/flametree.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {cellBlock, timeRange} from "../../src/lib/selection.js";
import {sampleView} from "../../src/lib/view.js";
import {readProfile} from "../../src/node/index.js";
import {exploreDisplay} from "../../src/notebook/explore.js";

const JVM = new URL("../../examples/jvm-g1-gc.perf.gz", import.meta.url).pathname;

describe("base64", () => {
  it("round-trips every length and byte", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({length: n}, (_, i) => (i * 37 + n) & 255);
      const text = toBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString("base64"));
      expect(fromBase64(text)).toEqual(bytes);
    }
    expect(() => fromBase64("ab!d")).toThrow("not base64 at character 2");
    expect(() => fromBase64("abc")).toThrow("not a multiple of 4");
  });
});

describe("viewProfile on a real JVM capture", async () => {
  const profile = await readProfile(JVM);
  // The default idle rule drops the idle CPU's samples: the small profile has none.
  const options = {idle: "default" as const};
  const view = sampleView(profile, [timeRange(10, 20)], options);
  const small = decodeExploreData(JSON.parse(JSON.stringify(encodeExploreData(viewProfile(view)))));

  it("holds only the view's samples, stacks and frames", () => {
    const counted = view.mask().reduce((a, b) => a + b, 0);
    expect(counted).toBeGreaterThan(1000);
    expect(small.samples.length).toBe(counted);
    expect(small.stacks.length).toBeLessThan(profile.stacks.length);
    expect(small.frames.length).toBeLessThan(profile.frames.length);
    expect(small.origin).toBe(profile.origin);
    expect(small.annotations).toEqual(profile.annotations);
  });

  it("draws the same heat map and flame trees of any selection as the whole profile does", () => {
    const whole = heatmap(profile, {rows: 25, ...options});
    const mine = heatmap(small, {rows: 25, idle: "keep"});
    for (let s = 0; s < whole.columns; s++) {
      for (let b = 0; b < 25; b++) {
        const inWindow = s >= 10 && s < 20;
        expect(mine.counts[s * 25 + b] ?? 0).toBe(inWindow ? whole.counts[s * 25 + b] : 0);
      }
    }
    const block = [cellBlock(12, 15, 3, 9, 25)];
    const a = flameTree(profile, block, options), b = flameTree(small, block, {idle: "keep"});
    expect(b.samples).toBe(a.samples);
    expect(b.samples).toBeGreaterThan(0);
    expect(topFunctions(b, {by: "self", limit: 5})).toEqual(topFunctions(a, {by: "self", limit: 5}));
  });
});

describe("exploreDisplay", async () => {
  const profile = await readProfile(JVM);
  const script = "/* the output's script */";

  it("holds the static figures, the data and the script; escapes the file name", () => {
    const out = exploreDisplay({...profile, source: "x<b>y.perf"}, {rows: 25, from: 0, to: 5}, script);
    const html = out["text/html"];
    expect(html.match(/class="subsecond-figure"/g)?.length).toBe(2);
    expect(html).toContain(`<script>${script}</script>`);
    expect(html).not.toContain("<b>"); // escaped in the text, \\u003c in the JSON
    expect(html.split("</script>").length).toBe(3); // the data's element and the script's
    const json = /<script type="application\/json" class="subsecond-explore-data">(.*?)<\/script>/s.exec(html)![1];
    const payload = JSON.parse(json);
    expect(payload.file).toBe("x<b>y.perf");
    expect(payload.site).toEqual({base: "", slug: "x-b-y", view: {rows: 25, idle: "default", pid: null, tid: null, cpu: null, event: null}});
    expect(decodeExploreData(payload.data).samples.length).toBe(flameTree(profile, [timeRange(0, 5)]).samples);
  });

  it("refuses more than maxBytes, saying what fits", () => {
    expect(() => exploreDisplay(profile, {maxBytes: 100_000}, script)).toThrow(
      /^explore: the [\d,]+ samples of .*jvm-g1-gc\.perf\.gz take \d+\.\d MB in an output, over the 0\.1 MB limit: explore a time window of about \d+ s/,
    );
  });
});
