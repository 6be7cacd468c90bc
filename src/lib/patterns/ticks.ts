// The profile as perf's sampling clock saw it. perf samples each CPU on a fixed grid
// (every 1/F s, from a phase of its own), so the grid's ticks, not wall-clock bins, are
// the unit of evidence: a tick of a CPU holds one sample or none (on VMs an idle CPU
// is often not sampled at all), and a bin of ticks has the same number of chances to
// be sampled wherever it falls. Binning by milliseconds instead would make perf's own
// beat (49 Hz into 20 ms rows leaves an empty row) look like activity.
import {accepts} from "../filter.js";
import type {Profile} from "../profile.js";
import {samplingRate} from "../rate.js";
import {sampleView, type SampleView} from "../view.js";
import type {AnalysisOptions} from "../filter.js";
import {NS} from "../time.js";

export interface Ticks {
  profile: Profile;
  /** The samples counted (the options' idle classifier and filter). */
  view: SampleView;
  /** Time between ticks, ns (the sampling period times `perTick`). */
  tickNs: number;
  /** Sampling periods a tick spans: 1 unless the profile is too long for one a tick. */
  perTick: number;
  /** ns since the origin of tick 0. */
  start: number;
  count: number;
  /** CPUs (or, for profiles without CPUs, threads): the sampled lanes. */
  lanes: number;
  /** Samples a tick can hold: lanes × perTick. */
  capacity: number;
  /** Counted (busy) samples per tick. */
  busy: Uint16Array;
  /** For each (tick, lane), tick × lanes + lane: the first counted sample, or -1. */
  sample: Int32Array;
  /** The tick of each sample (-1: untimed or not counted). */
  tickOf: Int32Array;
  /** Counted samples. */
  samples: number;
}

/** Most (tick, lane) cells held; longer profiles get several periods a tick. */
const MAX_CELLS = 16_000_000;

/** The sampling grid of a profile; null when it has no timed samples or no rate. */
export function sampleTicks(profile: Profile, options: AnalysisOptions = {}): Ticks | null {
  const rate = samplingRate(profile);
  const {time, cpu, thread, length} = profile.samples;
  let timed = 0;
  while (timed < length && !Number.isNaN(time[timed])) timed++;
  if (!rate || timed < 2) return null;
  const periodNs = NS / rate.hz;
  // Lanes: CPUs when perf printed them, else threads (a V8 profile has one).
  const byCpu = cpu[0] >= 0;
  const laneKey = byCpu ? cpu : thread;
  const laneOf = new Map<number, number>();
  for (let i = 0; i < timed; i++) if (!laneOf.has(laneKey[i])) laneOf.set(laneKey[i], laneOf.size);
  const lanes = laneOf.size;
  // Each lane's phase on the grid: the circular mean of its sample times modulo the period.
  const sx = new Float64Array(lanes), sy = new Float64Array(lanes);
  for (let i = 0; i < timed; i++) {
    const a = ((time[i] % periodNs) / periodNs) * 2 * Math.PI;
    const l = laneOf.get(laneKey[i])!;
    sx[l] += Math.cos(a);
    sy[l] += Math.sin(a);
  }
  const phase = Array.from({length: lanes}, (_, l) => ((Math.atan2(sy[l], sx[l]) / (2 * Math.PI) + 1) % 1) * periodNs);
  const span = time[timed - 1] - time[0];
  const perTick = Math.max(1, Math.ceil(((span / periodNs + 2) * lanes) / MAX_CELLS));
  const tickNs = periodNs * perTick;
  const gridTick = (i: number) => Math.round((time[i] - phase[laneOf.get(laneKey[i])!]) / periodNs);
  const first = Math.floor(gridTick(0) / perTick);
  const count = Math.floor(gridTick(timed - 1) / perTick) - first + 1;
  const view = sampleView(profile, null, options);
  const {selector} = view;
  const busy = new Uint16Array(count);
  const sample = new Int32Array(count * lanes).fill(-1);
  const tickOf = new Int32Array(length).fill(-1);
  let samples = 0;
  for (let i = 0; i < timed; i++) {
    if (!accepts(profile, selector, i)) continue;
    const k = Math.min(count - 1, Math.max(0, Math.floor(gridTick(i) / perTick) - first));
    tickOf[i] = k;
    if (busy[k] < 65535) busy[k]++;
    samples++;
    const cell = k * lanes + laneOf.get(laneKey[i])!;
    if (sample[cell] < 0) sample[cell] = i;
  }
  return {profile, view, tickNs, perTick, start: first * tickNs + Math.min(...phase), count, lanes, capacity: lanes * perTick, busy, sample, tickOf, samples};
}

/** ns since the origin of tick k's start. */
export function tickTime(ticks: Ticks, k: number): number {
  return ticks.start + k * ticks.tickNs;
}
