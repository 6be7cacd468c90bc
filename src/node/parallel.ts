// Reading one plain perf script file on several threads: the file is cut into pieces
// at blank lines (sample boundaries), worker threads parse all pieces but the first
// (./parse-worker.ts), this thread parses the first, and the workers' pieces are
// absorbed into its parser in file order (PerfScriptParser.absorb), which renumbers
// their strings, frames, stacks, threads and events exactly as one parser reading the
// whole file would have numbered them. Where a piece cannot be merged exactly (a
// budget reached, header lines or undecodable bytes in a later piece, …), or a worker
// cannot run, the file is read again on one thread: the profile is the same either
// way, only the time differs.
import {existsSync, readSync} from "node:fs";
import {availableParallelism} from "node:os";
import {fileURLToPath, pathToFileURL} from "node:url";
import {Worker} from "node:worker_threads";
import {PerfScriptParser, type ParseOptions, type ParsedPiece} from "../lib/perf/parse.js";
import type {Profile} from "../lib/profile.js";

/** Files smaller than this are read on one thread: starting a worker (about 30 ms of
 * CPU time) and merging would cost more than they save. */
export const MIN_PARALLEL_BYTES = 32 << 20;
/** Bytes after a cut's planned place searched for a blank line (a sample boundary);
 * without one there, the file is not cut there. */
const CUT_WINDOW = 1 << 20;
const CHUNK = 4 << 20;
const NL = 10;

/** The environment variable that sets the threads of every read (1: one thread). */
export const THREADS_VARIABLE = "SUBSECOND_THREADS";

/** Threads a read uses by default: SUBSECOND_THREADS when it is a whole number ≥ 1,
 * else the machine's available parallelism. */
export function defaultThreads(): number {
  const variable = process.env[THREADS_VARIABLE];
  if (variable !== undefined && /^\d{1,3}$/.test(variable) && Number(variable) >= 1) return Number(variable);
  return availableParallelism();
}

/** Bytes more that the first piece gets, read on this thread while the workers
 * start (each loads its isolate and script first: 60–90 ms measured here, at about
 * 180 MB/s of parsing on the deep capture). */
export const HEAD_START_BYTES = 12 << 20;

/** Where the pieces of a file of `total` bytes start, the first at 0: cuts planned
 * at equal shares (the first one HEAD_START_BYTES larger, when the file is at least
 * twice as large as that per piece), each moved to just after the next blank line
 * ("\n\n"). */
export function pieceStarts(fd: number, total: number, pieces: number): number[] {
  const starts = [0];
  const window = Buffer.allocUnsafe(CUT_WINDOW);
  const head = total >= 2 * HEAD_START_BYTES * pieces ? HEAD_START_BYTES : 0;
  for (let k = 1; k < pieces; k++) {
    const planned = head + Math.floor(((total - head) * k) / pieces);
    if (planned <= starts[starts.length - 1]) continue;
    const n = readSync(fd, window, 0, Math.min(CUT_WINDOW, total - planned), planned);
    let nl = window.indexOf(NL);
    while (nl >= 0 && nl + 1 < n && window[nl + 1] !== NL) nl = window.indexOf(NL, nl + 1);
    if (nl >= 0 && nl + 1 < n) starts.push(planned + nl + 2);
  }
  return starts;
}

/** Pushes bytes [start, end) of the file into the parser (`end` Infinity: to its
 * end), the ones of `head` (the file's first bytes, already read) from there. */
export function pushRange(parser: PerfScriptParser, fd: number, start: number, end: number, head?: Uint8Array, onBytes?: (n: number) => void): void {
  let pos = start;
  if (head && start === 0) {
    const part = head.subarray(0, Math.min(head.length, end));
    parser.push(part);
    pos = part.length;
    onBytes?.(part.length);
  }
  const buf = Buffer.allocUnsafe(CHUNK);
  while (pos < end && !parser.stopped) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK, end - pos), pos);
    if (n === 0) break;
    parser.push(buf.subarray(0, n));
    pos += n;
    onBytes?.(n);
  }
}

/** What a worker is given (the options without functions). */
export interface PieceTask {
  fd: number;
  start: number;
  /** Infinity for the last piece: to the file's end. */
  end: number;
  /** The file's size. */
  total: number;
  options: Omit<ParseOptions, "inputBytes" | "piece">;
}

/** The worker's script: parse-worker.mjs beside the bundle that holds this module
 * (scripts/bundle.js writes it there), or, when this module runs from its TypeScript
 * source (tests, tsx), a bundle of ./parse-worker.ts made for it (Node's workers do
 * not take a TypeScript loader); null when there is none. */
async function workerScript(): Promise<URL | null> {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    const root = new URL("../../", here);
    const bundle = fileURLToPath(new URL("node_modules/.cache/subsecond/source/parse-worker.mjs", root));
    try {
      const {ensureBundle} = await import(new URL("scripts/bundle.js", root).href);
      await ensureBundle(fileURLToPath(new URL("./parse-worker.ts", here)), bundle);
    } catch {
      return null;
    }
    return pathToFileURL(bundle);
  }
  const url = new URL("./parse-worker.mjs", here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Parses one piece in a worker; null when the worker fails (it cannot start, or a
 * read fails: the read on one thread then meets the same and reports it). */
function parseInWorker(script: URL, task: PieceTask): {done: Promise<ParsedPiece | null>; worker: Worker} {
  const worker = new Worker(script, {workerData: task});
  const done = new Promise<ParsedPiece | null>((resolve) => {
    worker.once("message", (piece: ParsedPiece) => resolve(piece));
    worker.once("error", () => resolve(null));
    worker.once("exit", () => resolve(null));
  });
  return {done, worker};
}

/** Reads a plain perf script file of `total` bytes on `threads` threads; null when
 * it is not read so (too small, no cut found, no worker script) or a piece could not
 * be merged exactly: the caller reads it on one thread then. */
export async function readInPieces(
  fd: number,
  total: number,
  head: Uint8Array,
  options: ParseOptions & {threads: number; minBytes?: number},
  onProgress?: (done: number, total: number | null) => void,
): Promise<Profile | null> {
  if (options.threads < 2 || total < (options.minBytes ?? MIN_PARALLEL_BYTES)) return null;
  const starts = pieceStarts(fd, total, options.threads);
  const script = starts.length > 1 ? await workerScript() : null;
  if (!script) return null;
  const {threads: _, minBytes: __, inputBytes: ___, ...parseOptions} = options;
  const workers = starts.slice(1).map((start, k) => parseInWorker(script, {fd, start, end: starts[k + 2] ?? Infinity, total, options: parseOptions}));
  try {
    const parser = new PerfScriptParser({...parseOptions, inputBytes: total});
    let done = 0;
    pushRange(parser, fd, 0, starts[1], head, (n) => onProgress?.((done += n), total));
    // Stopped in the first piece: so would one thread, but after reading whole chunks
    // past the cut (the bytes read are in the diagnostics).
    if (parser.stopped) return null;
    for (const {done: piece} of workers) {
      const read = await piece;
      if (!read || !parser.absorb(read)) return null;
      onProgress?.((done += read.bytes), total);
    }
    return parser.finish();
  } finally {
    for (const {worker} of workers) void worker.terminate();
  }
}
