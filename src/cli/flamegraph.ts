import {findAnnotation} from "../lib/annotations.js";
import {foldedText} from "../lib/collapse.js";
import {diffTrees, elidedTree} from "../lib/diff.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {flameNodeJson, flameTree, topFunctions, walkTree, type FlameNode, type FlameTree} from "../lib/flametree.js";
import type {Profile} from "../lib/profile.js";
import {sampleView, type SampleView} from "../lib/view.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {flameGraphSvg} from "../lib/render/flamegraph.js";
import {cellBlock, describeSelection, MAX_SELECTION_SECONDS, parseSelection, timeRange, type Selection, type SelectionPart} from "../lib/selection.js";
import {ANALYSIS_HELP, ANALYSIS_OPTIONS, analysisOptions, rowsOption} from "./analysis.js";
import {formatCount} from "../lib/format.js";
import {CliError, loadProfile, outputFormat, writeOutput, type Command} from "./common.js";

export const flamegraphCommand: Command = {
  name: "flamegraph",
  summary: "the flame graph of a time selection (or a differential of two) as SVG, folded, JSON or a top list",
  help: `usage: subsecond flamegraph [options] FILE

The flame graph of the samples in a selection (default: the whole profile). Times are
seconds since the profile's origin: the heat map's x axis (\`subsecond info\`
prints the origin). Several selections make a union.

selection:
  --from S --to S      the time range [S, S) (either may be left out)
  --cells S0:S1,B0:B1  seconds S0..S1 x buckets B0..B1 of a heat map with --rows rows
  --rows N             rows of the heat map --cells refers to (default 50)
  --select TEXT        a selection's text form (as in the report site's links), e.g.
                       t12.5_14 or c3_40x10_12r50, parts joined by ~
  --annotation LABEL   the profile's annotation with this label

comparison:
  --vs SELECTION       differential: this flame graph (A) against SELECTION (B): a text
                       form, FROM-TO in seconds, or "all". Red: A has more; blue: less,
                       B scaled by total(A)/total(B)
  --vs-profile FILE    compare against another profile (with --vs, its selection)
  --elided             instead of the differential, what B has that A lacks

output:
  --format F           svg (default), folded (stackcollapse-perf.pl's names), json, top
  --order O            children order: name (default, as flamegraph.pl) or total
  --width PX           SVG width (default 1200)
  --icicle             root at the top
  --title TEXT         SVG title
${ANALYSIS_HELP}  -o, --output F       write to F instead of standard output
  -h, --help           this help
`,
  options: {
    from: {type: "string"},
    to: {type: "string"},
    cells: {type: "string"},
    rows: {type: "string"},
    select: {type: "string"},
    annotation: {type: "string"},
    vs: {type: "string"},
    "vs-profile": {type: "string"},
    elided: {type: "boolean"},
    format: {type: "string"},
    order: {type: "string"},
    width: {type: "string"},
    icicle: {type: "boolean"},
    title: {type: "string"},
    ...ANALYSIS_OPTIONS,
    output: {type: "string", short: "o"},
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("flamegraph takes one input file", 2);
    const out = v.output as string | undefined;
    const format = outputFormat(v.format, out, ["svg", "folded", "json", "top"], {".json": "json", ".folded": "folded", ".txt": "folded"});
    const order = (v.order as string | undefined) ?? "name";
    if (order !== "name" && order !== "total") throw new CliError("--order takes name or total", 2);
    const width = v.width === undefined ? 1200 : Number(v.width);
    if (!Number.isFinite(width) || width < 100) throw new CliError("--width takes a number of pixels ≥ 100", 2);
    const comparing = v.vs !== undefined || v["vs-profile"] !== undefined;
    if (v.elided && !comparing) throw new CliError("--elided needs --vs or --vs-profile", 2);
    if (comparing && format === "folded") throw new CliError("folded output is for one selection, not a comparison (use svg, json or top)", 2);
    const options = analysisOptions(v);
    const requested = selectionOptions(v);

    const profile = await loadProfile(positionals[0]);
    const selection = resolveSelection(profile, requested);
    const view = viewOrFail(profile, selection, options);
    const tree = flameTree(view, {order});
    const event = view.eventName;
    let shown = tree;
    let subtitle = `${describeSelection(selection)}: ${formatCount(tree.samples)} samples${event ? ` of ${event}` : ""}`;
    if (comparing) {
      const other = v["vs-profile"] === undefined ? profile : await loadProfile(v["vs-profile"] as string);
      const vsSelection = v.vs === undefined ? null : vsSelectionOf(other, v.vs as string);
      const b = flameTree(viewOrFail(other, vsSelection, options), {order});
      if (b.samples === 0) throw new CliError(`the comparison selection (${describeSelection(vsSelection)}) has no samples`);
      shown = v.elided ? elidedTree(tree, b, order) : diffTrees(tree, b);
      const bName = `${other === profile ? "" : `${other.source} `}${describeSelection(vsSelection)} (${formatCount(b.samples)} samples)`;
      subtitle = v.elided ? `in ${bName} but not in ${describeSelection(selection)}, scaled` : `${subtitle} vs ${bName}: red grew, blue shrank`;
    }

    if (format === "svg") {
      const title = (v.title as string | undefined) ?? `${profile.source}${comparing ? (v.elided ? ": elided" : ": differential") : ""}`;
      writeOutput(flameGraphSvg(shown, {title, subtitle, width, differential: comparing && !v.elided, orientation: v.icicle ? "icicle" : "flame", interactive: true}), out);
    } else if (format === "json") {
      const head = JSON.stringify({source: profile.source, selection: describeSelection(selection), samples: shown.samples, weight: shown.weight});
      writeOutput(`${head.slice(0, -1)},"root":${flameNodeJson(shown.root)}}\n`, out);
    } else if (format === "top") {
      writeOutput(topText(shown, subtitle), out);
    } else {
      writeOutput(foldedText(view), out);
    }
  },
};

