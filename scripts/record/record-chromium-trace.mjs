// Records a Chrome trace of a page doing periodic work, with Debian's Chromium driven
// by playwright-core: only V8's sampling profiler category (and the metadata events
// that name processes and threads), so the trace stays small.
//   node scripts/record/record-chromium-trace.mjs OUT.json
// The page runs `periodicTask` (about 40 ms of busy work) every 250 ms for 3 s.
import {writeFileSync} from "node:fs";
import {chromium} from "playwright-core";

const out = process.argv[2];
if (!out) throw new Error("usage: record-chromium-trace.mjs OUT.json");
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const page = await browser.newPage();
await page.setContent(`<!doctype html><title>periodic</title><script>
function periodicTask() {
  const end = performance.now() + 40;
  let x = 0;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  return x;
}
window.startWork = () => new Promise((done) => {
  const start = performance.now();
  const timer = setInterval(() => {
    if (performance.now() - start > 3000) { clearInterval(timer); done(); return; }
    periodicTask();
  }, 250);
});
</script>`);
// Tracing through the browser's DevTools protocol, so that only the categories asked
// for are recorded (playwright's startTracing adds its own).
const cdp = await browser.newBrowserCDPSession();
const events = [];
cdp.on("Tracing.dataCollected", ({value}) => events.push(...value));
const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
await cdp.send("Tracing.start", {transferMode: "ReportEvents", traceConfig: {includedCategories: ["disabled-by-default-v8.cpu_profiler"], excludedCategories: ["*"]}});
await page.evaluate(() => window.startWork());
await cdp.send("Tracing.end");
await complete;
await browser.close();
writeFileSync(out, JSON.stringify({traceEvents: events}));
