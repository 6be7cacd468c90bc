// What every subcommand shares: argument parsing with --help, the input options,
// loading a profile with a progress bar and one-line errors, and writing output.
import {writeFileSync} from "node:fs";
import {parseArgs, type ParseArgsConfig} from "node:util";
import {BYTES_PER_SAMPLE, sampleBudget} from "../lib/perf/budget.js";
import {formatDiagnostic} from "../lib/perf/diagnostics.js";
import {FORMATS, FORMATS_TRIED, isFormatName, type FormatName} from "../lib/import/index.js";
import {MAX_SAMPLES_VARIABLE, memoryBudget, readProfile, ProfileReadError} from "../node/index.js";
import type {DiagnosticEntry, Profile} from "../lib/profile.js";
import {escapeTerminal} from "../lib/render/escape.js";

/** An error the user can act on: printed as one line, exit status `status`. */
export class CliError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

export interface Command {
  name: string;
  summary: string;
  /** Full help text, starting with the usage line. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** False for commands that read no profile: they take no input options. */
  readsProfiles?: boolean;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<void>;
}

/** The options of every command that reads profiles. */
const INPUT_OPTIONS: Command["options"] = {"max-samples": {type: "string"}, "input-format": {type: "string"}, "sample-type": {type: "string"}};

/** --input-format and --sample-type of this process's command: every profile it
 * reads is read so (set once by parseCommandArgs, before the command runs). */
let inputChoice: {format?: FormatName; sampleType?: string} = {};

/** A command's --help: its own text, then the input options when it takes them. */
export function commandHelp(command: Command): string {
  if (command.readsProfiles === false) return command.help;
  const samples = memoryBudget().maxSamples;
  return `${command.help}
input options (every command that reads profiles):
  --max-samples N  stop with an error at the N+1st sample instead of running out of
                   memory (default: what half of this machine's memory holds at
                   ${BYTES_PER_SAMPLE} bytes a sample, here ${samples.toLocaleString("en-US")})
  --input-format NAME  read the input as this format instead of deciding by its
                   content: ${Object.keys(FORMATS).join(", ")}
  --sample-type NAME   pprof: the sample type to read (default samples, else cpu)
`;
}

export function parseCommandArgs(command: Command, argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {...command.options, ...(command.readsProfiles === false ? {} : INPUT_OPTIONS), help: {type: "boolean", short: "h"}},
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new CliError(`${(e as Error).message.split("\n")[0]} (see subsecond ${command.name} --help)`, 2);
  }
  const maxSamples = (parsed.values as Record<string, string | boolean | undefined>)["max-samples"];
  if (typeof maxSamples === "string") {
    if (sampleBudget(maxSamples) === null) throw new CliError(`--max-samples takes a whole number of samples ≥ 1, not ${JSON.stringify(maxSamples)}`, 2);
    // Every read in this process, and in the processes it starts (the report site's
    // data loaders), takes its sample budget from here.
    process.env[MAX_SAMPLES_VARIABLE] = maxSamples;
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const format = values["input-format"];
  if (typeof format === "string" && !isFormatName(format)) throw new CliError(`--input-format takes ${Object.keys(FORMATS).join(", ")}, not ${JSON.stringify(format)}`, 2);
  inputChoice = {format: format as FormatName | undefined, sampleType: values["sample-type"] as string | undefined};
  return parsed;
}

export interface LoadOptions {
  /** Keep `[unknown]` frames' addresses (collapse --addrs). */
  unknownAddresses?: boolean;
  /** Accept an input without samples when it is empty or only a header, with a
   * warning (collapse: stackcollapse-perf.pl prints nothing for it and succeeds). */
  allowNoSamples?: boolean;
}

/** Reads one profile named on the command line, with a progress bar on a terminal.
 * Fails in one line on input that is not perf script text, reached a budget or holds
 * no samples; prints the parse warnings to stderr. */
