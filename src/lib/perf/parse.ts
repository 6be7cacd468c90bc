// Streaming parser of `perf script` text into the profile model.
//
// Bytes are pushed in chunks of any size; memory grows with samples and unique
// frames/stacks, never with the input size, and stays within the budgets of
// ./budget.ts. The hot path (callchain frame lines) hashes the line's bytes in place
// and looks them up in a table of lines already seen, so a frame's text is decoded and
// analysed once, however often it recurs.
//
// Input is untrusted: whatever the bytes, parsing ends, and every line it cannot use,
// every field it cannot read and every sample it drops is counted in the diagnostics.
import {MAX_SPAN_SECONDS, mainSpan, sortSamples} from "../builder.js";
import {ByteKeyTable, HASH_BASIS, StringTable, fnvStep, hashBytes} from "../intern.js";
import {KIND, type DiagnosticEntry, type EventInfo, type Profile, type ProfileHeader} from "../profile.js";
import {StackTrie} from "../stack-trie.js";
import {NS} from "../time.js";
import {DEFAULT_BUDGET, TABLE_COST} from "./budget.js";
import {DiagnosticCounter, type DiagnosticCode} from "./diagnostics.js";
import {framesOfText, type FrameText} from "./frames.js";
import {float64Column, int32Column} from "../growable.js";
import {addHeaderField, headerField} from "./header.js";

export interface ParseOptions {
  /** Name of what is parsed (a file name), for messages. */
  source?: string;
  /** Longer lines are skipped and counted (default 1 MiB). */
  maxLineBytes?: number;
  /** Keep the address of each `[unknown]` frame, making frames at different
   * addresses different frames (for `collapse --addrs`). Default off: unresolved
   * code in JIT-heavy profiles would otherwise multiply frames and stacks. */
  unknownAddresses?: boolean;
  /** Samples kept at most: reading stops, with an error diagnostic, at the event line
   * of the next one. Default DEFAULT_BUDGET's (22 M); `readProfile` derives it from
   * the machine's memory. */
  maxSamples?: number;
  /** Estimated bytes the stack, frame, thread, event and header tables may take
   * (TABLE_COST per entry plus its text): reading stops, with an error diagnostic,
   * beyond. Default DEFAULT_BUDGET's; `readProfile` derives it from the machine. */
  maxTableBytes?: number;
  /** The input's size in bytes, when known (a file's): tables are made that large
   * from the start instead of growing to it. Room never used costs no memory. */
  inputBytes?: number;
  /** The input is a piece of a larger text that starts right after one of its blank
   * lines, read with `finishPiece` and merged into the parser of the text before it
   * with `absorb` (parallel reading, src/node/parallel.ts): it is not sniffed, and its
   * samples keep their line numbers so that their time order can be judged there. */
  piece?: boolean;
}

/** What a parser read of one piece of a text (ParseOptions.piece): its tables with
 * the ids of its own first sights, and its samples in those ids. Plain data and typed
 * arrays, so that it can be posted from a worker thread. */
export interface ParsedPiece {
  strings: string[];
  frameName: Int32Array;
  frameModule: Int32Array;
  frameKind: Uint8Array;
  frameAddress: Int32Array;
  stackPrefix: Int32Array;
  stackFrame: Int32Array;
  threadPid: Int32Array;
  threadTid: Int32Array;
  threadComm: Int32Array;
  events: EventInfo[];
  /** Per sample: whole perf second (NaN: none), nanoseconds, stack, weight, thread,
   * CPU, event, and its event line's number within the piece. */
  second: Float64Array;
  nanos: Int32Array;
  stack: Int32Array;
  weight: Float64Array;
  thread: Int32Array;
  cpu: Int32Array;
  event: Int32Array;
  line: Int32Array;
  /** In the order of their first occurrence. */
  diagnostics: DiagnosticEntry[];
  header: ProfileHeader;
  commentLines: number;
  lines: number;
  bytes: number;
  /** Estimated table bytes besides stacks (see ParseOptions.maxTableBytes). */
  tableBytes: number;
  /** The most frames one sample had. */
  maxFrames: number;
  halted: boolean;
}

const NL = 10, CR = 13, SPACE = 32, TAB = 9, HASH = 35, COLON = 58, SLASH = 47, DOT = 46;
const PLUS = 43, MINUS = 45, RPAREN = 41;
const MAX_TOKENS = 64;
const MAX_SECONDS_DIGITS = 12;
const MAX_FRACTION_DIGITS = 9;
/** Linux's PID_MAX_LIMIT: no pid or tid is larger. */
const MAX_PID = 4_194_304;
/** Far above any kernel's NR_CPUS (8192), and small enough that arrays indexed by CPU
 * (filters, per-CPU tables) stay small. */
const MAX_CPU = 65_535;
/** Larger periods would not be exact in the weight column (doubles). */
const MAX_PERIOD = Number.MAX_SAFE_INTEGER;
/** Bytes at the start of the input that decide whether it is text at all. */
const SNIFF_BYTES = 1 << 16;
/** Lines of samples with far times remembered for the far-time diagnostic. */
const KEEP_FAR_LINES = 5;
/** A pid or tid that Linux cannot have. */
const BAD_ID = -2;
/** Input bytes per stack that the stack table makes room for at the start, when the
 * input's size is known: more than a frame line's bytes (about 40 or more), so that
 * captures whose every frame line makes a new stack rarely outgrow it. */
const BYTES_PER_STACK_ROOM = 32;
/** Initial frames of a sample's frame buffer (each thread keeps one). */
const FRAMES_CAPACITY = 32;

const utf8 = new TextDecoder("utf-8");
const strictUtf8 = new TextDecoder("utf-8", {fatal: true});

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
/** 1 for the bytes of hex digits. */
const HEX = new Uint8Array(256);
for (const c of "0123456789abcdefABCDEF") HEX[c.charCodeAt(0)] = 1;
function isHex(c: number): boolean {
  return HEX[c] === 1;
}

