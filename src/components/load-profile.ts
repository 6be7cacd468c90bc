// A profile page's data: the artifacts its loader wrote (src/data/profiles/[name].tar.ts),
// turned back into a real Profile for the library.
import {fromArtifacts, type ProfileDictionary} from "../lib/artifacts.js";
import type {Profile} from "../lib/profile.js";
import {trackFromJson, type Track} from "../lib/timeline/index.js";

/** The page's own facts about its profile (site.json). */
export interface SiteInfo {
  /** The profile's file name (untrusted text). */
  file: string;
  /** The sidecar annotations file's name. */
  sidecar: string;
  /** Where each of profile.annotations came from, by index. */
  origins: AnnotationOrigin[];
  /** The profile's NAME.md as inert HTML (src/data/notes.ts); "" when it has none. */
  notes: string;
  /** Sidecar and notes problems, one line each: the profile is shown without them. */
  warnings: string[];
  /** Why the profile is not shown (it has no samples then); absent when it is. */
  error?: string;
}

/** sidecar: NAME.annotations.json; markdown: the profile's NAME.md; page: added in
 * the browser with "annotate this selection" (not saved anywhere yet). */
export type AnnotationOrigin = "sidecar" | "markdown" | "page";

/** The artifacts as the page fetched them: FileAttachment(…).arrayBuffer() / .json()
 * (calling those methods right on FileAttachment also keeps Framework from loading
 * apache-arrow from a CDN for the .arrow files). */
export interface SiteProfileFiles {
  samples: Promise<ArrayBuffer>;
  stacks: Promise<ArrayBuffer>;
  frames: Promise<ArrayBuffer>;
  dictionary: Promise<unknown>;
  site: Promise<unknown>;
  /** tracks.json: the profile's timelines (src/data/timelines.ts). */
  tracks: Promise<unknown>;
}

/** A timeline of the profile's folder: its file's name, its kind, what it holds. */
export interface SiteTrack {
  file: string;
  kind: "gc" | "metrics" | "events";
  track: Track;
}

export async function loadSiteProfile(files: SiteProfileFiles): Promise<{profile: Profile; site: SiteInfo; tracks: SiteTrack[]}> {
  const [samples, stacks, frames, dictionary, site, tracks] = await Promise.all([files.samples, files.stacks, files.frames, files.dictionary, files.site, files.tracks]);
  const profile = fromArtifacts({
    samples: new Uint8Array(samples),
    stacks: new Uint8Array(stacks),
    frames: new Uint8Array(frames),
    dictionary: dictionary as ProfileDictionary,
  });
  const timelines = (tracks as {file: string; kind: SiteTrack["kind"]; track: unknown}[]).map((t) => ({file: t.file, kind: t.kind, track: trackFromJson(t.track, t.file)}));
  return {profile, site: site as SiteInfo, tracks: timelines};
}
