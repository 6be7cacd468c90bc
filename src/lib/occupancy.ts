// When is a frame on CPU? The time intervals in which samples with a frame matching a
// pattern follow each other closely: a cache refresh, a GC pause, a lock hold, read
// off the samples rather than off the heat map's axis ticks.
//
//   occupancy(profile, /refreshPriceCache/, {gapMs: 250})
//   // [{from: 0.59, to: 0.981, samples: 19}, …] seconds since the origin
import {accepts, type AnalysisOptions} from "./filter.js";
import type {NamePattern} from "./pattern.js";
import type {Profile} from "./profile.js";
import {samplingRate} from "./rate.js";
import type {Selection} from "./selection.js";
import {NS} from "./time.js";
import {sampleView} from "./view.js";

export interface OccupancyOptions extends AnalysisOptions {
  /** Samples at most this far apart belong to one interval (default four sampling
   * periods: a thread on CPU misses a sample now and then). */
  gapMs?: number;
  /** How far before its first sample an interval starts (default one sampling period:
   * a sample stands for the CPU time since the one before it). */
  leadMs?: number;
  /** Only samples of this selection (default all). */
  selection?: Selection;
}

export interface OccupancyInterval {
  /** Seconds since the origin (the heat map's x axis). */
  from: number;
  to: number;
  /** Matching samples in the interval. */
  samples: number;
}

/** The sampling period in ms: from the recording's rate, else 10 ms (perf's default
 * cpu-clock rate is higher, but a period only sets defaults here). */
function periodMs(profile: Profile): number {
  const rate = samplingRate(profile);
  return rate ? 1000 / rate.hz : 10;
}

/** The intervals in which a frame (name or module) matching `frame` is on CPU: runs of
 * its samples (counted by the options' filter and idle classifier) no more than
 * `gapMs` apart, each from `leadMs` before its first sample to its last sample. */
export function occupancy(profile: Profile, frame: RegExp | string | NamePattern, options: OccupancyOptions = {}): OccupancyInterval[] {
  const period = periodMs(profile);
  const gapMs = options.gapMs ?? 4 * period;
  const leadMs = options.leadMs ?? period;
  if (!(Number.isFinite(gapMs) && gapMs >= 0)) throw new Error(`occupancy: gapMs must be a number of ms ≥ 0, not ${gapMs}`);
  if (!(Number.isFinite(leadMs) && leadMs >= 0)) throw new Error(`occupancy: leadMs must be a number of ms ≥ 0, not ${leadMs}`);
  const view = sampleView(profile, options.selection ?? null, {idle: options.idle, filter: {...options.filter, include: frame}});
  const {time} = profile.samples;
  const gap = gapMs * 1e6, lead = leadMs * 1e6;
  const out: OccupancyInterval[] = [];
  let first = NaN, last = NaN, samples = 0;
  const close = () => {
    if (samples > 0) out.push({from: (first - lead) / NS, to: last / NS, samples});
  };
  // Ranges are in sample order, so in time order: one pass.
  const {ranges} = view;
  for (let r = 0; r < ranges.length; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1]; i++) {
      const t = time[i];
      if (Number.isNaN(t) || !accepts(profile, view.selector, i)) continue;
      if (samples > 0 && t - last <= gap) {
        last = t;
        samples++;
      } else {
        close();
        first = last = t;
        samples = 1;
      }
    }
  }
  close();
  return out;
}
