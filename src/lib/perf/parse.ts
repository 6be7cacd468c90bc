// Streaming parser of `perf script` text into the profile model.
//
// Bytes are pushed in chunks of any size; memory grows with samples and unique
// frames/stacks, never with the input size. The hot path (callchain frame lines) hashes
// the line's bytes in place and looks them up in a table of lines already seen, so a
// frame's text is decoded and analysed once, however often it recurs.
import {ByteKeyTable, PairTable, hashBytes} from "../intern.js";
import {KIND, type EventInfo, type Profile, type ProfileHeader} from "../profile.js";
import {DiagnosticCounter, type DiagnosticCode} from "./diagnostics.js";
import {framesOfText, type FrameText} from "./frames.js";

export interface ParseOptions {
  /** Name of what is parsed (a file name), for messages. */
  source?: string;
  /** Longer lines are skipped and counted (default 1 MiB). */
  maxLineBytes?: number;
  /** Keep the address of each `[unknown]` frame, making frames at different
   * addresses different frames (for `collapse --addrs`). Default off: unresolved
   * code in JIT-heavy profiles would otherwise multiply frames and stacks. */
  unknownAddresses?: boolean;
}

const NL = 10, CR = 13, SPACE = 32, TAB = 9, HASH = 35, COLON = 58, SLASH = 47, DOT = 46;
const MAX_TOKENS = 64;
const MAX_SECONDS_DIGITS = 12;

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

class GrowableInt32 {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) { this.data = new Int32Array(capacity); }
  push(v: number): number {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  result(): Int32Array { return this.data.slice(0, this.length); }
}

class GrowableFloat64 {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) { this.data = new Float64Array(capacity); }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  result(): Float64Array { return this.data.slice(0, this.length); }
}

export class PerfScriptParser {
  private readonly source: string;
  private readonly maxLineBytes: number;
  private readonly unknownAddresses: boolean;
  private readonly diag = new DiagnosticCounter();

  // Strings and frames.
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private frameIds = new Map<string, number>();
  private frameName = new GrowableInt32();
  private frameModule = new GrowableInt32();
  private frameKind: number[] = [];
  private frameAddress = new GrowableInt32();
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
  private stacks = new PairTable();

  // Threads and events.
  private threadLines = new ByteKeyTable();
  private threadIds = new Map<string, number>();
  private threadPid = new GrowableInt32();
  private threadTid = new GrowableInt32();
  private threadComm = new GrowableInt32();
  private threadRootStack: number[] = [];
  /** Per thread, the previous sample's frames (innermost first) and the stack id at
   * each depth from the root: see internSampleStack. */
  private threadFrames: Int32Array[] = [];
  private threadStacks: Int32Array[] = [];
  private threadDepth: number[] = [];
  private eventLines = new ByteKeyTable();
  private events: EventInfo[] = [];

  // Samples.
  private sTime = new GrowableFloat64();
  private sStack = new GrowableInt32();
  private sWeight = new GrowableFloat64();
  private sThread = new GrowableInt32();
  private sCpu = new GrowableInt32();
  private sEvent = new GrowableInt32();
  /** Integer perf second that sample times are stored relative to until `finish`. */
  private baseSecond: number | null = null;
  private lastTime = -Infinity;
  private sawUntimed = false;
  private needsSort = false;

  // The sample being read.
  private inSample = false;
  private curThread = 0;
  private curTime = NaN;
  private curWeight = 1;
  private curCpu = -1;
  private curEvent = 0;
  private curHasFrames = false;
  private frameBuf: Int32Array = new Int32Array(256);
  private frameCount = 0;

