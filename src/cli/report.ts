// `subsecond report DIR --out OUT`: the report site (Observable Framework, see
// scripts/site.js and observablehq.config.ts) built for any folder of profiles.
import {spawn} from "node:child_process";
import {existsSync, statSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {listProfiles} from "../data/site-profiles.js";
import {CliError, type Command} from "./common.js";

export const reportCommand: Command = {
  name: "report",
  summary: "a static report site for a folder of profiles: heat maps, flame graphs, comparisons, annotations",
  help: `usage: subsecond report [options] DIR

Builds the report site for the profiles in DIR (perf script text: NAME.perf,
NAME.perf.gz, NAME.txt …): an index of every profile and, per profile, its heat map
on which you select a time range or a block of cells and get that selection's flame
graph, compare two selections, and annotate. Each profile's sidecar
NAME.annotations.json and its own NAME.md (notes; \`\`\`annotations blocks add
annotations) are included. Profiles are parsed once, at build time; the site makes
no request outside itself, so any static file server can serve OUT.

options:
  -o, --out DIR  where to write the site (default: subsecond-report); an existing
                 folder is replaced only if it is empty or an earlier report
  -h, --help     this help
`,
  options: {
    out: {type: "string", short: "o"},
  },
  async run(v, positionals) {
    if (positionals.length !== 1) throw new CliError("report takes one folder of profiles", 2);
    const dir = resolve(positionals[0]);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${positionals[0]}: not a folder`);
    const profiles = listProfiles(dir);
    if (profiles.length === 0) throw new CliError(`${positionals[0]}: no profiles (NAME.perf, NAME.perf.gz, NAME.txt …)`);
    const out = resolve((v.out as string | undefined) ?? "subsecond-report");
    process.stderr.write(`subsecond report: ${profiles.length} profile${profiles.length === 1 ? "" : "s"} in ${dir}\n`);
    const status = await runSite(["build", "--profiles", dir, "--out", out]);
    if (status !== 0) throw new CliError(`the report was not built (exit status ${status})`);
    process.stderr.write(`subsecond report: ${out}/index.html (serve the folder with any static file server)\n`);
  },
};

/** The checkout's scripts/site.js: this module runs from src/cli or from the CLI's
 * bundle under node_modules/.cache, so look upwards for it. */
function siteScript(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const script = join(dir, "scripts", "site.js");
    if (existsSync(script) && existsSync(join(dir, "observablehq.config.ts"))) return script;
    if (dirname(dir) === dir) throw new CliError("cannot find scripts/site.js: run subsecond from its checkout");
  }
}

function runSite(args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [siteScript(), ...args], {stdio: "inherit"});
    child.on("error", fail);
    child.on("close", (code, signal) => done(signal ? 1 : (code ?? 1)));
  });
}
