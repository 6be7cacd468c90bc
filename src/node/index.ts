// Node-only entry: reading profiles from files and stdin, gzip handled transparently.
// Everything else in src/lib runs unchanged in browsers.
import {closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync, readSync} from "node:fs";
import {createRequire} from "node:module";
import {totalmem} from "node:os";
import {Readable} from "node:stream";
import {getHeapStatistics} from "node:v8";
import {constants as zlib, createGunzip, gunzipSync} from "node:zlib";
import {formatAnnotations, parseAnnotations, sidecarPath} from "../lib/annotations.js";
import {budgetForMemory, sampleBudget, type ParseBudget} from "../lib/perf/budget.js";
import {importProfile, ImportError, isStreamedFormat, jsonPrefixFormat, jsonProfileStream, sniffFormat, type FormatName} from "../lib/import/index.js";
import {PerfScriptParser, type ParseOptions} from "../lib/perf/parse.js";
import type {Profile} from "../lib/profile.js";
import {writeFileAtomic} from "./files.js";
import {defaultThreads, readInPieces} from "./parallel.js";
import {readTrack, type ReadTrackOptions, type Track} from "../lib/timeline/index.js";

export interface ReadOptions extends Omit<ParseOptions, "source"> {
  /** Called after each chunk: bytes read so far (compressed bytes for gzip) and the
   * file's size when known. */
  onProgress?: (done: number, total: number | null) => void;
  /** Read the sidecar NAME.annotations.json too (default true). */
  sidecar?: boolean;
  /** Read as this format instead of deciding by the content. */
  format?: FormatName;
  /** pprof: the sample type to read (see ImportOptions.sampleType). */
  sampleType?: string;
  /** Threads that read a plain perf script file of 32 MiB or more (./parallel.ts; the
   * profile is the same whatever the number). Default: SUBSECOND_THREADS, else the
   * machine's available parallelism. Gzip and stdin are read on one thread. */
  threads?: number;
}

/** A file that cannot be read at all (missing, a directory, no permission). */
export class ProfileReadError extends Error {}

const CHUNK = 4 << 20;
/** Compressed bytes of a gzip file decompressed to decide its format; they give at
 * most ~1032 times as much. */
const GZIP_SNIFF = 8 << 10;
/** Decompressed bytes a file in a format other than perf script text may have: those
 * importers read the whole file at once. */
const MAX_WHOLE_FILE = 1 << 30;

/** The environment variable that sets the sample budget of every read (how
 * `subsecond report` hands its --max-samples to the data loaders it runs). */
export const MAX_SAMPLES_VARIABLE = "SUBSECOND_MAX_SAMPLES";

/** The parse budgets this machine's memory allows: from its memory (or its cgroup's
 * limit, when lower) and the JavaScript heap's limit. */
export function memoryBudget(): ParseBudget {
  const limit = process.constrainedMemory?.() ?? 0;
  const memory = limit > 0 ? Math.min(limit, totalmem()) : totalmem();
  return budgetForMemory(memory, getHeapStatistics().heap_size_limit);
}

/** The parse budgets of a read: memoryBudget(), with the sample budget from
 * SUBSECOND_MAX_SAMPLES when it is set. */
export function machineBudget(): ParseBudget {
  const budget = memoryBudget();
  const variable = process.env[MAX_SAMPLES_VARIABLE];
  if (variable !== undefined) {
    const samples = sampleBudget(variable);
    if (samples === null) throw new ProfileReadError(`${MAX_SAMPLES_VARIABLE} must be a whole number of samples ≥ 1, not ${JSON.stringify(variable)}`);
    budget.maxSamples = samples;
  }
  return budget;
}

/** Reads a profile file (plain or gzip; "-" for stdin) into a profile, with the
 * annotations of its sidecar NAME.annotations.json when there is one (unless
 * `options.sidecar` is false). The format is decided by the content (see
 * ./import/index.ts) unless `options.format` names one. perf script text, .cpuprofile and
 * Chrome trace JSON are streamed; the other formats are read whole. Budgets not given are machineBudget()'s; reading
 * stops where the parser stops. A file that breaks its format's rules throws a
 * ProfileReadError naming it. */
