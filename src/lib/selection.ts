// Selections of samples by time: ranges, heat-map cell blocks, and unions of them, with
// a short URL-safe text form. All arithmetic is on integer nanoseconds since the origin,
// and cell edges are the exact edges of heat-map buckets, so a selection built from
// cells holds exactly the samples counted in those cells, folded maps' cells too.

import {formatWallClockRange} from "./format.js";
import {bucketStart, checkPeriod, formatPeriod, NS, parsePeriod} from "./time.js";

/** Samples with origin + from ≤ time < origin + to (integer ns since the origin). */
export interface TimeRange {
  kind: "range";
  from: number;
  to: number;
}

/** Seconds s0..s1 × buckets b0..b1 (inclusive) of a heat map with `rows` buckets a
 * second: only those offsets within those seconds. A rectangular brush. On a folded
 * map (`period` ns a column), s0..s1 are periods and the buckets offsets within them:
 * those offsets in every one of those periods. */
export interface CellBlock {
  kind: "cells";
  rows: number;
  s0: number;
  s1: number;
  b0: number;
  b1: number;
  /** The time a column spans, in ns; absent for one second. */
  period?: number;
}

export type SelectionPart = TimeRange | CellBlock;

/** A union of parts; null is the whole profile (samples without time included). */
export type Selection = SelectionPart[] | null;

/** The largest time (seconds since the origin, either sign) a selection holds: times
 * are integer nanoseconds, exact in a double up to 2^53 ns, about 104 days. */
export const MAX_SELECTION_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / NS);

/** Most parts in a selection's text form: its work grows with them. */
export const MAX_SELECTION_PARTS = 256;

function checkSeconds(seconds: number): number {
  if (!Number.isFinite(seconds) || Math.abs(seconds) > MAX_SELECTION_SECONDS) {
    throw new Error(`${seconds} s is out of range: times are seconds since the origin, within ±${MAX_SELECTION_SECONDS} (about 104 days)`);
  }
  return Math.round(seconds * NS);
}

/** A time range in seconds since the origin (ends swapped if reversed). */
export function timeRange(fromSeconds: number, toSeconds: number): TimeRange {
  const a = checkSeconds(fromSeconds), b = checkSeconds(toSeconds);
  return {kind: "range", from: Math.min(a, b), to: Math.max(a, b)};
}

export interface Cell {
  second: number;
  bucket: number;
}

/** FlameScope's two-click selection: from the start cell's lower edge to the end
 * cell's upper edge. An end before the start swaps them; one cell twice is that cell.
 * Cells of a folded map (`period` ns a column) span that period's time. */
export function rangeFromCells(start: Cell, end: Cell, rows: number, period: number = NS): TimeRange {
  checkRows(rows);
  const key = (c: Cell) => c.second * rows + c.bucket;
  const [a, b] = key(end) < key(start) ? [end, start] : [start, end];
  return {kind: "range", from: a.second * period + bucketStart(a.bucket, rows, period), to: b.second * period + bucketStart(b.bucket + 1, rows, period)};
}

/** A cell block from any two corners, of a heat map with `period` ns a column
 * (default one second). */
export function cellBlock(s0: number, s1: number, b0: number, b1: number, rows: number, period: number = NS): CellBlock {
  checkRows(rows);
  checkPeriod(period);
  for (const v of [s0, s1, b0, b1]) if (!Number.isSafeInteger(v) || v < 0) throw new Error(`cell coordinates are whole numbers ≥ 0, not ${v}`);
  const last = Math.floor(Number.MAX_SAFE_INTEGER / period);
  if (Math.max(s0, s1) > last) {
    throw new Error(`${period === NS ? "second" : "period"} ${Math.max(s0, s1)} is out of range: at most ${last} (about 104 days)`);
  }
  if (Math.max(b0, b1) >= rows) throw new Error(`bucket ${Math.max(b0, b1)} is outside 0..${rows - 1} at ${rows} rows`);
  const block: CellBlock = {kind: "cells", rows, s0: Math.min(s0, s1), s1: Math.max(s0, s1), b0: Math.min(b0, b1), b1: Math.max(b0, b1)};
  if (period !== NS) block.period = period;
  return block;
}

/** The time a cell block's column spans, in ns. */
export function cellPeriod(block: CellBlock): number {
  return block.period ?? NS;
}

/** A cell block's first and last ns (exclusive) since the origin. */
function cellBlockBounds(p: CellBlock): [number, number] {
  const period = cellPeriod(p);
  return [p.s0 * period + bucketStart(p.b0, p.rows, period), p.s1 * period + bucketStart(p.b1 + 1, p.rows, period)];
}

export function checkRows(rows: number): void {
  if (!Number.isInteger(rows) || rows < 1 || rows > 1_000_000) throw new Error(`rows must be a whole number from 1 to 1000000, not ${rows}`);
}

// ---- text form ----------------------------------------------------------------
// "all" | parts joined by "~"; a part is "t<from>_<to>" (seconds, decimal) or
// "c<s0>_<s1>x<b0>_<b1>r<rows>", with "p<period>" after it for a folded map's cells
// ("c0_7x3_3r60p15m"). Only URL-unreserved characters.

