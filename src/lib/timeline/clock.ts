// Timestamps as logs write them, read into seconds on a named clock: epoch seconds,
// ms, µs or ns (told apart by size), and ISO 8601 (to the nanosecond, with or without
// a zone; without one it is read as UTC).
import type {TrackClock} from "./track.js";
import {NS} from "../time.js";

export interface Timestamp {
  seconds: number;
  clock: TrackClock;
  /** The resolution the text gives, seconds. */
  resolution: number;
}

const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/** Epoch seconds of an ISO 8601 date-time; null when it is none. `zoned` says whether
 * the text gave its zone. */
export function isoSeconds(text: string): {seconds: number; resolution: number; zoned: boolean} | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  if (!Number.isFinite(ms) || +mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return null;
  let offset = 0;
  if (zone && zone !== "Z") {
    const z = zone.replace(":", "");
    offset = (zone[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 3600 + Number(z.slice(3, 5)) * 60);
  }
  const fraction = frac ? Number(frac) / 10 ** frac.length : 0;
  return {seconds: ms / 1000 - offset + fraction, resolution: frac ? 10 ** -frac.length : 1, zoned: !!zone};
}

/** A number as an epoch time: ≥ 1e17 ns, ≥ 1e14 µs, ≥ 1e11 ms, ≥ 1e9 s (after 2001);
 * smaller numbers are seconds on a clock the log does not name (`relative`). */
export function epochNumber(text: string): Timestamp | null {
  if (!/^\d{1,19}(?:\.\d{1,9})?$/.test(text)) return null;
  const v = Number(text);
  const dot = text.indexOf(".");
  const digits = dot < 0 ? 0 : text.length - dot - 1;
  const unit = v >= 1e17 ? 1e-9 : v >= 1e14 ? 1e-6 : v >= 1e11 ? 1e-3 : 1;
  if (unit === 1e-9 && dot < 0) {
    // beyond 2^53: split to keep the nanoseconds
    const s = Number(text.slice(0, -9)), ns = Number(text.slice(-9));
    return {seconds: s + ns / NS, clock: "wall", resolution: 1e-9};
  }
  return {seconds: v * unit, clock: v >= 1e9 ? "wall" : "relative", resolution: unit * 10 ** -digits};
}

/** A timestamp written either way. */
export function parseTimestamp(text: string): Timestamp | null {
  const iso = isoSeconds(text);
  if (iso) return {seconds: iso.seconds, clock: "wall", resolution: iso.resolution};
  return epochNumber(text);
}
