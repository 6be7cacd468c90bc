// Firefox Profiler JSON: the Gecko format (`perf script report gecko`, Firefox's own
// profiler: tables as `{schema, data}` rows, a string table per thread, child
// processes under `processes`) and the processed format (`samply record`, profiles
// saved from profiler.firefox.com: tables as columns, funcTable and strings in
// `stringArray`, per thread or shared). Threads keep their pid, tid and name; times
// are milliseconds since `meta.startTime` (Unix epoch ms), so the heat map's seconds
// have wall-clock labels.
import {ProfileBuilder} from "../builder.js";
import {moduleKind} from "../perf/frames.js";
import {FRAME_KINDS, type Profile} from "../profile.js";
import {NS} from "../time.js";
import {JsonReader} from "./errors.js";
import type {ImportOptions} from "./options.js";

export const GECKO = "Firefox Profiler (Gecko) JSON";

export function isGecko(json: unknown): boolean {
  const o = json as Record<string, unknown>;
  return typeof o === "object" && o !== null && typeof o.meta === "object" && Array.isArray(o.threads);
}

/** A table in either layout: `{schema: {col: index}, data: [[…]]}` or `{col: […], length}`. */
interface Columns {
  length: number;
  column(name: string): unknown[] | undefined;
}

function columns(json: JsonReader, value: unknown, path: string): Columns {
  const table = json.object(value, path);
  if (table.schema !== undefined) {
    const schema = json.object(table.schema, `${path}.schema`);
    const rows = json.array(table.data, `${path}.data`);
    rows.forEach((r, i) => json.array(r, `${path}.data[${i}]`));
    return {
      length: rows.length,
      column: (name) => (schema[name] === undefined ? undefined : rows.map((r) => (r as unknown[])[schema[name] as number] ?? null)),
    };
  }
  const length = table.length === undefined ? undefined : json.integer(table.length, `${path}.length`);
  const first = Object.values(table).find(Array.isArray) as unknown[] | undefined;
  return {length: length ?? first?.length ?? 0, column: (name) => (table[name] === undefined ? undefined : json.array(table[name], `${path}.${name}`))};
}

/** `symbol (in module)`, Gecko's location text for native code. */
function splitLocation(text: string): {name: string; module?: string} {
  const m = /^(.*) \(in (.+)\)$/.exec(text);
  return m ? {name: m[1], module: m[2]} : {name: text};
}

