// A sample view as Gecko profile JSON, the format the Firefox Profiler imports (what
// `perf script report gecko` writes): one thread per thread of the view, with its
// pid, tid and comm, samples at their times in milliseconds since meta.startTime
// (the wall-clock time of the origin when the profile has a reference time, else
// the origin on the profile's own clock). Untimed samples have no place in it and
// are left out (the caller says how many).
import {frameColorClass} from "../render/palette.js";
import {FRAME_KINDS, wallClockMs} from "../profile.js";
import type {SampleView} from "../view.js";
import {StackFrames, viewSamples} from "./frames.js";

const CATEGORIES = [
  {name: "Other", color: "grey", subcategories: ["Other"]},
  {name: "Kernel", color: "orange", subcategories: ["Other"]},
  {name: "User", color: "yellow", subcategories: ["Other"]},
  {name: "JavaScript", color: "green", subcategories: ["Other"]},
];
const CATEGORY_OF_KIND: Record<string, number> = {kernel: 1, user: 2, native: 2, cpp: 2, jit: 3, inlined: 2};

export interface GeckoExport {
  json: string;
  /** Samples without a time, left out. */
  untimed: number;
}

export function toGecko(view: SampleView): GeckoExport {
  const {profile} = view;
  const {samples, threads, strings, frames} = profile;
  const startTime = wallClockMs(profile, 0) ?? (profile.origin ?? 0) * 1000;
  const stackFrames = new StackFrames(profile);
  const out = new Map<number, {strings: string[]; stringIds: Map<string, number>; frames: Map<number, number>; frameRows: unknown[][]; stacks: Map<string, number>; stackRows: (number | null)[][]; sampleRows: (number | null)[][]}>();
  let untimed = 0;
  for (const i of viewSamples(view)) {
    const t = samples.time[i];
    if (Number.isNaN(t)) {
      untimed++;
      continue;
    }
    const thread = samples.thread[i];
    let g = out.get(thread);
    if (!g) out.set(thread, (g = {strings: [], stringIds: new Map(), frames: new Map(), frameRows: [], stacks: new Map(), stackRows: [], sampleRows: []}));
    const tg = g;
    const str = (text: string) => {
      let id = tg.stringIds.get(text);
      if (id === undefined) tg.stringIds.set(text, (id = tg.strings.push(text) - 1));
      return id;
    };
    let stack: number | null = null;
    for (const f of stackFrames.of(samples.stack[i])) {
      let frame = tg.frames.get(f);
      if (frame === undefined) {
        const name = strings[frames.name[f]];
        const module = frames.module[f] < 0 ? "" : strings[frames.module[f]];
        const kind = FRAME_KINDS[frames.kind[f]];
        // location, relevantForJS, innerWindowID, implementation, optimizations, line, column, category, subcategory
        tg.frames.set(f, (frame = tg.frameRows.push([str(module ? `${name} (in ${module})` : name), false, 0, null, null, null, null, CATEGORY_OF_KIND[frameColorClass(kind === "process" ? "user" : kind, name)] ?? 0, 0]) - 1));
      }
      const key = `${stack}:${frame}`;
      let s = tg.stacks.get(key);
      if (s === undefined) tg.stacks.set(key, (s = tg.stackRows.push([stack, frame]) - 1));
      stack = s;
    }
    tg.sampleRows.push([stack, t / 1e6, 0]);
  }
  const geckoThreads = [...out].map(([thread, g]) => ({
    name: strings[threads.comm[thread]],
    processName: strings[threads.comm[thread]],
    processType: "default",
    pid: String(threads.pid[thread]),
    tid: threads.tid[thread],
    registerTime: 0,
    unregisterTime: null,
    samples: {schema: {stack: 0, time: 1, responsiveness: 2}, data: g.sampleRows},
    markers: {schema: {name: 0, startTime: 1, endTime: 2, phase: 3, category: 4, data: 5}, data: []},
    stackTable: {schema: {prefix: 0, frame: 1}, data: g.stackRows},
    frameTable: {schema: {location: 0, relevantForJS: 1, innerWindowID: 2, implementation: 3, optimizations: 4, line: 5, column: 6, category: 7, subcategory: 8}, data: g.frameRows},
    stringTable: g.strings,
  }));
  const meta = {
    interval: 1,
    processType: 0,
    product: `subsecond: ${profile.source}`,
    stackwalk: 1,
    debug: 0,
    gcpoison: 0,
    asyncstack: 1,
    startTime,
    shutdownTime: null,
    version: 24,
    presymbolicated: true,
    categories: CATEGORIES,
    markerSchema: [],
  };
  return {json: JSON.stringify({meta, libs: [], threads: geckoThreads, processes: [], pausedRanges: []}), untimed};
}
