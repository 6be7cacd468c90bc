// `subsecond store`: many captures as one Parquet dataset (src/node/store/), queried
// with DuckDB. DuckDB is a native module: loaded only when this command runs.
import {diffTrees} from "../lib/diff.js";
import {flameNodeJson} from "../lib/flametree.js";
import {formatCount, formatWallClockRange} from "../lib/format.js";
import {flameGraphSvg} from "../lib/render/flamegraph.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {DEFAULT_MIN_CONFIDENCE, PATTERN_KINDS} from "../lib/patterns/index.js";
import {checkOut} from "./report-out.js";
import {runSite, siteScript, STRICT_STATUS} from "./report.js";
import {copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, dirname, join, resolve} from "node:path";
import {rowsOption} from "./analysis.js";
import {CliError, loadProfile, OUTPUT_OPTIONS, outputFormat, outputTarget, writeOutput, type Command} from "./common.js";

/** One cell of a tab-separated table for a terminal: a file name or label may hold
 * escape sequences, tabs or newlines, which would act on the terminal or make rows. */
function tsvCell(value: unknown): string {
  return escapeTerminal(String(value)).replace(/[\t\n]/g, (c) => (c === "\t" ? "\\t" : "\\n"));
}

export const storeCommand: Command = {
  name: "store",
  summary: "a profile store: many captures as one Parquet dataset (add, list, heatmap), queried with DuckDB",
  help: `usage: subsecond store add FILE… --store DIR [--host NAME] [--label K=V]…
       subsecond store list --store DIR [--json]
       subsecond store heatmap --store DIR [options]
       subsecond store heatmap --store DIR --by-host --rank KIND [options]
       subsecond store patterns --store DIR [--kind LIST] [--min-confidence X] [--json]
       subsecond store flamegraph --store DIR [--from T --to T] [--vs-host H | --vs-from T --vs-to T]
       subsecond store report --store DIR --out OUT

add      parses each capture once into the store's Parquet dataset (samples partitioned
         by host and date; stacks and frames content-addressed, so a stack shared by
         many captures is stored once). A capture already in the store (same content
         hash) is skipped with a message. A new DIR is made with a marker file
         (subsecond-store.json); a folder without one that is not empty is refused.
list     the captures in the store: id, host, start, seconds, samples, labels.
heatmap  the fleet heat map: samples (not idle) of the chosen captures summed per cell.
patterns the pattern detectors' instances in every capture (found at add time, as
         \`subsecond patterns\` finds them): host, capture, kind, confidence, label, and
         the wall-clock time of the occurrences; which hosts show which pattern when.
report   a static report site in OUT: the report \`subsecond report\` builds of the
         captures' files (those still where they were added from), plus store.html
         (the captures on a wall-clock timeline per host, each linked to its profile
         page) and fleet.html (the fleet heat map, and one strip per host).
flamegraph  the flame graph of a selection across captures (--host, --profile, --from
         and --to); with --vs-host or --vs-from/--vs-to, the differential of it against
         the same selection on other hosts or at another time (red grew, blue shrank).

options:
  --store DIR      the store folder (required)
  --host NAME      add: the host of these captures (default: the header's hostname);
                   heatmap: only this host (repeatable)
  --label K=V      add: a label of these captures (repeatable)
  --start TIME     add: wall-clock time (ISO 8601) of the origin, for captures whose
                   header has no reference time
  --profile ID     heatmap: only this capture (repeatable; ids from store list)
  --axis A         heatmap: wall (default: x = wall-clock seconds) or capture (x =
                   seconds since each capture's origin, captures aligned at their starts)
  --period S       heatmap: x = the second within a period of S seconds (wall clock),
                   every period summed (a pattern "every 15 minutes": --period 900)
  --from T, --to T  flamegraph: the range [T, T'): ISO 8601 wall-clock times, or seconds
                   since each capture's origin with --axis capture
  --vs-host NAME   flamegraph: compare with this host (repeatable)
  --vs-from T, --vs-to T  flamegraph: compare with this range
  --by-host        heatmap: one heat map per host, stacked
  --rank KIND      heatmap --by-host: hosts ordered by their strongest instance of
                   this pattern kind (hosts without one last)
  --kind LIST      patterns: only these kinds (comma-separated)
  --min-confidence X  patterns: only instances of at least X (${DEFAULT_MIN_CONFIDENCE}..1, default
                   ${DEFAULT_MIN_CONFIDENCE}: the store keeps what \`subsecond patterns\` reports)
  --rows N         heatmap: buckets per second (default 50)
  --format F       heatmap, flamegraph: svg (default), json; list: text (default), json
  --json           list, patterns: JSON lines
      --out OUT    report: where to write the site (as for subsecond report)
  -o, --output F   write to F: a new file; an existing one only with --force
      --force      replace F when it exists
  -h, --help       this help
`,
  options: {
    store: {type: "string"},
    host: {type: "string", multiple: true},
    label: {type: "string", multiple: true},
    start: {type: "string"},
    profile: {type: "string", multiple: true},
    axis: {type: "string"},
    period: {type: "string"},
    rows: {type: "string"},
    from: {type: "string"},
    to: {type: "string"},
    "vs-host": {type: "string", multiple: true},
    "vs-from": {type: "string"},
    "vs-to": {type: "string"},
    format: {type: "string"},
    json: {type: "boolean"},
    "by-host": {type: "boolean"},
    rank: {type: "string"},
    kind: {type: "string"},
    "min-confidence": {type: "string"},
    out: {type: "string"},
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals) {
    const [action, ...files] = positionals;
    const values = v as Record<string, string | boolean | string[] | undefined>;
    const dir = values.store as string | undefined;
    if (!["add", "list", "heatmap", "flamegraph", "patterns", "report"].includes(action ?? "")) throw new CliError("store takes add, list, heatmap, flamegraph, patterns or report (see subsecond store --help)", 2);
    if (dir === undefined) throw new CliError("--store DIR is required", 2);
    const {ProfileStore, StoreError, rangeEndNs} = await import("../node/store/store.js");
    const hosts = (values.host as string[] | undefined) ?? [];
    let store;
    try {
      store = await ProfileStore.open(dir, {create: action === "add"});
    } catch (e) {
      if (e instanceof StoreError) throw new CliError(e.message);
      throw e;
    }
    try {
      if (action === "add") {
        if (files.length === 0) throw new CliError("store add takes one or more capture files", 2);
        if (hosts.length > 1) throw new CliError("store add takes one --host", 2);
        const labels: Record<string, string> = {};
        for (const l of (values.label as string[] | undefined) ?? []) {
          const eq = l.indexOf("=");
          if (eq <= 0) throw new CliError(`--label takes KEY=VALUE, not ${JSON.stringify(l)}`, 2);
          labels[l.slice(0, eq)] = l.slice(eq + 1);
        }
        let originWallClockMs: number | undefined;
        if (values.start !== undefined) {
          originWallClockMs = Date.parse(values.start as string);
          if (Number.isNaN(originWallClockMs)) throw new CliError(`--start takes an ISO 8601 time, not ${JSON.stringify(values.start)}`, 2);
        }
        for (const file of files) {
          const r = await storeCall(() => store.addFile(file, (path) => loadProfile(path), {host: hosts[0], labels, originWallClockMs}), StoreError);
          process.stderr.write(r.added
            ? `subsecond store: ${escapeTerminal(file)}: added as ${r.profile} (${r.samples} samples, ${r.newStacks} new stacks)\n`
            : `subsecond store: ${escapeTerminal(file)}: already in the store (same content), skipped\n`);
        }
        return;
      }
      if (action === "report") {
        if (typeof values.out !== "string") throw new CliError("store report takes --out OUT", 2);
        return await storeReport(store, values.out);
      }
      const out = outputTarget(v as Record<string, string | boolean | undefined>);
      if (action === "list") {
        const rows = await store.list();
        const json = (r: Record<string, unknown>) => JSON.stringify(r, (_k, x) => (typeof x === "bigint" ? Number(x) : x instanceof Date ? x.toISOString() : x));
        if (values.json || values.format === "json") return writeOutput(rows.map((r) => json(r) + "\n").join(""), out);
        const lines = rows.map((r) => [r.profile, r.host, r.start instanceof Date ? r.start.toISOString() : "-", Number(r.seconds ?? 0).toFixed(1), String(r.samples), r.source, r.labels].map(tsvCell).join("\t"));
        return writeOutput(["profile\thost\tstart\tseconds\tsamples\tsource\tlabels", ...lines].join("\n") + "\n", out);
      }
      if (action === "patterns") {
        const minText = values["min-confidence"] as string | undefined;
        const minConfidence = minText === undefined ? DEFAULT_MIN_CONFIDENCE : Number(minText);
        if (minText !== undefined && !(/^\d*\.?\d+$/.test(minText) && minConfidence <= 1)) throw new CliError(`--min-confidence takes a number from 0 to 1, not ${JSON.stringify(minText)}`, 2);
        const kinds = typeof values.kind === "string" ? values.kind.split(",").map((k) => patternKind(k.trim(), "--kind")) : undefined;
        let found;
        try {
          found = await store.patterns({kinds, minConfidence, hosts});
        } catch (e) {
          if (e instanceof StoreError) throw new CliError(e.message, 2);
          throw e;
        }
        if (values.json || values.format === "json") {
          return writeOutput(found.map((p) => JSON.stringify({profile: p.profile, host: p.host, source: p.source, start: p.start?.toISOString() ?? null, first: p.first?.toISOString() ?? null, ...p.instance}) + "\n").join(""), out);
        }
        const lines = found.map((p) => [p.host, p.profile, p.start?.toISOString() ?? "-", p.instance.kind, p.instance.confidence.toFixed(2), p.instance.occurrences.length,
          p.first?.toISOString() ?? "-", occurrencesText(p.instance.occurrences, p.start), p.instance.label].map(tsvCell).join("\t"));
        return writeOutput(["host\tprofile\tcapture start\tkind\tconfidence\toccurrences\tfirst\twhen (wall clock)\tlabel", ...lines].join("\n") + "\n", out);
      }
      const format = outputFormat(values.format as string | undefined, out.path, ["svg", "json"], {".json": "json"});
      const axis = (values.axis as string | undefined) ?? "wall";
      if (axis !== "wall" && axis !== "capture") throw new CliError("--axis takes wall or capture", 2);
      if (action === "flamegraph") {
        const range = (fromText: unknown, toText: unknown, what: string) => {
          if (fromText === undefined && toText === undefined) return undefined;
          if (fromText === undefined || toText === undefined) throw new CliError(`${what} takes both ends`, 2);
          const ns = (t: string): bigint => {
            const end = rangeEndNs(t, axis);
            if (end === null) throw new CliError(`${what}: ${JSON.stringify(t)} is not ${axis === "wall" ? "an ISO 8601 time" : "a number of seconds"}`, 2);
            return end;
          };
          return {axis, from: ns(fromText as string), to: ns(toText as string)} as const;
        };
        const a = {hosts, profiles: values.profile as string[] | undefined, range: range(values.from, values.to, "--from/--to")};
        const vsHosts = values["vs-host"] as string[] | undefined;
        const vsRange = range(values["vs-from"], values["vs-to"], "--vs-from/--vs-to");
        const tree = await store.flameTree(a);
        if (tree.samples === 0) throw new CliError("the selection has no samples");
        let shown = tree, subtitle = `${formatCount(tree.samples)} samples`;
        if (vsHosts || vsRange) {
          const b = await store.flameTree({...a, hosts: vsHosts ?? a.hosts, range: vsRange ?? a.range});
          if (b.samples === 0) throw new CliError("the comparison selection has no samples");
          shown = diffTrees(tree, b);
          subtitle += ` vs ${formatCount(b.samples)} samples${vsHosts ? ` on ${vsHosts.join(", ")}` : ""}${vsRange ? ` from ${values["vs-from"]} to ${values["vs-to"]}` : ""}: red grew, blue shrank`;
        }
        if (format === "json") return writeOutput(`{"samples":${shown.samples},"weight":${shown.weight},"root":${flameNodeJson(shown.root)}}\n`, out);
        return writeOutput(flameGraphSvg(shown, {title: `${hosts.length ? hosts.join(", ") : "all hosts"}${values.from ? `, ${values.from} to ${values.to}` : ""}`, subtitle, differential: shown !== tree, interactive: true}), out);
      }
      // Loaded here: its heat maps are drawn with Observable Plot, a fifth of a second to load.
      const {fleetHeatmapJson, fleetHeatmapSvg, hostHeatmapsSvg} = await import("../node/store/render.js");
      const period = values.period === undefined ? undefined : Number(values.period);
      const mapOptions = {rows: rowsOption(values.rows as string | undefined), axis, period, hosts, profiles: values.profile as string[] | undefined, title: dir} as const;
      if (values.rank !== undefined && !values["by-host"]) throw new CliError("--rank goes with --by-host", 2);
      if (values["by-host"]) {
        const rank = values.rank === undefined ? undefined : patternKind(values.rank as string, "--rank");
        const strips = await storeCall(() => store.heatmapsByHost({...mapOptions, rank}), StoreError);
        if (format === "json") {
          return writeOutput(strips.map(({host, confidence, map}) => JSON.stringify({host, rank: rank ?? null, confidence, ...fleetHeatmapJson(map, {axis, period})}) + "\n").join(""), out);
        }
        return writeOutput(hostHeatmapsSvg(strips), out);
      }
      const map = await storeCall(() => store.heatmap(mapOptions), StoreError);
      if (format === "json") return writeOutput(JSON.stringify(fleetHeatmapJson(map, {axis, period})) + "\n", out);
      writeOutput(fleetHeatmapSvg(map, {axis, period}), out);
    } finally {
      await store.close();
    }
  },
};

