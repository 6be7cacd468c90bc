// Notebooks: track(profile, file) beside the heat map in show()'s output, and the
// "what differs when the metric is high" differential, on the recorded JVM capture.
import {describe, expect, it} from "vitest";
import {displayData, heatmap, readProfile, track, whenDiff} from "../../src/notebook/index.js";

const DIR = new URL("../fixtures/timeline/", import.meta.url).pathname;

describe("notebook timelines", () => {
  it("track() places a log on the profile; show()'s heat map draws it; whenDiff() grows the refresh", async () => {
    const profile = await readProfile(DIR + "jvm-latency.perf.gz");
    const gc = track(profile, DIR + "jvm-latency.gc.log.gz");
    const latency = track(profile, DIR + "jvm-latency.metrics.csv");
    expect([gc.alignment.method, latency.alignment.method]).toEqual(["monotonic", "reference-time"]);
    const html = displayData(heatmap(profile), {tracks: [gc, latency]})["text/html"] ?? "";
    expect(html.match(/ subsecond-track-chart"/g)?.length).toBe(4);
    expect(html).toContain("jvm-latency.metrics: latency_p99_ms");
    const {when, text, tree} = whenDiff(profile, [latency], "latency_p99_ms>100");
    expect([when.points, when.seconds, text]).toEqual([4, 4, "latency_p99_ms > 100: 4 of 30 points, 4 s"]);
    // the CLI's other forms of condition
    expect(whenDiff(profile, [latency], "latency_p99_ms top 10%").text).toBe("latency_p99_ms > 138.926 (the top 10%): 3 of 30 points, 3 s");
    expect(tree.samples).toBe(209);
    let best = tree.root.children[0];
    for (const c of tree.root.children) if (c.delta!.total > best.delta!.total) best = c;
    expect(best.name).toBe("cache-refresh");
  });
});
