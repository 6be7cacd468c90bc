// Folded stacks ("comm;outer;…;leaf COUNT" lines), exactly as FlameGraph's
// stackcollapse-perf.pl prints them, so every tool that reads folded stacks
// (flamegraph.pl, speedscope, inferno …) gets what it expects. Frame names follow the
// script's clean-up rules; unlike the script, no sample is lost at end of input.
import {accepts} from "./filter.js";
import {KIND, type Profile} from "./profile.js";
import {isSampleView, sampleView, type SampleView} from "./view.js";

export interface CollapseOptions {
  /** Root frame `comm-PID` (`comm-?` when perf printed no PID). */
  pid?: boolean;
  /** Root frame `comm-PID/TID`; wins over `pid`. */
  tid?: boolean;
  /** Append `_[k]` to kernel frames. */
  kernel?: boolean;
  /** Append `_[j]` to JIT frames from a perf-PID.map. */
  jit?: boolean;
  /** `kernel` and `jit`. */
  all?: boolean;
  /** Show `[unknown]` frames as `[MODULE <address>]` (the profile must be parsed
   * with `unknownAddresses`). */
  addrs?: boolean;
  /** Folding a whole profile: the event to fold (default the first in the input).
   * A sample view brings its own event. */
  event?: string;
  /** Also fold samples recorded without call graphs. stackcollapse-perf.pl skips
   * them (it does not recognise perf's padded one-line format), so the default does. */
  flat?: boolean;
}

export interface CollapseResult {
  /** Folded lines in byte order of the stack text, without newlines. */
  lines: string[];
  /** The event folded, or null when the input has no samples. */
  event: string | null;
  /** Samples not folded, by reason. */
  skipped: {otherEvents: number; noCallchain: number};
}

/** Folded stacks of a whole profile, as stackcollapse-perf.pl folds them (every sample
 * of one event, idle ones too), or of the samples of a sample view. */
export function collapse(source: Profile | SampleView, options: CollapseOptions = {}): CollapseResult {
  const view = isSampleView(source) ? source : sampleView(source, null, {idle: "keep", filter: {event: options.event}});
  const {profile, ranges} = view;
  const {samples, threads, strings, stacks} = profile;
  const event = view.selector.event;
  if (event < 0) return {lines: [], event: null, skipped: {otherEvents: 0, noCallchain: 0}};
  const names = new FoldedNames(profile, options);
  const skipped = {otherEvents: 0, noCallchain: 0};
  const flat = options.flat || profile.events[event].callchain;

  // Aggregate by (root label, stack). The label is the comm, or comm-pid[/tid].
  const labelIds = new Map<string, number>();
  const labels: string[] = [];
  const threadLabel = new Int32Array(threads.length).fill(-1);
  const totals = new Map<number, number>();
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++) {
      if (samples.event[i] !== event) { skipped.otherEvents++; continue; }
      if (!accepts(profile, view.selector, i)) continue;
      if (!flat) { skipped.noCallchain++; continue; }
      const t = samples.thread[i];
      let label = threadLabel[t];
      if (label < 0) {
        const text = rootLabel(strings[threads.comm[t]], threads.pid[t], threads.tid[t], options, profile.header.fields.format !== undefined);
        label = labelIds.get(text) ?? -1;
        if (label < 0) { label = labels.length; labels.push(text); labelIds.set(text, label); }
        threadLabel[t] = label;
      }
      const key = label * stacks.length + samples.stack[i];
      totals.set(key, (totals.get(key) ?? 0) + samples.weight[i]);
    }
  }

  const folded = new Map<string, number>();
  for (const [key, count] of totals) {
    const stack = key % stacks.length;
    const text = labels[(key - stack) / stacks.length] + names.suffix(stack);
    folded.set(text, (folded.get(text) ?? 0) + count);
  }
  const keys = [...folded.keys()];
  // Without surrogate pairs, UTF-16 order (the default sort) is byte order.
  if (keys.some((k) => SURROGATE.test(k))) keys.sort(compareBytes);
  else keys.sort();
  const lines = keys.map((k) => `${k} ${folded.get(k)}`);
  return {lines, event: profile.events[event].name, skipped};
}

/** The folded text of a view's samples (one line per stack, newline-terminated), as
 * `subsecond flamegraph --format folded` writes and the report site exports. Samples
 * recorded without call graphs fold as their one frame. */
export function foldedText(view: SampleView, options: Omit<CollapseOptions, "event" | "flat"> = {}): string {
  const {lines} = collapse(view, {...options, flat: true});
  return lines.length ? `${lines.join("\n")}\n` : "";
}

