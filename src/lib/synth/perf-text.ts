// A plan as the text `perf script --header` prints for its recording: perf's header
// (host, command line, events, sample times, reference time) and every sample with its
// callchain, each function at a fixed address derived from its name.
import {hashString} from "../intern.js";
import {NS} from "../time.js";
import type {SynthOptions} from "./options.js";
import {synthPlan, workAt, type SynthPlan} from "./plan.js";
import {IDLE_BOOT, IDLE_SECONDARY, KERNEL, LIBC, SWAPPER, VDSO, type StackVariant, type SynthFrame} from "./programs.js";
import {Random} from "./random.js";

/** Wall-clock time (µs since the Unix epoch) of the recording's reference time. */
const REFERENCE_EPOCH_US = 1_795_257_666_078_083;
/** perf took its reference time this long before the first sample, ns. */
const REFERENCE_LEAD_NS = 3_104_217;

/** The text `perf script --header` prints for a recording of the pattern `name`. */
export function synthesize(name: string, options: SynthOptions = {}): string {
  return perfScriptText(synthPlan(name, options));
}

/** The plan as `perf script --header` prints its recording: samples of all CPUs in time
 * order, each with its callchain innermost first. */
export function perfScriptText(plan: SynthPlan): string {
  const {options: o, origin, periodNs, sampleTimes} = plan;
  const rng = new Random(o.seed, `${plan.pattern.name}/stacks`);
  const order: {time: number; cpu: number}[] = [];
  sampleTimes.forEach((times, cpu) => times.forEach((time) => order.push({time, cpu})));
  order.sort((a, b) => a.time - b.time || a.cpu - b.cpu);

  const period = String(periodNs).padStart(10);
  const body: string[] = [];
  let recordBytes = 0;
  for (const {time, cpu} of order) {
    const work = workAt(plan, cpu, time);
    const thread = work ? work.thread : SWAPPER;
    const act = work ? work.activity : cpu === 0 ? IDLE_BOOT : IDLE_SECONDARY;
    const stack = rng.weighted(act.stacks);
    const frames = renderedStack(stack);
    const leaf = stack.frames[stack.frames.length - 1];
    const leafOffset = stack.leafOffset ?? rng.int(functionSize(leaf));
    body.push(
      `${thread.comm} ${String(thread.tid).padStart(5)} [${String(cpu).padStart(3, "0")}] ${perfTime(origin, time).padStart(12)}: ${period} cpu-clock:ppp: \n` +
        `${frameLine(leaf, leafOffset)}${frames.callers}\n`,
    );
    // perf.data record size: header, ip, pid/tid, time, id, cpu, period, callchain.
    recordBytes += 64 + 8 * (stack.frames.length + 2);
  }
  const first = order.length ? order[0].time : 0;
  const last = order.length ? order[order.length - 1].time : 0;
  return headerText(plan, first, last, recordBytes) + body.join("");
}

/** `5086.000012` for ns since the origin (whole µs), as perf prints times. */
function perfTime(origin: number, ns: number): string {
  const second = Math.floor(ns / NS);
  return `${origin + second}.${String((ns - second * NS) / 1000).padStart(6, "0")}`;
}

