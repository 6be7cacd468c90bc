#!/usr/bin/env node
// `npm run notebook`: Jupyter Notebook (Debian's jupyter-notebook) on notebooks/, with
// the project's tslab kernel (scripts/jupyter-kernel.js). Extra arguments go to
// `jupyter notebook` (e.g. --no-browser --port 8899).
//
// `npm run notebook -- --execute [NAME.ipynb …]` instead re-runs the notebooks (all by
// default) headless and saves them with their outputs: what gets committed.
import {spawnSync} from "node:child_process";
import {readdirSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {buildNotebookPackage, writeKernelSpec} from "./jupyter-kernel.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const notebooks = join(root, "notebooks");
const APT_PACKAGES = "jupyter-notebook jupyter-nbconvert jupyter-nbformat python3-nbclient";

/** Runs `jupyter SUBCOMMAND …` and returns its exit status. */
function jupyter(args, env) {
  const result = spawnSync("jupyter", args, {stdio: "inherit", env, cwd: notebooks});
  if (result.error?.code === "ENOENT") {
    console.error(`jupyter is not installed: apt-get install -y --no-install-recommends ${APT_PACKAGES}`);
    process.exit(1);
  }
  return result.status ?? 1;
}

/** Jupyter shows saved SVG outputs (the heat maps and flame graphs) only in notebooks
 * it trusts: these are the project's own, as trusted as the code npm runs. */
function trust(names, env) {
  if (jupyter(["trust", ...names], env) !== 0) {
    console.error("could not trust the notebooks (`jupyter trust` comes with Debian's jupyter-nbformat): their saved figures show once their cells run");
  }
}

const args = process.argv.slice(2);
const env = writeKernelSpec();
await buildNotebookPackage();
const all = readdirSync(notebooks).filter((f) => f.endsWith(".ipynb")).sort();

if (args[0] === "--execute") {
  const chosen = args.length > 1 ? args.slice(1).map((f) => f.replace(/^.*[\\/]/, "")) : all;
  // record_timing=False: no timestamps in the saved cells, so re-running an unchanged
  // notebook changes nothing.
  process.exitCode = jupyter(["nbconvert", "--to", "notebook", "--execute", "--inplace", "--ExecutePreprocessor.record_timing=False", "--ExecutePreprocessor.timeout=600", ...chosen], env);
  trust(chosen, env);
} else {
  trust(all, env);
  const asRoot = process.getuid?.() === 0 ? ["--allow-root"] : [];
  // Ctrl-C belongs to Jupyter (it asks before shutting down); this script just waits.
  process.on("SIGINT", () => {});
  process.exitCode = jupyter(["notebook", `--notebook-dir=${notebooks}`, ...asRoot, ...args], env);
}
