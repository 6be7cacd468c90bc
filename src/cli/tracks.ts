// --track FILE[@OFFSET] (repeatable) and --event-pattern, shared by heatmap, info and
// flamegraph: timelines read, placed on the profile's axis, their warnings on stderr.
import {formatDiagnostic} from "../lib/perf/diagnostics.js";
import type {Profile} from "../lib/profile.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {alignTrack, trackWithOffset, type AlignedTrack} from "../lib/timeline/align.js";
import {trackRecords} from "../lib/timeline/track.js";
import {readTrackFile, ProfileReadError} from "../node/index.js";
import {CliError} from "./common.js";

export const TRACK_OPTIONS = {
  track: {type: "string", multiple: true},
  "event-pattern": {type: "string"},
} as const;

export const TRACK_HELP = `  --track FILE[@S]  a timeline beside the profile (repeatable): a JVM GC log
                 (-Xlog:gc*), Node --trace-gc output, metrics (CSV or JSON: time,
                 value columns; epoch s/ms/µs/ns or ISO 8601) or an event log; @S
                 shifts it by S seconds (needed for logs on no common clock)
  --event-pattern RE  event logs: an RE2 pattern with named groups time, label, kind
`;

export function trackPaths(v: Record<string, unknown>): string[] {
  const t = v.track as string[] | string | undefined;
  return (t === undefined ? [] : Array.isArray(t) ? t : [t]).map((a) => trackWithOffset(a).path);
}

/** Most events and points of one track a heat map's SVG draws: each is a mark, and the
 * DOM holds every mark (measured with jsdom, the DOM used then: about 20 kB a mark,
 * 50,000 took 1 GB and 10 s, a million aborted the process out of memory). `info` and
 * `flamegraph --when` read any number. */
export const MAX_DRAWN_TRACK_RECORDS = 50_000;

/** Refuses, naming it, a track with more records than a drawing holds. */
export function checkDrawable(tracks: AlignedTrack[]): void {
  for (const {track} of tracks) {
    const records = trackRecords(track);
    if (records > MAX_DRAWN_TRACK_RECORDS) throw new CliError(escapeTerminal(`${track.source}: ${records} events and points, over the ${MAX_DRAWN_TRACK_RECORDS} a heat map draws (info --track and flamegraph --when read it)`));
  }
}

/** The --track files read and aligned on the profile; warnings to stderr unless quiet. */
export function loadTracks(v: Record<string, unknown>, profile: Profile, quiet = false): AlignedTrack[] {
  const args = (v.track as string[] | string | undefined) ?? [];
  const out: AlignedTrack[] = [];
  for (const arg of Array.isArray(args) ? args : [args]) {
    const {path, offset} = trackWithOffset(arg);
    let aligned: AlignedTrack;
    try {
      const track = readTrackFile(path, {eventPattern: v["event-pattern"] as string | undefined});
      aligned = alignTrack(track, profile, {offset});
    } catch (e) {
      if (e instanceof ProfileReadError || e instanceof Error) throw new CliError(escapeTerminal(e.message));
      throw e;
    }
    if (!quiet) {
      for (const d of aligned.track.diagnostics) if (d.severity !== "info") process.stderr.write(`subsecond: ${escapeTerminal(formatDiagnostic(path, d))}\n`);
      for (const w of aligned.warnings) process.stderr.write(`subsecond: warning: ${escapeTerminal(w)}\n`);
    }
    out.push(aligned);
  }
  return out;
}

/** What `info` says about each track: format, records, clock, alignment, warnings. */
export function tracksText(tracks: AlignedTrack[]): string {
  const lines: string[] = [];
  for (const t of tracks) {
    const k = t.track;
    const what = k.series.length ? `${k.series.length} series (${k.series.map((s) => `${s.name}: ${s.time.length} points`).join(", ")})` : `${k.events.length} events`;
    lines.push(`track ${k.source}: ${k.format}, ${what}`);
    lines.push(`  alignment: ${t.alignment.text}`);
    const times = [t.start, ...t.seriesTime].filter((a) => a.length);
    if (times.length) {
      const first = Math.min(...times.map((a) => a[0])), last = Math.max(...times.map((a) => a[a.length - 1]));
      lines.push(`  on the heat map: ${first.toFixed(3)} s to ${last.toFixed(3)} s`);
    }
    for (const d of k.diagnostics) lines.push(`  ${formatDiagnostic(k.source, d)}`);
    for (const w of t.warnings) lines.push(`  warning: ${w}`);
  }
  return lines.map((l) => `${escapeTerminal(l)}\n`).join("");
}
