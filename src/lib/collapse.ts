// Folded stacks ("comm;outer;…;leaf COUNT" lines), exactly as FlameGraph's
// stackcollapse-perf.pl prints them, so every tool that reads folded stacks
// (flamegraph.pl, speedscope, inferno …) gets what it expects. Frame names follow the
// script's clean-up rules; unlike the script, no sample is lost at end of input.
import {accepts} from "./filter.js";
import {int32Column} from "./growable.js";
import {StringTable} from "./intern.js";
import {KIND, type Profile} from "./profile.js";
import {StackTrie} from "./stack-trie.js";
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

export type CollapseSummary = Omit<CollapseResult, "lines">;

/** Folded stacks of a whole profile, as stackcollapse-perf.pl folds them (every sample
 * of one event, idle ones too), or of the samples of a sample view. */
export function collapse(source: Profile | SampleView, options: CollapseOptions = {}): CollapseResult {
  const lines: string[] = [];
  // Each depth's text, built as the walk goes down.
  const texts: string[] = [];
  const summary = foldStacks(source, options, (segments) => ({
    down(depth, segment) {
      texts[depth] = depth === 0 ? segments[segment] : `${texts[depth - 1]};${segments[segment]}`;
    },
    line(depth, segment, count) {
      lines.push(`${depth === 0 ? segments[segment] : `${texts[depth - 1]};${segments[segment]}`} ${count}`);
    },
  }));
  return {lines, ...summary};
}

/** Bytes of folded text `writeCollapsed` gathers before handing them on. */
const WRITE_CHUNK = 1 << 20;
const SEMICOLON = 59, SPACE = 32, NEWLINE = 10;

/** `collapse`'s lines as UTF-8 text, newline-terminated, handed to `write` in pieces
 * of at most WRITE_CHUNK bytes (or one line, when longer) in order. The text is
 * copied from each segment's bytes into one buffer, which `write` must use before it
 * returns (it is reused); no line is ever a string, and the whole text never exists
 * at once. */
export function writeCollapsed(source: Profile | SampleView, options: CollapseOptions, write: (bytes: Uint8Array) => void): CollapseSummary {
  const encoder = new TextEncoder();
  let out = new Uint8Array(WRITE_CHUNK), used = 0;
  /** The text of the current path, and where each depth's text ends in it. */
  let path = new Uint8Array(4096);
  const pathEnd: number[] = [];
  let segmentBytes: Uint8Array[] = [];
  const room = (buf: Uint8Array<ArrayBuffer>, length: number, needed: number): Uint8Array<ArrayBuffer> => {
    if (needed <= buf.length) return buf;
    const bigger = new Uint8Array(Math.max(needed, buf.length * 2));
    bigger.set(buf.subarray(0, length));
    return bigger;
  };
  const summary = foldStacks(source, options, (segments) => {
    segmentBytes = segments.map((text) => encoder.encode(text));
    return {
      down(depth, segment) {
        const bytes = segmentBytes[segment];
        let end = depth === 0 ? 0 : pathEnd[depth - 1];
        path = room(path, end, end + 1 + bytes.length);
        if (depth > 0) path[end++] = SEMICOLON;
        path.set(bytes, end);
        pathEnd[depth] = end + bytes.length;
      },
      line(depth, segment, count) {
        const bytes = segmentBytes[segment], countText = String(count);
        const prefix = depth === 0 ? 0 : pathEnd[depth - 1];
        const length = prefix + (depth > 0 ? 1 : 0) + bytes.length + 1 + countText.length + 1;
        if (used + length > out.length) {
          if (used > 0) write(out.subarray(0, used));
          used = 0;
          out = room(out, 0, length);
        }
        out.set(path.subarray(0, prefix), used);
        used += prefix;
        if (depth > 0) out[used++] = SEMICOLON;
        out.set(bytes, used);
        used += bytes.length;
        out[used++] = SPACE;
        // A count is a number's text: ASCII.
        for (let k = 0; k < countText.length; k++) out[used++] = countText.charCodeAt(k);
        out[used++] = NEWLINE;
      },
    };
  });
  if (used > 0) write(out.subarray(0, used));
  return summary;
}

