// Fuzzing the parser with hostile input (issue 8): structurally valid `perf script`
// samples, written as perf prints them, then damaged in the ways a broken pipe, a bad
// disk or a hostile user damages them; plus random bytes. Every run must end quickly,
// never throw, and account for every sample it was given: kept, or skipped with a
// counted diagnostic, exactly as the generator predicts.
//
// Bounded for CI: FUZZ_RUNS runs per property (default 200), and at most FUZZ_TIME_MS
// per property (default 8000; fast-check then stops early, and passes). A failure
// prints fast-check's seed and path; replay it with FUZZ_SEED=<seed> (and
// FUZZ_PATH=<path>) npx vitest run test/lib/fuzz.test.ts. Longer hunts: FUZZ_RUNS=20000
// FUZZ_TIME_MS=60000.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {parsePerfScript, PerfScriptParser} from "../../src/lib/perf/parse.js";
import type {Profile} from "../../src/lib/profile.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_MS ?? 8000);
const SETTINGS = {
  numRuns: RUNS,
  ...(process.env.FUZZ_SEED ? {seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH} : {}),
  plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)],
};
/** The slowest a parse may be on any input here: 250 kB/s, and 5 s for small inputs
 * (a garbage collection on a busy machine has taken half a second), against the
 * 100+ MB/s of real captures: only a hang or a quadratic blow-up trips it. */
const MIN_BYTES_PER_MS = 250;
const MIN_LIMIT_MS = 5000;

const enc = new TextEncoder();

// ---- what perf prints --------------------------------------------------------------

// No comm ends in a number token ("Worker 3"): `Worker 3 100 cycles:` is ambiguous in
// perf's own format (comm "Worker", tid 3, period 100).
const COMMS = ["java", "swapper", "V8 WorkerThread", "a", "kworker/0:1H", "<img src=x>", "Ω-app", "Worker-3", "deadbeef"];
const EVENTS = ["cycles:ppp", "instructions", "cpu-clock", "sched:sched_switch", "cpu_core/cycles/", "cpu-clock:uhH"];
const SYMBOLS = ["main", "[unknown]", "Ljava/lang/Thread;::run", "std::function<int (int)>::operator()", "La;::a->Lb;::b", "net/http.(*Client).Do", "x y z", ""];
const MODULES = ["[kernel.kallsyms]", "/usr/lib/libc.so.6", "/tmp/perf-42.map", "[unknown]", "/lib/x.so (deleted)", "/opt/my app/lib.so"];

const BAD_TIMES = ["nan", "NaN", "inf", "-inf", "-5.0", "+1.5", "1e20", "1.5e3", "0x10", "12abc", "12.", ".5", "1.2.3", "5-4"];
const BAD_IDS = ["4194305", "2147483648", "4294967296", "99999999999999999999", "-7"];
const BAD_CPUS = ["[99999999999]", "[65536]", "[-1]", "[0x1]", "[ab]"];
const BAD_PERIODS = ["9007199254740993", "99999999999999999999", "1e20", "-5", "12abc"];
/** Seconds added to a time to make it far from the others (years). */
const FAR = 100_000_000_000;

/** How one sample is damaged: in a field of its event line (kept, counted), its
 * event line broken (lost, counted as a skipped line), or one of its frame lines. */
type Mutation =
  | {kind: "none" | "far-time" | "nul-event" | "no-event" | "nul-frame" | "utf8-frame"}
  | {kind: "bad-time" | "bad-pid" | "bad-cpu" | "bad-period"; text: string};

interface Frame {addr: bigint; symbol: string; offset: number | null; module: string}
interface Sample {
  comm: string;
  pid: number | null;
  tid: number;
  cpu: number | null;
  /** Seconds after the text's base second, and the fraction as printed. */
  time: {sec: number; frac: string} | null;
  period: number | null;
  event: string;
  /** Frames innermost first; `flat`: recorded without call graph, one frame on the
   * event line. */
  frames: Frame[];
  flat: boolean;
  trailingSpace: boolean;
  mutation: Mutation;
  /** Where in its line a NUL or invalid byte goes (a fraction of the line). */
  where: number;
}

const frameArb: fc.Arbitrary<Frame> = fc.record({
  addr: fc.bigInt({min: 0n, max: (1n << 64n) - 1n}),
  symbol: fc.constantFrom(...SYMBOLS),
  offset: fc.option(fc.nat(4096)),
  module: fc.constantFrom(...MODULES),
});

