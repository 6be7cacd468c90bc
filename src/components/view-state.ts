// The view a profile page shows, kept in the URL's hash so a shared link reopens it:
//   #rows=25&period=5s&palette=enhanced&idle=keep&pid=339&tid=363&cpu=1&event=cycles
//    &sel=t3.2_4.5&a=c1_2x10_20r50&q=regex&zoom=["java","start_thread"]&orient=icicle
//    &tf=ff-main~mf-malloc&inv=1&order=total&sw=malloc&threads=8
// Only values that differ from the defaults are written. Selections form the page's
// history (a new one is a new entry, which Back and Forward walk; see
// ./view-history.ts), and so do the call tree's transforms and the sandwich of a
// function; every other change replaces the current entry, so settings do not pile up
// in the history. A hash that is not a view ("#compare", a heading's
// anchor) is a place on the page, not a view to open.
import {formatTransforms, parseTransforms, type CallTreeTransform} from "../lib/calltree.js";
import {DEFAULT_ROWS} from "../lib/heatmap.js";
import {IDLE_MODES} from "../lib/idle.js";
import {isHeatmapPalette, type HeatmapPalette} from "../lib/render/palette.js";
import {formatSelection, parseSelection, type Selection} from "../lib/selection.js";
import {formatPeriod, NS, parsePeriod} from "../lib/time.js";

/** The rows every page offers (a profile's page adds those that match its sampling
 * rate); a link may ask for any count up to MAX_PAGE_ROWS. */
export const ROWS_CHOICES = [10, 25, 50, 100] as const;
export const MAX_PAGE_ROWS = 200;
export type IdleMode = (typeof IDLE_MODES)[number];

export interface ViewState {
  rows: number;
  /** The heat map's column, in ns: one second, or the period it is folded at. */
  period: number;
  palette: HeatmapPalette;
  idle: IdleMode;
  /** Sample filters; null = all. */
  pid: number | null;
  tid: number | null;
  cpu: number | null;
  /** Event name; null = the profile's first event. */
  event: string | null;
  /** The selection (null = whole profile). */
  sel: Selection;
  /** The pinned comparison baseline A; undefined when nothing is pinned. */
  a: Selection | undefined;
  /** Flame-graph search (a regular expression), "" for none. */
  q: string;
  /** Flame-graph zoom: frame names from the root's child down to the zoomed frame. */
  zoom: string[];
  orient: "flame" | "icicle";
  /** The call tree's transforms, applied in order. */
  tf: CallTreeTransform[];
  /** The inverted (bottom-up) tree. */
  inv: boolean;
  /** Children order: by name, or left-heavy (heaviest first). */
  order: "name" | "total";
  /** The function whose callers and callees are shown; "" for none. */
  sw: string;
  /** Flame graphs of this many busiest threads; 0 for one graph of all. */
  threads: number;
}

/** Thread counts the page offers; a link may ask for up to MAX_PAGE_THREADS. */
export const THREADS_CHOICES = [4, 8, 16] as const;
export const MAX_PAGE_THREADS = 64;

export const DEFAULT_VIEW: ViewState = {
  rows: DEFAULT_ROWS, period: NS, palette: "steps", idle: "default", pid: null, tid: null, cpu: null, event: null,
  sel: null, a: undefined, q: "", zoom: [], orient: "flame", tf: [], inv: false, order: "name", sw: "", threads: 0,
};

const wholeNumber = (text: string | null) => (text !== null && /^\d+$/.test(text) ? Number(text) : null);

function selectionOr(text: string | null, fallback: Selection | undefined): Selection | undefined {
  if (text === null) return fallback;
  try {
    return parseSelection(text);
  } catch {
    return fallback; // a hand-edited link with a broken selection opens the default
  }
}

function periodOr(text: string | null): number {
  if (text === null) return NS;
  try {
    return parsePeriod(text);
  } catch {
    return NS; // a hand-edited link with a period out of range opens one-second columns
  }
}

function transformsOr(text: string | null): CallTreeTransform[] {
  try {
    return parseTransforms(text ?? "");
  } catch {
    return []; // a hand-edited link with broken transforms opens the plain tree
  }
}

function zoomPath(text: string | null): string[] {
  try {
    const path = JSON.parse(text ?? "[]");
    return Array.isArray(path) && path.every((n) => typeof n === "string") ? path : [];
  } catch {
    return [];
  }
}

