import {writeCollapsed} from "../lib/collapse.js";
import {sampleView} from "../lib/view.js";
import {escapeTerminal} from "../lib/render/escape.js";
import {CliError, loadProfile, OUTPUT_OPTIONS, outputTarget, profileInputs, writeOutputPieces, type Command} from "./common.js";

export const collapseCommand: Command = {
  name: "collapse",
  summary: "print folded stacks, as FlameGraph's stackcollapse-perf.pl does",
  help: `usage: subsecond collapse [options] [FILE|-]

Prints one line per distinct stack, "comm;outer;...;leaf COUNT", in byte order: the
output of FlameGraph's stackcollapse-perf.pl (same frame clean-up, same options), for
flamegraph.pl, speedscope, inferno and friends. Unlike the Perl script, the last
sample is counted even without a blank line after it. FILE may be gzip; "-" or no
FILE reads standard input.

options:
  --pid          root frame "comm-PID"
  --tid          root frame "comm-PID/TID"
  --kernel       append _[k] to kernel frames
  --jit          append _[j] to JIT frames (perf-PID.map)
  --all          --kernel and --jit
  --addrs        show [unknown] frames as [MODULE <address>]
  --event NAME   fold this event (default: the first event in the file)
  --flat         also fold samples recorded without call graphs (one frame each)
  -o, --output F write to F instead of standard output: a new file (never FILE
                 or its sidecar); an existing one only with --force
      --force    replace F when it exists
  -q, --quiet    no warnings on standard error
  -h, --help     this help
`,
  options: {
    pid: {type: "boolean"},
    tid: {type: "boolean"},
    kernel: {type: "boolean"},
    jit: {type: "boolean"},
    all: {type: "boolean"},
    addrs: {type: "boolean"},
    event: {type: "string"},
    flat: {type: "boolean"},
    ...OUTPUT_OPTIONS,
    quiet: {type: "boolean", short: "q"},
  },
  async run(v, positionals) {
    if (positionals.length > 1) throw new CliError("collapse takes one input file", 2);
    const quiet = !!v.quiet;
    const out = outputTarget(v, profileInputs(positionals[0]));
    const profile = await loadProfile(positionals[0] ?? "-", quiet, {unknownAddresses: !!v.addrs, allowNoSamples: true});
    const options = {
      pid: !!v.pid, tid: !!v.tid, kernel: !!v.kernel, jit: !!v.jit, all: !!v.all, addrs: !!v.addrs,
      flat: !!v.flat, event: v.event as string | undefined,
    };
    let view;
    try {
      // The view first: a bad --event fails before the output file is made.
      view = sampleView(profile, null, {idle: "keep", filter: {event: options.event}});
    } catch (e) {
      throw new CliError(`${profile.source}: ${(e as Error).message}`);
    }
    const result = writeOutputPieces(out, (write) => writeCollapsed(view, options, write));
    if (!quiet) {
      const {otherEvents, noCallchain} = result.skipped;
      if (otherEvents > 0) {
        const others = profile.events.filter((e) => e.name !== result.event).map((e) => e.name);
        process.stderr.write(escapeTerminal(`subsecond: folded event ${result.event}; skipped ${otherEvents} sample(s) of ${others.join(", ")} (choose with --event)`) + "\n");
      }
      if (noCallchain > 0) {
        process.stderr.write(escapeTerminal(`subsecond: skipped ${noCallchain} sample(s) of ${result.event}, recorded without call graphs (perf record -g); --flat folds their single frames`) + "\n");
      }
    }
  },
};
