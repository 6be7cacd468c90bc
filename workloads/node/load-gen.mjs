// load-gen: steady keep-alive HTTP load for price-service (node:http only).
//
// Sends RATE requests per second (in 5 ms ticks) over a keep-alive agent with
// at most CONNECTIONS sockets. Requests that cannot get a socket wait in the
// agent's queue, so while the service is blocked (cache refresh) latency grows
// and the backlog drains in a burst afterwards.
//
// Usage: node --perf-basic-prof --interpreted-frames-native-stack load-gen.mjs \
//          PORTFILE LOGFILE SECONDS [RATE] [CONNECTIONS]
// Log: JSON lines, one per second: {"event":"tick","t_ns":..,"sent":..,"ok":..,"max_latency_ms":..}
import http from "node:http";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const [portFile, logFile, secondsArg, rateArg, connArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 40);
const rate = Number(rateArg ?? 400);
const connections = Number(connArg ?? 8);
const port = Number(readFileSync(portFile, "utf8"));

process.title = "load-gen";
writeFileSync(logFile, "");
const log = (obj) => appendFileSync(logFile, JSON.stringify({ pid: process.pid, ...obj }) + "\n");
const now = () => process.hrtime.bigint();

const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let rng = 99;
const rand = () => ((rng = (rng * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

let sent = 0;
let ok = 0;
let failed = 0;
let maxLatencyNs = 0n;

function buildQuotePath() {
  const n = 4 + Math.floor(rand() * 12);
  const skus = [];
  for (let i = 0; i < n; i++) skus.push(`SKU-${String(Math.floor(rand() * 100000)).padStart(6, "0")}`);
  return `/quote?skus=${skus.join(",")}&qty=${1 + Math.floor(rand() * 40)}`;
}

function sendQuoteRequest() {
  const t0 = now();
  sent++;
  const req = http.get({ host: "127.0.0.1", port, path: buildQuotePath(), agent }, (res) => {
    res.resume(); // drain the body
    res.on("end", () => {
      ok++;
      const lat = now() - t0;
      if (lat > maxLatencyNs) maxLatencyNs = lat;
    });
  });
  req.on("error", () => failed++);
}

const tickMs = 5;
let owed = 0;
const started = now();
const ticker = setInterval(() => {
  owed += (rate * tickMs) / 1000;
  while (owed >= 1) {
    sendQuoteRequest();
    owed--;
  }
}, tickMs);
const reporter = setInterval(() => {
  log({ event: "tick", t_ns: String(now()), sent, ok, failed, max_latency_ms: Number(maxLatencyNs) / 1e6 });
  maxLatencyNs = 0n;
}, 1000);
log({ event: "start", t_ns: String(started), rate, connections });
setTimeout(() => {
  clearInterval(ticker);
  clearInterval(reporter);
  log({ event: "end", t_ns: String(now()), sent, ok, failed });
  agent.destroy();
  process.exit(0);
}, seconds * 1000);
