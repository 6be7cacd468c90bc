// price-service: a node:http JSON service for the node-cache-refresh example.
//
// GET /quote?skus=A,B,C&qty=N  -> handleQuoteRequest: looks the SKUs up in the
// in-memory price cache and renders a JSON quote (~0.5-1 ms of CPU and some
// allocation per request). refreshPriceCache() rebuilds the whole price table
// synchronously (~300-500 ms of CPU, lots of allocation, so V8 scavenges and
// mark-compacts show up), blocking the event loop: once at startup before
// listening, FIRST_REFRESH_S after start, then every REFRESH_EVERY_S seconds.
//
// Usage: node --perf-basic-prof --interpreted-frames-native-stack price-service.mjs \
//          PORTFILE LOGFILE SECONDS [REFRESH_EVERY_S] [FIRST_REFRESH_S]
// Log: JSON lines, t_ns / start_ns / end_ns are process.hrtime.bigint() values
// (CLOCK_MONOTONIC nanoseconds, the clock of `perf record -k CLOCK_MONOTONIC`).
//   {"event":"refresh","reason":"startup|timer","generation":..,"start_ns":..,"end_ns":..,"products":..}
//   {"event":"gc","kind":"minor|major|incremental|weakcb","start_ns":..,"end_ns":..}
import http from "node:http";
import { appendFileSync, writeFileSync } from "node:fs";
import { PerformanceObserver, performance, constants as perfConstants } from "node:perf_hooks";

const [portFile, logFile, secondsArg, everyArg, firstArg] = process.argv.slice(2);
const runSeconds = Number(secondsArg ?? 45);
const refreshEveryMs = 1000 * Number(everyArg ?? 10);
const firstRefreshMs = 1000 * Number(firstArg ?? 5);

process.title = "price-service"; // also the thread name (comm) perf reports

writeFileSync(logFile, "");
const log = (obj) => appendFileSync(logFile, JSON.stringify({ pid: process.pid, ...obj }) + "\n");
const now = () => process.hrtime.bigint();

// performance.now() (ms, fractional) and process.hrtime() share CLOCK_MONOTONIC
// with a fixed offset: measure it once so GC entries can be logged in hrtime ns.
function hrtimeOffsetNs() {
  let best = null;
  for (let i = 0; i < 50; i++) {
    const a = now();
    const p = performance.now();
    const b = now();
    const width = b - a;
    if (!best || width < best.width) best = { width, offset: (a + b) / 2n - BigInt(Math.round(p * 1e6)) };
  }
  return best.offset;
}
const perfOffsetNs = hrtimeOffsetNs();
const perfMsToNs = (ms) => String(perfOffsetNs + BigInt(Math.round(ms * 1e6)));
// where performance.now() = 0 is on CLOCK_MONOTONIC: places logs that count from the
// process's start (such as V8's --trace-gc, a few ms later) on the perf clock
log({ event: "clock", time_origin_ns: String(perfOffsetNs) });

const gcKinds = {
  [perfConstants.NODE_PERFORMANCE_GC_MINOR]: "minor",
  [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: "major",
  [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental",
  [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: "weakcb",
};
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    log({
      event: "gc",
      kind: gcKinds[e.detail?.kind ?? e.kind] ?? String(e.detail?.kind ?? e.kind),
      start_ns: perfMsToNs(e.startTime),
      end_ns: perfMsToNs(e.startTime + e.duration),
      duration_ms: Number(e.duration.toFixed(3)),
    });
  }
}).observe({ entryTypes: ["gc"] });

// ---------------------------------------------------------------- price cache
const CATEGORIES = ["tools", "garden", "kitchen", "toys", "books", "audio", "paint", "bikes"];
let rng = 7;
function nextRandom() {
  rng = (rng * 1103515245 + 12345) & 0x7fffffff;
  return rng / 0x7fffffff;
}

function loadCatalogSnapshot(count, generation) {
  const products = new Array(count);
  for (let i = 0; i < count; i++) {
    products[i] = {
      sku: `SKU-${String(i).padStart(6, "0")}`,
      name: `${CATEGORIES[i % CATEGORIES.length]} item ${i} rev ${generation}`,
      category: CATEGORIES[i % CATEGORIES.length],
      basePrice: 1 + Math.floor(nextRandom() * 50000) / 100,
      supplierCosts: [nextRandom() * 10, nextRandom() * 20, nextRandom() * 30],
    };
  }
  return products;
}

