#!/usr/bin/env node
// The project's own Jupyter kernel: tslab, registered by a kernel spec this script
// writes under .jupyter/ (point JUPYTER_PATH there), so nothing is installed into the
// user's or the system's Jupyter.
//
// Why notebooks import the package "subsecond" rather than ../src/lib/*.js: tslab
// type-checks and compiles every local .ts file a cell imports with its own
// TypeScript 5.0, only below its working directory, and fails on this project's
// sources (newer typed-array generics, @types/node and @types/jsdom syntax). So the
// kernel gets the library the way it gets any npm package: a bundle (esbuild) and its
// declarations (the project's tsc) in notebooks/node_modules/subsecond, which tslab
// neither compiles nor checks (skipLibCheck). The kernel rebuilds it on start when a
// file it was built from is newer, so "Restart kernel" picks up library changes.
//
// A notebook anywhere (not only in notebooks/) imports "subsecond", arquero, Plot …:
// the kernel spec sets NODE_PATH to the package folders, which Node's require (tslab
// runs cells as CommonJS) searches last; tslab's type checker (TypeScript) ignores
// NODE_PATH, so the kernel also shows it those folders as the notebook folder's
// node_modules, for the packages that folder lacks.
//
//   node scripts/jupyter-kernel.js              write the kernel spec and build the
//                                               package; prints JUPYTER_PATH=…
//   node scripts/jupyter-kernel.js start FILE   (the kernel spec's command) build the
//                                               package if stale, then run tslab on
//                                               Jupyter's connection file FILE
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {delimiter, dirname, join, resolve, sep} from "node:path";
import {fileURLToPath} from "node:url";
import {PARSE_WORKER_BUNDLE, bundleForBrowser, bundleForNode, inputsFile, isStale} from "./bundle.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The folder to put in JUPYTER_PATH: it holds kernels/subsecond/kernel.json. */
export const JUPYTER_PATH = join(root, ".jupyter");
/** The kernel's name, as notebooks' metadata.kernelspec.name refers to it. */
export const KERNEL_NAME = "subsecond";
/** Where notebooks/*.ipynb resolve `import … from "subsecond"`. */
export const PACKAGE_DIR = join(root, "notebooks", "node_modules", "subsecond");
/** Where a notebook in any folder finds its packages: subsecond's, then the project's
 * (arquero, Plot, jsdom, tslab). */
export const PACKAGE_FOLDERS = [dirname(PACKAGE_DIR), join(root, "node_modules")];

// The package's entry: the whole library plus the display helpers.
const ENTRY = join(root, "src", "notebook", "index.ts");
const BUNDLE = join(PACKAGE_DIR, "index.js");
const EXPLORE_ENTRY = join(root, "src", "components", "explore-entry.ts");

/** Writes the kernel spec; returns the environment to start Jupyter with. */
export function writeKernelSpec() {
  const dir = join(JUPYTER_PATH, "kernels", KERNEL_NAME);
  mkdirSync(dir, {recursive: true});
  const spec = {
    argv: [process.execPath, fileURLToPath(import.meta.url), "start", "{connection_file}"],
    display_name: "TypeScript (subsecond)",
    language: "typescript",
    env: {NODE_PATH: PACKAGE_FOLDERS.join(delimiter)},
  };
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  return {...process.env, JUPYTER_PATH: [JUPYTER_PATH, process.env.JUPYTER_PATH].filter(Boolean).join(":")};
}

/** Builds notebooks/node_modules/subsecond unless it is newer than every source. */
export async function buildNotebookPackage() {
  if (!isStale(BUNDLE)) return;
  // Build beside the package and move the files in by rename, so a kernel starting
  // meanwhile never reads half a file.
  const temp = `${PACKAGE_DIR}.${process.pid}.tmp`;
  try {
    await buildInto(temp);
    // The bundle goes last: its time says the package is complete.
    mkdirSync(PACKAGE_DIR, {recursive: true});
    rmSync(join(PACKAGE_DIR, "types"), {recursive: true, force: true});
    renameSync(join(temp, "types"), join(PACKAGE_DIR, "types"));
    renameSync(join(temp, "package.json"), join(PACKAGE_DIR, "package.json"));
    renameSync(join(temp, "explore.js"), join(PACKAGE_DIR, "explore.js"));
    renameSync(join(temp, PARSE_WORKER_BUNDLE), join(PACKAGE_DIR, PARSE_WORKER_BUNDLE));
    renameSync(inputsFile(join(temp, "index.js")), inputsFile(BUNDLE));
    renameSync(join(temp, "index.js"), BUNDLE);
  } finally {
    rmSync(temp, {recursive: true, force: true});
  }
}

