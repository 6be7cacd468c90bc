import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {collapse} from "../../src/lib/collapse.js";
import {parsePerfScript, PerfScriptParser} from "../../src/lib/perf/parse.js";

const comm = fc.constantFrom("java", "swapper", "V8 WorkerThread", "a", "kworker/0:1", "<img src=x>", "Ω-app");
const event = fc.constantFrom("cycles:ppp", "instructions", "cpu-clock:", "sched:sched_switch", "cpu_core/cycles/");
const symbol = fc.constantFrom(
  "main", "[unknown]", "Ljava/lang/Thread;::run", "std::function<int (int)>::operator()", "a->b->c",
  "(anonymous namespace)::f", "net/http.(*Client).Do", "RegExp:[&<>\"']", "f;g", "", "x y z",
);
const module = fc.constantFrom("[kernel.kallsyms]", "/usr/lib/libc.so.6", "/tmp/perf-42.map", "[unknown]", "inlined", "/lib/x.so (deleted)");

const eventLine = fc
  .record({comm, pid: fc.nat(99999), tid: fc.nat(99999), cpu: fc.option(fc.nat(255)), sec: fc.nat(9_999_999), usec: fc.nat(999_999), period: fc.option(fc.integer({min: 1, max: 1e9})), event})
  .map(({comm, pid, tid, cpu, sec, usec, period, event}) =>
    `${comm} ${pid}/${tid} ${cpu === null ? "" : `[${String(cpu).padStart(3, "0")}] `}${sec}.${String(usec).padStart(6, "0")}: ${period ?? ""} ${event}:`);
const frameLine = fc
  .record({addr: fc.bigInt({min: 0n, max: (1n << 64n) - 1n}), symbol, offset: fc.option(fc.nat(4096)), module})
  .map(({addr, symbol, offset, module}) => `\t${addr.toString(16)} ${symbol}${offset === null ? "" : `+0x${offset.toString(16)}`} (${module})`);
const junkLine = fc.string({maxLength: 40});
const line = fc.oneof({arbitrary: eventLine, weight: 2}, {arbitrary: frameLine, weight: 6}, {arbitrary: fc.constant(""), weight: 2}, {arbitrary: junkLine, weight: 1});
const perfText = fc.array(line, {maxLength: 80}).map((lines) => lines.join("\n"));

/** Well-formed samples: event line, frames, blank line. */
const sampleText = fc.array(fc.tuple(eventLine, fc.array(frameLine, {maxLength: 8})), {minLength: 1, maxLength: 30})
  .map((samples) => samples.map(([ev, frames]) => [ev, ...frames, ""].join("\n")).join("\n"));

function foldedTotal(lines: string[]): number {
  return lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

describe("properties", () => {
  it("parsing arbitrary bytes never throws and terminates", () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 2000}), (bytes) => {
        const p = parsePerfScript(bytes);
        expect(p.samples.length).toBeGreaterThanOrEqual(0);
      }),
      {numRuns: 500},
    );
  });

  it("parsing arbitrary perf-like text never throws and keeps the sample columns consistent", () => {
    fc.assert(
      fc.property(perfText, (text) => {
        const p = parsePerfScript(text);
        const n = p.samples.length;
        for (const col of [p.samples.time, p.samples.stack, p.samples.weight, p.samples.thread, p.samples.cpu, p.samples.event]) expect(col.length).toBe(n);
        for (let i = 0; i < n; i++) {
          expect(p.samples.stack[i]).toBeLessThan(p.stacks.length);
          expect(p.samples.thread[i]).toBeLessThan(p.threads.length);
          if (i > 0 && !Number.isNaN(p.samples.time[i])) expect(p.samples.time[i]).toBeGreaterThanOrEqual(p.samples.time[i - 1]);
        }
        for (let s = 0; s < p.stacks.length; s++) expect(p.stacks.prefix[s]).toBeLessThan(s);
      }),
      {numRuns: 300},
    );
  });

  it("chunk boundaries never change the result", () => {
    fc.assert(
      fc.property(perfText, fc.array(fc.nat(200), {maxLength: 10}), (text, cuts) => {
        const bytes = new TextEncoder().encode(text);
        const whole = parsePerfScript(bytes);
        const parser = new PerfScriptParser();
        let pos = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          const at = Math.min(c, bytes.length);
          parser.push(bytes.subarray(pos, at));
          pos = Math.max(pos, at);
        }
        parser.push(bytes.subarray(pos));
        const p = parser.finish();
        expect([...p.samples.stack]).toEqual([...whole.samples.stack]);
        expect([...p.samples.weight]).toEqual([...whole.samples.weight]);
        expect(p.diagnostics).toEqual(whole.diagnostics);
      }),
      {numRuns: 300},
    );
  });

  it("every sample's stack is exactly the frames of its lines, whatever repeats (property)", () => {
    // Few distinct frames in random orders: lines recur in new neighbourhoods, which
    // exercises the parser's guess of the next line and its per-thread stack reuse.
    const frame = fc.constantFrom("main", "run", "loop", "work", "gc", "io", "[unknown]");
    const sample = fc.record({tid: fc.constantFrom(1, 2), stack: fc.array(frame, {maxLength: 8}), crlf: fc.boolean()});
    fc.assert(
      fc.property(fc.array(sample, {minLength: 1, maxLength: 25}), fc.boolean(), (samples, finalNewline) => {
        let text = samples
          .map((x, k) => {
            const lines = [`app ${x.tid} [000] 1.${String(k).padStart(6, "0")}: 1 cpu-clock:`, ...[...x.stack].reverse().map((f) => `\t${f.length.toString(16)} ${f}+0x${k % 2} (/lib/${f.length}.so)`)];
            return lines.join(x.crlf ? "\r\n" : "\n");
          })
          .join("\n\n");
        if (finalNewline) text += "\n";
        const p = parsePerfScript(text);
        expect(p.samples.length).toBe(samples.length);
        samples.forEach((x, i) => {
          const names: string[] = [];
          for (let st = p.samples.stack[i]; st >= 0; st = p.stacks.prefix[st]) names.unshift(p.strings[p.frames.name[p.stacks.frame[st]]]);
          expect(names).toEqual(["app", ...x.stack]);
        });
      }),
      {numRuns: 500},
    );
  });

  it("the folded counts sum to the weights of the folded event's samples", () => {
    fc.assert(
      fc.property(sampleText, fc.constantFrom({}, {pid: true}, {tid: true}, {all: true, addrs: true}), (text, options) => {
        const p = parsePerfScript(text);
        p.events.forEach((e, id) => {
          const result = collapse(p, {...options, event: e.name});
          let weight = 0;
          for (let i = 0; i < p.samples.length; i++) if (p.samples.event[i] === id) weight += p.samples.weight[i];
          expect(foldedTotal(result.lines)).toBe(weight);
        });
      }),
      {numRuns: 300},
    );
  });
});
