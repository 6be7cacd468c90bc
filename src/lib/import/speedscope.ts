// speedscope's file format (https://www.speedscope.app/file-format-schema.json; what
// py-spy, rbspy, and speedscope's own exports write): shared frames and profiles that
// are either sampled (stacks of frame indexes with weights) or evented (open and
// close events at times). Each profile becomes a thread named after it.
//
// Sampled profiles carry no sample times; when their unit is a time, sample i is
// placed where speedscope's time-ordered view draws it: startValue plus the weights of
// the samples before it. Evented profiles become one sample per interval between
// events that has a frame open, weighted by its length.
import {ProfileBuilder} from "../builder.js";
import type {Profile} from "../profile.js";
import {JsonReader} from "./errors.js";
import type {ImportOptions} from "./options.js";

export const SPEEDSCOPE = "speedscope";
export const SPEEDSCOPE_SCHEMA = "https://www.speedscope.app/file-format-schema.json";

/** Nanoseconds per unit; absent: not a time. */
export const SPEEDSCOPE_UNIT_NS: Record<string, number> = {nanoseconds: 1, microseconds: 1e3, milliseconds: 1e6, seconds: 1e9};
/** The schema's other units: weights that are not times. */
const SPEEDSCOPE_OTHER_UNITS = ["none", "bytes"];

export function isSpeedscope(json: unknown): boolean {
  const o = json as Record<string, unknown>;
  return typeof o === "object" && o !== null && (o.$schema === SPEEDSCOPE_SCHEMA || (typeof o.shared === "object" && Array.isArray(o.profiles)));
}

export function importSpeedscope(value: unknown, options: ImportOptions = {}): Profile {
  const source = options.source ?? "<speedscope>";
  const json = new JsonReader(source, SPEEDSCOPE);
  const top = json.object(value, "the top level");
  const shared = json.object(top.shared, "shared");
  const name = json.optionalString(top.name, "name");
  const builder = new ProfileBuilder({source, maxSamples: options.maxSamples, header: {fields: {format: SPEEDSCOPE, ...(name ? {name} : {})}}});
  const frames = json.array(shared.frames, "shared.frames").map((f, i) => {
    const frame = json.object(f, `shared.frames[${i}]`);
    const file = json.optionalString(frame.file, `shared.frames[${i}].file`);
    const line = frame.line === undefined ? undefined : json.integer(frame.line, `shared.frames[${i}].line`);
    const col = frame.col === undefined ? undefined : json.integer(frame.col, `shared.frames[${i}].col`);
    const fn = json.string(frame.name, `shared.frames[${i}].name`);
    // With a line, the name says where (two lambdas of a file stay apart), unless it
    // already does; the file is the frame's module.
    const where = file && line !== undefined && !fn.includes(file) ? ` ${file}:${line}${col !== undefined ? `:${col}` : ""}` : "";
    return builder.frame({name: fn + where, module: file || undefined, kind: file ? "jit" : "user"});
  });
  const event = builder.eventOf("samples");
  json.array(top.profiles, "profiles").forEach((p, k) => {
    const path = `profiles[${k}]`;
    const profile = json.object(p, path);
    const comm = json.optionalString(profile.name, `${path}.name`) || `profile ${k + 1}`;
    const thread = builder.threadOf(-1, k, comm);
    const unit = json.optionalString(profile.unit, `${path}.unit`);
    if (unit !== "" && !(unit in SPEEDSCOPE_UNIT_NS) && !SPEEDSCOPE_OTHER_UNITS.includes(unit)) {
      json.fail(`${path}.unit`, `expected one of ${[...Object.keys(SPEEDSCOPE_UNIT_NS), ...SPEEDSCOPE_OTHER_UNITS].join(", ")}, found ${JSON.stringify(unit)}`);
    }
    const scale = SPEEDSCOPE_UNIT_NS[unit];
    let at = json.number(profile.startValue ?? 0, `${path}.startValue`);
    // A sample 2^53 ns (104 days) or more after the start is a damaged weight, not a
    // recording: taken as a time, it would move the profile's origin away from the rest.
    const start = at;
    const ns = (v: number, where: string, what: string) => {
      if (scale === undefined) return NaN;
      if (!Number.isSafeInteger(Math.round((v - start) * scale))) json.fail(where, `${what} is ${v - start} ${unit} after startValue, past the 2^53 ns (104 days) a profile spans`);
      return Math.round(v * scale);
    };
    if (profile.type === "sampled") {
      const samples = json.array(profile.samples, `${path}.samples`);
      const weights = json.optionalArray(profile.weights, `${path}.weights`);
      if (weights.length !== samples.length) json.fail(`${path}.weights`, `${weights.length} weights for ${samples.length} samples`);
      for (let i = 0; i < samples.length && !builder.stopped; i++) {
        const ids = json.array(samples[i], `${path}.samples[${i}]`);
        const stack = builder.path(comm, ids.map((id, d) => frames[json.index(id, frames.length, `${path}.samples[${i}][${d}]`)]));
        const weight = json.number(weights[i], `${path}.weights[${i}]`);
        builder.sample(ns(at, `${path}.samples[${i}]`, "its time (the sum of the weights before it)"), stack, thread, event, weight);
        at += weight;
      }
    } else if (profile.type === "evented") {
      const open: number[] = [];
      let last = at;
      json.array(profile.events, `${path}.events`).forEach((e, i) => {
        const ev = json.object(e, `${path}.events[${i}]`);
        const time = json.number(ev.at, `${path}.events[${i}].at`);
        const frame = json.index(ev.frame, frames.length, `${path}.events[${i}].frame`);
        if (time < last) json.fail(`${path}.events[${i}].at`, `${time} is before the event before it (${last})`);
        if (open.length > 0 && time > last) builder.sample(ns(last, `${path}.events[${i - 1}].at`, "the time"), builder.path(comm, open.map((f) => frames[f])), thread, event, time - last);
        last = time;
        if (ev.type === "O") open.push(frame);
        else if (ev.type === "C") {
          if (open[open.length - 1] !== frame) json.fail(`${path}.events[${i}]`, `closes frame ${frame}, but the innermost open frame is ${open.length ? open[open.length - 1] : "none"}`);
          open.pop();
        } else json.fail(`${path}.events[${i}].type`, `expected "O" or "C", found ${JSON.stringify(ev.type)}`);
      });
    } else {
      json.fail(`${path}.type`, `expected "sampled" or "evented", found ${JSON.stringify(profile.type)}`);
    }
  });
  return builder.build();
}
