// What a selection holds: its time span, its samples, the frames most often on CPU
// (innermost), and its samples as folded stacks for other tools.
import {foldedText} from "../lib/collapse.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {topFunctions, type FlameTree} from "../lib/flametree.js";
import type {Profile} from "../lib/profile.js";
import {sampleView} from "../lib/view.js";
import {describeSelection, type Selection} from "../lib/selection.js";
import {el, formatCount, percent, samples} from "./dom.js";

export interface SelectionSummaryOptions {
  selection: Selection;
  tree: FlameTree;
  /** Counted samples in the whole profile with the same filters, for the share. */
  profileSamples: number;
  top?: number;
}

export function selectionSummary(options: SelectionSummaryOptions): HTMLElement {
  const {tree} = options;
  const rows = topFunctions(tree, {by: "self", limit: options.top ?? 10});
  return el(
    "div",
    {class: "subsecond-summary"},
    el(
      "p",
      {},
      el("strong", {}, "Selection: "),
      describeSelection(options.selection),
      ` · ${samples(tree.samples)} (${percent(tree.samples, options.profileSamples)} of the profile's counted samples)`,
    ),
    rows.length === 0
      ? el("p", {class: "subsecond-hint"}, "No samples in this selection.")
      : el(
          "table",
          {class: "subsecond-table"},
          el("caption", {}, "Top frames by self samples (innermost frame)"),
          el("thead", {}, el("tr", {}, el("th", {}, "frame"), el("th", {}, "module"), el("th", {class: "num"}, "self"), el("th", {class: "num"}, "%"))),
          el(
            "tbody",
            {},
            ...rows.map((r) =>
              el("tr", {}, el("td", {class: "name"}, r.name || "(no symbol)"), el("td", {class: "name module"}, r.module), el("td", {class: "num"}, formatCount(r.self)), el("td", {class: "num"}, percent(r.self, tree.samples))),
            ),
          ),
        ),
  );
}

/** The selection's counted samples as folded stacks (stackcollapse-perf.pl's format),
 * the same text as `subsecond flamegraph --format folded`. */
export function foldedStacks(profile: Profile, selection: Selection, analysis: AnalysisOptions): string {
  return foldedText(sampleView(profile, selection, analysis));
}
