import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {describe, expect, it} from "vitest";
import {collapse} from "../../src/lib/collapse.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {readProfile} from "../../src/node/index.js";
import {budgetForMemory, BYTES_PER_SAMPLE} from "../../src/lib/perf/budget.js";
import {MAX_SPAN_SECONDS, parsePerfScript, PerfScriptParser} from "../../src/lib/perf/parse.js";
import {FRAME_KINDS, frameModule, frameName, perfTimeText, type Profile} from "../../src/lib/profile.js";

/** Root-to-leaf frame names of sample i, the comm first. */
function stackOf(p: Profile, i: number): string[] {
  const names: string[] = [];
  for (let s = p.samples.stack[i]; s >= 0; s = p.stacks.prefix[s]) names.unshift(frameName(p, p.stacks.frame[s]));
  return names;
}

function diag(p: Profile, code: string) {
  return p.diagnostics.entries.find((d) => d.code === code);
}

const SAMPLE = `java 25607 [000] 4589.373645:     250000 cpu-clock:ppp: 
\tffffffff8103ce3b native_safe_halt+0x1b ([kernel.kallsyms])
\t    7f8a1c0a5c5a Ljava/lang/Thread;::run+0x2a (/tmp/perf-25607.map)
\t    7f8a2c0a5c5a start_thread+0xd9 (/usr/lib/x86_64-linux-gnu/libc.so.6)

`;

describe("event lines", () => {
  it("reads comm, tid, cpu, time, period and event, and the frames innermost first", () => {
    const p = parsePerfScript(SAMPLE);
    expect(p.samples.length).toBe(1);
    expect(stackOf(p, 0)).toEqual(["java", "start_thread", "Ljava/lang/Thread;::run", "native_safe_halt"]);
    expect(p.threads.tid[0]).toBe(25607);
    expect(p.threads.pid[0]).toBe(-1);
    expect(p.samples.cpu[0]).toBe(0);
    expect(p.samples.weight[0]).toBe(250000);
    expect(p.events).toEqual([{name: "cpu-clock:ppp", callchain: true}]);
    expect(p.origin).toBe(4589);
    expect(p.samples.time[0]).toBe(373645000);
    expect(perfTimeText(p, p.samples.time[0])).toBe("4589.373645");
  });

  it.each([
    ["pid/tid", "java 24636/25607 [000] 4794564.109216: 1 cycles:", {comm: "java", pid: 24636, tid: 25607}],
    ["comm with spaces", "V8 WorkerThread 25607 4794564.109216: cycles:", {comm: "V8 WorkerThread", pid: -1, tid: 25607}],
    ["comm with spaces and digits", "Worker 3 1234/1240 [001] 10.5: 7 cycles:", {comm: "Worker 3", pid: 1234, tid: 1240}],
    ["no time", "func_ab 15294 cpu-clock:", {comm: "func_ab", pid: -1, tid: 15294}],
    ["padded comm", "      swapper     0 [002] 6035557.056977:   10101010 cpu-clock:", {comm: "swapper", pid: -1, tid: 0}],
    ["1-character comm", "a 7 [000] 1.000001: cycles:", {comm: "a", pid: -1, tid: 7}],
    ["colon in comm", "kworker/0:1H 77 [000] 1.000001: cycles:", {comm: "kworker/0:1H", pid: -1, tid: 77}],
  ])("%s", (_, line, want) => {
    const p = parsePerfScript(`${line}\n\tffffffff81000000 f ([kernel.kallsyms])\n\n`);
    expect(p.samples.length).toBe(1);
    const t = p.samples.thread[0];
    expect({comm: p.strings[p.threads.comm[t]], pid: p.threads.pid[t], tid: p.threads.tid[t]}).toEqual(want);
  });

  it.each([
    ["cycles:ppp", "cycles:ppp"],
    ["cpu_core/cycles/", "cpu_core/cycles/"],
    ["sched:sched_switch", "sched:sched_switch"],
    ["cpu-clock:uhH", "cpu-clock:uhH"],
  ])("event name %s", (event, want) => {
    const p = parsePerfScript(`perf 100 [001] 10.000001: 5 ${event}: prev_comm=perf prev_pid=100\n\t1 f (/x)\n\n`);
    expect(p.events.map((e) => e.name)).toEqual([want]);
    expect(p.samples.weight[0]).toBe(5);
  });

  it("keeps every event type, each sample tagged with its event", () => {
    const p = parsePerfScript(
      "a 1 [000] 1.0: 10 cycles:\n\t1 f (/x)\n\na 1 [000] 1.1: 20 instructions:\n\t1 g (/x)\n\na 1 [000] 1.2: 10 cycles:\n\t1 f (/x)\n",
    );
    expect(p.events.map((e) => e.name)).toEqual(["cycles", "instructions"]);
    expect([...p.samples.event]).toEqual([0, 1, 0]);
  });

  it("reads samples recorded without call graphs (frame on the event line)", () => {
    const p = parsePerfScript(
      "           false 39654 19115.489713:          1 cycles:u:  ffffffff9b201293 [unknown] ([unknown])\n" +
        "           false 39654 19115.489719:          1 cycles:      7fa68b1f2d84 _dl_start+0x4 (/usr/lib/ld-2.31.so)\n",
    );
    expect(p.samples.length).toBe(2);
    expect(stackOf(p, 1)).toEqual(["false", "_dl_start"]);
    expect(p.events.every((e) => !e.callchain)).toBe(true);
    expect(diag(p, "no-callchain")?.count).toBe(2);
  });

  it("skips side-band records and counts them", () => {
    const p = parsePerfScript("perf 1 [000] 1.0: PERF_RECORD_COMM: perf:1/1\n" + SAMPLE);
    expect(p.samples.length).toBe(1);
    expect(diag(p, "sideband")?.count).toBe(1);
  });
});

