// The report site's timings for the benchmark: builds one report (`subsecond report`)
// of the benchmark's capture, the bundled examples and a 500 k-sample synthetic profile
// (the capture alone for --quick), serves it on 127.0.0.1 and measures every page in
// Chromium: page interactive and brush → flame graph (bench/site-perf.js, from the page's
// own measures), and the heat map's redraw on a control change (bench/site-redraw.js).
import {spawnSync} from "node:child_process";
import {copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, statSync, unlinkSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {measureHeatmapRedraw} from "./site-redraw.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const EXAMPLES = join(root, "examples");
// The report site's brush target was set for 500 k samples: a synthetic profile that
// big (8 CPUs sampled at 999 Hz for 63 s, half busy).
const SYNTHETIC = {pattern: "cpus-50", options: {cpus: 8, hz: 999, seconds: 63}, name: "synthetic-500k"};

/** Puts `target` at `link` as a hard link (a copy across file systems): a report does
 * not follow symbolic links. `link` lives in the benchmark's own folder, so whatever is
 * there and is not already `target` is an earlier input of this function: replaced. */
function linkTo(target, link) {
  let stat = null;
  try {
    stat = lstatSync(link);
  } catch {
    // missing: make it
  }
  if (stat && !stat.isSymbolicLink() && !stat.isFile()) throw new Error(`${link} exists and is not a file: move it away`);
  const source = statSync(target);
  if (stat?.isFile() && stat.ino === source.ino && stat.dev === source.dev) return;
  if (stat?.isFile() && stat.dev !== source.dev && stat.size === source.size && stat.mtimeMs >= source.mtimeMs) return;
  if (stat) unlinkSync(link);
  try {
    linkSync(target, link);
  } catch {
    copyFileSync(target, link);
  }
}

/** The profiles folder: capture.perf (the benchmark's input) and, when asked for, the
 * examples and the synthetic profile. Returns the pages to measure: {name, page, kind}. */
async function profilesFolder({folder, capture, examples, synthetic, lib, log}) {
  mkdirSync(folder, {recursive: true});
  linkTo(capture, join(folder, "capture.perf"));
  const pages = [{name: "capture", kind: "capture"}];
  if (examples) {
    for (const file of readdirSync(EXAMPLES).sort()) {
      if (!file.endsWith(".perf.gz") && !file.endsWith(".annotations.json")) continue;
      linkTo(join(EXAMPLES, file), join(folder, file));
      if (file.endsWith(".perf.gz")) pages.push({name: file.replace(/\.perf\.gz$/, ""), kind: "example"});
    }
  }
  if (synthetic) {
    const file = join(folder, `${SYNTHETIC.name}.perf`);
    if (!existsSync(file)) {
      log(`site: writing ${file} (synthesize ${SYNTHETIC.pattern} ${JSON.stringify(SYNTHETIC.options)})`);
      writeFileSync(file, lib.synthesize(SYNTHETIC.pattern, SYNTHETIC.options));
    }
    pages.push({name: SYNTHETIC.name, kind: "synthetic"});
  }
  return pages.map((p) => ({...p, page: `profiles/${p.name}.html`}));
}

/** Builds and measures the site: the capture's page, and with `all` the examples' and
 * the synthetic profile's. `lib` is the bundled library (for the synthetic profile).
 * Returns {buildMs, pages: [{name, kind, interactiveMs, flamegraphMs, redrawMs, runs}]}. */
export async function sitePerformance({capture, all, folder, out, runs, lib, log}) {
  const {measureSitePerformance} = await import("./site-perf.js");
  const {serveStatic} = await import("../scripts/browser/serve.js");
  const pages = await profilesFolder({folder, capture, examples: all, synthetic: all, lib, log});
  log(`site: building the report for ${folder} into ${out}`);
  const t0 = performance.now();
  const build = spawnSync(process.execPath, [join(root, "bin", "subsecond.js"), "report", folder, "--out", out], {cwd: root, stdio: ["ignore", "ignore", "inherit"]});
  if (build.status !== 0) throw new Error("the report site did not build");
  const buildMs = performance.now() - t0;
  const server = await serveStatic(out);
  try {
    const measured = [];
    for (const p of pages) {
      log(`site: measuring ${p.page} in Chromium (page interactive, brush → flame graph, heat map redraw)`);
      const timings = await measureSitePerformance({url: server.url, page: p.page, runs});
      const redraw = await measureHeatmapRedraw({url: server.url, page: p.page, runs});
      measured.push({...p, interactiveMs: timings.interactiveMs, flamegraphMs: timings.flamegraphMs, redrawMs: redraw.redrawMs,
        runs: {...timings.runs, redraw: redraw.runs}});
    }
    return {buildMs, pages: measured};
  } finally {
    await server.close();
  }
}
