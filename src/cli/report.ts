// `subsecond report DIR --out OUT`: the report site (Observable Framework, see
// scripts/site.js and observablehq.config.ts) built for any folder of profiles.
import {spawn} from "node:child_process";
import {existsSync, statSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {CliError, type Command} from "./common.js";
import {checkOut, REPORT_MARKER} from "./report-out.js";

export const reportCommand: Command = {
  name: "report",
  summary: "a static report site for a folder of profiles: heat maps, flame graphs, comparisons, annotations",
  help: `usage: subsecond report [options] DIR

Builds the report site for the profiles in DIR (perf script text or any format
\`subsecond --help\` lists, plain or gzip, under any name: NAME.perf, NAME.perf.gz,
NAME.cpuprofile, NAME.pb.gz …): an index of every profile and, per profile, its
heat map on which you select a time range or a block of cells and get that
selection's flame graph, compare two selections, and annotate. Each
profile's sidecar NAME.annotations.json and its notes NAME.md (Markdown shown as
text: no HTML, scripts or images in it take effect; \`\`\`annotations blocks add
annotations) are included. Profiles are parsed once, at build time; the site makes
no request outside itself, so any static file server can serve OUT.

Files that are not profiles (notes, JSON, perf.data, empty files …), symbolic links
(never followed) and profiles that cannot be read are left out, each listed with
why on the index page and here; a sidecar or annotations block that cannot be used
is a warning and its profile is shown without it.

options:
  -o, --out DIR  where to write the site (default: subsecond-report). It must be a
                 new or empty folder, or an earlier report (it has the
                 ${REPORT_MARKER} each report writes), whose files are replaced;
                 never DIR itself, a folder containing DIR, or a symbolic link
      --strict   exit with status 1 when any file is not shown or any warning was
                 given (the report is still written)
  -h, --help     this help
`,
  options: {
    out: {type: "string", short: "o"},
    strict: {type: "boolean"},
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("report takes one folder of profiles", 2);
    const dir = resolve(positionals[0]);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${positionals[0]}: not a folder`);
    const out = resolve((v.out as string | undefined) ?? "subsecond-report");
    const script = siteScript();
    // Checked here too, so a refused OUT is one line before anything starts.
    try {
      checkOut(out, dir, dirname(dirname(script)));
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const status = await runSite(script, ["build", "--profiles", dir, "--out", out, ...(v.strict ? ["--strict"] : [])]);
    if (status === STRICT_STATUS) throw new CliError(`--strict: files not shown or warnings, listed above (the report is in ${out})`);
    if (status !== 0) throw new CliError(`the report was not built (exit status ${status})`);
    process.stderr.write(`subsecond report: ${out}/index.html (serve the folder with any static file server)\n`);
  },
};

/** scripts/site.js's exit status for a report written but failed by --strict. */
export const STRICT_STATUS = 3;

/** The checkout's scripts/site.js: this module runs from src/cli or from the CLI's
 * bundle under node_modules/.cache, so look upwards for it. */
export function siteScript(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const script = join(dir, "scripts", "site.js");
    if (existsSync(script) && existsSync(join(dir, "observablehq.config.ts"))) return script;
    if (dirname(dir) === dir) throw new CliError("cannot find scripts/site.js: run subsecond from its checkout");
  }
}

/** Runs scripts/site.js. A signal that stops this command (Ctrl-C, or a `timeout` or
 * service manager that signals only this process) stops the build too, and waits for
 * it to clean up: a build left running would write OUT after the command had ended. */
export function runSite(script: string, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], {stdio: "inherit"});
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const signal of signals) process.on(signal, forward);
    child.on("error", fail);
    child.on("close", (code, signal) => {
      for (const s of signals) process.off(s, forward);
      done(signal ? 1 : (code ?? 1));
    });
  });
}
