// subsecond's library: runs unchanged in Node, browsers and notebooks. Reading files
// (and gzip) is Node-only and lives in ../node/index.js.
export * from "./profile.js";
export * from "./time.js";
export * from "./selection.js";
export * from "./idle.js";
export * from "./filter.js";
export * from "./view.js";
export * from "./pattern.js";
export * from "./heatmap.js";
export * from "./rate.js";
export * from "./flametree.js";
export * from "./diff.js";
export * from "./calltree.js";
export * from "./collapse.js";
export * from "./summary.js";
export * from "./format.js";
export * from "./annotations.js";
export * from "./occupancy.js";
export * from "./synth/index.js";
export {parsePerfScript, PerfScriptParser, type ParseOptions} from "./perf/parse.js";
export {formatDiagnostic} from "./perf/diagnostics.js";
export * from "./render/heatmap.js";
export * from "./render/flamegraph.js";
export * from "./render/palette.js";
export {escapeXml} from "./render/escape.js";
export * from "./timeline/index.js";
export * from "./render/tracks.js";
export * from "./patterns/index.js";