/** The folded text of a view's samples (one line per stack, newline-terminated), as
 * `subsecond flamegraph --format folded` writes and the report site exports. Samples
 * recorded without call graphs fold as their one frame. */
export function foldedText(view: SampleView, options: Omit<CollapseOptions, "event" | "flat"> = {}): string {
  const {lines} = collapse(view, {...options, flat: true});
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** What a walk of the folded stacks tells, in byte order of their texts: `down` when
 * the walk enters the lines below a text (of `depth` + 1 segments, the last
 * `segment`), `line` for the line of such a text. A text of depth d + 1 continues the
 * one the last `down` at depth d - 1 entered. */
interface FoldedVisitor {
  down(depth: number, segment: number): void;
  line(depth: number, segment: number, count: number): void;
}

/** Folds the samples and walks the folded stacks with the visitor that `visitor`
 * makes for the segments' texts. */
function foldStacks(source: Profile | SampleView, options: CollapseOptions, visitor: (segments: string[]) => FoldedVisitor): CollapseSummary {
  const view = isSampleView(source) ? source : sampleView(source, null, {idle: "keep", filter: {event: options.event}});
  const {profile, ranges} = view;
  const {samples, threads, strings, stacks} = profile;
  const event = view.selector.event;
  if (event < 0) return {event: null, skipped: {otherEvents: 0, noCallchain: 0}};
  const skipped = {otherEvents: 0, noCallchain: 0};
  const flat = options.flat || profile.events[event].callchain;

  // Aggregate by (root label, stack). The label is the comm, or comm-pid[/tid].
  const labelIds = new Map<string, number>();
  const labels: string[] = [];
  const threadLabel = new Int32Array(threads.length).fill(-1);
  // Totals by (label, stack): a stack's first label in a dense column, since a stack
  // mostly belongs to one thread's comm; its other labels (e.g. --pid over a shared
  // stack) in a map.
  const stackLabel = new Int32Array(stacks.length).fill(-1);
  const stackTotal = new Float64Array(stacks.length);
  const otherTotals = new Map<number, number>();
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
      const stack = samples.stack[i];
      if (stackLabel[stack] < 0) stackLabel[stack] = label;
      if (stackLabel[stack] === label) {
        stackTotal[stack] += samples.weight[i];
      } else {
        const key = label * stacks.length + stack;
        otherTotals.set(key, (otherTotals.get(key) ?? 0) + samples.weight[i]);
      }
    }
  }

  const tree = new FoldedTree(profile, options, labels);
  for (let stack = 0; stack < stacks.length; stack++) {
    if (stackLabel[stack] >= 0) tree.add(stackLabel[stack], stack, stackTotal[stack]);
  }
  for (const [key, count] of otherTotals) {
    const stack = key % stacks.length;
    tree.add((key - stack) / stacks.length, stack, count);
  }
  tree.walk(visitor(tree.segments.strings));
  return {event: profile.events[event].name, skipped};
}

/** The folded texts of the (label, stack) pairs as a tree of their `;`-separated
 * segments (frame names, and the label's parts), each node the text of one line
 * prefix. Stacks whose texts are equal meet in one node, so nothing is merged by
 * comparing strings, and the lines come out in byte order from a walk of the tree
 * that sorts only each node's few children: no line's text is built until it is
 * written, and the common prefixes of deep stacks are never compared. */
class FoldedTree {
  private names: FoldedNames;
  /** Nodes: (parent node, segment id). */
  private trie: StackTrie;
  /** Segment texts by id. */
  readonly segments = new StringTable();
  /** Per frame: its segment id (-1: the frame is dropped, -2: not known yet), for
   * stacks under a java comm and others (names differ between the two). */
  private frameSegments: Int32Array[] = [];
  /** Per label: its node, and whether its comm starts with "java". */
  private labelNodes: Int32Array;
  private labelJava: Uint8Array;
  /** Per stack: the node of its text under label `memoLabel[stack]`. */
  private memoLabel: Int32Array;
  private memoNode: Int32Array;
  private counts = new Float64Array(1024);
  /** `add`'s stacks still to place, the leaf first. */
  private path = int32Column();

