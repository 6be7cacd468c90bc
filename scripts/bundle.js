// Bundles of src/ for Node (the CLI, the notebooks' package, the benchmark): esbuild,
// npm packages left as imports. Each bundle records the source files it was built from
// (esbuild's metafile) in BUNDLE.inputs.json, so it is rebuilt exactly when one of them
// changes, wherever in the tree it lives.
import {mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

/** The file listing a bundle's sources. */
export function inputsFile(bundle) {
  return `${bundle}.inputs.json`;
}

/** Whether `bundle` is missing, or older than any source it was built from. */
export function isStale(bundle) {
  let built, inputs;
  try {
    built = statSync(bundle).mtimeMs;
    inputs = JSON.parse(readFileSync(inputsFile(bundle), "utf8"));
  } catch {
    return true;
  }
  return inputs.some((path) => {
    try {
      return statSync(path).mtimeMs > built;
    } catch {
      return true; // a source was moved or deleted
    }
  });
}

/** The reader of files on several threads, and its worker's source, which goes to
 * parse-worker.mjs beside every bundle that holds the reader (the reader starts its
 * workers from there: a bundle cannot hold a second entry point). */
const PARALLEL = fileURLToPath(new URL("../src/node/parallel.ts", import.meta.url));
const PARSE_WORKER = fileURLToPath(new URL("../src/node/parse-worker.ts", import.meta.url));
export const PARSE_WORKER_BUNDLE = "parse-worker.mjs";

/** Builds an ESM bundle for Node 20 and writes its sources list beside it; `options`
 * are esbuild's (entryPoints or stdin, and outfile). */
export async function bundleForNode(options) {
  const {build} = await import("esbuild");
  const common = {bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", sourcemap: "inline", logLevel: "error", metafile: true};
  const result = await build({...common, ...options});
  // Metafile paths are relative to esbuild's working directory.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("<")).map((p) => resolve(p));
  if (inputs.includes(PARALLEL) && !(options.entryPoints?.length === 1 && resolve(options.entryPoints[0]) === PARSE_WORKER)) {
    // Written beside and renamed, so that a concurrent build never leaves half a file.
    const worker = join(dirname(options.outfile), PARSE_WORKER_BUNDLE);
    const temp = `${worker}.${process.pid}.tmp`;
    const built = await build({...common, sourcemap: options.sourcemap ?? common.sourcemap, entryPoints: [PARSE_WORKER], outfile: temp});
    renameSync(temp, worker);
    for (const p of Object.keys(built.metafile.inputs)) if (!inputs.includes(resolve(p))) inputs.push(resolve(p));
  }
  inputs.push(fileURLToPath(import.meta.url)); // how bundles are made is a source too
  writeFileSync(inputsFile(options.outfile), JSON.stringify(inputs.sort(), null, 1) + "\n");
  return result;
}

/** Builds one self-contained script for browsers (an IIFE, minified, every package
 * inside, stylesheets imported as text) and writes its sources list beside it, for a
 * page to inline: it must not hold "</script", which would end the inline element. */
export async function bundleForBrowser(options) {
  const {build} = await import("esbuild");
  const result = await build({bundle: true, platform: "browser", format: "iife", target: "es2022", minify: true, legalComments: "none", loader: {".css": "text"}, logLevel: "error", metafile: true, ...options});
  const text = readFileSync(options.outfile, "utf8");
  if (/<\/script|<!--/i.test(text)) throw new Error(`${options.outfile}: the bundle holds "</script" or "<!--", so it cannot be inlined in a page`);
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("<")).map((p) => resolve(p));
  inputs.push(fileURLToPath(import.meta.url));
  writeFileSync(inputsFile(options.outfile), JSON.stringify(inputs.sort(), null, 1) + "\n");
  return result;
}

/** Builds `bundle` from `entry` unless it is newer than every source it was built
 * from. It is built beside and renamed (its sources list first), so concurrent runs
 * never see half a file. */
export async function ensureBundle(entry, bundle) {
  if (!isStale(bundle)) return;
  mkdirSync(dirname(bundle), {recursive: true});
  const temp = `${bundle}.${process.pid}.tmp`;
  await bundleForNode({entryPoints: [entry], outfile: temp});
  renameSync(inputsFile(temp), inputsFile(bundle));
  renameSync(temp, bundle);
}
