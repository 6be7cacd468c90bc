// The patterns found in a profile (src/lib/patterns, run by the profile's loader),
// proposed as annotations: drawn dashed on the heat map, and listed with what each is,
// how sure the detector is, the frames behind it, a button that shows its flame graph
// (selects its samples) and one that accepts it into the annotations, as if the user
// had made it with the annotation form.
import {formatSelection, MAX_SELECTION_PARTS, parseSelection, timeRange, type Selection} from "../lib/selection.js";
import {patternAnnotation, type Annotation} from "../lib/annotations.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {findPatterns, type PatternInstance} from "../lib/patterns/index.js";
import type {Profile} from "../lib/profile.js";
import {formatPeriod} from "../lib/time.js";
import {addPageAnnotation} from "./annotations-view.js";
import {el} from "./dom.js";
import type {SiteInfo} from "./load-profile.js";

/** Whether the profile already holds the instance as an annotation (accepted). */
export function isAccepted(profile: Profile, instance: PatternInstance): boolean {
  const key = formatSelection(parseSelection(instance.selection));
  return profile.annotations.some((a) => a.label === instance.label && formatSelection(a.parts) === key);
}

/** The instances not accepted yet, as outlines for the heat map: each occurrence a time
 * range (a periodic pattern's wake-ups show on any fold), or its selection when it has
 * more occurrences than a selection may hold parts. */
export function proposedOutlines(profile: Profile, instances: PatternInstance[]): Annotation[] {
  return instances.filter((p) => !isAccepted(profile, p)).map((p) => ({
    label: p.label,
    note: p.explanation,
    parts: p.occurrences.length > 0 && p.occurrences.length <= MAX_SELECTION_PARTS
      ? p.occurrences.map((o) => timeRange(o.from, o.to))
      : (parseSelection(p.selection) ?? []),
  }));
}

/** The patterns the page proposes, and how they were found. */
export interface PageProposals {
  instances: PatternInstance[];
  /** Why none are proposed when the detectors failed on the filtered samples. */
  problem: string | null;
  /** Found again here, for the page's filter or idle rule (not the loader's). */
  filtered: boolean;
}

/** The patterns for what the page counts: the loader's (found at build time on the whole
 * profile, with the default idle rule) while the page shows that; under a thread,
 * process, CPU or event filter or another idle rule, found again here through the same
 * library on the samples the heat map counts, so the proposals follow the filter. */
export function pageProposals(profile: Profile, analysis: AnalysisOptions, built: PatternInstance[]): PageProposals {
  const {pid, tid, cpu, event} = analysis.filter ?? {};
  const asBuilt = (analysis.idle ?? "default") === "default" && pid === undefined && tid === undefined && cpu === undefined && (event === undefined || event === profile.events[0]?.name);
  if (asBuilt) return {instances: built, problem: null, filtered: false};
  try {
    return {instances: findPatterns(profile, analysis), problem: null, filtered: true};
  } catch (e) {
    return {instances: [], problem: (e as Error).message.split("\n")[0], filtered: true};
  }
}

/** What the list of proposals is about. */
export function proposalsHint({filtered, problem}: PageProposals): HTMLElement {
  const text = problem !== null ? `No patterns for the samples the filter keeps: ${problem}.`
    : filtered ? "Patterns found in the samples the filter keeps (found again here, for this filter), drawn dashed on the heat map."
    : "Patterns found in the profile, drawn dashed on the heat map.";
  return el("p", {class: "subsecond-hint subsecond-proposals-hint"}, text);
}

/** The periods the patterns were found at (ns), for the period control. */
export function detectedPeriods(instances: PatternInstance[]): number[] {
  return [...new Set(instances.flatMap((p) => (p.period === undefined ? [] : [p.period])))];
}

export interface ProposalsViewOptions {
  profile: Profile;
  site: SiteInfo;
  instances: PatternInstance[];
  /** Selects an instance's samples (its flame graph). */
  select: (selection: Selection) => void;
  /** Called after one was accepted into the annotations. */
  onAccept: () => void;
}

/** How many frames an entry names. */
const FRAMES_SHOWN = 3;

const percent = (share: number) => `${Math.round(share * 100)} %`;

export function proposalsView({profile, site, instances, select, onAccept}: ProposalsViewOptions): HTMLElement {
  if (instances.length === 0) return el("p", {class: "subsecond-hint subsecond-proposals"}, "No pattern found above the detectors' default confidence.");
  return el(
    "ul",
    {class: "subsecond-proposals"},
    ...instances.map((p) => {
      const accepted = isAccepted(profile, p);
      const frames = p.frames.slice(0, FRAMES_SHOWN).map((f) => el("li", {}, el("code", {}, f.name), ` on ${percent(f.inside)} of its samples, ${percent(f.outside)} of the others`));
      return el(
        "li",
        {class: accepted ? "subsecond-proposal accepted" : "subsecond-proposal"},
        el("strong", {class: "subsecond-proposal-label"}, p.label),
        el("span", {class: "subsecond-hint"}, ` ${p.kind}, confidence ${p.confidence.toFixed(2)}${p.period === undefined ? "" : `, every ${formatPeriod(p.period)}`}, ${p.occurrences.length}×`),
        el("p", {class: "subsecond-proposal-explanation"}, p.explanation),
        frames.length > 0 && el("ul", {class: "subsecond-proposal-frames"}, ...frames),
        el(
          "div",
          {class: "subsecond-toolbar"},
          el("button", {type: "button", class: "subsecond-proposal-show", onclick: () => select(parseSelection(p.selection))}, "Show flame graph"),
          el("button", {type: "button", class: "subsecond-proposal-accept", disabled: accepted, onclick: () => {
            addPageAnnotation(profile, site, patternAnnotation(p));
            onAccept();
          }}, accepted ? "Accepted" : "Accept as annotation"),
        ),
      );
    }),
  );
}
