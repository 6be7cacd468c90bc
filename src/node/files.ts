// Node only: writing files without losing anyone's. A file is written beside its
// destination under a temporary name and then put in place in one step, so a reader
// (or a crash) never meets half a file, and a symbolic link at the destination is
// replaced by the file, never written through: a link planted in a shared folder
// cannot make the tool write somewhere else.
import {linkSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {basename, dirname, join} from "node:path";

export interface WriteFileOptions {
  /** Replace what is at the path (default false: a path that exists, even one that
   * appears while writing, is an EEXIST error and is left as it was). */
  replace?: boolean;
}

/** Writes `data` to `path` in one step (see above). */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileOptions = {}): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`);
  writeFileSync(temporary, data, {flag: "wx"});
  try {
    if (options.replace) renameSync(temporary, path);
    else placeNew(temporary, path, data);
  } finally {
    rmSync(temporary, {force: true});
  }
}

/** A hard link puts the finished file at `path` only when nothing is there; file
 * systems without hard links get an exclusive create instead. */
function placeNew(temporary: string, path: string, data: string | Uint8Array): void {
  try {
    linkSync(temporary, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw e;
    writeFileSync(path, data, {flag: "wx"});
  }
}
