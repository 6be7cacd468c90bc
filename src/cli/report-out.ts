// Where a report site may be written. A report replaces only an earlier report: OUT
// must be new, empty, or hold exactly the files an earlier report wrote, as listed in
// the marker file every report writes (REPORT_MARKER). The rule is one pure function,
// decideOut(), over facts gathered by inspectOut(); `subsecond report` and
// `scripts/site.js build` both use it, and installReport() then moves a build made in
// a staging folder of the tool's own into OUT.
import {cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, rmSync, writeFileSync} from "node:fs";
import {basename, dirname, isAbsolute, join, relative, sep} from "node:path";

/** The marker a report writes at its top: which files it wrote. */
export const REPORT_MARKER = ".subsecond-report.json";

/** What is at OUT, as lstat and readdir see it (symbolic links are never followed). */
export interface OutState {
  kind: "missing" | "directory" | "symlink" | "file" | "other";
  /** Everything inside a directory, recursively, as relative POSIX paths; folders end
   * in "/". */
  entries: string[];
  /** The files an earlier report wrote, from its marker; null when there is no valid
   * marker. */
  reportFiles: string[] | null;
}

/** OUT, the profiles folder and subsecond's checkout, every symbolic link resolved. */
export interface OutPaths {
  out: string;
  profiles: string;
  checkout: string;
}

/** When refused, why, as words that follow OUT's name ("is a symbolic link …"). */
export type OutDecision = {ok: true} | {ok: false; reason: string};

/** Whether `a` is `b` or a folder that contains `b`. */
function sameOrAncestor(a: string, b: string): boolean {
  const rel = relative(a, b);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** May a report be written to OUT? It may not when OUT is a symbolic link or not a
 * folder; is, or contains, the profiles folder or the checkout; or is not empty and
 * holds anything an earlier report (per its marker) did not write. */
export function decideOut(paths: OutPaths, state: OutState): OutDecision {
  const refuse = (reason: string): OutDecision => ({ok: false, reason});
  if (state.kind === "symlink") return refuse("is a symbolic link: give the folder itself, or a new one");
  if (state.kind === "file") return refuse("is a file, not a folder");
  if (state.kind === "other") return refuse("is not a folder");
  if (sameOrAncestor(paths.out, paths.profiles)) return refuse(paths.out === paths.profiles ? "is the profiles folder itself: write the report elsewhere" : "contains the profiles folder: write the report elsewhere");
  if (sameOrAncestor(paths.out, paths.checkout)) return refuse("contains subsecond's own files: write the report elsewhere");
  if (state.kind === "missing" || state.entries.length === 0) return {ok: true};
  if (state.reportFiles === null) return refuse(`is not empty and is not an earlier report (it has no ${REPORT_MARKER}): choose a new or empty folder`);
  const written = new Set([REPORT_MARKER, ...state.reportFiles]);
  for (const file of state.reportFiles) for (let dir = dirname(file); dir !== "."; dir = dirname(dir)) written.add(`${dir}/`);
  const foreign = state.entries.filter((e) => !written.has(e));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 3).map((f) => JSON.stringify(f)).join(", ");
    return refuse(`is an earlier report with files it did not write (${shown}${foreign.length > 3 ? `, and ${foreign.length - 3} more` : ""}): move them out or choose another folder`);
  }
  return {ok: true};
}

/** A path with every symbolic link resolved, also when its last parts do not exist yet. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

/** Everything inside `dir` (relative POSIX paths, folders ending in "/"), not following
 * symbolic links. */
function walk(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), {withFileTypes: true})) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) out.push(`${rel}/`, ...walk(dir, `${rel}/`));
    else out.push(rel);
  }
  return out;
}

/** A marker's file list, when the marker is one of ours and every path stays inside
 * the folder. */
function readMarker(out: string): string[] | null {
  const path = join(out, REPORT_MARKER);
  try {
    if (!lstatSync(path).isFile()) return null;
    const marker = JSON.parse(readFileSync(path, "utf8")) as {report?: unknown; files?: unknown};
    if (marker.report !== "subsecond" || !Array.isArray(marker.files)) return null;
    const files = marker.files as unknown[];
    const inside = (f: unknown) => typeof f === "string" && f !== "" && !f.startsWith("/") && !f.split("/").some((part) => part === ".." || part === "." || part === "");
    return files.every(inside) ? (files as string[]) : null;
  } catch {
    return null;
  }
}

/** The facts decideOut() needs about OUT. */
export function inspectOut(out: string): OutState {
  let stat;
  try {
    stat = lstatSync(out);
  } catch {
    return {kind: "missing", entries: [], reportFiles: null};
  }
  if (stat.isSymbolicLink()) return {kind: "symlink", entries: [], reportFiles: null};
  if (stat.isFile()) return {kind: "file", entries: [], reportFiles: null};
  if (!stat.isDirectory()) return {kind: "other", entries: [], reportFiles: null};
  return {kind: "directory", entries: walk(out), reportFiles: readMarker(out)};
}

/** Checks OUT for a report of `profiles` built by the checkout at `checkout`; throws
 * an Error saying why when it may not be written. */
export function checkOut(out: string, profiles: string, checkout: string): OutState {
  const state = inspectOut(out);
  const decision = decideOut({out: realPath(out), profiles: realPath(profiles), checkout: realPath(checkout)}, state);
  if (!decision.ok) throw new Error(`${out} ${decision.reason}`);
  return state;
}

/** Moves a finished build from `staging` (a folder the tool made) into OUT, after
 * checking OUT again: what an earlier report wrote there is replaced, nothing else is
 * touched. Writes the marker listing the new report's files. */
export function installReport(staging: string, out: string, profiles: string, checkout: string): void {
  const state = checkOut(out, profiles, checkout);
  const files = walk(staging).filter((f) => !f.endsWith("/") && f !== REPORT_MARKER);
  writeFileSync(join(staging, REPORT_MARKER), `${JSON.stringify({report: "subsecond", note: "the files of this subsecond report: a report built into this folder replaces exactly these", files}, null, 1)}\n`);
  if (state.kind === "missing") {
    mkdirSync(dirname(out), {recursive: true});
    move(staging, out);
    return;
  }
  // Only the earlier report's own files are here (checkOut made sure): remove them,
  // deepest first, then move the new report in.
  for (const entry of [...state.entries].reverse()) {
    if (entry.endsWith("/")) rmdirSync(join(out, entry));
    else rmSync(join(out, entry));
  }
  for (const entry of readdirSync(staging)) move(join(staging, entry), join(out, entry));
  rmdirSync(staging);
}

function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EXDEV") throw e;
    cpSync(from, to, {recursive: true}); // another file system
    rmSync(from, {recursive: true});
  }
}
