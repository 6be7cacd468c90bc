// A profile as the report site's artifacts (Arrow tables and a JSON dictionary) and back.
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import * as aq from "arquero";
import {describe, expect, it} from "vitest";
import {fromArtifacts, toArtifacts} from "../../src/lib/artifacts.js";
import {flameTree} from "../../src/lib/flametree.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {readProfile} from "../../src/node/index.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("report site artifacts", () => {
  it("a profile survives toArtifacts → fromArtifacts exactly, and arquero reads the samples", async () => {
    const profile = await readProfile(join(root, "test", "fixtures", "site", "xss.perf"));
    const artifacts = toArtifacts(profile);
    // The dictionary travels as JSON.
    const back = fromArtifacts({...artifacts, dictionary: JSON.parse(JSON.stringify(artifacts.dictionary))});
    expect(Array.from(back.samples.time)).toEqual(Array.from(profile.samples.time));
    for (const key of ["stack", "thread", "cpu", "event", "weight"] as const) expect(Array.from(back.samples[key])).toEqual(Array.from(profile.samples[key]));
    expect(back.strings).toEqual(profile.strings);
    expect(back.annotations).toEqual(profile.annotations);
    expect(JSON.stringify(flameTree(back).root)).toBe(JSON.stringify(flameTree(profile).root));
    expect(JSON.stringify(heatmap(back).counts)).toBe(JSON.stringify(heatmap(profile).counts));
    const samples = aq.fromArrow(artifacts.samples);
    expect(samples.columnNames()).toEqual(["second", "offset", "stack", "thread", "cpu", "event", "weight"]);
    expect(samples.numRows()).toBe(profile.samples.length);
  });

  it("a profile without samples (a stray text file in the folder) has artifacts too", () => {
    const empty = parsePerfScript("not a perf script\n");
    const back = fromArtifacts(toArtifacts(empty));
    expect(back.samples.length).toBe(0);
    expect(back.diagnostics.entries.map((d) => d.code)).toEqual(["unrecognized-line", "not-perf-script"]);
  });
});