export function parseViewState(hash: string): ViewState {
  const p = new URLSearchParams(hash.replace(/^#/, ""));
  const rows = wholeNumber(p.get("rows"));
  const idle = p.get("idle") as IdleMode;
  const threads = wholeNumber(p.get("threads"));
  return {
    rows: rows !== null && rows >= 1 && rows <= MAX_PAGE_ROWS ? rows : DEFAULT_VIEW.rows,
    period: periodOr(p.get("period")),
    palette: isHeatmapPalette(p.get("palette")) ? (p.get("palette") as HeatmapPalette) : DEFAULT_VIEW.palette,
    idle: IDLE_MODES.includes(idle) ? idle : DEFAULT_VIEW.idle,
    pid: wholeNumber(p.get("pid")),
    tid: wholeNumber(p.get("tid")),
    cpu: wholeNumber(p.get("cpu")),
    event: p.get("event"),
    sel: selectionOr(p.get("sel"), null) ?? null,
    a: selectionOr(p.get("a"), undefined),
    q: p.get("q") ?? "",
    zoom: zoomPath(p.get("zoom")),
    orient: p.get("orient") === "icicle" ? "icicle" : "flame",
    tf: transformsOr(p.get("tf")),
    inv: p.get("inv") === "1",
    order: p.get("order") === "total" ? "total" : "name",
    sw: p.get("sw") ?? "",
    threads: threads !== null && threads <= MAX_PAGE_THREADS ? threads : 0,
  };
}

export function formatViewState(state: ViewState): string {
  const p = new URLSearchParams();
  const d = DEFAULT_VIEW;
  if (state.rows !== d.rows) p.set("rows", String(state.rows));
  if (state.period !== d.period) p.set("period", formatPeriod(state.period));
  if (state.palette !== d.palette) p.set("palette", state.palette);
  if (state.idle !== d.idle) p.set("idle", state.idle);
  for (const key of ["pid", "tid", "cpu", "event"] as const) if (state[key] !== null) p.set(key, String(state[key]));
  if (state.sel !== null) p.set("sel", formatSelection(state.sel));
  if (state.a !== undefined) p.set("a", formatSelection(state.a));
  if (state.q) p.set("q", state.q);
  if (state.zoom.length) p.set("zoom", JSON.stringify(state.zoom));
  if (state.orient !== d.orient) p.set("orient", state.orient);
  if (state.tf.length) p.set("tf", formatTransforms(state.tf));
  if (state.inv) p.set("inv", "1");
  if (state.order !== d.order) p.set("order", state.order);
  if (state.sw) p.set("sw", state.sw);
  if (state.threads) p.set("threads", String(state.threads));
  const text = p.toString();
  return text ? `#${text}` : "";
}

const VIEW_KEYS = new Set(["rows", "period", "palette", "idle", "pid", "tid", "cpu", "event", "sel", "a", "q", "zoom", "orient", "tf", "inv", "order", "sw", "threads"]);

/** Whether a hash is a view (empty, or only the view's keys) rather than a place on
 * the page (`#compare`: a heading's anchor). */
export function isViewHash(hash: string): boolean {
  const keys = [...new URLSearchParams(hash.replace(/^#/, "")).keys()];
  return keys.every((k) => VIEW_KEYS.has(k));
}

/** The view after Back or Forward to a history entry: the entry's selection, its
 * transforms and sandwich, and the zoom made in it, over the current settings (rows,
 * period, palette, filters, search, pin, order, inversion, threads), which Back does not undo. */
export function viewAfterTraversal(current: ViewState, entry: ViewState): ViewState {
  return {...current, sel: entry.sel, zoom: entry.zoom, tf: entry.tf, sw: entry.sw};
}

/** The view after a step in the call tree (a transform added or undone, a sandwich
 * opened or closed): the zoom was in the tree before. */
export function viewWithCallTree(current: ViewState, change: Pick<Partial<ViewState>, "tf" | "sw">): ViewState {
  return {...current, ...change, zoom: []};
}

/** The view of a new selection: a zoom belongs to the selection it was made in. */
export function viewWithSelection(current: ViewState, sel: Selection): ViewState {
  return {...current, sel, zoom: []};
}

/** The view in the current URL. */
export function readViewState(): ViewState {
  return parseViewState(location.hash);
}

/** The state our history entries carry, telling them from ones the browser made (a
 * hash typed into the address bar, an anchor followed). */
export const HISTORY_STATE = {subsecond: 1} as const;

/** The view last written: after Back or Forward the URL already holds the entry's. */
let shown: ViewState | null = null;

/** The view the page shows. */
export function currentView(): ViewState {
  return shown ?? readViewState();
}

function viewUrl(view: ViewState): string {
  return `${location.pathname}${location.search}${formatViewState(view)}`;
}

/** Merges a change into the view shown, in the current history entry. */
export function writeViewState(change: Partial<ViewState>): void {
  const view = {...currentView(), ...change};
  shown = view;
  if (formatViewState(view) !== location.hash || history.state?.subsecond !== 1) history.replaceState(HISTORY_STATE, "", viewUrl(view));
}

/** Shows `view` in a new history entry. */
export function pushViewState(view: ViewState): void {
  shown = view;
  history.pushState(HISTORY_STATE, "", viewUrl(view));
}

/** A link to this page showing `change` on top of the current view. */
export function viewLink(change: Partial<ViewState>): string {
  return viewUrl({...currentView(), ...change});
}