export async function readProfile(path: string, options: ReadOptions = {}): Promise<Profile> {
  const source = path === "-" ? "<stdin>" : path;
  const budget = machineBudget();
  const maxSamples = options.maxSamples ?? budget.maxSamples;
  const input = path === "-" ? await peek(process.stdin) : openFile(path);
  let profile: Profile;
  try {
    const gzip = input.first.length >= 2 && input.first[0] === 0x1f && input.first[1] === 0x8b;
    const head = gzip ? gunzipPrefix(input.first) : input.first;
    const format = options.format ?? sniffFormat(head);
    // The JSON formats whose files grow large are read in pieces, never whole.
    const streamed = format === "json" ? jsonPrefixFormat(new TextDecoder().decode(head.subarray(0, 65536)), false) : format;
    if (isStreamedFormat(streamed)) {
      const stream = jsonProfileStream(streamed, {source, maxSamples});
      const sink = {
        stopped: false,
        push: (piece: Uint8Array) => stream.push(piece),
        noteDamagedInput: (problem: string) => {
          throw new ProfileReadError(`${source}: ${problem}: the file is damaged or truncated`);
        },
      };
      try {
        if (input.fd === undefined || gzip) await pushAll(sink, input.chunks, input.total, options.onProgress);
        else pushPlain(sink, input, options.onProgress);
        profile = stream.finish();
      } catch (e) {
        if (e instanceof ImportError) throw new ProfileReadError(e.message);
        throw e;
      }
    } else if (format === "perf") {
      // Plain text of a known size sizes the parser's tables.
      const inputBytes = gzip || input.total === null ? undefined : input.total;
      const {onProgress, threads = defaultThreads(), ...parseOptions} = options;
      const parserOptions = {...parseOptions, source, maxSamples, maxTableBytes: options.maxTableBytes ?? budget.maxTableBytes, inputBytes};
      const inPieces = input.fd === undefined || gzip || input.total === null ? null : await readInPieces(input.fd, input.total, input.first, {...parserOptions, threads}, onProgress);
      if (inPieces) {
        profile = inPieces;
      } else {
        const parser = new PerfScriptParser(parserOptions);
        if (input.fd === undefined || gzip) await pushAll(parser, input.chunks, input.total, onProgress);
        else pushPlain(parser, input, onProgress);
        profile = parser.finish();
      }
    } else {
      const bytes = await wholeInput(input, gzip, source);
      try {
        profile = importProfile(bytes, {source, maxSamples, sampleType: options.sampleType, format: format === "json" ? undefined : format});
      } catch (e) {
        if (e instanceof ImportError) throw new ProfileReadError(e.message);
        throw e;
      }
    }
  } finally {
    if (input.fd !== undefined) closeSync(input.fd);
  }
  if (path !== "-" && options.sidecar !== false) profile.annotations = readAnnotations(path);
  return profile;
}

/** An input being read: its first chunk (empty when it has none), then the rest. */
interface Input {
  first: Uint8Array;
  chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  total: number | null;
  fd?: number;
  path?: string;
}

/** A file's first chunk and the rest, never following the file's growth past what
 * it reads. */