  // Input position.
  private lineNo = 0;
  private bytes = 0;
  private pending: Uint8Array = new Uint8Array(0);
  private pendingLength = 0;
  private skippingLongLine = false;
  private rejected = false;
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
  }

  /** Feeds the next chunk of input. */
  push(input: Uint8Array): void {
    if (this.rejected || input.length === 0) return;
    // A plain Uint8Array view of Node's Buffers too: one kind of array in the hot
    // loops keeps them monomorphic (V8 deoptimizes code that sees both).
    const chunk = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.length);
    if (this.bytes === 0 && this.pendingLength === 0 && this.sniffBinary(chunk)) return;
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
    if (this.skippingLongLine) {
      this.skippingLongLine = false;
    } else if (this.pendingLength > 0) {
      const len = this.pendingLength;
      this.pendingLength = 0;
      this.atEnd = true;
      this.lines(this.pending, 0, len, true);
    }
    this.endSample();
    return this.build();
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

  private sniffBinary(chunk: Uint8Array): boolean {
    const perfData = [0x50, 0x45, 0x52, 0x46, 0x49, 0x4c, 0x45, 0x32]; // "PERFILE2"
    let code: DiagnosticCode | null = null;
    if (chunk.length >= 8 && perfData.every((b, i) => chunk[i] === b)) code = "perf-data";
    else if (chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) code = "compressed";
    else if (chunk.length >= 4 && chunk[0] === 0x28 && chunk[1] === 0xb5 && chunk[2] === 0x2f && chunk[3] === 0xfd) code = "compressed";
    if (code === null) return false;
    this.bytes = chunk.length;
    this.diag.count(code, 1);
    this.rejected = true;
    return true;
  }

  /** Parses the complete lines in buf[pos, end); every line there ends with "\n",
   * except at end of input when `last` is set. */
  private lines(buf: Uint8Array, pos: number, end: number, last = false): void {
    const max = this.maxLineBytes;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (pos < end) {
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
      else if (nl === end && this.inSample && isSpace(buf[pos]) && !this.completeFrame(buf, pos, e)) this.diag.count("truncated-line", this.lineNo);
      else this.line(buf, pos, e);
      pos = nl + 1;
    }
  }

  /** Whether a last line without newline, inside a sample, is whole: a callchain
   * frame ends with its "(module)"; a cut-off one would make up a wrong frame. */
  private completeFrame(buf: Uint8Array, s: number, e: number): boolean {
    while (e > s && isSpace(buf[e - 1])) e--;
    return e === s || buf[e - 1] === 41 /* ) */;
  }

  private line(buf: Uint8Array, s: number, e: number): void {
    if (s === e) return this.endSample();
    const c = buf[s];
    if (c === HASH) return this.headerLine(buf, s, e);
    if (isSpace(c)) {
      let i = s + 1;
      while (i < e && isSpace(buf[i])) i++;
      if (i === e) return this.endSample();
      if (this.inSample && this.frameLine(buf, i, e)) return;
      if (this.eventLine(buf, i, e)) return;
      return this.unparsed(buf, s, e);
    }
    // Column 0: an event line, or a frame line of perf versions that print frames
    // unindented (and then the line must end with its "(module)").
    if (this.eventLine(buf, s, e)) return;
    if (this.inSample && buf[e - 1] === 41 /* ) */ && this.frameLine(buf, s, e)) return;
    this.unparsed(buf, s, e);
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

  /** The hot path: a callchain line seen before, recognised from its address and
   * one compare of the rest of the line, newline included, so that its end needs no
   * separate scan. Returns the position after the line, or -1 (not a known line). */
  private knownFrameLine(buf: Uint8Array, pos: number, end: number): number {
    let i = pos;
    while (i < end && isSpace(buf[i])) i++;
    const addrStart = i;
    while (i < end && HEX[buf[i]] === 1) i++;
    if (i === addrStart || i >= end || !isSpace(buf[i])) return -1;
    const addrEnd = i;
    while (i < end && isSpace(buf[i])) i++;
    // Stacks repeat: the line that followed this sample's previous line last time is
    // the likely one now, and its text sits next to that line's in the table's arena.
    const table = this.frameLines;
    let entry = this.guess;
    if (entry < 0 || !table.matches(entry, buf, this.view, i, end)) {
      let h = 0x811c9dc5;
      for (let a = addrStart; a < addrEnd; a++) h = Math.imul(h ^ buf[a], 0x01000193);
      entry = table.find(buf, this.view, i, end, h);
      if (entry < 0) return -1;
    }
    this.follow(entry);
    const lineEnd = i + table.lengthOf(entry);
    this.pushLineFrames(this.frameLines.valueOf(entry), buf, addrStart, addrEnd, lineEnd);
    return lineEnd;
  }

  /** A callchain line `<hex address> <symbol>[+0x<off>] (<module>)` starting at i and
   * ending at e (the raw line, newline included, ends at this.lineEnd). The table of
   * frame lines is keyed by the raw text after the address and hashed on the address:
   * short, and it tells lines apart nearly as well. */
  private frameLine(buf: Uint8Array, i: number, e: number): boolean {
    const addrStart = i;
    let h = 0x811c9dc5;
    for (let c = buf[i]; i < e && HEX[c] === 1; c = buf[++i]) h = Math.imul(h ^ c, 0x01000193);
    if (i === addrStart || i >= e || !isSpace(buf[i])) return false;
    const addrEnd = i;
    while (i < e && isSpace(buf[i])) i++;
    while (e > i && buf[e - 1] === SPACE) e--;
    if (i === e) return false;
    const keyEnd = this.lineEnd;
    if (buf[keyEnd - 1] !== NL) {
      // The last line of the input, without newline: not a key (keys end in "\n",
      // so that none is a prefix of another line).
      this.pushLineFrames(this.newFrameLine(buf, i, e), buf, addrStart, addrEnd, keyEnd);
      return true;
    }
    const table = this.frameLines;
    let entry = table.find(buf, this.view, i, keyEnd, h);
    if (entry < 0) {
      entry = table.size;
      table.add(buf, i, keyEnd, h, this.newFrameLine(buf, i, e));
    }
    this.follow(entry);
    this.pushLineFrames(table.valueOf(entry), buf, addrStart, addrEnd, keyEnd);
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

  /** Pushes the frames a frame line stands for: one frame (v ≥ 0) or a run. */
  private pushLineFrames(v: number, buf: Uint8Array, addrStart: number, addrEnd: number, lineEnd: number): void {
    this.curHasFrames = true;
    if (v >= 0) {
      this.pushFrame(v);
      return;
    }
    const run = -v - 2;
    if (this.runLength[run] === 0) {
      // Unresolved code whose address is kept: the address is part of the frame.
      const ha = hashBytes(buf, addrStart, lineEnd);
      let va = this.addressLines.get(buf, this.view, addrStart, lineEnd, ha);
      if (va === -1) {
        va = this.internFrame(this.unknownFrames[this.runStart[run]], utf8.decode(buf.subarray(addrStart, addrEnd)));
        this.addressLines.add(buf, addrStart, lineEnd, ha, va);
      }
      this.pushFrame(va);
      return;
    }
    // perf lists frames innermost first; an `a->b->c` run is outermost first.
    for (let k = this.runStart[run] + this.runLength[run] - 1; k >= this.runStart[run]; k--) this.pushFrame(this.runFrames[k]);
  }

  private pushFrame(frame: number): void {
    if (this.frameCount === this.frameBuf.length) {
      const b = new Int32Array(this.frameBuf.length * 2);
      b.set(this.frameBuf);
      this.frameBuf = b;
    }
    this.frameBuf[this.frameCount++] = frame;
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
      id = this.frameName.push(this.string(name));
      this.frameModule.push(module === null ? -1 : this.string(module));
      this.frameKind.push(kind);
      this.frameAddress.push(address === null ? -1 : this.string(address));
      this.frameIds.set(key, id);
    }
    return id;
  }

  private string(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
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
   * tracepoint's payload, or the one frame of a sample recorded without call graphs. */
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
      if (n >= 3 && buf[i - 1] === COLON && i - ts[n - 1] > 1 && !this.isTime(buf, ts[n - 1], i)) {
        if (this.eventAt(buf, s, e, n - 1)) return true;
      }
    }
    return false;
  }

  private eventAt(buf: Uint8Array, s: number, e: number, ev: number): boolean {
    const ts = this.tokStart, te = this.tokEnd;
    let j = ev - 1;
    let periodTok = -1, timeTok = -1, cpuTok = -1;
    if (j >= 2 && this.isDigits(buf, ts[j], te[j])) {
      const p = j - 1;
      if (this.isTime(buf, ts[p], te[p]) || this.isCpu(buf, ts[p], te[p]) || this.isTid(buf, ts[p], te[p])) periodTok = j--;
    }
    if (j >= 1 && this.isTime(buf, ts[j], te[j])) timeTok = j--;
    if (j >= 1 && this.isCpu(buf, ts[j], te[j])) cpuTok = j--;
    if (j < 1 || !this.isTid(buf, ts[j], te[j])) return false;
    const tidTok = j;

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
    this.curThread = this.thread(buf, ts[0], te[tidTok], ts[tidTok], te[tidTok - 1]);
    this.curCpu = cpuTok >= 0 ? this.parseInt(buf, ts[cpuTok] + 1, te[cpuTok] - 1) : -1;
    this.curWeight = periodTok >= 0 ? this.parseInt(buf, ts[periodTok], te[periodTok]) : 1;
    this.curTime = timeTok >= 0 ? this.parseTime(buf, ts[timeTok], te[timeTok] - 1) : NaN;
    this.curEvent = this.event(buf, evStart, evEnd);
    this.inSample = true;
    this.curHasFrames = false;
    this.frameCount = 0;

    // After the event name: a frame (sample without call graph) or a payload.
    let r = te[ev];
    while (r < e && isSpace(buf[r])) r++;
    let re = e;
    while (re > r && isSpace(buf[re - 1])) re--;
    if (r < re && buf[re - 1] === 41 /* ) */ && this.frameLine(buf, r, re)) {
      const info = this.events[this.curEvent];
      if (info.callchain) info.callchain = false;
      this.diag.count("no-callchain", this.lineNo);
      this.endSample();
    }
    return true;
  }

  private thread(buf: Uint8Array, lineStart: number, tidEnd: number, tidStart: number, commEnd: number): number {
    const h = hashBytes(buf, lineStart, tidEnd);
    let id = this.threadLines.get(buf, this.view, lineStart, tidEnd, h);
    if (id >= 0) return id;
    const comm = this.decode(buf, lineStart, commEnd);
    let pid = -1, tid: number;
    const slash = buf.subarray(tidStart, tidEnd).indexOf(SLASH);
    if (slash >= 0) {
      pid = this.parseInt(buf, tidStart, tidStart + slash);
      tid = this.parseInt(buf, tidStart + slash + 1, tidEnd);
    } else {
      tid = this.parseInt(buf, tidStart, tidEnd);
    }
    const key = `${pid}/${tid}/${comm}`;
    id = this.threadIds.get(key) ?? -1;
    if (id < 0) {
      id = this.threadPid.push(pid);
      this.threadTid.push(tid);
      this.threadComm.push(this.string(comm));
      this.threadIds.set(key, id);
      const root = this.internFrame({name: comm, module: null, kind: KIND.process}, null);
      this.threadRootStack.push(this.stacks.intern(-1, root));
    }
    this.threadLines.add(buf, lineStart, tidEnd, h, id);
    return id;
  }

  private event(buf: Uint8Array, s: number, e: number): number {
    const h = hashBytes(buf, s, e);
    let id = this.eventLines.get(buf, this.view, s, e, h);
    if (id < 0) {
      id = this.events.length;
      this.events.push({name: this.decode(buf, s, e), callchain: true});
      this.eventLines.add(buf, s, e, h, id);
    }
    return id;
  }

  private startsWith(buf: Uint8Array, s: number, text: string): boolean {
    for (let k = 0; k < text.length; k++) if (buf[s + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  private isDigits(buf: Uint8Array, s: number, e: number): boolean {
    if (s === e) return false;
    for (let i = s; i < e; i++) if (!isDigit(buf[i])) return false;
    return true;
  }

  /** `123`, `-1`, `123/456`, `-1/-1`. */
  private isTid(buf: Uint8Array, s: number, e: number): boolean {
    let digits = 0;
    for (let i = s; i < e; i++) {
      const c = buf[i];
      if (isDigit(c)) digits++;
      else if (c === SLASH) { if (digits === 0) return false; digits = 0; }
      else if (c !== 45 /* - */ || (i > s && buf[i - 1] !== SLASH)) return false;
    }
    return digits > 0;
  }

  private isCpu(buf: Uint8Array, s: number, e: number): boolean {
    return e - s >= 3 && buf[s] === 91 /* [ */ && buf[e - 1] === 93 /* ] */ && this.isDigits(buf, s + 1, e - 1);
  }

  /** `5086.200000:` or `5086:` (at most 12 digits of seconds and 9 of fraction). */
  private isTime(buf: Uint8Array, s: number, e: number): boolean {
    if (e - s < 2 || buf[e - 1] !== COLON) return false;
    let i = s;
    while (i < e - 1 && isDigit(buf[i])) i++;
    const intDigits = i - s;
    if (intDigits === 0 || intDigits > MAX_SECONDS_DIGITS) return false;
    if (i === e - 1) return true;
    if (buf[i] !== DOT) return false;
    const f = ++i;
    while (i < e - 1 && isDigit(buf[i])) i++;
    return i === e - 1 && i - f >= 1 && i - f <= 9;
  }

  private parseInt(buf: Uint8Array, s: number, e: number): number {
    let v = 0, neg = false;
    for (let i = s; i < e; i++) {
      const c = buf[i];
      if (c === 45) neg = true;
      else v = v * 10 + (c - 48);
    }
    return neg ? -v : v;
  }

  /** Nanoseconds relative to the first sample's whole second, exact. */
  private parseTime(buf: Uint8Array, s: number, e: number): number {
    let sec = 0, i = s;
    for (; i < e && buf[i] !== DOT; i++) sec = sec * 10 + (buf[i] - 48);
    let frac = 0, digits = 0;
    for (i++; i < e; i++, digits++) frac = frac * 10 + (buf[i] - 48);
    for (; digits < 9; digits++) frac *= 10;
    if (this.baseSecond === null) this.baseSecond = sec;
    return (sec - this.baseSecond) * 1e9 + frac;
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
      const st = new Int32Array(Math.max(n, 64) * 2);
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
    this.frameBuf = prevFrames ?? new Int32Array(256);
    return stack;
  }


  private endSample(): void {
    this.lastLine = this.guess = -1;
    if (!this.inSample) return;
    this.inSample = false;
    const stack = this.internSampleStack();
    this.frameCount = 0;
    const t = this.curTime;
    if (Number.isNaN(t)) {
      this.sawUntimed = true;
      this.diag.count("no-time", this.lineNo);
    } else {
      if (t < this.lastTime || this.sawUntimed) {
        if (!this.needsSort && t < this.lastTime) this.diag.count("out-of-order", this.lineNo);
        this.needsSort = true;
      }
      if (t > this.lastTime) this.lastTime = t;
    }
    this.sTime.push(t);
    this.sStack.push(stack);
    this.sWeight.push(this.curWeight);
    this.sThread.push(this.curThread);
    this.sCpu.push(this.curCpu);
    this.sEvent.push(this.curEvent);
  }

  // ---- header -------------------------------------------------------------------

  private headerLine(buf: Uint8Array, s: number, e: number): void {
    // Only `# key : value` lines carry metadata; other comments are skipped.
    const colon = buf.subarray(s, e).indexOf(COLON);
    if (colon < 0) return;
    const text = this.decode(buf, s + 1, e);
    const sep = text.indexOf(":");
    const key = text.slice(0, sep).trim();
    const value = text.slice(sep + 1).trim();
    if (!key || key.length > 40) return;
    const h = this.header;
    if (key === "event") {
      h.events.push(value);
      return;
    }
    h.fields[key] = value;
    switch (key) {
      case "hostname": h.hostname = value; break;
      case "os release": h.osRelease = value; break;
      case "perf version": h.perfVersion = value; break;
      case "arch": h.arch = value; break;
      case "nrcpus online": h.nrcpusOnline = Number(value); break;
      case "nrcpus avail": h.nrcpusAvail = Number(value); break;
      case "cpudesc": h.cpuDesc = value; break;
      case "cmdline": h.cmdline = value; break;
      case "captured on": h.capturedOn = value; break;
      case "reference time": {
        // `2026-11-21 10:41:06.078083 = 1795257666.078083 (TOD) = 94.769259593 (monotonic)`
        const m = /=\s*(\d+(?:\.\d+)?)\s*\(TOD\)\s*=\s*(\d+(?:\.\d+)?)/.exec(value);
        if (m) h.referenceTime = {epoch: Number(m[1]), perf: Number(m[2]), text: value};
        break;
      }
    }
  }

  // ---- result -------------------------------------------------------------------

  private build(): Profile {
    const n = this.sTime.length;
    let time = this.sTime.result();
    let stack = this.sStack.result();
    let weight = this.sWeight.result();
    let thread = this.sThread.result();
    let cpu = this.sCpu.result();
    let event = this.sEvent.result();

    if (this.needsSort) {
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => {
        const ta = time[a], tb = time[b];
        if (Number.isNaN(ta)) return Number.isNaN(tb) ? a - b : 1;
        if (Number.isNaN(tb)) return -1;
        return ta - tb || a - b;
      });
      const permute = <T extends Float64Array | Int32Array>(col: T): T => {
        const out = new (col.constructor as new (n: number) => T)(n);
        for (let i = 0; i < n; i++) out[i] = col[order[i]];
        return out;
      };
      time = permute(time);
      stack = permute(stack);
      weight = permute(weight);
      thread = permute(thread);
      cpu = permute(cpu);
      event = permute(event);
    }

    let origin: number | null = null;
    if (n > 0 && !Number.isNaN(time[0]) && this.baseSecond !== null) {
      // time[0] is the earliest; the origin is its whole second.
      const shift = Math.floor(time[0] / 1e9);
      origin = this.baseSecond + shift;
      if (shift !== 0) for (let i = 0; i < n; i++) time[i] -= shift * 1e9;
    }

    return {
      source: this.source,
      strings: this.strings,
      frames: {
        length: this.frameName.length,
        name: this.frameName.result(),
        module: this.frameModule.result(),
        kind: Uint8Array.from(this.frameKind),
        address: this.frameAddress.result(),
      },
      stacks: {
        length: this.stacks.size,
        prefix: this.stacks.first.slice(0, this.stacks.size),
        frame: this.stacks.second.slice(0, this.stacks.size),
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

/** Parses a whole `perf script` text held in memory. */
export function parsePerfScript(input: Uint8Array | string, options: ParseOptions = {}): Profile {
  const parser = new PerfScriptParser(options);
  parser.push(typeof input === "string" ? new TextEncoder().encode(input) : input);
  return parser.finish();
}
