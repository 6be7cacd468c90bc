import {heatmap, periodOption, type Heatmap} from "../lib/heatmap.js";
import {findPatterns} from "../lib/patterns/index.js";
import {parseSelection} from "../lib/selection.js";
import {bucketMs, formatPeriod, NS} from "../lib/time.js";
import {svgDocument} from "../node/index.js";
import {HEATMAP_PALETTES, isHeatmapPalette} from "../lib/render/palette.js";
import {ANALYSIS_HELP, ANALYSIS_OPTIONS, analysisOptions, rowsOption} from "./analysis.js";
import {checkDrawable, loadTracks, TRACK_HELP, TRACK_OPTIONS, trackPaths} from "./tracks.js";
import {CliError, loadProfile, OUTPUT_OPTIONS, outputFormat, outputTarget, profileInputs, writeOutput, type Command} from "./common.js";

export const heatmapCommand: Command = {
  name: "heatmap",
  summary: "the subsecond-offset heat map of a profile, as SVG, JSON or CSV",
  help: `usage: subsecond heatmap [options] FILE

Counts samples per cell: one column per whole second since the profile's origin
(\`subsecond info\` prints it), --rows buckets per second (bucket 0 = offset 0,
drawn at the bottom). Idle samples are not counted (see --idle). The SVG draws the
profile's annotations (its NAME.annotations.json) and, above the map on its x axis,
each --track: GC pauses and events by kind, metrics as step lines. With --period,
time is folded: one column per whole period, rows the offset within it, so work
that recurs at that period lines up as a row (tracks are drawn on unfolded maps only).

options:
  --rows N       buckets per column (default 50: 20 ms a second)
  --period P     the time a column spans, 10ms to 1h: 500ms, 2.5s, 15m, 1h
                 (default 1s)
  --format F     svg (default when -o ends in .svg), json, csv
  --palette P    flamescope (default), enhanced (counts of 1-3 stand out) or
                 steps (one colour per count: 1, 2, 3, 4 samples tell apart)
  --patterns     draw the patterns \`subsecond patterns\` finds as dashed, labelled
                 proposals (its default confidence)
${TRACK_HELP}${ANALYSIS_HELP}  -o, --output F write to F instead of standard output: a new file (never FILE
                 or its sidecar); an existing one only with --force
      --force    replace F when it exists
  -h, --help     this help

json: {source, origin, rows, columns, maxCount, samples, values} with values[second][bucket]
(folded: period, its text, after rows, and values[period][bucket]);
csv: second,bucket,offset_ms,count,weight for every cell with samples
(folded: column,start_s,bucket,offset_ms,count,weight).
`,
  options: {
    rows: {type: "string"},
    period: {type: "string"},
    format: {type: "string"},
    palette: {type: "string"},
    patterns: {type: "boolean"},
    ...TRACK_OPTIONS,
    ...ANALYSIS_OPTIONS,
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("heatmap takes one input file", 2);
    const out = outputTarget(v, [...profileInputs(positionals[0]), ...trackPaths(v)]);
    const format = outputFormat(v.format, out.path, ["svg", "json", "csv"], {".json": "json", ".csv": "csv"});
    const palette = (v.palette as string | undefined) ?? "flamescope";
    if (!isHeatmapPalette(palette)) throw new CliError(`--palette takes ${HEATMAP_PALETTES.join(", ")}`, 2);
    const rows = rowsOption(v.rows);
    let period: number;
    try {
      period = periodOption(v.period === undefined ? undefined : String(v.period));
    } catch (e) {
      throw new CliError(`--period: ${(e as Error).message}`, 2);
    }
    if (period !== NS && trackPaths(v).length) throw new CliError("--track draws on seconds: leave out --period to draw it", 2);
    const options = analysisOptions(v);
    const profile = await loadProfile(positionals[0]);
    const tracks = loadTracks(v, profile);
    let map: Heatmap;
    try {
      map = heatmap(profile, {...options, rows, period: period / NS});
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (v.patterns && format !== "svg") throw new CliError("--patterns draws on the SVG: use --format svg", 2);
    if (format === "svg") {
      checkDrawable(tracks);
      const proposals = v.patterns ? findPatterns(profile, options).map((p) => ({label: p.label, parts: parseSelection(p.selection)!, note: p.explanation})) : [];
      // Loaded here: Observable Plot takes a fifth of a second to load, which no other format needs.
      const {heatmapSvg} = await import("../lib/render/heatmap.js");
      writeOutput(heatmapSvg(map, {document: svgDocument(), palette, title: `${profile.source}: ${map.samples} samples`, tracks, proposals}), out);
    } else if (format === "json") {
      const values = Array.from({length: map.columns}, (_, s) => Array.from(map.counts.subarray(s * rows, (s + 1) * rows)));
      const {source, origin, wallClock, columns, maxCount, samples} = map;
      const folded = map.period === NS ? {} : {period: formatPeriod(map.period)};
      writeOutput(JSON.stringify({source, origin, originWallClock: wallClock === null ? null : new Date(wallClock).toISOString(), rows, ...folded, columns, maxCount, samples, values}) + "\n", out);
    } else {
      const folded = map.period !== NS;
      const lines = [folded ? "column,start_s,bucket,offset_ms,count,weight" : "second,bucket,offset_ms,count,weight"];
      for (let i = 0; i < map.counts.length; i++) {
        if (map.counts[i] === 0) continue;
        const s = Math.floor(i / rows), b = i - s * rows;
        const column = folded ? `${s},${(s * map.period) / NS}` : `${s}`;
        lines.push(`${column},${b},${bucketMs(b, rows, map.period)},${map.counts[i]},${map.weights[i]}`);
      }
      writeOutput(lines.join("\n") + "\n", out);
    }
  },
};
