// explore() and show() outputs as a user sees them: an executed, trusted notebook opened
// in Debian's classic Jupyter Notebook (a server this test starts on 127.0.0.1 with a
// token) in Chromium, where the heat map is brushed; and the same notebook exported by
// `jupyter nbconvert --to html`, opened from file://.
import {spawn, type ChildProcess} from "node:child_process";
import {randomBytes} from "node:crypto";
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {chromium, type Browser, type Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {brushCells, CHROMIUM_ARGS} from "../../scripts/browser/heatmap-page.js";
import {lockJupyter, unlockJupyter} from "./jupyter-lock.js";
import {CHROMIUM, runNode, SHOTS, widestFrame} from "../site/watched-page.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const JUPYTER = "/usr/bin/jupyter";
const missing = [JUPYTER, "/usr/bin/jupyter-notebook", "/usr/bin/jupyter-nbconvert", CHROMIUM].filter((f) => !existsSync(f));
if (missing.length) {
  const bar = "!".repeat(78);
  console.warn(
    `${bar}\nSKIPPED: explore() in a Jupyter server and in an HTML export: ${missing.join(", ")} not found\n` +
      `(apt-get install -y --no-install-recommends jupyter-notebook jupyter-nbconvert chromium)\n${bar}`,
  );
}

// The C example: worker-0 holds the global lock from 1.944 s to 2.344 s, so second 2's
// first 300 ms (rows 0–14 at 50 rows) are its rehash passes.
const PROFILE = "c-global-lock.perf.gz";
const BRUSH = {s0: 2, s1: 2, b0: 0, b1: 14};
const CELLS = [
  `import {readProfile, explore, show, flameTree} from "subsecond";\nconst profile = await readProfile("${PROFILE}");`,
  `explore(profile);`,
  `show(flameTree(profile));`,
];

/** Runs `jupyter ARGS…` in `cwd`; rejects with its output when it fails. */
function jupyter(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(JUPYTER, args, {cwd, env, stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`jupyter ${args.join(" ")} exited with ${code}:\n${output}`))));
  });
}

/** A port free on 127.0.0.1 a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

/** Stops the server and the kernels it started (its process group), waiting for it. */
async function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-server.pid!, s);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

// Debian's classic Notebook asks for the ipywidgets extension, which it does not ship.
const JUPYTERS_OWN = (url: string) => new URL(url).pathname === "/nbextensions/widgets/notebook/js/extension.js";

/** Opens `url` in a new page whose failed requests, page errors and console errors go
 * to `problems`, but for Jupyter's own missing extension. */
async function open(browser: Browser, url: string, problems: string[], javaScriptEnabled = true): Promise<Page> {
  const page = await browser.newPage({viewport: {width: 1300, height: 1000}, javaScriptEnabled});
  page.on("response", (r) => {
    if (r.status() >= 400 && !JUPYTERS_OWN(r.url())) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    // A failed request is reported above, with its address.
    const request = m.type() === "error" && m.text().startsWith("Failed to load resource");
    const own = m.location().url && JUPYTERS_OWN(m.location().url) || /Refused to execute script from '([^']*)'/.test(m.text()) && JUPYTERS_OWN(m.text().match(/'([^']*)'/)![1]);
    if (m.type() === "error" && !request && !own) problems.push(`console error: ${m.text()}`);
  });
  await page.goto(url);
  return page;
}

/** How the flame graph of the explore view fits its frames: the pixels of frames its
 * box cuts off, and of its box below the frames (the legend follows right after). */
const flameFit = (page: Page) =>
  page.locator(".subsecond-explore-flame .subsecond-flame-graph").evaluate((graph) => {
    const box = graph.getBoundingClientRect();
    const frames = Array.from(graph.querySelectorAll(".frame"), (f) => f.getBoundingClientRect());
    const top = Math.min(...frames.map((f) => f.top));
    const bottom = Math.max(...frames.map((f) => f.bottom));
    return {cut: Math.round(Math.max(0, box.top - top) + Math.max(0, bottom - box.bottom)), spare: Math.round(Math.max(0, top - box.top) + Math.max(0, box.bottom - bottom))};
  });