function patternKind(text: string, option: string): string {
  if (!(PATTERN_KINDS as readonly string[]).includes(text)) throw new CliError(`${option}: unknown kind ${JSON.stringify(text)} (kinds: ${PATTERN_KINDS.join(", ")})`, 2);
  return text;
}

/** Occurrences (seconds since the capture's origin) as wall-clock times of day, the
 * first few: when the pattern showed. */
function occurrencesText(occurrences: readonly {from: number; to: number}[], start: Date | null): string {
  if (start === null) return occurrences.slice(0, 4).map((o) => `+${o.from.toFixed(1)}s`).join(", ");
  const at = (s: number) => start.getTime() + s * 1000;
  return occurrences.slice(0, 4).map((o) => formatWallClockRange(at(o.from), at(o.to), {date: false})).join(", ") + (occurrences.length > 4 ? ", …" : "");
}

/** A store query, its StoreErrors (bad options) as the CLI's errors. */
async function storeCall<T>(query: () => Promise<T>, StoreError: new (...a: never[]) => Error): Promise<T> {
  try {
    return await query();
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.message);
    throw e;
  }
}

/** The store's report: the profile pages of its captures' files (built as `subsecond
 * report` builds them, from copies named by capture id in a staging folder), then
 * store.html and fleet.html beside them. */