/** The view of a selection with the command's filter; a filter the profile cannot
 * satisfy (an unknown event, pid, comm …) fails naming the file. */
export function viewOrFail(profile: Profile, selection: Selection, options: AnalysisOptions): SampleView {
  try {
    return sampleView(profile, selection, options);
  } catch (e) {
    throw new CliError(`${profile.source}: ${(e as Error).message}`);
  }
}

function seconds(name: string, text: string | boolean | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (typeof text !== "string" || text.trim() === "" || !Number.isFinite(n)) throw new CliError(`--${name} takes seconds since the origin, not ${JSON.stringify(text)}`, 2);
  return n;
}

export interface RequestedSelection {
  parts: SelectionPart[];
  /** --from/--to were given: the profile needs timestamps. */
  timed: boolean;
  annotation?: string;
}

/** The selection options, checked before any input is read. */
function selectionOptions(v: Record<string, string | boolean | undefined>): RequestedSelection {
  const parts: SelectionPart[] = [];
  const from = seconds("from", v.from), to = seconds("to", v.to);
  const timed = from !== undefined || to !== undefined;
  if (timed) {
    try {
      parts.push(timeRange(from ?? 0, to ?? MAX_SELECTION_SECONDS));
    } catch (e) {
      throw new CliError(`--${from !== undefined && Math.abs(from) > MAX_SELECTION_SECONDS ? "from" : "to"}: ${(e as Error).message}`, 2);
    }
  }
  if (v.cells !== undefined) {
    const m = /^(\d+):(\d+),(\d+):(\d+)$/.exec(String(v.cells));
    if (!m) throw new CliError(`--cells takes S0:S1,B0:B1 (seconds, buckets), not ${JSON.stringify(v.cells)}`, 2);
    try {
      parts.push(cellBlock(+m[1], +m[2], +m[3], +m[4], rowsOption(v.rows)));
    } catch (e) {
      throw new CliError(`--cells: ${(e as Error).message}`, 2);
    }
  }
  if (v.select !== undefined) {
    try {
      parts.push(...(parseSelection(String(v.select)) ?? []));
    } catch (e) {
      throw new CliError(`--select: ${(e as Error).message}`, 2);
    }
  }
  return {parts, timed, annotation: v.annotation === undefined ? undefined : String(v.annotation)};
}

export function resolveSelection(profile: Profile, requested: RequestedSelection): Selection {
  if (requested.timed && profile.origin === null) throw new CliError(`${profile.source} has no timestamps: --from/--to need \`perf script -F +time\``);
  const parts = [...requested.parts];
  if (requested.annotation !== undefined) {
    try {
      parts.push(...findAnnotation(profile, requested.annotation).parts);
    } catch (e) {
      throw new CliError(`${profile.source}: ${(e as Error).message}`);
    }
  }
  return parts.length ? parts : null;
}

function vsSelectionOf(profile: Profile, text: string): Selection {
  const m = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(text);
  if (m) {
    try {
      return [timeRange(+m[1], +m[2])];
    } catch (e) {
      throw new CliError(`--vs: ${(e as Error).message}`, 2);
    }
  }
  try {
    return parseSelection(text);
  } catch {
    try {
      return findAnnotation(profile, text).parts;
    } catch {
      throw new CliError(`--vs takes a selection (t12_14, c3_40x10_12r50), FROM-TO seconds, "all" or an annotation label, not ${JSON.stringify(text)}`, 2);
    }
  }
}

function topText(tree: FlameTree, heading: string): string {
  const label = (r: {name: string; module: string}) => escapeTerminal(`${r.name || "(no symbol)"}${r.module ? `  (${r.module})` : ""}`);
  const pct = (n: number) => (tree.samples > 0 ? `${((n / tree.samples) * 100).toFixed(1)}%` : "-");
  const lines = [escapeTerminal(heading), ""];
  for (const by of ["self", "total"] as const) {
    lines.push(`top functions by ${by}`);
    for (const r of topFunctions(tree, {by, limit: 15})) lines.push(`  ${formatCount(r[by]).padStart(9)}  ${pct(r[by]).padStart(6)}  ${label(r)}`);
    lines.push("");
  }
  if (tree.root.delta) {
    const changes: FlameNode[] = [];
    walkTree(tree.root, (n) => { if (n.delta && n.delta.self !== 0) changes.push(n); });
    changes.sort((a, b) => Math.abs(b.delta!.self) - Math.abs(a.delta!.self));
    lines.push("largest changes in self samples (A − scaled B)");
    for (const n of changes.slice(0, 15)) lines.push(`  ${(n.delta!.self > 0 ? "+" : "") + n.delta!.self.toFixed(1)}`.padEnd(12) + `  ${label(n)}`);
    lines.push("");
  }
  return lines.join("\n");
}
