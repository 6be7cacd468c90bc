import {findAnnotation} from "../lib/annotations.js";
import {foldedText} from "../lib/collapse.js";
import {diffTrees, elidedTree} from "../lib/diff.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {callTree, describeTransform, parseTransforms, sandwich, threadTrees, type CallTreeOptions, type CallTreeTransform} from "../lib/calltree.js";
import {flameNodeJson, topFunctions, walkTree, type FlameNode, type FlameTree} from "../lib/flametree.js";
import type {Profile} from "../lib/profile.js";
import {sampleView, type SampleView} from "../lib/view.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {flameGraphPanelsSvg, flameGraphSvg, frameLabel} from "../lib/render/flamegraph.js";
import {cellBlock, describeSelection, MAX_SELECTION_SECONDS, parseSelection, timeRange, type Selection, type SelectionPart} from "../lib/selection.js";
import {ANALYSIS_HELP, ANALYSIS_OPTIONS, analysisOptions, rowsOption} from "./analysis.js";
import {NS, parsePeriod} from "../lib/time.js";
import {formatCount} from "../lib/format.js";
import {loadTracks, TRACK_HELP, TRACK_OPTIONS, trackPaths} from "./tracks.js";
import {conditionSelection, conditionText, parseCondition, type Condition} from "../lib/timeline/when.js";
import {CliError, loadProfile, OUTPUT_OPTIONS, outputFormat, outputTarget, profileInputs, writeOutput, type Command} from "./common.js";

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
  --period P           the period of the folded heat map --cells refers to (10ms to
                       1h: 500ms, 15m; default 1s): S0..S1 are then periods, and
                       the buckets offsets within every one of them
  --select TEXT        a selection's text form (as in the report site's links), e.g.
                       t12.5_14 or c3_40x10_12r50, parts joined by ~
  --annotation LABEL   the profile's annotation with this label
  --when COND          where a --track metric meets COND: SERIES>VALUE (or <, >=, <=),
                       SERIES>p90 (a percentile), 'SERIES top 10%' or 'SERIES bottom
                       10%'; each point covers the time to the next one. With
                       --vs rest: against the rest of the profile

comparison:
  --vs SELECTION       differential: this flame graph (A) against SELECTION (B): a text
                       form, FROM-TO in seconds, "all", or "rest" (with --when). Red: A has more; blue: less,
                       B scaled by total(A)/total(B)
  --vs-profile FILE    compare against another profile (with --vs, its selection)
  --elided             instead of the differential, what B has that A lacks

