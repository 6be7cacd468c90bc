// Driving a profile page's heat map from Playwright (the site test and the benchmark).
// The chart carries its own geometry (data-left, data-bottom, data-cw, data-ch,
// data-columns, data-rows), so cells are pointed at exactly.

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

const CHART = "svg.subsecond-heatmap-chart";

/** Where the heat map's cells are on screen, after scrolling the chart into view
 * (the page's one chart, or the one `chart` selects). */
export async function heatmapGeometry(page, chart = CHART) {
  chart = page.locator(chart);
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  const g = Object.fromEntries(Object.entries(await chart.evaluate((e) => ({...e.dataset}))).map(([k, v]) => [k, Number(v)]));
  return {
    ...g,
    /** Screen x of a point `fraction` (0–1) across second s's column. */
    x: (second, fraction = 0.5) => box.x + g.left + (second + fraction) * g.cw,
    /** Screen y of a point `fraction` up bucket b's row. */
    y: (bucket, fraction = 0.5) => box.y + g.bottom - (bucket + fraction) * g.ch,
  };
}

/** Drags a brush over cells s0..s1 × b0..b1 (of the chart `chart` selects). */
export async function brushCells(page, s0, s1, b0, b1, chart = CHART) {
  const g = await heatmapGeometry(page, chart);
  await page.mouse.move(g.x(s0, 0.2), g.y(b1, 0.8));
  await page.mouse.down();
  await page.mouse.move(g.x((s0 + s1) / 2), g.y((b0 + b1) / 2), {steps: 4});
  await page.mouse.move(g.x(s1, 0.8), g.y(b0, 0.2), {steps: 4});
  await page.mouse.up();
}

/** Clicks the middle of a cell. */
export async function clickCell(page, second, bucket) {
  const g = await heatmapGeometry(page);
  await page.mouse.click(g.x(second), g.y(bucket));
}

/** The page's `performance.measure` durations of one name, in order. */
export function measures(page, name) {
  return page.evaluate((n) => performance.getEntriesByName(n, "measure").map((m) => m.duration), name);
}

/** Waits until the page has made `count` measures of a name; returns the last one. */
export async function waitForMeasure(page, name, count = 1) {
  await page.waitForFunction(([n, c]) => performance.getEntriesByName(n, "measure").length >= c, [name, count], {timeout: 60_000});
  return (await measures(page, name))[count - 1];
}
