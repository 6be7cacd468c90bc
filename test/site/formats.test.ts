// The report site on a folder of profiles in every format: the recorded .cpuprofile,
// Chrome trace and Go pprof, and speedscope, Gecko and folded files exported from
// them. Every one is listed on the index and its page becomes interactive in Chromium
// with no page problem; a profile without times says why it has no heat map.
import {copyFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {foldedText} from "../../src/lib/collapse.js";
import {toGecko} from "../../src/lib/export/gecko.js";
import {toSpeedscope} from "../../src/lib/export/speedscope.js";
import {readProfile} from "../../src/node/index.js";
import {sampleView} from "../../src/lib/view.js";
import {CPUPROFILE, GO_PPROF, TRACE} from "../lib/import-fixtures.js";
import {reportInChromium} from "./watched-page.js";

const PAGES: [string, boolean][] = [
  ["node-periodic", true],
  ["chromium-periodic-trace", true],
  ["go-periodic", false],
  ["node-speedscope", true],
  ["chromium-gecko", true],
  ["go-folded", false],
];

describe("a report of profiles in every format", () => {
  const site = reportInChromium("formats", async (profiles) => {
    for (const path of [CPUPROFILE, TRACE, GO_PPROF]) copyFileSync(path, join(profiles, path.replace(/^.*\//, "")));
    const all = async (path: string) => sampleView(await readProfile(path), null, {idle: "keep"});
    writeFileSync(join(profiles, "node.speedscope.json"), toSpeedscope(await all(CPUPROFILE)));
    writeFileSync(join(profiles, "chromium.gecko.json"), toGecko(await all(TRACE)).json);
    writeFileSync(join(profiles, "go-folded.folded"), foldedText(await all(GO_PPROF)));
    writeFileSync(join(profiles, "package.json"), '{"name": "not a profile"}');
  });

  it("lists every profile on the index, and the JSON that is none under Not shown", async () => {
    const page = await site.open("index.html");
    for (const [slug] of PAGES) await page.waitForSelector(`a[href*="profiles/${slug}"]`, {timeout: 30_000});
    const text = await page.locator("body").innerText();
    expect(text).toContain("JSON that is not a profile format subsecond reads");
    await page.close();
  });

  it.each(PAGES)("%s: its page is interactive (a heat map when it has times)", async (slug, timed) => {
    const page = await site.openProfile(slug);
    const text = await page.locator("body").innerText();
    if (timed) expect(text).not.toContain("has no sample timestamps");
    else expect(text).toContain("This profile has no sample timestamps, so it has no heat map");
    if (timed) expect(await page.locator("svg").count()).toBeGreaterThan(0);
    await page.close();
  });
});