  constructor(private profile: Profile, options: CollapseOptions, labels: string[]) {
    this.names = new FoldedNames(profile, options);
    // Room for every stack's node (unwritten room costs no memory): growing by
    // doubling would copy millions of nodes on deep captures.
    this.trie = new StackTrie({capacity: profile.stacks.length + labels.length + 1});
    const frames = profile.frames.length;
    this.frameSegments = [new Int32Array(frames).fill(-2), new Int32Array(frames).fill(-2)];
    this.labelNodes = new Int32Array(labels.length);
    this.labelJava = new Uint8Array(labels.length);
    labels.forEach((text, l) => {
      // A comm may hold ';': its parts are segments of their own, as in the text.
      let node = -1;
      for (const part of text.split(";")) node = this.trie.intern(node, this.segments.id(part));
      this.labelNodes[l] = node;
      this.labelJava[l] = text.startsWith("java") ? 1 : 0;
    });
    this.memoLabel = new Int32Array(profile.stacks.length).fill(-1);
    this.memoNode = new Int32Array(profile.stacks.length);
  }

  /** Adds `count` to the line of `stack` under `label`. */
  add(label: number, stack: number, count: number): void {
    const {prefix, frame} = this.profile.stacks;
    const path = this.path;
    path.length = 0;
    let s = stack;
    while (s >= 0 && this.memoLabel[s] !== label) { path.push(s); s = prefix[s]; }
    let node = s >= 0 ? this.memoNode[s] : this.labelNodes[label];
    const java = this.labelJava[label];
    const segmentOf = this.frameSegments[java];
    for (let k = path.length - 1; k >= 0; k--) {
      const st = path.data[k];
      // The root (the comm's frame) is the label, already in `node`.
      if (prefix[st] >= 0) {
        const f = frame[st];
        let seg = segmentOf[f];
        if (seg === -2) {
          const name = this.names.frameName(f, java === 1);
          segmentOf[f] = seg = name === null ? -1 : this.segments.id(name);
        }
        if (seg >= 0) node = this.trie.intern(node, seg);
      }
      this.memoLabel[st] = label;
      this.memoNode[st] = node;
    }
    if (node >= this.counts.length) {
      const counts = new Float64Array(Math.max(node + 1, this.counts.length * 2));
      counts.set(this.counts);
      this.counts = counts;
    }
    this.counts[node] += count;
  }

