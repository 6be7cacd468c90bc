// The index page: one row per profile with what to check first, a sparkline of its
// non-idle samples per second, and its annotations (each a link to its selection);
// then every file of the folder that is not shown, with why.
import * as Plot from "@observablehq/plot";
import {annotationGroups, parseAnnotations} from "../lib/annotations.js";
import type {SelectionPart} from "../lib/selection.js";
import {formatWallClockRange} from "../lib/format.js";
import type {ProfileSummary} from "../lib/summary.js";
import type {NotShown} from "../data/site-profiles.js";
import {el, formatCount, percent} from "./dom.js";
import {DEFAULT_VIEW, formatViewState} from "./view-state.js";

/** A profile's summary.json (written by src/data/profiles/[name].tar.ts). */
export interface IndexEntry extends ProfileSummary {
  slug: string;
  /** Non-idle samples per second: each value the busiest of `binSeconds` seconds. */
  perSecond: number[];
  binSeconds: number;
  /** Annotations in the sidecar's JSON form. */
  annotations: unknown[];
  /** Sidecar and notes problems: the profile is shown without them. */
  warnings: string[];
}

/** The summary.json of a profile that is not shown. */
export interface UnreadableEntry {
  slug: string;
  file: string;
  error: string;
}

export function profileIndex(entries: (IndexEntry | UnreadableEntry)[], notShown: NotShown[]): HTMLElement {
  const shown = entries.filter((e): e is IndexEntry => !("error" in e));
  const unreadable = entries.filter((e): e is UnreadableEntry => "error" in e).map((e) => ({file: e.file, reason: e.error}));
  const head = ["profile", "host", "command line", "captured", "duration", "samples", "non-idle samples per second", "annotations"];
  return el(
    "div",
    {},
    shown.length === 0
      ? el("p", {}, "No profiles to show. Put perf script files (NAME.perf, NAME.perf.gz …) in the profiles folder (SUBSECOND_PROFILES).")
      : el(
          "table",
          {class: "subsecond-table subsecond-index"},
          el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {class: h === "duration" || h === "samples" ? "num" : undefined}, h)))),
          el("tbody", {}, ...shown.map(row)),
        ),
    notShownTable([...unreadable, ...notShown].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))),
  );
}

function notShownTable(files: NotShown[]): HTMLElement | null {
  if (files.length === 0) return null;
  return el(
    "section",
    {class: "subsecond-not-shown"},
    el("h2", {id: "not-shown"}, "Not shown"),
    el("p", {class: "subsecond-hint"}, `${files.length} file${files.length === 1 ? "" : "s"} of the folder ${files.length === 1 ? "is" : "are"} not on this site:`),
    el(
      "table",
      {class: "subsecond-table"},
      el("thead", {}, el("tr", {}, el("th", {}, "file"), el("th", {}, "why"))),
      el("tbody", {}, ...files.map((f) => el("tr", {}, el("td", {}, f.file), el("td", {}, f.reason)))),
    ),
  );
}

function row(p: IndexEntry): HTMLElement {
  const page = `profiles/${p.slug}.html`;
  const h = p.header;
  // The capture's span in wall-clock time when the header has a reference time.
  const captured = p.firstSampleWallClock && p.lastSampleWallClock ? formatWallClockRange(p.firstSampleWallClock, p.lastSampleWallClock) : (h.capturedOn ?? "–");
  return el(
    "tr",
    {},
    el("td", {}, el("a", {href: page}, p.source), ...p.warnings.map((w) => el("div", {class: "subsecond-warnings"}, `warning: ${w}`))),
    el("td", {}, h.hostname ?? "–", h.nrcpusOnline ? el("div", {class: "subsecond-hint"}, `${h.nrcpusOnline} CPUs`) : null),
    el("td", {class: "cmdline"}, h.cmdline ?? "–"),
    el("td", {}, captured),
    el("td", {class: "num"}, p.duration === null ? "–" : `${p.duration.toFixed(1)} s`),
    el("td", {class: "num"}, formatCount(p.samples.total), el("div", {class: "subsecond-hint"}, `${percent(p.samples.idle, p.samples.total)} idle`)),
    el("td", {}, sparkline(p)),
    el("td", {}, annotationLinks(p, page)),
  );
}

function sparkline({perSecond, binSeconds, columns}: IndexEntry): Element | string {
  if (perSecond.length === 0) return "no timestamps";
  const max = perSecond.reduce((m, n) => Math.max(m, n), 1);
  const chart = Plot.plot({
    width: 200,
    height: 40,
    margin: 2,
    x: {axis: null, domain: [0, perSecond.length]},
    y: {axis: null, domain: [0, max]},
    marks: [Plot.rectY(perSecond, {x1: (_d: number, i: number) => i, x2: (_d: number, i: number) => i + 1, y: (d: number) => d, fill: "#e55b3c"}), Plot.ruleY([0], {stroke: "#bbb"})],
  });
  const per = binSeconds > 1 ? ` (each bar the busiest of ${binSeconds} s)` : "";
  chart.append(Object.assign(document.createElementNS("http://www.w3.org/2000/svg", "title"), {textContent: `${columns} s; busiest second: ${formatCount(max)} samples${per}`}));
  return chart;
}

/** Each annotation links to its selection. Annotations that share a label (the same
 * event recurring) share a line: the label links to the union of their windows, then
 * one numbered link per window. Notes show on hover. */
function annotationLinks(p: IndexEntry, page: string): HTMLElement | string {
  const {annotations} = parseAnnotations({annotations: p.annotations}, p.source);
  if (annotations.length === 0) return "–";
  const link = (parts: SelectionPart[], text: string, title?: string) => el("a", {href: `${page}${formatViewState({...DEFAULT_VIEW, sel: parts})}`, title}, text);
  return el(
    "ul",
    {class: "subsecond-annotations"},
    ...annotationGroups(annotations).map(({label, annotations: list, parts}) =>
      list.length === 1
        ? el("li", {}, link(parts, label, list[0].note))
        : el("li", {}, link(parts, label, `all ${list.length} windows`), ...list.flatMap((a, i) => [" ", link(a.parts, String(i + 1), a.note)])),
    ),
  );
}
