// order-pricing: a single-threaded JS CPU loop with named functions, for the
// node-jit fixture. Parses order lines (parseOrder), prices baskets
// (priceBasket -> applyVolumeDiscount), and summarises them (summariseBatch).
//
// Usage: node --perf-basic-prof --interpreted-frames-native-stack order-pricing.mjs SECONDS [LOGFILE]
// Log lines are JSON with t_ns = process.hrtime.bigint() (CLOCK_MONOTONIC).
import { writeFileSync, appendFileSync } from "node:fs";

const seconds = Number(process.argv[2] ?? 2.5);
// Renames the main thread (its comm in perf) from "node": samples taken during
// startup still say "node", later ones "order-pricing".
process.title = "order-pricing";
const logFile = process.argv[3];
const log = (event, extra = {}) => {
  if (!logFile) return;
  appendFileSync(logFile, JSON.stringify({ event, pid: process.pid, t_ns: String(process.hrtime.bigint()), ...extra }) + "\n");
};
if (logFile) writeFileSync(logFile, "");

const SKUS = Array.from({ length: 500 }, (_, i) => `SKU-${(i * 7919) % 100000}`);
const PRICES = new Map(SKUS.map((sku, i) => [sku, 1 + ((i * 37) % 250) / 3]));

let seed = 12345;
function nextRandom() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}

function makeOrderLine(id) {
  const items = [];
  const n = 1 + Math.floor(nextRandom() * 8);
  for (let i = 0; i < n; i++) {
    items.push(`${SKUS[Math.floor(nextRandom() * SKUS.length)]}x${1 + Math.floor(nextRandom() * 5)}`);
  }
  return `order=${id};customer=C${Math.floor(nextRandom() * 1000)};items=${items.join(",")};coupon=${nextRandom() < 0.2 ? "SPRING" : ""}`;
}

function parseOrder(line) {
  const order = { id: 0, customer: "", items: [], coupon: null };
  for (const field of line.split(";")) {
    const eq = field.indexOf("=");
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (key === "order") order.id = Number(value);
    else if (key === "customer") order.customer = value;
    else if (key === "coupon") order.coupon = value || null;
    else if (key === "items") {
      for (const item of value.split(",")) {
        const x = item.lastIndexOf("x");
        order.items.push({ sku: item.slice(0, x), qty: Number(item.slice(x + 1)) });
      }
    }
  }
  return order;
}

function applyVolumeDiscount(subtotal, units) {
  let rate = 0;
  for (let tier = 1; tier <= 40; tier++) {
    if (units * 3 + tier > 20) rate = Math.min(0.3, rate + Math.log1p(tier) / 400);
  }
  return subtotal * (1 - rate);
}

// Big enough (> 460 bytes of bytecode) that TurboFan never inlines it into its
// caller, so it keeps a frame of its own (applyVolumeDiscount does get inlined).
function priceBasket(order) {
  let subtotal = 0;
  let units = 0;
  let tax = 0;
  let heavyItems = 0;
  for (const { sku, qty } of order.items) {
    const unit = PRICES.get(sku) ?? 0;
    // a little floating-point work per line, like tax/currency rounding
    let line = unit * qty;
    for (let k = 0; k < 20; k++) line = Math.round(line * 100 + Math.sin(k + qty) * 1e-3) / 100;
    const digit = sku.charCodeAt(sku.length - 1) - 48;
    let rate;
    switch (digit % 4) {
      case 0: rate = 0.2; break;
      case 1: rate = 0.1; break;
      case 2: rate = 0.055; break;
      default: rate = 0;
    }
    tax += Math.round(line * rate * 100) / 100;
    if (digit >= 7) heavyItems += qty;
    subtotal += line;
    units += qty;
  }
  let total = applyVolumeDiscount(subtotal, units);
  if (order.coupon === "SPRING") total *= 0.9;
  const shipping = subtotal > 100 ? 0 : 4.99 + Math.max(0, heavyItems - 2) * 1.5;
  const grand = total + tax + shipping;
  return {
    id: order.id,
    customer: order.customer,
    subtotal: Math.round(subtotal * 100) / 100,
    tax: Math.round(tax * 100) / 100,
    shipping: Math.round(shipping * 100) / 100,
    total: Math.round(grand * 100) / 100,
  };
}

function summariseBatch(quotes) {
  const byCustomer = new Map();
  for (const q of quotes) byCustomer.set(q.customer, (byCustomer.get(q.customer) ?? 0) + q.total);
  let best = "";
  let bestTotal = -1;
  for (const [c, t] of byCustomer) if (t > bestTotal) { best = c; bestTotal = t; }
  return { customers: byCustomer.size, best, bestTotal };
}

function runPricingBatch(batch) {
  const lines = [];
  for (let i = 0; i < 200; i++) lines.push(makeOrderLine(batch * 200 + i));
  const quotes = lines.map((l) => priceBasket(parseOrder(l)));
  return summariseBatch(quotes);
}

// Run from a timer callback rather than module top level: stacks then start at
// the event loop (uv_run -> timers) instead of ~40 frames of ESM evaluation.
function runPricingLoop() {
  log("start");
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let batches = 0;
  let checksum = 0;
  while (process.hrtime.bigint() < deadline) {
    checksum += runPricingBatch(batches++).bestTotal;
  }
  log("end", { batches, checksum });
  console.log(`order-pricing: ${batches} batches, checksum ${checksum.toFixed(2)}`);
}

setTimeout(runPricingLoop, 0);
