// The call-tree views of the profile page's flame-graph pane (the library's
// ../lib/calltree.js): the transforms a frame's menu offers, the controls (order,
// inversion, threads) with the stack of transforms as a trail of steps back, and the
// pane's body: one flame graph, a function's callers and callees, or the busiest
// threads' graphs.
import {describeTransform, sandwich, threadTrees, type CallTreeOptions, type CallTreeTransform} from "../lib/calltree.js";
import type {FlameNode, FlameTree} from "../lib/flametree.js";
import type {SampleView} from "../lib/view.js";
import {el, formatCount} from "./dom.js";
import {flameGraphView, type FlameGraphViewOptions} from "./flamegraph-view.js";
import type {FrameAction} from "./frame-menu.js";
import {THREADS_CHOICES, type ViewState} from "./view-state.js";

export type CallTreeState = Pick<ViewState, "tf" | "inv" | "order" | "sw" | "threads">;

/** The library's options for a call-tree state. */
export function callTreeOptions(state: CallTreeState): CallTreeOptions {
  return {transforms: state.tf, invert: state.inv, order: state.order};
}

export interface FrameTransformOptions {
  /** The tree's frames are an inverted tree's (a subtree is not a stack's prefix). */
  inverted: boolean;
  transforms: readonly CallTreeTransform[];
  /** A step in the call tree: transforms pushed, or a sandwich opened. */
  onStep: (change: Pick<Partial<ViewState>, "tf" | "sw">) => void;
}

/** Set when a frame's action replaces the graph it was taken in: the new graph takes
 * the focus, so the keyboard goes on where it was. */
let refocus = false;

/** A frame's transforms, Firefox Profiler's keys. */
export function frameTransforms(options: FrameTransformOptions): FrameAction[] {
  const step = (change: Pick<Partial<ViewState>, "tf" | "sw">) => {
    refocus = document.activeElement?.closest(".subsecond-flame") !== null && document.activeElement !== null;
    options.onStep(change);
  };
  const push = (t: CallTreeTransform) => step({tf: [...options.transforms, t]});
  const named = (node: FlameNode) => node.kind !== "root";
  return [
    {key: "f", label: "Focus on subtree", applies: () => !options.inverted, run: (_node, path) => push({type: "focus-subtree", path: path.slice(1).map((n) => n.name)})},
    {key: "F", label: "Focus on function", applies: named, run: (node) => push({type: "focus-function", name: node.name})},
    {key: "m", label: "Merge function", applies: named, run: (node) => push({type: "merge-function", name: node.name})},
    {key: "d", label: "Drop samples with this function", applies: named, run: (node) => push({type: "drop-function", name: node.name})},
    {key: "r", label: "Collapse recursion", applies: named, run: (node) => push({type: "collapse-recursion", name: node.name})},
    {key: "R", label: "Collapse direct recursion only", applies: named, run: (node) => push({type: "collapse-direct-recursion", name: node.name})},
    {key: "c", label: "Collapse library", applies: (node) => node.module !== "", run: (node) => push({type: "collapse-module", module: node.module})},
    {key: "s", label: "Show callers and callees", applies: named, run: (node) => step({sw: node.name})},
  ];
}

export interface CallTreeControlsOptions {
  state: CallTreeState;
  /** A setting changed (order, inversion, threads): the current history entry. */
  onSettings: (change: Partial<CallTreeState>) => void;
  /** A step in the call tree (transforms undone to a point, the sandwich closed). */
  onStep: (change: Pick<Partial<ViewState>, "tf" | "sw">) => void;
}

/** Order, inversion and threads, then the transforms applied as a trail: each step
 * goes back to the tree after it (Back does too). */
