// What every subcommand shares: argument parsing with --help, the input options,
// loading a profile with a progress bar and one-line errors, and writing output.
import {closeSync, fstatSync, lstatSync, openSync, statSync, type Stats} from "node:fs";
import {parseArgs, type ParseArgsConfig} from "node:util";
import {BYTES_PER_SAMPLE, sampleBudget} from "../lib/perf/budget.js";
import {formatDiagnostic} from "../lib/perf/diagnostics.js";
import {FORMATS, FORMATS_TRIED, isFormatName, type FormatName} from "../lib/import/index.js";
import {MAX_SAMPLES_VARIABLE, memoryBudget, readProfile, ProfileReadError} from "../node/index.js";
import type {DiagnosticEntry, Profile} from "../lib/profile.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {sidecarPath} from "../lib/annotations.js";
import {writeAll, writeFileAtomicWith} from "../node/files.js";

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

/** -o and --force, for every command that writes its result. */
export const OUTPUT_OPTIONS: Command["options"] = {
  output: {type: "string", short: "o"},
  force: {type: "boolean"},
};

/** Where a command writes: standard output (no path), a device or FIFO (written to,
 * as `-o /dev/null` expects), or a file (`force`: it may replace one). */
export interface OutputTarget {
  path?: string;
  device?: boolean;
  force: boolean;
}

/** Where -o writes, checked before any work is done: standard output for none or
 * "-"; a new file; an existing one only with --force, and never one of `inputs` (the
 * profile and its sidecar; the same file by another name or link counts), which would
 * be lost. */
export function outputTarget(values: Record<string, string | boolean | undefined>, inputs: string[] = []): OutputTarget {
  const path = values.output as string | undefined;
  const force = values.force === true;
  if (path === undefined || path === "-") return {force};
  const target = statOrNull(path, statSync); // what a link points to
  if (target) {
    for (const input of inputs) {
      const read = input === "-" ? null : statOrNull(input, statSync);
      if (read && read.dev === target.dev && read.ino === target.ino) {
        throw new CliError(`-o ${path} is ${input === path ? "" : `${input}, `}one of this command's inputs: it would be lost; write elsewhere`, 2);
      }
    }
    if (target.isDirectory()) throw new CliError(`-o ${path} is a folder: name a file`, 2);
    if (!target.isFile()) return {path, device: true, force};
  }
  if (!force && statOrNull(path, lstatSync)) throw new CliError(`-o ${path} exists: subsecond writes only new files unless --force is given`);
  return {path, force};
}

function statOrNull(path: string, stat: typeof statSync): Stats | null {
  try {
    return stat(path);
  } catch {
    return null;
  }
}

/** The files a command reads for a profile named on the command line: the profile and
 * its sidecar. */
export function profileInputs(path: string | undefined): string[] {
  return path === undefined || path === "-" ? [] : [path, sidecarPath(path)];
}

/** Writes to the target (writeOutputPieces). */
export function writeOutput(text: string, target: OutputTarget = {force: false}, stdout: StandardOutput = process.stdout): void {
  writeOutputPieces(target, (write) => write(text), stdout);
}

type StandardOutput = Pick<NodeJS.WriteStream, "isTTY" | "write">;

/** Writes what `produce` hands its `write`, piece by piece (a large output is never
 * held whole), to the target; returns what `produce` returns. A file is written in one
 * step (src/node/files.ts): never half a file, and a symbolic link there is replaced,
 * not written through. Standard output that is a terminal gets the text escaped for it
 * (frame names in folded stacks could clear the screen); a pipe or a file gets it as
 * it is. */
export function writeOutputPieces<T>(target: OutputTarget, produce: (write: (piece: string | Uint8Array) => void) => T, stdout: StandardOutput = process.stdout): T {
  const {path, device, force} = target;
  if (path === undefined) {
    if (stdout.isTTY) {
      const decoder = new TextDecoder();
      return produce((piece) => void stdout.write(escapeTerminal(typeof piece === "string" ? piece : decoder.decode(piece, {stream: true}))));
    }
    // A file or device is written at once; a pipe may hold on to a piece, which the
    // producer reuses, so it gets a copy.
    const stat = stdout === process.stdout ? fstatSync(1) : null;
    if (stat && (stat.isFile() || stat.isCharacterDevice())) return produce((piece) => writeTo(1, piece, "standard output"));
    return produce((piece) => void stdout.write(typeof piece === "string" ? piece : Buffer.from(piece)));
  }
  try {
    if (!device) return writeFileAtomicWith(path, produce, {replace: force});
    const fd = openSync(path, "w");
    try {
      return produce((piece) => writeTo(fd, piece, path));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(code === "EEXIST" ? `-o ${path} appeared while writing: not replaced (use --force)` : `cannot write ${path}: ${(e as Error).message}`);
  }
}

function writeTo(fd: number, piece: string | Uint8Array, name: string): void {
  try {
    writeAll(fd, piece);
  } catch (e) {
    throw new CliError(`cannot write ${name}: ${(e as Error).message}`);
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
