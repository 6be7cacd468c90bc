// Node.js / V8 `--trace-gc` output (standard output):
// `[PID:0xISOLATE]   129 ms: Scavenge 6.1 (6.2) -> 5.7 (7.2) MB, 3.66 / 0.00 ms  (…) allocation failure;`
// The time is milliseconds since the V8 isolate started: a relative clock, which only
// an explicit offset places on the profile's.
import {TrackBuilder, eachLine, type Track} from "./track.js";

// The collection's name is matched once, as an atomic group (`(?=(…))\3`): tried again
// with each fewer of its words, a line of thousands of capitalised words took seconds
// (quadratic). `s`: the rest of the line may hold U+2028 or CR without a retry.
const LINE = /^\[(\d+):0x[0-9a-fA-F]+\]\s+(\d+) ms: (?=([A-Z][A-Za-z-]*(?: [A-Z][A-Za-z-]*)*(?: \(reduce\))?))\3 (.*?), (\d+(?:\.\d+)?) \/ (\d+(?:\.\d+)?) ms\s*(.*)$/s;

export function isNodeTraceGc(start: string): boolean {
  return /^\[\d+:0x[0-9a-fA-F]+\]\s+\d+ ms: /m.test(start);
}

export function readNodeTraceGc(text: string, source: string): Track {
  const b = new TrackBuilder(source);
  b.resolution = 1e-3;
  const lines = eachLine(text, (line, n) => {
    if (line.trim() === "") return;
    const m = LINE.exec(line);
    if (!m) {
      // the application's own output shares the stream: count it, skip it
      return b.warn("track-line", n, line, "lines that are not --trace-gc lines (the program's own output?) were skipped");
    }
    const [, , ms, name, heap, pause, , rest] = m;
    // V8 prints the line when the collection ends, with that time (the recorded
    // fixture's lines trail the program's own GC start times by their pause, to the
    // whole ms printed): the pause began its duration earlier
    const reason = rest.replace(/\(average mu[^)]*\)\s*/, "").replace(/\(\+[^)]*\)\s*/, "").replace(/;\s*$/, "").trim();
    const kind = name.toLowerCase().replace(/ \(reduce\)$/, "").replace(/ /g, "-");
    b.event(n, (Number(ms) - Number(pause)) / 1e3, Number(pause) / 1e3, kind, name, [heap, reason].filter(Boolean).join(" · "));
  });
  return b.finish({format: "node-gc", clock: "relative", clockFrom: "--trace-gc's milliseconds since the V8 isolate started (no clock places it: give an offset)", lines, bytes: text.length});
}
