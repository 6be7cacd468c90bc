// Counted parse diagnostics: every skipped, repaired or notable line is counted under a
// reason, with the first line numbers and an example, so nothing is dropped silently.
import type {DiagnosticEntry, DiagnosticSeverity, Diagnostics} from "../profile.js";

const REASONS = {
  "perf-data": ["error", "binary perf.data file, not `perf script` text: run `perf script --header -i FILE > FILE.perf` and read that"],
  "compressed": ["error", "compressed data: decompress it first (the CLI and readProfile do this for gzip)"],
  "damaged-input": ["warning", "the compressed input is damaged or truncated; the samples before the damage were kept"],
  "unrecognized-line": ["warning", "lines that are neither an event line, a frame line, a blank line nor a # comment were skipped"],
  "stray-frame": ["warning", "frame lines outside any sample (after the blank line that ended it) were skipped"],
  "long-line": ["warning", "lines longer than the maximum line length were skipped"],
  "truncated-line": ["warning", "the input ends in the middle of a line (truncated file?); the partial line was skipped and the sample before it kept"],
  "no-time": ["warning", "samples have no timestamp: they are in flame graphs and collapse output but not on heat maps (record them with `perf script -F +time`)"],
  "out-of-order": ["info", "samples came out of time order and were sorted"],
  "sideband": ["info", "side-band records (PERF_RECORD_*) are not samples and were skipped"],
  "no-callchain": ["info", "samples were recorded without call graphs (no `perf record -g`): each has only the frame on its event line"],
  "unseparated": ["info", "samples were not separated by a blank line; each event line started a new sample"],
  "invalid-utf8": ["warning", "lines have bytes that are not UTF-8; they are shown as U+FFFD"],
  "crlf": ["info", "lines end in CRLF; the CR was removed"],
} as const satisfies Record<string, readonly [DiagnosticSeverity, string]>;

export type DiagnosticCode = keyof typeof REASONS;

const KEEP_LINES = 5;
const EXAMPLE_CHARS = 120;

export class DiagnosticCounter {
  private entries = new Map<DiagnosticCode, DiagnosticEntry>();

  count(code: DiagnosticCode, line: number, example?: () => string): void {
    let entry = this.entries.get(code);
    if (!entry) {
      const [severity, message] = REASONS[code];
      entry = {code, severity, message, count: 0, lines: []};
      if (example) entry.example = truncate(example());
      this.entries.set(code, entry);
    }
    entry.count++;
    if (entry.lines.length < KEEP_LINES) entry.lines.push(line);
  }

  has(code: DiagnosticCode): boolean {
    return this.entries.has(code);
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