export function importGecko(value: unknown, options: ImportOptions = {}): Profile {
  const source = options.source ?? "<gecko>";
  const json = new JsonReader(source, GECKO);
  const top = json.object(value, "the top level");
  const meta = json.object(top.meta, "meta");
  const startMs = json.number(meta.startTime ?? 0, "meta.startTime");
  const base = Math.floor(startMs / 1000);
  const builder = new ProfileBuilder({
    source,
    maxSamples: options.maxSamples,
    header: {
      fields: {format: GECKO, ...(typeof meta.product === "string" ? {product: meta.product} : {})},
      // The profile's clock is the Unix epoch, so perf time and wall-clock agree.
      referenceTime: {epoch: base, perf: base, text: `meta.startTime ${startMs} ms since the Unix epoch`},
    },
  });
  const sharedStrings = top.shared === undefined ? undefined : json.optionalArray(json.object(top.shared, "shared").stringArray, "shared.stringArray");
  const event = builder.eventOf("samples");
  const addProcess = (process: Record<string, unknown>, path: string, processStartMs: number) => {
    json.array(process.threads, `${path}threads`).forEach((t, k) => addThread(json.object(t, `${path}threads[${k}]`), `${path}threads[${k}]`, processStartMs));
    json.optionalArray(process.processes, `${path}processes`).forEach((p, k) => {
      const child = json.object(p, `${path}processes[${k}]`);
      const childMeta = json.object(child.meta ?? {}, `${path}processes[${k}].meta`);
      addProcess(child, `${path}processes[${k}].`, json.number(childMeta.startTime ?? processStartMs, `${path}processes[${k}].meta.startTime`));
    });
  };
  const addThread = (thread: Record<string, unknown>, path: string, processStartMs: number) => {
    const strings = (thread.stringArray ?? thread.stringTable ?? sharedStrings) as unknown;
    const stringList = json.array(strings, `${path}.stringArray`);
    const text = (i: unknown, where: string) => json.string(stringList[json.index(i, stringList.length, where)], where);
    const comm = json.optionalString(thread.name, `${path}.name`) || `thread ${path}`;
    const id = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? v : typeof v === "string" && /^\d{1,7}$/.test(v) ? Number(v) : -1);
    const threadId = builder.threadOf(id(thread.pid), id(thread.tid), comm);
    const frameTable = columns(json, thread.frameTable, `${path}.frameTable`);
    const stackTable = columns(json, thread.stackTable, `${path}.stackTable`);
    const samples = columns(json, thread.samples, `${path}.samples`);
    // Frames: Gecko's `location` string, or the processed format's func → funcTable.
    const location = frameTable.column("location");
    const func = frameTable.column("func");
    const funcTable = func && thread.funcTable !== undefined ? columns(json, thread.funcTable, `${path}.funcTable`) : undefined;
    const funcName = funcTable?.column("name"), funcFile = funcTable?.column("fileName");
    const frames = new Int32Array(frameTable.length);
    for (let f = 0; f < frameTable.length; f++) {
      let name: string, module: string | undefined;
      if (location) {
        ({name, module} = splitLocation(text(location[f], `${path}.frameTable location of frame ${f}`)));
      } else if (func && funcName) {
        const fn = json.index(func[f], funcTable!.length, `${path}.frameTable.func[${f}]`);
        name = text(funcName[fn], `${path}.funcTable.name[${fn}]`);
        const file = funcFile?.[fn];
        module = file === null || file === undefined ? undefined : text(file, `${path}.funcTable.fileName[${fn}]`);
      } else {
        name = json.fail(`${path}.frameTable`, "has neither a location nor a func column");
      }
      frames[f] = builder.frame({name, module, kind: FRAME_KINDS[moduleKind(module ?? null, name)]});
    }
    // Stacks: prefixes come before the stacks that use them in both layouts.
    const prefix = stackTable.column("prefix") ?? json.fail(`${path}.stackTable`, "has no prefix column");
    const frame = stackTable.column("frame") ?? json.fail(`${path}.stackTable`, "has no frame column");
    const stacks = new Int32Array(stackTable.length);
    const root = builder.root(comm);
    for (let s = 0; s < stackTable.length; s++) {
      const p = prefix[s] === null ? -1 : json.index(prefix[s], s, `${path}.stackTable prefix of stack ${s} (an earlier stack)`);
      stacks[s] = builder.stackOf(p < 0 ? root : stacks[p], frames[json.index(frame[s], frameTable.length, `${path}.stackTable frame of stack ${s}`)]);
    }
    const stack = samples.column("stack") ?? json.fail(`${path}.samples`, "has no stack column");
    const time = samples.column("time"), deltas = samples.column("timeDeltas");
    const weight = samples.column("weight");
    if (!time && !deltas) json.fail(`${path}.samples`, "has neither a time nor a timeDeltas column");
    // Times as ns since the whole second `base`, exact to the nanosecond the
    // millisecond floats carry.
    const offsetMs = processStartMs - base * 1000;
    let ms = 0;
    for (let i = 0; i < samples.length && !builder.stopped; i++) {
      if (stack[i] === null) continue; // Gecko writes null for a sample it could not walk
      const s = stacks[json.index(stack[i], stackTable.length, `${path}.samples stack of sample ${i}`)];
      ms = time ? json.number(time[i], `${path}.samples time of sample ${i}`) : ms + json.number(deltas![i], `${path}.samples.timeDeltas[${i}]`);
      const ns = Math.round((offsetMs + ms) * 1e6);
      const second = Math.floor(ns / NS);
      const w = weight ? json.number(weight[i] ?? 1, `${path}.samples.weight[${i}]`) : 1;
      builder.sampleAt(base + second, ns - second * NS, s, threadId, event, w);
    }
    const nulls = stack.filter((s) => s === null).length;
    if (nulls > 0) builder.note("skipped-sample", `${nulls} samples of thread ${JSON.stringify(comm)} have no stack (null) and were skipped`);
  };
  addProcess(top, "", startMs);
  return builder.build();
}