function computeTierPrices(product, generation) {
  const tiers = [];
  let price = product.basePrice;
  for (let qty = 1; qty <= 64; qty *= 2) {
    let p = price;
    for (let k = 0; k < 12; k++) p = p * (1 - 0.002 * Math.log2(qty + 1)) + Math.sin(k + generation) * 1e-3;
    tiers.push({ minQty: qty, unitPrice: Math.round(p * 100) / 100 });
  }
  const cost = product.supplierCosts.reduce((a, b) => a + b, 0);
  return { sku: product.sku, name: product.name, category: product.category, margin: price - cost, tiers };
}

function priceAllProducts(products, generation) {
  const entries = new Array(products.length);
  for (let i = 0; i < products.length; i++) entries[i] = computeTierPrices(products[i], generation);
  return entries;
}

function comparePriceEntries(a, b) {
  if (a.category !== b.category) return a.category < b.category ? -1 : 1;
  return b.margin - a.margin;
}

function sortPriceTable(entries) {
  return entries.sort(comparePriceEntries);
}

function indexPriceTable(sorted) {
  const bySku = new Map();
  for (const e of sorted) bySku.set(e.sku, e);
  return bySku;
}

const CATALOG_SIZE = 100000;
let generation = 0;
let priceCache = new Map();

function refreshPriceCache(reason = "timer") {
  const start = now();
  generation++;
  const products = loadCatalogSnapshot(CATALOG_SIZE, generation);
  const entries = priceAllProducts(products, generation);
  const sorted = sortPriceTable(entries);
  priceCache = indexPriceTable(sorted);
  const end = now();
  log({ event: "refresh", reason, generation, start_ns: String(start), end_ns: String(end), products: priceCache.size });
}

// ---------------------------------------------------------------- requests
function lookupPrices(skus, qty) {
  const lines = [];
  for (const sku of skus) {
    const entry = priceCache.get(sku);
    if (!entry) continue;
    let tier = entry.tiers[0];
    for (const t of entry.tiers) if (qty >= t.minQty) tier = t;
    lines.push({ sku, name: entry.name, qty, unitPrice: tier.unitPrice, lineTotal: Math.round(tier.unitPrice * qty * 100) / 100 });
  }
  return lines;
}

function scoreRecommendations(lines) {
  // some per-request CPU: a small similarity score between the requested items
  const scores = [];
  for (let i = 0; i < lines.length; i++) {
    let s = 0;
    for (let j = 0; j < lines.length; j++) {
      const a = lines[i].name;
      const b = lines[j].name;
      for (let k = 0; k < Math.min(a.length, b.length); k++) s += a.charCodeAt(k) === b.charCodeAt(k) ? 1 : 0;
    }
    scores.push({ sku: lines[i].sku, score: s });
  }
  return scores.sort((x, y) => y.score - x.score).slice(0, 5);
}

function simulateDemandCurve(lines) {
  // the bulk of the per-request CPU (~0.5-1 ms): a tiny demand model per line
  for (const line of lines) {
    let demand = line.qty;
    let elasticity = 0;
    for (let step = 0; step < 1500; step++) {
      demand = demand * (1 + 0.001 * Math.sin(step * 0.37 + line.unitPrice)) + Math.exp(-step / 300) * 0.01;
      elasticity += Math.abs(Math.log1p(demand) - Math.log1p(line.qty)) / (step + 1);
    }
    line.expectedDemand = Math.round(demand * 100) / 100;
    line.elasticity = Math.round(elasticity * 1e4) / 1e4;
  }
  return lines;
}

function renderQuoteJson(lines, recommendations) {
  const total = lines.reduce((a, l) => a + l.lineTotal, 0);
  return JSON.stringify({ generation, lines, recommendations, total: Math.round(total * 100) / 100 });
}

function handleQuoteRequest(req, res) {
  const url = new URL(req.url, "http://localhost");
  if (url.pathname !== "/quote") {
    res.writeHead(404).end();
    return;
  }
  const skus = (url.searchParams.get("skus") ?? "").split(",").filter(Boolean);
  const qty = Number(url.searchParams.get("qty") ?? 1);
  const lines = simulateDemandCurve(lookupPrices(skus, qty));
  const body = renderQuoteJson(lines, scoreRecommendations(lines));
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

// ---------------------------------------------------------------- main
refreshPriceCache("startup"); // initial fill before listening (before the load starts)
const server = http.createServer({ keepAliveTimeout: 30000 }, handleQuoteRequest);
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  log({ event: "listening", port, t_ns: String(now()) });
  writeFileSync(portFile, String(port));
});
function startRefreshSchedule() {
  refreshPriceCache();
  setInterval(refreshPriceCache, refreshEveryMs);
}
function shutDown() {
  log({ event: "exit", t_ns: String(now()) });
  process.exit(0);
}
setTimeout(startRefreshSchedule, firstRefreshMs);
setTimeout(shutDown, runSeconds * 1000);
