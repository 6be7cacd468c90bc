// Exact time arithmetic on integer nanoseconds since the origin (doubles hold them
// exactly up to 104 days): the whole second (or whole period) of a time, heat-map
// buckets, and the text form of a heat map's period ("15m", "500ms", "2.5s").

export const NS = 1e9;

/** First nanosecond of bucket b of a period (default one second): the smallest offset
 * o with floor(o·rows/period) = b. When b·period is an exact double, Math.ceil of the
 * division is exact: the quotient is at least 1/rows from an integer it is not, more
 * than half a unit in the last place. Larger products (hour periods, many rows) use
 * BigInt. */
export function bucketStart(b: number, rows: number, period: number = NS): number {
  if (b >= rows) return period;
  const product = b * period;
  if (Number.isSafeInteger(product)) return Math.ceil(product / rows);
  const r = BigInt(rows);
  return Number((BigInt(b) * BigInt(period) + r - 1n) / r);
}

/** "12.5" for 12.5 ms: where bucket b of a period starts, in ms, to 3 decimals at most. */
export function bucketMs(b: number, rows: number, period: number = NS): string {
  return String(+(bucketStart(b, rows, period) / 1e6).toFixed(3));
}

/** The whole second (since the origin) of a time in ns. Division can round up to the
 * next integer just below a second boundary, hence the check. */
export function secondOf(t: number): number {
  const s = Math.floor(t / NS);
  return s * NS > t ? s - 1 : s;
}

/** The heat-map bucket of an offset within its period (0 ≤ offset < period ns,
 * default one second), exactly as bucketStart's edges put it. */
export function bucketOf(offset: number, rows: number, period: number = NS): number {
  const product = offset * rows;
  if (Number.isSafeInteger(product)) return Math.floor(product / period);
  return Number((BigInt(offset) * BigInt(rows)) / BigInt(period));
}

/** The whole period (since the origin) of a time in ns, as secondOf for one second. */
export function periodOf(t: number, period: number): number {
  const k = Math.floor(t / period);
  return k * period > t ? k - 1 : k;
}

// ---- periods -----------------------------------------------------------------------
// A heat map folds time at a period from 10 ms to 1 h, held as whole nanoseconds. Its
// text form is a decimal number and a unit, the same in the CLI, the site's links and
// notebooks: "10ms", "500ms", "2.5s", "15m", "1h" (a bare number is seconds).

export const MIN_PERIOD = 10_000_000;
export const MAX_PERIOD = 3600 * NS;

const PERIOD_UNITS: Record<string, number> = {ms: 1e6, s: NS, m: 60 * NS, min: 60 * NS, h: 3600 * NS};

/** The period (ns) of a text such as "15m", "500ms", "2.5s", "1h" or "2" (seconds):
 * exact decimal arithmetic, so "0.1s" is 100,000,000 ns. Throws, saying what it takes. */
export function parsePeriod(text: string): number {
  const m = /^(\d{1,7})(?:\.(\d{1,9}))?\s*(ms|s|min|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`not a period: ${JSON.stringify(text)} (expected a number and a unit: 500ms, 2.5s, 15m, 1h)`);
  const unit = BigInt(PERIOD_UNITS[m[3] ?? "s"]);
  const fraction = m[2] ?? "";
  const scale = 10n ** BigInt(fraction.length);
  const numerator = (BigInt(m[1]) * scale + BigInt(fraction || "0")) * unit;
  if (numerator % scale !== 0n) throw new Error(`period ${JSON.stringify(text)} is not a whole number of nanoseconds`);
  const period = Number(numerator / scale);
  checkPeriod(period, text);
  return period;
}

/** Throws unless `period` (ns) is a whole number from 10 ms to 1 h. */
export function checkPeriod(period: number, text: string = `${period} ns`): void {
  if (!Number.isSafeInteger(period) || period < MIN_PERIOD || period > MAX_PERIOD) {
    throw new Error(`a period is from 10ms to 1h, not ${JSON.stringify(text)}`);
  }
}

/** A period's text form, which parsePeriod reads back exactly: whole hours or minutes
 * as "1h", "15m"; else seconds from 1 s ("2.5s", "90s"), milliseconds below ("500ms",
 * "12.5ms"). */
export function formatPeriod(period: number): string {
  if (period % (3600 * NS) === 0) return `${period / (3600 * NS)}h`;
  if (period % (60 * NS) === 0) return `${period / (60 * NS)}m`;
  const [unit, size, digits] = period >= NS ? (["s", NS, 9] as const) : (["ms", 1e6, 6] as const);
  const whole = Math.floor(period / size);
  const fraction = String(period - whole * size).padStart(digits, "0").replace(/0+$/, "");
  return `${whole}${fraction ? `.${fraction}` : ""}${unit}`;
}
