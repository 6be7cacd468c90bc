// The report site on a folder of one profile per format (the fixtures of
// test/fixtures/formats/: the recorded .cpuprofile, Chrome trace and Go pprof, and the
// speedscope, Gecko and folded files exported from them), as `subsecond report`
// builds it: every one is shown with the sample count its file holds (counted from the
// file), listed on the index, and its page becomes interactive in Chromium with no
// page problem; a profile without times says why it has no heat map.
import {copyFileSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {basename, join} from "node:path";
import {describe, expect, it} from "vitest";
import {CPUPROFILE, fixtureSampleCount, FOLDED, GECKO, GO_PPROF, SPEEDSCOPE, TRACE} from "../lib/import-fixtures.js";
import {reportInChromium} from "./watched-page.js";

/** Each fixture, the slug of its page, and whether it has times. */
const PAGES: [path: string, slug: string, timed: boolean][] = [
  [CPUPROFILE, "node-periodic", true],
  [TRACE, "chromium-periodic-trace", true],
  [GO_PPROF, "go-periodic", false],
  [SPEEDSCOPE, "node-periodic-speedscope", true],
  [GECKO, "chromium-periodic-gecko", true],
  [FOLDED, "go-periodic-stacks", false],
];

describe("a report of profiles in every format", () => {
  const site = reportInChromium("formats", (profiles) => {
    for (const [path] of PAGES) copyFileSync(path, join(profiles, basename(path)));
    writeFileSync(join(profiles, "package.json"), '{"name": "not a profile"}');
  });

  it("shows every profile with its file's sample count", () => {
    const data = join(site.work, "dist", "_file", "data", "profiles");
    const shown = readdirSync(data).map((slug) => {
      const summary = readdirSync(join(data, slug)).find((f) => f.startsWith("summary."))!;
      const {source, samples} = JSON.parse(readFileSync(join(data, slug, summary), "utf8"));
      return [slug, source, samples.total];
    });
    expect(shown.sort()).toEqual(PAGES.map(([path, slug]) => [slug, basename(path), fixtureSampleCount(path)]).sort());
  });

  it("lists every profile on the index, and the JSON that is none under Not shown", async () => {
    const page = await site.open("index.html");
    for (const [, slug] of PAGES) await page.waitForSelector(`a[href*="profiles/${slug}"]`, {timeout: 30_000});
    const text = await page.locator("body").innerText();
    expect(text).toContain("JSON that is not a profile format subsecond reads");
    await page.close();
  });

  it.each(PAGES)("%s: its page is interactive (a heat map when it has times)", async (_, slug, timed) => {
    const page = await site.openProfile(slug);
    const text = await page.locator("body").innerText();
    if (timed) expect(text).not.toContain("has no sample timestamps");
    else expect(text).toContain("This profile has no sample timestamps, so it has no heat map");
    if (timed) expect(await page.locator("svg").count()).toBeGreaterThan(0);
    await page.close();
  });
});
