// Counted parse diagnostics: every skipped, repaired or notable line is counted under a
// reason, with the first line numbers and an example, so nothing is dropped silently.
import type {DiagnosticEntry, DiagnosticSeverity, Diagnostics} from "../profile.js";

const REASONS = {
  "perf-data": ["error", "binary perf.data file, not `perf script` text: run `perf script --header -i FILE > FILE.perf` and read that"],
  "compressed": ["error", "compressed data: decompress it first (the CLI and readProfile do this for gzip)"],
  "binary": ["error", "binary data, not `perf script` text: NUL bytes, control characters or invalid UTF-8 make up more than an eighth of its start"],
  "utf16": ["error", "UTF-16 text: `perf script` writes UTF-8; convert it (iconv -f UTF-16 -t UTF-8) and read that"],
  "sample-budget": ["error", "reading stopped at the sample budget"],
  "table-budget": ["error", "reading stopped at the budget for distinct stacks, frames, threads and events"],
  "damaged-input": ["warning", "the compressed input is damaged or truncated; the samples before the damage were kept"],
  "no-samples": ["warning", "no samples"],
  "not-perf-script": ["warning", "no samples: no line is an event line of `perf script`"],
  "unrecognized-line": ["warning", "lines that are neither an event line, a frame line, a blank line nor a # comment were skipped"],
  "stray-frame": ["warning", "frame lines outside any sample (after the blank line that ended it) were skipped"],
  "long-line": ["warning", "lines longer than the maximum line length were skipped"],
  "truncated-line": ["warning", "the input ends in the middle of a line (truncated file?); the partial line was skipped and the sample before it kept"],
  "binary-line": ["warning", "lines with NUL bytes (binary data, never in `perf script` text) were skipped; a sample whose event line it was is lost"],
  "bad-time": ["warning", "timestamps are not perf's SECONDS[.FRACTION] (nan, inf, a sign, an exponent, hex, over 12 digits of seconds or 9 of fraction); the samples were kept without a time: in flame graphs, not on heat maps"],
  "far-time": ["warning", "timestamps lie more than 2^53 ns (104 days) from the profile's main time span; the samples were kept without a time: in flame graphs, not on heat maps"],
  "bad-pid": ["warning", "pids or tids are beyond what Linux can have (-1 or 0 to 4194304); the samples were kept with the pid or tid unknown (-1)"],
  "bad-cpu": ["warning", "CPU numbers are not a CPU (0 to 65535); the samples were kept without a CPU"],
  "bad-period": ["warning", "periods are not whole numbers below 2^53; the samples were kept with weight 1, as if perf printed no period"],
  "no-time": ["warning", "samples have no timestamp: they are in flame graphs and collapse output but not on heat maps (record them with `perf script -F +time`)"],
  "out-of-order": ["info", "samples came out of time order and were sorted"],
  "sideband": ["info", "side-band records (PERF_RECORD_*) are not samples and were skipped"],
  "no-callchain": ["info", "samples were recorded without call graphs (no `perf record -g`): each has only the frame on its event line"],
  "unseparated": ["info", "samples were not separated by a blank line; each event line started a new sample"],
  "invalid-utf8": ["warning", "lines have bytes that are not UTF-8; they are shown as U+FFFD"],
  "crlf": ["info", "lines end in CRLF; the CR was removed"],
  "bad-count": ["warning", "lines whose count is not a whole number of samples (at most 15 digits) were skipped"],
  "skipped-sample": ["warning", "samples the format could not place (no stack, no value) were skipped"],
  "other-records": ["info", "records of the format that are not samples were skipped"],
  "track-line": ["warning", "lines the track's format does not describe were skipped"],
  "track-time": ["warning", "lines with a timestamp that is not epoch seconds, ms, µs or ns, ISO 8601 or the log's own clock were skipped"],
  "track-value": ["warning", "values that are not numbers were skipped"],
  "track-range": ["warning", "records with a time or duration too large for any clock (hundreds of digits) were skipped"],
  "track-unpaired": ["warning", "start or end lines without their other half were kept as instants"],
  "track-budget": ["error", "reading stopped at the track's size limit"],
} as const satisfies Record<string, readonly [DiagnosticSeverity, string]>;

export type DiagnosticCode = keyof typeof REASONS;

const KEEP_LINES = 5;
const EXAMPLE_CHARS = 120;

export class DiagnosticCounter {
  private entries = new Map<DiagnosticCode, DiagnosticEntry>();

  /** Counts one occurrence at `line` (0: not at a line). The first occurrence sets
   * the example and may replace the code's message with a more specific one. */
  count(code: DiagnosticCode, line: number, example?: () => string, message?: string): void {
    let entry = this.entries.get(code);
    if (!entry) {
      const [severity, text] = REASONS[code];
      entry = {code, severity, message: message ?? text, count: 0, lines: []};
      if (example) entry.example = truncate(example());
      this.entries.set(code, entry);
    }
    entry.count++;
    if (line > 0 && entry.lines.length < KEEP_LINES) entry.lines.push(line);
  }

  /** Adds the counts of a later part of the input whose line numbers start after
   * `lineOffset` lines (see PerfScriptParser.absorb). CRLF is counted once. */
  absorb(entry: DiagnosticEntry, lineOffset: number): void {
    const code = entry.code as DiagnosticCode;
    const here = this.entries.get(code);
    if (!here) {
      this.entries.set(code, {...entry, lines: entry.lines.map((line) => line + lineOffset)});
      return;
    }
    if (code === "crlf") return;
    here.count += entry.count;
    for (const line of entry.lines) if (here.lines.length < KEEP_LINES) here.lines.push(line + lineOffset);
  }

  /** The entries in the order of their first occurrence. */
  inOrder(): DiagnosticEntry[] {
    return [...this.entries.values()];
  }

  has(code: DiagnosticCode): boolean {
    return this.entries.has(code);
  }

  get(code: DiagnosticCode): DiagnosticEntry | undefined {
    return this.entries.get(code);
  }

  /** Whether any code of this severity was counted. */
  hasSeverity(severity: DiagnosticSeverity): boolean {
    for (const entry of this.entries.values()) if (entry.severity === severity) return true;
    return false;
  }

  result(lines: number, bytes: number): Diagnostics {
    const order = {error: 0, warning: 1, info: 2};
    const entries = [...this.entries.values()].sort((a, b) => order[a.severity] - order[b.severity]);
    return {lines, bytes, entries};
  }
}

function truncate(text: string): string {
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "\uFFFD");
  return clean.length > EXAMPLE_CHARS ? `${clean.slice(0, EXAMPLE_CHARS)}…` : clean;
}

/** One line per diagnostic, for terminals and logs:
 * `warning: 3 lines: lines that are … (lines 12, 40, 41; e.g. "THIS_IS_A_WEIRD_LINE")`. */
export function formatDiagnostic(source: string, entry: DiagnosticEntry): string {
  const where = entry.lines.length
    ? ` (${source}: line${entry.lines.length > 1 ? "s" : ""} ${entry.lines.join(", ")}${entry.count > entry.lines.length ? ", …" : ""})`
    : "";
  const example = entry.example !== undefined ? `; e.g. ${JSON.stringify(entry.example)}` : "";
  return `${entry.severity}: ${entry.count} × ${entry.message}${where}${example}`;
}
