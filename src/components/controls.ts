// The profile page's heat-map controls: rows (with those that match the sampling
// rate), the period the map is folded at, palette, idle classifier, and the process / thread / CPU / event filters,
// each starting from the URL's view; and a note on how the rows fit the rate.
import * as Inputs from "@observablehq/inputs";
import type {AnalysisOptions, SampleFilter} from "../lib/filter.js";
import {IDLE_MODES} from "../lib/idle.js";
import type {Profile} from "../lib/profile.js";
import {matchingRows, rowsFit, describeRate, type SamplingRate} from "../lib/rate.js";
import {HEATMAP_PALETTES, type HeatmapPalette} from "../lib/render/palette.js";
import {formatPeriod, NS, parsePeriod} from "../lib/time.js";
import {el, formatCount} from "./dom.js";
import {ROWS_CHOICES, type IdleMode, type ViewState} from "./view-state.js";

/** The filter form's value: null = all. */
export interface FilterChoice {
  pid: number | null;
  tid: number | null;
  cpu: number | null;
  /** The event counted; null only for a profile without events. */
  event: string | null;
}

const IDLE_LABELS: Record<IdleMode, string> = {
  default: "idle-loop leaf (default)",
  flamescope: "FlameScope's rule",
  keep: "keep idle samples",
};

export interface Controls {
  rows: Inputs.Input<number>;
  period: PeriodInput;
  palette: Inputs.Input<HeatmapPalette>;
  idle: Inputs.Input<IdleMode>;
  filter: Inputs.Input<FilterChoice>;
  /** All of them in one row. */
  node: HTMLElement;
}

/** The rows offered: the usual counts, the ones up to 100 that match the sampling rate
 * (with the largest one above 100 when none does below), and the view's own. */
export function rowsChoices(rate: SamplingRate | null, view: ViewState): number[] {
  const matching = rate ? matchingRows(rate.hz) : [];
  const upTo100 = matching.filter((r) => r <= 100);
  const extra = upTo100.length ? upTo100.slice(-2) : matching.slice(0, 1);
  return [...new Set([...ROWS_CHOICES, ...extra, view.rows])].sort((a, b) => a - b);
}

export function controls(profile: Profile, view: ViewState, rate: SamplingRate | null, detectedPeriods: number[] = []): Controls {
  const rows = Inputs.radio(rowsChoices(rate, view), {label: "Rows", value: view.rows});
  const period = periodInput(view.period, detectedPeriods);
  const palette = Inputs.radio([...HEATMAP_PALETTES], {label: "Palette", value: view.palette});
  const idle = Inputs.select(IDLE_MODES, {label: "Idle", value: view.idle, format: (m) => IDLE_LABELS[m]});
  const filter = filterForm(profile, view);
  const node = el("div", {class: "subsecond-controls"}, rows, period, palette, idle, filter);
  return {rows, period, palette, idle, filter, node};
}

/** The periods offered to fold the heat map at (ns); any other from 10 ms to 1 h may
 * be typed. */
export const PERIOD_CHOICES = [0.1, 0.5, 1, 5, 10, 60, 900].map((s) => s * NS);

/** The period control: its value is the period in ns, and it fires "input" (as an
 * Observable input does) only when a valid period is entered. */
export type PeriodInput = HTMLElement & {value: number};

let periodInputs = 0;

/** A text box of the period ("5s", "15m", "250ms"), with the usual periods and those
 * the page detected in its profile as suggestions; a period it cannot use is
 * refused with why, and the map stays as it was. */
export function periodInput(value: number, detected: number[] = []): PeriodInput {
  const id = `subsecond-periods-${++periodInputs}`;
  const suggestions = el("datalist", {id});
  const seen = new Set<string>();
  for (const [periods, note] of [[detected, "detected"], [PERIOD_CHOICES, ""]] as const) {
    for (const p of periods) {
      const text = formatPeriod(p);
      if (seen.has(text)) continue;
      seen.add(text);
      suggestions.append(el("option", {value: text, label: note ? `${text} (${note})` : text}));
    }
  }
  const box = el("input", {type: "text", name: "period", list: id, value: formatPeriod(value), size: 7, spellcheck: "false", autocomplete: "off", "aria-describedby": `${id}-error`});
  const error = el("span", {class: "subsecond-period-error", id: `${id}-error`, role: "alert"});
  const node = Object.assign(el("div", {class: "subsecond-period"}, el("label", {}, "Period ", box), suggestions, error), {value}) as PeriodInput;
  // Typing is not a new period yet: only a committed one (Enter, leaving the box, a
  // suggestion picked) reaches the page.
  box.addEventListener("input", (event) => event.stopPropagation());
  box.addEventListener("change", () => {
    let next: number;
    try {
      next = parsePeriod(box.value.trim());
    } catch (e) {
      error.textContent = (e as Error).message;
      return;
    }
    error.textContent = "";
    box.value = formatPeriod(next);
    if (next === node.value) return;
    node.value = next;
    node.dispatchEvent(new Event("input", {bubbles: true}));
  });
  return node;
}

