// Node-only: which profiles the report site shows, which files of the folder it does not
// show and why, and what it knows about each profile besides the profile itself. Shared
// by the site config (one page per profile), the page loaders, the artifacts loader and
// scripts/site.js, so all of them agree on names.
//
// A profiles folder holds perf script files (plain or gzip, any name), each optionally
// with
//   NAME.annotations.json  its sidecar annotations (see src/lib/annotations.ts), and
//   NAME.md                notes shown on the profile's page, rendered as inert Markdown
//                          (src/data/notes.ts), where ```annotations blocks (the
//                          sidecar's JSON form) add more annotations, and
//   NAME.gc.log            timelines drawn above its heat map (src/data/timelines.ts):
//   NAME.metrics.csv       a JVM unified GC log or Node --trace-gc output, a metrics
//   NAME.events.log        CSV, an application log; each may be gzip-compressed
//                          (NAME.gc.log.gz).
// Whether a file is a profile is decided by its content (src/data/sniff.ts). Symbolic
// links, folders and other special files are never opened; names starting with "." are
// ignored.
import {existsSync, lstatSync, readdirSync, readFileSync} from "node:fs";
import {basename, dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {profileName, sidecarPath, type Annotation} from "../lib/annotations.js";
import {slugs} from "../lib/format.js";
import {readAnnotations} from "../node/index.js";
import {renderNotes, type ProfileNotes} from "./notes.js";
import {notAProfileFile} from "./sniff.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The profiles folder: $SUBSECOND_PROFILES, else the bundled examples. */
export function profilesDir(): string {
  return resolve(process.env.SUBSECOND_PROFILES || join(repoRoot, "examples"));
}

export interface SiteProfile {
  /** The page's name (see slugs()). */
  slug: string;
  /** The file name, as found (untrusted text). */
  file: string;
  path: string;
  bytes: number;
}

/** A file of the folder that the report does not show, with why in a few words. */
export interface NotShown {
  file: string;
  reason: string;
}

export interface ProfilesFolder {
  profiles: SiteProfile[];
  notShown: NotShown[];
}

// Page names: the library's (notebooks link to the same pages).
export {slugs};

const NOTES = ".md";
const SIDECAR = ".annotations.json";

/** A profile's timeline companions by kind: NAME + suffix, or + suffix + ".gz". */
export const TIMELINE_SUFFIXES = {gc: ".gc.log", metrics: ".metrics.csv", events: ".events.log"} as const;
export type TimelineKind = keyof typeof TIMELINE_SUFFIXES;

/** The profile name a companion file belongs to (NAME of NAME.md, NAME.gc.log.gz …),
 * or null when the file is no companion. */
function companionOf(file: string): string | null {
  for (const suffix of [SIDECAR, NOTES, ...Object.values(TIMELINE_SUFFIXES).flatMap((s) => [s, `${s}.gz`])]) {
    if (file.endsWith(suffix) && file.length > suffix.length) return file.slice(0, -suffix.length);
  }
  return null;
}

/** The folder's entries by name and lstat alone (no file is opened): the files that may
 * be profiles, each with its page's slug, and what is skipped for its kind. A profile's
 * NAME.md and NAME.annotations.json are its companions, not entries. */
function folderEntries(dir: string): {candidates: SiteProfile[]; skipped: NotShown[]} {
  const skipped: NotShown[] = [];
  const files: {file: string; bytes: number}[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (file.startsWith(".")) continue;
    let stat;
    try {
      stat = lstatSync(join(dir, file));
    } catch (e) {
      skipped.push({file, reason: `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`});
      continue;
    }
    if (stat.isSymbolicLink()) skipped.push({file, reason: "a symbolic link (links are not followed)"});
    else if (stat.isDirectory()) skipped.push({file, reason: "a folder (folders inside are not read)"});
    else if (!stat.isFile()) skipped.push({file, reason: "not a regular file (a FIFO, socket or device)"});
    else files.push({file, bytes: stat.size});
  }
  const names = new Set(files.filter((f) => companionOf(f.file) === null).map((f) => profileName(f.file)));
  const candidates = files.filter((f) => !names.has(companionOf(f.file) ?? "\0"));
  const pageNames = slugs(candidates.map((c) => profileName(c.file)));
  return {candidates: candidates.map((c, i) => ({slug: pageNames[i], file: c.file, path: join(dir, c.file), bytes: c.bytes})), skipped};
}

/** Why a candidate is not a profile, or null when it is one. */
function notAProfile(entry: SiteProfile): string | null {
  const what = notAProfileFile(entry.path, entry.bytes);
  if (what === null) return null;
  // Companions of no profile: say whose they would be.
  if (entry.file.endsWith(SIDECAR)) return `annotations for no profile: no ${entry.file.slice(0, -SIDECAR.length)}.perf (or other profile of that name) beside it`;
  if (entry.file.endsWith(NOTES)) return `Markdown notes for no profile: no ${entry.file.slice(0, -NOTES.length)}.perf (or other profile of that name) beside it`;
  const owner = companionOf(entry.file);
  if (owner !== null) return `a timeline for no profile: no ${owner}.perf (or other profile of that name) beside it`;
  return what;
}

/** Every profile in a folder (sorted by file name) and every other file, with why it is
 * not shown. */
export function scanProfilesFolder(dir = profilesDir()): ProfilesFolder {
  if (!existsSync(dir)) return {profiles: [], notShown: []};
  const {candidates, skipped} = folderEntries(dir);
  const profiles: SiteProfile[] = [];
  const notShown = [...skipped];
  for (const entry of candidates) {
    const reason = notAProfile(entry);
    if (reason === null) profiles.push(entry);
    else notShown.push({file: entry.file, reason});
  }
  notShown.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {profiles, notShown};
}

/** The profiles in a folder, sorted by file name; slugs are unique. */
export function listProfiles(dir = profilesDir()): SiteProfile[] {
  return scanProfilesFolder(dir).profiles;
}

/** One profile by its slug; only that file is opened. */
export function findProfile(slug: string, dir = profilesDir()): SiteProfile {
  const found = folderEntries(dir).candidates.find((p) => p.slug === slug);
  if (!found) throw new Error(`no profile named ${JSON.stringify(slug)} in ${dir}`);
  const reason = notAProfile(found);
  if (reason !== null) throw new Error(`${found.file}: ${reason}`);
  return found;
}

/** The loaders' `--name=VALUE` argument (Framework passes route parameters so). */
export function nameArgument(args = process.argv.slice(2)): string {
  const {name} = parseArgs({args, options: {name: {type: "string"}}, strict: false}).values;
  if (typeof name !== "string") throw new Error("expected --name=NAME");
  return name;
}

/** Longer notes are not rendered: Markdown's worst cases (a file of "[" or of table
 * pipes) grow faster than their length, 6-8 s at this size on a busy 2-CPU machine and
 * 24-43 s at 1 MiB. */
export const MAX_NOTES_BYTES = 256 << 10;

/** A profile's NAME.md, rendered, with the annotations written in it. */
export function readNotes(profile: SiteProfile): ProfileNotes {
  const file = `${profileName(profile.file)}${NOTES}`;
  const path = join(dirname(profile.path), file);
  const {missing, problem} = checkCompanion(path, MAX_NOTES_BYTES);
  if (missing || problem) return {html: "", annotations: [], warnings: problem ? [`${file}: ${problem}`] : []};
  return renderNotes(readFileSync(path, "utf8"), file);
}

/** A profile's sidecar annotations; a sidecar that cannot be used is a warning, and the
 * profile is shown without it. */
export function readSidecar(profile: SiteProfile): {annotations: Annotation[]; warnings: string[]} {
  const path = sidecarPath(profile.path);
  const {missing, problem} = checkCompanion(path, Infinity);
  if (missing || problem) return {annotations: [], warnings: problem ? [`${basename(path)}: ${problem}`] : []};
  try {
    return {annotations: readAnnotations(profile.path), warnings: []};
  } catch (e) {
    // The message names the sidecar by its full path: keep only its name.
    return {annotations: [], warnings: [(e as Error).message.replaceAll(path, basename(path))]};
  }
}

/** Whether a companion file is there and may be read: a symbolic link or special file
 * is never opened, nor is a file over `maxBytes` read. */
export function checkCompanion(path: string, maxBytes: number): {missing: boolean; problem: string | null} {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return {missing: true, problem: null};
  }
  if (stat.isSymbolicLink()) return {missing: false, problem: "a symbolic link: not read (links are not followed)"};
  if (!stat.isFile()) return {missing: false, problem: "not a regular file: not read"};
  if (stat.size > maxBytes) return {missing: false, problem: `${stat.size} bytes: over the ${maxBytes}-byte limit, not read`};
  return {missing: false, problem: null};
}

/** The sidecar file's name (shown to users, offered as the download name). */
export function sidecarName(profile: SiteProfile): string {
  return basename(sidecarPath(profile.path));
}
