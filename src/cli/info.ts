import {IDLE_MODES, type IdleClassifier} from "../lib/idle.js";
import {formatSummary, summarize} from "../lib/summary.js";
import {CliError, loadProfile, writeOutput, type Command} from "./common.js";
import {loadTracks, TRACK_HELP, TRACK_OPTIONS, tracksText} from "./tracks.js";

export const infoCommand: Command = {
  name: "info",
  summary: "what is in a profile: samples, events, time span, CPUs, top processes, header, parse warnings",
  help: `usage: subsecond info [options] FILE

Prints what to check first: samples (total and idle), events, the origin (the perf
time of x = 0 of every heat map, and its wall-clock time when perf recorded a
reference time), first and last sample, duration, CPUs, the processes (grouped by
comm, as \`perf report --sort comm\`) and threads with the most samples, the
\`perf script --header\` metadata, and every parse warning with its line numbers.

options:
  --json         machine-readable output
  --top N        rows of processes and threads (default 10)
  --idle MODE    idle classifier: default (leaf-aware), flamescope, keep
${TRACK_HELP}                 info says how each track was placed (clock, uncertainty)
  -h, --help     this help
`,
  options: {
    json: {type: "boolean"},
    top: {type: "string"},
    idle: {type: "string"},
    ...TRACK_OPTIONS,
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("info takes one input file", 2);
    const top = v.top === undefined ? 10 : Number(v.top);
    if (!Number.isInteger(top) || top < 0) throw new CliError(`--top takes a whole number, not ${JSON.stringify(v.top)}`, 2);
    const idle = (v.idle ?? "default") as IdleClassifier;
    if (!(IDLE_MODES as readonly string[]).includes(idle as string)) throw new CliError(`--idle takes ${IDLE_MODES.join(", ")}`, 2);
    const profile = await loadProfile(positionals[0], true);
    const summary = summarize(profile, {idle, top});
    const tracks = loadTracks(v, profile, true);
    if (v.json) {
      const trackInfo = tracks.map((t) => ({source: t.track.source, format: t.track.format, clock: t.track.clock, events: t.track.events.length,
        series: t.track.series.map((s) => ({name: s.name, points: s.time.length})), alignment: t.alignment, warnings: t.warnings, diagnostics: t.track.diagnostics}));
      writeOutput(JSON.stringify(tracks.length ? {...summary, tracks: trackInfo} : summary, null, 2) + "\n");
    } else writeOutput(formatSummary(summary) + tracksText(tracks));
  },
};

