// Scoring the detectors against episodes a workload logged itself: recall (episodes
// that hold samples, each found as its own occurrence of an instance of their kind)
// and precision (occurrences that are such a logged episode). Used by the real
// captures' test and benchmark (test/lib/patterns-real.test.ts, bench/patterns.js).
import type {Profile} from "../profile.js";
import type {PatternInstance, PatternKind, PatternOccurrence} from "./types.js";

export interface LoggedEpisode extends PatternOccurrence {
  kind: PatternKind;
  /** A regular expression for the function whose samples are the episode's own work,
   * when the log names it. */
  work?: string;
}

export interface KindScore {
  kind: PatternKind;
  /** Logged episodes, those holding counted samples, and those found. */
  episodes: number;
  withSamples: number;
  recalled: number;
  /** Episodes holding samples that some occurrence of any kind matches (found, under
   * another name: a GC pause seen as a burst of the GC threads' work). */
  seen: number;
  /** Occurrences of instances of the kind, and those that are a logged episode. */
  occurrences: number;
  precise: number;
}

/** Episodes from a workload's log lines, JSON `{"kind", "from_ns", "to_ns", "work"?}` in
 * CLOCK_MONOTONIC ns (perf's clock with -k CLOCK_MONOTONIC), as seconds since the
 * profile's origin; other kinds of line (the process span) are left out. */
export function episodesFromLog(text: string, profile: Profile, kinds: readonly string[]): LoggedEpisode[] {
  if (profile.origin === null) throw new Error(`${profile.source}: no timed samples to place the episodes on`);
  const origin = profile.origin;
  return text.split("\n").filter((l) => l.trim()).map((line, n) => {
    const e = JSON.parse(line) as {kind: string; from_ns: number; to_ns: number; work?: unknown};
    if (typeof e.from_ns !== "number" || typeof e.to_ns !== "number") throw new Error(`episode log line ${n + 1}: from_ns and to_ns are numbers`);
    if (e.work !== undefined && typeof e.work !== "string") throw new Error(`episode log line ${n + 1}: work is a string (a regular expression)`);
    const episode: LoggedEpisode = {kind: e.kind as PatternKind, from: e.from_ns / 1e9 - origin, to: e.to_ns / 1e9 - origin};
    if (e.work !== undefined) episode.work = e.work;
    return episode;
  }).filter((e) => kinds.includes(e.kind));
}

const overlap = (a: PatternOccurrence, b: PatternOccurrence) => Math.min(a.to, b.to) - Math.max(a.from, b.from);
/** Matched: overlapping by at least half the shorter of the two. */
const matches = (a: PatternOccurrence, b: PatternOccurrence) => overlap(a, b) >= 0.5 * Math.min(a.to - a.from, b.to - b.from);

/** Per logged kind: recall and precision; `hasSamples(e)` says whether an episode holds
 * counted samples (one without can be found by nothing). */
export function scoreEpisodes(found: readonly PatternInstance[], episodes: readonly LoggedEpisode[], hasSamples: (e: LoggedEpisode) => boolean): KindScore[] {
  const kinds = [...new Set(episodes.map((e) => e.kind))];
  return kinds.map((kind) => {
    const logged = episodes.filter((e) => e.kind === kind);
    const sampled = logged.filter(hasSamples);
    const occurrences = found.filter((p) => p.kind === kind).flatMap((p) => p.occurrences);
    const used = new Set<number>();
    let recalled = 0;
    for (const e of sampled) {
      const j = occurrences.findIndex((o, k) => !used.has(k) && matches(o, e));
      if (j >= 0) { used.add(j); recalled++; }
    }
    const precise = occurrences.filter((o) => logged.some((e) => matches(o, e))).length;
    const seen = sampled.filter((e) => found.some((p) => p.occurrences.some((o) => matches(o, e)))).length;
    return {kind, episodes: logged.length, withSamples: sampled.length, recalled, seen, occurrences: occurrences.length, precise};
  });
}
