// Selections as the page's history: a new selection is a new entry (its zoom reset),
// and so is a step in the call tree (a transform, a sandwich), a timeline's condition
// and a timeline shifted; Back and Forward bring back an entry's selection, transforms
// and sandwich, the zoom made in it and its timelines' condition and shifts, in
// place, over the current settings. A heading's anchor (`#compare`) scrolls to its heading
// and leaves the view in the URL. A view hash typed into the address bar opens that
// view (the page reloads with it).
import {formatSelection, type Selection} from "../lib/selection.js";
import {formatTransforms} from "../lib/calltree.js";
import {currentView, formatViewState, isViewHash, pushViewState, readViewState, viewAfterTraversal, viewWithCallTree, viewWithSelection, writeViewState, type ViewState} from "./view-state.js";

/** Mark name set when a selection is made (or brought back); the page measures the
 * flame graph's drawing from it (bench/site-perf.js reads the measure). */
export const SELECT_MARK = "subsecond:select";

export interface SelectionHistoryOptions {
  /** Shows a view after Back or Forward (the URL already holds it). */
  onTraverse: (view: ViewState) => void;
  /** Resolves when the page goes (Framework's `invalidation`): the listeners go too. */
  invalidation?: Promise<unknown>;
}

export interface SelectionHistory {
  /** A selection the user made (with the timeline condition that made it, if one
   * did): a new history entry with it, when it is not the one shown. Returns whether
   * it was new. */
  select(selection: Selection, when?: string): boolean;
  /** A step in the call tree the user took (transforms, a sandwich): a new history
   * entry, when it changes what is shown. Returns whether it did. */
  callTree(change: Pick<Partial<ViewState>, "tf" | "sw">): boolean;
  /** Timelines shifted: a new history entry, when it changes the shifts. The
   * selection stays; a condition does not (it was met with the old shifts). */
  shift(shift: ViewState["shift"]): boolean;
}

export function selectionHistory(options: SelectionHistoryOptions): SelectionHistory {
  // The entry the page opened in becomes one of ours.
  writeViewState({});

  const onPopState = (event: PopStateEvent) => {
    if (event.state?.subsecond !== 1) return; // the browser's own entry: see onHashChange
    const view = viewAfterTraversal(currentView(), readViewState());
    writeViewState(view);
    performance.mark(SELECT_MARK);
    options.onTraverse(view);
  };
  const onHashChange = () => {
    if (history.state?.subsecond === 1) return; // a traversal, handled above
    if (isViewHash(location.hash)) location.reload();
    else writeViewState({}); // a place on the page: the browser scrolled there; the view stays in the URL
  };
  // Anchors to a place on this page scroll there without touching the URL.
  const onClick = (event: MouseEvent) => {
    const a = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
    if (!a || a.origin !== location.origin || a.pathname !== location.pathname || !a.hash || isViewHash(a.hash)) return;
    const target = document.getElementById(anchorId(a.hash));
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView();
  };
  addEventListener("popstate", onPopState);
  addEventListener("hashchange", onHashChange);
  document.addEventListener("click", onClick, true);
  options.invalidation?.then(() => {
    removeEventListener("popstate", onPopState);
    removeEventListener("hashchange", onHashChange);
    document.removeEventListener("click", onClick, true);
  });

  return {
    select(selection, when = "") {
      const view = currentView();
      if (formatSelection(selection) === formatSelection(view.sel) && when === view.when) return false;
      performance.mark(SELECT_MARK);
      pushViewState(viewWithSelection(view, selection, when));
      return true;
    },
    callTree(change) {
      const view = currentView();
      const next = viewWithCallTree(view, change);
      if (formatTransforms(next.tf) === formatTransforms(view.tf) && next.sw === view.sw) return false;
      performance.mark(SELECT_MARK);
      pushViewState(next);
      return true;
    },
    shift(shift) {
      const view = currentView();
      const next = {...view, shift, when: ""};
      if (formatViewState(next) === formatViewState(view)) return false;
      pushViewState(next);
      return true;
    },
  };
}

/** The element id an anchor's hash names; a hash that is not valid percent-encoded
 * UTF-8 (a link in a profile's notes can be anything) names itself, as browsers read it. */
export function anchorId(hash: string): string {
  const id = hash.replace(/^#/, "");
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
