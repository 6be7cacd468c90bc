// The report site in a real browser: builds the site for a folder of test profiles (a
// synthetic "one thread once per second" pattern, and a fixture whose frame, comm, file
// and annotation names are markup), serves it on 127.0.0.1 and drives Debian's
// Chromium with playwright-core. Every page must load with no failed request, no
// request to another origin, no page error, no console error and no dialog.
// Screenshots go to test/screenshots/actual/ (git-ignored) to look at; the README's sit in docs/images/.
import {copyFileSync, existsSync, readFileSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {listProfiles} from "../../src/data/site-profiles.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {durationSeconds} from "../../src/lib/profile.js";
import {heatmapCells} from "../../src/lib/render/heatmap.js";
import {patternInfo, synthesize} from "../../src/lib/synth/index.js";
import {brushCells, clickCell, heatmapGeometry} from "../../scripts/browser/heatmap-page.js";
import {CHROMIUM, reportInChromium, selecting, SHOTS, widestFrame} from "./watched-page.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PATTERN = patternInfo("one-thread-once");
/** The pattern's stripe: its thread wakes at 300 ms, so its samples fill these rows of 50. */
const STRIPE = {b0: 13, b1: 16};
/** A file name that is markup (no "/": it is a file name). */
const HOSTILE_FILE = "xss-<i>name";
const IMG_FRAME = "<img src=x onerror=alert(1)>";

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIPPED test/site.test.ts: no ${CHROMIUM} (apt-get install -y chromium) ***\n`);

describe.skipIf(!haveChromium)("report site in Chromium", () => {
  let expectedCells: number;
  let patternColumns: number;

  const site = reportInChromium("site", (profiles) => {
    const patternText = synthesize(PATTERN.name, {seconds: 6, cpus: 2, hz: 999});
    writeFileSync(join(profiles, "pattern.perf"), patternText);
    writeFileSync(
      join(profiles, "pattern.md"),
      "The *one thread, once per second* pattern.\n\n```annotations\n" +
        JSON.stringify({annotations: [{label: "stripe (from markdown)", selection: `c0_5x${STRIPE.b0}_${STRIPE.b1}r50`}]}) +
        "\n```\n",
    );
    const fixtures = join(root, "test", "fixtures", "site");
    copyFileSync(join(fixtures, "xss.perf"), join(profiles, `${HOSTILE_FILE}.perf`));
    copyFileSync(join(fixtures, "xss.annotations.json"), join(profiles, `${HOSTILE_FILE}.annotations.json`));

    const pattern = parsePerfScript(patternText);
    expectedCells = heatmapCells(heatmap(pattern, {rows: 50})).length;
    patternColumns = durationSeconds(pattern);
  });
  const open = (path: string) => site.open(path);
  const openProfile = (slug: string, hash = "") => site.openProfile(slug, hash);

  /** Everything a deep link must bring back. */
  const viewOf = (page: Page) =>
    page.evaluate(() => ({
      hash: location.hash,
      status: document.querySelector(".subsecond-heatmap .subsecond-status")?.textContent,
      rows: (document.querySelector(".subsecond-controls input[type=radio]:checked") as HTMLInputElement | null)?.value,
      checked: [...document.querySelectorAll(".subsecond-controls input:checked")].map((i) => (i.parentElement?.textContent ?? "").trim()),
      search: (document.querySelector("#selection-flame input[type=search]") as HTMLInputElement).value,
      layout: (document.querySelector("#selection-flame select") as HTMLSelectElement).value,
      frames: [...document.querySelectorAll("#selection-flame .frame")].map((f) => `${f.textContent}@${(f as HTMLElement).style.cssText}`),
      selectionOutlines: [...document.querySelectorAll("svg.subsecond-heatmap-chart .selection")].map((p) => p.getAttribute("points")),
    }));

  it("index: every profile with its facts, sparkline and annotations; names as text", async () => {
    const page = await open("index.html");
    await page.waitForSelector(".subsecond-index tbody tr");
    expect(await page.locator(".subsecond-index tbody tr").count()).toBe(2);
    const text = await page.locator(".subsecond-index").innerText();
    expect(text).toContain(`${HOSTILE_FILE}.perf`);
    expect(text).toContain("<b>evil-host</b>");
    expect(text).toContain("--name=<script>alert(4)</script>");
    expect(text).toContain("<script>alert(3)</script>");
    expect(text).toContain("stripe (from markdown)");
    expect(await page.locator(".subsecond-index svg").count()).toBe(2); // sparklines
    expect(await page.locator(".subsecond-index i, .subsecond-index b, .subsecond-index script").count()).toBe(0);
    await page.screenshot({path: join(SHOTS, "index.png"), fullPage: true});
    await page.close();
  });

  it("heat map: one Plot cell per non-empty cell of the pattern profile", async () => {
    const page = await openProfile("pattern");
    const g = await heatmapGeometry(page);
    expect(g.columns).toBe(patternColumns);
    expect(g.rows).toBe(50);
    expect(g.cw).toBeGreaterThanOrEqual(6);
    expect(await page.locator('svg.subsecond-heatmap-chart g[aria-label="cell"] rect').count()).toBe(expectedCells);
    // The markdown's annotation is drawn and listed.
    expect(await page.locator("svg.subsecond-heatmap-chart .annotation:not(.proposal) .annotation-label").allTextContents()).toEqual(["stripe (from markdown)"]);
    await page.close();
  });

  it("brushing the pattern's stripe: the widest frame is the pattern's function", async () => {
    const page = await openProfile("pattern");
    await selecting(page, () => brushCells(page, 0, patternColumns - 1, STRIPE.b0, STRIPE.b1));
    expect(await page.evaluate(() => location.hash)).toBe(`#sel=c0_${patternColumns - 1}x${STRIPE.b0}_${STRIPE.b1}r50`);
    expect(await widestFrame(page)).toBe(PATTERN.function);
    await page.locator(".subsecond-heatmap").screenshot({path: join(SHOTS, "heatmap-brush.png")});
    await page.locator("#selection-flame").screenshot({path: join(SHOTS, "flamegraph.png")});
    await page.close();
  });

  it("click start cell, click end cell: a time range; its widest frame is the pattern's function", async () => {
    const page = await openProfile("pattern");
    await clickCell(page, 2, STRIPE.b0);
    const g = await heatmapGeometry(page);
    await page.mouse.move(g.x(2), g.y(STRIPE.b1), {steps: 3});
    expect(await page.locator("svg.subsecond-heatmap-chart .preview").count()).toBe(1); // follows the pointer
    await page.locator(".subsecond-heatmap").screenshot({path: join(SHOTS, "heatmap-click-preview.png")});
    await selecting(page, () => clickCell(page, 2, STRIPE.b1));
    expect(await page.evaluate(() => location.hash)).toBe("#sel=t2.26_2.34");
    expect(await widestFrame(page)).toBe(PATTERN.function);
    // Escape goes back to the whole profile.
    await selecting(page, () => page.keyboard.press("Escape"));
    expect(await page.evaluate(() => location.hash)).toBe("");
    await page.close();
  });

  it("a deep link reopens the same view: rows, palette, selection, search, zoom, layout", async () => {
    const page = await openProfile("pattern");
    await page.getByLabel("25", {exact: true}).check();
    await page.getByLabel("enhanced", {exact: true}).check();
    // Each change redraws the chart: wait for the one with both before brushing it.
    await page.waitForFunction(() => {
      const chart = document.querySelector("svg.subsecond-heatmap-chart");
      return chart?.getAttribute("data-rows") === "25" && chart.getAttribute("data-palette") === "enhanced";
    });
    await selecting(page, () => brushCells(page, 1, 4, 6, 8)); // rows of 40 ms now
    await page.locator("#selection-flame input[type=search]").fill("histogram|memmove");
    await page.waitForFunction(() => location.hash.includes("q="));
    await page.locator("#selection-flame .frame", {hasText: new RegExp(`^${PATTERN.function}$`)}).click();
    await page.waitForFunction(() => location.hash.includes("zoom="));
    await page.locator("#selection-flame select").selectOption("icicle");
    await page.waitForFunction(() => location.hash.includes("orient=icicle"));
    const before = await viewOf(page);
    expect(before.hash).toContain("rows=25");
    expect(before.hash).toContain("palette=enhanced");
    expect(before.frames.length).toBeGreaterThan(3);
    const again = await openProfile("pattern", before.hash);
    await again.locator("#selection-flame .frame").first().waitFor();
    expect(await viewOf(again)).toEqual(before);
    await again.locator("#selection-flame").screenshot({path: join(SHOTS, "flamegraph-deep-link.png")});
    await page.close();
    await again.close();
  });

  it("compare: pin A, select B, see the differential and the elided view", async () => {
    const page = await openProfile("pattern");
    await selecting(page, () => brushCells(page, 0, patternColumns - 1, STRIPE.b0, STRIPE.b1));
    await page.locator("h2#compare").scrollIntoViewIfNeeded();
    await page.getByRole("button", {name: "Pin this selection as A"}).click();
    await page.waitForFunction(() => location.hash.includes("&a="));
    // B: most of second 1 above the stripe, so the elided view (what A had that B
    // lacks) is the pattern's work.
    await clickCell(page, 1, 20);
    await selecting(page, () => clickCell(page, 1, 45));
    await page.locator("h2#compare").scrollIntoViewIfNeeded();
    const compare = page.locator(".subsecond-compare");
    await compare.waitFor();
    expect(await compare.innerText()).toContain(`A: seconds 0–${patternColumns - 1} × 260–340 ms`);
    expect(await compare.innerText()).toContain("B: 1.4–1.92 s");
    expect(await compare.locator(".subsecond-frames.differential .frame").count()).toBeGreaterThan(3);
    expect(await compare.locator(".subsecond-frames:not(.differential) .frame").count()).toBeGreaterThan(1);
    expect(await page.locator("svg.subsecond-heatmap-chart .pinned").count()).toBe(1);
    await compare.screenshot({path: join(SHOTS, "compare.png")});
    await page.close();
  });

  it("annotate this selection: drawn, listed, and offered as the sidecar's JSON", async () => {
    const page = await openProfile("pattern");
    await selecting(page, () => brushCells(page, 0, patternColumns - 1, STRIPE.b0, STRIPE.b1));
    await page.getByLabel("annotation label").fill("metrics flush");
    await page.getByLabel("annotation note").fill("once a second");
    await page.getByRole("button", {name: "Annotate this selection"}).click();
    const json = page.getByLabel("pattern.annotations.json");
    await json.waitFor();
    expect(JSON.parse(await json.inputValue())).toEqual({
      profile: "pattern.perf",
      annotations: [{label: "metrics flush", selection: `c0_${patternColumns - 1}x${STRIPE.b0}_${STRIPE.b1}r50`, note: "once a second"}],
    });
    // Drawn over the markdown's annotation of the same cells: its label is left out.
    expect(await page.locator("svg.subsecond-heatmap-chart .annotation:not(.proposal) polygon").count()).toBe(2);
    expect(await page.locator(".subsecond-annotations").innerText()).toContain("metrics flush");
    await page.locator("h2#annotated-selections").scrollIntoViewIfNeeded();
    await page.locator(".subsecond-annotation-section").first().waitFor();
    expect(await page.locator(".subsecond-annotation-section h3").allTextContents()).toEqual(["stripe (from markdown)", "metrics flush"]);
    await page.locator(".subsecond-annotations").screenshot({path: join(SHOTS, "annotations.png")});
    await page.close();
  });

  it("frame, comm, file and label names that are markup show as text", async () => {
    const slug = listProfiles(join(site.work, "profiles")).find((p) => p.file === `${HOSTILE_FILE}.perf`)!.slug;
    const page = await openProfile(slug);
    expect(await page.locator("h1").innerText()).toBe(`${HOSTILE_FILE}.perf`);
    // One under each of the two comms.
    const img = page.locator("#selection-flame .frame", {hasText: IMG_FRAME});
    expect(await img.allTextContents()).toEqual([IMG_FRAME, IMG_FRAME]);
    expect(await page.locator("#selection-flame .frame", {hasText: "<i>comm</i>"}).count()).toBe(1);
    await img.first().hover();
    expect(await page.locator("#selection-flame .subsecond-tooltip").innerText()).toContain("/tmp/<svg onload=alert(2)>.so");
    const main = page.locator("#observablehq-main");
    expect(await main.locator("img, i, b, [onload], [onerror]").count()).toBe(0);
    expect(await main.innerText()).toContain("<b>evil-host</b>");
    expect(await page.locator(".subsecond-annotations a").allTextContents()).toEqual(["<script>alert(3)</script>"]);
    await selecting(page, () => page.locator(".subsecond-annotations a").click());
    expect(await page.evaluate(() => location.hash)).toBe("#sel=t0.5_1.5");
    await page.screenshot({path: join(SHOTS, "xss.png")});
    await page.close();
  });

  it("the built site references nothing outside itself", () => {
    for (const file of ["index.html", "profiles/pattern.html"]) {
      const html = readFileSync(join(site.work, "dist", file), "utf8");
      expect(html).not.toMatch(/(src|href)="https?:/);
      expect(html).not.toContain("fonts.googleapis");
    }
  });
});
