// Node-only: a profile's timelines for its page. Beside NAME.perf (any profile file) a
// folder may hold NAME.gc.log (a JVM unified GC log or Node --trace-gc output),
// NAME.metrics.csv (time series) and NAME.events.log (an application log), each also
// as NAME….gz. They are read by the library's importers (src/lib/timeline/), never
// run; the page gets what they read as data (tracks.json) and aligns it with the
// profile itself. Their text is untrusted like the profile's: the page only ever sets
// it as text. A timeline that cannot be used is a warning; the profile is shown
// without it.
import {join, dirname} from "node:path";
import {profileName} from "../lib/annotations.js";
import {formatDiagnostic} from "../lib/perf/diagnostics.js";
import {trackRecords, trackToJson, type ReadTrackOptions, type TrackJson} from "../lib/timeline/index.js";
import {readTrackFile} from "../node/index.js";
import {checkCompanion, TIMELINE_SUFFIXES, type SiteProfile, type TimelineKind} from "./site-profiles.js";

/** The largest timeline file a page reads (as stored: a .gz may hold more): logs of
 * a profile's minutes are far smaller. */
export const MAX_SITE_TIMELINE_BYTES = 32 << 20;
/** Most events and points one track may hold on a page: each is drawn as a mark. */
export const MAX_SITE_TRACK_RECORDS = 200_000;

/** What each kind is read as: a GC log's format is told by its content. */
const READ_AS: Record<TimelineKind, ReadTrackOptions> = {gc: {only: ["jvm-gc", "node-gc"]}, metrics: {format: "metrics"}, events: {format: "events"}};

export interface SiteTimeline {
  /** The companion's file name. */
  file: string;
  kind: TimelineKind;
  track: TrackJson;
}

/** A profile's timelines, in the order gc, metrics, events, with a warning for each
 * one that is not shown and for each kind of line a timeline's reader skipped. */
export function readTimelines(profile: SiteProfile): {timelines: SiteTimeline[]; warnings: string[]} {
  const timelines: SiteTimeline[] = [];
  const warnings: string[] = [];
  const name = profileName(profile.file);
  for (const [kind, suffix] of Object.entries(TIMELINE_SUFFIXES) as [TimelineKind, string][]) {
    for (const file of [`${name}${suffix}`, `${name}${suffix}.gz`]) {
      const path = join(dirname(profile.path), file);
      const {missing, problem} = checkCompanion(path, MAX_SITE_TIMELINE_BYTES);
      if (missing) continue;
      if (problem) {
        warnings.push(`${file}: ${problem}`);
        continue;
      }
      try {
        const track = readTrackFile(path, READ_AS[kind]);
        const records = trackRecords(track);
        if (records > MAX_SITE_TRACK_RECORDS) throw new Error(`${file}: ${records} events and points, over the ${MAX_SITE_TRACK_RECORDS} a page draws: not shown (subsecond info --track reads it)`);
        // The page names it by its file and its kind, never by where the folder is.
        timelines.push({file, kind, track: trackToJson({...track, source: file, name: kind})});
        for (const d of track.diagnostics) warnings.push(`${file}: ${formatDiagnostic(file, d).replace(/^warning: /, "")}`);
      } catch (e) {
        const message = (e as Error).message.replaceAll(path, file);
        warnings.push(message.startsWith(file) ? message : `${file}: ${message}`);
      }
    }
  }
  return {timelines, warnings};
}
