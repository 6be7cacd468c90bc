// The profile page's period control and proposed annotations, in Chromium, on the
// bundled Node service capture (49 Hz on 2 CPUs, 46 s, five cache refreshes): a deep
// link with a period reopens the folded map and its selection; the control folds the
// map and a folded brush selects those offsets in every period (the sample count is
// the library's); the patterns the build found are drawn dashed, one per instance,
// listed, shown and accepted into the annotations.
import {copyFileSync, existsSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {flameTree} from "../../src/lib/flametree.js";
import {findPatterns, type PatternInstance} from "../../src/lib/patterns/index.js";
import {durationSeconds, type Profile} from "../../src/lib/profile.js";
import {cellBlock, formatSelection, parseSelection} from "../../src/lib/selection.js";
import {readProfile} from "../../src/node/index.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {synthesize} from "../../src/lib/synth/index.js";
import {brushCells} from "../../scripts/browser/heatmap-page.js";
import {CHROMIUM, inViewport, reportInChromium, ROOT_FRAME, selecting, SHOTS, X_AXIS} from "./watched-page.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SERVICE = "node-cache-refresh";
const FIVE_S = 5e9;
/** A function name that is markup: the perturbation's label names it. */
const HOSTILE = "<img/src=x/onerror=alert(1)>";

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIPPED test/site/fold.test.ts: no ${CHROMIUM} (apt-get install -y chromium) ***\n`);

describe.skipIf(!haveChromium)("folding and proposed annotations on the profile page, in Chromium", () => {
  let service: Profile;
  let instances: PatternInstance[];
  let hostile: PatternInstance[];
  const site = reportInChromium("fold", async (profiles) => {
    const text = synthesize("perturbations", {seconds: 12, cpus: 2, hz: 99}).replaceAll("gc_mark_heap", HOSTILE);
    writeFileSync(join(profiles, "hostile.perf"), text);
    hostile = findPatterns(parsePerfScript(text));
    for (const file of [`${SERVICE}.perf.gz`, `${SERVICE}.annotations.json`]) copyFileSync(join(root, "examples", file), join(profiles, file));
    service = await readProfile(join(profiles, `${SERVICE}.perf.gz`));
    instances = findPatterns(service);
  });

  const hash = (page: Page) => page.evaluate(() => decodeURIComponent(location.hash));
  const selectionLine = (page: Page) => page.locator(".subsecond-selection-line").innerText();
  const columns = (page: Page) => page.locator("svg.subsecond-heatmap-chart").getAttribute("data-columns").then(Number);
  const samplesText = (n: number) => `· ${n.toLocaleString("en-US")} sample${n === 1 ? "" : "s"}`;
  const foldedColumns = () => Math.ceil(durationSeconds(service) / 5);

  it("a deep link with a period reopens the folded map, its ticks in seconds, and its folded selection", async () => {
    const sel = [cellBlock(1, 6, 10, 20, 50, FIVE_S)];
    const page = await site.openProfile(SERVICE, `#period=5s&sel=${formatSelection(sel)}`);
    expect(await page.locator(".subsecond-period input").inputValue()).toBe("5s");
    expect(await columns(page)).toBe(foldedColumns());
    expect(await page.locator('svg.subsecond-heatmap-chart g[aria-label="x-axis label"]').textContent()).toBe("time since origin, one column per 5s →");
    expect(await page.locator('svg.subsecond-heatmap-chart g[aria-label="x-axis tick label"]').textContent()).toContain("10s");
    expect(await selectionLine(page)).toContain("periods 1–6 of 5s × 1000–2100 ms");
    expect(await selectionLine(page)).toContain(samplesText(flameTree(service, sel).samples));
    expect(await page.locator("svg.subsecond-heatmap-chart polygon.selection").count()).toBe(1);
    await page.close();
  });

  it("the period control folds the map; a folded brush selects those offsets in every period; a bad period is refused", async () => {
    const page = await site.openProfile(SERVICE);
    const oneSecond = await columns(page);
    const box = page.locator(".subsecond-period input");
    await box.fill("5ms");
    await box.press("Enter");
    expect(await page.locator(".subsecond-period-error").textContent()).toContain("a period is from 10ms to 1h");
    expect(await columns(page)).toBe(oneSecond);
    await box.fill("5s");
    await box.press("Enter");
    await page.waitForFunction((n) => document.querySelector("svg.subsecond-heatmap-chart")?.getAttribute("data-columns") === String(n), foldedColumns());
    expect(await page.locator(".subsecond-period-error").textContent()).toBe("");
    expect(await hash(page)).toBe("#period=5s");
    const last = foldedColumns() - 1;
    await selecting(page, () => brushCells(page, 0, last, 2, 21));
    const block = [cellBlock(0, last, 2, 21, 50, FIVE_S)];
    expect(await hash(page)).toBe(`#period=5s&sel=${formatSelection(block)}`);
    const count = flameTree(service, block).samples;
    expect(count).toBeGreaterThan(0);
    expect(await selectionLine(page)).toContain(samplesText(count));
    await page.screenshot({path: join(SHOTS, "fold-5s.png")});
    // Back to one second: the map as before, the selection kept.
    await box.fill("1s");
    await box.press("Enter");
    await page.waitForFunction((n) => document.querySelector("svg.subsecond-heatmap-chart")?.getAttribute("data-columns") === String(n), oneSecond);
    expect(await hash(page)).toBe(`#sel=${formatSelection(block)}`);
    await page.close();
  });

  it("at 1440×900 and 1024×768 a folded brush keeps the map's axis and the flame graph's root in view; Escape in the period box keeps the selection", async () => {
    for (const viewport of [{width: 1440, height: 900}, {width: 1024, height: 768}]) {
      const page = await site.openProfile(SERVICE, "#period=5s", viewport);
      await selecting(page, () => brushCells(page, 1, 3, 2, 21));
      const folded = await hash(page);
      expect(folded).toMatch(/^#period=5s&sel=c1_3x2_21r50p5s$/);
      // The selection line names periods (three lines in a narrow pane): the graph fits below it.
      expect(await inViewport(page, ROOT_FRAME)).toBe(true);
      expect(await inViewport(page, X_AXIS)).toBe(true);
      const box = page.locator(".subsecond-period input");
      await box.focus();
      await box.press("Escape");
      await page.waitForTimeout(300);
      expect(await hash(page)).toBe(folded);
      expect(await page.locator("svg.subsecond-heatmap-chart polygon.selection").count()).toBe(1);
      await page.screenshot({path: join(SHOTS, `fold-brush-${viewport.width}x${viewport.height}.png`)});
      await page.close();
    }
  });

  it("draws one dashed proposal per instance, lists them, shows one's flame graph, and accepts one into the annotations", async () => {
    expect(instances.length).toBeGreaterThan(0);
    const page = await site.openProfile(SERVICE);
    const proposals = page.locator("svg.subsecond-heatmap-chart g.annotation.proposal");
    expect(await proposals.count()).toBe(instances.length);
    expect(await proposals.locator("polygon").first().getAttribute("stroke-dasharray")).toBe("4 3");
    expect(await proposals.locator("title").allTextContents()).toEqual(instances.map((p) => `${p.label}: ${p.explanation}`));
    const items = page.locator("li.subsecond-proposal");
    expect(await items.locator(".subsecond-proposal-label").allTextContents()).toEqual(instances.map((p) => p.label));

    const [first] = instances;
    await selecting(page, () => items.first().locator(".subsecond-proposal-show").click());
    expect(await hash(page)).toBe(`#sel=${formatSelection(parseSelection(first.selection))}`);
    expect(await selectionLine(page)).toContain(samplesText(flameTree(service, parseSelection(first.selection)).samples));
    await page.screenshot({path: join(SHOTS, "proposals.png"), fullPage: true});

    const annotations = await page.locator(".subsecond-annotations li").count();
    await items.first().locator(".subsecond-proposal-accept").click();
    await page.waitForFunction((n) => document.querySelectorAll("svg.subsecond-heatmap-chart g.annotation.proposal").length === n, instances.length - 1);
    expect(await page.locator(".subsecond-annotations li").count()).toBe(annotations + 1);
    expect(await page.locator(".subsecond-annotations li", {hasText: first.label}).innerText()).toContain("added here, not saved yet");
    expect(await page.locator("li.subsecond-proposal").first().locator(".subsecond-proposal-accept").isDisabled()).toBe(true);
    // The sidecar JSON offered to save holds it, as one made with the form would be.
    expect(await page.locator("textarea.subsecond-json").inputValue()).toContain(JSON.stringify(first.label));
    await page.close();
  });

  it("follows the page's thread filter: the proposals are found again for the samples it keeps", async () => {
    const {threads, strings} = service;
    const t = Array.from({length: threads.length}, (_, i) => i).find((i) => strings[threads.comm[i]] === "price-service")!;
    const tid = threads.tid[t];
    const filtered = findPatterns(service, {filter: {tid}});
    // Different from the whole profile's, so the page cannot pass by showing the build's.
    expect(filtered.map((p) => p.label)).not.toEqual(instances.map((p) => p.label));
    const page = await site.openProfile(SERVICE, `#tid=${tid}`);
    expect(await page.locator(".subsecond-proposals-hint").textContent()).toContain("found again here, for this filter");
    expect(await page.locator("li.subsecond-proposal .subsecond-proposal-label").allTextContents()).toEqual(filtered.map((p) => p.label));
    expect(await page.locator("svg.subsecond-heatmap-chart g.annotation.proposal").count()).toBe(filtered.length);
    // Back to every thread: the build's proposals again.
    await page.locator(".subsecond-filters form", {has: page.locator("label", {hasText: /^Thread$/})}).locator("select").selectOption({index: 0});
    await page.waitForFunction((n) => document.querySelectorAll("li.subsecond-proposal").length === n, instances.length);
    expect(await page.locator(".subsecond-proposals-hint").textContent()).toBe("Patterns found in the profile, drawn dashed on the heat map.");
    await page.close();
  });

  it("writes a proposal's label and frames as text, never as markup, on the map and in the list", async () => {
    expect(hostile.map((p) => p.label)).toEqual([expect.stringContaining(HOSTILE)]);
    const page = await site.openProfile("hostile");
    expect(await page.locator("svg.subsecond-heatmap-chart g.proposal .annotation-label").allTextContents()).toEqual([expect.stringContaining("<img/src=x")]);
    expect(await page.locator(".subsecond-proposal-label").allTextContents()).toEqual([hostile[0].label]);
    expect(await page.locator(".subsecond-proposal-frames code").first().textContent()).toBe(HOSTILE);
    expect(await page.locator("img[src=x]").count()).toBe(0);
    await page.close();
  });
});