/** Samples per thread: the filters list the busiest first. */
function samplesPerThread(profile: Profile): Float64Array {
  const counts = new Float64Array(profile.threads.length);
  for (let i = 0; i < profile.samples.length; i++) counts[profile.samples.thread[i]]++;
  return counts;
}

function filterForm(profile: Profile, view: ViewState): Inputs.Input<FilterChoice> {
  const {threads, strings} = profile;
  const perThread = samplesPerThread(profile);
  const comm = (t: number) => strings[threads.comm[t]];

  const pidSamples = new Map<number, number>(), pidComm = new Map<number, string>();
  const threadIds: number[] = [];
  for (let t = 0; t < threads.length; t++) {
    if (perThread[t] === 0) continue;
    threadIds.push(t);
    const pid = threads.pid[t];
    if (pid < 0) continue;
    pidSamples.set(pid, (pidSamples.get(pid) ?? 0) + perThread[t]);
    // A process is named by its main thread's comm when that thread was sampled.
    if (!pidComm.has(pid) || threads.tid[t] === pid) pidComm.set(pid, comm(t));
  }
  threadIds.sort((a, b) => perThread[b] - perThread[a]);
  const pids = [...pidSamples.keys()].sort((a, b) => pidSamples.get(b)! - pidSamples.get(a)!);
  const tidLabel = new Map(threadIds.map((t) => [threads.tid[t], `${comm(t)} ${threads.tid[t]} (${formatCount(perThread[t])})`]));
  const cpus = new Set<number>();
  for (let i = 0; i < profile.samples.length; i++) cpus.add(profile.samples.cpu[i]);
  cpus.delete(-1);
  const events = profile.events.map((e) => e.name);

  const all = (format: (v: number) => string) => (v: number | null) => (v === null ? "all" : format(v));
  const keep = <T>(value: T | null, choices: T[]) => (value !== null && choices.includes(value) ? value : null);
  const form = Inputs.form({
    pid: Inputs.select([null, ...pids], {label: "Process", value: keep(view.pid, pids), format: all((p) => `${pidComm.get(p)} ${p} (${formatCount(pidSamples.get(p)!)})`)}),
    tid: Inputs.select([null, ...tidLabel.keys()], {label: "Thread", value: keep(view.tid, [...tidLabel.keys()]), format: all((t) => tidLabel.get(t)!)}),
    cpu: Inputs.select([null, ...[...cpus].sort((a, b) => a - b)], {label: "CPU", value: keep(view.cpu, [...cpus]), format: all(String)}),
    event: Inputs.select(events, {label: "Event", value: keep(view.event, events) ?? events[0]}),
  }, {template: (inputs) => el("div", {class: "subsecond-filters"}, ...Object.values(inputs))});
  return form;
}

/** The library's analysis options for the chosen idle classifier and filters. */
export function analysisOptions(idle: IdleMode, choice: FilterChoice): AnalysisOptions {
  const filter: SampleFilter = {};
  if (choice.pid !== null) filter.pid = choice.pid;
  if (choice.tid !== null) filter.tid = choice.tid;
  if (choice.cpu !== null) filter.cpu = choice.cpu;
  if (choice.event) filter.event = choice.event; // none when the profile has no events
  return {idle, filter};
}

/** The URL's form of the filter choice (the first event is the default). */
export function filterViewState(profile: Profile, choice: FilterChoice): Pick<ViewState, "pid" | "tid" | "cpu" | "event"> {
  return {pid: choice.pid, tid: choice.tid, cpu: choice.cpu, event: choice.event === profile.events[0]?.name ? null : (choice.event ?? null)};
}

/** How the rows fit the sampling rate: the rate, what a busy CPU puts in each cell,
 * and, when the rows do not match it, a button for the matching row count. */
export function rowsNote(rate: SamplingRate | null, rows: number, useRows: (rows: number) => void): HTMLElement {
  if (rate === null) return el("p", {class: "subsecond-hint subsecond-rows-note"}, "Sampling rate unknown: too few timed samples to tell.");
  const fit = rowsFit(rate, rows);
  const use = !fit.matches && fit.suggestion !== null && el("button", {type: "button", onclick: () => useRows(fit.suggestion!)}, `Use ${fit.suggestion} rows`);
  const advice = fit.matches || fit.suggestion !== null ? "" : " No row count from 10 to 200 divides the rate.";
  return el(
    "p",
    {class: fit.matches ? "subsecond-hint subsecond-rows-note" : "subsecond-hint subsecond-rows-note mismatch"},
    `Sampling ${describeRate(rate)}; ${rows} rows: ${fit.text}.${advice} `,
    use,
  );
}
