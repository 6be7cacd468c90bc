// Folded stacks (`comm;outer;…;leaf COUNT` per line: stackcollapse-*.pl, `subsecond
// collapse`, inferno, py-spy --format raw): no times, so flame graphs only. The first
// frame is the process, as stackcollapse-perf.pl writes it; `_[k]`, `_[j]` and `_[i]`
// suffixes (its --kernel, --jit and inlined marks) give frames their kind back. A line
// of COUNT n becomes n samples, so flame graphs count what the file counts.
import {ProfileBuilder} from "../builder.js";
import type {FrameKind, Profile} from "../profile.js";
import {ImportError} from "./errors.js";
import type {ImportOptions} from "./options.js";

export const FOLDED = "folded stacks";

/** `STACK COUNT`, COUNT anything number-like (`1e400`, `2.5`, `-3` too, so a file of
 * them is still folded stacks and its bad counts are named, not read as perf text). */
const LINE = /^(.*\S)\s+([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$/;
/** The counts read: whole numbers of samples that a double holds exactly. */
const COUNT = /^\d{1,15}$/;
const SUFFIX_KIND: Record<string, FrameKind> = {"_[k]": "kernel", "_[j]": "jit", "_[i]": "inlined"};

/** Whether the first lines of a text are folded stacks: three in four non-blank ones
 * `STACK COUNT` with no leading blank (perf script's frame lines start with one; its
 * event lines end in the event name), and at least one with a `;` (a call chain). */
export function looksFolded(text: string): boolean {
  const lines = text.split("\n", 50).map((l) => l.replace(/\r$/, "")).filter((l) => l !== "");
  if (text.length >= 65536) lines.pop(); // the last line of a prefix may be cut
  if (lines.length === 0) return false;
  const folded = lines.filter((l) => !/^\s/.test(l) && !l.startsWith("#") && LINE.test(l));
  return folded.length * 4 >= lines.length * 3 && folded.some((l) => l.includes(";"));
}

export function importFolded(text: string, options: ImportOptions = {}): Profile {
  const source = options.source ?? "<folded>";
  const builder = new ProfileBuilder({source, maxSamples: options.maxSamples, header: {fields: {format: FOLDED}}});
  const event = builder.eventOf("samples");
  const threads = new Map<string, number>();
  let lineNo = 0, bad = 0;
  for (const raw of text.split("\n")) {
    lineNo++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    const m = LINE.exec(line);
    if (!m) {
      bad++;
      builder.note("unrecognized-line", "lines that are not `STACK COUNT` were skipped", lineNo, line);
      continue;
    }
    if (!COUNT.test(m[2])) {
      bad++;
      builder.note("bad-count", undefined, lineNo, line);
      continue;
    }
    const count = Number(m[2]);
    if (count > builder.samplesLeft) throw new ImportError(source, FOLDED, `line ${lineNo}`, `a count of ${count} samples is more than the sample budget leaves (${builder.samplesLeft}; --max-samples sets it)`);
    const [comm, ...names] = m[1].split(";");
    let thread = threads.get(comm);
    if (thread === undefined) threads.set(comm, (thread = builder.threadOf(-1, -1, comm)));
    const stack = builder.path(comm, names.map((name) => {
      const suffix = name.slice(-4);
      const kind = SUFFIX_KIND[suffix];
      return kind ? builder.frame({name: name.slice(0, -4), kind}) : builder.frame({name, kind: name === "[unknown]" ? "unknown" : "user"});
    }));
    for (let n = count; n > 0 && builder.sampleAt(NaN, 0, stack, thread, event); n--);
    if (builder.stopped) break;
  }
  if (builder.sampleCount === 0 && bad > 0) {
    const [first] = [builder.diagnostics.get("unrecognized-line"), builder.diagnostics.get("bad-count")].flatMap((d) => (d ? d.lines : [])).sort((a, b) => a - b);
    throw new ImportError(source, FOLDED, `line ${first}`, "no line is `STACK COUNT` with a whole number of samples as COUNT");
  }
  return builder.build({lines: lineNo, bytes: text.length});
}
