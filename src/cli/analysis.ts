// Options shared by the commands that analyse samples (heatmap, flamegraph): the idle
// classifier and the sample filters, parsed into the library's options.
import {DEFAULT_ROWS} from "../lib/heatmap.js";
import {IDLE_MODES, type IdleClassifier} from "../lib/idle.js";
import {checkRows} from "../lib/selection.js";
import type {AnalysisOptions, SampleFilter} from "../lib/filter.js";
import {namePattern, type NamePattern} from "../lib/pattern.js";
import {CliError} from "./common.js";

export const ANALYSIS_OPTIONS = {
  idle: {type: "string"},
  event: {type: "string"},
  pid: {type: "string"},
  tid: {type: "string"},
  comm: {type: "string"},
  cpu: {type: "string"},
  include: {type: "string"},
  exclude: {type: "string"},
} as const;

export const ANALYSIS_HELP = `  --idle MODE    idle samples: default (leaf-aware: idle-loop leaf frames), flamescope
                 (FlameScope's rule), keep (count everything)
  --event NAME   count this event (default: the first in the file)
  --pid LIST     only these processes (comma-separated PIDs)
  --tid LIST     only these threads (comma-separated TIDs)
  --comm RE      only processes whose comm matches
  --cpu LIST     only these CPUs (comma-separated)
  --include RE   only samples with a frame (name or module) matching RE
  --exclude RE   drop samples with a frame matching RE
                 (RE: RE2 syntax, matched in linear time; (?i) ignores case)
`;

function numbers(name: string, text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(",").map((t) => t.trim());
  if (list.some((t) => !/^\d+$/.test(t))) throw new CliError(`--${name} takes comma-separated whole numbers, not ${JSON.stringify(text)}`, 2);
  return list.map(Number);
}

function regex(name: string, text: string | undefined, what: string): NamePattern | undefined {
  if (text === undefined) return undefined;
  try {
    return namePattern(text, what);
  } catch (e) {
    throw new CliError(`--${name}: ${(e as Error).message}`, 2);
  }
}

export function analysisOptions(v: Record<string, string | boolean | undefined>): AnalysisOptions {
  const idle = (v.idle ?? "default") as string;
  if (!(IDLE_MODES as readonly string[]).includes(idle)) throw new CliError(`--idle takes ${IDLE_MODES.join(", ")}, not ${JSON.stringify(idle)}`, 2);
  const filter: SampleFilter = {};
  if (typeof v.event === "string") filter.event = v.event;
  filter.pid = numbers("pid", v.pid as string | undefined);
  filter.tid = numbers("tid", v.tid as string | undefined);
  filter.cpu = numbers("cpu", v.cpu as string | undefined);
  filter.comm = regex("comm", v.comm as string | undefined, "comm");
  filter.include = regex("include", v.include as string | undefined, "frame");
  filter.exclude = regex("exclude", v.exclude as string | undefined, "frame");
  for (const k of Object.keys(filter) as (keyof SampleFilter)[]) if (filter[k] === undefined) delete filter[k];
  return {idle: idle as IdleClassifier, filter};
}

export function rowsOption(text: string | boolean | undefined): number {
  if (text === undefined) return DEFAULT_ROWS;
  const rows = Number(text);
  try {
    checkRows(rows);
  } catch (e) {
    throw new CliError(`--rows: ${(e as Error).message.replace(/, not .*/, "")}, not ${JSON.stringify(text)}`, 2);
  }
  return rows;
}
