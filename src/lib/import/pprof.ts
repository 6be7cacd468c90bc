// pprof (profile.proto: Go's runtime/pprof, Rust's pprof-rs, Datadog, Pyroscope
// exports), decoded by the pprof-format package. One sample type is read (the
// `sampleType` option; default `samples`, else `cpu`, else the profile's default
// type, else its last). A count type (unit `count`) makes a pprof sample of value n
// n samples, so flame graphs count what pprof counts; other types give one sample
// per pprof sample, weighted by its value. Labels: a `thread id` (or numeric `thread`)
// label becomes the thread's tid, `thread name` (or a string `thread`) its name; the
// other labels join the comm as `{key=value, …}`, the root of every stack, so
// `--comm` filters on them and flame graphs split by them. A timestamp label
// (`end_timestamp_ns`, `timestamp_ns`: Unix epoch ns) places samples in time; without
// one there is no heat map.
import {Profile as PprofProfile, type Location as PprofLocation} from "pprof-format";
import {ProfileBuilder} from "../builder.js";
import type {Profile} from "../profile.js";
import {ImportError} from "./errors.js";
import type {ImportOptions} from "./options.js";

export const PPROF = "pprof";

const TIMESTAMP_LABELS = new Set(["end_timestamp_ns", "timestamp_ns", "timestamp"]);
const TID_LABELS = new Set(["thread id", "thread_id", "tid"]);
const THREAD_NAME_LABELS = new Set(["thread name", "thread_name"]);

type Numeric = number | bigint;

/** An int64 field as a bigint: pprof-format decodes wide varints as unsigned. */
function big(v: Numeric): bigint {
  const b = BigInt(v);
  return b >= 1n << 63n ? b - (1n << 64n) : b;
}

const num = (v: Numeric) => Number(big(v));

/** Decodes pprof bytes (already gunzipped); throws an ImportError when they are not
 * a profile.proto message. */
export function decodePprof(bytes: Uint8Array, source: string): PprofProfile {
  let profile: PprofProfile;
  try {
    profile = PprofProfile.decode(bytes);
  } catch (e) {
    throw new ImportError(source, PPROF, "", `cannot be decoded as profile.proto (${(e as Error).message})`);
  }
  const strings = profile.stringTable?.strings ?? [];
  if (strings.length === 0 || strings[0] !== "" || profile.sampleType.length === 0) {
    throw new ImportError(source, PPROF, "", "not a profile.proto message (no string table starting with \"\", or no sample types)");
  }
  return profile;
}