call-tree views (the report site's, and the library's callTree):
  --transform TEXT     transforms applied in order, joined by ~ (the site's tf= text):
                       ff-NAME focus on a function (from its outermost call),
                       fs-A,B,C focus on the subtree comm A → B → C, mf-NAME merge a
                       function into its callers, df-NAME drop samples with a function,
                       rec-NAME collapse recursion, drec-NAME only direct recursion,
                       cm-MODULE collapse a library (path or file name) into one frame;
                       names percent-encoded where they hold ~ , % or other characters
  --invert             the inverted (bottom-up) tree: innermost functions at the root
  --sandwich NAME      the callers (above) and callees (below) of a function
  --threads N          one flame graph for each of the N busiest threads

output:
  --format F           svg (default), folded (stackcollapse-perf.pl's names), json, top
  --order O            children order: name (default, as flamegraph.pl) or total
                       (left-heavy: the heaviest first)
  --width PX           SVG width (default 1200)
  --icicle             root at the top
  --title TEXT         SVG title
${TRACK_HELP}${ANALYSIS_HELP}  -o, --output F       write to F instead of standard output: a new file (never
                       an input or its sidecar); an existing one only with --force
      --force          replace F when it exists
  -h, --help           this help
`,
  options: {
    from: {type: "string"},
    to: {type: "string"},
    cells: {type: "string"},
    rows: {type: "string"},
    period: {type: "string"},
    select: {type: "string"},
    annotation: {type: "string"},
    vs: {type: "string"},
    "vs-profile": {type: "string"},
    elided: {type: "boolean"},
    transform: {type: "string"},
    invert: {type: "boolean"},
    sandwich: {type: "string"},
    threads: {type: "string"},
    format: {type: "string"},
    order: {type: "string"},
    width: {type: "string"},
    icicle: {type: "boolean"},
    title: {type: "string"},
    when: {type: "string"},
    ...TRACK_OPTIONS,
    ...ANALYSIS_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("flamegraph takes one input file", 2);
    const out = outputTarget(v, [...profileInputs(positionals[0]), ...profileInputs(v["vs-profile"] as string | undefined), ...trackPaths(v)]);
    const format = outputFormat(v.format, out.path, ["svg", "folded", "json", "top"], {".json": "json", ".folded": "folded", ".txt": "folded"});
    const order = (v.order as string | undefined) ?? "name";
    if (order !== "name" && order !== "total") throw new CliError("--order takes name or total", 2);
    const width = v.width === undefined ? 1200 : Number(v.width);
    if (!Number.isFinite(width) || width < 100) throw new CliError("--width takes a number of pixels ≥ 100", 2);
    const comparing = v.vs !== undefined || v["vs-profile"] !== undefined;
    if (v.elided && !comparing) throw new CliError("--elided needs --vs or --vs-profile", 2);
    if (comparing && format === "folded") throw new CliError("folded output is for one selection, not a comparison (use svg, json or top)", 2);
    const options = analysisOptions(v);
    const requested = selectionOptions(v);
    const callView = callTreeOptions(v, order);
    const {tree: treeOptions} = callView;
    if (callView.kind !== "tree" && comparing) throw new CliError(`--${callView.kind} is for one selection, not a comparison`, 2);
    if (format === "folded" && (treeOptions.invert || callView.kind !== "tree")) throw new CliError("folded output is of stacks: not with --invert, --sandwich or --threads (use svg, json or top)", 2);

    let condition: Condition | null = null;
    if (v.when !== undefined) {
      try {
        condition = parseCondition(String(v.when));
      } catch (e) {
        throw new CliError(`--when: ${(e as Error).message}`, 2);
      }
      if (requested.parts.length || requested.annotation !== undefined) throw new CliError("--when is the selection: not with --from, --to, --cells, --select or --annotation", 2);
      if (v.track === undefined) throw new CliError("--when needs the --track that has its series", 2);
      if (v["vs-profile"] !== undefined) throw new CliError("--when compares within one profile: not with --vs-profile", 2);
    } else if (v.vs === "rest") throw new CliError("--vs rest is the rest of a --when selection: give --when", 2);

    const profile = await loadProfile(positionals[0]);
    let selection = resolveSelection(profile, requested);
    let rest: Selection = null;
    let whenText = "";
    if (condition) {
      const tracks = loadTracks(v, profile);
      let c;
      try {
        c = conditionSelection(profile, tracks, condition);
      } catch (e) {
        throw new CliError(escapeTerminal((e as Error).message));
      }
      if (c.matching.length === 0) throw new CliError(escapeTerminal(`--when ${v.when}: no point of ${c.series} meets it within the profile (threshold ${c.threshold})`));
      selection = c.matching;
      rest = c.rest;
      whenText = conditionText(condition, c);
    }
    const describe = (s: Selection) => (whenText && s === selection ? whenText : whenText && s === rest ? "the rest" : describeSelection(s));
    const view = viewOrFail(profile, selection, options);
    const event = view.eventName;
    const about = (tree: FlameTree) => `${describe(selection)}: ${formatCount(tree.samples)} samples${event ? ` of ${event}` : ""}${transformsText(treeOptions.transforms)}`;
    if (callView.kind === "sandwich") {
      const name = functionNamed(profile, callTree(view, treeOptions), callView.name);
      return writeOutput(sandwichOutput(profile, name, sandwich(view, name, treeOptions), {format, width, about, selection, title: v.title as string | undefined}), out);
    }
    if (callView.kind === "threads") return writeOutput(threadsOutput(profile, threadTrees(view, {...treeOptions, limit: callView.limit}), {format, width, about, selection, title: v.title as string | undefined, icicle: !!v.icicle}), out);
    const tree = callTree(view, treeOptions);
    let shown = tree;
    let subtitle = about(tree);
    if (comparing) {
      const other = v["vs-profile"] === undefined ? profile : await loadProfile(v["vs-profile"] as string);
      const vsSelection = v.vs === undefined ? null : v.vs === "rest" ? rest : vsSelectionOf(other, v.vs as string);
      const b = callTree(viewOrFail(other, vsSelection, options), treeOptions);
      if (b.samples === 0) throw new CliError(`the comparison selection (${describe(vsSelection)}) has no samples`);
      shown = v.elided ? elidedTree(tree, b, order) : diffTrees(tree, b);
      const bName = `${other === profile ? "" : `${other.source} `}${describe(vsSelection)} (${formatCount(b.samples)} samples)`;
      subtitle = v.elided ? `in ${bName} but not in ${describe(selection)}, scaled` : `${subtitle} vs ${bName}: red grew, blue shrank`;
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
      writeOutput(treeOptions.transforms?.length ? foldedTreeText(tree) : foldedText(view), out);
    }
  },
};

type CallTreeView = {tree: CallTreeOptions} & ({kind: "tree"} | {kind: "sandwich"; name: string} | {kind: "threads"; limit: number});

/** The call-tree options, checked before any input is read. */
function callTreeOptions(v: Record<string, string | boolean | undefined>, order: "name" | "total"): CallTreeView {
  let transforms: CallTreeTransform[] = [];
  try {
    transforms = parseTransforms(String(v.transform ?? ""));
  } catch (e) {
    throw new CliError(`--transform: ${(e as Error).message}`, 2);
  }
  const tree: CallTreeOptions = {order, transforms, invert: !!v.invert};
  if (v.sandwich !== undefined && v.threads !== undefined) throw new CliError("--sandwich and --threads are two views: take one", 2);
  if (v.sandwich !== undefined) {
    if (v.invert) throw new CliError("--sandwich shows the callers already: not with --invert", 2);
    if (String(v.sandwich) === "") throw new CliError("--sandwich takes a function name", 2);
    return {tree, kind: "sandwich", name: String(v.sandwich)};
  }
  if (v.threads !== undefined) {
    const limit = Number(v.threads);
    if (!/^\d+$/.test(String(v.threads)) || limit < 1 || limit > 1000) throw new CliError(`--threads takes a whole number from 1 to 1000, not ${JSON.stringify(v.threads)}`, 2);
    return {tree, kind: "threads", limit};
  }
  return {tree, kind: "tree"};
}

function transformsText(transforms: readonly CallTreeTransform[] | undefined): string {
  return transforms?.length ? `; ${transforms.map(describeTransform).join(", then ")}` : "";
}

/** Folded stacks of a transformed tree: each node's path and its self samples. */
function foldedTreeText(tree: FlameTree): string {
  const lines: string[] = [];
  walkTree(tree.root, (node, _depth, path) => {
    if (node.self > 0) lines.push(`${[...path.slice(1), node].map((n) => n.name).join(";")} ${node.self}`);
  });
  return lines.map((l) => `${l}\n`).join("");
}

interface ViewOutputOptions {
  format: string;
  width: number;
  about: (tree: FlameTree) => string;
  selection: Selection;
  title?: string;
}

function treeJson(tree: FlameTree): string {
  return `{"samples":${tree.samples},"weight":${tree.weight},"root":${flameNodeJson(tree.root)}}`;
}

/** The function a --sandwich name means: that name, else the one function of the
 * selection whose name contains it (JIT names carry their file and line). */
function functionNamed(profile: Profile, tree: FlameTree, text: string): string {
  const names = [...new Set(topFunctions(tree, {by: "total", limit: Infinity}).map((r) => r.name))];
  if (names.includes(text)) return text;
  const near = names.filter((n) => n.includes(text));
  if (near.length === 1) return near[0];
  const listed = near.slice(0, 5).map((n) => escapeTerminal(JSON.stringify(n))).join(", ");
  throw new CliError(`${profile.source}: no function of the selection is named ${escapeTerminal(JSON.stringify(text))}${near.length ? `; ${near.length} contain it: ${listed}${near.length > 5 ? " …" : ""}` : ""}`);
}

function sandwichOutput(profile: Profile, name: string, {callers, callees}: ReturnType<typeof sandwich>, o: ViewOutputOptions): string {
  if (o.format === "svg") {
    return flameGraphPanelsSvg(
      [
        {tree: callers, title: `callers of ${name}`, orientation: "flame"},
        {tree: callees, title: `callees of ${name}`, orientation: "icicle"},
      ],
      {title: o.title ?? `${profile.source}: ${name}`, subtitle: o.about(callees), width: o.width, interactive: true},
    );
  }
  if (o.format === "json") {
    const head = JSON.stringify({source: profile.source, selection: describeSelection(o.selection), function: name});
    return `${head.slice(0, -1)},"callers":${treeJson(callers)},"callees":${treeJson(callees)}}\n`;
  }
  const pct = (n: number) => `${((n / callees.samples) * 100).toFixed(1)}%`;
  const lines = [escapeTerminal(o.about(callees)), "", `callers of ${escapeTerminal(name)}`];
  // The callers tree's top level is the function (its functions of that name).
  const direct = new Map<string, number>();
  for (const fn of callers.root.children) for (const c of fn.children) direct.set(frameLabel(c), (direct.get(frameLabel(c)) ?? 0) + c.total);
  for (const [caller, n] of [...direct].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${formatCount(n).padStart(9)}  ${pct(n).padStart(6)}  ${escapeTerminal(caller)}`);
  return `${lines.join("\n")}\n\n${topText(callees, `callees of ${name}`)}`;
}