/** What the bytes at the start of an input are, when they are not perf script text. */
function sniffFormat(head: Uint8Array): DiagnosticCode | null {
  const startsWith = (...bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
  if (startsWith(0x50, 0x45, 0x52, 0x46, 0x49, 0x4c, 0x45, 0x32)) return "perf-data"; // "PERFILE2"
  if (startsWith(0x1f, 0x8b) || startsWith(0x28, 0xb5, 0x2f, 0xfd) || startsWith(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return "compressed"; // gzip, zstd, xz
  if (startsWith(0xff, 0xfe) || startsWith(0xfe, 0xff)) return "utf16";
  return binaryBytes(head) * 8 > head.length ? "binary" : null;
}

/** Characters that text does not have: NUL and control characters other than tab,
 * line and page breaks and escape, and U+FFFD, which decoding puts in place of each
 * invalid UTF-8 sequence. A regular expression over the decoded text, because a loop
 * over 64 KiB of bytes costs more than a small parse before the JIT compiles it. */
const NOT_TEXT = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f\uFFFD]/g;

function binaryBytes(head: Uint8Array): number {
  return utf8.decode(head).match(NOT_TEXT)?.length ?? 0;
}

/** A token that starts like a number (a digit, a point, or a sign before one) or is
 * nan/inf: `5086.2`, `-5.0`, `1e20`, `0x10`, `99999999999999999999`, `NaN`, well-formed
 * or not. perf's event names never start so. */
function numberShaped(buf: Uint8Array, s: number, e: number): boolean {
  let i = s;
  if (buf[i] === PLUS || buf[i] === MINUS) i++;
  if (i < e && (isDigit(buf[i]) || buf[i] === DOT)) return true;
  return isWord(buf, i, e, "nan") || isWord(buf, i, e, "inf") || isWord(buf, i, e, "infinity");
}

/** A token in the place of the time: number-shaped and ending in ':'. Never taken
 * for an event name, so a damaged time cannot become one. */
function timeShaped(buf: Uint8Array, s: number, e: number): boolean {
  return e - s >= 2 && buf[e - 1] === COLON && numberShaped(buf, s, e - 1);
}

/** perf's time, without its ':': `5086`, `5086.2`, `5086.200000`, `12.123456789`. */
function wellFormedTime(buf: Uint8Array, s: number, e: number): boolean {
  let i = s;
  while (i < e && i - s <= MAX_SECONDS_DIGITS && isDigit(buf[i])) i++;
  const intDigits = i - s;
  if (intDigits === 0 || intDigits > MAX_SECONDS_DIGITS) return false;
  if (i === e) return true;
  if (buf[i] !== DOT) return false;
  const f = ++i;
  while (i < e && i - f <= MAX_FRACTION_DIGITS && isDigit(buf[i])) i++;
  return i === e && i - f >= 1 && i - f <= MAX_FRACTION_DIGITS;
}

/** Case-insensitive: whether buf[s, e) is the lower-case ASCII word. */
function isWord(buf: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((buf[s + k] | 0x20) !== word.charCodeAt(k)) return false;
  return true;
}

function isDigits(buf: Uint8Array, s: number, e: number): boolean {
  if (s === e) return false;
  for (let i = s; i < e; i++) if (!isDigit(buf[i])) return false;
  return true;
}

/** The value of a run of decimal digits: exact below 2^53, and at least 2^53 for
 * larger runs, which is all callers check. */
function digitsValue(buf: Uint8Array, s: number, e: number): number {
  let v = 0;
  for (let i = s; i < e; i++) v = v * 10 + (buf[i] - 48);
  return v;
}

/** A pid or tid as perf prints it: -1 (unknown) or 0 … MAX_PID; else BAD_ID. */
function idValue(buf: Uint8Array, s: number, e: number): number {
  if (e - s === 2 && buf[s] === MINUS && buf[s + 1] === 49 /* 1 */) return -1;
  if (e - s > 7 || !isDigits(buf, s, e)) return BAD_ID;
  const v = digitsValue(buf, s, e);
  return v <= MAX_PID ? v : BAD_ID;
}

/** `123`, `-1`, `123/456`, `-1/-1`. */
function isTid(buf: Uint8Array, s: number, e: number): boolean {
  let digits = 0;
  for (let i = s; i < e; i++) {
    const c = buf[i];
    if (isDigit(c)) digits++;
    else if (c === SLASH) { if (digits === 0) return false; digits = 0; }
    else if (c !== MINUS || (i > s && buf[i - 1] !== SLASH)) return false;
  }
  return digits > 0;
}

/** `[001]`, or anything else in brackets in the CPU's place (a damaged CPU). */
function cpuShaped(buf: Uint8Array, s: number, e: number): boolean {
  return e - s >= 3 && buf[s] === 91 /* [ */ && buf[e - 1] === 93 /* ] */;
}

export {MAX_SPAN_SECONDS};

export class PerfScriptParser {
  private readonly source: string;
  private readonly maxLineBytes: number;
  private readonly unknownAddresses: boolean;
  private readonly maxSamples: number;
  private readonly maxTableBytes: number;
  private readonly diag = new DiagnosticCounter();
  /** Estimated bytes of the tables besides stacks (those are counted by number). */
  private tableBytes = 0;

  // Strings and frames.
  private readonly strings = new StringTable();
  private frameIds = new Map<string, number>();
  private frameName = int32Column();
  private frameModule = int32Column();
  private frameKind: number[] = [];
  private frameAddress = int32Column();
  /** Callchain line text (after the address) → one frame id (≥ 0) or a run (≤ -2). */
  private frameLines = new ByteKeyTable();
  /** Address + text → frame, for `[unknown]` frames when their addresses are kept. */
  private addressLines = new ByteKeyTable();
  /** Runs: the frames of one `a->b->c` line, or (length 0) the description of an
   * `[unknown]` frame, made per address. */
  private runStart: number[] = [];
  private runLength: number[] = [];
  private runFrames: number[] = [];
  private unknownFrames: FrameText[] = [];
  private readonly stacks: StackTrie;

  // Threads and events.
  private threadLines = new ByteKeyTable();
  private threadIds = new Map<string, number>();
  private threadPid = int32Column();
  private threadTid = int32Column();
  private threadComm = int32Column();
  private threadRootStack: number[] = [];
  /** Per thread, the previous sample's frames (innermost first) and the stack id at
   * each depth from the root: see internSampleStack. */
  private threadFrames: Int32Array[] = [];
  private threadStacks: Int32Array[] = [];
  private threadDepth: number[] = [];
  private eventLines = new ByteKeyTable();
  private events: EventInfo[] = [];

  // Samples. A time is kept as its whole perf second and nanoseconds until `build`
  // knows the main span and the origin.
  private sSecond = float64Column();
  private sNanos = int32Column();
  private sStack = int32Column();
  private sWeight = float64Column();
  private sThread = int32Column();
  private sCpu = int32Column();
  private sEvent = int32Column();
  /** Piece mode (ParseOptions.piece): each sample's event line number. */
  private readonly piece: boolean;
  private sLine = int32Column();
  private maxFrames = 0;
  /** Whether a piece was absorbed: its lines are not in the line tables, so no more
   * text may be pushed. */
  private absorbed = false;
  /** The latest time so far, and the range of whole seconds. */
  private lastSecond = -Infinity;
  private lastNanos = 0;
  private minSecond = Infinity;
  private maxSecond = -Infinity;
  /** The first timed sample (line, second, text) and the first ones far from it, for
   * the lines of the far-time diagnostic. */
  private firstTimed: {line: number; second: number; text: string} | null = null;
  private firstSecond = NaN;
  private farTimed: {line: number; second: number; text: string}[] = [];
  private sawUntimed = false;
  private needsSort = false;
  /** Lines that were `#` comments (the header). */
  private commentLines = 0;

  // The sample being read.
  private inSample = false;
  private curThread = 0;
  /** Whole second and nanoseconds of its time; NaN seconds: none. */
  private curSecond = NaN;
  private curNanos = 0;
  /** Whether its time was there but malformed (already counted as bad-time). */
  private curTimeBad = false;
  /** Where its event line is in the buffer, for the examples of diagnostics. */
  private eventStart = 0;
  private eventEnd = 0;
  private curWeight = 1;
  private curCpu = -1;
  private curEvent = 0;
  private curHasFrames = false;
  private frameBuf: Int32Array = new Int32Array(FRAMES_CAPACITY);
  private frameCount = 0;

  // Input position.
  private lineNo = 0;
  private bytes = 0;
  /** The input's first SNIFF_BYTES, gathered (when chunks are smaller) to judge
   * whether it is text before any of it is parsed. */
  private sniffing = true;
  private head: Uint8Array = new Uint8Array(0);
  private headLength = 0;
  private pending: Uint8Array = new Uint8Array(0);
  private pendingLength = 0;
  private skippingLongLine = false;
  private halted = false;
  /** Parsing the last line, which had no newline: a failure there is a truncation. */
  private atEnd = false;
  private header: ProfileHeader = {fields: {}, events: []};
  /** Frame-line entries: which followed which last time (-1: none yet), the last
   * line of the current sample, and the guess for the next. */
  private nextLine = new Int32Array(0);
  private lastLine = -1;
  private guess = -1;
  /** End of the raw line being parsed, after its newline. */
  private lineEnd = 0;
  /** DataView of the buffer being parsed, for the tables' word-wise compares. */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private tokStart = new Int32Array(MAX_TOKENS);
  private tokEnd = new Int32Array(MAX_TOKENS);

  constructor(options: ParseOptions = {}) {
    this.source = options.source ?? "<input>";
    this.maxLineBytes = options.maxLineBytes ?? 1 << 20;
    this.unknownAddresses = options.unknownAddresses ?? false;
    this.maxSamples = options.maxSamples ?? DEFAULT_BUDGET.maxSamples;
    this.maxTableBytes = options.maxTableBytes ?? DEFAULT_BUDGET.maxTableBytes;
    this.stacks = new StackTrie({capacity: options.inputBytes === undefined ? undefined : options.inputBytes / BYTES_PER_STACK_ROOM});
    this.piece = options.piece ?? false;
    // A piece starts after a blank line of a text whose start was judged already.
    if (this.piece) this.sniffing = false;
  }

  /** Whether parsing has stopped before the end of the input (not perf script text,
   * or a budget reached): the caller need not read further. */
  get stopped(): boolean {
    return this.halted;
  }

  /** Feeds the next chunk of input. */
  push(input: Uint8Array): void {
    if (this.absorbed) throw new Error("internal: text pushed after a piece was absorbed");
    if (this.halted || input.length === 0) return;
    // A plain Uint8Array view of Node's Buffers too: one kind of array in the hot
    // loops keeps them monomorphic (V8 deoptimizes code that sees both).
    const chunk = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.length);
    if (!this.sniffing) return this.feed(chunk);
    if (this.headLength === 0 && chunk.length >= SNIFF_BYTES) {
      this.sniffing = false;
      if (this.sniff(chunk.subarray(0, SNIFF_BYTES))) this.feed(chunk.subarray(this.bytes));
      return;
    }
    if (this.head.length === 0) this.head = new Uint8Array(SNIFF_BYTES);
    const take = Math.min(chunk.length, SNIFF_BYTES - this.headLength);
    this.head.set(chunk.subarray(0, take), this.headLength);
    this.headLength += take;
    if (this.headLength === SNIFF_BYTES) {
      this.endSniffing();
      if (take < chunk.length) this.push(chunk.subarray(take));
    }
  }

  /** Judges the gathered start of the input and parses it when it is text. */
  private endSniffing(): void {
    this.sniffing = false;
    const head = this.head.subarray(0, this.headLength);
    this.head = new Uint8Array(0);
    if (this.sniff(head)) this.feed(head.subarray(this.bytes));
  }

  /** Whether the input, which starts with `head`, is text to parse; else it is
   * refused with an error. A UTF-8 byte-order mark is skipped (counted in `bytes`). */
  private sniff(head: Uint8Array): boolean {
    const code = sniffFormat(head);
    if (code !== null) {
      this.bytes = head.length;
      this.diag.count(code, 0);
      this.halted = true;
      return false;
    }
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) this.bytes = 3;
    return true;
  }

  private feed(chunk: Uint8Array): void {
    if (this.halted || chunk.length === 0) return;
    this.bytes += chunk.length;
    let start = 0;
    if (this.pendingLength > 0 || this.skippingLongLine) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.appendPending(chunk, 0, chunk.length);
        return;
      }
      this.appendPending(chunk, 0, nl + 1);
      if (this.skippingLongLine) {
        this.skippingLongLine = false;
      } else {
        this.lines(this.pending, 0, this.pendingLength);
      }
      this.pendingLength = 0;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= start) {
      this.lines(chunk, start, last + 1);
      start = last + 1;
    }
    if (start < chunk.length) this.appendPending(chunk, start, chunk.length);
  }

  /** Records that the input could not be read to its end (a damaged gzip stream). */
  noteDamagedInput(detail: string): void {
    this.diag.count("damaged-input", this.lineNo, () => detail);
  }

  /** Ends the input and returns the profile. The last sample is kept even without a
   * blank line after it. */
  finish(): Profile {
    if (this.sniffing) this.endSniffing();
    this.endPending();
    this.endSample();
    this.noteNoSamples();
    return this.build();
  }

  /** Parses the last line, which had no newline. */
  private endPending(): void {
    if (this.skippingLongLine) {
      this.skippingLongLine = false;
    } else if (this.pendingLength > 0 && !this.halted) {
      const len = this.pendingLength;
      this.pendingLength = 0;
      this.atEnd = true;
      this.lines(this.pending, 0, len, true);
    }
  }

  /** Says why there are no samples, when there are none and no error says it. */
  private noteNoSamples(): void {
    if (this.sStack.length > 0 || this.diag.hasSeverity("error")) return;
    if (this.bytes === 0) return this.diag.count("no-samples", 0, undefined, "no samples: the input is empty");
    const skipped = (["unrecognized-line", "stray-frame", "binary-line", "long-line", "truncated-line", "sideband"] as const)
      .map((code) => this.diag.get(code))
      .filter((d) => d !== undefined)
      .sort((a, b) => a.lines[0] - b.lines[0])[0];
    if (skipped) {
      this.diag.count("not-perf-script", skipped.lines[0], skipped.example === undefined ? undefined : () => skipped.example!);
      return;
    }
    this.diag.count("no-samples", 0, undefined, this.commentLines > 0
      ? `no samples: the input has only its header (${this.commentLines} \`#\` lines): perf recorded no samples, or perf script printed none`
      : "no samples: the input has only blank lines");
  }

  /** Stops reading at this line: a budget is reached. The sample being read is
   * dropped; the ones before are kept. */
  private halt(code: "sample-budget" | "table-budget", message: string): void {
    this.diag.count(code, this.lineNo, undefined, `${message}; the ${this.sStack.length} samples before this line were kept`);
    this.halted = true;
    this.inSample = false;
  }

  /** Counts `bytes` more of the tables against their budget. */
  private tables(bytes: number): void {
    this.tableBytes += bytes;
    if (this.tableBytes + this.stacks.size * TABLE_COST.stack > this.maxTableBytes && !this.halted) this.haltAtTables();
  }

  private haltAtTables(): void {
    const mib = (this.maxTableBytes / 2 ** 20).toFixed(0);
    this.halt("table-budget", `reading stopped: the distinct stacks, frames, threads and events take more than the budget of ${mib} MiB for them (ParseOptions.maxTableBytes)`);
  }

  private appendPending(chunk: Uint8Array, start: number, end: number): void {
    if (this.skippingLongLine) return;
    const len = end - start;
    if (this.pendingLength + len > this.maxLineBytes + 2) {
      // Count the line once and drop its bytes up to the next newline.
      this.lineNo++;
      this.diag.count("long-line", this.lineNo);
      this.pendingLength = 0;
      this.skippingLongLine = chunk[end - 1] !== NL;
      return;
    }
    if (this.pendingLength + len > this.pending.length) {
      const p = new Uint8Array(Math.max(this.pending.length * 2, this.pendingLength + len, 4096));
      p.set(this.pending.subarray(0, this.pendingLength));
      this.pending = p;
    }
    this.pending.set(chunk.subarray(start, end), this.pendingLength);
    this.pendingLength += len;
  }

  /** Parses the complete lines in buf[pos, end); every line there ends with "\n",
   * except at end of input when `last` is set. */
  private lines(buf: Uint8Array, pos: number, end: number, last = false): void {
    const max = this.maxLineBytes;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (pos < end && !this.halted) {
      if (this.inSample) {
        const next = this.knownFrameLine(buf, pos, end);
        if (next > 0) {
          this.lineNo++;
          pos = next;
          continue;
        }
      }
      let nl = buf.indexOf(NL, pos);
      if (nl < 0 || nl >= end) {
        if (!last) throw new Error("internal: line without newline");
        nl = end;
      }
      this.lineEnd = nl < end ? nl + 1 : end;
      this.lineNo++;
      let e = nl;
      if (e > pos && buf[e - 1] === CR) {
        e--;
        if (!this.diag.has("crlf")) this.diag.count("crlf", this.lineNo);
      }
      if (e - pos > max) this.diag.count("long-line", this.lineNo);
      else this.line(buf, pos, e);
      pos = nl + 1;
    }
  }

  private line(buf: Uint8Array, s: number, e: number): void {
    if (s === e) return this.endSample();
    for (let k = s; k < e; k++) if (buf[k] === 0) return this.binaryLine(buf, s, e);
    const c = buf[s];
    if (c === HASH) {
      this.commentLines++;
      return this.headerLine(buf, s, e);
    }
    // The last line of a cut-off input, without its newline, is a frame only when it
    // ends with the frame's "(module)": a cut frame line would make up a wrong frame.
    const frameEnd = !this.atEnd || lastChar(buf, s, e) === RPAREN;
    if (isSpace(c)) {
      let i = s + 1;
      while (i < e && isSpace(buf[i])) i++;
      if (i === e) {
        // Blank; at the end without its newline, the start of a cut line (perf pads
        // comms with spaces).
        if (this.atEnd) this.diag.count("truncated-line", this.lineNo);
        return this.endSample();
      }
      // An event line first: perf pads comms to 16 columns, so event lines are
      // indented too, and a comm such as "a" or "cafe" reads as a frame's address.
      // (Known frame lines never get here: see knownFrameLine.)
      if (this.eventLine(buf, i, e)) return;
      if (this.inSample && frameEnd && this.frameLine(buf, s, i, e)) return;
      return this.unparsed(buf, s, e);
    }
    // Column 0: an event line, or a frame line of perf versions that print frames
    // unindented (and then the line must end with its "(module)").
    if (this.eventLine(buf, s, e)) return;
    if (this.inSample && buf[e - 1] === RPAREN && this.frameLine(buf, s, s, e)) return;
    this.unparsed(buf, s, e);
  }

  /** A line with NUL bytes: never perf script text. (Its own function: a closure in
   * `line` would make every call of it allocate.) */
  private binaryLine(buf: Uint8Array, s: number, e: number): void {
    this.diag.count("binary-line", this.lineNo, () => utf8.decode(buf.subarray(s, e)));
  }

  private unparsed(buf: Uint8Array, s: number, e: number): void {
    // A frame-shaped line when no sample is open is a stray frame; anything else is
    // unrecognized.
    let i = s;
    while (i < e && isSpace(buf[i])) i++;
    const a = i;
    while (i < e && isHex(buf[i])) i++;
    const frameShaped = !this.inSample && i > a && i < e && isSpace(buf[i]);
    const code = this.atEnd ? "truncated-line" : frameShaped ? "stray-frame" : "unrecognized-line";
    this.diag.count(code, this.lineNo, () => utf8.decode(buf.subarray(s, e)));
  }

  // ---- frames -------------------------------------------------------------------

  /** The hot path: a callchain line seen before, recognised by one compare of the
   * whole line, newline included, with the line that followed the previous one last
   * time (stacks repeat), so that neither its address nor its end needs a separate
   * scan; else found by its address's hash. Returns the position after the line, or
   * -1 (not a known line). */
  private knownFrameLine(buf: Uint8Array, pos: number, end: number): number {
    const table = this.frameLines;
    let entry = this.guess;
    if (entry < 0 || !table.matches(entry, buf, this.view, pos, end)) {
      let i = pos;
      while (i < end && isSpace(buf[i])) i++;
      const addrStart = i;
      let h = HASH_BASIS;
      for (let c = buf[i]; i < end && HEX[c] === 1; c = buf[++i]) h = fnvStep(h, c);
      if (i === addrStart || i >= end || !isSpace(buf[i])) return -1;
      entry = table.find(buf, this.view, pos, end, h);
      if (entry < 0 && (entry = this.findCrowded(buf, pos, end, h)) < 0) return -1;
    }
    this.follow(entry);
    const lineEnd = pos + table.lengthOf(entry);
    this.pushLineFrames(table.valueOf(entry), buf, pos, lineEnd);
    return lineEnd;
  }

  /** The known frame line at buf[pos, end) when its address's hash `h` is crowded, so
   * that it is stored under the hash of its whole text (see frameLine); else -1. */
  private findCrowded(buf: Uint8Array, pos: number, end: number, h: number): number {
    if (!this.frameLines.crowded(h)) return -1;
    const nl = buf.indexOf(NL, pos);
    if (nl < 0 || nl >= end) return -1;
    return this.frameLines.find(buf, this.view, pos, end, hashBytes(buf, pos, nl + 1));
  }

  /** A callchain line `<hex address> <symbol>[+0x<off>] (<module>)`, its address
   * starting at i, its text ending at e; the raw text from `keyStart` (the line's
   * start, or where the frame starts on an event line) to this.lineEnd (after the
   * newline) is the key of the table of frame lines, hashed on the address: the frames
   * are a function of the key's bytes, and the hash tells lines apart nearly as well
   * as the whole text would. */
  private frameLine(buf: Uint8Array, keyStart: number, i: number, e: number): boolean {
    const addrStart = i;
    let h = HASH_BASIS;
    for (let c = buf[i]; i < e && HEX[c] === 1; c = buf[++i]) h = fnvStep(h, c);
    if (i === addrStart || i >= e || !isSpace(buf[i])) return false;
    while (i < e && isSpace(buf[i])) i++;
    while (e > i && buf[e - 1] === SPACE) e--;
    if (i === e) return false;
    const keyEnd = this.lineEnd;
    if (buf[keyEnd - 1] !== NL) {
      // The last line of the input, without newline: not a key (keys end in "\n",
      // so that none is a prefix of another line).
      this.pushLineFrames(this.newFrameLine(buf, i, e), buf, keyStart, keyEnd);
      return true;
    }
    const table = this.frameLines;
    let entry = table.find(buf, this.view, keyStart, keyEnd, h);
    if (entry < 0 && table.crowded(h)) {
      // Many lines at one address (only a crafted file has them) would make every
      // lookup of that address walk them all: past a few, lines are hashed on their
      // whole text instead.
      h = hashBytes(buf, keyStart, keyEnd);
      entry = table.find(buf, this.view, keyStart, keyEnd, h);
    }
    if (entry < 0) {
      entry = table.size;
      table.add(buf, keyStart, keyEnd, h, this.newFrameLine(buf, i, e));
      this.tables(TABLE_COST.key + keyEnd - keyStart);
    }
    this.follow(entry);
    this.pushLineFrames(table.valueOf(entry), buf, keyStart, keyEnd);
    return true;
  }

  /** Learns which frame line follows which, and guesses the next line from it. */
  private follow(entry: number): void {
    if (this.lastLine >= 0) {
      if (this.nextLine.length <= this.lastLine) {
        const n = new Int32Array(Math.max(this.frameLines.size * 2, 1024)).fill(-1);
        n.set(this.nextLine);
        this.nextLine = n;
      }
      this.nextLine[this.lastLine] = entry;
    }
    this.lastLine = entry;
    this.guess = entry < this.nextLine.length ? this.nextLine[entry] : -1;
  }

  /** Pushes the frames the frame line buf[lineStart, lineEnd) stands for: one frame
   * (v ≥ 0) or a run. */
  private pushLineFrames(v: number, buf: Uint8Array, lineStart: number, lineEnd: number): void {
    this.curHasFrames = true;
    if (v >= 0) {
      this.pushFrame(v);
      return;
    }
    const run = -v - 2;
    if (this.runLength[run] === 0) {
      // Unresolved code whose address is kept: the address is part of the frame.
      let addrStart = lineStart;
      while (isSpace(buf[addrStart])) addrStart++;
      let addrEnd = addrStart;
      while (HEX[buf[addrEnd]] === 1) addrEnd++;
      const ha = hashBytes(buf, addrStart, lineEnd);
      let va = this.addressLines.get(buf, this.view, addrStart, lineEnd, ha);
      if (va === -1) {
        va = this.internFrame(this.unknownFrames[this.runStart[run]], utf8.decode(buf.subarray(addrStart, addrEnd)));
        this.addressLines.add(buf, addrStart, lineEnd, ha, va);
        this.tables(TABLE_COST.key + lineEnd - addrStart);
      }
      this.pushFrame(va);
      return;
    }
    // perf lists frames innermost first; an `a->b->c` run is outermost first.
    for (let k = this.runStart[run] + this.runLength[run] - 1; k >= this.runStart[run]; k--) this.pushFrame(this.runFrames[k]);
  }

  private pushFrame(frame: number): void {
    if (this.frameCount === this.frameBuf.length && !this.growFrames()) return;
    this.frameBuf[this.frameCount++] = frame;
  }

  /** Doubles the sample's frame buffer, unless its frames, each a stack to be, would
   * take the tables past their budget (a sample of millions of frame lines). */
  private growFrames(): boolean {
    if (this.tableBytes + (this.stacks.size + this.frameCount) * TABLE_COST.stack > this.maxTableBytes) {
      if (!this.halted) this.haltAtTables();
      return false;
    }
    const b = new Int32Array(this.frameBuf.length * 2);
    b.set(this.frameBuf);
    this.frameBuf = b;
    return true;
  }

  /** First sight of a frame line's text: decode and analyse it. */
  private newFrameLine(buf: Uint8Array, s: number, e: number): number {
    const frames = framesOfText(this.decode(buf, s, e));
    if (frames.length === 1 && (frames[0].kind !== KIND.unknown || !this.unknownAddresses)) return this.internFrame(frames[0], null);
    const run = this.runStart.length;
    if (frames.length === 1) {
      // `[unknown]`: the frame is made per address, from this description.
      this.runStart.push(this.unknownFrames.length);
      this.runLength.push(0);
      this.unknownFrames.push(frames[0]);
    } else {
      this.runStart.push(this.runFrames.length);
      this.runLength.push(frames.length);
      for (const f of frames) this.runFrames.push(this.internFrame(f, null));
    }
    return -run - 2;
  }

  private internFrame({name, module, kind}: FrameText, address: string | null): number {
    const key = `${name}\0${module ?? ""}\0${kind}\0${address ?? ""}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frameName.push(this.strings.id(name));
      this.frameModule.push(module === null ? -1 : this.strings.id(module));
      this.frameKind.push(kind);
      this.frameAddress.push(address === null ? -1 : this.strings.id(address));
      this.frameIds.set(key, id);
      this.tables(TABLE_COST.frame + 2 * key.length);
    }
    return id;
  }

  private decode(buf: Uint8Array, s: number, e: number): string {
    const bytes = buf.subarray(s, e);
    try {
      return strictUtf8.decode(bytes);
    } catch {
      this.diag.count("invalid-utf8", this.lineNo);
      return utf8.decode(bytes);
    }
  }

  // ---- event lines --------------------------------------------------------------

  /** An event line: `comm [pid/]tid [[cpu]] [time:] [period] event: [rest]`. Parsed
   * from the event name backwards, so comms with spaces and digits work; `rest` is a
   * tracepoint's payload, or the one frame of a sample recorded without call graphs.
   * A field in its place but malformed is counted and replaced (see eventAt). */
  private eventLine(buf: Uint8Array, s: number, e: number): boolean {
    const ts = this.tokStart, te = this.tokEnd;
    let n = 0, i = s;
    while (i < e && n < MAX_TOKENS) {
      while (i < e && isSpace(buf[i])) i++;
      if (i === e) break;
      ts[n] = i;
      while (i < e && !isSpace(buf[i])) i++;
      te[n] = i;
      n++;
      // The event name: a token ending in ':' that is not a time, preceded by a tid.
      if (n >= 3 && buf[i - 1] === COLON && i - ts[n - 1] > 1 && !timeShaped(buf, ts[n - 1], i)) {
        if (this.eventAt(buf, s, e, n - 1)) return true;
      }
    }
    return false;
  }

  /** The event line whose event name is token `ev`, when the tokens before it are
   * the fields perf prints. Fields are told by their place and shape; a malformed
   * value in a field's place is a counted warning and the sample is kept without it:
   * a bad time makes the sample untimed, a bad pid/tid or CPU unknown (-1), a bad
   * period weight 1. */
  private eventAt(buf: Uint8Array, s: number, e: number, ev: number): boolean {
    const ts = this.tokStart, te = this.tokEnd;
    let j = ev - 1;
    let periodTok = -1, timeTok = -1, cpuTok = -1;
    if (j >= 2) {
      // The period follows the time (whatever the token there is), or the CPU or tid
      // when perf printed no time.
      const ps = ts[j - 1], pe = te[j - 1];
      const numeric = buf[te[j] - 1] !== COLON && numberShaped(buf, ts[j], te[j]);
      if (timeShaped(buf, ps, pe) || (numeric && (cpuShaped(buf, ps, pe) || isTid(buf, ps, pe)))) periodTok = j--;
    }
    if (j >= 1 && timeShaped(buf, ts[j], te[j])) timeTok = j--;
    if (j >= 1 && cpuShaped(buf, ts[j], te[j])) cpuTok = j--;
    if (j < 1 || !isTid(buf, ts[j], te[j])) return false;
    const tidTok = j;
    // The last line of a cut-off input: an event line there is whole only when it ends
    // like one (its event name, or the frame of a sample without call graph).
    if (this.atEnd && lastChar(buf, s, e) !== COLON && lastChar(buf, s, e) !== RPAREN) return false;

    const evStart = ts[ev], evEnd = te[ev] - 1;
    if (evEnd - evStart > 12 && buf[evStart] === 80 /* P */ && this.startsWith(buf, evStart, "PERF_RECORD_")) {
      this.endSample();
      this.diag.count("sideband", this.lineNo);
      return true;
    }

    if (this.inSample) {
      if (this.curHasFrames && this.events[this.curEvent]?.callchain !== false) this.diag.count("unseparated", this.lineNo);
      this.endSample();
    }
    if (this.sStack.length >= this.maxSamples) {
      this.halt("sample-budget", `reading stopped at the sample budget of ${this.maxSamples} samples (--max-samples, ParseOptions.maxSamples)`);
      return true;
    }
    if (this.tableBytes + this.stacks.size * TABLE_COST.stack > this.maxTableBytes) {
      this.haltAtTables();
      return true;
    }
    this.eventStart = s;
    this.eventEnd = e;
    this.curThread = this.thread(buf, ts[0], te[tidTok], ts[tidTok], te[tidTok - 1]);
    this.curCpu = cpuTok >= 0 ? this.cpu(buf, ts[cpuTok] + 1, te[cpuTok] - 1) : -1;
    this.curWeight = periodTok >= 0 ? this.period(buf, ts[periodTok], te[periodTok]) : 1;
    this.curSecond = NaN;
    this.curNanos = 0;
    this.curTimeBad = false;
    if (timeTok >= 0) this.time(buf, ts[timeTok], te[timeTok] - 1);
    this.curEvent = this.event(buf, evStart, evEnd);
    // A budget reached while interning the thread or event drops this sample.
    this.inSample = !this.halted;
    this.curHasFrames = false;
    this.frameCount = 0;

    // After the event name: a frame (sample without call graph) or a payload.
    let r = te[ev];
    while (r < e && isSpace(buf[r])) r++;
    let re = e;
    while (re > r && isSpace(buf[re - 1])) re--;
    if (this.inSample && r < re && buf[re - 1] === RPAREN && this.frameLine(buf, r, r, re)) {
      const info = this.events[this.curEvent];
      if (info.callchain) info.callchain = false;
      this.diag.count("no-callchain", this.lineNo);
      this.endSample();
    }
    return true;
  }

  /** Counts a malformed field of the event line being read. */
  private badField(code: DiagnosticCode, buf: Uint8Array): void {
    this.diag.count(code, this.lineNo, () => this.eventText(buf));
  }

  private eventText(buf: Uint8Array): string {
    return utf8.decode(buf.subarray(this.eventStart, this.eventEnd));
  }

  private thread(buf: Uint8Array, lineStart: number, tidEnd: number, tidStart: number, commEnd: number): number {
    const h = hashBytes(buf, lineStart, tidEnd);
    let id = this.threadLines.get(buf, this.view, lineStart, tidEnd, h);
    if (id >= 0) return id;
    const comm = this.decode(buf, lineStart, commEnd);
    let pid = -1, tid: number;
    const slash = buf.subarray(tidStart, tidEnd).indexOf(SLASH);
    if (slash >= 0) {
      pid = idValue(buf, tidStart, tidStart + slash);
      tid = idValue(buf, tidStart + slash + 1, tidEnd);
    } else {
      tid = idValue(buf, tidStart, tidEnd);
    }
    // A bad id is counted on every line it is on: such lines are not remembered.
    const bad = pid === BAD_ID || tid === BAD_ID;
    if (bad) {
      this.badField("bad-pid", buf);
      if (pid === BAD_ID) pid = -1;
      if (tid === BAD_ID) tid = -1;
    }
    const key = `${pid}/${tid}/${comm}`;
    id = this.threadIds.get(key) ?? -1;
    if (id < 0) {
      id = this.threadPid.push(pid);
      this.threadTid.push(tid);
      this.threadComm.push(this.strings.id(comm));
      this.threadIds.set(key, id);
      const root = this.internFrame({name: comm, module: null, kind: KIND.process}, null);
      this.threadRootStack.push(this.stacks.intern(-1, root));
      this.tables(TABLE_COST.thread + 3 * comm.length);
    }
    if (!bad) {
      this.threadLines.add(buf, lineStart, tidEnd, h, id);
      this.tables(TABLE_COST.key + tidEnd - lineStart);
    }
    return id;
  }

  private event(buf: Uint8Array, s: number, e: number): number {
    const h = hashBytes(buf, s, e);
    let id = this.eventLines.get(buf, this.view, s, e, h);
    if (id < 0) {
      id = this.events.length;
      this.events.push({name: this.decode(buf, s, e), callchain: true});
      this.eventLines.add(buf, s, e, h, id);
      this.tables(TABLE_COST.event + 3 * (e - s));
    }
    return id;
  }

  /** The CPU in `[…]` (s, e inside the brackets); -1 and counted when it is none. */
  private cpu(buf: Uint8Array, s: number, e: number): number {
    if (e - s <= 5 && isDigits(buf, s, e)) {
      const v = digitsValue(buf, s, e);
      if (v <= MAX_CPU) return v;
    }
    this.badField("bad-cpu", buf);
    return -1;
  }

  /** The period; 1 and counted when it is not a whole number below 2^53. */
  private period(buf: Uint8Array, s: number, e: number): number {
    if (e - s <= 16 && isDigits(buf, s, e)) {
      const v = digitsValue(buf, s, e);
      if (v <= MAX_PERIOD) return v;
    }
    this.badField("bad-period", buf);
    return 1;
  }

  /** Reads the time (s, e before its ':') into curSecond and curNanos, exact; a
   * malformed one leaves the sample untimed and is counted. */
  private time(buf: Uint8Array, s: number, e: number): void {
    if (!wellFormedTime(buf, s, e)) {
      this.curTimeBad = true;
      this.badField("bad-time", buf);
      return;
    }
    let sec = 0, i = s;
    for (; i < e && buf[i] !== DOT; i++) sec = sec * 10 + (buf[i] - 48);
    let nanos = 0, digits = 0;
    for (i++; i < e; i++, digits++) nanos = nanos * 10 + (buf[i] - 48);
    for (; digits < MAX_FRACTION_DIGITS; digits++) nanos *= 10;
    this.curSecond = sec;
    this.curNanos = nanos;
    const first = this.firstSecond;
    if (Number.isNaN(first)) {
      this.firstSecond = sec;
      this.firstTimed = {line: this.lineNo, second: sec, text: this.eventText(buf)};
    } else if (Math.abs(sec - first) > MAX_SPAN_SECONDS && this.farTimed.length < KEEP_FAR_LINES) {
      this.farTimed.push({line: this.lineNo, second: sec, text: this.eventText(buf)});
    }
  }

  private startsWith(buf: Uint8Array, s: number, text: string): boolean {
    for (let k = 0; k < text.length; k++) if (buf[s + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  // ---- samples ------------------------------------------------------------------

  /** The stack id of the sample's frames. A thread's consecutive samples usually share
   * their outer frames, so the walk from the root starts where this sample departs
   * from the thread's previous one, which saves most of the table lookups. */
  private internSampleStack(): number {
    const n = this.frameCount, frames = this.frameBuf;
    const t = this.curThread;
    const prevFrames = this.threadFrames[t];
    let prevStacks = this.threadStacks[t];
    const m = this.threadDepth[t] ?? 0;
    // Depth k counts from the root: frames[n - 1 - k] and prevFrames[m - 1 - k].
    let k = 0;
    if (prevFrames) while (k < n && k < m && frames[n - 1 - k] === prevFrames[m - 1 - k]) k++;
    let stack = k > 0 ? prevStacks[k - 1] : this.threadRootStack[t];
    if (!prevStacks || prevStacks.length < n) {
      const st = new Int32Array(Math.max(n, FRAMES_CAPACITY) * 2);
      if (prevStacks) st.set(prevStacks.subarray(0, k));
      this.threadStacks[t] = prevStacks = st;
    }
    for (let d = k; d < n; d++) {
      stack = this.stacks.intern(stack, frames[n - 1 - d]);
      prevStacks[d] = stack;
    }
    // This sample's frames (innermost first) become the thread's previous ones; the
    // buffer they replace is reused for the next sample.
    this.threadFrames[t] = frames;
    this.threadDepth[t] = n;
    this.frameBuf = prevFrames ?? new Int32Array(FRAMES_CAPACITY);
    return stack;
  }

  private endSample(): void {
    this.lastLine = this.guess = -1;
    if (!this.inSample) return;
    this.inSample = false;
    const stack = this.internSampleStack();
    if (this.frameCount > this.maxFrames) this.maxFrames = this.frameCount;
    this.frameCount = 0;
    const sec = this.curSecond, nanos = this.curNanos;
    if (Number.isNaN(sec) && !this.curTimeBad) this.diag.count("no-time", this.lineNo);
    // A piece's order is judged where it is absorbed, after the samples before it.
    if (this.piece) this.sLine.push(this.lineNo);
    else this.orderSample(sec, nanos, this.lineNo);
    this.sSecond.push(sec);
    this.sNanos.push(nanos);
    this.sStack.push(stack);
    this.sWeight.push(this.curWeight);
    this.sThread.push(this.curThread);
    this.sCpu.push(this.curCpu);
    this.sEvent.push(this.curEvent);
  }

  /** Notes a sample's time (NaN: none) for the time order: whether the samples must
   * be sorted, and the range of whole seconds. */
  private orderSample(sec: number, nanos: number, line: number): void {
    if (Number.isNaN(sec)) {
      this.sawUntimed = true;
      return;
    }
    const back = sec < this.lastSecond || (sec === this.lastSecond && nanos < this.lastNanos);
    if (back || this.sawUntimed) {
      if (!this.needsSort && back) this.diag.count("out-of-order", line);
      this.needsSort = true;
    }
    if (!back) {
      this.lastSecond = sec;
      this.lastNanos = nanos;
    }
    if (sec < this.minSecond) this.minSecond = sec;
    if (sec > this.maxSecond) this.maxSecond = sec;
  }

  // ---- pieces -------------------------------------------------------------------

  /** Ends a piece (ParseOptions.piece) and returns what it read, for `absorb`. */
  finishPiece(): ParsedPiece {
    if (!this.piece) throw new Error("internal: finishPiece of a parser that does not read a piece");
    this.endPending();
    this.endSample();
    const stacks = this.stacks.columns();
    return {
      strings: this.strings.strings,
      frameName: this.frameName.result(),
      frameModule: this.frameModule.result(),
      frameKind: Uint8Array.from(this.frameKind),
      frameAddress: this.frameAddress.result(),
      stackPrefix: stacks.prefix,
      stackFrame: stacks.frame,
      threadPid: this.threadPid.result(),
      threadTid: this.threadTid.result(),
      threadComm: this.threadComm.result(),
      events: this.events,
      second: this.sSecond.result(),
      nanos: this.sNanos.result(),
      stack: this.sStack.result(),
      weight: this.sWeight.result(),
      thread: this.sThread.result(),
      cpu: this.sCpu.result(),
      event: this.sEvent.result(),
      line: this.sLine.result(),
      diagnostics: this.diag.inOrder(),
      header: this.header,
      commentLines: this.commentLines,
      lines: this.lineNo,
      bytes: this.bytes,
      tableBytes: this.tableBytes,
      maxFrames: this.maxFrames,
      halted: this.halted,
    };
  }

  /** Appends a piece that followed this parser's input (which ended right after a
   * blank line), renumbering its strings, frames, stacks, threads and events into
   * this parser's tables in the order of the piece's own first sights: the tables and
   * samples come out exactly as if this parser had read the piece's text itself.
   * Returns false, changing nothing, where that cannot be told without reading the
   * text again (this parser's text shorter than the start it sniffs, a budget
   * reached, header lines or undecodable bytes in the piece,
   * samples without call graphs before one that is not separated, times far apart):
   * the caller reads the whole input on one thread then. */
  absorb(piece: ParsedPiece): boolean {
    if (!this.canAbsorb(piece)) return false;
    this.absorbed = true;
    const string = piece.strings.map((text) => this.strings.id(text));
    const name = (id: number) => (id < 0 ? null : piece.strings[id]);
    const frame = new Int32Array(piece.frameName.length);
    for (let f = 0; f < frame.length; f++) {
      frame[f] = this.internFrame({name: piece.strings[piece.frameName[f]], module: name(piece.frameModule[f]), kind: piece.frameKind[f]}, name(piece.frameAddress[f]));
    }
    const stack = new Int32Array(piece.stackPrefix.length);
    for (let k = 0; k < stack.length; k++) {
      const prefix = piece.stackPrefix[k];
      stack[k] = this.stacks.intern(prefix < 0 ? -1 : stack[prefix], frame[piece.stackFrame[k]]);
    }
    const thread = new Int32Array(piece.threadPid.length);
    for (let t = 0; t < thread.length; t++) thread[t] = this.absorbThread(piece.threadPid[t], piece.threadTid[t], string[piece.threadComm[t]], piece.strings[piece.threadComm[t]]);
    const event = piece.events.map(({name, callchain}) => {
      let id = this.events.findIndex((e) => e.name === name);
      if (id < 0) {
        id = this.events.push({name, callchain}) - 1;
        this.tables(TABLE_COST.event + 3 * name.length);
      } else if (!callchain) {
        this.events[id].callchain = false;
      }
      return id;
    });
    const lineOffset = this.lineNo;
    for (const entry of piece.diagnostics) this.diag.absorb(entry, lineOffset);
    for (let i = 0; i < piece.stack.length; i++) {
      const sec = piece.second[i], nanos = piece.nanos[i];
      this.orderSample(sec, nanos, piece.line[i] + lineOffset);
      this.sSecond.push(sec);
      this.sNanos.push(nanos);
      this.sStack.push(stack[piece.stack[i]]);
      this.sWeight.push(piece.weight[i]);
      this.sThread.push(thread[piece.thread[i]]);
      this.sCpu.push(piece.cpu[i]);
      this.sEvent.push(event[piece.event[i]]);
    }
    if (piece.maxFrames > this.maxFrames) this.maxFrames = piece.maxFrames;
    this.commentLines += piece.commentLines;
    this.lineNo += piece.lines;
    this.bytes += piece.bytes;
    return true;
  }

  /** Whether `absorb` can merge the piece exactly (see there). The budgets: the
   * tables of this parser and of the piece together bound what one parser would have
   * counted at any line of both (a piece counts again what it shares with the text
   * before it, one parser would not). */
  private canAbsorb(piece: ParsedPiece): boolean {
    if (this.halted || piece.halted) return false;
    // Text shorter than the sniffed start is judged with the piece's bytes after it.
    if (this.sniffing) return false;
    if (this.sStack.length + piece.stack.length > this.maxSamples) return false;
    const stacks = this.stacks.size + piece.stackPrefix.length + Math.max(this.maxFrames, piece.maxFrames);
    if (this.tableBytes + piece.tableBytes + stacks * TABLE_COST.stack > this.maxTableBytes) return false;
    if (Object.keys(piece.header.fields).length > 0 || piece.header.events.length > 0) return false;
    const has = (code: DiagnosticCode) => piece.diagnostics.some((d) => d.code === code);
    // A piece decodes again what the text before it decoded already (and counts it).
    if (has("invalid-utf8")) return false;
    // Unseparated samples are counted only for events with call graphs so far.
    if (has("unseparated") && this.events.some((e) => !e.callchain)) return false;
    // Far times are judged against the first time of the whole input.
    let lo = this.minSecond, hi = this.maxSecond;
    for (let i = 0; i < piece.second.length; i++) {
      const sec = piece.second[i];
      if (sec < lo) lo = sec;
      if (sec > hi) hi = sec;
    }
    return !(hi - lo > MAX_SPAN_SECONDS);
  }

  /** The id of a piece's thread here, made when new (as `thread` makes it). Its root
   * frame and stack come with the piece's frames and stacks. */
  private absorbThread(pid: number, tid: number, commId: number, comm: string): number {
    const key = `${pid}/${tid}/${comm}`;
    let id = this.threadIds.get(key);
    if (id === undefined) {
      id = this.threadPid.push(pid);
      this.threadTid.push(tid);
      this.threadComm.push(commId);
      this.threadIds.set(key, id);
      this.threadRootStack.push(this.stacks.intern(-1, this.internFrame({name: comm, module: null, kind: KIND.process}, null)));
      this.tables(TABLE_COST.thread + 3 * comm.length);
    }
    return id;
  }

  // ---- header -------------------------------------------------------------------

  private headerLine(buf: Uint8Array, s: number, e: number): void {
    // Only `# key : value` lines carry metadata; other comments are skipped.
    if (buf.subarray(s, e).indexOf(COLON) < 0) return;
    const field = headerField(this.decode(buf, s + 1, e));
    if (field === null) return;
    this.tables(TABLE_COST.headerField + 2 * (field.key.length + field.value.length));
    addHeaderField(this.header, field);
  }

  // ---- result -------------------------------------------------------------------

  /** Turns the samples' whole seconds (in `time`) and nanoseconds into nanoseconds
   * since the origin, in place, and returns the origin (null: no sample has a time).
   * When the times span more than MAX_SPAN_SECONDS, those outside the main span lose
   * their time and are counted. */
  private sampleTimes(time: Float64Array, nanos: Int32Array): number | null {
    if (this.minSecond > this.maxSecond) return null;
    let first = this.minSecond;
    if (this.maxSecond - this.minSecond > MAX_SPAN_SECONDS) {
      const [lo, hi] = mainSpan(time);
      first = lo;
      let far = 0;
      for (let i = 0; i < time.length; i++) {
        if (time[i] < lo || time[i] > hi) {
          time[i] = NaN;
          far++;
        }
      }
      // The lines known: the first timed sample's, when it is out, else those far
      // from it; every line listed is one of a sample that lost its time.
      const known = [this.firstTimed!, ...this.farTimed].filter((t) => t.second < lo || t.second > hi);
      for (let k = 0; k < far; k++) this.diag.count("far-time", known[k]?.line ?? 0, () => known[0]?.text ?? "");
      this.needsSort = true;
    }
    for (let i = 0; i < time.length; i++) time[i] = (time[i] - first) * NS + nanos[i];
    return first;
  }

  private build(): Profile {
    const n = this.sStack.length;
    let time: Float64Array = this.sSecond.result();
    const origin = this.sampleTimes(time, this.sNanos.data);
    this.sNanos = int32Column(0);
    let stack: Int32Array = this.sStack.result();
    let weight: Float64Array = this.sWeight.result();
    let thread: Int32Array = this.sThread.result();
    let cpu: Int32Array = this.sCpu.result();
    let event: Int32Array = this.sEvent.result();

    if (this.needsSort) ({time, stack, weight, thread, cpu, event} = sortSamples({time, stack, weight, thread, cpu, event}));

    return {
      source: this.source,
      strings: this.strings.strings,
      frames: {
        length: this.frameName.length,
        name: this.frameName.result(),
        module: this.frameModule.result(),
        kind: Uint8Array.from(this.frameKind),
        address: this.frameAddress.result(),
      },
      stacks: {
        length: this.stacks.size,
        ...this.stacks.columns(),
      },
      threads: {
        length: this.threadPid.length,
        pid: this.threadPid.result(),
        tid: this.threadTid.result(),
        comm: this.threadComm.result(),
      },
      events: this.events,
      samples: {length: n, time, stack, weight, thread, cpu, event},
      origin,
      header: this.header,
      diagnostics: this.diag.result(this.lineNo, this.bytes),
      annotations: [],
    };
  }
}

/** The last character of buf[s, e) that is not a space or tab (0 when there is none). */
function lastChar(buf: Uint8Array, s: number, e: number): number {
  while (e > s && isSpace(buf[e - 1])) e--;
  return e > s ? buf[e - 1] : 0;
}

/** Parses a whole `perf script` text held in memory. */
export function parsePerfScript(input: Uint8Array | string, options: ParseOptions = {}): Profile {
  const parser = new PerfScriptParser(options);
  parser.push(typeof input === "string" ? new TextEncoder().encode(input) : input);
  return parser.finish();
}
