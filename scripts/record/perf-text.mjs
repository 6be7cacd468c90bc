// perf-text.mjs: a minimal reader for `perf script` text, for the recording
// scripts' own checks (the real parser lives in src/). Reads plain or .gz files.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

export function readPerfText(file) {
  const buf = readFileSync(file);
  return (file.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
}

// "comm  tid [cpu] time: period event:" optionally followed by "ip sym+off (dso)"
// when there are no call chains. comm may contain spaces ("GC Thread#0"), and
// without call chains perf right-aligns it, so header lines can start with
// spaces; call-chain frame lines start with a tab.
const HEADER = /^\s*(.*?)\s+(\d+)(?:\/(\d+))?\s+\[(\d+)\]\s+(\d+\.\d+):\s+(?:(\d+)\s+)?(\S+):(?:\s+(.*))?$/;
const FRAME = /^\s+([0-9a-f]+)\s+(.*?)(?:\s+\((.*)\))?$/;

/** Parse samples: {comm, tid, cpu, time (seconds, number), timeText, event, frames: [{sym, dso}]} (leaf first). */
export function parseSamples(text) {
  const samples = [];
  let cur = null;
  for (const line of text.split("\n")) {
    if (line.length === 0 || line.startsWith("#")) {
      cur = null;
      continue;
    }
    if (!line.startsWith("\t")) {
      const m = HEADER.exec(line);
      if (!m) throw new Error(`unparsed sample header: ${line}`);
      cur = { comm: m[1].trim(), tid: Number(m[3] ?? m[2]), pid: m[3] ? Number(m[2]) : undefined, cpu: Number(m[4]), timeText: m[5], time: Number(m[5]), event: m[7], frames: [] };
      if (m[8]) {
        const f = FRAME.exec(" " + m[8]);
        if (f) cur.frames.push({ sym: f[2], dso: f[3] ?? "" });
      }
      samples.push(cur);
    } else if (cur) {
      const f = FRAME.exec(line);
      if (f) cur.frames.push({ sym: f[2], dso: f[3] ?? "" });
    }
  }
  return samples;
}

/** Seconds and nanoseconds (BigInt) of a sample time text like "1234.567890". */
export function timeTextToNs(t) {
  const [s, frac = ""] = t.split(".");
  return BigInt(s) * 1000000000n + BigInt((frac + "000000000").slice(0, 9));
}

/** The profile origin: the whole second at or before the earliest sample (ns, BigInt). */
export function originNs(samples) {
  let min = null;
  for (const s of samples) {
    const ns = timeTextToNs(s.timeText);
    if (min === null || ns < min) min = ns;
  }
  if (min === null) throw new Error("no samples");
  return (min / 1000000000n) * 1000000000n;
}