describe("frames", () => {
  const one = (frameLine: string) => {
    const p = parsePerfScript(`x 1 [000] 1.0: cycles:\n${frameLine}\n`);
    const f = p.stacks.frame[p.samples.stack[0]];
    return {name: frameName(p, f), module: frameModule(p, f), kind: FRAME_KINDS[p.frames.kind[f]], address: p.frames.address[f] < 0 ? null : p.strings[p.frames.address[f]], p};
  };

  it.each([
    ["\tffffffff81234 native_safe_halt+0x6 ([kernel.kallsyms])", {name: "native_safe_halt", module: "[kernel.kallsyms]", kind: "kernel"}],
    ["\t8c3453 tcp_sendmsg (/lib/modules/4.3.0-rc1-virtual/build/vmlinux)", {name: "tcp_sendmsg", module: "/lib/modules/4.3.0-rc1-virtual/build/vmlinux", kind: "kernel"}],
    ["\tffffffffc0 nf_hook ([nf_conntrack])", {name: "nf_hook", module: "[nf_conntrack]", kind: "kernel"}],
    ["\t7f01 foo+0x10 (/lib/foo.so (deleted))", {name: "foo", module: "/lib/foo.so (deleted)", kind: "user"}],
    ["\t7f01 bar (/opt/my app/lib.so)", {name: "bar", module: "/opt/my app/lib.so", kind: "user"}],
    ["\t7f01 std::vector<int, std::allocator<int> >::push_back(int const&) (/x)", {name: "std::vector<int, std::allocator<int> >::push_back(int const&)", module: "/x", kind: "user"}],
    ["\t7f01 Ljava/lang/String;::hashCode (/tmp/perf-123.map)", {name: "Ljava/lang/String;::hashCode", module: "/tmp/perf-123.map", kind: "jit"}],
    ["\t7f01 jitted_fn (/tmp/jitted-123-4.so)", {name: "jitted_fn", module: "/tmp/jitted-123-4.so", kind: "jit"}],
    ["\t7f01 helper (inlined)", {name: "helper", module: "inlined", kind: "inlined"}],
    ["\t7f01 __vdso_clock_gettime ([vdso])", {name: "__vdso_clock_gettime", module: "[vdso]", kind: "user"}],
    ["7f7241fbe6d8 arrayOopDesc::base(BasicType) const (/usr/lib/libjvm.so)", {name: "arrayOopDesc::base(BasicType) const", module: "/usr/lib/libjvm.so", kind: "user"}],
    ["\t7f1e2215d058  (/lib/libc-2.15.so)", {name: "", module: "/lib/libc-2.15.so", kind: "unknown"}],
  ])("%s", (line, want) => {
    const {name, module, kind} = one(line);
    expect({name, module, kind}).toEqual(want);
  });

  const unknowns = "x 1 [000] 1.0: c:\n\t7f01 [unknown] ([unknown])\n\nx 1 [000] 1.1: c:\n\t7f02 [unknown] ([unknown])\n\nx 1 [000] 1.2: c:\n\t7f01 [unknown] ([unknown])\n";

  it("merges [unknown] frames by default", () => {
    const p = parsePerfScript(unknowns);
    expect(new Set(p.samples.stack).size).toBe(1);
    expect(p.frames.address.every((a) => a === -1)).toBe(true);
  });

  it("tells [unknown] frames apart by address when asked", () => {
    const p = parsePerfScript(unknowns, {unknownAddresses: true});
    const frames = [0, 1, 2].map((i) => p.stacks.frame[p.samples.stack[i]]);
    expect(frames[0]).toBe(frames[2]);
    expect(frames[0]).not.toBe(frames[1]);
    expect(p.strings[p.frames.address[frames[1]]]).toBe("7f02");
    expect(FRAME_KINDS[p.frames.kind[frames[1]]]).toBe("unknown");
  });

  it("splits perf-map-agent inlined a->b->c frames, outermost first", () => {
    const p = parsePerfScript("java 1 [000] 1.0: c:\n\t7f01 La;::outer->Lb;::mid->Lc;::inner+0x4b (/tmp/perf-1.map)\n\t7f02 main (/x)\n");
    expect(stackOf(p, 0)).toEqual(["java", "main", "La;::outer", "Lb;::mid", "Lc;::inner"]);
    const kinds = [];
    for (let s = p.samples.stack[0]; s >= 0; s = p.stacks.prefix[s]) kinds.unshift(FRAME_KINDS[p.frames.kind[p.stacks.frame[s]]]);
    expect(kinds).toEqual(["process", "user", "jit", "inlined", "inlined"]);
  });

  it("does not split C++ operator->", () => {
    expect(one("\t7f01 std::unique_ptr<Foo>::operator-> (/x)").name).toBe("std::unique_ptr<Foo>::operator->");
  });

  it("interns frames and stacks: repeated samples share ids", () => {
    const p = parsePerfScript(SAMPLE.repeat(1000));
    expect(p.samples.length).toBe(1000);
    expect(p.stacks.length).toBe(4);
    expect(p.frames.length).toBe(4);
    expect(new Set(p.samples.stack).size).toBe(1);
  });

  it("reads frames at column 0 (old perf)", () => {
    const p = parsePerfScript("java 19983 cycles:\nffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])\n7f722d12e1d4 LBusy;::main (/tmp/perf-19982.map)\n\n");
    expect(stackOf(p, 0)).toEqual(["java", "LBusy;::main", "native_write_msr_safe"]);
  });
});

