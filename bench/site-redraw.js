// The report site's heat-map redraw time on a control change, measured in Chromium from
// outside the page (the page marks no such measure): the Rows control is switched to its
// next choice, and the time runs from that click to the first frame painted after the
// heat map's chart has been replaced (two animation frames after the new chart is in
// the document, the usual stand-in for "painted").
import {chromium} from "playwright-core";
import {CHROMIUM_ARGS, waitForMeasure} from "../scripts/browser/heatmap-page.js";
import {median} from "./stats.js";

/** Median and every run of `runs` redraws of the heat map at `page` of the site served
 * at `url`; each run switches Rows to the next choice. */
export async function measureHeatmapRedraw({url, page: pagePath, runs = 5, executablePath = "/usr/bin/chromium"}) {
  const browser = await chromium.launch({executablePath, args: CHROMIUM_ARGS});
  try {
    const context = await browser.newContext({viewport: {width: 1400, height: 1000}});
    const page = await context.newPage();
    await page.goto(new URL(pagePath, url).href);
    await waitForMeasure(page, "subsecond:interactive");
    const ms = [];
    for (let run = 0; run < runs; run++) ms.push(await page.evaluate(switchRowsAndWait, 60_000));
    await context.close();
    return {redrawMs: median(ms), runs: ms};
  } finally {
    await browser.close();
  }
}

/** In the page: click the Rows choice after the checked one; resolve with the ms until
 * the replaced chart has been painted. */
function switchRowsAndWait(timeoutMs) {
  const form = [...document.querySelectorAll(".subsecond-controls form")].find((f) => f.querySelector("label")?.textContent?.trim() === "Rows");
  const radios = form ? [...form.querySelectorAll("input[type=radio]")] : [];
  if (radios.length < 2) throw new Error("the page has no Rows control with two choices");
  const next = radios[(radios.findIndex((r) => r.checked) + 1) % radios.length];
  const old = document.querySelector("svg.subsecond-heatmap-chart");
  const t0 = performance.now();
  next.click();
  return new Promise((resolve, reject) => {
    const check = () => {
      const chart = document.querySelector("svg.subsecond-heatmap-chart");
      if (chart && chart !== old && chart.isConnected) requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      else if (performance.now() - t0 > timeoutMs) reject(new Error("the heat map was not redrawn"));
      else requestAnimationFrame(check);
    };
    check();
  });
}
