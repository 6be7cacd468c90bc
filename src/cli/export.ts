// `subsecond export`: a profile, or a selection of it, in another tool's format, so it
// opens in speedscope, `go tool pprof` or the Firefox Profiler.
import {gzipSync} from "node:zlib";
import {foldedText} from "../lib/collapse.js";
import {toGecko} from "../lib/export/gecko.js";
import {toPprof} from "../lib/export/pprof.js";
import {toSpeedscope} from "../lib/export/speedscope.js";
import {parseSelection, type SelectionPart} from "../lib/selection.js";
import {ANALYSIS_HELP, ANALYSIS_OPTIONS, analysisOptions} from "./analysis.js";
import {CliError, loadProfile, OUTPUT_OPTIONS, outputTarget, profileInputs, writeOutputPieces, type Command} from "./common.js";
import {resolveSelection, viewOrFail} from "./flamegraph.js";

export const EXPORT_FORMATS = ["speedscope", "pprof", "folded", "gecko"] as const;

export const exportCommand: Command = {
  name: "export",
  summary: "write a profile or a selection as speedscope, pprof, folded stacks or Gecko (Firefox Profiler) JSON",
  help: `usage: subsecond export FILE --to FORMAT [options] -o OUT

Writes the samples of FILE (any format subsecond reads), or of a selection of it, in
another tool's format:
  speedscope  speedscope's JSON (https://www.speedscope.app): one profile per thread,
              samples weighted by the time to the next one
  pprof       gzip-compressed profile.proto for \`go tool pprof\`; sample times as
              end_timestamp_ns labels, threads as "thread id" / "thread name" labels
  folded      folded stacks ("comm;outer;...;leaf COUNT"), as \`collapse\` prints them
  gecko       Gecko profile JSON, which the Firefox Profiler opens (timed samples only)

OUT must not exist unless --force is given, and is never the input or its
annotations; "-o -" writes to standard output (not pprof on a terminal).

options:
  --to FORMAT          speedscope, pprof, folded or gecko
  --select TEXT        only this selection (its text form: t12.5_14, c3_40x10_12r50;
                       parts joined by ~)
  --annotation LABEL   only the profile's annotation with this label
${ANALYSIS_HELP}  -o, --output OUT     the file to write
  --force              replace OUT when it exists
  -h, --help           this help
`,
  options: {
    to: {type: "string"},
    select: {type: "string"},
    annotation: {type: "string"},
    ...ANALYSIS_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("export takes one input file", 2);
    const to = v.to as string | undefined;
    if (to === undefined || !(EXPORT_FORMATS as readonly string[]).includes(to)) throw new CliError(`--to takes ${EXPORT_FORMATS.join(", ")}${to === undefined ? "" : `, not ${JSON.stringify(to)}`}`, 2);
    const out = v.output as string | undefined;
    if (out === undefined) throw new CliError("export needs -o OUT (or -o - for standard output)", 2);
    if (out === "-" && to === "pprof" && process.stdout.isTTY) throw new CliError("pprof is binary: write it to a file (-o OUT.pb.gz), not to a terminal", 2);
    const input = positionals[0];
    const target = outputTarget(v, profileInputs(input));
    const options = analysisOptions(v);
    let parts: SelectionPart[] = [];
    try {
      if (v.select !== undefined) parts = parseSelection(String(v.select)) ?? [];
    } catch (e) {
      throw new CliError(`--select: ${(e as Error).message}`, 2);
    }
    const profile = await loadProfile(input);
    const selection = resolveSelection(profile, {parts, timed: false, annotation: v.annotation === undefined ? undefined : String(v.annotation)});
    const view = viewOrFail(profile, selection, options);
    let bytes: Uint8Array | string;
    if (to === "speedscope") bytes = toSpeedscope(view);
    else if (to === "pprof") bytes = gzipSync(toPprof(view));
    else if (to === "folded") bytes = foldedText(view);
    else {
      const gecko = toGecko(view);
      if (gecko.untimed > 0) process.stderr.write(`subsecond export: ${gecko.untimed} samples without a time are not in the Gecko profile (it places every sample in time)\n`);
      bytes = gecko.json;
    }
    writeOutputPieces(target, (write) => write(bytes));
  },
};
