// The store report's own pages (store.html, fleet.html): hosts, files and labels
// escaped, every capture linked to its profile page, no script and no request outside
// the page, in Chromium from file://.
import {copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {JSDOM} from "jsdom";
import {chromium} from "playwright-core";
import {beforeAll, describe, expect, it} from "vitest";
import {readProfile} from "../../src/node/index.js";
import {fleetPageHtml, storeIndexHtml, type ReportCapture} from "../../src/node/store/report.js";
import {fileContentHash, ProfileStore} from "../../src/node/store/store.js";
import {CHROMIUM_ARGS} from "../../scripts/browser/heatmap-page.js";
import {CHROMIUM, SHOTS} from "../site/watched-page.js";
import {runCli} from "../cli/run.js";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;
const HOSTILE = "<img src=x onerror=alert(1)>";
const START = Date.UTC(2026, 10, 21, 11, 47, 0);
const dir = mkdtempSync(join(tmpdir(), "subsecond-store-report-"));
let captures: ReportCapture[];

beforeAll(async () => {
  const store = await ProfileStore.open(join(dir, "fleet"), {create: true});
  for (const [k, name] of ["c-global-lock", "node-cache-refresh"].entries()) {
    const file = join(EXAMPLES, `${name}.perf.gz`);
    const {hash, bytes} = fileContentHash(file);
    const profile = await readProfile(file);
    profile.source = `${HOSTILE}${name}.perf.gz`;
    await store.add(profile, {contentHash: hash, bytes, host: `web-${k + 1}`, labels: {note: HOSTILE}, originWallClockMs: START + k * 20_000});
  }
  captures = (await store.list()).map((r) => ({profile: r.profile as string, host: r.host as string, source: r.source as string, labels: r.labels as string,
    start: r.start as Date, seconds: Number(r.seconds), samples: Number(r.samples)}));
  const href = (id: string) => (id === captures[0].profile ? `profiles/${id}.html` : null);
  writeFileSync(join(dir, "store.html"), storeIndexHtml("fleet", captures, href));
  writeFileSync(join(dir, "fleet.html"), fleetPageHtml("fleet", await store.heatmap(), await store.heatmapsByHost()));
  await store.close();
}, 120_000);

describe("store report pages", () => {
  it("escape host, file and label text and link the captures that have a page", async () => {
    const html = readFileSync(join(dir, "store.html"), "utf8");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    const doc = new JSDOM(html).window.document;
    expect(doc.querySelectorAll("img, script")).toHaveLength(0);
    expect(doc.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute("content")).toMatch(/^default-src 'none'/);
    // One timeline row per host; the capture with a page is linked from its bar and its row.
    expect(Array.from(doc.querySelectorAll("svg.store-timeline > text")).map((t) => t.textContent).slice(0, 2)).toEqual(["web-1", "web-2"]);
    expect(Array.from(doc.querySelectorAll("a")).map((a) => a.getAttribute("href")).filter((h) => h!.startsWith("profiles/"))).toEqual([`profiles/${captures[0].profile}.html`, `profiles/${captures[0].profile}.html`]);
    expect(doc.querySelectorAll("svg.store-timeline rect")).toHaveLength(2);
    expect(html).toContain("(no profile page: the file is gone)");
    const fleet = readFileSync(join(dir, "fleet.html"), "utf8");
    expect(fleet.match(/class="[^"]*subsecond-heatmap-chart/g)).toHaveLength(3);
    expect(fleet).toContain("x = wall-clock seconds from 2026-11-21T11:47:00Z");
    expect(fleet).not.toMatch(/<script/i);
  });

  it("show in Chromium from file:// with no request outside the page", async () => {
    const browser = await chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_ARGS});
    try {
      for (const name of ["store", "fleet"]) {
        const page = await browser.newPage({viewport: {width: 1100, height: 800}});
        const problems: string[] = [];
        page.on("request", (r) => {
          if (!r.url().startsWith("file://") && !r.url().startsWith("data:")) problems.push(r.url());
        });
        page.on("dialog", (d) => (problems.push(`dialog ${d.message()}`), void d.dismiss()));
        await page.goto(pathToFileURL(join(dir, `${name}.html`)).href);
        const box = await page.locator(name === "store" ? "svg.store-timeline" : "svg.subsecond-heatmap-chart >> nth=0").boundingBox();
        expect(box!.width).toBeGreaterThan(500);
        await page.screenshot({path: join(SHOTS, `store-report-${name}.png`), fullPage: true});
        expect(problems).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);

  it("are written by subsecond store report beside the captures' profile pages", () => {
    const store = join(dir, "cli-store"), gone = join(dir, "gone.perf.gz");
    copyFileSync(join(EXAMPLES, "node-cache-refresh.perf.gz"), gone);
    expect(runCli(["store", "add", join(EXAMPLES, "c-global-lock.perf.gz"), "--store", store, "--host", "web-1"]).status).toBe(0);
    expect(runCli(["store", "add", gone, "--store", store, "--host", "web-2"]).status).toBe(0);
    rmSync(gone);
    const out = join(dir, "out");
    const r = runCli(["store", "report", "--store", store, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/gone\.perf\.gz: not there \(or changed\) since it was added: no profile page for capture [0-9a-f]{16}/);
    const links = Array.from(new JSDOM(readFileSync(join(out, "store.html"), "utf8")).window.document.querySelectorAll("a")).map((a) => a.getAttribute("href")!);
    const pages = links.filter((h) => h.startsWith("profiles/"));
    expect(pages).toHaveLength(2);
    for (const h of [...pages, "fleet.html", "index.html"]) expect(existsSync(join(out, h)), h).toBe(true);
  }, 900_000);
});
