// Numbers for people, the same in the CLI, notebooks and the report site.

const COUNT_FORMAT = new Intl.NumberFormat("en-US", {maximumFractionDigits: 1});

/** 12,345 (one decimal for scaled, fractional counts). */
export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** part/whole as a percentage, "12.5%"; "–" when whole is 0. */
export function percent(part: number, whole: number, digits = 1): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(digits)}%` : "–";
}

/** Wall-clock time (ms since the epoch, or an ISO 8601 string) as people read it in
 * UTC: "2026-11-21 11:58:33 UTC", with milliseconds when `ms` is set, without the
 * date when `date` is false ("11:58:33.647 UTC"). */
export function formatWallClock(time: number | string, options: {ms?: boolean; date?: boolean} = {}): string {
  const [date, clock] = isoParts(time, options.ms);
  return `${options.date === false ? "" : `${date} `}${clock} UTC`;
}

/** A span of wall-clock time: "2026-11-21 11:57:17.500–11:57:19.000 UTC" (the date
 * once when both ends share it; none when `date` is false), to the millisecond unless
 * `ms` is false. */
export function formatWallClockRange(from: number | string, to: number | string, options: {ms?: boolean; date?: boolean} = {}): string {
  const ms = options.ms ?? true;
  const [d0, c0] = isoParts(from, ms), [d1, c1] = isoParts(to, ms);
  if (options.date === false) return `${c0}–${c1} UTC`;
  return d0 === d1 ? `${d0} ${c0}–${c1} UTC` : `${d0} ${c0} – ${d1} ${c1} UTC`;
}

/** [date, clock] of a time in UTC; the clock with milliseconds when `ms` is set. */
function isoParts(time: number | string, ms = false): [string, string] {
  const iso = typeof time === "string" ? time : new Date(time).toISOString();
  const [date, clock] = iso.replace("Z", "").split("T");
  return [date, ms ? clock : clock.replace(/\.\d+$/, "")];
}

/** Untrusted text (a file name, a label) as a name for URLs and files: NFC, letters,
 * marks and digits of any script kept, every other run of characters one "-", no "-"
 * at either end; "" when nothing is left. */
export function safeName(text: string): string {
  return text.normalize("NFC").replace(/[^\p{L}\p{M}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "");
}

/** Slugs stay well under file systems' 255-byte name limit, with room for "-NN.html". */
const SLUG_BYTES = 120;

/** Page names for profile names, in order: NFC, letters, marks and digits of any script
 * kept, every other run of characters made one "-", shortened to SLUG_BYTES of UTF-8,
 * and made unique ignoring case (so the pages also differ on case-insensitive file
 * systems) by "-2", "-3" … Names with nothing to keep become "profile". */
export function slugs(names: string[]): string[] {
  const bases = names.map((name) => {
    const slug = safeName(truncateUtf8(safeName(name), SLUG_BYTES));
    return slug || "profile";
  });
  // Each name's own slug wins over a numbered one made for another name.
  const taken = new Set(bases.map((b) => b.toLowerCase()));
  const given = new Set<string>();
  return bases.map((base) => {
    let slug = base;
    for (let n = 2; given.has(slug.toLowerCase()) || (slug !== base && taken.has(slug.toLowerCase())); n++) slug = `${base}-${n}`;
    given.add(slug.toLowerCase());
    return slug;
  });
}

function truncateUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) return text;
  let out = "";
  let bytes = 0;
  for (const ch of text) {
    bytes += encoder.encode(ch).length;
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}
