// Node-only entry: reading profiles from files and stdin, gzip handled transparently.
// Everything else in src/lib runs unchanged in browsers.
import {closeSync, fstatSync, openSync, readSync} from "node:fs";
import {Readable} from "node:stream";
import {createGunzip} from "node:zlib";
import {PerfScriptParser, type ParseOptions} from "./perf/parse.js";
import type {Profile} from "./profile.js";

export interface ReadOptions extends Omit<ParseOptions, "source"> {
  /** Called after each chunk: bytes read so far (compressed bytes for gzip) and the
   * file's size when known. */
  onProgress?: (done: number, total: number | null) => void;
}

/** A file that cannot be read at all (missing, a directory, no permission). */
export class ProfileReadError extends Error {}

const CHUNK = 4 << 20;

/** Reads a `perf script` file (plain or gzip; "-" for stdin) into a profile. */
export async function readProfile(path: string, options: ReadOptions = {}): Promise<Profile> {
  const source = path === "-" ? "<stdin>" : path;
  const parser = new PerfScriptParser({...options, source});
  if (path === "-") {
    await pushAll(parser, process.stdin, null, options.onProgress);
    return parser.finish();
  }
  let fd: number;
  try {
    fd = openSync(path, "r");
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error(), {code: "EISDIR"});
  } catch (e) {
    throw new ProfileReadError(`cannot read ${path}: ${describe(e)}`);
  }
  try {
    const stat = fstatSync(fd);
    await pushAll(parser, fileChunks(fd, path), stat.isFile() ? stat.size : null, options.onProgress);
  } finally {
    closeSync(fd);
  }
  return parser.finish();
}

function* fileChunks(fd: number, path: string): Generator<Uint8Array> {
  for (;;) {
    // A fresh buffer per chunk: gunzip may still hold the previous one.
    const buf = Buffer.allocUnsafe(CHUNK);
    let n: number;
    try {
      n = readSync(fd, buf, 0, CHUNK, null);
    } catch (e) {
      throw new ProfileReadError(`cannot read ${path}: ${describe(e)}`);
    }
    if (n === 0) return;
    yield buf.subarray(0, n);
  }
}

/** Pushes every chunk of input into the parser, gunzipping when the input starts with
 * gzip's magic bytes. */
async function pushAll(
  parser: PerfScriptParser,
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
    }
    return;
  }
  try {
    for await (const chunk of Readable.from(all).pipe(createGunzip())) {
      parser.push(chunk as Uint8Array);
      onProgress?.(read, total);
    }
  } catch (e) {
    if (e instanceof ProfileReadError) throw e;
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