const badTime = fc.oneof(
  fc.constantFrom(...BAD_TIMES),
  fc.stringMatching(/^[1-9][0-9]{12,19}(\.[0-9]{6})?$/), // 13+ digits of seconds
  fc.stringMatching(/^[0-9]{1,6}\.[0-9]{10,15}$/), // 10+ digits of fraction
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {arbitrary: fc.constant({kind: "none"} as const), weight: 8},
  fc.record({kind: fc.constant("bad-time" as const), text: badTime}),
  fc.record({kind: fc.constant("bad-pid" as const), text: fc.constantFrom(...BAD_IDS)}),
  fc.record({kind: fc.constant("bad-cpu" as const), text: fc.constantFrom(...BAD_CPUS)}),
  fc.record({kind: fc.constant("bad-period" as const), text: fc.constantFrom(...BAD_PERIODS)}),
  fc.constantFrom({kind: "far-time"} as const, {kind: "nul-event"} as const, {kind: "no-event"} as const, {kind: "nul-frame"} as const, {kind: "utf8-frame"} as const),
);

/** A fraction in [0, 1), in millionths (fc.double would mostly give 0, 1 and tiny
 * values). */
const fraction = fc.integer({min: 0, max: 999_999}).map((n) => n / 1e6);
/** Sometimes a value, mostly none. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({arbitrary: fc.constant(null), weight: 2}, {arbitrary: arb, weight: 1});

const sampleArb: fc.Arbitrary<Sample> = fc.record({
  comm: fc.constantFrom(...COMMS),
  pid: fc.option(fc.nat(4_194_304)),
  tid: fc.nat(4_194_304),
  cpu: fc.option(fc.nat(255)),
  time: fc.option(fc.record({sec: fc.nat(1000), frac: fc.oneof(fc.stringMatching(/^[0-9]{6}$/), fc.stringMatching(/^[0-9]{9}$/))}), {freq: 8}),
  period: fc.option(fc.integer({min: 1, max: 1e9})),
  event: fc.constantFrom(...EVENTS),
  frames: fc.array(frameArb, {maxLength: 8}),
  flat: fc.boolean(),
  trailingSpace: fc.boolean(),
  mutation: mutationArb,
  where: fraction,
});

const caseArb = fc.record({
  base: fc.nat(10_000_000),
  samples: fc.array(sampleArb, {minLength: 1, maxLength: 25}),
  header: fc.boolean(),
  crlf: fc.boolean(),
  /** Swap line k with line k + 1 (of the whole text). */
  swap: sometimes(fc.nat()),
  /** Cut the input at this byte (a fraction of it). */
  cut: sometimes(fraction),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

// ---- writing it ---------------------------------------------------------------------

interface Line {bytes: Uint8Array; sample: number; event: boolean}

function frameText(f: Frame): string {
  return `${f.addr.toString(16)} ${f.symbol}${f.offset === null ? "" : `+0x${f.offset.toString(16)}`} (${f.module})`;
}

/** Inserts bytes into a line's text at a fraction of its length (after the first
 * character, so that a frame line keeps its indentation). */
function insert(text: string, where: number, bytes: number[]): Uint8Array {
  const raw = enc.encode(text);
  const at = 1 + Math.floor(where * (raw.length - 1));
  return Uint8Array.from([...raw.subarray(0, at), ...bytes, ...raw.subarray(at)]);
}

/** The samples' mutations as they take effect: a flat sample has no frame line to
 * damage, a sample without a field has none to damage, and far times only where they
 * stay fewer than the other timed samples (the others then decide the origin). */
function effective(samples: Sample[]): Mutation[] {
  const muts = samples.map((s): Mutation => {
    const m = s.mutation;
    if ((m.kind === "nul-frame" || m.kind === "utf8-frame") && (s.flat || s.frames.length === 0)) return {kind: "none"};
    if ((m.kind === "bad-time" || m.kind === "far-time") && s.time === null) return {kind: "none"};
    if (m.kind === "bad-cpu" && s.cpu === null) return {kind: "none"};
    if (m.kind === "bad-period" && s.period === null) return {kind: "none"};
    // Without its event name, the line of a comm such as "deadbeef" is a frame line
    // (address, symbol): inside a sample it is one, not a damaged line.
    if (m.kind === "no-event" && /^[0-9a-f]+$/.test(s.comm)) return {kind: "none"};
    return m;
  });
  const timed = (k: number) => samples[k].time !== null && muts[k].kind !== "bad-time" && muts[k].kind !== "far-time" && !lostByMutation(muts[k]);
  let normal = samples.filter((_, k) => timed(k)).length;
  for (let k = 0; k < muts.length; k++) {
    if (muts[k].kind !== "far-time") continue;
    if (normal > 0) normal--; // one far sample per normal one at most
    else muts[k] = {kind: "none"};
  }
  return muts;
}