function rootLabel(comm: string, pid: number, tid: number, o: CollapseOptions, verbatim: boolean): string {
  const p = pid < 0 ? "?" : String(pid);
  const text = o.tid ? `${comm}-${p}/${tid}` : o.pid ? `${comm}-${p}` : comm;
  // stackcollapse-perf.pl's rule for perf's comms; other formats' names are kept.
  return verbatim ? text.replaceAll(";", ":") : text.replaceAll(" ", "_");
}

/** The folded text of stacks below their root, memoized per stack: ";outer;…;leaf". */
class FoldedNames {
  private suffixes: (string | undefined)[];
  private frameNames = new Map<number, string | null>();
  private kernel: boolean;
  private jit: boolean;
  /** Names from a format other than perf script text (V8's `(idle)`, `(anonymous)
   * file.js:3:9`) are the profiler's own, not C++ signatures: kept as they are. */
  private verbatim: boolean;

  constructor(private profile: Profile, private options: CollapseOptions) {
    this.suffixes = new Array(profile.stacks.length);
    this.verbatim = profile.header.fields.format !== undefined;
    this.kernel = !!(options.kernel || options.all);
    this.jit = !!(options.jit || options.all);
  }

  suffix(stack: number): string {
    // Iterative, so deep stacks cannot overflow the call stack.
    const {prefix, frame} = this.profile.stacks;
    const path: number[] = [];
    let s = stack;
    while (s >= 0 && this.suffixes[s] === undefined) { path.push(s); s = prefix[s]; }
    let text = s >= 0 ? this.suffixes[s]! : "";
    for (let k = path.length - 1; k >= 0; k--) {
      const st = path[k];
      if (prefix[st] >= 0) {
        const name = this.frameName(frame[st], this.javaRoot(st));
        if (name !== null) text += ";" + name;
      }
      this.suffixes[st] = text;
    }
    return text;
  }

  private javaRoot(stack: number): boolean {
    const {prefix, frame} = this.profile.stacks;
    let s = stack;
    while (prefix[s] >= 0) s = prefix[s];
    return this.profile.strings[this.profile.frames.name[frame[s]]].startsWith("java");
  }

  /** stackcollapse-perf.pl's name for a frame; null when it drops the frame. */
  private frameName(f: number, javaRoot: boolean): string | null {
    const memoKey = javaRoot ? -f - 1 : f;
    const memo = this.frameNames.get(memoKey);
    if (memo !== undefined) return memo;
    const name = this.computeName(f, javaRoot);
    this.frameNames.set(memoKey, name);
    return name;
  }

  private computeName(f: number, javaRoot: boolean): string | null {
    const {frames, strings} = this.profile;
    let name = strings[frames.name[f]];
    const module = frames.module[f] < 0 ? "" : strings[frames.module[f]];
    const kind = frames.kind[f];
    if (this.verbatim) return name === "" ? " " : name.replaceAll(";", ":").replaceAll("\n", " ");
    if (name.startsWith("(")) return null;
    if (name === "") return " ";
    if (name === "[unknown]") {
      const base = module === "" || module === "[unknown]" ? "unknown" : module.replace(/.*\//, "");
      const address = frames.address[f];
      name = this.options.addrs && address >= 0 ? `[${base} <${strings[address]}>]` : `[${base}]`;
    }
    name = name.replaceAll(";", ":");
    // Go method names such as net/http.(*Client).Do keep their parentheses; elsewhere
    // everything from the first "(" (argument lists) is noise.
    if (!isGoMethod(name)) name = name.replace(/\((?!anonymous namespace\)).*/, "");
    name = name.replace(/["']/g, "");
    if (javaRoot && name.includes("/")) name = name.replace(/^L/, "");
    if (kind === KIND.inlined && module !== "inlined") return name.includes("_[i]") ? name : name + "_[i]";
    if (this.kernel && (module.startsWith("[") || module.endsWith("vmlinux")) && !module.includes("unknown")) name += "_[k]";
    if (this.jit && /\/tmp\/perf-\d+\.map/.test(module) && !name.includes("_[j]")) name += "_[j]";
    return name;
  }
}

/** stackcollapse-perf.pl's /\.\(.*\)\./ (a Go method such as net/http.(*Client).Do),
 * without the regex's quadratic backtracking on a long hostile name. */
function isGoMethod(name: string): boolean {
  const open = name.indexOf(".(");
  return open >= 0 && name.indexOf(").", open + 2) >= 0;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Orders strings by their UTF-8 bytes (code point order), as Perl's `cmp` and
 * `LC_ALL=C sort` do; plain `<` orders by UTF-16 units, which differs above U+FFFF. */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (code points above U+FFFF) sort after U+E000–U+FFFF.
      if (x < 0xe000) x += 0x2000; else if (x < 0x10000) x -= 0x800;
      if (y < 0xe000) y += 0x2000; else if (y < 0x10000) y -= 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}