export function importPprof(bytes: Uint8Array, options: ImportOptions = {}): Profile {
  const source = options.source ?? "<pprof>";
  const pprof = decodePprof(bytes, source);
  const strings = pprof.stringTable.strings;
  const fail = (where: string, problem: string): never => {
    throw new ImportError(source, PPROF, where, problem);
  };
  const str = (i: Numeric, where: string) => {
    const k = num(i);
    return k >= 0 && k < strings.length ? strings[k] : fail(where, `string index ${k} is outside the string table (${strings.length})`);
  };
  const types = pprof.sampleType.map((t, i) => ({type: str(t.type, `sample_type[${i}].type`), unit: str(t.unit, `sample_type[${i}].unit`)}));
  const defaultType = num(pprof.defaultSampleType) ? str(pprof.defaultSampleType, "default_sample_type") : "";
  const wanted = options.sampleType;
  let typeIndex = wanted !== undefined ? types.findIndex((t) => t.type === wanted) : ["samples", "cpu", defaultType].map((n) => types.findIndex((t) => t.type === n)).find((i) => i >= 0) ?? types.length - 1;
  if (typeIndex < 0) fail("", `no sample type ${JSON.stringify(wanted)} (types: ${types.map((t) => t.type).join(", ")})`);
  const chosen = types[typeIndex];
  const isCount = chosen.unit === "count";
  const timeNanos = big(pprof.timeNanos);
  const startSecond = Number(timeNanos / 1_000_000_000n);
  const builder = new ProfileBuilder({
    source,
    maxSamples: options.maxSamples,
    header: {
      fields: {format: PPROF, "sample type": `${chosen.type}/${chosen.unit}`, "sample types": types.map((t) => `${t.type}/${t.unit}`).join(", "), ...(pprof.period ? {period: `${num(pprof.period)} ${pprof.periodType ? str(pprof.periodType.unit, "period_type.unit") : ""}`.trim()} : {})},
      ...(timeNanos > 0n ? {referenceTime: {epoch: startSecond, perf: startSecond, text: `time_nanos ${timeNanos} ns since the Unix epoch`}} : {}),
    },
  });
  const event = builder.eventOf(chosen.type);
  const functions = new Map<string, {name: string; file: string}>();
  pprof.function.forEach((f, i) => functions.set(String(f.id), {name: str(f.name, `function[${i}].name`), file: str(f.filename, `function[${i}].filename`)}));
  const mappings = new Map<string, string>();
  pprof.mapping.forEach((m, i) => mappings.set(String(m.id), str(m.filename, `mapping[${i}].filename`)));
  const program = pprof.mapping.length ? mappings.get(String(pprof.mapping[0].id))!.replace(/^.*\//, "") || PPROF : PPROF;
  // A location's frames, outermost (the caller the others were inlined into) first.
  const locationFrames = new Map<string, number[]>();
  pprof.location.forEach((loc: PprofLocation, i) => {
    const module = mappings.get(String(loc.mappingId)) || undefined;
    const lines = loc.line;
    if (lines.length === 0) {
      const address = `0x${big(loc.address).toString(16)}`;
      locationFrames.set(String(loc.id), [builder.frame({name: "[unknown]", module, kind: "unknown", address})]);
      return;
    }
    const frames: number[] = [];
    for (let k = lines.length - 1; k >= 0; k--) {
      const fn = functions.get(String(lines[k].functionId)) ?? fail(`location[${i}].line[${k}]`, `function ${lines[k].functionId} is not in the function table`);
      frames.push(builder.frame({name: fn.name, module: module ?? (fn.file || undefined), kind: k === lines.length - 1 ? "user" : "inlined"}));
    }
    locationFrames.set(String(loc.id), frames);
  });
  const threads = new Map<string, number>();
  let zero = 0;
  for (let i = 0; i < pprof.sample.length && !builder.stopped; i++) {
    const sample = pprof.sample[i];
    if (sample.value.length !== types.length) fail(`sample[${i}]`, `${sample.value.length} values for ${types.length} sample types`);
    const value = num(sample.value[typeIndex]);
    // A negative count (a diff of two profiles) is no samples to draw.
    if (value === 0 || (isCount && value < 0)) {
      zero++;
      continue;
    }
    let tid = -1, threadName = "", second = NaN, nanos = 0;
    const others: string[] = [];
    for (const label of sample.label) {
      const key = str(label.key, `sample[${i}].label key`);
      const text = num(label.str) ? str(label.str, `sample[${i}].label ${key}`) : null;
      if (TIMESTAMP_LABELS.has(key) && text === null) {
        const ns = big(label.num);
        second = Number(ns / 1_000_000_000n);
        nanos = Number(ns % 1_000_000_000n);
      } else if (TID_LABELS.has(key) || (key === "thread" && text === null)) {
        const t = text === null ? num(label.num) : Number(text);
        tid = Number.isInteger(t) && t >= 0 && t <= 4_194_304 ? t : -1;
      } else if (THREAD_NAME_LABELS.has(key) || key === "thread") {
        threadName = text ?? "";
      } else {
        others.push(`${key}=${text ?? num(label.num)}`);
      }
    }
    const comm = `${threadName || program}${others.length ? ` {${others.sort().join(", ")}}` : ""}`;
    const threadKey = `${tid}\0${comm}`;
    let thread = threads.get(threadKey);
    if (thread === undefined) threads.set(threadKey, (thread = builder.threadOf(-1, tid, comm)));
    const frames: number[] = [];
    for (let k = sample.locationId.length - 1; k >= 0; k--) {
      const loc = locationFrames.get(String(sample.locationId[k])) ?? fail(`sample[${i}]`, `location ${sample.locationId[k]} is not in the location table`);
      frames.push(...loc);
    }
    const stack = builder.path(comm, frames);
    if (isCount && value > builder.samplesLeft) fail(`sample[${i}]`, `a count of ${value} samples is more than the sample budget leaves (${builder.samplesLeft}; --max-samples sets it)`);
    if (isCount) for (let n = value; n > 0 && builder.sampleAt(second, nanos, stack, thread, event); n--);
    else builder.sampleAt(second, nanos, stack, thread, event, value);
  }
  if (zero > 0) builder.note("skipped-sample", `${zero} pprof samples have ${chosen.type} 0${isCount ? " or less" : ""} and were skipped (another --sample-type may count them)`);
  return builder.build({lines: 0, bytes: bytes.length});
}
