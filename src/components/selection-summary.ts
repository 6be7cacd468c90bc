// What a selection holds: its time span (seconds since the origin and wall-clock
// time), its samples, the frames most often on CPU (innermost), and its samples as
// folded stacks for other tools.
import {foldedText} from "../lib/collapse.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {topFunctions, type FlameTree} from "../lib/flametree.js";
import type {Profile} from "../lib/profile.js";
import {sampleView} from "../lib/view.js";
import {describeSelection, describeSelectionWallClock, type Selection} from "../lib/selection.js";
import {el, formatCount, percent, samples} from "./dom.js";

export interface SelectionLineOptions {
  selection: Selection;
  tree: FlameTree;
  /** Counted samples in the whole profile with the same filters, for the share. */
  profileSamples: number;
  /** Wall-clock time (ms since the epoch) of the origin, when the header has one. */
  originWallClock: number | null;
}

/** The selection in one line: its span in seconds since the origin and in wall-clock
 * time, its samples and their share of the profile's. */
export function selectionLine(options: SelectionLineOptions): HTMLElement {
  const {tree} = options;
  const wall = describeSelectionWallClock(options.selection, options.originWallClock);
  return el(
    "p",
    {class: "subsecond-selection-line"},
    el("strong", {}, "Selection: "),
    describeSelection(options.selection),
    wall && el("span", {class: "subsecond-wall-clock"}, ` (${wall})`),
    ` · ${samples(tree.samples)} (${percent(tree.samples, options.profileSamples)} of the profile's counted samples)`,
  );
}

/** The frames most often on CPU (innermost) in a tree. */
export function topFramesTable(tree: FlameTree, top = 10): HTMLElement {
  const rows = topFunctions(tree, {by: "self", limit: top});
  if (rows.length === 0) return el("p", {class: "subsecond-hint"}, "No samples in this selection.");
  return el(
    "table",
    {class: "subsecond-table subsecond-top-frames"},
    el("caption", {}, "Top frames by self samples (innermost frame)"),
    el("thead", {}, el("tr", {}, el("th", {}, "frame"), el("th", {}, "module"), el("th", {class: "num"}, "self"), el("th", {class: "num"}, "%"))),
    el(
      "tbody",
      {},
      ...rows.map((r) =>
        el("tr", {}, el("td", {class: "name"}, r.name || "(no symbol)"), el("td", {class: "name module"}, r.module), el("td", {class: "num"}, formatCount(r.self)), el("td", {class: "num"}, percent(r.self, tree.samples))),
      ),
    ),
  );
}

/** The selection's counted samples as folded stacks (stackcollapse-perf.pl's format),
 * the same text as `subsecond flamegraph --format folded`. */
export function foldedStacks(profile: Profile, selection: Selection, analysis: AnalysisOptions): string {
  return foldedText(sampleView(profile, selection, analysis));
}
