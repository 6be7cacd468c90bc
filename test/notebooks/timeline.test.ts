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
    const {when, tree} = whenDiff(profile, [latency], "latency_p99_ms>100");
    expect([when.points, when.seconds]).toEqual([4, 4]);
    expect(tree.samples).toBe(209);
    let best = tree.root.children[0];
    for (const c of tree.root.children) if (c.delta!.total > best.delta!.total) best = c;
    expect(best.name).toBe("cache-refresh");
  });
});