function secondsText(ns: number): string {
  const neg = ns < 0;
  const abs = Math.abs(ns);
  const whole = Math.floor(abs / NS);
  const frac = String(abs - whole * NS).padStart(9, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

function parseSecondsText(text: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) throw new Error(`not a time in seconds: ${JSON.stringify(text)}`);
  const whole = Number(m[2]);
  if (whole > MAX_SELECTION_SECONDS) checkSeconds(whole); // throws, saying the range
  const ns = whole * NS + Number((m[3] ?? "").padEnd(9, "0"));
  return m[1] ? -ns : ns;
}

export function formatSelection(selection: Selection): string {
  if (selection === null) return "all";
  return selection
    .map((p) => (p.kind === "range"
      ? `t${secondsText(p.from)}_${secondsText(p.to)}`
      : `c${p.s0}_${p.s1}x${p.b0}_${p.b1}r${p.rows}${p.period === undefined ? "" : `p${formatPeriod(p.period)}`}`))
    .join("~");
}

export function parseSelection(text: string): Selection {
  const t = text.trim();
  if (t === "all" || t === "") return null;
  const parts = t.split("~");
  if (parts.length > MAX_SELECTION_PARTS) throw new Error(`a selection has at most ${MAX_SELECTION_PARTS} parts, not ${parts.length}`);
  return parts.map((part) => {
    let m = /^t(-?[\d.]+)_(-?[\d.]+)$/.exec(part);
    if (m) {
      const a = parseSecondsText(m[1]), b = parseSecondsText(m[2]);
      return {kind: "range", from: Math.min(a, b), to: Math.max(a, b)} satisfies TimeRange;
    }
    m = /^c(\d+)_(\d+)x(\d+)_(\d+)r(\d+)(?:p([\d.]+[a-z]+))?$/.exec(part);
    if (m) return cellBlock(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] === undefined ? NS : parsePeriod(m[6]));
    throw new Error(`not a selection: ${JSON.stringify(part)} (expected t<from>_<to>, c<s0>_<s1>x<b0>_<b1>r<rows> or c<s0>_<s1>x<b0>_<b1>r<rows>p<period>)`);
  });
}

/** A selection for people: "12.5–14.25 s", "seconds 3–40 × 200–260 ms", "periods 0–7
 * of 15m × 45–60 s". */
export function describeSelection(selection: Selection): string {
  if (selection === null) return "whole profile";
  if (selection.length === 0) return "nothing";
  return selection
    .map((p) => {
      if (p.kind === "range") return `${secondsText(p.from)}–${secondsText(p.to)} s`;
      const period = cellPeriod(p);
      if (period === NS) {
        const ms = (b: number) => +((bucketStart(b, p.rows) / 1e6).toFixed(3));
        const secs = p.s0 === p.s1 ? `second ${p.s0}` : `seconds ${p.s0}–${p.s1}`;
        return `${secs} × ${ms(p.b0)}–${ms(p.b1 + 1)} ms`;
      }
      const periods = p.s0 === p.s1 ? `period ${p.s0}` : `periods ${p.s0}–${p.s1}`;
      return `${periods} of ${formatPeriod(period)} × ${offsetRangeText(bucketStart(p.b0, p.rows, period), bucketStart(p.b1 + 1, p.rows, period), period)}`;
    })
    .join(" ∪ ");
}

/** Offsets within a period in the unit that suits the period: ms below 10 s, s below
 * 10 min, else min; three decimals at most ("45–60 s"). */
export function offsetRangeText(fromNs: number, toNs: number, period: number): string {
  const [unit, size] = period < 10 * NS ? ["ms", 1e6] : period < 600 * NS ? ["s", NS] : ["min", 60 * NS];
  const text = (ns: number) => String(+(ns / size).toFixed(3));
  return `${text(fromNs)}–${text(toNs)} ${unit}`;
}

/** The earliest start and latest end (ns since the origin) of a selection's parts;
 * null for the whole profile or nothing. */
export function selectionBounds(selection: Selection): {from: number; to: number} | null {
  if (selection === null || selection.length === 0) return null;
  let from = Infinity, to = -Infinity;
  for (const p of selection) {
    const [a, b] = p.kind === "range" ? [p.from, p.to] : cellBlockBounds(p);
    from = Math.min(from, a);
    to = Math.max(to, b);
  }
  return {from, to};
}

/** A selection's span in wall-clock time, to the millisecond ("11:57:17.500–11:57:19.000
 * UTC"), from the wall-clock time (ms since the epoch) of the origin; null when there
 * is none, or for the whole profile. */
export function describeSelectionWallClock(selection: Selection, originWallClock: number | null, options: {date?: boolean} = {}): string | null {
  const bounds = selectionBounds(selection);
  if (bounds === null || originWallClock === null) return null;
  return formatWallClockRange(originWallClock + bounds.from / 1e6, originWallClock + bounds.to / 1e6, {date: options.date ?? false});
}
