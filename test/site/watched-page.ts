// What the browser tests of the report site share: running a command without blocking
// the test's event loop (a build takes seconds), a built site served to Debian's
// Chromium, opening a page that records every failed or foreign request, page error,
// console error and dialog, and waiting for a selection's flame graph.
import {spawn} from "node:child_process";
import {mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {chromium, type Browser, type Page} from "playwright-core";
import {afterAll, afterEach, beforeAll, expect} from "vitest";
import {CHROMIUM_ARGS, measures, waitForMeasure} from "../../scripts/browser/heatmap-page.js";
import {serveStatic, type StaticServer} from "../../scripts/browser/serve.js";

export const CHROMIUM = "/usr/bin/chromium";
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where the tests' screenshots go, to look at (git-ignored; the README's sit in docs/images/). */
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "screenshots", "actual");

/** A built site served on 127.0.0.1, and Chromium to open it with. */
export async function siteInChromium(dir: string): Promise<{server: StaticServer; browser: Browser; close(): Promise<void>}> {
  const server = await serveStatic(dir);
  const browser = await chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_ARGS});
  mkdirSync(SHOTS, {recursive: true});
  return {server, browser, close: async () => (await browser.close(), await server.close())};
}

/** Runs `node ARGS…` in `cwd`; resolves with its exit status and its stdout + stderr. */
export function runNode(args: string[], cwd: string): Promise<{code: number | null; output: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {cwd, stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({code, output}));
  });
}

/** Opens `url` (under the site at `siteUrl`) in a new page (1400×1000 unless a
 * viewport is given); what goes wrong on it is pushed to `problems`. */
export async function openWatched(browser: Browser, siteUrl: string, url: string, problems: string[], viewport = {width: 1400, height: 1000}): Promise<Page> {
  const page = await browser.newPage({viewport});
  page.on("request", (r) => {
    if (!r.url().startsWith(siteUrl) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) problems.push(`request outside the site: ${r.url()}`);
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(new URL(url, siteUrl).href);
  // Framework's header is fixed to the viewport: in screenshots of tall elements it
  // would land mid-picture. At the top of the document it shows as on screen.
  await page.addStyleTag({content: "#observablehq-header { position: absolute !important; }"});
  return page;
}

/** Does something that selects samples, then waits for the new flame graph. */
export async function selecting(page: Page, action: () => Promise<unknown>): Promise<void> {
  const drawn = (await measures(page, "subsecond:flamegraph")).length;
  await action();
  await waitForMeasure(page, "subsecond:flamegraph", drawn + 1);
}

/** The selection flame graph's (or the one in `flameGraph`'s) widest frame other than the root: the deepest frame
 * as wide as the widest, which for a pattern's stripe is the pattern's function. */
export const widestFrame = (page: Page, flameGraph = "#selection-flame") =>
  page.$$eval(`${flameGraph} .frame`, (frames) => {
    const boxes = frames
      .map((f) => ({name: f.textContent ?? "", width: parseFloat((f as HTMLElement).style.width), top: parseFloat((f as HTMLElement).style.top)}))
      .filter((b) => b.name !== "all");
    const widest = Math.max(...boxes.map((b) => b.width));
    return boxes.filter((b) => b.width >= widest * 0.999).sort((a, b) => a.top - b.top)[0]?.name;
  });

/** The heat map's x-axis label and the selection flame graph's root frame: what the
 * layout keeps in view. */
export const X_AXIS = 'svg.subsecond-heatmap-chart g[aria-label="x-axis label"]';
export const ROOT_FRAME = '#selection-flame .frame[data-i="0"]';

/** Whether an element is on screen and not covered (by a scroll container's edge or
 * another element): the element at its centre (or 20 px in from its left) is itself. */
export const inViewport = (page: Page, selector: string) =>
  page.$eval(selector, (e) => {
    const r = e.getBoundingClientRect();
    const x = r.left + Math.min(r.width / 2, 20), y = r.top + r.height / 2;
    const onScreen = r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
    const hit = document.elementFromPoint(x, y);
    return onScreen && (hit === e || e.contains(hit));
  });

export interface ReportSite {
  /** The test's folder: profiles/ (what it wrote) and dist/ (the report). */
  work: string;
  /** What the build printed (stdout and stderr). */
  buildOutput: string;
  server: StaticServer;
  browser: Browser;
  /** Problems seen by any page of the current test; each test must end with none. */
  problems: string[];
  /** A new page of the report that records every failed or foreign request, error and dialog. */
  open(path: string, viewport?: {width: number; height: number}): Promise<Page>;
  /** A profile's page, once it is interactive. */
  openProfile(slug: string, hash?: string, viewport?: {width: number; height: number}): Promise<Page>;
}

/** Registers the hooks of a describe block whose tests drive a report in Chromium: a
 * folder of profiles that `write` fills, the report built from it as `subsecond report
 * DIR --out OUT` builds it (in a child process), served to Chromium; every test must
 * end with no page problem. The object is filled in once the build is done. */
export function reportInChromium(name: string, write: (profiles: string) => void | Promise<void>): ReportSite {
  let close: (() => Promise<void>) | undefined;
  const site = {problems: [] as string[]} as ReportSite;
  site.open = (path, viewport) => openWatched(site.browser, site.server.url, path, site.problems, viewport);
  site.openProfile = async (slug, hash = "", viewport) => {
    const page = await site.open(`profiles/${slug}.html${hash}`, viewport);
    await waitForMeasure(page, "subsecond:interactive");
    return page;
  };
  beforeAll(async () => {
    site.work = mkdtempSync(join(tmpdir(), `subsecond-${name}-`));
    const profiles = join(site.work, "profiles");
    mkdirSync(profiles);
    await write(profiles);
    const build = await runNode(["--import", "tsx", join(ROOT, "test", "site", "build-report.ts"), profiles, join(site.work, "dist")], ROOT);
    if (build.code !== 0) throw new Error(`site build failed:\n${build.output}`);
    site.buildOutput = build.output;
    ({server: site.server, browser: site.browser, close} = await siteInChromium(join(site.work, "dist")));
  }, 900_000);
  afterAll(async () => {
    await close?.();
    if (site.work) rmSync(site.work, {recursive: true, force: true});
  });
  afterEach(() => {
    expect(site.problems).toEqual([]);
    site.problems.length = 0;
  });
  return site;
}
