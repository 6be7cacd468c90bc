// `subsecond store`: many captures as one Parquet dataset (src/node/store/), queried
// with DuckDB. DuckDB is a native module: loaded only when this command runs.
import {diffTrees} from "../lib/diff.js";
import {flameNodeJson} from "../lib/flametree.js";
import {formatCount} from "../lib/format.js";
import {flameGraphSvg} from "../lib/render/flamegraph.js";
import {heatmapSvg} from "../lib/render/heatmap.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {svgDocument} from "../node/index.js";
import {rowsOption} from "./analysis.js";
import {CliError, loadProfile, OUTPUT_OPTIONS, outputFormat, outputTarget, writeOutput, type Command} from "./common.js";

export const storeCommand: Command = {
  name: "store",
  summary: "a profile store: many captures as one Parquet dataset (add, list, heatmap), queried with DuckDB",
  help: `usage: subsecond store add FILE… --store DIR [--host NAME] [--label K=V]…
       subsecond store list --store DIR [--json]
       subsecond store heatmap --store DIR [options]
       subsecond store flamegraph --store DIR [--from T --to T] [--vs-host H | --vs-from T --vs-to T]

add      parses each capture once into the store's Parquet dataset (samples partitioned
         by host and date; stacks and frames content-addressed, so a stack shared by
         many captures is stored once). A capture already in the store (same content
         hash) is skipped with a message. A new DIR is made with a marker file
         (subsecond-store.json); a folder without one that is not empty is refused.
list     the captures in the store: id, host, start, seconds, samples, labels.
heatmap  the fleet heat map: samples (not idle) of the chosen captures summed per cell.
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
  --rows N         heatmap: buckets per second (default 50)
  --format F       heatmap, flamegraph: svg (default), json; list: text (default), json
  --json           list: JSON lines
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
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals) {
    const [action, ...files] = positionals;
    const values = v as Record<string, string | boolean | string[] | undefined>;
    const dir = values.store as string | undefined;
    if (!["add", "list", "heatmap", "flamegraph"].includes(action ?? "")) throw new CliError("store takes add, list, heatmap or flamegraph (see subsecond store --help)", 2);
    if (dir === undefined) throw new CliError("--store DIR is required", 2);
    const {ProfileStore, StoreError, fileContentHash} = await import("../node/store/store.js");
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
          let content;
          try {
            content = fileContentHash(file);
          } catch (e) {
            throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
          }
          if (await store.hasProfile(content.hash)) {
            process.stderr.write(`subsecond store: ${escapeTerminal(file)}: already in the store (same content), skipped\n`);
            continue;
          }
          const profile = await loadProfile(file);
          try {
            const r = await store.add(profile, {contentHash: content.hash, bytes: content.bytes, host: hosts[0], labels, originWallClockMs});
            process.stderr.write(`subsecond store: ${escapeTerminal(file)}: added as ${r.profile} (${r.samples} samples, ${r.newStacks} new stacks)\n`);
          } catch (e) {
            if (e instanceof StoreError) throw new CliError(e.message);
            throw e;
          }
        }
        return;
      }
      const out = outputTarget(v as Record<string, string | boolean | undefined>);
      if (action === "list") {
        const rows = await store.list();
        const json = (r: Record<string, unknown>) => JSON.stringify(r, (_k, x) => (typeof x === "bigint" ? Number(x) : x instanceof Date ? x.toISOString() : x));
        if (values.json || values.format === "json") return writeOutput(rows.map((r) => json(r) + "\n").join(""), out);
        const lines = rows.map((r) => [r.profile, r.host, r.start instanceof Date ? r.start.toISOString() : "-", Number(r.seconds ?? 0).toFixed(1), String(r.samples), r.source, r.labels].join("\t"));
        return writeOutput(["profile\thost\tstart\tseconds\tsamples\tsource\tlabels", ...lines].join("\n") + "\n", out);
      }
      const format = outputFormat(values.format as string | undefined, out.path, ["svg", "json"], {".json": "json"});
      const axis = (values.axis as string | undefined) ?? "wall";
      if (axis !== "wall" && axis !== "capture") throw new CliError("--axis takes wall or capture", 2);
      if (action === "flamegraph") {
        const range = (fromText: unknown, toText: unknown, what: string) => {
          if (fromText === undefined && toText === undefined) return undefined;
          if (fromText === undefined || toText === undefined) throw new CliError(`${what} takes both ends`, 2);
          const ns = (t: string): bigint => {
            const ms = axis === "wall" ? Date.parse(t) : Number(t) * 1000;
            if (!Number.isFinite(ms)) throw new CliError(`${what}: ${JSON.stringify(t)} is not ${axis === "wall" ? "an ISO 8601 time" : "a number of seconds"}`, 2);
            return BigInt(Math.round(ms * 1e6));
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
      const period = values.period === undefined ? undefined : Number(values.period);
      let map;
      try {
        map = await store.heatmap({rows: rowsOption(values.rows as string | undefined), axis, period, hosts, profiles: values.profile as string[] | undefined, title: dir});
      } catch (e) {
        if (e instanceof StoreError) throw new CliError(e.message);
        throw e;
      }
      if (format === "json") {
        const valuesOut = Array.from({length: map.columns}, (_, s) => Array.from(map.counts.subarray(s * map.rows, (s + 1) * map.rows)));
        return writeOutput(JSON.stringify({axis, period: period ?? null, firstSecond: map.origin, rows: map.rows, columns: map.columns, samples: map.samples, maxCount: map.maxCount, values: valuesOut}) + "\n", out);
      }
      const what = period ? `second within ${period} s periods` : axis === "wall" ? "wall-clock seconds" : "seconds since each capture's origin";
      writeOutput(heatmapSvg(map, {document: svgDocument(), title: `${map.samples} samples; x = ${what}`}), out);
    } finally {
      await store.close();
    }
  },
};
