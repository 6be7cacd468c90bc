// Which format a profile is in, decided by its content, never by its name: (gzip is
// undone by the caller first) binary magic, then JSON and its keys, then a sniff of
// the first lines of text. Then the format's importer fills the one profile model.
// Browser-safe: bytes in, Profile out.
import {parsePerfScript} from "../perf/parse.js";
import type {Profile} from "../profile.js";
import {CHROME_TRACE, CHROME_TRACE_STREAMED, ChromeTraceReader, importChromeTrace, isChromeTrace} from "./chrome-trace.js";
import {CPUPROFILE, CPUPROFILE_STREAMED, CpuProfileReader, importCpuProfile, isCpuProfile} from "./cpuprofile.js";
import {JsonStream} from "./json-stream.js";
import {ImportError} from "./errors.js";
import {FOLDED, importFolded, looksFolded} from "./folded.js";
import {GECKO, importGecko, isGecko} from "./gecko.js";
import type {ImportOptions} from "./options.js";
import {importPprof, PPROF} from "./pprof.js";
import {importSpeedscope, isSpeedscope, SPEEDSCOPE} from "./speedscope.js";

export {ImportError} from "./errors.js";
export type {ImportOptions} from "./options.js";

/** The formats `--format` names, with what each is. */
export const FORMATS = {
  perf: "perf script text",
  cpuprofile: CPUPROFILE,
  "chrome-trace": CHROME_TRACE,
  pprof: PPROF,
  speedscope: SPEEDSCOPE,
  gecko: GECKO,
  folded: FOLDED,
} as const;

export type FormatName = keyof typeof FORMATS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}

/** What was tried on a file that matched nothing, for its one error. */
export const FORMATS_TRIED = `tried ${Object.values(FORMATS).join(", ")}`;

/** JSON formats in the order their keys are tested. */
const JSON_FORMATS: [FormatName, (json: unknown) => boolean][] = [
  ["speedscope", isSpeedscope],
  ["gecko", isGecko],
  ["cpuprofile", isCpuProfile],
  ["chrome-trace", isChromeTrace],
];

/** JavaScript's longest string, so the longest JSON text JSON.parse can take. */
const MAX_JSON_CHARS = 0x1fffffe8;

/** The format the first bytes (decompressed) of a file suggest: "json" when it is
 * JSON (its keys decide which format), else a format. Text that is not folded stacks
 * is perf script text: the perf parser says what is wrong with it when it is not. */
export function sniffFormat(head: Uint8Array): FormatName | "json" {
  // perf.data, zstd and xz: the perf parser says what to do with them.
  if (OTHER_MAGIC.some((magic) => magic.every((b, i) => head[i] === b))) return "perf";
  if (looksLikePprof(head)) return "pprof";
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (head[i] === 0x7b /* { */ || head[i] === 0x5b /* [ */) return "json";
  const text = new TextDecoder().decode(head.subarray(0, 65536));
  return looksFolded(text) ? "folded" : "perf";
}

/** The magic bytes of perf.data ("PERFILE2"), zstd and xz. */
const OTHER_MAGIC = [[0x50, 0x45, 0x52, 0x46, 0x49, 0x4c, 0x45, 0x32], [0x28, 0xb5, 0x2f, 0xfd], [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]];

/** profile.proto starts with a field tag of its fields 1–14 (length-delimited or
 * varint), and binary bytes follow soon: text has neither. */
function looksLikePprof(head: Uint8Array): boolean {
  if (head.length < 2) return false;
  const field = head[0] >> 3, wire = head[0] & 7;
  if (field < 1 || field > 14 || (wire !== 0 && wire !== 2)) return false;
  for (let i = 1; i < Math.min(head.length, 256); i++) if (head[i] < 0x09 || (head[i] > 0x0d && head[i] < 0x20)) return true;
  return false;
}

/** Which JSON format a parsed value is, by its keys; null when none. */
export function jsonFormat(json: unknown): FormatName | null {
  return JSON_FORMATS.find(([, test]) => test(json))?.[0] ?? null;
}

/** Keys (as JSON text) that the start of each JSON format shows, for deciding on a
 * prefix of a file too large to parse just to decide. */