function openFile(path: string): Input {
  let fd: number;
  try {
    fd = openSync(path, "r");
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error(), {code: "EISDIR"});
  } catch (e) {
    throw new ProfileReadError(`cannot read ${path}: ${describe(e)}`);
  }
  try {
    const stat = fstatSync(fd);
    const buf = Buffer.allocUnsafe(CHUNK);
    const n = readChunk(fd, buf, path);
    const first = Buffer.from(buf.subarray(0, n));
    return {first, chunks: fileChunks(fd, path, first), total: stat.isFile() ? stat.size : null, fd, path};
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** A stream's first chunk and the rest (the first chunk again first). */
async function peek(stream: AsyncIterable<Uint8Array>): Promise<Input> {
  const it = stream[Symbol.asyncIterator]();
  const head = await it.next();
  const first = head.done ? new Uint8Array(0) : head.value;
  const chunks = (async function* () {
    if (!head.done) yield first;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
  return {first, chunks, total: null};
}

/** The start of a gzip stream, decompressed as far as its first bytes go (empty when
 * they cannot be: the perf parser then reports the damage). */
function gunzipPrefix(bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes.subarray(0, GZIP_SNIFF), {finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: 16 << 20});
  } catch {
    return new Uint8Array(0);
  }
}

/** The whole input, decompressed, for the importers that read a file at once. A plain
 * file of known size is read into one buffer of that size (no copies of chunks). */
async function wholeInput(input: Input, gzip: boolean, source: string): Promise<Uint8Array> {
  const tooLarge = () => new ProfileReadError(`${source}: over ${MAX_WHOLE_FILE / 2 ** 30} GiB: too large to read whole (only perf script text, .cpuprofile and Chrome trace JSON are streamed)`);
  if (!gzip && input.fd !== undefined && input.total !== null) {
    if (input.total > MAX_WHOLE_FILE) throw tooLarge();
    const whole = Buffer.allocUnsafe(input.total);
    whole.set(input.first);
    let n = input.first.length;
    for (let k; n < whole.length && (k = readChunk(input.fd, whole.subarray(n), input.path!)) > 0; ) n += k;
    return whole.subarray(0, n);
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of input.chunks) {
    parts.push(chunk);
    size += chunk.length;
    if (!gzip && size > MAX_WHOLE_FILE) throw tooLarge();
  }
  const bytes = Buffer.concat(parts);
  if (!gzip) return bytes;
  try {
    return gunzipSync(bytes, {maxOutputLength: MAX_WHOLE_FILE});
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ERR_BUFFER_TOO_LARGE") throw new ProfileReadError(`${source}: decompresses to over ${MAX_WHOLE_FILE / 2 ** 30} GiB: too large to read whole (only perf script text, .cpuprofile and Chrome trace JSON are streamed)`);
    throw new ProfileReadError(`${source}: the gzip data is damaged or truncated (${err.message})`);
  }
}

/** What reads an input in pieces: the perf parser, a JSON profile stream. */
interface PieceSink {
  push(piece: Uint8Array): void;
  readonly stopped: boolean;
  /** Damaged gzip after the pieces pushed so far. */
  noteDamagedInput(problem: string): void;
}

/** A plain file: one buffer, reused (the reader copies what it keeps). */
function pushPlain(parser: PieceSink, input: Input, onProgress?: (done: number, total: number | null) => void): void {
  const {fd, path} = input as Required<Input>;
  const buf = Buffer.allocUnsafe(CHUNK);
  let done = 0;
  for (let chunk: Uint8Array = input.first; chunk.length > 0 && !parser.stopped; chunk = buf.subarray(0, readChunk(fd, buf, path))) {
    parser.push(chunk);
    done += chunk.length;
    onProgress?.(done, input.total);
  }
}

/** The largest sidecar read: far more than MAX_ANNOTATIONS take. */
export const MAX_SIDECAR_BYTES = 16 << 20;

/** The annotations in a profile's sidecar file; none when it does not exist. A sidecar
 * that is not a regular file (a FIFO would block the read forever, a device never
 * end) or is over MAX_SIDECAR_BYTES is an error, like one that is not valid. */
export function readAnnotations(profilePath: string) {
  const sidecar = sidecarPath(profilePath);
  if (!existsSync(sidecar)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readLimitedFile(sidecar, MAX_SIDECAR_BYTES, "annotations").toString("utf8"));
  } catch (e) {
    throw new ProfileReadError(`${sidecar}: ${(e as Error).message}`);
  }
  try {
    return parseAnnotations(json, sidecar).annotations;
  } catch (e) {
    throw new ProfileReadError((e as Error).message);
  }
}

/** A file beside a profile (annotations, a timeline), opened without waiting
 * (O_NONBLOCK: a FIFO's open would wait for a writer) and read only when it is a
 * regular file within `limit` bytes; `what` names the kind in the error. */