function lostByMutation(m: Mutation): boolean {
  return m.kind === "nul-event" || m.kind === "no-event";
}

function eventLineText(s: Sample, m: Mutation, base: number): string {
  const id = (v: number, bad: boolean) => (bad ? (m as {text: string}).text : String(v));
  const badId = m.kind === "bad-pid";
  const ids = s.pid === null ? id(s.tid, badId) : `${id(s.pid, badId)}/${s.tid}`;
  const cpu = s.cpu === null ? "" : m.kind === "bad-cpu" ? `${m.text} ` : `[${String(s.cpu).padStart(3, "0")}] `;
  let time = "";
  if (s.time !== null) {
    const sec = base + s.time.sec + (m.kind === "far-time" ? FAR : 0);
    time = m.kind === "bad-time" ? `${m.text}: ` : `${sec}.${s.time.frac}: `;
  }
  const period = s.period === null ? "" : m.kind === "bad-period" ? `${m.text} ` : `${String(s.period).padStart(10)} `;
  const event = m.kind === "no-event" ? "" : ` ${s.event}:`;
  const flat = s.flat ? `  ${frameText(s.frames[0] ?? {addr: 0x7f01n, symbol: "main", offset: null, module: "/x"})}` : s.trailingSpace ? " " : "";
  return `${s.comm.padStart(16)} ${ids} ${cpu}${time}${period}${event}${flat}`;
}

function write(c: Case): {lines: Line[]; muts: Mutation[]} {
  const muts = effective(c.samples);
  const lines: Line[] = [];
  const text = (t: string, sample = -1, event = false) => lines.push({bytes: enc.encode(t), sample, event});
  if (c.header) {
    for (const h of ["# ========", "# captured on    : Sat Nov 21 10:41:03 2026", "# hostname : vm", "# nrcpus online : 2", "# ========", "#"]) text(h);
  }
  c.samples.forEach((s, k) => {
    const m = muts[k];
    const ev = eventLineText(s, m, c.base);
    if (m.kind === "nul-event") lines.push({bytes: insert(ev, s.where, [0]), sample: k, event: true});
    else text(ev, k, true);
    if (!s.flat) {
      // The damaged frame line, when there is one: the first.
      s.frames.forEach((f, i) => {
        const line = `\t${frameText(f).padStart(24)}`;
        if (i === 0 && m.kind === "nul-frame") lines.push({bytes: insert(line, s.where, [0]), sample: k, event: false});
        else if (i === 0 && m.kind === "utf8-frame") lines.push({bytes: insert(line, 0.5 + s.where / 4, [0xff, 0xfe]), sample: k, event: false});
        else text(line, k);
      });
    }
    text("");
  });
  if (c.swap !== null && lines.length > 1) {
    const k = c.swap % (lines.length - 1);
    [lines[k], lines[k + 1]] = [lines[k + 1], lines[k]];
  }
  return {lines, muts};
}

function join(lines: Line[], crlf: boolean): {bytes: Uint8Array; starts: number[]} {
  const nl = crlf ? [13, 10] : [10];
  const starts: number[] = [];
  let size = 0;
  for (const l of lines) size += l.bytes.length + nl.length;
  const bytes = new Uint8Array(size);
  let pos = 0;
  for (const l of lines) {
    starts.push(pos);
    bytes.set(l.bytes, pos);
    bytes.set(nl, pos + l.bytes.length);
    pos += l.bytes.length + nl.length;
  }
  return {bytes, starts};
}

// ---- what the parser must make of it ------------------------------------------------

interface Expected {
  kept: number;
  untimed: number;
  weight: number;
  "bad-time": number;
  "bad-pid": number;
  "bad-cpu": number;
  "bad-period": number;
  "far-time": number;
}

/** The profile's numbers when exactly the samples in `kept` are kept (each with all of
 * its event line: its fields and their damage). */
function expectation(c: Case, muts: Mutation[], kept: number[]): Expected {
  const e: Expected = {kept: kept.length, untimed: 0, weight: 0, "bad-time": 0, "bad-pid": 0, "bad-cpu": 0, "bad-period": 0, "far-time": 0};
  let normal = 0, far = 0;
  for (const k of kept) {
    const s = c.samples[k], m = muts[k];
    if (m.kind === "bad-time" || m.kind === "bad-pid" || m.kind === "bad-cpu" || m.kind === "bad-period") e[m.kind]++;
    if (m.kind === "far-time") far++;
    else if (s.time !== null && m.kind !== "bad-time") normal++;
    if (s.time === null || m.kind === "bad-time") e.untimed++;
    e.weight += s.period !== null && m.kind !== "bad-period" ? s.period : 1;
  }
  // The larger group of times decides; on a tie the earlier one (the normal times).
  const lost = far <= normal ? far : normal;
  e["far-time"] = lost;
  e.untimed += lost;
  return e;
}

