import {DEFAULT_MIN_CONFIDENCE, findPatterns, PATTERN_KINDS, type PatternInstance, type PatternKind} from "../lib/patterns/index.js";
import {PatternError} from "../lib/pattern.js";
import {untimedReason} from "../lib/heatmap.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {percent} from "../lib/patterns/instance.js";
import {ANALYSIS_HELP, ANALYSIS_OPTIONS, analysisOptions} from "./analysis.js";
import {CliError, loadProfile, OUTPUT_OPTIONS, outputTarget, profileInputs, writeOutput, type Command} from "./common.js";

export const patternsCommand: Command = {
  name: "patterns",
  summary: "find the heat-map patterns (periodic threads, busy-waits, GC-like perturbations, blocking, bursts, load) and the code behind each",
  help: `usage: subsecond patterns [options] FILE

Finds what a trained eye reads off a subsecond-offset heat map, and names the code:
  periodic                  a thread waking every P (a horizontal line; any period)
  busy-wait                 a wake-up creeping each period (a diagonal)
  perturbation              every CPU busy for 100s of ms (garbage collection)
  cpu-blocking              every CPU idle for 100s of ms in a busy map (I/O)
  single-threaded-blocking  one thread alone on CPU, the others waiting (a lock)
  load-bursts               seconds of heavier load, or bursts of one function
  load-trend                load rising or falling over the capture
  steady-load               the level, when nothing else stands out
  occupancy                 when a function (--frame RE) is on CPU
Each instance has a confidence in [0, 1], the frames most over-represented in it,
and every occurrence in time (seconds since the origin, the heat map's x axis), with
a selection that \`subsecond flamegraph --select\` and annotations take.

options:
  --json               {"patterns": [{kind, label, confidence, explanation, frames,
                       threads, parameters, occurrences: [{from, to}], selection}]}
  --min-confidence X   drop instances below X (0..1, default ${DEFAULT_MIN_CONFIDENCE})
  --kind LIST          only these kinds (comma-separated)
  --frame RE           also report when frames matching RE are on CPU (occupancy)
${ANALYSIS_HELP}  -o, --output F       write to F instead of standard output (a new file; --force
                       replaces one)
  -h, --help           this help
`,
  options: {
    json: {type: "boolean"},
    "min-confidence": {type: "string"},
    kind: {type: "string"},
    frame: {type: "string"},
    ...ANALYSIS_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("patterns takes one input file", 2);
    const minText = v["min-confidence"] as string | undefined;
    const minConfidence = minText === undefined ? DEFAULT_MIN_CONFIDENCE : Number(minText);
    if (minText !== undefined && !(/^\d*\.?\d+$/.test(minText) && minConfidence <= 1)) throw new CliError(`--min-confidence takes a number from 0 to 1, not ${JSON.stringify(minText)}`, 2);
    const kinds = typeof v.kind === "string" ? v.kind.split(",").map((k) => k.trim()) : undefined;
    for (const k of kinds ?? []) if (!(PATTERN_KINDS as readonly string[]).includes(k)) throw new CliError(`--kind: unknown kind ${JSON.stringify(k)} (kinds: ${PATTERN_KINDS.join(", ")})`, 2);
    const frame = typeof v.frame === "string" ? v.frame : undefined;
    const target = outputTarget(v, profileInputs(positionals[0]));
    const profile = await loadProfile(positionals[0], v.json === true);
    // Patterns are read off the heat map: a profile without times has none to find.
    const untimed = untimedReason(profile, "patterns need");
    if (untimed) throw new CliError(untimed);
    let found: PatternInstance[];
    try {
      found = findPatterns(profile, {...analysisOptions(v), minConfidence, frame,
        kinds: kinds && frame !== undefined && !kinds.includes("occupancy") ? [...kinds, "occupancy"] as PatternKind[] : kinds as PatternKind[] | undefined});
    } catch (e) {
      if (e instanceof PatternError) throw new CliError(`--frame: ${e.message}`, 2);
      throw e;
    }
    writeOutput(v.json ? JSON.stringify({patterns: found}, null, 2) + "\n" : patternsText(profile.source, found), target);
  },
};

/** The instances as a terminal report: names from the profile escaped (a report is
 * read on a terminal, piped through less or not). */
export function patternsText(source: string, found: readonly PatternInstance[]): string {
  return escapeTerminal(reportText(source, found));
}

function reportText(source: string, found: readonly PatternInstance[]): string {
  if (found.length === 0) return `${source}: no pattern found above the confidence asked for\n`;
  const lines = [`${source}: ${found.length} ${found.length === 1 ? "pattern" : "patterns"}`, ""];
  for (const p of found) {
    lines.push(`${p.kind}  (confidence ${p.confidence.toFixed(2)})  ${p.label}`);
    lines.push(`  ${p.explanation}`);
    if (p.frames.length) lines.push(`  frames: ${p.frames.map((f) => `${f.name} (${percent(f.inside)} inside, ${percent(f.outside)} outside)`).join("; ")}`);
    const shown = p.occurrences.slice(0, 12).map((o) => `${o.from.toFixed(3)}–${o.to.toFixed(3)}`).join(", ");
    lines.push(`  occurrences (${p.occurrences.length}, s since the origin): ${shown}${p.occurrences.length > 12 ? ", …" : ""}`);
    lines.push(`  selection: ${p.selection.length > 200 ? `${p.selection.slice(0, 200)}… (--json has it whole)` : p.selection}`);
    lines.push("");
  }
  return lines.join("\n");
}
