// A JSON document read in pieces, so that a large profile never exists as one parsed
// tree (nor as one string). The top-level value's structure is walked byte by byte;
// the arrays named in `streamed` (the values of those keys of a top-level object, or
// a top-level array itself) are split into their elements, and every other value is
// cut out whole. Each element or value is JSON.parse'd on its own (whole numbers
// directly), so JSON.parse still decides what is valid inside them. Only ASCII bytes
// are structural in JSON and no byte of a multi-byte UTF-8 character is ASCII, so
// bytes are cut without decoding and a character split between two pieces is decoded
// once its element is complete.
import {ImportError} from "./errors.js";

export interface JsonStreamHandlers {
  /** Keys of the top-level object whose array values are split into elements; a
   * top-level array is always split, its key "". */
  streamed: ReadonlySet<string>;
  /** The start of a split array (an empty one has no elements to tell of it). */
  array(key: string): void;
  /** An element of a split array, with its index. */
  element(key: string, value: unknown, index: number): void;
  /** The value of a key of the top-level object that is not split (also a split
   * key's value when it is not an array). */
  value(key: string, value: unknown): void;
}

// Where the walk is, between the values it cuts out.
const START = 0, OBJECT_FIRST = 1, OBJECT_KEY = 2, KEY = 3, COLON = 4, OBJECT_VALUE = 5, OBJECT_NEXT = 6, ARRAY_FIRST = 7, ARRAY_ELEMENT = 8, ARRAY_NEXT = 9, VALUE = 10, END = 11;
const WHERE = ["before the JSON", "after {", "after a comma of the top-level object", "in a key of the top-level object", "before a key's colon", "before a key's value", "after a value of the top-level object", "after [", "after a comma of an array", "after an element of an array", "inside a value", "after the end"];

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON_BYTE = 0x3a;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Whole numbers of up to 15 digits are exact in a double and read here directly. */
const MAX_DIRECT_DIGITS = 15;

export class JsonStream {
  private state = START;
  /** Bytes of the pieces before the current one. */
  private offset = 0;
  /** The value being cut out: its bytes in earlier pieces (copied), where it starts
   * in the current piece (-1: not cutting), its absolute start. */
  private parts: Uint8Array[] = [];
  private start = -1;
  private valueAt = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private scalar = false;
  /** Where a cut-out value goes: an element of the split array or a key's value. */
  private valueIsElement = false;
  private key = "";
  private keys = new Set<string>();
  private arrayKey = "";
  private index = 0;
  private decoder = new TextDecoder("utf-8", {fatal: true});
  private bom = 0;

  constructor(private source: string, private format: string, private handlers: JsonStreamHandlers) {}

  /** Reads the next piece of the document (the piece may be reused by the caller
   * afterwards: what is kept of it is copied). */
  push(piece: Uint8Array): void {
    const n = piece.length;
    let i = 0;
    if (this.start !== -1) this.start = 0;
    if (this.offset === 0 && this.bom < 3) {
      // A UTF-8 byte order mark, JSON.parse of a decoded text does not see it either.
      while (i < n && this.bom < 3 && piece[i] === [0xef, 0xbb, 0xbf][this.bom]) i++, this.bom++;
      if (this.bom > 0 && this.bom < 3 && i < n) this.fail(i, "a damaged byte order mark");
    }
    while (i < n) {
      if (this.state === VALUE || this.state === KEY) {
        i = this.cut(piece, i);
        continue;
      }
      const b = piece[i];
      if (isSpace(b)) {
        i++;
        continue;
      }
      switch (this.state) {
        case START:
          if (b === OPEN_BRACE) this.state = OBJECT_FIRST;
          else if (b === OPEN_BRACKET) this.beginArray("");
          else this.fail(i, `expected an object or an array, found ${this.shown(b)}`);
          i++;
          break;
        case OBJECT_FIRST:
        case OBJECT_KEY:
          if (b === CLOSE_BRACE && this.state === OBJECT_FIRST) this.state = END;
          else if (b === QUOTE) this.begin(piece, i, KEY);
          else this.fail(i, `expected a key in quotes, found ${this.shown(b)}`);
          if (this.state !== KEY) i++;
          break;
        case COLON:
          if (b !== COLON_BYTE) this.fail(i, `expected : after the key ${JSON.stringify(this.key)}, found ${this.shown(b)}`);
          this.state = OBJECT_VALUE;
          i++;
          break;
        case OBJECT_VALUE:
          if (b === OPEN_BRACKET && this.handlers.streamed.has(this.key)) {
            this.beginArray(this.key);
            i++;
          } else {
            this.valueIsElement = false;
            this.begin(piece, i, VALUE);
          }
          break;
        case OBJECT_NEXT:
          if (b === COMMA) this.state = OBJECT_KEY;
          else if (b === CLOSE_BRACE) this.state = END;
          else this.fail(i, `expected , or } after the value of ${JSON.stringify(this.key)}, found ${this.shown(b)}`);
          i++;
          break;
        case ARRAY_FIRST:
        case ARRAY_ELEMENT:
          if (b === CLOSE_BRACKET && this.state === ARRAY_FIRST) {
            this.endArray();
            i++;
          } else {
            this.valueIsElement = true;
            this.begin(piece, i, VALUE);
          }
          break;
        case ARRAY_NEXT:
          if (b === COMMA) this.state = ARRAY_ELEMENT;
          else if (b === CLOSE_BRACKET) this.endArray();
          else this.fail(i, `expected , or ] after element ${this.index - 1} of ${this.arrayName()}, found ${this.shown(b)}`);
          i++;
          break;
        case END:
          this.fail(i, `${this.shown(b)} after the end of the JSON`);
      }
    }
    // A copy (a Node Buffer's slice would be a view of a buffer the caller reuses).
    if (this.start !== -1) this.parts.push(new Uint8Array(piece.subarray(this.start)));
    this.offset += n;
  }