function readLimitedFile(path: string, limit: number, what: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error("not a regular file (a FIFO, socket or device): not read");
    if (stat.size > limit) throw new Error(`${stat.size} bytes: over the ${limit}-byte limit for ${what}, not read`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The largest timeline file read, before and after gunzip. */
export const MAX_TRACK_BYTES = 256 << 20;

/** A timeline file (plain or gzip), read only when it is a regular file within
 * MAX_TRACK_BYTES (a FIFO is never waited on): its track. Errors name the file. */
export function readTrackFile(path: string, options: ReadTrackOptions = {}): Track {
  let bytes: Buffer;
  try {
    bytes = readLimitedFile(path, MAX_TRACK_BYTES, "a timeline");
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes, {maxOutputLength: MAX_TRACK_BYTES});
  } catch (e) {
    throw new ProfileReadError(`${path}: ${(e as Error).message}`);
  }
  try {
    return readTrack(new TextDecoder().decode(bytes), path, options);
  } catch (e) {
    throw new ProfileReadError((e as Error).message.startsWith(path) ? (e as Error).message : `${path}: ${(e as Error).message}`);
  }
}

/** Writes a profile's annotations to its sidecar file (the file the report site reads)
 * and returns the sidecar's path. */
export function saveAnnotations(profile: Profile, profilePath = profile.source): string {
  if (profilePath === "<stdin>") throw new Error("a profile read from standard input has no sidecar file: pass a path");
  const sidecar = sidecarPath(profilePath);
  // In one step, replacing a symbolic link rather than writing through it: a link
  // planted in a shared profiles folder cannot redirect the write.
  const here = lstatIfAny(sidecar);
  if (here && !here.isFile() && !here.isSymbolicLink()) throw new Error(`${sidecar} is not a regular file: not replaced`);
  writeFileAtomic(sidecar, formatAnnotations(profile.annotations, profilePath.replace(/^.*[\\/]/, "")), {replace: true});
  return sidecar;
}

function lstatIfAny(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

function readChunk(fd: number, buf: Buffer, path: string): number {
  try {
    return readSync(fd, buf, 0, buf.length, null);
  } catch (e) {
    throw new ProfileReadError(`cannot read ${path}: ${describe(e)}`);
  }
}

/** The first chunk, then the rest of the file in fresh buffers (gunzip may still hold
 * the previous one). */
function* fileChunks(fd: number, path: string, first: Uint8Array): Generator<Uint8Array> {
  yield first;
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK);
    const n = readChunk(fd, buf, path);
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}

/** Pushes every chunk of input into the parser, gunzipping when the input starts with
 * gzip's magic bytes. */
async function pushAll(
  parser: PieceSink,
  input: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  total: number | null,
  onProgress?: (done: number, total: number | null) => void,
): Promise<void> {
  let read = 0;
  let gzip: boolean | undefined;
  const raw = (async function* () {
    for await (const chunk of input) {
      gzip ??= chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
      read += chunk.length;
      yield chunk;
    }
  })();
  // Peek at the first chunk to choose the path.
  const first = await raw.next();
  if (first.done) return;
  const all = (async function* () {
    yield first.value;
    yield* raw;
  })();
  if (!gzip) {
    for await (const chunk of all) {
      parser.push(chunk);
      onProgress?.(read, total);
      if (parser.stopped) break;
    }
    return;
  }
  try {
    for await (const chunk of Readable.from(all).pipe(createGunzip())) {
      parser.push(chunk as Uint8Array);
      onProgress?.(read, total);
      // A budget reached: the rest of a gzip bomb is not even inflated.
      if (parser.stopped) break;
    }
  } catch (e) {
    if (e instanceof ProfileReadError || e instanceof ImportError) throw e;
    // What decompressed before the damage is kept; the damage is reported.
    parser.noteDamagedInput(`gzip: ${describe(e)}`);
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === "ENOENT") return "no such file";
  if (err?.code === "EACCES") return "permission denied";
  if (err?.code === "EISDIR") return "it is a directory";
  return err?.message ?? String(e);
}

let domDocument: Document | undefined;

/** A server-side DOM document for drawing with Observable Plot in Node: linkedom's,
 * which loads in about 0.1 s where jsdom takes 0.7–0.8 s, and draws a heat map about
 * 3× as fast (a notebook's first heat map, the CLI's `heatmap`); the SVG text is the
 * same either way (svgMarkup), but for jsdom's own spelling of style attributes. Loaded on first use, synchronously so that a notebook
 * cell's drawing is done when the call returns. */
export function svgDocument(): Document {
  if (!domDocument) {
    const {parseHTML} = createRequire(import.meta.url)("linkedom") as {parseHTML(html: string): {document: Document}};
    domDocument = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document;
  }
  return domDocument;
}
