// The artifacts of one profile (Framework runs this once per profile page, with
// `--name=SLUG`): the profile is parsed here and only here; pages read the members.
//   samples.arrow, stacks.arrow, frames.arrow, profile.json  (src/lib/artifacts.ts)
//   site.json     what the page needs besides the profile (file and sidecar names,
//                 where each annotation came from, the notes as HTML, warnings)
//   tracks.json   its timelines (NAME.gc.log, NAME.metrics.csv, NAME.events.log) as
//                 read by the library's importers (src/data/timelines.ts)
//   summary.json  the index page's row: summarize(), samples per second (a sparkline's
//                 worth), annotations
//   patterns.json the patterns found in it (findPatterns: the page proposes them as
//                 annotations); found here, not in the page, which they would keep
//                 from being interactive for half a second on a million samples
// A profile that cannot be shown never fails the build: its members say why (`error`
// in site.json and summary.json, an empty profile in the rest) and the index lists it
// with that reason. A sidecar or annotations block that cannot be used is a warning;
// the profile is shown without it. With $SUBSECOND_BUILD_LOG set (scripts/site.js sets
// it), the outcome is also written there as SLUG.json for the build's summary.
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {formatAnnotations} from "../../lib/annotations.js";
import {toArtifacts} from "../../lib/artifacts.js";
import {busiestSeconds, heatmap} from "../../lib/heatmap.js";
import {readProfile} from "../../node/index.js";
import {formatDiagnostic} from "../../lib/perf/diagnostics.js";
import {parsePerfScript} from "../../lib/perf/parse.js";
import {durationSeconds, hasTimes, type Profile} from "../../lib/profile.js";
import {escapeTerminal} from "../../lib/render/escape.js";
import {summarize} from "../../lib/summary.js";
import {findPatterns, type PatternInstance} from "../../lib/patterns/index.js";
import {findProfile, nameArgument, readNotes, readSidecar, sidecarName, type SiteProfile} from "../site-profiles.js";
import {readTimelines, type SiteTimeline} from "../timelines.js";
import {tar, type TarEntry} from "../tar.js";

/** What scripts/site.js reads from $SUBSECOND_BUILD_LOG/SLUG.json. */
export interface BuildOutcome {
  file: string;
  /** Why the profile is not shown; absent when it is. */
  error?: string;
  warnings: string[];
}

const slug = nameArgument();
// File names and the warnings that quote a profile's text go to a terminal: escaped,
// and one line each (a newline in a file name cannot forge a line of its own).
const log = (file: string, text: string) => process.stderr.write(`${escapeTerminal(`subsecond: ${file}: ${text}`).replaceAll("\n", "\\n")}\n`);

/** The longest profile a page shows, in seconds of its heat map. */
const MAX_REPORT_SECONDS = 86_400;

/** A problem that keeps a profile off the site, already one line naming the file. */
class NotShownError extends Error {}

