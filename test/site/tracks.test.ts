// Timelines on the report site: a profile's NAME.gc.log, NAME.metrics.csv and
// NAME.events.log found by the loaders (companions, not profiles; limits, links and
// files that are no timeline are warnings), then the recorded JVM capture
// (examples/jvm-latency, with the GC log, latency CSV and application log of the same
// run) in Chromium: the tracks above the heat map on its x axis, each GC thread's
// sample under a logged pause, a click on a pause annotating it, the latency threshold
// giving the differential in which the cache refresh grows most, and hostile timeline
// text shown as text.
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import type {Page} from "playwright-core";
import {afterAll, describe, expect, it} from "vitest";
import {findProfile, listProfiles, scanProfilesFolder} from "../../src/data/site-profiles.js";
import {MAX_SITE_TIMELINE_BYTES, MAX_SITE_TRACK_RECORDS, readTimelines} from "../../src/data/timelines.js";
import {readProfile} from "../../src/node/index.js";
import {trackFromJson} from "../../src/lib/timeline/index.js";
import {brushCells} from "../../scripts/browser/heatmap-page.js";
import {CHROMIUM, inViewport, reportInChromium, ROOT_FRAME, selecting, SHOTS, X_AXIS} from "./watched-page.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXAMPLES = join(root, "examples");
const JVM = "jvm-latency";
const JVM_FILES = [`${JVM}.perf.gz`, `${JVM}.gc.log.gz`, `${JVM}.metrics.csv`, `${JVM}.events.log`];
const REFRESH = "java.util.Map RequestChurn.loadPriceSnapshot(java.util.concurrent.ThreadLocalRandom, int)";
/** A profile whose name and timelines are markup. */
const HOSTILE = "xss-<i>name";
const IMG_LABEL = "<img src=x onerror=alert(5)>";
const IMG_SERIES = "<img src=x onerror=alert(7)>";
const tmp = mkdtempSync(join(tmpdir(), "subsecond-tracks-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

/** Timelines of the hostile profile: events whose labels and thread are markup (wall
 * clock, within the capture's span), a series named as markup, and a "GC log" that
 * is a script. */
function writeHostile(profiles: string): void {
  copyFileSync(join(EXAMPLES, `${JVM}.perf.gz`), join(profiles, `${HOSTILE}.perf.gz`));
  writeFileSync(join(profiles, `${HOSTILE}.events.log`), [
    `2026-12-02T07:47:20.000Z INFO [<b>thread</b>] ${IMG_LABEL} start`,
    `2026-12-02T07:47:21.000Z INFO [<b>thread</b>] ${IMG_LABEL} end`,
    "2026-12-02T07:47:25.000Z <script>alert(6)</script>",
  ].join("\n") + "\n");
  writeFileSync(join(profiles, `${HOSTILE}.metrics.csv`), `time,"${IMG_SERIES}"\n1796197640,1\n1796197641,5\n1796197642,2\n`);
  writeFileSync(join(profiles, `${HOSTILE}.gc.log`), "<script>alert(3)</script>\n");
}

describe("a profile's timelines in the folder scan and the loader", () => {
  const dir = join(tmp, "scan");
  mkdirSync(dir);
  for (const file of JVM_FILES) copyFileSync(join(EXAMPLES, file), join(dir, file));
  writeFileSync(join(dir, "orphan.gc.log"), "[0.010s][info][gc] Using G1\n");

  it("NAME.gc.log(.gz), NAME.metrics.csv and NAME.events.log are the profile's companions; one of no profile is listed", () => {
    const {profiles, notShown} = scanProfilesFolder(dir);
    expect(profiles.map((p) => p.file)).toEqual([`${JVM}.perf.gz`]);
    expect(notShown).toEqual([{file: "orphan.gc.log", reason: "a timeline for no profile: no orphan.perf (or other profile of that name) beside it"}]);
  });

  it("reads each with the library's importers, named by file and kind, never by the folder's path", () => {
    const {timelines, warnings} = readTimelines(findProfile(JVM, dir));
    expect(timelines.map((t) => [t.file, t.kind, t.track.format, t.track.name, t.track.source])).toEqual([
      [`${JVM}.gc.log.gz`, "gc", "jvm-gc", "gc", `${JVM}.gc.log.gz`],
      [`${JVM}.metrics.csv`, "metrics", "metrics", "metrics", `${JVM}.metrics.csv`],
      [`${JVM}.events.log`, "events", "events", "events", `${JVM}.events.log`],
    ]);
    // The JSON form comes back as the same track.
    const gc = trackFromJson(JSON.parse(JSON.stringify(timelines[0].track)));
    expect([gc.events.length, gc.clock]).toEqual([timelines[0].track.events.start.length, "monotonic"]);
    expect(gc.events.start[5]).toBe(timelines[0].track.events.start[5]);
    expect(JSON.stringify({timelines, warnings})).not.toContain(dir);
    // A damaged member is an error naming it, not a track.
    const damaged = JSON.parse(JSON.stringify(timelines[0].track));
    damaged.events.kind[0] = damaged.strings.length;
    expect(() => trackFromJson(damaged, "tracks.json")).toThrow("tracks.json: not a timeline track (a string index out of range)");
    expect(() => trackFromJson({...damaged, clock: "sundial"}, "tracks.json")).toThrow('tracks.json: not a timeline track (unknown clock "sundial")');
  });

  it("a Node --trace-gc output as NAME.gc.log.gz is read as one; more records than a page draws is a warning", () => {
    const node = join(tmp, "node");
    mkdirSync(node);
    for (const file of ["node-trace-gc.perf.gz", "node-trace-gc.gc.log.gz"]) copyFileSync(join(root, "test", "fixtures", "timeline", file), join(node, file));
    const rows = Array.from({length: MAX_SITE_TRACK_RECORDS + 1}, (_, i) => `${1796197634 + i},${i % 7}`);
    writeFileSync(join(node, "node-trace-gc.metrics.csv"), `time,queue\n${rows.join("\n")}\n`);
    const {timelines, warnings} = readTimelines(findProfile("node-trace-gc", node));
    expect(timelines.map((t) => [t.file, t.track.format, t.track.clock])).toEqual([["node-trace-gc.gc.log.gz", "node-gc", "relative"]]);
    expect(warnings).toEqual([`node-trace-gc.metrics.csv: ${MAX_SITE_TRACK_RECORDS + 1} events and points, over the ${MAX_SITE_TRACK_RECORDS} a page draws: not shown (subsecond info --track reads it)`]);
  });

  it("a link, a file over the limit, a GC log that is none and a log with nothing usable: warnings, the profile shown without them", async () => {
    const bad = join(tmp, "bad");
    mkdirSync(bad);
    copyFileSync(join(EXAMPLES, `${JVM}.perf.gz`), join(bad, "app.perf.gz"));
    symlinkSync(join(EXAMPLES, `${JVM}.metrics.csv`), join(bad, "app.metrics.csv"));
    writeFileSync(join(bad, "app.metrics.csv.gz"), "");
    truncateSync(join(bad, "app.metrics.csv.gz"), MAX_SITE_TIMELINE_BYTES + 1);
    writeFileSync(join(bad, "app.gc.log"), "time,value\n1,2\n");
    writeFileSync(join(bad, "app.events.log"), "nothing with a time\n");
    const {timelines, warnings} = readTimelines(findProfile("app", bad));
    expect(timelines).toEqual([]);
    expect(warnings).toEqual([
      "app.gc.log: not a JVM unified GC log (-Xlog:gc) or Node --trace-gc output",
      "app.metrics.csv: a symbolic link: not read (links are not followed)",
      `app.metrics.csv.gz: ${MAX_SITE_TIMELINE_BYTES + 1} bytes: over the ${MAX_SITE_TIMELINE_BYTES}-byte limit, not read`,
      expect.stringMatching(/^app\.events\.log: no events in it \(line 1: /),
    ]);
  });
});

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIPPED test/site/tracks.test.ts's browser tests: no ${CHROMIUM} ***\n`);

describe.skipIf(!haveChromium)("timelines on a profile's page in Chromium", () => {
  const site = reportInChromium("tracks", (profiles) => {
    for (const file of JVM_FILES) copyFileSync(join(EXAMPLES, file), join(profiles, file));
    writeHostile(profiles);
  });

  /** The bars of the GC track: what each says (its aria-label) and where it is. */
  const gcBars = (page: Page) =>
    page.$$eval('.subsecond-tracks svg[aria-label="Track gc"] rect[data-event]', (rects) =>
      rects.map((r) => {
        const box = r.getBoundingClientRect();
        const m = /\n(\S+): ([\d.]+) s(?: – ([\d.]+) s)?/.exec(r.getAttribute("aria-label") ?? "");
        return {i: Number(r.getAttribute("data-event")), label: r.getAttribute("aria-label") ?? "", kind: m?.[1], start: Number(m?.[2]), end: Number(m?.[3] ?? m?.[2]), left: box.left, right: box.right};
      }));
  /** Where the heat map's cells start on the page, and a second's width. */
  const cells = (page: Page) =>
    page.$eval(".subsecond-heatmap-chart", (svg) => ({x: svg.getBoundingClientRect().left + Number(svg.getAttribute("data-left")), cw: Number(svg.getAttribute("data-cw"))}));

  it("draws the tracks above the heat map and says how each was aligned", async () => {
    const page = await site.openProfile(JVM);
    const charts = page.locator(".subsecond-heatmap-cells .subsecond-tracks svg.subsecond-track-chart");
    expect(await charts.evaluateAll((svgs) => svgs.map((s) => s.getAttribute("aria-label")))).toEqual([
      "Track gc", "Track metrics: latency_p99_ms", "Track metrics: latency_p50_ms", "Track metrics: requests", "Track events",
    ]);
    const panel = await page.locator(".subsecond-tracks-panel").innerText();
    expect(panel).toContain(`${JVM}.gc.log.gz (jvm-gc, `);
    expect(panel).toContain("aligned by monotonic clock (the timenanos decoration (System.nanoTime: CLOCK_MONOTONIC)): exact on perf's clock");
    expect(panel).toContain(`${JVM}.events.log (events, 4 events): aligned by wall clock via the profile's reference time`);
    // The lanes are above the cells in the same scroll.
    const [tracksBox, mapBox] = await Promise.all([page.locator(".subsecond-tracks").boundingBox(), page.locator(".subsecond-heatmap-chart").boundingBox()]);
    expect(tracksBox!.y + tracksBox!.height).toBeLessThanOrEqual(mapBox!.y + 1);
    // Hovering a latency point shows its value.
    const p99 = page.locator('svg[aria-label="Track metrics: latency_p99_ms"]');
    const {x, cw} = await cells(page);
    const box = (await p99.boundingBox())!;
    // (the CSV's 07:47:17 is 3.752 s into the profile: its origin is perf time 2956 s)
    await page.mouse.move(x + 3.9 * cw, box.y + box.height / 2);
    expect(await page.locator(".subsecond-tracks .subsecond-tooltip").innerText()).toBe(`latency_p99_ms: 238.707\nat 3.752 s (${JVM}.metrics.csv)`);
    await page.locator(".subsecond-heatmap").screenshot({path: join(SHOTS, "tracks.png")});
  });

  it("at 1440×900 the timelines leave room: the map's axis and the flame graph's root in view on load and after a brush; Escape in their inputs keeps the selection", async () => {
    const page = await site.openProfile(JVM, "", {width: 1440, height: 900});
    for (const selector of [".subsecond-tracks", X_AXIS, ROOT_FRAME]) expect(await inViewport(page, selector)).toBe(true);
    await selecting(page, () => brushCells(page, 26, 26, 2, 21));
    expect(await page.evaluate(() => scrollY)).toBe(0);
    for (const selector of [".subsecond-tracks", X_AXIS, ROOT_FRAME]) expect(await inViewport(page, selector)).toBe(true);
    await page.screenshot({path: join(SHOTS, "tracks-brush-1440x900.png")});
    const selected = await page.evaluate(() => location.hash);
    for (const input of [page.getByLabel(`${JVM}.metrics.csv offset (s)`), page.getByLabel("latency_p99_ms threshold")]) {
      await input.focus();
      await input.press("Escape");
    }
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => location.hash)).toBe(selected);
    expect(await page.locator("svg.subsecond-heatmap-chart polygon.selection").count()).toBe(1);
    await page.close();
  });

  it("every GC thread's sample lies under a GC pause's bar, on the heat map's x axis", async () => {
    const page = await site.openProfile(JVM);
    const bars = (await gcBars(page)).filter((b) => b.kind !== "concurrent");
    expect(bars.length).toBeGreaterThan(20);
    const {x, cw} = await cells(page);
    // Each bar starts where its time is on the heat map's axis.
    for (const b of bars) expect(Math.abs(b.left - (x + b.start * cw))).toBeLessThan(1);
    const profile = await readProfile(join(EXAMPLES, `${JVM}.perf.gz`));
    const gcThread = (i: number) => /^GC Thread#/.test(profile.strings[profile.threads.comm[profile.samples.thread[i]]]);
    const gcSamples: number[] = [];
    for (let i = 0; i < profile.samples.length; i++) if (gcThread(i)) gcSamples.push(profile.samples.time[i] / 1e9);
    expect(gcSamples.length).toBe(104);
    // Under a bar: within its pixels (a 10 ms pause is a fraction of a cell).
    const under = gcSamples.filter((t) => bars.some((b) => x + t * cw >= b.left - 0.5 && x + t * cw <= b.right + 0.5));
    expect(under.length).toBe(gcSamples.length);
  });

  it("a track shifted by an offset moves on the axis and says so", async () => {
    const page = await site.openProfile(JVM);
    const {cw} = await cells(page);
    const [before] = await gcBars(page);
    await page.locator(`input[aria-label="${JVM}.gc.log.gz offset (s)"]`).fill("1.5");
    await page.locator(`input[aria-label="${JVM}.gc.log.gz offset (s)"]`).press("Enter");
    await page.waitForFunction(() => document.querySelector(".subsecond-tracks-panel")?.textContent?.includes("then +1.5 s as given"));
    const [after] = await gcBars(page);
    expect(after.start).toBeCloseTo(before.start + 1.5, 3);
    expect(after.left - before.left).toBeCloseTo(1.5 * cw, 0);
  });

  it("a click on a GC pause annotates it and selects it", async () => {
    const page = await site.openProfile(JVM);
    const [first] = (await gcBars(page)).filter((b) => b.kind === "young");
    const bar = page.locator(`.subsecond-tracks svg[aria-label="Track gc"] rect[data-event="${first.i}"]`);
    expect(await bar.getAttribute("aria-label")).toBe(first.label);
    await bar.hover({force: true});
    expect(await page.locator(".subsecond-tracks .subsecond-tooltip").innerText()).toBe(`${first.label}\nclick: annotate and select it`);
    await selecting(page, () => bar.click({force: true}));
    const label = first.label.split("\n")[0];
    expect(label).toMatch(/^Pause Young/);
    const listed = await page.locator(".subsecond-annotations").innerText();
    expect(listed).toContain(`${label}: `);
    expect(listed).toContain(` s — ${JVM}.gc.log.gz: young, ${first.start.toFixed(3)} s for `);
    expect(await page.locator(".subsecond-annotations").innerText()).toContain("added here, not saved yet");
    expect(await page.locator(".subsecond-heatmap .subsecond-status").innerText()).toMatch(/^Selected: /);
    expect(await page.locator("textarea.subsecond-json").inputValue()).toContain(JSON.stringify(label));
    // The heat map draws it as an annotation.
    expect(await page.locator(".subsecond-heatmap-chart").innerHTML()).toContain(label);
  });

  it("the keyboard reaches the bars: the GC track takes focus, arrows move between pauses, Enter annotates", async () => {
    const page = await site.openProfile(JVM);
    const bars = await gcBars(page);
    const chart = page.locator('.subsecond-tracks svg[aria-label="Track gc"]');
    await chart.focus();
    await chart.press("ArrowRight");
    await chart.press("ArrowRight");
    expect(await page.locator(".subsecond-tracks .subsecond-tooltip").innerText()).toBe(`${bars[2].label}\nEnter: annotate and select it`);
    // The heat map around it takes none of the track's keys: its cursor is not drawn.
    expect(await page.locator(".subsecond-heatmap-chart .cursor-layer rect").count()).toBe(0);
    await selecting(page, () => chart.press("Enter"));
    expect(await page.locator(".subsecond-annotations").innerText()).toContain(`${bars[2].label.split("\n")[0]}: `);
  });

  it("latency above a threshold against the rest: the differential shows the cache refresh growing most", async () => {
    const page = await site.openProfile(JVM);
    await page.locator('input[aria-label="latency_p99_ms threshold"]').fill("100");
    await selecting(page, () => page.getByRole("button", {name: "Compare with the rest"}).first().click());
    expect(await page.locator(".subsecond-threshold .subsecond-status").first().innerText()).toContain("latency_p99_ms > 100: 4 of 30 points, 4 s.");
    // The link holds the condition with the selection and the pin it made.
    expect(decodeURIComponent(new URL(page.url()).hash)).toMatch(/^#sel=t[\d._~t]+&a=t[\d._~t]+&when=latency_p99_ms>100$/);
    const compare = page.locator(".subsecond-compare");
    await page.locator("h2#compare").scrollIntoViewIfNeeded();
    await compare.waitFor();
    expect(await compare.innerText()).toMatch(/A: .* · B: /);
    // Each application frame's change, from its tooltip.
    const frames = compare.locator(".subsecond-frames.differential .frame", {hasText: "RequestChurn."});
    const changes: [string, number][] = [];
    for (let i = 0, n = await frames.count(); i < n; i++) {
      await frames.nth(i).hover();
      const text = await compare.locator(".subsecond-tooltip").first().innerText();
      const change = /change: ([+-][\d.]+) total/.exec(text);
      if (change) changes.push([text.split("\n")[0], Number(change[1])]);
    }
    changes.sort((a, b) => b[1] - a[1]);
    expect(changes[0][0]).toBe(`${REFRESH} (/tmp/perf-23892.map)`);
    await compare.screenshot({path: join(SHOTS, "tracks-compare.png")});
    // The top decile.
    await selecting(page, () => page.getByRole("button", {name: "Top decile"}).first().click());
    expect(await page.locator(".subsecond-threshold .subsecond-status").first().innerText()).toContain("latency_p99_ms > 138.926 (the top 10%): 3 of 30 points, 3 s.");
  });

  /** The page's view in its URL, decoded. */
  const viewHash = (page: Page) => page.evaluate(() => decodeURIComponent(location.hash));
  /** Back (or Forward) to the entry of this view. */
  const back = async (page: Page, view: string, way: "back" | "forward" = "back") => {
    await (way === "back" ? page.goBack() : page.goForward());
    await page.waitForFunction((v) => decodeURIComponent(location.hash) === v, view);
  };
  const status = (page: Page) => page.locator(".subsecond-threshold .subsecond-status").first().innerText();

  it("the other operators and the bottom decile, each in the link; a bad threshold says so", async () => {
    const page = await site.openProfile(JVM);
    const p99 = page.locator(".subsecond-threshold").first();
    await p99.locator('select[aria-label="latency_p99_ms operator"]').selectOption("<=");
    await p99.locator('input[aria-label="latency_p99_ms threshold"]').fill("p50");
    await selecting(page, () => p99.getByRole("button", {name: "Compare with the rest"}).click());
    expect(await status(page)).toMatch(/^latency_p99_ms <= [\d.]+ \(p50\): 15 of 30 points, 15 s\./);
    const median = await viewHash(page);
    expect(median).toContain("&when=latency_p99_ms<=p50");
    await selecting(page, () => p99.getByRole("button", {name: "Bottom decile"}).click());
    expect(await status(page)).toMatch(/^latency_p99_ms < [\d.]+ \(the bottom 10%\): 3 of 30 points, 3 s\./);
    const bottom = await viewHash(page);
    expect(bottom).toContain("&when=latency_p99_ms bottom 10%".replace(/ /g, "+"));
    // A bad threshold says so and changes nothing.
    await p99.locator('input[aria-label="latency_p99_ms threshold"]').fill("lots");
    await p99.getByRole("button", {name: "Compare with the rest"}).click();
    expect(await status(page)).toMatch(/^a condition is SERIES>VALUE/);
    expect(await viewHash(page)).toBe(bottom);
    await page.close();
  }, 180_000);

  it("Back and Forward walk the conditions and the shifts", async () => {
    const page = await site.openProfile(JVM);
    const p99 = page.locator(".subsecond-threshold").first();
    await p99.locator('select[aria-label="latency_p99_ms operator"]').selectOption("<=");
    await p99.locator('input[aria-label="latency_p99_ms threshold"]').fill("p50");
    await selecting(page, () => p99.getByRole("button", {name: "Compare with the rest"}).click());
    const median = await viewHash(page);
    await selecting(page, () => p99.getByRole("button", {name: "Bottom decile"}).click());
    const bottom = await viewHash(page);
    expect(bottom).not.toBe(median);
    // The GC log shifted: a new entry with the shift, the condition ended, the selection kept.
    const offset = page.locator(`input[aria-label="${JVM}.gc.log.gz offset (s)"]`);
    await offset.fill("0.5");
    await offset.press("Enter");
    await page.waitForFunction(() => document.querySelector(".subsecond-tracks-panel")?.textContent?.includes("then +0.5 s as given"));
    const shifted = await viewHash(page);
    expect(shifted).toBe(bottom.replace(/&when=[^&]*/, "") + `&shift=${JVM}.gc.log.gz@0.5`);
    expect(await status(page)).toBe("");
    // Back: the bottom decile again, its status shown, the GC log where it was.
    await back(page, bottom);
    expect(await status(page)).toMatch(/\(the bottom 10%\): 3 of 30 points/);
    expect(await page.locator(`input[aria-label="${JVM}.gc.log.gz offset (s)"]`).inputValue()).toBe("0");
    await selecting(page, () => back(page, median));
    expect(await page.locator('select[aria-label="latency_p99_ms operator"]').first().inputValue()).toBe("<=");
    expect(await page.locator('input[aria-label="latency_p99_ms threshold"]').first().inputValue()).toBe("p50");
    // Forward twice: the shift is back.
    await selecting(page, () => back(page, bottom, "forward"));
    await back(page, shifted, "forward");
    expect(await page.locator(`input[aria-label="${JVM}.gc.log.gz offset (s)"]`).inputValue()).toBe("0.5");
    await page.close();
  }, 180_000);

  it("a link of a condition and a shift reopens the differential; one of no series here says so", async () => {

    // A link of only the condition and a shift opens the same differential: its seconds
    // selected, the rest pinned, the shift applied.
    const linked = await site.openProfile(JVM, `#when=${encodeURIComponent("latency_p99_ms>100")}&shift=${encodeURIComponent(`${JVM}.events.log@0.25`)}`);
    expect(await status(linked)).toContain("latency_p99_ms > 100: 4 of 30 points, 4 s.");
    const opened = await viewHash(linked);
    expect(opened).toMatch(/^#sel=t3\.\d+_4\.\d+~t10\.[\d._~t]+&a=t0_3\.[\d._~t]+&when=latency_p99_ms>100&shift=/);
    expect(await linked.locator(`input[aria-label="${JVM}.events.log offset (s)"]`).inputValue()).toBe("0.25");
    await linked.locator("h2#compare").scrollIntoViewIfNeeded();
    await linked.locator(".subsecond-compare").waitFor();
    expect(await linked.locator(".subsecond-compare").innerText()).toMatch(/A: .* · B: /);
    expect(await linked.locator(".subsecond-heatmap .subsecond-status").innerText()).toMatch(/^Selected: /);
    await linked.close();

    // A link's condition on no series here says so; the page opens as it would without
    // it. A shift that puts a log outside the profile's span is a warning on its track.
    const unknown = await site.openProfile(JVM, `#when=${encodeURIComponent("nope>1")}&shift=${encodeURIComponent(`${JVM}.gc.log.gz@3600`)}`);
    expect(await unknown.locator(".subsecond-tracks-panel li").first().locator(".subsecond-warning").innerText()).toMatch(new RegExp(`^${JVM}\\.gc\\.log\\.gz: all 40 records lie outside .*'s span`));
    expect(await unknown.locator(".subsecond-tracks-panel .subsecond-warning").last().innerText()).toBe('The link\'s condition "nope>1": no series named "nope"; the tracks have "latency_p99_ms", "latency_p50_ms", "requests"');
    expect(await unknown.locator(".subsecond-heatmap .subsecond-status").innerText()).toMatch(/^Selected: whole profile/);
    await unknown.close();
  }, 180_000);

  it("hostile timeline text and file names stay text", async () => {
    const page = await site.openProfile(listProfiles(join(site.work, "profiles")).find((p) => p.file === `${HOSTILE}.perf.gz`)!.slug);
    const tracks = page.locator(".subsecond-tracks");
    expect(await page.locator(".subsecond-tracks img, .subsecond-tracks-panel img, .subsecond-tracks script, .subsecond-tracks-panel b, .subsecond-tracks-panel i").count()).toBe(0);
    const labels = await tracks.locator("svg[aria-label] [aria-label]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("aria-label")));
    expect(labels.some((l) => l?.startsWith(`${IMG_LABEL}\n`))).toBe(true);
    expect(labels.some((l) => l?.startsWith("<script>alert(6)</script>"))).toBe(true);
    const panel = await page.locator(".subsecond-tracks-panel").innerText();
    expect(panel).toContain(`${HOSTILE}.events.log (events, 2 events)`);
    expect(await page.locator(".subsecond-threshold > span").first().innerText()).toBe(IMG_SERIES);
    // A series named as markup, with the operators' characters, goes through the parser.
    await page.locator(`input[aria-label="${IMG_SERIES} threshold"]`).fill("1");
    await selecting(page, () => page.getByRole("button", {name: "Compare with the rest"}).first().click());
    expect(await page.locator(".subsecond-threshold .subsecond-status").first().innerText()).toContain(`${IMG_SERIES} > 1: 2 of 3 points, 2 s.`);
    expect(await page.evaluate(() => decodeURIComponent(location.hash))).toContain(`&when=${IMG_SERIES.replaceAll(" ", "+")}>1`);
    expect(await page.locator(".subsecond-warnings").allInnerTexts().then((t) => t.join("\n"))).toContain(`warning: ${HOSTILE}.gc.log: not a JVM unified GC log (-Xlog:gc) or Node --trace-gc output (shown without it)`);
    // Annotating the markup-labelled event keeps its label as text.
    await selecting(page, () => tracks.locator('svg[aria-label="Track events"] rect[data-event="0"]').click({force: true}));
    expect(await page.locator(".subsecond-annotations").innerText()).toContain(`${IMG_LABEL}: `);
    expect(await page.locator(".subsecond-annotations img").count()).toBe(0);
    expect(await page.locator(".subsecond-heatmap-chart image, .subsecond-heatmap-chart img").count()).toBe(0);
  });
});
