// A profile's timelines on its page (its NAME.gc.log, NAME.metrics.csv and
// NAME.events.log, read by the loader): the library's track charts
// (src/lib/render/tracks.ts) drawn above the heat map's cells in its sideways scroll,
// so a second on a track is the column below it; hovering a bar or a metric shows its
// values, clicking a GC pause or an event annotates its time and selects it. Below the
// map, a panel per track says how it was aligned and, for each metric series, takes a
// condition (>, >=, <, <= a value or percentile, or the top or bottom decile): the
// seconds that meet it become the selection (B) and the rest the pinned baseline (A),
// so the page's compare view shows what differs when the metric is high. The
// condition and the shifts are the view's (#when=, #shift=): a link reopens them.
import {annotate, MAX_LABEL_CHARS, MAX_NOTE_CHARS, type Annotation} from "../lib/annotations.js";
import {durationSeconds, type Profile} from "../lib/profile.js";
import type {HeatmapChartGeometry} from "../lib/render/geometry.js";
import {trackChartHeights, trackCharts, type TrackEventDatum} from "../lib/render/tracks.js";
import {alignTrack, conditionSelection, conditionText, parseCondition, type AlignedTrack, type Condition, type ConditionSelection} from "../lib/timeline/index.js";
import {upperBound} from "../lib/sorted.js";
import {NS} from "../lib/time.js";
import {el, Tooltip} from "./dom.js";
import type {SiteTrack} from "./load-profile.js";
import type {TrackShift} from "./view-state.js";

/** A site timeline placed on the profile's axis; null with the reason when it cannot
 * be (a profile without sample times). */
export interface PlacedTrack {
  file: string;
  aligned: AlignedTrack | null;
  error?: string;
}

/** Aligns each timeline with the profile (the library's alignment: its clock, the
 * profile's reference time), then shifts it by its offset in seconds (by index; 0
 * when not given). */
export function placeTracks(profile: Profile, tracks: SiteTrack[], offsets: number[] = []): PlacedTrack[] {
  return tracks.map(({file, track}, i) => {
    try {
      return {file, aligned: alignTrack(track, profile, {offset: offsets[i] ?? 0})};
    } catch (e) {
      return {file, aligned: null, error: (e as Error).message};
    }
  });
}

export interface TrackLanesOptions {
  profile: Profile;
  tracks: PlacedTrack[];
  /** The heat map's geometry: the tracks take its left margin and cell width. */
  geometry: HeatmapChartGeometry;
  /** Called with the annotation a click on an event made (or found already there). */
  onAnnotate: (annotation: Annotation, added: boolean) => void;
}

// Lower than the CLI's charts: the heat map below them should stay in view.
const LANE_CHARTS = {seriesHeight: 36, laneHeight: 12};

/** The tracks with charts above a map folded at `period` ns: the aligned ones, above
 * one-second columns only. */
const drawnTracks = (tracks: PlacedTrack[], period: number | undefined) =>
  period !== undefined && period !== NS ? [] : tracks.flatMap((t) => (t.aligned ? [{file: t.file, aligned: t.aligned}] : []));

/** The height in px of the charts trackLanes draws above a map of `columns` columns
 * folded at `period` ns: the heat map's cells give up that much of the window. */
export function trackLanesHeight(tracks: PlacedTrack[], columns: number, period?: number): number {
  return drawnTracks(tracks, period).reduce((sum, {aligned}) => sum + trackChartHeights(aligned, columns, LANE_CHARTS).reduce((a, b) => a + b, 0), 0);
}

/** The track charts, to go above the heat map's cells (null when there are none). */
export function trackLanes({profile, tracks, geometry, onAnnotate}: TrackLanesOptions): HTMLElement | null {
  if (!tracks.some((t) => t.aligned)) return null;
  const placed = drawnTracks(tracks, geometry.period);
  if (placed.length === 0) {
    return el("p", {class: "subsecond-hint subsecond-tracks"}, "The timelines are drawn above heat maps of one-second columns only.");
  }
  const node = el("div", {class: "subsecond-tracks"});
  const tooltip = new Tooltip(node);
  for (const {file, aligned} of placed) {
    for (const chart of trackCharts(aligned, geometry, LANE_CHARTS)) {
      const {svg} = chart;
      // The page's tooltip shows what each mark's <title> says (and screen readers read
      // it as the mark's label), without the browser's slower one on top.
      for (const title of Array.from(svg.querySelectorAll("title"))) {
        title.parentElement?.setAttribute("aria-label", title.textContent ?? "");
        title.remove();
      }
      if (chart.events) {
        const events = chart.events;
        const annotateBar = (i: number) => onAnnotate(...annotateEvent(profile, file, events[i], geometry.rows));
        const bar = (event: Event) => (event.target as Element).closest?.("[data-event]");
        svg.addEventListener("pointermove", (event) => {
          const target = bar(event);
          if (!target) return tooltip.hide();
          tooltip.show(`${events[Number(target.getAttribute("data-event"))].title}\nclick: annotate and select it`, event);
        });
        svg.addEventListener("click", (event) => {
          const target = bar(event);
          if (target) annotateBar(Number(target.getAttribute("data-event")));
        });
        keyboardBars(svg, events, tooltip, annotateBar);
        svg.classList.add("subsecond-track-events");
      } else if (chart.series !== undefined) {
        const k = chart.series;
        const series = aligned.track.series[k], time = aligned.seriesTime[k];
        svg.addEventListener("pointermove", (event) => {
          const box = svg.getBoundingClientRect();
          const i = pointAt(time, (event.clientX - box.left - geometry.left) / geometry.cellWidth);
          if (i < 0) return tooltip.hide();
          tooltip.show(`${series.name}: ${series.value[i]}\nat ${time[i].toFixed(3)} s (${file})`, event);
        });
      }
      svg.addEventListener("pointerleave", () => tooltip.hide());
      node.append(svg);
    }
  }
  return node;
}

