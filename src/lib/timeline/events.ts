// Event logs: any text log, its lines picked out by a regular expression (RE2 syntax,
// linear time) with named groups: `time` (required: epoch or ISO 8601), `label`
// (default: the rest of the line) and `kind`. A label ending in "start"/"begin" and a
// later one ending in "end"/"done"/"finish(ed)" with the same stem make one range.
import {RE2JS} from "re2js";
import {TrackBuilder, eachLine, type Track, type TrackClock} from "./track.js";
import {parseTimestamp} from "./clock.js";
import {MAX_PATTERN_LENGTH, PatternError} from "../pattern.js";

/** A timestamp, an optional level word and [thread], then the label. */
export const DEFAULT_EVENT_PATTERN = String.raw`^(?P<time>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d{9,19}(?:\.\d+)?)\s+(?:(?:TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\s+)?(?:\[[^\]]*\]\s+)?(?P<label>.*)$`;

const RANGE_WORD = /(start|started|begin|begins|end|ended|done|finish|finished)\b\s*/iy;
const SPACES = /\s+/g;

/** A label's stem, range word and rest: the first run of white space followed by a range
 * word ends the stem. Tried at the start of each run only, so time is linear in the label
 * (one regular expression trying every space of a run as the stem's end was quadratic: a
 * log line of 300,000 spaces took minutes). */
function rangeWord(label: string): [stem: string, word: string, rest: string] | null {
  SPACES.lastIndex = 0;
  for (let space: RegExpExecArray | null; (space = SPACES.exec(label)); ) {
    RANGE_WORD.lastIndex = SPACES.lastIndex;
    const word = RANGE_WORD.exec(label);
    if (word) return [label.slice(0, space.index), word[1], label.slice(RANGE_WORD.lastIndex)];
  }
  return null;
}

export interface EventLogOptions {
  /** RE2 pattern with named groups time, label, kind (default DEFAULT_EVENT_PATTERN). */
  pattern?: string;
}

export function readEventLog(text: string, source: string, options: EventLogOptions = {}): Track {
  const pattern = options.pattern ?? DEFAULT_EVENT_PATTERN;
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternError(`${source}: the event pattern is over ${MAX_PATTERN_LENGTH} characters`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    throw new PatternError(`${source}: invalid event pattern: ${(e as Error).message}`);
  }
  const groups = re.namedGroups();
  if (!("time" in groups)) throw new PatternError(`${source}: the event pattern needs a named group "time" ((?P<time>…))`);
  const b = new TrackBuilder(source);
  let clock: TrackClock | null = null;
  let resolution = 1;
  const open = new Map<string, {start: number; line: number; kind: string}>();
  const lines = eachLine(text, (line, n) => {
    if (line.trim() === "") return;
    const m = re.matcher(line);
    if (!m.find()) return b.warn("track-line", n, line, "lines the event pattern does not match were skipped");
    const t = parseTimestamp(m.group("time") ?? "");
    if (!t) return b.warn("track-time", n, line);
    if (clock === null) clock = t.clock;
    if (t.clock !== clock) return b.warn("track-time", n, line, "lines with a timestamp on another clock than the first line's were skipped");
    resolution = Math.min(resolution, t.resolution);
    const label = ("label" in groups ? m.group("label") : null) ?? line;
    const kind = ("kind" in groups ? m.group("kind") : null) ?? "event";
    const r = rangeWord(label);
    if (r && /^(start|started|begin|begins)$/i.test(r[1])) {
      if (open.has(r[0])) b.warn("track-unpaired", open.get(r[0])!.line, label);
      open.set(r[0], {start: t.seconds, line: n, kind});
      return;
    }
    if (r) {
      const began = open.get(r[0]);
      if (began) {
        open.delete(r[0]);
        b.event(began.line, began.start, t.seconds - began.start, began.kind, r[0], r[2] || undefined);
        return;
      }
      b.warn("track-unpaired", n, label);
    }
    b.event(n, t.seconds, 0, kind, label);
  });
  for (const [label, o] of open) { b.warn("track-unpaired", o.line, label); b.event(o.line, o.start, 0, o.kind, `${label} start`); }
  b.resolution = resolution;
  return b.finish({format: "events", clock: clock ?? "wall", clockFrom: clock === "relative" ? "numbers below 1e9: seconds no clock places" : "epoch or ISO 8601 timestamps (wall clock)", lines, bytes: text.length});
}
