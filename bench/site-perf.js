#!/usr/bin/env node
// The report site's two interactive timings, measured in Chromium (for `npm run bench`):
//   interactiveMs  navigation start → heat map and flame graph painted with their handlers
//                  attached (the page's "subsecond:interactive" measure);
//   flamegraphMs   end of a brush on the heat map → the selection's flame graph painted
//                  (the page's "subsecond:flamegraph" measure), for a brush over the whole
//                  map (every sample) and one over its middle.
// Each is the median of `runs` (the runs are returned too). With --cpu-prof DIR, the
// first run's brushes are also recorded with Chromium's CPU profiler (CDP), one
// DIR/brush-N.cpuprofile each (`node bench/cpuprof-top.js` lists their hot functions).
//
//   node bench/site-perf.js URL PAGE [--runs N] [--cpu-prof DIR]        a served site, e.g. http://127.0.0.1:3000/ profiles/big.html
//   node bench/site-perf.js --dist DIR PAGE [--runs N] [--cpu-prof DIR] serve a built site folder first
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {pathToFileURL} from "node:url";
import {chromium} from "playwright-core";
import {brushCells, CHROMIUM_ARGS, heatmapGeometry, waitForMeasure} from "../scripts/browser/heatmap-page.js";
import {serveStatic} from "../scripts/browser/serve.js";

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function measureSitePerformance({url, page: pagePath, runs = 5, executablePath = "/usr/bin/chromium", cpuProfileDir = null}) {
  const browser = await chromium.launch({executablePath, args: CHROMIUM_ARGS});
  try {
    const interactive = [];
    const flamegraph = [];
    for (let run = 0; run < runs; run++) {
      // A fresh context each run: nothing cached from the previous one.
      const context = await browser.newContext({viewport: {width: 1400, height: 1000}});
      const page = await context.newPage();
      await page.goto(new URL(pagePath, url).href);
      interactive.push(await waitForMeasure(page, "subsecond:interactive"));
      const g = await heatmapGeometry(page);
      const cdp = cpuProfileDir && run === 0 ? await context.newCDPSession(page) : null;
      if (cdp) {
        mkdirSync(cpuProfileDir, {recursive: true});
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", {interval: 100});
      }
      let done = 0;
      for (const [s0, s1, b0, b1] of [
        [0, g.columns - 1, 0, g.rows - 1],
        [Math.floor(g.columns / 4), Math.floor((3 * g.columns) / 4), Math.floor(g.rows / 4), Math.floor((3 * g.rows) / 4)],
      ]) {
        if (cdp) await cdp.send("Profiler.start");
        await brushCells(page, s0, s1, b0, b1);
        flamegraph.push(await waitForMeasure(page, "subsecond:flamegraph", ++done));
        if (cdp) writeFileSync(join(cpuProfileDir, `brush-${done}.cpuprofile`), JSON.stringify((await cdp.send("Profiler.stop")).profile));
      }
      await context.close();
    }
    return {interactiveMs: median(interactive), flamegraphMs: median(flamegraph), runs: {interactive, flamegraph}};
  } finally {
    await browser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const {values, positionals} = parseArgs({allowPositionals: true, options: {dist: {type: "string"}, runs: {type: "string"}, "cpu-prof": {type: "string"}}});
  const server = values.dist ? await serveStatic(values.dist) : null;
  const [url, page] = server ? [server.url, positionals[0]] : positionals;
  if (!url || !page) {
    process.stderr.write("usage: node bench/site-perf.js URL PAGE [--runs N] [--cpu-prof DIR] | --dist DIR PAGE [--runs N] [--cpu-prof DIR]\n");
    process.exit(2);
  }
  try {
    const result = await measureSitePerformance({url, page, runs: values.runs ? Number(values.runs) : undefined, cpuProfileDir: values["cpu-prof"] ?? null});
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server?.close();
  }
}
