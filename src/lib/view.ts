// A sample view: a profile seen through a selection and a filter (idle classifier,
// event, processes, threads, CPUs, frames), like Arquero's filtered table. Every
// analysis (heat maps, flame trees, folded stacks, masks) takes one, so a page that
// draws a heat map, a flame graph and an export of the same view compiles its filter
// once: the compiled filter is cached per profile (./filter.js).
import {accepts, compileSelector, type AnalysisOptions, type SampleSelector} from "./filter.js";
import type {Profile} from "./profile.js";
import {cellPeriod, type Selection} from "./selection.js";
import {lowerBound} from "./sorted.js";
import {bucketStart} from "./time.js";

export interface SampleView {
  readonly profile: Profile;
  /** The samples selected by time (null: the whole profile, untimed samples too). */
  readonly selection: Selection;
  readonly options: AnalysisOptions;
  /** The compiled filter: which stacks, threads, events and CPUs count. */
  readonly selector: SampleSelector;
  /** Sorted, merged [start, end) index pairs of the selection's samples (before the
   * filter). */
  readonly ranges: Int32Array;
  /** The name of the event counted; undefined for a profile without events. */
  readonly eventName: string | undefined;
  /** Whether sample i is in the view (selected and counted). */
  has(i: number): boolean;
  /** 1 for each sample of the profile in the view. */
  mask(): Uint8Array;
  /** The same filter over another selection. */
  select(selection: Selection): SampleView;
}

class View implements SampleView {
  readonly selector: SampleSelector;
  #ranges: Int32Array | undefined;

  constructor(readonly profile: Profile, readonly selection: Selection, readonly options: AnalysisOptions) {
    this.selector = compileSelector(profile, options);
  }

  get ranges(): Int32Array {
    return (this.#ranges ??= sampleRanges(this.profile, this.selection));
  }

  get eventName(): string | undefined {
    return this.profile.events[this.selector.event]?.name;
  }

  has(i: number): boolean {
    const r = this.ranges;
    // Ranges are sorted: binary search for the last start ≤ i.
    let lo = 0, hi = r.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r[mid * 2] <= i) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && i < r[(lo - 1) * 2 + 1] && accepts(this.profile, this.selector, i);
  }

  mask(): Uint8Array {
    const {profile, selector, ranges} = this;
    const mask = new Uint8Array(profile.samples.length);
    for (let r = 0; r < ranges.length; r += 2) {
      for (let i = ranges[r]; i < ranges[r + 1]; i++) if (accepts(profile, selector, i)) mask[i] = 1;
    }
    return mask;
  }

  select(selection: Selection): SampleView {
    return new View(this.profile, selection, this.options);
  }
}

/** The samples of `selection` (default: all) that `options` count. */
export function sampleView(profile: Profile, selection: Selection = null, options: AnalysisOptions = {}): SampleView {
  return new View(profile, selection, options);
}

export function isSampleView(value: unknown): value is SampleView {
  return value instanceof View;
}

/** A view from an analysis function's arguments: a view as it is, or a profile with a
 * selection and options. */
export function viewOf(source: Profile | SampleView, selection: Selection = null, options: AnalysisOptions = {}): SampleView {
  return isSampleView(source) ? source : sampleView(source, selection, options);
}

/** 1 for each sample in the selection that the options count (not idle, passing the
 * filter), else 0. */
export function sampleMask(profile: Profile, selection: Selection, options: AnalysisOptions = {}): Uint8Array {
  return sampleView(profile, selection, options).mask();
}

/** Sorted, merged [start, end) index pairs of the samples a selection holds. Sample
 * times must be sorted (the parser guarantees it), untimed samples last. A cell block
 * (of seconds or of a folded map's periods) is walked only over the columns the
 * profile has, however far past them it reaches. */
export function sampleRanges(profile: Profile, selection: Selection): Int32Array {
  const {time, length} = profile.samples;
  if (selection === null) return Int32Array.of(0, length);
  const timed = length > 0 && Number.isNaN(time[length - 1]) ? firstNaN(time, length) : length;
  const lastTime = timed > 0 ? time[timed - 1] : -1;
  const lb = (t: number) => lowerBound(time, t, 0, timed);
  const pairs: number[] = [];
  for (const part of selection) {
    if (part.kind === "range") {
      pairs.push(lb(part.from), lb(part.to));
    } else {
      const period = cellPeriod(part);
      const lo = bucketStart(part.b0, part.rows, period), hi = bucketStart(part.b1 + 1, part.rows, period);
      const last = lastTime < 0 ? -1 : Math.min(part.s1, Math.floor(lastTime / period));
      for (let c = part.s0; c <= last; c++) pairs.push(lb(c * period + lo), lb(c * period + hi));
    }
  }
  return mergePairs(pairs);
}

/** Index of the first NaN in time[0, end) whose NaNs are all at the end. */
function firstNaN(time: Float64Array, end: number): number {
  let lo = 0, hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Number.isNaN(time[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function mergePairs(pairs: number[]): Int32Array {
  const order: [number, number][] = [];
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i + 1] > pairs[i]) order.push([pairs[i], pairs[i + 1]]);
  order.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [a, b] of order) {
    if (out.length && a <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], b);
    else out.push(a, b);
  }
  return Int32Array.from(out);
}
