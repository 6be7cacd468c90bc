#!/usr/bin/env node
// episodes.mjs: a workload's own log -> the NAME.episodes.jsonl that scores the pattern
// detectors (src/lib/patterns/score.ts): one JSON line per episode,
// {"kind", "from_ns", "to_ns", "work"}, CLOCK_MONOTONIC ns (perf -k CLOCK_MONOTONIC),
// where `work` is a regular expression for the frame name (as subsecond prints it: "JS:~f
// file:…" for V8, "type Class.method(args)" for the JVM) whose samples show the episode's
// own work (an episode none of whose samples has it holds nothing to find).
//
// Usage:
//   node episodes.mjs global-lock global_lock.jsonl > NAME.episodes.jsonl
//   node episodes.mjs price-service price-service.jsonl > NAME.episodes.jsonl
//   node episodes.mjs request-churn request-churn.jsonl gc.log > NAME.episodes.jsonl
import {readFileSync} from "node:fs";

const jsonLines = (file) => readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
const line = (kind, from, to, work) => JSON.stringify({kind, from_ns: Number(from), to_ns: Number(to), work});

/** Span of the workload (kind "process": not an episode, kept for reference). */
const processLine = (from, to) => JSON.stringify({kind: "process", from_ns: Number(from), to_ns: Number(to)});

const FROM = {
  // One worker holds the global mutex (rebuild_index_holding_lock) while the other
  // three wait for it, off CPU: one thread alone on CPU.
  "global-lock"([log]) {
    const events = jsonLines(log);
    const start = events.find((e) => e.event === "process" && e.phase === "start");
    const end = events.find((e) => e.event === "process" && e.phase === "end");
    const out = [processLine(start.t_ns, end.t_ns)];
    for (const e of events) if (e.event === "lock_hold") out.push(line("single-threaded-blocking", e.acquired_ns, e.released_ns, "^rebuild_index_holding_lock$"));
    return out;
  },
  // refreshPriceCache() runs synchronously on the service's one JavaScript thread for
  // 0.3-1.3 s: a burst of one function (load-bursts; the service is one thread on CPU
  // all the time, so "one thread alone" is its norm, not an episode). The startup
  // refresh, before the load starts, is such a burst too.
  "price-service"([log]) {
    const events = jsonLines(log);
    const clock = events.find((e) => e.event === "clock");
    const exit = events.find((e) => e.event === "exit");
    const out = [processLine(clock.time_origin_ns, exit.t_ns)];
    for (const e of events) if (e.event === "refresh") out.push(line("load-bursts", e.start_ns, e.end_ns, "\\brefreshPriceCache\\b"));
    return out;
  },
  // RequestChurn in its latency mode with -Dchurn.systemGcEvery: the "cache-refresh"
  // thread rebuilds the price table holding its write lock while every worker waits for
  // the read lock (one thread alone on CPU), and G1 pauses (young ones copying the
  // large live session store, System.gc() full ones), every GC thread busy while the
  // application is stopped: perturbations. Pauses come from the GC log: its "tn"
  // decoration (System.nanoTime, CLOCK_MONOTONIC) at a pause's end, minus its duration;
  // only those of 100 ms or more are episodes (the perturbation detector's shortest:
  // see the README on pauses).
  "request-churn"([log, gcLog]) {
    const events = jsonLines(log);
    const start = events.find((e) => e.event === "warm");
    const end = events.find((e) => e.event === "end");
    const out = [processLine(start.t_ns, end.t_ns)];
    let refreshStart = null;
    for (const e of events) {
      if (e.event === "refresh_start") refreshStart = e.t_ns;
      if (e.event === "refresh_end" && refreshStart !== null) out.push(line("single-threaded-blocking", refreshStart, e.t_ns, "\\bRequestChurn\\.(refreshPriceCache|loadPriceSnapshot|indexPriceSnapshot)\\("));
    }
    for (const text of readFileSync(gcLog, "utf8").split("\n")) {
      // [<tn>ns][<un>ns][<tid>][gc] GC(<id>) Pause ... <heap> <duration>ms, logged at the
      // pause's end
      const m = /^\[(\d+)ns\]\[\d+ns\]\[\d+\]\[gc\s*\] GC\(\d+\) Pause .* ([\d.]+)ms$/.exec(text.trim());
      if (!m || Number(m[2]) < 100) continue;
      const endNs = Number(m[1]);
      out.push(line("perturbation", endNs - Math.round(Number(m[2]) * 1e6), endNs, "^G1"));
    }
    return out;
  },
};

const [from, ...logs] = process.argv.slice(2);
if (!FROM[from] || !logs.length) {
  console.error(`usage: episodes.mjs ${Object.keys(FROM).join("|")} LOG...`);
  process.exit(2);
}
process.stdout.write(FROM[from](logs).join("\n") + "\n");