function count(p: Profile, code: string): number {
  return p.diagnostics.entries.find((d) => d.code === code)?.count ?? 0;
}

function observed(p: Profile): Expected {
  let untimed = 0, weight = 0;
  for (let i = 0; i < p.samples.length; i++) {
    if (Number.isNaN(p.samples.time[i])) untimed++;
    weight += p.samples.weight[i];
  }
  return {
    kept: p.samples.length, untimed, weight,
    "bad-time": count(p, "bad-time"), "bad-pid": count(p, "bad-pid"), "bad-cpu": count(p, "bad-cpu"),
    "bad-period": count(p, "bad-period"), "far-time": count(p, "far-time"),
  };
}

/** Parses, and fails if the parse takes longer than its bytes allow (a hang). */
function timedParse(bytes: Uint8Array): Profile {
  const t0 = performance.now();
  const p = parsePerfScript(bytes);
  const ms = performance.now() - t0;
  expect(ms, `${bytes.length} bytes parsed in ${ms.toFixed(0)} ms`).toBeLessThan(Math.max(MIN_LIMIT_MS, bytes.length / MIN_BYTES_PER_MS));
  return p;
}

/** Every event name was written, or is the part before a ':' of one (an event line
 * cut right after that ':' at the end of the input). */
function knownEvent(name: string): boolean {
  return EVENTS.some((e) => e === name || e.startsWith(`${name}:`));
}

function checkConsistent(p: Profile): void {
  const n = p.samples.length;
  for (const col of [p.samples.time, p.samples.stack, p.samples.weight, p.samples.thread, p.samples.cpu, p.samples.event]) expect(col.length).toBe(n);
  for (let i = 0; i < n; i++) {
    expect(p.samples.stack[i]).toBeLessThan(p.stacks.length);
    expect(p.samples.thread[i]).toBeLessThan(p.threads.length);
    expect(p.samples.cpu[i]).toBeLessThanOrEqual(65_535);
    if (i > 0 && !Number.isNaN(p.samples.time[i])) expect(p.samples.time[i]).toBeGreaterThanOrEqual(p.samples.time[i - 1]);
    if (!Number.isNaN(p.samples.time[i])) expect(p.samples.time[i]).toBeLessThan(2 ** 53);
  }
  for (let s = 0; s < p.stacks.length; s++) expect(p.stacks.prefix[s]).toBeLessThan(s);
}

describe("fuzz: damaged perf script text", () => {
  it("every sample written is kept or counted, as predicted; never a throw or a hang", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const {lines, muts} = write(c);
        const {bytes, starts} = join(lines, c.crlf);
        const end = c.cut === null ? bytes.length : Math.floor(c.cut * bytes.length);
        const p = timedParse(bytes.subarray(0, end));
        // A few bytes cut from the start of a damaged text (" \0") may well be judged
        // binary: an eighth of them not text.
        if (end < 64 && p.diagnostics.entries.some((d) => d.code === "binary")) return;

        // Which samples the input still holds: an event line wholly before the cut is
        // there; the one the cut runs through may or may not be (cut right after its
        // event name it still reads as one); later ones are gone.
        const certain: number[] = [];
        let maybe = -1;
        lines.forEach((l, i) => {
          if (!l.event || lostByMutation(muts[l.sample])) return;
          const lineEnd = starts[i] + l.bytes.length + (c.crlf ? 2 : 1);
          if (lineEnd <= end) certain.push(l.sample);
          else if (starts[i] < end) maybe = l.sample;
        });
        const got = observed(p);
        expect(p.events.map((e) => e.name).filter((name) => !knownEvent(name))).toEqual([]);
        const options = [expectation(c, muts, certain)];
        if (maybe >= 0) options.push(expectation(c, muts, [...certain, maybe]));
        expect(options).toContainEqual(got);

        // Each sample missing is accounted for by a line counted as skipped.
        const written = lines.filter((l, i) => l.event && starts[i] < end).length;
        const skipped = ["unrecognized-line", "stray-frame", "binary-line", "truncated-line", "long-line"].reduce((sum, code) => sum + count(p, code), 0);
        expect(written - p.samples.length).toBeLessThanOrEqual(skipped);
        expect(p.diagnostics.entries.filter((d) => d.severity === "error")).toEqual([]);
        checkConsistent(p);
      }),
      SETTINGS,
    );
  });

  it("chunk boundaries never change the result", () => {
    fc.assert(
      fc.property(caseArb, fc.array(fraction, {maxLength: 12}), (c, cuts) => {
        const {bytes} = join(write(c).lines, c.crlf);
        const whole = parsePerfScript(bytes);
        const parser = new PerfScriptParser();
        let pos = 0;
        for (const at of cuts.map((f) => Math.floor(f * bytes.length)).sort((a, b) => a - b)) {
          parser.push(bytes.subarray(pos, at));
          pos = Math.max(pos, at);
        }
        parser.push(bytes.subarray(pos));
        const p = parser.finish();
        for (const key of ["time", "stack", "weight", "thread", "cpu", "event"] as const) expect([...p.samples[key]]).toEqual([...whole.samples[key]]);
        expect(p.strings).toEqual(whole.strings);
        expect(p.origin).toBe(whole.origin);
        expect(p.header).toEqual(whole.header);
        expect(p.diagnostics).toEqual(whole.diagnostics);
      }),
      SETTINGS,
    );
  });
});

