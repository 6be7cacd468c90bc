// Comparing two selections, FlameScope style: pin one as A (the baseline), select B
// on the heat map, and see B's flame graph coloured by change (red grew, blue shrank,
// A scaled to B's total) and the elided view: what A had that B lacks, which B's shape
// cannot show.
import type {AnalysisOptions} from "../lib/filter.js";
import {diffTrees, elidedTree} from "../lib/diff.js";
import {flameTree, type FlameTree} from "../lib/flametree.js";
import type {Profile} from "../lib/profile.js";
import {describeSelection, formatSelection, type Selection} from "../lib/selection.js";
import {el, samples} from "./dom.js";
import {flameGraphView} from "./flamegraph-view.js";

export interface CompareViewOptions {
  profile: Profile;
  analysis: AnalysisOptions;
  /** The pinned baseline; undefined when nothing is pinned. */
  a: Selection | undefined;
  /** The current selection and its tree. */
  b: Selection;
  treeB: FlameTree;
  width: number;
  fileName: string;
  onPin: () => void;
  onUnpin: () => void;
}

export function compareView(options: CompareViewOptions): HTMLElement {
  const {a, b, treeB} = options;
  const pin = el("button", {type: "button", onclick: options.onPin}, a === undefined ? "Pin this selection as A" : "Pin this selection as the new A");
  if (a === undefined) {
    return el("div", {}, el("p", {class: "subsecond-hint"}, "Pin the current selection as A (the baseline), then select B on the heat map to see what changed."), pin);
  }
  const treeA = flameTree(options.profile, a, options.analysis);
  const unpin = el("button", {type: "button", onclick: options.onUnpin}, "Unpin A");
  const head = el(
    "p",
    {},
    el("strong", {}, "A: "), `${describeSelection(a)} (${samples(treeA.samples)}) · `,
    el("strong", {}, "B: "), `${describeSelection(b)} (${samples(treeB.samples)})`,
  );
  const same = formatSelection(a) === formatSelection(b);
  const graph = (tree: FlameTree, suffix: string, differential: boolean) =>
    flameGraphView({tree, width: options.width, title: `${options.fileName}: ${suffix}`, fileName: `${options.fileName}-${suffix}`, whole: "B", differential});
  return el(
    "div",
    {class: "subsecond-compare"},
    head,
    el("div", {class: "subsecond-toolbar"}, pin, unpin),
    same && el("p", {class: "subsecond-hint"}, "B is the same as A: select something else on the heat map."),
    el("h3", {}, "Differential: B compared with A"),
    el("p", {class: "subsecond-hint"}, "B's frames; red: a larger share of B than of A (grew), blue: smaller (shrank). A is scaled to B's total samples."),
    graph(diffTrees(treeB, treeA), "differential", true),
    el("h3", {}, "Elided: what A had that B lacks"),
    el("p", {class: "subsecond-hint"}, "A's frames that B does not have (scaled to B's total), which B's shape above cannot show."),
    treeA.samples > 0 && treeB.samples > 0 ? graph(elidedTree(treeB, treeA), "elided", false) : el("p", {class: "subsecond-hint"}, "Nothing to compare: A or B has no samples."),
  );
}
