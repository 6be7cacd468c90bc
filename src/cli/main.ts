// The subsecond command line: dispatch to subcommands, one-line errors, exit codes
// (0 ok, 1 bad input or failure, 2 bad usage).
import {escapeTerminal} from "../lib/render/escape.js";
import {collapseCommand} from "./collapse.js";
import {CliError, commandHelp, parseCommandArgs, type Command} from "./common.js";
import {exportCommand} from "./export.js";
import {flamegraphCommand} from "./flamegraph.js";
import {heatmapCommand} from "./heatmap.js";
import {infoCommand} from "./info.js";
import {patternsCommand} from "./patterns.js";
import {reportCommand} from "./report.js";
import {storeCommand} from "./store.js";
import {synthCommand} from "./synth.js";

const commands: Command[] = [infoCommand, heatmapCommand, flamegraphCommand, patternsCommand, collapseCommand, exportCommand, synthCommand, reportCommand, storeCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: subsecond COMMAND [options] FILE

Subsecond-offset heat maps and flame graphs of profiles: Linux perf (the text of
\`perf script --header\`), V8 .cpuprofile, Chrome traces, pprof, speedscope, Firefox
Profiler (Gecko) JSON and folded stacks, plain or gzip, told apart by their content.

commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n")}

Run "subsecond COMMAND --help" for a command's options.
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? process.stderr : process.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new CliError(`unknown command ${JSON.stringify(name)} (commands: ${commands.map((c) => c.name).join(", ")})`, 2);
    const {values, positionals} = parseCommandArgs(command, rest);
    if (values.help) {
      process.stdout.write(commandHelp(command));
      return 0;
    }
    await command.run(values, positionals);
    return 0;
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`subsecond${command ? ` ${command.name}` : ""}: ${escapeTerminal(e.message)}\n`);
      return e.status;
    }
    throw e;
  }
}

// Output piped into `head` closes early: that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});