export function callTreeControls(options: CallTreeControlsOptions): HTMLElement {
  const {state} = options;
  const order = el("select", {"aria-label": "children order", title: "alphabetical (as flamegraph.pl) or left-heavy: the heaviest children first"},
    el("option", {value: "name"}, "alphabetical"), el("option", {value: "total"}, "left-heavy"));
  order.value = state.order;
  order.addEventListener("change", () => options.onSettings({order: order.value === "total" ? "total" : "name"}));
  const invert = el("input", {type: "checkbox", checked: state.inv});
  invert.addEventListener("change", () => options.onSettings({inv: invert.checked}));
  const threads = el("select", {"aria-label": "threads", title: "one flame graph of all threads, or one each for the busiest"},
    el("option", {value: "0"}, "all threads together"),
    ...[...new Set([...THREADS_CHOICES, ...(state.threads ? [state.threads] : [])])].sort((a, b) => a - b).map((n) => el("option", {value: String(n)}, `${n} busiest threads`)));
  threads.value = String(state.threads);
  threads.addEventListener("change", () => options.onSettings({threads: Number(threads.value)}));
  const settings = el("div", {class: "subsecond-toolbar subsecond-calltree-settings"}, order, el("label", {}, invert, " inverted (bottom-up)"), threads);

  const steps = state.tf.map((t, k) => {
    const last = k === state.tf.length - 1;
    return el("li", {}, el("button", {type: "button", "aria-current": last ? "step" : undefined, disabled: last, title: last ? "the tree shown" : "back to the tree after this transform", onclick: () => options.onStep({tf: state.tf.slice(0, k + 1)})}, describeTransform(t)));
  });
  const trail = state.tf.length
    ? el("nav", {class: "subsecond-transforms", "aria-label": "transforms applied"},
        el("ol", {}, el("li", {}, el("button", {type: "button", title: "the tree without transforms", onclick: () => options.onStep({tf: []})}, "Full tree")), ...steps))
    : el("p", {class: "subsecond-hint subsecond-transforms"}, "Right-click a frame (or press Shift+F10 on it) to focus, merge, drop or collapse.");
  return el("div", {class: "subsecond-calltree-controls"}, settings, trail);
}

export interface CallTreePaneOptions {
  view: SampleView;
  state: CallTreeState;
  /** The tree of the view with the state's transforms (the single graph's). */
  tree: FlameTree;
  width: number;
  fileName: string;
  title: string;
  /** The single graph's options from the page (zoom and search in the URL, actions). */
  graph: Pick<FlameGraphViewOptions, "state" | "onChange" | "actions">;
  onStep: (change: Pick<Partial<ViewState>, "tf" | "sw">) => void;
}

/** The pane's body: the sandwich of a function, the busiest threads, or one graph. */
export function callTreePane(options: CallTreePaneOptions): HTMLElement {
  const {view, state, width, fileName} = options;
  const focus = refocus;
  refocus = false;
  const frameActions = frameTransforms({inverted: state.inv, transforms: state.tf, onStep: options.onStep});
  if (state.sw) {
    const {callers, callees} = sandwich(view, state.sw, callTreeOptions(state));
    const close = el("button", {type: "button", onclick: () => options.onStep({sw: ""})}, "Close");
    const head = el("div", {class: "subsecond-toolbar"}, el("strong", {}, `Callers and callees of ${state.sw}`), ` · ${formatCount(callees.samples)} samples`, close);
    if (callees.samples === 0) return el("div", {class: "subsecond-sandwich"}, head, el("p", {class: "subsecond-hint"}, "No sample of this selection has that function."));
    const part = (tree: FlameTree, id: string, label: string, orient: "flame" | "icicle") => {
      const graph = flameGraphView({tree, width, fit: true, title: `${options.title}: ${label}`, fileName: `${fileName}-${id}`, state: {orient}, whole: `the samples with ${state.sw}`, focus: focus && orient === "flame"});
      graph.id = id;
      return el("section", {"aria-label": label}, el("h3", {}, label), graph);
    };
    return el("div", {class: "subsecond-sandwich"}, head,
      part(callers, "sandwich-callers", `Callers of ${state.sw}`, "flame"),
      part(callees, "sandwich-callees", `Callees of ${state.sw}`, "icicle"));
  }
  if (state.threads > 0) {
    const rows = threadTrees(view, {...callTreeOptions(state), limit: state.threads});
    if (rows.length === 0) return el("p", {class: "subsecond-hint"}, "No samples in this selection.");
    return el("div", {class: "subsecond-threads"}, ...rows.map((r, k) => {
      const label = `${r.comm} ${r.pid < 0 ? "?" : r.pid}/${r.tid}`;
      const graph = flameGraphView({tree: r.tree, width, fit: true, title: `${options.title}: ${label}`, fileName: `${fileName}-thread-${r.tid}`, frameActions, focus: focus && k === 0});
      graph.id = `thread-flame-${k}`;
      return el("section", {"aria-label": `thread ${label}`}, el("h3", {}, `${label} · ${r.tree.samples === r.samples ? "" : `${formatCount(r.tree.samples)} of `}${formatCount(r.samples)} samples`), graph);
    }));
  }
  const graph = flameGraphView({tree: options.tree, width, fit: true, fileName, title: options.title, frameActions, focus, ...options.graph});
  graph.id = "selection-flame";
  return graph;
}
