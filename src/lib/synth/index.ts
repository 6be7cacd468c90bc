// Synthetic profiles of the seventeen patterns in Brendan Gregg's guide to subsecond-
// offset heat maps ("FlameScope Pattern Recognition", 2018): periodic threads, busy-wait
// diagonals, utilization levels, load changes, perturbations and blocking.
//
// A pattern is a plan: which thread runs on which CPU when (work intervals, ns since the
// profile's origin). The plan is sampled the way `perf record -F 49 -a -g` samples: each
// CPU on its own timer at the same rate, busy or idle; an idle CPU yields the swapper's
// idle-loop stack, a busy one the stack of the thread it runs. The text is what
// `perf script --header` prints. The same options (seed included) give the same text.
//
// The modules depend one way: random, options and programs on nothing here; schedule
// on those; catalogue (each pattern with its schedule) on schedule; plan on the
// catalogue; perf-text on the plan. slope reads heat maps and stands alone. This file
// is the public API; the rest stays inside the folder.
export {PATTERNS, PATTERN_NAMES, patternInfo, resolveSynthOptions, type PatternInfo} from "./catalogue.js";
export type {ResolvedSynthOptions, SynthOptions} from "./options.js";
export {synthesize, perfScriptText} from "./perf-text.js";
export {synthPlan, workAt, type SynthPlan} from "./plan.js";
export type {Activity, StackVariant, SynthFrame, SynthThread} from "./programs.js";
export type {TimeSpan, WorkInterval} from "./schedule.js";
export {busyWaitMs, fitDiagonal, slopeFormulaMs, type DiagonalFit} from "./slope.js";
export {expectedPatterns, scoreSynthetic, type ExpectedPattern, type PatternScore, type SyntheticScore} from "./expected.js";
