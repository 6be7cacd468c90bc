// Exact time arithmetic on integer nanoseconds since the origin (doubles hold them
// exactly up to 104 days): the whole second of a time, and heat-map buckets.

export const NS = 1e9;

/** First nanosecond of bucket b: the smallest offset o with floor(o·rows/1e9) = b. */
export function bucketStart(b: number, rows: number): number {
  return b >= rows ? NS : Math.ceil((b * NS) / rows);
}

/** The whole second (since the origin) of a time in ns. Division can round up to the
 * next integer just below a second boundary, hence the check. */
export function secondOf(t: number): number {
  const s = Math.floor(t / NS);
  return s * NS > t ? s - 1 : s;
}

/** The heat-map bucket of an offset within its second (0 ≤ offset < 1e9 ns). */
export function bucketOf(offset: number, rows: number): number {
  return Math.floor((offset * rows) / NS);
}

