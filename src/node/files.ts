// Node only: writing files without losing anyone's. A file is written beside its
// destination under a temporary name and then put in place in one step, so a reader
// (or a crash) never meets half a file, and a symbolic link at the destination is
// replaced by the file, never written through: a link planted in a shared folder
// cannot make the tool write somewhere else.
import {closeSync, constants, copyFileSync, linkSync, openSync, renameSync, rmSync, writeSync} from "node:fs";
import {basename, dirname, join} from "node:path";

export interface WriteFileOptions {
  /** Replace what is at the path (default false: a path that exists, even one that
   * appears while writing, is an EEXIST error and is left as it was). */
  replace?: boolean;
}

/** Writes `data` to `path` in one step (see above). */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileOptions = {}): void {
  writeFileAtomicWith(path, (write) => write(data), options);
}

/** Writes what `produce` hands its `write`, piece by piece (a large output is never
 * held whole), to `path` in one step; returns what `produce` returns. */
export function writeFileAtomicWith<T>(path: string, produce: (write: (piece: string | Uint8Array) => void) => T, options: WriteFileOptions = {}): T {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  const fd = openSync(temporary, "wx");
  try {
    let result: T;
    try {
      result = produce((piece) => writeAll(fd, piece));
    } finally {
      closeSync(fd);
    }
    if (options.replace) renameSync(temporary, path);
    else placeNew(temporary, path);
    return result;
  } finally {
    rmSync(temporary, {force: true});
  }
}

/** Writes all of a piece to a file descriptor (writeSync may write part of it). */
export function writeAll(fd: number, piece: string | Uint8Array): void {
  const bytes = typeof piece === "string" ? Buffer.from(piece) : piece;
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
}

/** A hard link puts the finished file at `path` only when nothing is there; file
 * systems without hard links get an exclusive copy instead. */
function placeNew(temporary: string, path: string): void {
  try {
    linkSync(temporary, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw e;
    copyFileSync(temporary, path, constants.COPYFILE_EXCL);
  }
}