/** The bundle, its declarations and package.json, in `dir`. */
async function buildInto(dir) {
  // npm packages stay imports: Plot, arquero, jsdom and tslab are shared with the
  // notebook's own imports (one arquero for `aq.desc`, the running kernel's tslab).
  await bundleForNode({entryPoints: [ENTRY], outfile: join(dir, "index.js")});
  // explore()'s output script (src/notebook/explore.ts): its sources count for the
  // package's staleness too.
  await bundleForBrowser({entryPoints: [EXPLORE_ENTRY], outfile: join(dir, "explore.js")});
  const sources = [inputsFile(join(dir, "index.js")), inputsFile(join(dir, "explore.js"))].flatMap((f) => JSON.parse(readFileSync(f, "utf8")));
  writeFileSync(inputsFile(join(dir, "index.js")), JSON.stringify([...new Set(sources)].sort(), null, 1) + "\n");
  // --noCheck: declarations only; type errors are the type check's business and
  // must not keep a kernel from starting.
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, "node_modules", "typescript", "bin", "tsc"), "--ignoreConfig", ENTRY,
      "--declaration", "--emitDeclarationOnly", "--noCheck", "--outDir", join(dir, "types"), "--rootDir", join(root, "src"),
      "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,dom,dom.iterable",
      "--types", "node", "--skipLibCheck",
    ],
    {encoding: "utf8"},
  );
  if (tsc.status !== 0) throw new Error(`declarations for the notebook package failed:\n${tsc.stdout}${tsc.stderr}`);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({name: "subsecond", private: true, type: "module", main: "index.js", types: "types/notebook/index.d.ts"}, null, 2) + "\n",
  );
}

/** Makes tslab's TypeScript see the package folders as `cwd`/node_modules for what is
 * not really there. Only lookups are redirected (fileExists, readFile, directoryExists):
 * nothing is written into the notebook's folder. */
function resolvePackagesFrom(ts, cwd) {
  const local = join(cwd, "node_modules") + sep;
  /** The path in a package folder for a missing path under cwd/node_modules, else the path. */
  const redirect = (path) => {
    const file = resolve(path);
    if (!file.startsWith(local)) return path;
    if (existsSync(file)) return path;
    const rest = file.slice(local.length);
    return PACKAGE_FOLDERS.map((folder) => join(folder, rest)).find((p) => existsSync(p)) ?? path;
  };
  for (const name of ["fileExists", "readFile", "directoryExists"]) {
    const original = ts.sys[name].bind(ts.sys);
    ts.sys[name] = (path, ...rest) => original(redirect(path), ...rest);
  }
}

/** Lists only @types/node among the type packages tslab's TypeScript loads for every
 * cell: by default it loads each package of every node_modules/@types above the
 * notebook (this project's 42: d3's, jsdom's, chai's …), 1.8 s of a kernel's start.
 * Only the listing of those folders is cut: the types of a package a cell imports are
 * still found by their path. */
function onlyNodeTypesByDefault(ts) {
  const original = ts.sys.getDirectories.bind(ts.sys);
  ts.sys.getDirectories = (path) => {
    const found = original(path);
    return /[\\/]node_modules[\\/]@types[\\/]?$/.test(path) ? found.filter((name) => name === "node") : found;
  };
}

/** Runs tslab as the kernel for Jupyter's connection file. */
function startKernel(connectionFile) {
  const require = createRequire(join(root, "package.json"));
  // The TypeScript tslab itself loads (one module instance), patched before tslab
  // makes its compiler host.
  const ts = createRequire(require.resolve("tslab/dist/main.js"))("@tslab/typescript-for-tslab");
  resolvePackagesFrom(ts, process.cwd());
  onlyNodeTypesByDefault(ts);
  // startKernel is tslab's entry for launchers (kept stable for global installs).
  // enableFindLocal: false: this project's tslab, whatever the working directory.
  require("tslab/dist/main.js").startKernel({configPath: resolve(connectionFile), enableFindLocal: false});
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, file] = process.argv.slice(2);
  if (command === "start" && file) {
    await buildNotebookPackage();
    startKernel(file);
  } else if (command === undefined) {
    writeKernelSpec();
    await buildNotebookPackage();
    console.log(`JUPYTER_PATH=${JUPYTER_PATH}`);
  } else {
    console.error("usage: node scripts/jupyter-kernel.js [start CONNECTION_FILE]");
    process.exit(2);
  }
}