describe("time", () => {
  it("is exact: 5086.200000 is 200 ms past second 5086", () => {
    const p = parsePerfScript("a 1 [000] 5086.000001: c:\n\t1 f (/x)\n\na 1 [000] 5086.200000: c:\n\t1 f (/x)\n\n");
    expect(p.origin).toBe(5086);
    expect(p.samples.time[1]).toBe(200_000_000);
  });

  it("keeps nanosecond timestamps (perf script --ns)", () => {
    const p = parsePerfScript("a 1 [000] 12.123456789: c:\n\t1 f (/x)\n");
    expect(p.samples.time[0]).toBe(123_456_789);
    expect(perfTimeText(p, p.samples.time[0])).toBe("12.123456789");
  });

  it("is exact at large perf times", () => {
    const p = parsePerfScript("a 1 [000] 9876543.999999: c:\n\t1 f (/x)\n\na 1 [000] 9876544.000000: c:\n\t1 f (/x)\n");
    expect(p.origin).toBe(9876543);
    expect([...p.samples.time]).toEqual([999_999_000, 1_000_000_000]);
  });

  it("sorts out-of-order samples, takes the origin from the earliest, and says so", () => {
    const p = parsePerfScript("a 1 [000] 11.5: c:\n\t1 f (/x)\n\na 1 [000] 9.25: c:\n\t1 g (/x)\n\na 1 [000] 10.0: c:\n\t1 h (/x)\n");
    expect(p.origin).toBe(9);
    expect([...p.samples.time]).toEqual([250_000_000, 1_000_000_000, 2_500_000_000]);
    expect(stackOf(p, 0)).toEqual(["a", "g"]);
    expect(diag(p, "out-of-order")?.severity).toBe("info");
  });

  it("an integer last timestamp starts its own second", () => {
    const p = parsePerfScript("a 1 [000] 100.5: c:\n\t1 f (/x)\n\na 1 [000] 102.000000: c:\n\t1 f (/x)\n\na 1 [000] 103: c:\n\t1 f (/x)\n");
    expect([...p.samples.time]).toEqual([500_000_000, 2_000_000_000, 3_000_000_000]);
  });

  it("without timestamps the samples are kept and the gap is reported", () => {
    const p = parsePerfScript("func_ab 15294 cpu-clock:\n\t1 f (/x)\n\nfunc_ab 15294 cpu-clock:\n\t1 f (/x)\n");
    expect(p.samples.length).toBe(2);
    expect(p.origin).toBeNull();
    expect(Number.isNaN(p.samples.time[0])).toBe(true);
    expect(diag(p, "no-time")?.count).toBe(2);
    expect(diag(p, "no-time")?.message).toMatch(/-F \+time/);
  });
});

