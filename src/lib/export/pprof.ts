// A sample view as pprof (profile.proto, encoded by pprof-format; the caller gzips
// it, as pprof files are). Sample types `samples/count` and the event's weight
// (`EVENT/weight`). Timed samples stay one pprof sample each, with an
// `end_timestamp_ns` label (Unix epoch ns when the profile has a wall-clock
// reference, else the profile's own clock), so ./import/pprof.ts places them again;
// untimed samples of one stack and thread are summed into one. Each sample carries
// its thread as `thread id` and `thread name` labels.
import {Function as PprofFunction, Label, Line, Location, Profile as PprofProfile, Sample, StringTable, ValueType} from "pprof-format";
import type {Profile} from "../profile.js";
import {NS} from "../time.js";
import type {SampleView} from "../view.js";
import {StackFrames, viewSamples} from "./frames.js";

/** Whole seconds of the timestamp clock at the profile's origin: the Unix epoch when
 * the header maps perf time to it, else the profile's own clock. */
function epochOrigin(profile: Profile): {second: bigint; nanos: bigint} {
  const ref = profile.header.referenceTime;
  const origin = profile.origin ?? 0;
  if (!ref) return {second: BigInt(origin), nanos: 0n};
  // epoch at the origin = ref.epoch + (origin − ref.perf), to the nanosecond.
  const ns = Math.round((ref.epoch - ref.perf) * NS);
  const total = BigInt(origin) * 1_000_000_000n + BigInt(ns);
  return {second: total / 1_000_000_000n, nanos: total % 1_000_000_000n};
}

export function toPprof(view: SampleView): Uint8Array {
  const {profile} = view;
  const {samples, threads, strings, frames} = profile;
  const table = new StringTable();
  const eventName = view.eventName ?? "samples";
  const stackFrames = new StackFrames(profile);
  const locations = new Map<number, Location>();
  const functions = new Map<string, PprofFunction>();
  const locationOf = (f: number): number => {
    let loc = locations.get(f);
    if (!loc) {
      const name = strings[frames.name[f]];
      const file = frames.module[f] < 0 ? "" : strings[frames.module[f]];
      const key = `${name}\0${file}`;
      let fn = functions.get(key);
      if (!fn) functions.set(key, (fn = new PprofFunction({id: functions.size + 1, name: table.dedup(name), systemName: table.dedup(name), filename: table.dedup(file)})));
      loc = new Location({id: locations.size + 1, line: [new Line({functionId: fn.id})]});
      locations.set(f, loc);
    }
    return Number(loc.id);
  };
  const origin = epochOrigin(profile);
  const keys = {thread: table.dedup("thread id"), name: table.dedup("thread name"), time: table.dedup("end_timestamp_ns"), ns: table.dedup("nanoseconds")};
  const out: Sample[] = [];
  const untimed = new Map<string, Sample>();
  for (const i of viewSamples(view)) {
    const stack = samples.stack[i], thread = samples.thread[i], t = samples.time[i];
    const labels = [new Label({key: keys.thread, num: threads.tid[thread]}), new Label({key: keys.name, str: table.dedup(strings[threads.comm[thread]])})];
    if (Number.isNaN(t)) {
      const key = `${stack}:${thread}`;
      const known = untimed.get(key);
      if (known) {
        known.value[0] = Number(known.value[0]) + 1;
        known.value[1] = Number(known.value[1]) + samples.weight[i];
        continue;
      }
      const sample = new Sample({locationId: stackFrames.of(stack).map(locationOf).reverse(), value: [1, samples.weight[i]], label: labels});
      untimed.set(key, sample);
      out.push(sample);
      continue;
    }
    const ns = origin.second * 1_000_000_000n + origin.nanos + BigInt(t);
    labels.push(new Label({key: keys.time, num: ns, numUnit: keys.ns}));
    out.push(new Sample({locationId: stackFrames.of(stack).map(locationOf).reverse(), value: [1, samples.weight[i]], label: labels}));
  }
  const pprof = new PprofProfile({
    sampleType: [new ValueType({type: table.dedup("samples"), unit: table.dedup("count")}), new ValueType({type: table.dedup(eventName), unit: table.dedup("weight")})],
    sample: out,
    location: [...locations.values()],
    function: [...functions.values()],
    stringTable: table,
    timeNanos: origin.second * 1_000_000_000n + origin.nanos,
    comment: [table.dedup(`exported by subsecond from ${profile.source}`)],
  });
  return pprof.encode();
}