const JSON_PREFIX_KEYS: [FormatName, RegExp][] = [
  ["speedscope", /speedscope\.app\/file-format-schema|"shared"\s*:[\s\S]*"profiles"\s*:|"profiles"\s*:[\s\S]*"shared"\s*:/],
  ["gecko", /"meta"\s*:\s*\{[\s\S]*"(interval|startTime|version)"\s*:/],
  // A trace before a .cpuprofile: its chunks hold nodes with call frames too, while
  // a .cpuprofile neither starts with [ nor has a "traceEvents" key (a quote inside
  // a JSON string is escaped, so the key's text is a key).
  ["chrome-trace", /"traceEvents"\s*:|^\s*\[\s*\{[\s\S]*"ph"\s*:/],
  ["cpuprofile", /"nodes"\s*:\s*\[[\s\S]*"callFrame"\s*:/],
];

/** The JSON format the first characters of a file show; null when none. `complete`
 * when they are all of it: then it is parsed and its keys decide. */
export function jsonPrefixFormat(text: string, complete: boolean): FormatName | null {
  if (complete) {
    try {
      return jsonFormat(JSON.parse(text));
    } catch {
      return null;
    }
  }
  return JSON_PREFIX_KEYS.find(([, re]) => re.test(text))?.[0] ?? null;
}

export interface ReadFormatOptions extends ImportOptions {
  /** Read as this format instead of sniffing. */
  format?: FormatName;
}

/** A whole file's (decompressed) bytes as a profile, in the format its content shows
 * or `options.format`. Throws an ImportError naming the file (and where in it) when
 * the format's rules are broken; perf script text reports its problems as
 * diagnostics, as parsePerfScript does. */
export function importProfile(bytes: Uint8Array, options: ReadFormatOptions = {}): Profile {
  const profile = importAny(bytes, options);
  profile.diagnostics.bytes = bytes.length;
  return profile;
}

function importAny(bytes: Uint8Array, options: ReadFormatOptions): Profile {
  const source = options.source ?? "<input>";
  const opts = {...options, source};
  const format = options.format ?? sniffFormat(bytes.subarray(0, 65536));
  switch (format) {
    case "perf": return parsePerfScript(bytes, {source, maxSamples: options.maxSamples});
    case "pprof": return importPprof(bytes, opts);
    case "folded": return importFolded(new TextDecoder().decode(bytes), opts);
  }
  const streamed = format === "json" ? jsonPrefixFormat(new TextDecoder().decode(bytes.subarray(0, 65536)), false) : format;
  if (isStreamedFormat(streamed)) {
    const stream = jsonProfileStream(streamed, opts);
    stream.push(bytes);
    return stream.finish();
  }
  const json = parseJson(bytes, source, format === "json" ? "JSON" : FORMATS[format]);
  const chosen = format === "json" ? jsonFormat(json) : format;
  switch (chosen) {
    case "cpuprofile": return importCpuProfile(json, opts);
    case "chrome-trace": return importChromeTrace(json, opts);
    case "speedscope": return importSpeedscope(json, opts);
    case "gecko": return importGecko(json, opts);
  }
  const isObject = typeof json === "object" && json !== null && !Array.isArray(json);
  const keys = isObject ? Object.keys(json).slice(0, 8) : [];
  const what = keys.length ? `keys ${keys.map((k) => JSON.stringify(k)).join(", ")}` : isObject ? "an object without keys" : Array.isArray(json) ? "an array without trace events" : "no object";
  throw new ImportError(source, "JSON", "", `not a profile subsecond reads (${what}; ${FORMATS_TRIED}; --input-format NAME forces one)`);
}

function parseJson(bytes: Uint8Array, source: string, format: string): unknown {
  if (bytes.length > MAX_JSON_CHARS) throw new ImportError(source, format, "", `${(bytes.length / 2 ** 20).toFixed(0)} MiB of JSON is more than JavaScript can hold as one text (512 MiB)`);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ImportError(source, format, "", `not valid JSON (${(e as Error).message})`);
  }
}

/** The JSON formats read in pieces: their files are the large ones (long arrays of
 * nodes, samples or events), and none of their importers needs the whole tree. */
export type StreamedFormat = "cpuprofile" | "chrome-trace";

export function isStreamedFormat(format: string | null): format is StreamedFormat {
  return format === "cpuprofile" || format === "chrome-trace";
}

/** A profile in a streamed format read piece by piece (./json-stream.ts): the
 * parsed document never exists whole, only its elements one at a time. */
export interface ProfileStream {
  push(piece: Uint8Array): void;
  finish(): Profile;
}

export function jsonProfileStream(format: StreamedFormat, options: ImportOptions = {}): ProfileStream {
  const source = options.source ?? "<input>";
  const reader = format === "cpuprofile" ? new CpuProfileReader({...options, source}) : new ChromeTraceReader({...options, source});
  const stream = new JsonStream(source, FORMATS[format], {
    streamed: format === "cpuprofile" ? CPUPROFILE_STREAMED : CHROME_TRACE_STREAMED,
    array: (key) => reader.array(key),
    element: (key, value, index) => reader.element(key, value, index),
    value: (key, value) => reader.value(key, value),
  });
  let bytes = 0;
  return {
    push(piece) {
      bytes += piece.length;
      stream.push(piece);
    },
    finish() {
      stream.finish();
      const profile = reader.finish();
      profile.diagnostics.bytes = bytes;
      return profile;
    },
  };
}