/** The keyboard's way to the bars: Tab to the chart, Left/Right (Home/End) move from
 * bar to bar in time, Enter or Space annotates and selects the one shown. */
function keyboardBars(svg: SVGSVGElement, events: TrackEventDatum[], tooltip: Tooltip, annotateBar: (i: number) => void): void {
  if (events.length === 0) return;
  const rects = Array.from(svg.querySelectorAll<SVGRectElement>("rect[data-event]"));
  svg.setAttribute("tabindex", "0");
  svg.setAttribute("aria-description", "Left and Right arrows move between its bars; Enter annotates and selects the bar");
  let at = -1;
  const show = (i: number) => {
    rects[at]?.classList.remove("focused");
    at = Math.max(0, Math.min(rects.length - 1, i));
    rects[at].classList.add("focused");
    const box = rects[at].getBoundingClientRect();
    tooltip.showAt(`${events[at].title}\nEnter: annotate and select it`, box.right, box.bottom);
  };
  // Shown on the keyboard's focus only: a click focuses the chart too.
  svg.addEventListener("focus", () => {
    if (svg.matches(":focus-visible")) show(Math.max(at, 0));
  });
  svg.addEventListener("blur", () => {
    rects[at]?.classList.remove("focused");
    tooltip.hide();
  });
  svg.addEventListener("keydown", (event: KeyboardEvent) => {
    // The keys are the track's: the heat map's own keys (its cursor, Enter marking a
    // cell) act in the scroll around it.
    event.stopPropagation();
    switch (event.key) {
      case "ArrowRight": show(at + 1); break;
      case "ArrowLeft": show(at - 1); break;
      case "Home": show(0); break;
      case "End": show(rects.length - 1); break;
      case "Enter":
      case " ":
        if (at < 0) show(0);
        else annotateBar(at);
        break;
      default:
        return;
    }
    event.preventDefault();
  });
}

/** The last point at or before `t` (a point holds until the next one), or -1. */
function pointAt(time: Float64Array, t: number): number {
  return upperBound(time, t) - 1;
}

/** Annotates an event's time: its label, with its file, kind, start and duration as
 * the note.
 * An instant, or a pause shorter than a row of the heat map, gets one row's time so
 * that its selection holds the samples drawn beside it. Returns it and whether it is
 * new (annotating it again finds the same one). */
export function annotateEvent(profile: Profile, file: string, event: TrackEventDatum, rows: number): [Annotation, boolean] {
  const span = durationSeconds(profile);
  const row = 1 / rows;
  const from = Math.max(0, Math.min(event.start, span - row));
  const to = Math.min(span, Math.max(event.end, from + row));
  const before = profile.annotations.length;
  const label = event.label.trim().slice(0, MAX_LABEL_CHARS) || event.kind;
  const note = `${file}: ${event.kind}, ${event.start.toFixed(3)} s${event.end > event.start ? ` for ${+((event.end - event.start) * 1e3).toFixed(3)} ms` : ""}`.slice(0, MAX_NOTE_CHARS);
  // Milliseconds: the sidecar's resolution, and the same times when clicked again.
  const annotation = annotate(profile, {label, from: Math.floor(from * 1e3) / 1e3, to: Math.ceil(to * 1e3) / 1e3, note});
  return [annotation, profile.annotations.length > before];
}

/** Each track's offset in seconds, from the view's shifts (by file; 0 for the rest). */
export function trackOffsets(tracks: {file: string}[], shift: TrackShift[]): number[] {
  return tracks.map(({file}) => shift.find((s) => s.file === file)?.offset ?? 0);
}

/** A condition met on the placed tracks: its seconds and the rest, or why it selects
 * nothing to compare. */
export type ConditionOutcome =
  | {condition: Condition; result: ConditionSelection; comparable: true; text: string}
  | {condition: Condition | null; result: ConditionSelection | null; comparable: false; text: string};

/** Parses and meets a condition (as the CLI's --when does) on the tracks that could
 * be placed; `text` says what it selected, or what is wrong with it. */
