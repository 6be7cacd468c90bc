// The profile page's workbench in one block, for a notebook output (explore(),
// src/notebook/explore.ts): the interactive heat map (click-click, brush, keyboard)
// with the flame graph of its selection right below it (zoom, search, tooltips), the
// selection in words and in its text form with a Copy button and a deep link into the
// report site, and the comparison (pin A, select B). The same components as the site's
// page; the profile is the one the output carries, so nothing goes back to the kernel.
import {flameTree} from "../lib/flametree.js";
import {heatmap} from "../lib/heatmap.js";
import type {Profile} from "../lib/profile.js";
import type {HeatmapPalette} from "../lib/render/palette.js";
import {formatSelection, type Selection} from "../lib/selection.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {compareView} from "./compare-view.js";
import {el, safeFileName} from "./dom.js";
import {flameGraphView} from "./flamegraph-view.js";
import {heatmapView} from "./heatmap-view.js";
import {selectionLine, topFramesTable} from "./selection-summary.js";
import {DEFAULT_VIEW, formatViewState, type ViewState} from "./view-state.js";

/** The report site's page of this profile, for deep links. */
export interface ExploreSiteLink {
  /** The site's address ("http://host/report/"); "" for a link relative to the site. */
  base: string;
  /** The profile page's name (the site's slug of the profile's file name). */
  slug: string;
  /** The page's view settings the samples were chosen with (rows, idle, pid …). */
  view: Partial<ViewState>;
}

export interface ExploreViewOptions {
  /** The samples to explore: analyses here count them all (idle "keep", no filter). */
  profile: Profile;
  /** The profile's file name, for titles and file names (untrusted text). */
  file: string;
  rows: number;
  palette: HeatmapPalette;
  /** Width available (px). */
  width: number;
  site: ExploreSiteLink;
}

/** Analyses of an explore output's profile count every sample it holds: the kernel
 * already chose them (see viewProfile in src/lib/explore-data.ts). */
const ALL: AnalysisOptions = {idle: "keep"};

/** The site's address of the view showing `selection`. */
export function siteLink(site: ExploreSiteLink, selection: Selection): string {
  return `${site.base}profiles/${encodeURIComponent(site.slug)}.html${formatViewState({...DEFAULT_VIEW, ...site.view, sel: selection})}`;
}

export function exploreView(options: ExploreViewOptions): HTMLElement {
  const {profile, rows, width} = options;
  const map = heatmap(profile, {rows, ...ALL});
  const fileName = safeFileName(options.file.replace(/^.*[\\/]/, ""));
  let selection: Selection = null;
  let pinned: Selection | undefined;

  const heat = heatmapView({map, palette: options.palette, width, height: Math.min(300, rows * 6), selection, annotations: profile.annotations, onSelect: (next) => show(next)});
  const line = el("div");
  const text = el("code", {class: "subsecond-explore-text"});
  const link = el("a", {class: "subsecond-explore-link", target: "_blank", rel: "noopener"});
  const linkText = el("code", {class: "subsecond-explore-link"});
  const copied = el("span", {class: "subsecond-status", "aria-live": "polite"});
  const copy = (what: string, value: () => string) =>
    el("button", {type: "button", onclick: () => copyText(value()).then((ok) => (copied.textContent = ok ? `copied the ${what}` : `select the ${what} and copy it`))}, `Copy ${what}`);
  const textRow = el(
    "div", {class: "subsecond-toolbar"},
    el("span", {}, "Selection text: "), text, copy("selection", () => text.textContent ?? ""),
    el("span", {}, "Report page: "), options.site.base ? link : linkText, copy("link", () => siteLink(options.site, selection)),
    copied,
  );
  const flame = el("div", {class: "subsecond-explore-flame"});
  const top = el("div");
  const compare = el("div", {class: "subsecond-explore-compare"});

  function show(next: Selection) {
    selection = next;
    heat.showSelection(selection);
    const tree = flameTree(profile, selection, ALL);
    line.replaceChildren(selectionLine({selection, tree, profileSamples: map.samples, originWallClock: map.wallClock}));
    text.textContent = formatSelection(selection);
    const href = siteLink(options.site, selection);
    link.href = href;
    link.textContent = href;
    linkText.textContent = href;
    copied.textContent = "";
    const title = `${options.file}: ${selection === null ? "whole profile" : "selection"}`;
    flame.replaceChildren(flameGraphView({tree, width, title, fileName, whole: "selection"}));
    top.replaceChildren(topFramesTable(tree));
    showCompare(tree);
  }

  function showCompare(treeB = flameTree(profile, selection, ALL)) {
    heat.showPinned(pinned);
    const pin = (a: Selection | undefined) => {
      pinned = a;
      showCompare();
    };
    compare.replaceChildren(compareView({profile, analysis: ALL, a: pinned, b: selection, treeB, width, fileName, onPin: () => pin(selection), onUnpin: () => pin(undefined)}));
  }

  show(null);
  return el(
    "div", {class: "subsecond-explore-view"},
    heat, line, textRow, flame, top,
    el("details", {}, el("summary", {}, "Compare two selections"), compare),
  );
}

/** Copies text to the clipboard; false where the page may not (an insecure origin). */
async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    return false;
  }
}