describe("header", () => {
  it("reads the perf script --header metadata and the reference time", () => {
    const p = parsePerfScript(`# ========
# captured on    : Sat Nov 21 10:41:03 2026
# hostname : vm
# os release : 6.18.44
# perf version : 6.1.187
# arch : x86_64
# nrcpus online : 2
# nrcpus avail : 4
# cpudesc : AMD EPYC
# cmdline : /usr/bin/perf record -F 49 -a -g -- sleep 120
# event : name = cpu-clock:ppp, , id = { 12, 13 }, type = 1
# reference time: 2026-11-21 10:41:06.078083 = 1795257666.078083 (TOD) = 94.769259593 (monotonic)
# ========
#
${SAMPLE}`);
    expect(p.header).toMatchObject({
      hostname: "vm", osRelease: "6.18.44", perfVersion: "6.1.187", arch: "x86_64", nrcpusOnline: 2, nrcpusAvail: 4,
      cpuDesc: "AMD EPYC", cmdline: "/usr/bin/perf record -F 49 -a -g -- sleep 120", capturedOn: "Sat Nov 21 10:41:03 2026",
      referenceTime: {epoch: 1795257666.078083, perf: 94.769259593},
    });
    expect(p.header.events).toEqual(["name = cpu-clock:ppp, , id = { 12, 13 }, type = 1"]);
    expect(p.samples.length).toBe(1);
    expect(p.diagnostics.entries).toEqual([]);
  });
});