export async function loadProfile(path: string | undefined, quiet = false, options: LoadOptions = {}): Promise<Profile> {
  if (path === undefined) throw new CliError("no input file (use - for standard input)", 2);
  const progress = new ProgressBar(path);
  let profile: Profile;
  try {
    profile = await readProfile(path, {...inputChoice, unknownAddresses: options.unknownAddresses, onProgress: (done, total) => progress.update(done, total)});
  } catch (e) {
    if (e instanceof ProfileReadError) throw new CliError(e.message);
    throw e;
  } finally {
    progress.done();
  }
  const {entries} = profile.diagnostics;
  const fatal = entries.find((d) => d.severity === "error");
  // Input that is no format at all: say what was tried (unless a format was forced).
  const tried = inputChoice.format ? "" : ` (${FORMATS_TRIED})`;
  if (fatal) throw new CliError(diagnosticLine(profile.source, fatal) + (fatal.code === "binary" ? tried : ""));
  const none = entries.find((d) => d.code === "no-samples");
  if (profile.samples.length === 0 && !(none && options.allowNoSamples)) throw new CliError(noSamplesLine(profile) + (entries.some((d) => d.code === "not-perf-script" || d.code === "unrecognized-line") ? tried : ""));
  if (!quiet) {
    for (const d of entries) {
      if (d === none) process.stderr.write(`subsecond: warning: ${escapeTerminal(`${profile.source}: ${d.message}`)}\n`);
      else if (d.severity === "warning") process.stderr.write(`subsecond: ${escapeTerminal(formatDiagnostic(profile.source, d))}\n`);
    }
  }
  return profile;
}

/** `FILE: line N: message ("example")`, the line and example when known. */
function diagnosticLine(source: string, d: DiagnosticEntry): string {
  const line = d.lines.length ? `line ${d.lines[0]}: ` : "";
  const example = d.example ? ` (${JSON.stringify(d.example)})` : "";
  return `${source}: ${line}${d.message}${example}`;
}

/** Why a profile has no samples, in one line. */
function noSamplesLine(profile: Profile): string {
  const {entries} = profile.diagnostics;
  const unrecognized = entries.find((d) => d.code === "unrecognized-line");
  if (unrecognized) {
    return `${profile.source}: no samples: ${unrecognized.count} line(s) are not perf script output ` +
      `(first at line ${unrecognized.lines[0]}: ${JSON.stringify(unrecognized.example)}); ` +
      "expected the text of `perf script --header`";
  }
  const why = entries.find((d) => d.code === "no-samples" || d.code === "not-perf-script");
  return why ? diagnosticLine(profile.source, why) : `${profile.source}: no samples`;
}

/** The output format: --format, else the one the output file's extension names, else
 * the first of `formats` (the default). */
export function outputFormat(format: string | boolean | undefined, out: string | undefined, formats: string[], extensions: Record<string, string>): string {
  const chosen = (format as string | undefined) ?? Object.entries(extensions).find(([ext]) => out?.endsWith(ext))?.[1] ?? formats[0];
  if (!formats.includes(chosen)) throw new CliError(`--format takes ${formats.join(", ")}, not ${JSON.stringify(chosen)}`, 2);
  return chosen;
}

/** Writes to a file, or to stdout when `out` is undefined or "-". */
export function writeOutput(text: string, out?: string): void {
  if (out === undefined || out === "-") {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (e) {
    throw new CliError(`cannot write ${out}: ${(e as Error).message}`);
  }
}

/** A progress bar on stderr, drawn only on a terminal and only once the work has run
 * for a second. */
export class ProgressBar {
  private start = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private enabled = !!process.stderr.isTTY;

  constructor(private label: string) {}

  update(done: number, total: number | null): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.start < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.drawn = true;
    const mb = (n: number) => (n / 1048576).toFixed(1);
    const rate = `${mb(done / ((now - this.start) / 1000))} MB/s`;
    let line: string;
    if (total) {
      const width = 30;
      const filled = Math.min(width, Math.round((done / total) * width));
      line = `${this.label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${Math.floor((done / total) * 100)}% ${mb(done)}/${mb(total)} MB ${rate}`;
    } else {
      line = `${this.label} ${mb(done)} MB ${rate}`;
    }
    process.stderr.write(`\r\x1b[K${line}`);
  }

  done(): void {
    if (this.drawn) process.stderr.write("\r\x1b[K");
  }
}
