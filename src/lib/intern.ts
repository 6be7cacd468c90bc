// Hash tables for interning without allocating a string per line: the parser hashes
// byte ranges of its input buffer directly and only decodes text the first time a key
// is seen. Both tables are open-addressing with linear probing over Int32Arrays.
//
// Input files are untrusted, so the hashes start from a random value chosen once per
// process: a file cannot be crafted to make its keys collide (hash flooding would turn
// each lookup into a walk over every key, and the parse quadratic).

/** FNV-1a's offset basis. */
const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a's starting value, made random per process. */
export const HASH_BASIS = (FNV_BASIS ^ Math.floor(Math.random() * 0x100000000)) | 0;

/** One step of FNV-1a: hash h followed by one byte (or UTF-16 code unit). The one
 * definition of the hash, for loops that hash while they scan. */
export function fnvStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, FNV_PRIME);
}

/** FNV-1a (from HASH_BASIS) over bytes [start, end) of buf. */
export function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = HASH_BASIS;
  for (let i = start; i < end; i++) h = fnvStep(h, buf[i]);
  return h;
}

/** FNV-1a over a string's UTF-16 code units, as an unsigned 32-bit number, from
 * FNV's own basis (not HASH_BASIS: colours, synthetic addresses and random streams
 * must come out the same in every run), for code that hashes names it already holds
 * as strings. */
export function hashString(text: string): number {
  let h = FNV_BASIS;
  for (let i = 0; i < text.length; i++) h = fnvStep(h, text.charCodeAt(i));
  return h >>> 0;
}

/** Interns strings to dense ids 0, 1, 2, … in order of first sight. */
export class StringTable {
  /** The strings by id. */
  readonly strings: string[] = [];
  private ids = new Map<string, number>();

  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.ids.set(text, id);
    }
    return id;
  }
}

/** Entries of one hash that make it crowded (see `ByteKeyTable.crowded`). */
export const CROWDED = 8;

/** Maps byte strings to int values. Keys are copied into an arena, so the caller's
 * buffer may be reused after `add`. The hash is the caller's choice: any function of
 * the key's bytes, or of other bytes that come with them (entries are then told apart
 * by hash and bytes together, which is still exact). */
export class ByteKeyTable {
  private slots = new Int32Array(1024); // entry index + 1, 0 = empty
  private hashes = new Int32Array(256);
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  private values = new Int32Array(256);
  private arena = new Uint8Array(16384);
  private arenaView: DataView = new DataView(this.arena.buffer);
  private arenaUsed = 0;
  size = 0;

  /** The value stored for bytes [start, end) of buf (`view` is a DataView of the same
   * bytes) with hash h, or -1. */
  get(buf: Uint8Array, view: DataView, start: number, end: number, h: number): number {
    const mask = this.slots.length - 1;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === h && this.lengths[entry] === len && this.matches(entry, buf, view, start, end)) return this.values[entry];
    }
  }

  /** Whether entry's key is a prefix of buf[start, limit). Compares eight bytes at a
   * time as doubles, then four, then the rest: equal doubles have equal bytes unless
   * they are zeros (+0 and -0 are equal) or NaN (never equal), and both of those
   * leave the loop for the exact compares after it. */
  matches(entry: number, buf: Uint8Array, view: DataView, start: number, limit: number): boolean {
    const end = start + this.lengths[entry];
    if (end > limit) return false;
    const arena = this.arenaView;
    const p = this.starts[entry] - start;
    let i = start;
    for (const longs = end - 7; i < longs; i += 8) {
      const x = arena.getFloat64(p + i, true);
      if (x !== view.getFloat64(i, true) || x === 0) break;
    }
    const words = end - 3;
    while (i < words && arena.getInt32(p + i, true) === view.getInt32(i, true)) i += 4;
    while (i < end && this.arena[p + i] === buf[i]) i++;
    return i === end;
  }

  /** The entry whose key is a prefix of buf[start, limit), with hash h, or -1. */
  find(buf: Uint8Array, view: DataView, start: number, limit: number, h: number): number {
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === h && this.matches(entry, buf, view, start, limit)) return entry;
    }
  }

  /** Whether CROWDED entries or more have hash h. Callers whose hash covers only part
   * of the key (the parser hashes a frame line's address alone) then store and find
   * keys of that hash under a hash of the whole key instead, so that no lookup walks
   * more than a few entries of one hash. */
  crowded(h: number): boolean {
    const mask = this.slots.length - 1;
    let same = 0;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return false;
      if (this.hashes[entry] === h && ++same >= CROWDED) return true;
    }
  }

  valueOf(entry: number): number {
    return this.values[entry];
  }

  lengthOf(entry: number): number {
    return this.lengths[entry];
  }

  /** Stores a key that `get` has just reported missing. */
  add(buf: Uint8Array, start: number, end: number, h: number, value: number): void {
    const len = end - start;
    if (this.size === this.hashes.length) this.growEntries();
    if (this.arenaUsed + len > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + len));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
      this.arenaView = new DataView(arena.buffer);
    }
    this.arena.set(buf.subarray(start, end), this.arenaUsed);
    const entry = this.size++;
    this.hashes[entry] = h;
    this.starts[entry] = this.arenaUsed;
    this.lengths[entry] = len;
    this.values[entry] = value;
    this.arenaUsed += len;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    for (let e = 0; e < this.size; e++) this.place(e);
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    this.hashes = grow(this.hashes, n);
    this.starts = grow(this.starts, n);
    this.lengths = grow(this.lengths, n);
    this.values = grow(this.values, n);
  }
}

function grow(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** Interns (a, b) pairs of non-negative ints (or -1 for a) to dense ids 0, 1, 2, …;
 * the pairs themselves are the caller's columns, read back through `first`/`second`. */
export class PairTable {
  /** Open addressing with the keys inline, (a, b, id + 1) per slot, so a probe reads
   * one place in memory; id + 1 = 0 marks an empty slot. */
  private slots = new Int32Array(3 * 4096);
  private capacity = 4096;
  size = 0;
  first = new Int32Array(1024);
  second = new Int32Array(1024);

  intern(a: number, b: number): number {
    const slots = this.slots, mask = this.capacity - 1;
    let slot = pairHash(a, b) & mask;
    for (;;) {
      const k = slot * 3;
      const id = slots[k + 2] - 1;
      if (id < 0) break;
      if (slots[k] === a && slots[k + 1] === b) return id;
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    if (id === this.first.length) {
      this.first = grow(this.first, id * 2);
      this.second = grow(this.second, id * 2);
    }
    this.first[id] = a;
    this.second[id] = b;
    if (this.size * 2 > this.capacity) this.rehash(this.capacity * 2);
    else this.place(slots, slot, a, b, id);
    return id;
  }

  private place(slots: Int32Array, slot: number, a: number, b: number, id: number): void {
    slots[slot * 3] = a;
    slots[slot * 3 + 1] = b;
    slots[slot * 3 + 2] = id + 1;
  }

  private rehash(capacity: number): void {
    const slots = new Int32Array(3 * capacity), mask = capacity - 1;
    for (let e = 0; e < this.size; e++) {
      const a = this.first[e], b = this.second[e];
      let s = pairHash(a, b) & mask;
      while (slots[s * 3 + 2] !== 0) s = (s + 1) & mask;
      this.place(slots, s, a, b, e);
    }
    this.slots = slots;
    this.capacity = capacity;
  }
}

function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ HASH_BASIS, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return h ^ (h >>> 13);
}