describe.skipIf(missing.length > 0)("explore() in a real Jupyter and in an HTML export", () => {
  let work = "";
  let env: NodeJS.ProcessEnv = {};
  let server: ChildProcess | undefined;
  let serverLog = "";
  let url = "";
  let browser: Browser | undefined;

  beforeAll(async () => {
    await lockJupyter();
    work = mkdtempSync(join(tmpdir(), "subsecond-jupyter-"));
    const notebooks = join(work, "notebooks");
    mkdirSync(notebooks);
    const setup = await runNode([join(ROOT, "scripts", "jupyter-kernel.js")], ROOT);
    if (setup.code !== 0) throw new Error(`kernel setup failed:\n${setup.output}`);
    // The test's own Jupyter settings, runtime files and trust database.
    env = {
      ...process.env,
      JUPYTER_PATH: setup.output.match(/^JUPYTER_PATH=(.*)$/m)![1],
      JUPYTER_CONFIG_DIR: join(work, "config"),
      JUPYTER_DATA_DIR: join(work, "data"),
      JUPYTER_RUNTIME_DIR: join(work, "runtime"),
    };
    copyFileSync(join(ROOT, "examples", PROFILE), join(notebooks, PROFILE));
    const notebook = {
      cells: CELLS.map((source, i) => ({cell_type: "code", id: `cell${i}`, execution_count: null, metadata: {}, outputs: [], source})),
      metadata: {kernelspec: {display_name: "TypeScript (subsecond)", language: "typescript", name: "subsecond"}},
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(notebooks, "explore.ipynb"), JSON.stringify(notebook));
    await jupyter(["nbconvert", "--to", "notebook", "--execute", "--inplace", "--ExecutePreprocessor.timeout=120", "explore.ipynb"], notebooks, env);
    await jupyter(["trust", "explore.ipynb"], notebooks, env);
    await jupyter(["nbconvert", "--to", "html", "explore.ipynb"], notebooks, env);

    const port = await freePort();
    const token = randomBytes(16).toString("hex");
    server = spawn(
      JUPYTER,
      ["notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--NotebookApp.port_retries=0", `--NotebookApp.token=${token}`, `--notebook-dir=${notebooks}`, ...(process.getuid?.() === 0 ? ["--allow-root"] : [])],
      {cwd: notebooks, env, detached: true, stdio: ["ignore", "pipe", "pipe"]},
    );
    server.stdout!.on("data", (d) => (serverLog += d));
    server.stderr!.on("data", (d) => (serverLog += d));
    url = `http://127.0.0.1:${port}/notebooks/explore.ipynb?token=${token}`;
    const api = `http://127.0.0.1:${port}/api/status?token=${token}`;
    for (const started = Date.now(); ; ) {
      if (server.exitCode !== null) throw new Error(`jupyter notebook exited:\n${serverLog}`);
      if (await fetch(api).then((r) => r.ok, () => false)) break;
      if (Date.now() - started > 90_000) throw new Error(`jupyter notebook did not answer in 90 s:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await chromium.launch({executablePath: CHROMIUM, args: CHROMIUM_ARGS});
    mkdirSync(SHOTS, {recursive: true});
  }, 1_500_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stop(server);
    if (work) rmSync(work, {recursive: true, force: true});
    unlockJupyter();
  }, 30_000);

  it("in a trusted notebook, brushing the heat map draws the selection's flame graph, its text and a Copy button", async () => {
    const problems: string[] = [];
    const page = await open(browser!, url, problems);
    const block = page.locator(".subsecond-explore");
    await block.locator(".subsecond-explore-view").waitFor({timeout: 30_000});
    await expect(block.locator(".subsecond-explore-static").isHidden()).resolves.toBe(true);
    await expect(block.locator(".subsecond-explore-text").textContent()).resolves.toBe("all");

    expect(await flameFit(page)).toEqual({cut: 0, spare: expect.toBeOneOf([0, 1])});

    await brushCells(page, BRUSH.s0, BRUSH.s1, BRUSH.b0, BRUSH.b1, ".subsecond-explore-live svg.subsecond-heatmap-chart");
    const text = block.locator("code.subsecond-explore-text");
    await page.waitForFunction(() => document.querySelector(".subsecond-explore-text")?.textContent !== "all");
    expect(await text.textContent()).toBe("c2_2x0_14r50");
    expect(await widestFrame(page, ".subsecond-explore-flame")).toBe("rehash_index_pass");
    await expect(block.getByRole("button", {name: "Copy selection"}).isVisible()).resolves.toBe(true);
    expect(await block.locator(".subsecond-explore-link").first().textContent()).toMatch(/^profiles\/c-global-lock\.html#.*sel=c2_2x0_14r50/);
    expect(await flameFit(page)).toEqual({cut: 0, spare: expect.toBeOneOf([0, 1])});
    // Jupyter shows the whole output, not in a scroll box of its own.
    expect(await page.locator(".output_scroll").count()).toBe(0);
    await page.mouse.move(0, 0);
    await page.locator(".cell", {has: block}).screenshot({path: join(SHOTS, "jupyter-explore.png")});
    expect(problems, serverLog).toEqual([]);
    await page.close();
  }, 60_000);

  // The export keeps the output's script, which runs from file:// as in a trusted
  // notebook; where scripts do not run, the static figures show.
  it("an HTML export (nbconvert --to html) runs explore's view, with no page errors", async () => {
    const problems: string[] = [];
    const page = await open(browser!, pathToFileURL(join(work, "notebooks", "explore.html")).href, problems);
    await page.locator(".subsecond-explore-view").waitFor({timeout: 30_000});
    await brushCells(page, BRUSH.s0, BRUSH.s1, BRUSH.b0, BRUSH.b1, ".subsecond-explore-live svg.subsecond-heatmap-chart");
    await page.waitForFunction(() => document.querySelector(".subsecond-explore-text")?.textContent !== "all");
    expect(await widestFrame(page, ".subsecond-explore-flame")).toBe("rehash_index_pass");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("an HTML export without scripts shows explore's static figures and show's flame graph", async () => {
    const problems: string[] = [];
    const page = await open(browser!, pathToFileURL(join(work, "notebooks", "explore.html")).href, problems, false);
    // Every figure is inline SVG in the page, drawn with a size.
    const figures = await page.$$eval(".subsecond-figure > svg", (svgs) =>
      svgs.map((s) => ({heatmap: (s.textContent ?? "").includes("samples per cell"), frames: s.querySelectorAll(".frame rect").length, height: s.getBoundingClientRect().height})),
    );
    expect(figures.filter((f) => f.heatmap)).toHaveLength(1);
    expect(figures.filter((f) => f.frames > 10)).toHaveLength(2);
    expect(figures.every((f) => f.height > 50)).toBe(true);
    expect(await page.locator(".subsecond-explore-static p").textContent()).toContain("jupyter trust");
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