  /** Walks the nodes in byte order of their texts: see FoldedVisitor. */
  walk(visitor: FoldedVisitor): void {
    const {prefix, frame: segment} = this.trie.columns();
    const n = prefix.length, counts = this.counts, segments = this.segments.strings;
    // Children per node (index n: the roots), as one array of runs.
    const start = new Int32Array(n + 2);
    for (let v = 0; v < n; v++) start[(prefix[v] < 0 ? n : prefix[v]) + 1]++;
    for (let v = 0; v <= n; v++) start[v + 1] += start[v];
    const children = new Int32Array(n), fill = start.slice(0, n + 1);
    for (let v = 0; v < n; v++) children[fill[prefix[v] < 0 ? n : prefix[v]]++] = v;
    // The lines of a node's subtree are its own text (when it has a count) and texts
    // that continue with ';'. A sibling's segment may begin with another's and go on
    // with a character before or after ';', so the order is that of the keys
    // "segment" (the line itself: item 2c) and "segment;" (the lines below: 2c + 1).
    const itemKey = (item: number) => segments[segment[item >> 1]] + (item & 1 ? ";" : "");
    // Depth first, iteratively (stacks can be deeper than the call stack allows): the
    // items still to visit, with their depths, the next one on top. Most nodes of deep
    // stacks have one child, whose items need no sorting nor an array of their own.
    const pending = int32Column(), depths = int32Column();
    const many: number[] = [];
    const pushItems = (v: number, depth: number) => {
      if (start[v + 1] - start[v] === 1) {
        const c = children[start[v]];
        if (start[c + 1] > start[c]) { pending.push(2 * c + 1); depths.push(depth); }
        if (counts[c] > 0) { pending.push(2 * c); depths.push(depth); }
        return;
      }
      many.length = 0;
      for (let k = start[v]; k < start[v + 1]; k++) {
        const c = children[k];
        if (counts[c] > 0) many.push(2 * c);
        if (start[c + 1] > start[c]) many.push(2 * c + 1);
      }
      if (many.length > 2 || (many.length === 2 && many[0] >> 1 !== many[1] >> 1)) {
        const keys = new Map(many.map((item) => [item, itemKey(item)]));
        many.sort((a, b) => compareBytes(keys.get(a)!, keys.get(b)!));
      }
      for (let k = many.length - 1; k >= 0; k--) { pending.push(many[k]); depths.push(depth); }
    };
    pushItems(n, 0);
    while (pending.length > 0) {
      const item = pending.data[--pending.length], depth = depths.data[--depths.length], c = item >> 1;
      if ((item & 1) === 0) {
        visitor.line(depth, segment[c], counts[c]);
      } else {
        visitor.down(depth, segment[c]);
        pushItems(c, depth + 1);
      }
    }
  }
}

function rootLabel(comm: string, pid: number, tid: number, o: CollapseOptions, verbatim: boolean): string {
  const p = pid < 0 ? "?" : String(pid);
  const text = o.tid ? `${comm}-${p}/${tid}` : o.pid ? `${comm}-${p}` : comm;
  // stackcollapse-perf.pl's rule for perf's comms; other formats' names are kept.
  return verbatim ? text.replaceAll(";", ":") : text.replaceAll(" ", "_");
}

/** stackcollapse-perf.pl's names of frames, memoized. */
class FoldedNames {
  private frameNames = new Map<number, string | null>();
  private kernel: boolean;
  private jit: boolean;
  /** Names from a format other than perf script text (V8's `(idle)`, `(anonymous)
   * file.js:3:9`) are the profiler's own, not C++ signatures: kept as they are. */
  private verbatim: boolean;

  constructor(private profile: Profile, private options: CollapseOptions) {
    this.verbatim = profile.header.fields.format !== undefined;
    this.kernel = !!(options.kernel || options.all);
    this.jit = !!(options.jit || options.all);
  }

  /** stackcollapse-perf.pl's name for a frame; null when it drops the frame. */
  frameName(f: number, javaRoot: boolean): string | null {
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
    let module = frames.module[f] < 0 ? "" : strings[frames.module[f]];
    const kind = frames.kind[f];
    if (this.verbatim) return name === "" ? " " : name.replaceAll(";", ":").replaceAll("\n", " ");
    if (module.endsWith(DELETED) && kind !== KIND.inlined) {
      // The script reads `sym (/x.so (deleted))` as the symbol "sym (/x.so" in the
      // module "deleted)" (its pattern takes the last " (" of the line), so the
      // symbol keeps a part of the path until the clean-up below cuts it at "(":
      // "[unknown] " (with its space). A frame without a symbol is then "(/x.so",
      // which the script skips.
      if (name === "") return null;
      name = `${name} (${module.slice(0, -DELETED.length)}`;
      module = "deleted)";
    }
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

/** perf's mark of a module whose file was deleted (or a memfd). */
const DELETED = " (deleted)";

/** stackcollapse-perf.pl's /\.\(.*\)\./ (a Go method such as net/http.(*Client).Do),
 * without the regex's quadratic backtracking on a long hostile name. */
function isGoMethod(name: string): boolean {
  const open = name.indexOf(".(");
  return open >= 0 && name.indexOf(").", open + 2) >= 0;
}

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
