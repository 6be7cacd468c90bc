// A sample view as a speedscope file: one sampled profile per thread (named after its
// comm), frames shared. With times, each sample weighs the nanoseconds to the next
// sample of its thread, so speedscope's time-ordered view draws samples where they
// were and ./import/speedscope.ts reads the same times back (relative to the
// profile's origin); the last sample of a thread weighs its thread's median gap.
// Without times, a sample weighs its weight.
import {SPEEDSCOPE_SCHEMA} from "../import/speedscope.js";
import type {SampleView} from "../view.js";
import {StackFrames, viewSamples} from "./frames.js";

export function toSpeedscope(view: SampleView, name = view.profile.source): string {
  const {profile} = view;
  const {samples, threads, strings, frames} = profile;
  const stackFrames = new StackFrames(profile);
  const frameIndex = new Map<number, number>();
  const shared: {name: string; file?: string}[] = [];
  const indexOf = (f: number) => {
    let i = frameIndex.get(f);
    if (i === undefined) {
      frameIndex.set(f, (i = shared.length));
      const m = frames.module[f];
      shared.push(m < 0 ? {name: strings[frames.name[f]]} : {name: strings[frames.name[f]], file: strings[m]});
    }
    return i;
  };
  const byThread = new Map<number, number[]>();
  for (const i of viewSamples(view)) {
    let list = byThread.get(samples.thread[i]);
    if (!list) byThread.set(samples.thread[i], (list = []));
    list.push(i);
  }
  const timed = profile.origin !== null;
  const out = [...byThread].map(([thread, list]) => {
    const stacks = list.map((i) => stackFrames.of(samples.stack[i]).map(indexOf));
    let weights: number[], startValue = 0, endValue: number;
    const times = list.map((i) => samples.time[i]);
    if (timed && times.every((t) => !Number.isNaN(t))) {
      const gaps = times.slice(1).map((t, k) => t - times[k]);
      const median = gaps.length ? [...gaps].sort((a, b) => a - b)[gaps.length >> 1] : 1;
      weights = [...gaps, median];
      startValue = times[0] ?? 0;
      endValue = (times[times.length - 1] ?? 0) + median;
    } else {
      weights = list.map((i) => samples.weight[i]);
      endValue = weights.reduce((a, b) => a + b, 0);
    }
    return {
      type: "sampled",
      name: strings[threads.comm[thread]],
      unit: timed ? "nanoseconds" : "none",
      startValue,
      endValue,
      samples: stacks,
      weights,
    };
  });
  return JSON.stringify({$schema: SPEEDSCOPE_SCHEMA, name, exporter: "subsecond", activeProfileIndex: 0, shared: {frames: shared}, profiles: out});
}
