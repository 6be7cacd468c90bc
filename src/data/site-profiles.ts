// Node-only: which profiles the report site shows, and what it knows about each besides
// the profile itself. Shared by the site config (one page per profile), the page
// loaders and the artifacts loader, so all of them agree on names.
//
// A profiles folder holds perf script files (NAME.perf, NAME.perf.gz, NAME.txt …), each
// optionally with
//   NAME.annotations.json  its sidecar annotations (see src/lib/annotations.ts), and
//   NAME.md                its page's own markdown: notes shown on the profile's page,
//                          where ```annotations blocks (the sidecar's JSON form) add
//                          more annotations.
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {basename, dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {parseArgs} from "node:util";
import {parseAnnotations, profileName, sidecarPath, type Annotation} from "../lib/annotations.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The profiles folder: $SUBSECOND_PROFILES, else the bundled examples. */
export function profilesDir(): string {
  return resolve(process.env.SUBSECOND_PROFILES || join(repoRoot, "examples"));
}

/** Files that are perf script text, plain or gzip. */
const PROFILE_FILE = /\.(perf|txt|script|stacks|out)(\.gz)?$/i;

export interface SiteProfile {
  /** URL-safe page name: the profile's name with anything else replaced by "-". */
  slug: string;
  /** The file name, as found (untrusted text). */
  file: string;
  path: string;
  bytes: number;
}

/** The profiles in a folder, sorted by file name; slugs are unique. */
export function listProfiles(dir = profilesDir()): SiteProfile[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => PROFILE_FILE.test(f) && !f.startsWith("."))
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  const taken = new Set<string>();
  return files.map((file) => {
    const base = profileName(file).replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "") || "profile";
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    const path = join(dir, file);
    return {slug, file, path, bytes: statSync(path).size};
  });
}

export function findProfile(slug: string, dir = profilesDir()): SiteProfile {
  const found = listProfiles(dir).find((p) => p.slug === slug);
  if (!found) throw new Error(`no profile named ${JSON.stringify(slug)} in ${dir}`);
  return found;
}

/** The loaders' `--name=VALUE` argument (Framework passes route parameters so). */
export function nameArgument(args = process.argv.slice(2)): string {
  const {name} = parseArgs({args, options: {name: {type: "string"}}, strict: false}).values;
  if (typeof name !== "string") throw new Error("expected --name=NAME");
  return name;
}

export interface ProfileNotes {
  /** The page's own markdown without its annotation blocks; "" when there is none. */
  markdown: string;
  annotations: Annotation[];
}

const ANNOTATION_BLOCK = /^```annotations[ \t]*\n([\s\S]*?)^```[ \t]*$\n?/gm;

/** A profile's NAME.md: its text and the annotations written in it. */
export function readNotes(profile: SiteProfile): ProfileNotes {
  const path = join(dirname(profile.path), `${profileName(profile.file)}.md`);
  if (!existsSync(path)) return {markdown: "", annotations: []};
  const text = readFileSync(path, "utf8");
  const annotations: Annotation[] = [];
  for (const m of text.matchAll(ANNOTATION_BLOCK)) {
    let json: unknown;
    try {
      json = JSON.parse(m[1]);
    } catch (e) {
      throw new Error(`${path}: an annotations block is not JSON: ${(e as Error).message}`);
    }
    annotations.push(...parseAnnotations(json, path).annotations);
  }
  return {markdown: text.replace(ANNOTATION_BLOCK, "").trim(), annotations};
}

/** The sidecar file's name (shown to users, offered as the download name). */
export function sidecarName(profile: SiteProfile): string {
  return basename(sidecarPath(profile.path));
}