  /** Ends the document: fails when it is not complete. */
  finish(): void {
    if (this.state !== END) {
      const where = this.state === VALUE || this.state === KEY ? `inside the value that starts at byte ${this.valueAt}` : WHERE[this.state];
      throw new ImportError(this.source, this.format, `byte ${this.offset}`, `the JSON ends early, ${where} (a truncated file?)`);
    }
  }

  private beginArray(key: string): void {
    this.handlers.array(key);
    this.arrayKey = key;
    this.index = 0;
    this.state = ARRAY_FIRST;
  }

  private endArray(): void {
    this.state = this.arrayKey === "" ? END : OBJECT_NEXT;
  }

  private arrayName(): string {
    return this.arrayKey === "" ? "the top-level array" : JSON.stringify(this.arrayKey);
  }

  /** Starts cutting out a key (`state` KEY) or a value (VALUE) at piece[i]. */
  private begin(piece: Uint8Array, i: number, state: number): void {
    const b = piece[i];
    this.state = state;
    this.start = i;
    this.valueAt = this.offset + i;
    this.parts.length = 0;
    this.depth = 0;
    this.escape = false;
    this.inString = false;
    this.scalar = false;
    if (b === QUOTE) return;
    if (b === OPEN_BRACE || b === OPEN_BRACKET) return;
    if (b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e) {
      this.scalar = true;
      return;
    }
    this.fail(i, `expected a value, found ${this.shown(b)}`);
  }

  /** Goes on cutting from piece[i]; returns where it stopped (the end of the piece, or
   * just past the value, which is then handed on). */
  private cut(piece: Uint8Array, i: number): number {
    const n = piece.length;
    if (this.scalar) {
      while (i < n) {
        const b = piece[i];
        if (b === COMMA || b === CLOSE_BRACKET || b === CLOSE_BRACE || isSpace(b)) return this.end(piece, i);
        i++;
      }
      return i;
    }
    // The first byte (a quote or a bracket) is at `start`; later pieces go on after it.
    if (i === this.start && this.offset + i === this.valueAt) {
      if (piece[i] === QUOTE) this.inString = true;
      else this.depth = 1;
      i++;
    }
    while (i < n) {
      const b = piece[i++];
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (b === BACKSLASH) this.escape = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.depth === 0) return this.end(piece, i);
        }
      } else if (b === QUOTE) {
        this.inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        this.depth++;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (--this.depth === 0) return this.end(piece, i);
      }
    }
    return i;
  }

  /** The value cut out ends before piece[i]: parses it and hands it on. */
  private end(piece: Uint8Array, i: number): number {
    const bytes = this.bytesTo(piece, i);
    this.start = -1;
    this.parts.length = 0;
    if (this.state === KEY) {
      const key = this.parse(bytes) as string;
      if (this.keys.has(key)) this.failAt(this.valueAt, `the key ${JSON.stringify(key)} appears twice in the top-level object`);
      this.keys.add(key);
      this.key = key;
      this.state = COLON;
      return i;
    }
    const value = this.scalar ? this.number(bytes) : this.parse(bytes);
    if (this.valueIsElement) {
      this.state = ARRAY_NEXT;
      this.handlers.element(this.arrayKey, value, this.index++);
    } else {
      this.state = OBJECT_NEXT;
      this.handlers.value(this.key, value);
    }
    return i;
  }

  private bytesTo(piece: Uint8Array, i: number): Uint8Array {
    const tail = piece.subarray(this.start, i);
    if (this.parts.length === 0) return tail;
    const whole = new Uint8Array(this.parts.reduce((sum, p) => sum + p.length, tail.length));
    let at = 0;
    for (const p of this.parts) whole.set(p, at), (at += p.length);
    whole.set(tail, at);
    return whole;
  }

  /** A scalar: a whole number of few digits directly, anything else by JSON.parse. */
  private number(bytes: Uint8Array): unknown {
    const negative = bytes[0] === 0x2d ? 1 : 0;
    const digits = bytes.length - negative;
    if (digits > 0 && digits <= MAX_DIRECT_DIGITS && (bytes[negative] !== 0x30 || digits === 1)) {
      let v = 0;
      let k = negative;
      for (; k < bytes.length; k++) {
        const d = bytes[k] - 0x30;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (k === bytes.length) return negative ? -v : v;
    }
    return this.parse(bytes);
  }

  private parse(bytes: Uint8Array): unknown {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      this.failAt(this.valueAt, "the value that starts here is not valid UTF-8");
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      this.failAt(this.valueAt, `not valid JSON in the value that starts here (${(e as Error).message})`);
    }
  }

  private shown(b: number): string {
    return b >= 0x21 && b < 0x7f ? JSON.stringify(String.fromCharCode(b)) : `byte 0x${b.toString(16).padStart(2, "0")}`;
  }

  private fail(i: number, problem: string): never {
    this.failAt(this.offset + i, problem);
  }

  private failAt(at: number, problem: string): never {
    throw new ImportError(this.source, this.format, `byte ${at}`, problem);
  }
}