function headerText(plan: SynthPlan, first: number, last: number, dataSize: number): string {
  const {options: o, origin} = plan;
  const cpuIds = (base: number) => `{ ${Array.from({length: o.cpus}, (_, i) => base + i).join(", ")} }`;
  const referenceNs = origin * NS + first - REFERENCE_LEAD_NS;
  const referenceText = `${Math.floor(referenceNs / NS)}.${String(referenceNs % NS).padStart(9, "0")}`;
  const endEpochMs = REFERENCE_EPOCH_US / 1000 + (last - first + REFERENCE_LEAD_NS) / 1e6;
  const dataOffset = 424 + 16 * o.cpus;
  const attr = `{ sample_period, sample_freq } = ${o.hz}, sample_type = IP|TID|TIME|CALLCHAIN|ID|CPU|PERIOD, read_format = ID|LOST`;
  return [
    "# ========",
    `# captured on    : ${ctime(endEpochMs)}`,
    "# header version : 1",
    `# data offset    : ${dataOffset}`,
    `# data size      : ${dataSize}`,
    `# feat offset    : ${dataOffset + dataSize}`,
    "# hostname : synth-01",
    "# os release : 6.8.0-49-generic",
    "# perf version : 6.8.12",
    "# arch : x86_64",
    `# nrcpus online : ${o.cpus}`,
    `# nrcpus avail : ${o.cpus}`,
    "# cpudesc : Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
    "# cpuid : GenuineIntel,6,106,6",
    "# total memory : 32386412 kB",
    `# cmdline : /usr/bin/perf record -F ${o.hz} -a -g -k CLOCK_MONOTONIC -- sleep ${Math.ceil(o.seconds)} `,
    `# event : name = cpu-clock:ppp, , id = ${cpuIds(12)}, type = 1, size = 128, ${attr}, disabled = 1, inherit = 1, freq = 1, precise_ip = 3, sample_id_all = 1, use_clockid = 1, clockid = 1`,
    `# event : name = dummy:HG, , id = ${cpuIds(12 + o.cpus)}, type = 1, size = 128, config = 0x9, ${attr}, inherit = 1, mmap = 1, comm = 1, freq = 1, task = 1, sample_id_all = 1, mmap2 = 1, comm_exec = 1, ksymbol = 1, bpf_event = 1, use_clockid = 1, clockid = 1`,
    "# CPU_TOPOLOGY info available, use -I to display",
    "# NUMA_TOPOLOGY info available, use -I to display",
    "# pmu mappings: cpu = 4, software = 1, power = 24, uprobe = 7, breakpoint = 5, tracepoint = 2, kprobe = 6, msr = 8",
    "# CACHE info available, use -I to display",
    `# time of first sample : ${perfTime(origin, first)}`,
    `# time of last sample : ${perfTime(origin, last)}`,
    `# sample duration : ${((last - first) / 1e6).toFixed(3).padStart(10)} ms`,
    "# MEM_TOPOLOGY info available, use -I to display",
    "# clockid frequency: 1000 MHz",
    "# clockid: monotonic (1)",
    `# reference time: ${isoLocal(REFERENCE_EPOCH_US)} = ${Math.floor(REFERENCE_EPOCH_US / 1e6)}.${String(REFERENCE_EPOCH_US % 1e6).padStart(6, "0")} (TOD) = ${referenceText} (monotonic)`,
    "# missing features: TRACING_DATA BRANCH_STACK GROUP_DESC AUXTRACE STAT DIR_FORMAT COMPRESSED CPU_PMU_CAPS HYBRID_TOPOLOGY PMU_CAPS ",
    "# ========",
    "#",
  ].join("\n") + "\n";
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** C's ctime() in UTC: `Sat Nov 21 10:41:03 2026`. */
function ctime(epochMs: number): string {
  const d = new Date(epochMs);
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${clock} ${d.getUTCFullYear()}`;
}

/** `2026-11-21 10:41:06.078083` (UTC) for µs since the epoch. */
function isoLocal(epochUs: number): string {
  const d = new Date(Math.floor(epochUs / 1000));
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${date} ${clock}.${String(epochUs % 1e6).padStart(6, "0")}`;
}

// Symbols: each function gets a fixed address and size in its module, derived from its
// name, so every sample of it prints the same address base.

/** Text ranges [start, size) of the modules; kernel addresses are below 0xffffffff…. */
const MODULE_TEXT: Record<string, [number, number]> = {
  [KERNEL]: [0x81000000, 0x01400000],
  [LIBC]: [0x28000, 0x1a0000],
  [VDSO]: [0x700, 0x600],
};
const APP_TEXT: [number, number] = [0x1100, 0x40000];

function functionStart({name, module}: SynthFrame): number {
  const [start, size] = MODULE_TEXT[module] ?? APP_TEXT;
  return start + ((hashString(`${module}\0${name}`) % size) & ~0xf);
}

function functionSize({name, module}: SynthFrame): number {
  return 0x40 + (hashString(`${module}\0${name}\0size`) % 0x500);
}

function frameLine(fn: SynthFrame, offset: number): string {
  const address = (functionStart(fn) + offset).toString(16);
  return `\t${(fn.module === KERNEL ? `ffffffff${address}` : address).padStart(16)} ${fn.name}+0x${offset.toString(16)} (${fn.module})\n`;
}

/** A stack's frame lines but the leaf's, innermost first: each caller's offset is its
 * call site of the next frame in, fixed per caller and callee. */
const renderedStacks = new WeakMap<StackVariant, {callers: string}>();
function renderedStack(stack: StackVariant): {callers: string} {
  let r = renderedStacks.get(stack);
  if (!r) {
    const {frames} = stack;
    let callers = "";
    for (let i = frames.length - 2; i >= 0; i--) {
      const size = functionSize(frames[i]);
      const callSite = 5 + (hashString(`${frames[i].name}>${frames[i + 1].name}`) % (size - 5));
      callers += frameLine(frames[i], callSite);
    }
    renderedStacks.set(stack, (r = {callers}));
  }
  return r;
}