export function meetCondition(profile: Profile, tracks: PlacedTrack[], text: string): ConditionOutcome {
  let condition: Condition | null = null;
  let result: ConditionSelection;
  try {
    condition = parseCondition(text);
    result = conditionSelection(profile, tracks.flatMap((t) => (t.aligned ? [t.aligned] : [])), condition);
  } catch (e) {
    return {condition, result: null, comparable: false, text: (e as Error).message};
  }
  const what = conditionText(condition, result);
  if (result.matching.length === 0 || result.rest.length === 0) {
    return {condition, result, comparable: false, text: `${what}: ${result.matching.length === 0 ? "no second meets it" : "every second meets it"}, nothing to compare`};
  }
  return {condition, result, comparable: true, text: what};
}

export interface TracksPanelOptions {
  profile: Profile;
  tracks: PlacedTrack[];
  /** The condition of the view (#when=), "" for none: its series' form shows it and
   * what it selected. */
  condition: string;
  /** Shows a condition's seconds against the rest (the page pins the rest as A and
   * selects the matching seconds as B). */
  onCompare: (condition: Condition, result: ConditionSelection) => void;
  /** Places track `index` again, shifted by `seconds` (a log whose clock nothing
   * places, or one the reference time places wrongly). */
  onOffset: (index: number, seconds: number) => void;
}

/** Per track: its file, how it was placed and any warning; per metric series, the
 * threshold form of "what differs when the metric is high". */
export function tracksPanel({profile, tracks, condition, onCompare, onOffset}: TracksPanelOptions): HTMLElement {
  const shown = condition ? meetCondition(profile, tracks, condition) : null;
  const seriesNames = new Set(tracks.flatMap((t) => t.aligned?.track.series.map((s) => s.name) ?? []));
  const items = tracks.map(({file, aligned: a, error}, index) => {
    if (!a) return el("li", {}, el("strong", {}, file), `: not drawn: ${error}`);
    const counts = a.track.series.length ? `${a.track.series.length} series` : `${a.track.events.length} events`;
    const offset = el("input", {type: "number", step: "any", value: a.alignment.offset, "aria-label": `${file} offset (s)`, onchange: (event: Event) => {
      const seconds = Number((event.target as HTMLInputElement).value);
      if (Number.isFinite(seconds)) onOffset(index, seconds);
    }});
    return el(
      "li", {},
      el("strong", {}, file), ` (${a.track.format}, ${counts}): aligned by ${a.alignment.text}`,
      el("label", {class: "subsecond-toolbar subsecond-track-offset"}, "shift by (s):", offset),
      ...a.warnings.map((w) => el("div", {class: "subsecond-warning"}, w)),
      ...a.track.series.map((s) => thresholdForm(profile, tracks, s.name, shown?.condition?.series === s.name ? shown : null, onCompare)),
    );
  });
  // A link's condition that names no series here (a hand-edited one, or a file gone).
  const orphan = shown && !(shown.condition && seriesNames.has(shown.condition.series))
    ? el("p", {class: "subsecond-warning"}, `The link's condition ${JSON.stringify(condition)}: ${shown.text}`)
    : null;
  return el("div", {class: "subsecond-tracks-panel"}, el("ul", {}, ...items), orphan);
}

const OPERATORS = [">", ">=", "<", "<="] as const;

/** SERIES [>] [value or pN] [Compare] [Top decile] [Bottom decile]: the form composes
 * the condition's text, read by the same parser as the CLI's --when and the link. */
function thresholdForm(profile: Profile, tracks: PlacedTrack[], series: string, shown: ConditionOutcome | null, onCompare: TracksPanelOptions["onCompare"]): HTMLElement {
  const op = el("select", {"aria-label": `${series} operator`}, ...OPERATORS.map((o) => el("option", {value: o}, o)));
  const value = el("input", {type: "text", inputmode: "decimal", required: true, placeholder: "value or p90", size: 10, "aria-label": `${series} threshold`});
  const status = el("span", {class: "subsecond-status"});
  const showOutcome = (outcome: ConditionOutcome) => {
    const c = outcome.condition;
    if (c && "op" in c) {
      op.value = c.op;
      value.value = typeof c.threshold === "number" ? String(c.threshold) : `p${c.threshold.percentile}`;
    }
    if (outcome.comparable) status.replaceChildren(`${outcome.text}. Selected (B): those seconds; pinned (A): the rest. `, el("a", {href: "#compare"}, "See the differential"));
    else status.textContent = outcome.text;
  };
  const run = (text: string) => {
    const outcome = meetCondition(profile, tracks, text);
    showOutcome(outcome);
    if (outcome.comparable) onCompare(outcome.condition, outcome.result);
  };
  if (shown) showOutcome(shown);
  return el(
    "form",
    {class: "subsecond-toolbar subsecond-threshold", onsubmit: (event: Event) => {
      event.preventDefault();
      if (value.value.trim() !== "") run(`${series}${op.value}${value.value.trim()}`);
    }},
    el("span", {}, series), op, value,
    el("button", {type: "submit"}, "Compare with the rest"),
    el("button", {type: "button", onclick: () => run(`${series} top 10%`)}, "Top decile"),
    el("button", {type: "button", onclick: () => run(`${series} bottom 10%`)}, "Bottom decile"),
    status,
  );
}
