import {PATTERNS, PATTERN_NAMES, synthesize, type SynthOptions} from "../lib/synth/index.js";
import {CliError, OUTPUT_OPTIONS, outputTarget, writeOutput, type Command} from "./common.js";

export const synthCommand: Command = {
  name: "synth",
  readsProfiles: false,
  summary: "write a synthetic profile of one of Gregg's 17 heat-map patterns",
  help: `usage: subsecond synth [options] PATTERN
       subsecond synth --list

Writes the text of \`perf script --header\` for a synthetic recording of one of the
patterns in Brendan Gregg's guide to subsecond-offset heat maps ("FlameScope Pattern
Recognition"): periodic threads, busy-wait lines, utilization levels, load changes,
perturbations and blocking. Every CPU is sampled at the same rate, busy or idle,
with callchains; the same options give the same text. --list names the patterns and
says how to read each.

options:
  --list         list the patterns with how to read each
  --seconds N    length of the recording (default: the pattern's, 60 or 120)
  --cpus N       CPUs, 1 to 128 (default 4)
  --hz N         samples per second on each CPU (default 49)
  --seed N       random seed (default 1)
  -o, --output F write to F instead of standard output: a new file; an
                 existing one only with --force
      --force    replace F when it exists
  -h, --help     this help
`,
  options: {
    list: {type: "boolean"},
    seconds: {type: "string"},
    cpus: {type: "string"},
    hz: {type: "string"},
    seed: {type: "string"},
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals) {
    const out = outputTarget(v);
    if (v.list) {
      if (positionals.length > 0) throw new CliError("--list takes no pattern", 2);
      const width = Math.max(...PATTERN_NAMES.map((n) => n.length));
      writeOutput(PATTERNS.map((p) => `${p.name.padEnd(width)}  ${p.title}: ${p.description}\n`).join(""), out);
      return;
    }
    if (positionals.length !== 1) throw new CliError("synth takes one pattern name (see subsecond synth --list)", 2);
    const options: SynthOptions = {seconds: number(v, "seconds"), cpus: number(v, "cpus"), hz: number(v, "hz"), seed: number(v, "seed")};
    let text: string;
    try {
      text = synthesize(positionals[0], options);
    } catch (e) {
      // An unknown pattern (the message lists them) or an option out of range.
      throw new CliError((e as Error).message, 2);
    }
    writeOutput(text, out);
  },
};

/** A numeric option's value; the library checks its range. */
function number(v: Record<string, string | boolean | undefined>, key: string): number | undefined {
  const text = v[key];
  if (typeof text !== "string") return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new CliError(`--${key} takes a number, not ${JSON.stringify(text)}`, 2);
  return n;
}
