// How much a parse may hold, so that a hostile or damaged input (a gzip bomb of tiny
// samples, a sample of millions of distinct frame lines) stops with a clear error
// instead of exhausting memory. The costs are measured peaks, see test/lib/perf-parse.test.ts
// ("budgets") and the README's "Guarantees on bad input".

/** Peak bytes one sample takes while it is parsed: 36 bytes of columns, in buffers
 * that grow by doubling, copied once into the profile. Measured (peak RSS, Node 20,
 * 8 to 17 M one-frame samples): 68–75 B in time order, 90–96 B when they must be
 * sorted. */
export const BYTES_PER_SAMPLE = 96;

/** Estimated bytes of one entry of the parser's tables, counted against
 * `maxTableBytes`; text is added at 2 bytes a character (3 for comms, which are kept
 * in more places). Measured (peak RSS, 2 M entries each): a stack 82 B, a distinct
 * frame line with its new frame about 360 B with 10-character names, a thread with
 * its root frame about 1.4 kB. `key` is an entry of a table of byte keys (a frame or
 * thread line). */
export const TABLE_COST = {stack: 80, key: 96, frame: 256, thread: 1600, event: 256, headerField: 128} as const;

export interface ParseBudget {
  /** Samples kept at most; reading stops at the event line of the next one. */
  maxSamples: number;
  /** Estimated bytes of the stack, frame, thread, event and header tables at most. */
  maxTableBytes: number;
}

/** The budgets for a machine with `memoryBytes` of memory whose JavaScript heap may
 * grow to `heapBytes`: half the memory for samples; the tables, whose text lives on
 * the heap, a quarter of the memory and at most half the heap. */
export function budgetForMemory(memoryBytes: number, heapBytes: number): ParseBudget {
  return {
    maxSamples: Math.max(1, Math.floor(memoryBytes / 2 / BYTES_PER_SAMPLE)),
    maxTableBytes: Math.floor(Math.min(memoryBytes / 4, heapBytes / 2)),
  };
}

/** The budgets when nothing is known about the machine (browsers, or the parser
 * without options): those of 4 GiB of memory and a 2 GiB heap, 22 million samples.
 * `readProfile` derives them from the machine instead. */
export const DEFAULT_BUDGET: ParseBudget = budgetForMemory(4 * 2 ** 30, 2 * 2 ** 30);

/** A sample budget written as text (an option, an environment variable): a whole
 * number ≥ 1; null when it is not one. */
export function sampleBudget(text: string): number | null {
  if (!/^\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= Number.MAX_SAFE_INTEGER ? n : null;
}
