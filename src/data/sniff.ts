// Node-only: is a file in a profiles folder a profile (perf script text, or one of the
// other formats of ../lib/import)? Decided by its first bytes (decompressed when it is
// gzip), not by its name, so a perf.data file named app.perf or a notes.txt or
// package.json beside the profiles is skipped with what it is, and no part of it is
// published.
import {closeSync, constants, openSync, readSync} from "node:fs";
import {constants as zlib, gunzipSync} from "node:zlib";
import {decodePprof} from "../lib/import/pprof.js";
import {jsonPrefixFormat, sniffFormat} from "../lib/import/index.js";
import {parsePerfScript} from "../lib/perf/parse.js";

/** How much of a plain file is read to decide. */
const PLAIN_PREFIX = 64 << 10;
/** How much of a gzip file is read; it decompresses to at most ~1032 times as much. */
const GZIP_PREFIX = 8 << 10;
/** How much decompressed text is parsed to decide. */
const TEXT_PREFIX = 64 << 10;

/** Null when the file starts like a profile (perf script text with samples or perf's
 * `#` header before them, or another format's start); else what the file is, in a few
 * words, for the list of files the report does not show. The file's content never
 * appears in the answer. */
export function notAProfileFile(path: string, bytes: number): string | null {
  if (bytes === 0) return "an empty file";
  let head: Uint8Array;
  try {
    head = readPrefix(path, PLAIN_PREFIX);
  } catch (e) {
    return `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  const complete = head.length >= bytes;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    let text: Uint8Array;
    try {
      // A partial gzip stream: flush what the first bytes hold instead of failing on
      // the missing end.
      text = gunzipSync(head.subarray(0, GZIP_PREFIX), {finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: 16 << 20});
    } catch (e) {
      return `gzip data that cannot be decompressed (${(e as Error).message})`;
    }
    if (text.length === 0) return complete ? "an empty gzip file" : "gzip data that decompresses to nothing in its first 8 KiB";
    return notPerfScriptText(text.subarray(0, TEXT_PREFIX), complete && head.length <= GZIP_PREFIX && text.length <= TEXT_PREFIX, "gzip-compressed ");
  }
  return notPerfScriptText(head, complete, "");
}

/** The decision on the first bytes of (decompressed) content; `complete` when they are
 * all of it. */
function notPerfScriptText(head: Uint8Array, complete: boolean, compressed: string): string | null {
  const format = sniffFormat(head);
  if (format === "folded") return null;
  if (format === "json") {
    return jsonPrefixFormat(new TextDecoder().decode(head), complete) === null ? `${compressed}JSON that is not a profile format subsecond reads` : null;
  }
  if (format === "pprof") {
    if (!complete) return null; // decided when it is read; a damaged one gets its error on its page
    try {
      decodePprof(head, "");
      return null;
    } catch {
      return `${compressed}binary data, neither pprof nor perf script text`;
    }
  }
  // Whole lines only: the last line of a prefix may be cut anywhere.
  const end = complete ? head.length : head.lastIndexOf(0x0a) + 1;
  const profile = parsePerfScript(end > 0 ? head.subarray(0, end) : head);
  const fatal = profile.diagnostics.entries.find((d) => d.severity === "error");
  if (fatal?.code === "perf-data") return `a binary perf.data file, not perf script text: make that with \`perf script --header -i FILE > FILE.perf\``;
  if (fatal?.code === "compressed") return `${compressed}compressed data in a format other than gzip: decompress it first`;
  // perf script prints no NUL bytes; binary data can still look like a sample or two.
  if (head.includes(0)) return `${compressed}binary data, not text`;
  if (profile.samples.length > 0) return null;
  const unrecognized = profile.diagnostics.entries.find((d) => d.code === "unrecognized-line" || d.code === "long-line" || d.code === "stray-frame");
  if (unrecognized) return `${compressed}text that is not perf script output (line ${unrecognized.lines[0]} is not a perf script line)`;
  // Only `#` lines so far: perf's header (`perf script --header`), whose samples, if
  // any, come later (reading it decides), or other text that starts with `#`.
  const {header} = profile;
  if (header.perfVersion !== undefined || header.capturedOn !== undefined || header.hostname !== undefined) return null;
  return `${compressed}text that is not perf script output (no samples and no perf header)`;
}

/** Up to `max` bytes from the start of a file, never following a symbolic link and
 * never waiting on a FIFO put where a file was a moment ago. */
function readPrefix(path: string, max: number): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const buf = new Uint8Array(max);
    let n = 0;
    for (let k; n < max && (k = readSync(fd, buf, n, max - n, null)) > 0; ) n += k;
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
