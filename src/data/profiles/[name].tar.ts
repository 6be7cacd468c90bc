// The artifacts of one profile (Framework runs this once per profile page, with
// `--name=SLUG`): the profile is parsed here and only here; pages read the members.
//   samples.arrow, stacks.arrow, frames.arrow, profile.json  (src/lib/artifacts.ts)
//   site.json     what the page needs besides the profile (file and sidecar names,
//                 where each annotation came from)
//   summary.json  the index page's row: summarize(), samples per second, annotations
import {formatAnnotations} from "../../lib/annotations.js";
import {toArtifacts} from "../../lib/artifacts.js";
import {heatmap} from "../../lib/heatmap.js";
import {readProfile} from "../../lib/node.js";
import {hasTimes} from "../../lib/profile.js";
import {summarize} from "../../lib/summary.js";
import {findProfile, listProfiles, nameArgument, readNotes, sidecarName} from "../site-profiles.js";
import {tar} from "../tar.js";

const entry = findProfile(nameArgument());
const all = listProfiles();
const started = performance.now();
const log = (text: string) => process.stderr.write(`subsecond: [${all.findIndex((p) => p.slug === entry.slug) + 1}/${all.length}] ${entry.file}: ${text}\n`);
log(`parsing (${(entry.bytes / 1e6).toFixed(1)} MB file)`);

const profile = await readProfile(entry.path);
const fatal = profile.diagnostics.entries.find((d) => d.severity === "error");
if (fatal) {
  log(`cannot be read: ${fatal.message}`);
  process.exit(1);
}
const unrecognized = profile.diagnostics.entries.find((d) => d.code === "unrecognized-line");
if (profile.samples.length === 0 && unrecognized) log(`no samples: ${unrecognized.count} line(s) are not perf script output (its page says so)`);
const notes = readNotes(entry);
const origins = [...profile.annotations.map(() => "sidecar"), ...notes.annotations.map(() => "markdown")];
profile.annotations.push(...notes.annotations);
profile.source = entry.file;

const artifacts = toArtifacts(profile);
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const summary = {
  slug: entry.slug,
  ...summarize(profile, {top: 5}),
  // Non-idle samples per second: the index page's sparkline.
  perSecond: hasTimes(profile) ? Array.from(heatmap(profile, {rows: 1}).counts) : [],
  annotations: JSON.parse(formatAnnotations(profile.annotations)).annotations,
};
process.stdout.write(
  tar([
    {name: "samples.arrow", data: artifacts.samples},
    {name: "stacks.arrow", data: artifacts.stacks},
    {name: "frames.arrow", data: artifacts.frames},
    {name: "profile.json", data: json(artifacts.dictionary)},
    {name: "site.json", data: json({file: entry.file, sidecar: sidecarName(entry), origins})},
    {name: "summary.json", data: json(summary)},
  ]),
);
log(`${profile.samples.length.toLocaleString("en-US")} samples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