describe("fuzz: bytes that are not text", () => {
  it("random bytes never make a sample, a throw or a hang", () => {
    fc.assert(
      fc.property(fc.uint8Array({maxLength: 8192}), (b) => {
        expect(timedParse(b).samples.length).toBe(0);
      }),
      SETTINGS,
    );
  });

  it("binary junk among perf-like characters is refused whole", () => {
    // A quarter of the bytes not text (NUL, controls, invalid UTF-8), between bytes
    // that could make event and frame lines. (Without binary bytes, such characters
    // can spell a valid event line: ") 0 y:" is comm ")", tid 0, event "y".)
    const binaryByte = fc.constantFrom(0, 1, 8, 0x80, 0xc3, 0xfe, 0xff);
    const textByte = fc.constantFrom(...enc.encode(" \t\n0123456789:[]/.abcxyz()"));
    const junk = fc.array(fc.tuple(textByte, textByte, textByte, binaryByte), {minLength: 1, maxLength: 2048}).map((quads) => Uint8Array.from(quads.flat()));
    fc.assert(
      fc.property(junk, (b) => {
        const p = timedParse(b);
        expect(p.samples.length).toBe(0);
        expect(p.diagnostics.entries.map((d) => d.code)).toEqual(["binary"]);
      }),
      SETTINGS,
    );
  });
});

describe("adversarial inputs parse in linear time", () => {
  const MB = 2_000_000;

  it("distinct frame lines at one address (hash flooding) parse as fast as at distinct addresses", () => {
    const text = (address: (i: number) => string) => {
      let t = "";
      for (let i = 0; i < 30_000; i++) t += `a 1 [000] 1.${String(i).padStart(6, "0")}: c:\n\t${address(i)} f${i} (/x)\n\n`;
      return enc.encode(t);
    };
    const flood = text(() => "1"), spread = text((i) => (i + 1).toString(16).padStart(4, "0"));
    // The same work but for the addresses; the faster of three runs each, so that a
    // busy machine does not decide. Quadratic probing made the flood 20 times slower.
    const best = (bytes: Uint8Array) => Math.min(...[0, 1, 2].map(() => {
      const t0 = performance.now();
      expect(parsePerfScript(bytes).frames.length).toBe(30_001);
      return performance.now() - t0;
    }));
    const ratio = best(flood) / best(spread);
    expect(ratio, `flooded parse ${ratio.toFixed(1)}× slower`).toBeLessThan(4);
  });

  const cases: [string, () => string][] = [
    ["lines of many ':' tokens (event-name candidates)", () => `${"a 1 x: [000] 1.0: 5 ".repeat(12)}\n`.repeat(MB / 240)],
    ["long digit tokens in every field's place", () => `${"9".repeat(5000)} ${"9".repeat(5000)} [${"9".repeat(5000)}] ${"9".repeat(5000)}: ${"9".repeat(5000)} c:\n`.repeat(MB / 25_000)],
    ["a deep stack of one repeated frame line", () => `a 1 [000] 1.0: c:\n${"\t1 f (/x)\n".repeat(MB / 10)}`],
    ["distinct header keys", () => Array.from({length: MB / 20}, (_, i) => `# k${i} : v\n`).join("")],
  ];
  it.each(cases)("%s", (_, make) => {
    const bytes = enc.encode(make());
    const p = timedParse(bytes);
    expect(p.diagnostics.lines).toBeGreaterThan(0);
  });
});