describe("malformed input", () => {
  it("empty input: no samples, and a warning says so", () => {
    const p = parsePerfScript("");
    expect(p.samples.length).toBe(0);
    expect(p.origin).toBeNull();
    expect(p.diagnostics.entries).toEqual([{code: "no-samples", severity: "warning", message: "no samples: the input is empty", count: 1, lines: []}]);
  });

  it("only headers: no samples, and a warning says why", () => {
    const p = parsePerfScript("# ========\n# hostname : h\n# ========\n#\n");
    expect(p.samples.length).toBe(0);
    expect(p.header.hostname).toBe("h");
    expect(p.diagnostics.entries.map((d) => d.code)).toEqual(["no-samples"]);
    expect(diag(p, "no-samples")!.message).toBe("no samples: the input has only its header (4 `#` lines): perf recorded no samples, or perf script printed none");
  });

  it("only blank lines: no samples, and a warning says why", () => {
    expect(diag(parsePerfScript("\n \n\t\n"), "no-samples")!.message).toBe("no samples: the input has only blank lines");
  });

  it("text with no event line: no samples, and a warning names the first line", () => {
    const p = parsePerfScript("hello world\n\tffff f (/x)\n");
    expect(diag(p, "not-perf-script")).toMatchObject({severity: "warning", lines: [1], example: "hello world"});
  });

  it("a single sample without a final newline is kept", () => {
    const p = parsePerfScript("a 1 [000] 1.0: c:\n\t1 f (/x)");
    expect(p.samples.length).toBe(1);
    expect(stackOf(p, 0)).toEqual(["a", "f"]);
  });

  it("truncated in the middle of a frame line: the partial line is skipped, the sample kept, the truncation reported", () => {
    const p = parsePerfScript("a 1 [000] 1.0: c:\n\t1 leaf (/x)\n\t2 ro");
    expect(p.samples.length).toBe(1);
    expect(stackOf(p, 0)).toEqual(["a", "leaf"]);
    expect(diag(p, "truncated-line")).toMatchObject({count: 1, lines: [3]});
  });

  it("truncated in the middle of an event line: reported", () => {
    const p = parsePerfScript(SAMPLE + "java 25607 [000] 45");
    expect(p.samples.length).toBe(1);
    expect(diag(p, "truncated-line")?.lines).toEqual([6]);
  });

  it("CRLF line endings", () => {
    const p = parsePerfScript(SAMPLE.replaceAll("\n", "\r\n").repeat(2));
    expect(p.samples.length).toBe(2);
    expect(stackOf(p, 0)).toEqual(["java", "start_thread", "Ljava/lang/Thread;::run", "native_safe_halt"]);
    expect(diag(p, "crlf")).toBeDefined();
  });

  it("unrecognized lines are counted with line numbers and an example", () => {
    const p = parsePerfScript("inline-counter 26037  8801.193547:     250000 cpu-clock:uhH:\n\t          THIS_IS_A_WEIRD_LINE\n\t401b97 main+0x1f (./x)\n");
    expect(p.samples.length).toBe(1);
    expect(stackOf(p, 0)).toEqual(["inline-counter", "main"]);
    expect(diag(p, "unrecognized-line")).toMatchObject({count: 1, lines: [2], example: "\t          THIS_IS_A_WEIRD_LINE"});
  });

  it("frame lines after the blank line that ended their sample are stray, counted", () => {
    const p = parsePerfScript("java 10488  9962.502413:   10101010 cpu-clock:\n\n\tffffffffaee8017b fput+0xb ([kernel.kallsyms])\n\tffffffffaee7f61c ksys_write+0x9c ([kernel.kallsyms])\n");
    expect(p.samples.length).toBe(1);
    expect(stackOf(p, 0)).toEqual(["java"]);
    expect(diag(p, "stray-frame")).toMatchObject({count: 2, lines: [3, 4]});
  });

  it("binary junk is refused as a whole, never a throw", () => {
    const junk = new Uint8Array(5000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    const p = parsePerfScript(junk);
    expect(p.samples.length).toBe(0);
    expect(p.diagnostics.entries).toMatchObject([{code: "binary", severity: "error"}]);
  });

  it("a perf.data file is recognised and named", () => {
    const bytes = new TextEncoder().encode("PERFILE2\u0000\u0000\u0000\u0000binary");
    const p = parsePerfScript(bytes);
    expect(diag(p, "perf-data")).toMatchObject({severity: "error"});
    expect(diag(p, "perf-data")!.message).toMatch(/perf script --header -i/);
  });

  it("compressed bytes handed to the parser are an error, not junk", () => {
    const p = parsePerfScript(gzipSync(SAMPLE));
    expect(diag(p, "compressed")?.severity).toBe("error");
  });

  it("a 1 MB line is parsed; a longer one is skipped and counted", () => {
    const long = "x".repeat(1_000_000);
    const p = parsePerfScript(`a 1 [000] 1.0: c:\n\t1 ${long} (/x)\n\t2 g (/x)\n\na 1 [000] 1.1: c:\n\t1 ${long}${long} (/x)\n\t2 g (/x)\n`);
    expect(p.samples.length).toBe(2);
    expect(stackOf(p, 0)).toEqual(["a", "g", long]);
    expect(stackOf(p, 1)).toEqual(["a", "g"]);
    expect(diag(p, "long-line")).toMatchObject({count: 1, lines: [6]});
  });

  it("a too-long line split across many chunks is skipped once, and parsing resumes after it", () => {
    const parser = new PerfScriptParser({maxLineBytes: 100});
    const enc = new TextEncoder();
    parser.push(enc.encode("a 1 [000] 1.0: c:\n\t1 "));
    for (let i = 0; i < 50; i++) parser.push(enc.encode("y".repeat(10)));
    parser.push(enc.encode(" (/x)\n\t2 g (/x)\n\n"));
    parser.push(enc.encode(SAMPLE));
    const p = parser.finish();
    expect(p.samples.length).toBe(2);
    expect(stackOf(p, 0)).toEqual(["a", "g"]);
    expect(diag(p, "long-line")).toMatchObject({count: 1, lines: [2]});
    expect(p.diagnostics.lines).toBe(9);
  });

  it("gives the same profile whatever the chunk boundaries", () => {
    const text = new TextEncoder().encode(SAMPLE.repeat(3) + "a 1 [000] 4589.9: 1 c:\n\t1 f (/x)");
    const whole = parsePerfScript(text);
    for (const size of [1, 2, 3, 7, 64]) {
      const parser = new PerfScriptParser();
      for (let i = 0; i < text.length; i += size) parser.push(text.subarray(i, i + size));
      const p = parser.finish();
      expect([...p.samples.stack]).toEqual([...whole.samples.stack]);
      expect([...p.samples.time]).toEqual([...whole.samples.time]);
      expect(p.strings).toEqual(whole.strings);
    }
  });

  it("invalid UTF-8 is decoded with replacement characters and counted", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("a 1 [000] 1.0: c:\n\t1 f"), 0xff, 0xfe, ...new TextEncoder().encode(" (/x)\n")]);
    const p = parsePerfScript(bytes);
    expect(stackOf(p, 0)).toEqual(["a", "f\uFFFD\uFFFD"]);
    expect(diag(p, "invalid-utf8")?.count).toBe(1);
  });

  it("a sample with no frames is the comm alone", () => {
    const p = parsePerfScript("inline-counter 26037  8801.194312:     250000 cpu-clock:uhH:\n\n");
    expect(stackOf(p, 0)).toEqual(["inline-counter"]);
  });

  it("samples not separated by blank lines are split at each event line, and noted", () => {
    const p = parsePerfScript("a 1 [000] 1.0: c:\n\t1 f (/x)\na 1 [000] 1.1: c:\n\t1 g (/x)\n");
    expect(p.samples.length).toBe(2);
    expect(stackOf(p, 1)).toEqual(["a", "g"]);
    expect(diag(p, "unseparated")?.count).toBe(1);
  });

  it("whitespace-only lines end a sample", () => {
    const p = parsePerfScript("a 1 [000] 1.0: c:\n\t1 f (/x)\n   \t\na 1 [000] 1.1: c:\n\t1 g (/x)\n");
    expect(p.samples.length).toBe(2);
    expect(p.diagnostics.entries).toEqual([]);
  });
});