async function storeReport(store: import("../node/store/store.js").ProfileStore, outText: string): Promise<void> {
  const {storeIndexHtml, fleetPageHtml} = await import("../node/store/report.js");
  const {fileContentHash} = await import("../node/store/store.js");
  const out = resolve(outText);
  const script = siteScript();
  const staging = mkdtempSync(join(tmpdir(), "subsecond-store-report-"));
  try {
    try {
      checkOut(out, staging, dirname(dirname(script)));
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const rows = await store.list();
    const captures = rows.map((r) => ({
      profile: r.profile as string, host: r.host as string, source: r.source as string, labels: r.labels as string,
      start: (r.start as Date | null) ?? null, seconds: Number(r.seconds ?? 0), samples: Number(r.samples),
    }));
    const staged = new Set<string>();
    for (const c of captures) {
      // The file as it was added (same bytes), or no page for it.
      if (!existsSync(c.source) || fileContentHash(c.source).hash.slice(0, 16) !== c.profile) {
        process.stderr.write(`subsecond store: ${escapeTerminal(c.source)}: not there (or changed) since it was added: no profile page for capture ${c.profile}\n`);
        continue;
      }
      const file = `${c.profile}-${basename(c.source)}`;
      copyFileSync(c.source, join(staging, file));
      staged.add(c.profile);
    }
    const status = await runSite(script, ["build", "--profiles", staging, "--out", out]);
    if (status !== 0 && status !== STRICT_STATUS) throw new CliError(`the report was not built (exit status ${status})`);
    // A page's name is its file's name made safe, and so begins with the capture id
    // (16 hex digits) that names the staged copy.
    const pages = existsSync(join(out, "profiles")) ? readdirSync(join(out, "profiles")).filter((f) => f.endsWith(".html")) : [];
    const href = (profile: string) => {
      const page = staged.has(profile) ? pages.find((f) => f.startsWith(`${profile}-`)) : undefined;
      return page === undefined ? null : `profiles/${encodeURIComponent(page)}`;
    };
    const name = basename(store.dir);
    const fleet = await store.heatmap({title: name});
    const strips = await store.heatmapsByHost({});
    writeFileSync(join(out, "store.html"), storeIndexHtml(name, captures, href));
    writeFileSync(join(out, "fleet.html"), fleetPageHtml(name, fleet, strips));
    process.stderr.write(`subsecond store: ${out}/store.html (serve the folder with any static file server)\n`);
  } finally {
    rmSync(staging, {recursive: true, force: true});
  }
}