async function readShown(entry: SiteProfile): Promise<{profile: Profile; origins: string[]; notes: string; timelines: SiteTimeline[]; warnings: string[]}> {
  const started = performance.now();
  log(entry.file, `parsing (${(entry.bytes / 1e6).toFixed(1)} MB file)`);
  const profile = await readProfile(entry.path, {sidecar: false});
  const fatal = profile.diagnostics.entries.find((d) => d.severity === "error");
  if (fatal) throw new NotShownError(formatDiagnostic(entry.file, fatal).replace(/^error: /, ""));
  if (profile.samples.length === 0) {
    const unrecognized = profile.diagnostics.entries.find((d) => d.code === "unrecognized-line");
    throw new NotShownError(
      unrecognized
        ? `no samples: ${unrecognized.count} line(s) are not perf script output (first at ${entry.file}: line ${unrecognized.lines[0]})`
        : "no samples: perf script text with only header lines (was anything recorded?)",
    );
  }
  // A page draws every second of its heat map; past a day (a damaged time can put one
  // sample days after the rest) the page would take minutes to open.
  const seconds = hasTimes(profile) ? durationSeconds(profile) : 0;
  if (seconds > MAX_REPORT_SECONDS) {
    throw new NotShownError(
      `its samples span ${seconds.toLocaleString("en-US")} s (perf time ${profile.origin} s onwards); a report page draws at most ${MAX_REPORT_SECONDS.toLocaleString("en-US")} s (a day): ` +
        "cut it with `perf script --time`, or read it with subsecond heatmap and flamegraph",
    );
  }
  const sidecar = readSidecar(entry);
  const notes = readNotes(entry);
  const {timelines, warnings: timelineWarnings} = readTimelines(entry);
  profile.annotations = [...sidecar.annotations, ...notes.annotations];
  profile.source = entry.file;
  log(entry.file, `${profile.samples.length.toLocaleString("en-US")} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return {
    profile, origins: [...sidecar.annotations.map(() => "sidecar"), ...notes.annotations.map(() => "markdown")], notes: notes.html, timelines,
    warnings: [...sidecar.warnings, ...notes.warnings, ...timelineWarnings],
  };
}

/** The index page's sparkline: non-idle samples per second, at most SPARKLINE_POINTS
 * values (each the busiest second of its `binSeconds`). */
const SPARKLINE_POINTS = 400;
function sparkline(profile: Profile): {perSecond: number[]; binSeconds: number} {
  if (!hasTimes(profile)) return {perSecond: [], binSeconds: 1};
  const {values, binSeconds} = busiestSeconds(heatmap(profile, {rows: 1}).counts, SPARKLINE_POINTS);
  return {perSecond: values, binSeconds};
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The patterns found in the profile; none without sample times. A detector that
 * fails is a warning: the page is shown without proposals. */
function patterns(profile: Profile, warnings: string[]): PatternInstance[] {
  if (!hasTimes(profile)) return [];
  const started = performance.now();
  try {
    const found = findPatterns(profile);
    log(profile.source, `${found.length} pattern(s) found in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return found;
  } catch (e) {
    warnings.push(`patterns not proposed: ${(e as Error).message.split("\n")[0]}`);
    return [];
  }
}

function members(profile: Profile, site: object, summary: object, timelines: SiteTimeline[], found: PatternInstance[]): TarEntry[] {
  const artifacts = toArtifacts(profile);
  return [
    {name: "samples.arrow", data: artifacts.samples},
    {name: "stacks.arrow", data: artifacts.stacks},
    {name: "frames.arrow", data: artifacts.frames},
    {name: "profile.json", data: json(artifacts.dictionary)},
    {name: "site.json", data: json(site)},
    {name: "summary.json", data: json(summary)},
    {name: "tracks.json", data: json(timelines)},
    {name: "patterns.json", data: json({patterns: found})},
  ];
}

let file = slug;
let path: string | null = null;
let outcome: BuildOutcome;
let output: TarEntry[];
try {
  const entry = findProfile(slug);
  ({file, path} = entry);
  const {profile, origins, notes, timelines, warnings} = await readShown(entry);
  const found = patterns(profile, warnings);
  const summary = {
    slug,
    ...summarize(profile, {top: 5}),
    // Non-idle samples per second: the index page's sparkline.
    ...sparkline(profile),
    annotations: JSON.parse(formatAnnotations(profile.annotations)).annotations,
    warnings,
  };
  output = members(profile, {file, sidecar: sidecarName(entry), origins, notes, warnings}, summary, timelines, found);
  outcome = {file, warnings};
} catch (e) {
  // Whatever went wrong (a fatal parse error, or a profile the library cannot handle),
  // the rest of the report is still built.
  const {name, message} = e as Error;
  let error = (e instanceof NotShownError || name === "Error" ? message : `${name}: ${message}`).split("\n")[0];
  if (path) error = error.replaceAll(path, file); // the page shows the file's name, not where it was
  const empty = parsePerfScript("", {source: file});
  output = members(empty, {file, sidecar: "", origins: [], notes: "", warnings: [], error}, {slug, file, error}, [], []);
  outcome = {file, error, warnings: []};
}
for (const warning of outcome.warnings) log(file, `warning: ${warning}`);
if (outcome.error) log(file, `not shown: ${outcome.error}`);
if (process.env.SUBSECOND_BUILD_LOG) writeFileSync(join(process.env.SUBSECOND_BUILD_LOG, `${slug}.json`), JSON.stringify(outcome));
process.stdout.write(tar(output));