/** A sample of one frame, as perf prints it, with the event line given. */
function sampleWith(eventLine: string, frame = "main"): string {
  return `${eventLine}\n\t401000 ${frame}+0x1 (/usr/bin/app)\n\n`;
}
const GOOD = sampleWith("app 100 [000] 10.500000: 250000 cpu-clock:") + sampleWith("app 100 [001] 11.500000: 250000 cpu-clock:");

describe("malformed fields (issue 8, item 3)", () => {
  it.each(["nan:", "NaN:", "inf:", "-inf:", "-5.0:", "+5.0:", "1e20:", "1.5e3:", "1234567890123.5:", "1234567890123:", "12.1234567890:", "12.:", "1.2.3:", "5-4:", "0x10:", "12abc:", ".5:"])(
    "a bad time %s: the sample is kept untimed, the event name stays, the warning names the line",
    (bad) => {
      const p = parsePerfScript(sampleWith(`app 100 [000] ${bad} 250000 cpu-clock:`) + GOOD);
      expect(p.events.map((e) => e.name)).toEqual(["cpu-clock"]);
      expect(p.samples.length).toBe(3);
      expect(diag(p, "bad-time")).toMatchObject({severity: "warning", count: 1, lines: [1], example: `app 100 [000] ${bad} 250000 cpu-clock:`});
      expect(diag(p, "bad-time")!.message).toMatch(/kept without a time/);
      expect(diag(p, "no-time")).toBeUndefined();
      // The heat map counts the two good samples; collapse folds all three.
      expect(heatmap(p).samples).toBe(2);
      expect(p.origin).toBe(10);
      expect(collapse(p).lines).toEqual(["app;main 750000"]);
    },
  );

  it("a bad time without a period or CPU is not an event name either", () => {
    const p = parsePerfScript(sampleWith("app 100 nan: cycles:") + sampleWith("app 100 12.5: cycles:"));
    expect(p.events.map((e) => e.name)).toEqual(["cycles"]);
    expect(diag(p, "bad-time")?.count).toBe(1);
  });

  it.each([
    ["4194305", "pid beyond PID_MAX_LIMIT"],
    ["2147483648", "pid beyond the Int32 column"],
    ["99999999999999999999", "20 digits"],
    ["-7", "negative other than -1"],
  ])("a bad pid %s (%s): kept with the pid unknown, counted on every line", (bad) => {
    const p = parsePerfScript(sampleWith(`app ${bad}/100 [000] 10.5: 1 cycles:`) + sampleWith(`app ${bad}/100 [000] 10.6: 1 cycles:`));
    expect(p.samples.length).toBe(2);
    expect([...p.threads.pid]).toEqual([-1]);
    expect([...p.threads.tid]).toEqual([100]);
    expect(diag(p, "bad-pid")).toMatchObject({count: 2, lines: [1, 4]});
  });

  it("a bad tid: kept with the tid unknown; -1 and PID_MAX_LIMIT itself are fine", () => {
    const p = parsePerfScript(sampleWith("app 5/4294967297 [000] 10.5: 1 cycles:") + sampleWith("app -1/4194304 [000] 10.6: 1 cycles:"));
    expect([...p.threads.tid]).toEqual([-1, 4194304]);
    expect([...p.threads.pid]).toEqual([5, -1]);
    expect(diag(p, "bad-pid")?.count).toBe(1);
  });

  it.each(["[99999999999]", "[65536]", "[-1]", "[0x1]"])("a bad CPU %s: kept without a CPU (so no array is sized by it)", (bad) => {
    const p = parsePerfScript(sampleWith(`app 100 ${bad} 10.5: 1 cycles:`) + sampleWith("app 100 [65535] 10.6: 1 cycles:"));
    expect([...p.samples.cpu]).toEqual([-1, 65535]);
    expect(diag(p, "bad-cpu")).toMatchObject({count: 1, lines: [1]});
  });

  it.each(["9007199254740992", "9007199254740993", "99999999999999999999", "1e20", "-5", "12abc"])("a bad period %s: kept with weight 1", (bad) => {
    const p = parsePerfScript(sampleWith(`app 100 [000] 10.5: ${bad} cycles:`) + sampleWith("app 100 [000] 10.6: 9007199254740991 cycles:"));
    expect([...p.samples.weight]).toEqual([1, 2 ** 53 - 1]);
    expect(p.events.map((e) => e.name)).toEqual(["cycles"]);
    expect(diag(p, "bad-period")).toMatchObject({count: 1, lines: [1]});
  });

  it("a time years away from the rest is kept untimed: the heat map keeps its width", () => {
    const p = parsePerfScript(GOOD + sampleWith("app 100 [000] 999999999999.5: 1 cpu-clock:") + sampleWith("app 100 [000] 12.25: 1 cpu-clock:"));
    expect(p.samples.length).toBe(4);
    expect(p.origin).toBe(10);
    expect(heatmap(p).columns).toBe(3);
    expect(diag(p, "far-time")).toMatchObject({count: 1, lines: [7], example: "app 100 [000] 999999999999.5: 1 cpu-clock:"});
    expect(Number.isNaN(p.samples.time[3])).toBe(true);
  });

  it("when the first time is the far one, the others still decide the origin", () => {
    const p = parsePerfScript(sampleWith("app 100 [000] 999999999999.5: 1 cpu-clock:") + GOOD);
    expect(p.origin).toBe(10);
    expect([...p.samples.time.subarray(0, 2)]).toEqual([500_000_000, 1_500_000_000]);
    expect(diag(p, "far-time")).toMatchObject({count: 1, lines: [1]});
  });

  it("times up to 2^53 ns apart are kept, exact; a second more is far", () => {
    const last = 1000 + MAX_SPAN_SECONDS;
    const p = parsePerfScript(sampleWith("a 1 [000] 1000.000000001: c:") + sampleWith(`a 1 [000] ${last}.999999999: c:`));
    expect([...p.samples.time]).toEqual([1, MAX_SPAN_SECONDS * 1e9 + 999_999_999]);
    expect(diag(p, "far-time")).toBeUndefined();
    const q = parsePerfScript(sampleWith("a 1 [000] 1000.0: c:") + sampleWith(`a 1 [000] ${last + 1}.0: c:`) + sampleWith("a 1 [000] 1001.0: c:"));
    expect(diag(q, "far-time")?.count).toBe(1);
  });

  it("a line with NUL bytes is skipped and counted; the sample around it is kept", () => {
    const p = parsePerfScript("app 100 [000] 10.5: 1 cycles:\n\t401000 ma\u0000in (/x)\n\t401001 outer (/x)\n\n");
    expect(p.samples.length).toBe(1);
    expect(stackOf(p, 0)).toEqual(["app", "outer"]);
    expect(diag(p, "binary-line")).toMatchObject({count: 1, lines: [2], example: "\t401000 ma\uFFFDin (/x)"});
  });

  it("an event line whose padded comm looks like an address is not a frame, even right after a sample", () => {
    const p = parsePerfScript("               a 100 10.5: cycles:\n            cafe 101 10.6: cycles:\n\tffff f (/x)\n");
    expect(p.samples.length).toBe(2);
    expect(stackOf(p, 1)).toEqual(["cafe", "f"]);
  });

  it("a real `perf script -F comm,tid,time,event` capture of a process named cafe: every sample, as perf report counts", () => {
    // No frames, so no blank lines: each event line follows the previous sample, and
    // "            cafe 18441 …" reads as a frame line at address cafe.
    const dir = new URL("../fixtures/perf-fields/", import.meta.url).pathname;
    const p = parsePerfScript(readFileSync(join(dir, "hex-comm.perf")));
    const report = readFileSync(join(dir, "hex-comm.report-comm-n.txt"), "utf8");
    const perfCounts = new Map([...report.matchAll(/^\s+[\d.]+%\s+(\d+)\s+(\S+)\s*$/gm)].map((m) => [m[2], Number(m[1])]));
    const counts = new Map<string, number>();
    for (let i = 0; i < p.samples.length; i++) {
      const comm = p.strings[p.threads.comm[p.samples.thread[i]]];
      counts.set(comm, (counts.get(comm) ?? 0) + 1);
    }
    expect(perfCounts.get("cafe")).toBe(377);
    expect(counts).toEqual(perfCounts);
  });

  it("an event line cut by the end of the input is not a sample", () => {
    for (const cut of ["app 100 [000] 10.7: 1 cpu-cl", "app 100 [000] 10.7: 1 cycles:  7fa68b1f2d84 _dl_st"]) {
      const p = parsePerfScript(GOOD + cut);
      expect(p.samples.length, cut).toBe(2);
      expect(diag(p, "truncated-line")?.lines).toEqual([7]);
    }
  });
});

