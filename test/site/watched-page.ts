// What the browser tests of the report site share: running a command without blocking
// the test's event loop (a build takes seconds), a built site served to Debian's
// Chromium, opening a page that records every failed or foreign request, page error,
// console error and dialog, and waiting for a selection's flame graph.
import {spawn} from "node:child_process";
import {mkdirSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {chromium, type Browser, type Page} from "playwright-core";
import {CHROMIUM_ARGS, measures, waitForMeasure} from "./heatmap-page.js";
import {serveStatic, type StaticServer} from "./serve.js";

export const CHROMIUM = "/usr/bin/chromium";
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

/** The selection flame graph's widest frame other than the root: the deepest frame
 * as wide as the widest, which for a pattern's stripe is the pattern's function. */
export const widestFrame = (page: Page) =>
  page.$$eval("#selection-flame .frame", (frames) => {
    const boxes = frames
      .map((f) => ({name: f.textContent ?? "", width: parseFloat((f as HTMLElement).style.width), top: parseFloat((f as HTMLElement).style.top)}))
      .filter((b) => b.name !== "all");
    const widest = Math.max(...boxes.map((b) => b.width));
    return boxes.filter((b) => b.width >= widest * 0.999).sort((a, b) => a.top - b.top)[0]?.name;
  });