function threadsOutput(profile: Profile, rows: ReturnType<typeof threadTrees>, o: ViewOutputOptions & {icicle: boolean}): string {
  if (rows.length === 0) throw new CliError(`${profile.source}: the selection (${describeSelection(o.selection)}) has no samples`);
  const label = (r: (typeof rows)[number]) => `${r.comm} ${r.pid < 0 ? "?" : r.pid}/${r.tid}: ${formatCount(r.samples)} samples`;
  if (o.format === "svg") {
    const total = rows.reduce((n, r) => n + r.samples, 0);
    return flameGraphPanelsSvg(
      rows.map((r) => ({tree: r.tree, title: label(r), orientation: o.icicle ? "icicle" : "flame"})),
      {title: o.title ?? `${profile.source}: the ${rows.length} busiest threads`, subtitle: `${describeSelection(o.selection)}: ${formatCount(total)} samples in these threads`, width: o.width, interactive: true},
    );
  }
  if (o.format === "json") {
    const head = JSON.stringify({source: profile.source, selection: describeSelection(o.selection)});
    const threads = rows.map((r) => `${JSON.stringify({pid: r.pid, tid: r.tid, comm: r.comm}).slice(0, -1)},${treeJson(r.tree).slice(1)}`);
    return `${head.slice(0, -1)},"threads":[${threads.join(",")}]}\n`;
  }
  return rows.map((r) => topText(r.tree, label(r))).join("\n");
}

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

/** --period as ns (default one second), checked before any input is read. */
function periodArgument(text: string | boolean | undefined): number {
  if (text === undefined) return NS;
  try {
    return parsePeriod(String(text));
  } catch (e) {
    throw new CliError(`--period: ${(e as Error).message}`, 2);
  }
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
      parts.push(cellBlock(+m[1], +m[2], +m[3], +m[4], rowsOption(v.rows), periodArgument(v.period)));
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