describe("inputs that are not perf script text (issue 8, item 8)", () => {
  it("random bytes are refused whole: never a sample", () => {
    let seed = 1;
    const bytes = Uint8Array.from({length: 100_000}, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const p = parsePerfScript(bytes);
    expect(p.samples.length).toBe(0);
    expect(p.diagnostics.entries.map((d) => [d.code, d.severity])).toEqual([["binary", "error"]]);
  });

  it("a text with a few bad bytes is still text", () => {
    const text = new TextEncoder().encode(GOOD.repeat(20));
    text[30] = 0xff;
    expect(parsePerfScript(text).samples.length).toBe(40);
  });

  it("UTF-16 is named; a UTF-8 byte-order mark is skipped", () => {
    const utf16 = Buffer.from("\uFEFF" + GOOD, "utf16le");
    expect(diag(parsePerfScript(utf16), "utf16")?.severity).toBe("error");
    const bom = parsePerfScript("\uFEFF# hostname : h\n" + GOOD);
    expect(bom.samples.length).toBe(2);
    expect(bom.header.hostname).toBe("h");
  });

  it("is judged on the same bytes however the input is chunked", () => {
    const data = new TextEncoder().encode("PERFILE2\u0000\u0000binary");
    const parser = new PerfScriptParser();
    for (const byte of data) parser.push(Uint8Array.of(byte));
    expect(diag(parser.finish(), "perf-data")?.severity).toBe("error");
  });
});

describe("budgets (issue 8, item 4c)", () => {
  it("maxSamples: reading stops at the next sample's event line, with an error naming the line", () => {
    const parser = new PerfScriptParser({maxSamples: 2});
    parser.push(new TextEncoder().encode(GOOD + GOOD));
    const p = parser.finish();
    expect(parser.stopped).toBe(true);
    expect(p.samples.length).toBe(2);
    expect(diag(p, "sample-budget")).toMatchObject({severity: "error", lines: [7]});
    expect(diag(p, "sample-budget")!.message).toMatch(/sample budget of 2 samples \(--max-samples/);
  });

  it("a gzip bomb of tiny samples stops at the budget without inflating the rest", async () => {
    const tiny = "a 1 [000] 1.000001: c:\n\t1 f (/x)\n\n";
    const bomb = gzipSync(tiny.repeat(400_000), {level: 9});
    expect(bomb.length).toBeLessThan(tiny.length * 400_000 / 100);
    const path = join(mkdtempSync(join(tmpdir(), "subsecond-bomb-")), "bomb.perf.gz");
    writeFileSync(path, bomb);
    const p = await readProfile(path, {maxSamples: 1000});
    expect(p.samples.length).toBe(1000);
    expect(diag(p, "sample-budget")).toMatchObject({severity: "error", lines: [3001]});
    // Stopped within the first inflated chunks, not at the end of 13.6 MB.
    expect(p.diagnostics.bytes).toBeLessThan(tiny.length * 400_000 / 4);
  });

  it("maxTableBytes: a sample of a million distinct frame lines stops with an error", () => {
    let text = "app 1 [000] 1.0: c:\n";
    for (let i = 0; i < 200_000; i++) text += `\t${i.toString(16)} f${i} (/x)\n`;
    const p = parsePerfScript(text, {maxTableBytes: 8 << 20});
    expect(p.samples.length).toBe(0);
    expect(diag(p, "table-budget")).toMatchObject({severity: "error"});
    expect(diag(p, "table-budget")!.lines[0]).toBeLessThan(200_000);
  });

  it("maxTableBytes: a sample of one frame line repeated a million times is as many stacks, and stops too", () => {
    const text = "app 1 [000] 1.0: c:\n" + "\t1 f (/x)\n".repeat(1_000_000);
    const p = parsePerfScript(text, {maxTableBytes: 8 << 20});
    expect(diag(p, "table-budget")?.severity).toBe("error");
    expect(p.stacks.length).toBeLessThan(200_000);
  });

  it("defaults: half the memory for samples, at most half the heap for the tables", () => {
    expect(budgetForMemory(16 * 2 ** 30, 4 * 2 ** 30)).toEqual({maxSamples: Math.floor(8 * 2 ** 30 / BYTES_PER_SAMPLE), maxTableBytes: 2 * 2 ** 30});
    expect(budgetForMemory(2 * 2 ** 30, 4 * 2 ** 30).maxTableBytes).toBe(2 ** 29);
  });
});
