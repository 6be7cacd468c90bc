// The profile page as a workbench, in Chromium: the heat map and the selection's flame
// graph in view together; state that survives (Escape, anchors, zoom, Back/Forward);
// the keyboard; colours that tell 1–4 samples apart; rows that match the sampling rate;
// wall-clock time; the union of annotations that share a label. On a synthetic pattern
// and on a real capture (the bundled Node service, 49 Hz on 2 CPUs, whose sidecar marks
// five cache refreshes with one label).
import {copyFileSync, existsSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {annotationGroups} from "../../src/lib/annotations.js";
import {flameTree} from "../../src/lib/flametree.js";
import {readProfile} from "../../src/node/index.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import {durationSeconds, type Profile} from "../../src/lib/profile.js";
import {partOutlines} from "../../src/lib/render/heatmap.js";
import {patternInfo, synthesize} from "../../src/lib/synth/index.js";
import {brushCells, clickCell, heatmapGeometry, waitForMeasure} from "../../scripts/browser/heatmap-page.js";
import {CHROMIUM, inViewport, reportInChromium, ROOT_FRAME, selecting, SHOTS, widestFrame, X_AXIS} from "./watched-page.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PATTERN = patternInfo("one-thread-once");
/** The pattern's stripe: its thread wakes at 300 ms, so its samples fill these rows of 50. */
const STRIPE = {b0: 13, b1: 16};
const SERVICE = "node-cache-refresh";
const WIDE = {width: 1440, height: 900};
const SMALL = {width: 1024, height: 768};

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIPPED test/site/workbench.test.ts: no ${CHROMIUM} (apt-get install -y chromium) ***\n`);

describe.skipIf(!haveChromium)("the profile page as a workbench, in Chromium", () => {
  let service: Profile;
  let patternColumns: number;

  const site = reportInChromium("workbench", async (profiles) => {
    const patternText = synthesize(PATTERN.name, {seconds: 6, cpus: 2, hz: 999});
    writeFileSync(join(profiles, "pattern.perf"), patternText);
    patternColumns = durationSeconds(parsePerfScript(patternText));
    for (const file of [`${SERVICE}.perf.gz`, `${SERVICE}.annotations.json`]) copyFileSync(join(root, "examples", file), join(profiles, file));
    service = await readProfile(join(profiles, `${SERVICE}.perf.gz`));
  });
  const openProfile = (slug: string, hash = "", viewport = WIDE) => site.openProfile(slug, hash, viewport);

  const hash = (page: Page) => page.evaluate(() => decodeURIComponent(location.hash));
  /** Set on the page; gone if the page reloads. */
  const mark = (page: Page) => page.evaluate(() => Object.assign(window, {subsecondTestMark: 1}));
  const marked = (page: Page) => page.evaluate(() => (window as {subsecondTestMark?: number}).subsecondTestMark === 1);
  const flameFrames = (page: Page) => page.$$eval("#selection-flame .frame", (fs) => fs.map((f) => `${f.textContent}@${(f as HTMLElement).style.left},${(f as HTMLElement).style.width}`));
  const selectionLine = (page: Page) => page.locator(".subsecond-selection-line").innerText();


  describe("layout", () => {
    it("at 1440×900, after a brush, the map's x axis and the flame graph's root are in view, without scrolling", async () => {
      const page = await openProfile(SERVICE);
      expect(await inViewport(page, X_AXIS)).toBe(true);
      expect(await inViewport(page, ROOT_FRAME)).toBe(true);
      // The refresh at 26 s: the widest frame is the refresh's own function.
      await selecting(page, () => brushCells(page, 26, 26, 2, 21));
      expect(await page.evaluate(() => scrollY)).toBe(0);
      expect(await page.locator(ROOT_FRAME).innerText()).toBe("all");
      expect(await inViewport(page, X_AXIS)).toBe(true);
      expect(await inViewport(page, ROOT_FRAME)).toBe(true);
      expect(await page.locator("#selection-flame .frame", {hasText: /refreshPriceCache/}).count()).toBeGreaterThan(0);
      await page.screenshot({path: join(SHOTS, "workbench-1440x900.png")});
      await page.close();
    });

    it("an annotation clicked further down the map's column changes the flame graph in view (it is docked)", async () => {
      const page = await openProfile(SERVICE);
      const link = page.locator(".subsecond-annotations a", {hasText: "major GC"});
      await link.scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => scrollY)).toBeGreaterThan(0);
      await selecting(page, () => link.click());
      expect(await inViewport(page, ROOT_FRAME)).toBe(true);
      expect(await selectionLine(page)).toContain("5.6–5.804 s");
      await page.close();
    });

    it("a sandwich's and the busiest threads' graphs of deep stacks each keep their root in view, nothing printed for what is not shown", async () => {
      // The callers of a leaf function: as deep as the stacks that reach it.
      const leaf = "v8::base::ieee754::log1p";
      const page = await openProfile(SERVICE, `#sw=${encodeURIComponent(leaf)}`);
      expect(await page.locator('#sandwich-callers .frame[data-i="0"]').innerText()).toBe("all");
      /** Whether a graph is deeper than its box (which scrolls, its root kept in view). */
      const deeperThanItsBox = (graph: string) => page.locator(`${graph} .subsecond-flame-graph`).evaluate((box) => box.scrollHeight > box.clientHeight);
      expect(await deeperThanItsBox("#sandwich-callers")).toBe(true);
      expect(await inViewport(page, '#sandwich-callers .frame[data-i="0"]')).toBe(true);
      await page.screenshot({path: join(SHOTS, "workbench-sandwich-1440x900.png")});
      await selecting(page, () => page.getByRole("button", {name: "Close"}).click());
      await selecting(page, () => page.getByLabel("threads").selectOption("4"));
      expect(await deeperThanItsBox("#thread-flame-0")).toBe(true);
      for (const k of [0, 1]) expect(await inViewport(page, `#thread-flame-${k} .frame[data-i="0"]`)).toBe(true);
      await page.screenshot({path: join(SHOTS, "workbench-threads-1440x900.png")});
      // A profile without timelines shows none, and no stray text where they would be.
      expect(await page.locator("#map-pane").innerText()).not.toMatch(/^null$/m);
      await page.close();
    });

    it("at 1024×768 the map and the flame graph still sit side by side (a screenshot to look at)", async () => {
      const page = await openProfile(SERVICE, "", SMALL);
      await selecting(page, () => brushCells(page, 26, 26, 2, 21));
      const map = await page.locator("#map-pane").boundingBox(), flame = await page.locator("#flame-pane").boundingBox();
      expect(flame!.x).toBeGreaterThan(map!.x + map!.width - 1);
      expect(await inViewport(page, X_AXIS)).toBe(true);
      await page.screenshot({path: join(SHOTS, "workbench-1024x768.png")});
      await page.close();
    });
  });

  describe("state that survives", () => {
    it("Escape in the flame graph's search box leaves the selection alone", async () => {
      const page = await openProfile("pattern");
      await selecting(page, () => brushCells(page, 0, patternColumns - 1, STRIPE.b0, STRIPE.b1));
      const search = page.locator("#selection-flame input[type=search]");
      await search.fill(PATTERN.function);
      await page.waitForFunction(() => location.hash.includes("q="));
      const outline = await page.locator("svg.subsecond-heatmap-chart polygon.selection").getAttribute("points");
      await search.press("Escape");
      await page.waitForTimeout(300); // the search's own debounce (150 ms): nothing may follow
      expect(await hash(page)).toContain(`sel=c0_${patternColumns - 1}x${STRIPE.b0}_${STRIPE.b1}r50`);
      expect(await page.locator("svg.subsecond-heatmap-chart polygon.selection").getAttribute("points")).toBe(outline);
      await page.close();
    });

    it("Escape on the map cancels a pending click, then clears the selection; Back brings it back", async () => {
      const page = await openProfile("pattern");
      await selecting(page, () => brushCells(page, 1, 2, STRIPE.b0, STRIPE.b1));
      await clickCell(page, 3, 10);
      expect(await page.locator("svg.subsecond-heatmap-chart .preview").count()).toBe(1);
      await page.keyboard.press("Escape");
      expect(await page.locator("svg.subsecond-heatmap-chart .preview").count()).toBe(0);
      expect(await hash(page)).toContain("sel=c1_2x13_16r50");
      await selecting(page, () => page.keyboard.press("Escape"));
      expect(await hash(page)).toBe("");
      await selecting(page, () => page.goBack());
      expect(await hash(page)).toContain("sel=c1_2x13_16r50");
      await page.close();
    });

    it("a heading's anchor scrolls to it and keeps the view: selection, pin, zoom and search, no reload", async () => {
      const page = await openProfile("pattern");
      await selecting(page, () => brushCells(page, 0, patternColumns - 1, STRIPE.b0, STRIPE.b1));
      await page.locator("h2#compare").scrollIntoViewIfNeeded();
      await page.getByRole("button", {name: "Pin this selection as A"}).click();
      await page.waitForFunction(() => location.hash.includes("&a="));
      await page.evaluate(() => scrollTo(0, 0));
      await page.locator("#selection-flame .frame", {hasText: new RegExp(`^${PATTERN.function}$`)}).click();
      await page.waitForFunction(() => location.hash.includes("zoom="));
      await page.locator("#selection-flame input[type=search]").fill("histogram");
      await page.waitForFunction(() => location.hash.includes("q="));
      const before = {hash: await hash(page), frames: await flameFrames(page)};
      await mark(page);
      await page.locator("h2#compare a.observablehq-header-anchor").click();
      await page.waitForFunction(() => scrollY > 0);
      expect(await marked(page)).toBe(true);
      expect({hash: await hash(page), frames: await flameFrames(page)}).toEqual(before);
      expect(await page.locator("svg.subsecond-heatmap-chart .pinned").count()).toBe(1);
      // A typed anchor (the browser follows it) keeps the view too.
      await page.evaluate(() => (location.hash = "#annotated-selections"));
      await page.waitForFunction((h) => decodeURIComponent(location.hash) === h, before.hash);
      expect(await marked(page)).toBe(true);
      await page.close();
    });

    it("a view typed into the address bar opens that view", async () => {
      const page = await openProfile("pattern");
      await mark(page);
      await page.evaluate(() => (location.hash = "#sel=t2.26_2.34&rows=25"));
      await page.waitForFunction(() => document.querySelector(".subsecond-selection-line")?.textContent?.includes("2.26–2.34 s"), null, {timeout: 60_000});
      expect(await marked(page)).toBe(false); // reloaded with it
      expect(await page.locator("svg.subsecond-heatmap-chart").getAttribute("data-rows")).toBe("25");
      await page.close();
    });

    it("a new selection starts unzoomed: the graph and the summary count the same samples", async () => {
      const page = await openProfile("pattern");
      await selecting(page, () => brushCells(page, 0, patternColumns - 1, STRIPE.b0, STRIPE.b1));
      await page.locator("#selection-flame .frame", {hasText: new RegExp(`^${PATTERN.function}$`)}).click();
      await page.waitForFunction(() => location.hash.includes("zoom="));
      expect(await page.locator("#selection-flame .frame.ancestor").count()).toBeGreaterThan(0);
      await selecting(page, () => brushCells(page, 1, 3, 30, 45));
      expect(await hash(page)).not.toContain("zoom=");
      expect(await page.locator("#selection-flame .frame.ancestor").count()).toBe(0);
      expect(await page.getByRole("button", {name: "Reset zoom"}).isDisabled()).toBe(true);
      const samples = Number(/· ([\d,]+) samples?/.exec(await selectionLine(page))![1].replace(/,/g, ""));
      await page.locator(ROOT_FRAME).hover();
      expect(await page.locator("#selection-flame .subsecond-tooltip").innerText()).toContain(`\n${samples.toLocaleString("en-US")} samples, 100.00%`);
      await page.close();
    });

    it("Back undoes the last selection and Forward redoes it, in place; Back does not undo other settings", async () => {
      const index = await site.open("index.html", WIDE);
      await index.locator(".subsecond-index a", {hasText: "pattern.perf"}).click();
      await waitForMeasure(index, "subsecond:interactive");
      const page = index;
      await mark(page);
      await selecting(page, () => brushCells(page, 0, 1, STRIPE.b0, STRIPE.b1));
      await page.locator("#selection-flame .frame", {hasText: new RegExp(`^${PATTERN.function}$`)}).click();
      await page.waitForFunction(() => location.hash.includes("zoom="));
      const zoomedA = {hash: await hash(page), frames: await flameFrames(page)};
      await selecting(page, () => brushCells(page, 2, 4, 30, 45));
      const b = await hash(page);
      await page.getByLabel("25", {exact: true}).check();
      await page.waitForFunction(() => document.querySelector("svg.subsecond-heatmap-chart")?.getAttribute("data-rows") === "25");

      await selecting(page, () => page.goBack());
      expect(await hash(page)).toBe(`#rows=25&${zoomedA.hash.slice(1)}`);
      expect(await flameFrames(page)).toEqual(zoomedA.frames); // the zoom made in A, back with it
      expect(await page.locator("svg.subsecond-heatmap-chart").getAttribute("data-rows")).toBe("25");
      await selecting(page, () => page.goBack());
      expect(await hash(page)).toBe("#rows=25");
      expect(new URL(page.url()).pathname).toBe("/profiles/pattern.html");
      await selecting(page, () => page.goForward());
      expect(await hash(page)).toContain(`sel=c0_1x${STRIPE.b0}_${STRIPE.b1}r50`);
      await selecting(page, () => page.goForward());
      expect(await hash(page)).toBe(b.replace("#", "#rows=25&"));
      expect(await marked(page)).toBe(true); // never reloaded
      await selecting(page, () => page.goBack());
      await selecting(page, () => page.goBack());
      await page.goBack();
      await page.locator(".subsecond-index").waitFor(); // the last Back leaves for the index
      await page.close();
    });
  });

  describe("the keyboard and assistive technology", () => {
    it("the map has a name and a text summary, takes focus, and selects with arrows and Enter", async () => {
      const page = await openProfile("pattern");
      const map = page.locator(".subsecond-heatmap-cells");
      expect(await map.getAttribute("aria-label")).toMatch(/^Heat map of pattern\.perf: arrow keys/);
      const summary = await page.locator(`#${await map.getAttribute("aria-describedby")}`).innerText();
      expect(summary).toMatch(new RegExp(`^${patternColumns} seconds × 50 rows of 20 ms; .* samples counted; busiest cell: `));
      await page.getByRole("button", {name: "Whole profile"}).focus();
      await page.keyboard.press("Tab");
      expect(await map.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(await page.locator("svg.subsecond-heatmap-chart .cursor").count()).toBe(1);
      await page.keyboard.press("Home");
      await page.keyboard.press("PageDown");
      for (let i = 0; i < 2; i++) await page.keyboard.press("ArrowRight");
      await page.keyboard.press("Shift+ArrowUp");
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowUp");
      expect(await page.locator(".subsecond-heatmap .subsecond-sr-only").innerText()).toMatch(/^second 2, 260–280 ms: \d+ samples?, \d\d:\d\d:\d\d\.\d{3}–/);
      await page.keyboard.press("Enter");
      expect(await page.locator("svg.subsecond-heatmap-chart .preview").count()).toBe(1);
      for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowUp");
      await selecting(page, () => page.keyboard.press(" "));
      expect(await hash(page)).toBe("#sel=t2.26_2.34"); // as clicking cells (2, 13) and (2, 16)
      expect(await widestFrame(page)).toBe(PATTERN.function);
      await page.locator(".subsecond-heatmap").screenshot({path: join(SHOTS, "heatmap-keyboard.png")});
      await page.close();
    });

    it("the flame graph takes focus; arrows move between frames, + and - zoom in and out", async () => {
      const page = await openProfile("pattern");
      const graph = page.locator("#selection-flame .subsecond-flame-graph");
      await page.getByRole("button", {name: "Export folded"}).focus();
      await page.keyboard.press("Tab");
      expect(await graph.evaluate((e) => e === document.activeElement)).toBe(true);
      const focused = () => page.evaluate(() => document.getElementById(document.activeElement!.getAttribute("aria-activedescendant")!)?.textContent);
      expect(await focused()).toBe("all");
      await page.keyboard.press("ArrowUp"); // away from the root, in a flame graph
      const child = await focused();
      expect(child).not.toBe("all");
      await page.keyboard.press("+");
      await page.waitForFunction(() => location.hash.includes("zoom="));
      expect(JSON.parse(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get("zoom")!)).toEqual([child]);
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => JSON.parse(new URLSearchParams(location.hash.slice(1)).get("zoom") ?? "[]").length === 2);
      await page.keyboard.press("-");
      await page.waitForFunction(() => JSON.parse(new URLSearchParams(location.hash.slice(1)).get("zoom") ?? "[]").length === 1);
      await page.keyboard.press("-");
      await page.waitForFunction(() => !location.hash.includes("zoom="));
      expect(await page.locator("#selection-flame .frame.focused").count()).toBe(1);
      expect(await page.locator("#selection-flame .subsecond-tooltip").isVisible()).toBe(true);
      await page.close();
    });
  });

  describe("colour, rows and time at a real sample rate (49 Hz, 2 CPUs)", () => {
    /** The drawn cells' fills by their row (y) and count (from the map's data). */
    const cellFills = (page: Page) =>
      page.$$eval('svg.subsecond-heatmap-chart g[aria-label="cell"] rect', (rects) => rects.map((r) => ({y: r.getAttribute("y")!, x: r.getAttribute("x")!, fill: r.getAttribute("fill")!})));

    it("the default palette gives 1 and 2 samples clearly different colours, and its legend names each", async () => {
      const page = await openProfile(SERVICE);
      expect(await page.locator("svg.subsecond-heatmap-chart").getAttribute("data-palette")).toBe("steps");
      const fills = new Set((await cellFills(page)).map((c) => c.fill));
      expect(fills.size).toBe(2); // the busiest cell holds 2 samples
      const legend = page.locator(".subsecond-heatmap-legend");
      expect(await legend.locator("text").allTextContents()).toEqual(["samples per cell", "0", "1", "2"]);
      const classes = await legend.locator("rect.legend-class").evaluateAll((rs) => rs.map((r) => r.getAttribute("fill")));
      expect(new Set(classes.slice(1))).toEqual(fills);
      // FlameScope's palette is one click away.
      await page.getByLabel("flamescope", {exact: true}).check();
      await page.waitForFunction(() => document.querySelector("svg.subsecond-heatmap-chart")?.getAttribute("data-palette") === "flamescope");
      expect(await hash(page)).toBe("#palette=flamescope");
      await page.close();
    });

    it("50 rows leave a white row through the busy seconds and say why; 49 rows (offered) match the rate", async () => {
      const page = await openProfile(SERVICE);
      const note = page.locator(".subsecond-rows-note");
      expect(await note.innerText()).toContain("Sampling 49 Hz (perf record -F 49); 50 rows: a busy CPU puts 0 or 1 samples in a cell: 1 row in 50 gets none from it each second.");
      /** Rows with a drawn cell in at most a tenth of the columns. */
      const nearlyEmptyRows = async (rows: number) => {
        const cells = await cellFills(page);
        const perRow = new Map<string, number>();
        for (const c of cells) perRow.set(c.y, (perRow.get(c.y) ?? 0) + 1);
        const columns = new Set(cells.map((c) => c.x)).size;
        return rows - [...perRow.values()].filter((n) => n > columns / 10).length;
      };
      expect(await nearlyEmptyRows(50)).toBe(1);
      await page.getByRole("button", {name: "Use 49 rows"}).click();
      await page.waitForFunction(() => document.querySelector("svg.subsecond-heatmap-chart")?.getAttribute("data-rows") === "49");
      expect(await hash(page)).toBe("#rows=49");
      expect(await note.innerText()).toBe("Sampling 49 Hz (perf record -F 49); 49 rows: a busy CPU puts 1 sample in every cell.");
      expect(await nearlyEmptyRows(49)).toBe(0);
      expect(await page.getByLabel("49", {exact: true}).isChecked()).toBe(true);
      await page.close();
    });

    it("cell tooltips, the selection and the index show wall-clock time to the millisecond", async () => {
      const page = await openProfile(SERVICE);
      const g = await heatmapGeometry(page);
      await page.mouse.move(g.x(12), g.y(10));
      expect(await page.locator(".subsecond-heatmap .subsecond-tooltip").innerText()).toMatch(/^second 12, 200–220 ms: \d samples?\n11:57:17\.508–11:57:17\.528 UTC$/);
      await selecting(page, () => brushCells(page, 26, 27, 2, 21));
      expect(await page.locator(".subsecond-heatmap .subsecond-status").innerText()).toBe("Selected: seconds 26–27 × 40–440 ms (11:57:31.348–11:57:32.748 UTC)");
      expect(await selectionLine(page)).toContain("seconds 26–27 × 40–440 ms (11:57:31.348–11:57:32.748 UTC)");
      expect(await page.locator("header.subsecond-profile-heading").innerText()).toContain("captured\n2026-11-21 11:57:05.378–11:57:50.888 UTC");
      await page.close();
      const index = await site.open("index.html", WIDE);
      await index.locator(".subsecond-index tr", {hasText: SERVICE}).waitFor();
      expect(await index.locator(".subsecond-index tr", {hasText: SERVICE}).innerText()).toContain("2026-11-21 11:57:05.378–11:57:50.888 UTC");
      await index.close();
    });
  });

  describe("annotations that share a label", () => {
    it("the label selects the union of its windows: every window's samples, in one flame graph", async () => {
      const [refresh] = annotationGroups(service.annotations).filter((g) => g.label === "cache refresh");
      expect(refresh.annotations).toHaveLength(5);
      const each = refresh.annotations.map((a) => flameTree(service, a.parts).samples);
      const union = flameTree(service, refresh.parts).samples;
      expect(union).toBe(each.reduce((x, y) => x + y, 0));

      const page = await openProfile(SERVICE);
      const item = page.locator(".subsecond-annotations li", {hasText: "cache refresh"});
      expect(await item.innerText()).toBe("cache refresh (all 5, their union) · each: 1 2 3 4 5");
      await selecting(page, () => item.locator("a").first().click());
      expect((await hash(page)).replace("#sel=", "").split("~")).toHaveLength(5);
      expect(await selectionLine(page)).toContain(`· ${union.toLocaleString("en-US")} samples`);
      // Each window outlined (one that crosses a second and does not join up is two rectangles).
      const outlines = refresh.parts.flatMap((p) => partOutlines(p, {left: 0, bottom: 0, cellWidth: 1, cellHeight: 1, columns: 46, rows: 50})).length;
      expect(outlines).toBeGreaterThanOrEqual(5);
      expect(await page.locator("svg.subsecond-heatmap-chart polygon.selection").count()).toBe(outlines);
      // One window of the five.
      await selecting(page, () => item.locator("a", {hasText: /^3$/}).click());
      expect(await selectionLine(page)).toContain(`· ${each[2].toLocaleString("en-US")} samples`);

      await page.locator("h2#annotated-selections").scrollIntoViewIfNeeded();
      const section = page.locator(".subsecond-annotation-section", {has: page.locator("h3", {hasText: /^cache refresh$/})});
      await section.waitFor();
      expect(await section.locator(".subsecond-hint").first().innerText()).toMatch(new RegExp(`^all 5 windows, their union: .* · ${union.toLocaleString("en-US")} samples$`));
      expect(await section.locator(".subsecond-frames").count()).toBe(1);
      await section.locator("summary").click();
      await page.waitForFunction(() => document.querySelectorAll(".subsecond-annotation-section details .subsecond-frames").length === 5);
      expect(await section.locator("details h4").allTextContents()).toEqual([1, 2, 3, 4, 5].map((i) => `cache refresh ${i}`));
      await section.screenshot({path: join(SHOTS, "annotation-union.png")});
      await page.close();
    });

    it("the index links the label to the union and each number to its window", async () => {
      const page = await site.open("index.html", WIDE);
      const item = page.locator(".subsecond-index .subsecond-annotations li", {hasText: "cache refresh"});
      await item.waitFor();
      const hrefs = await item.locator("a").evaluateAll((as) => as.map((a) => decodeURIComponent(new URL((a as HTMLAnchorElement).href).hash)));
      expect(hrefs).toHaveLength(6);
      expect(hrefs[0].replace("#sel=", "").split("~")).toHaveLength(5);
      expect(hrefs.slice(1).map((h) => h.replace("#sel=", "")).join("~")).toBe(hrefs[0].replace("#sel=", ""));
      await page.close();
    });
  });
});
