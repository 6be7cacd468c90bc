// Bundles of src/ for Node (the CLI, the notebooks' package, the benchmark): esbuild,
// npm packages left as imports. Each bundle records the source files it was built from
// (esbuild's metafile) in BUNDLE.inputs.json, so it is rebuilt exactly when one of them
// changes, wherever in the tree it lives.
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {basename, dirname, join, resolve} from "node:path";
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
 * are esbuild's (entryPoints or stdin, and outfile). With `splitting`, what the entry
 * imports with `import()` goes to chunks/ beside it and is loaded only when that import
 * runs, npm packages that only it imports included (a bundle in one file hoists every
 * package import to its top); the entry is then written last, by rename. */
export async function bundleForNode({splitting = false, ...options}) {
  const {build} = await import("esbuild");
  const common = {bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", sourcemap: "inline", logLevel: "error", metafile: true};
  const {outfile} = options;
  const result = await build(splitting ? {...common, ...options, outfile: undefined, ...chunkOptions(outfile)} : {...common, ...options});
  // Metafile paths are relative to esbuild's working directory.
  const inputs = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("<")).map((p) => resolve(p));
  if (inputs.includes(PARALLEL) && !(options.entryPoints?.length === 1 && resolve(options.entryPoints[0]) === PARSE_WORKER)) {
    const sourcemap = splitting ? "linked" : (options.sourcemap ?? common.sourcemap);
    for (const dir of readerDirs(result)) {
      const built = await build({...common, sourcemap, entryPoints: [PARSE_WORKER], outfile: join(dir, PARSE_WORKER_BUNDLE), write: false});
      mkdirSync(dir, {recursive: true}); // a split build writes its chunks/ only later
      for (const file of built.outputFiles) writeByRename(file.path, file.contents);
      for (const p of Object.keys(built.metafile.inputs)) if (!inputs.includes(resolve(p))) inputs.push(resolve(p));
    }
  }
  inputs.push(fileURLToPath(import.meta.url)); // how bundles are made is a source too
  writeFileSync(inputsFile(outfile), JSON.stringify(inputs.sort(), null, 1) + "\n");
  if (splitting) writeChunks(result, outfile);
  return result;
}

/** The folders of the output files that hold the reader on several threads: the
 * reader starts its worker from beside itself, and in a split build it is in a chunk
 * under chunks/, not beside the entry. */
function readerDirs(result) {
  const outputs = Object.entries(result.metafile.outputs).filter(([, output]) => Object.keys(output.inputs).some((p) => resolve(p) === PARALLEL));
  return [...new Set(outputs.map(([path]) => dirname(resolve(path))))];
}

/** Written beside and renamed, so that a concurrent build never leaves half a file. */
function writeByRename(path, contents) {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

const CHUNKS = "chunks";
const ENTRY = "entry";
/** Chunks that no build has written for this long are removed: a process started from
 * an older build may still import its chunks a while after it started. */
const CHUNK_KEEP_MS = 24 * 3600e3;

/** esbuild's options for a split build of `outfile`, kept in memory (writeChunks
 * writes it). Source maps are linked files, which Node reads only with
 * --enable-source-maps, instead of text in every file that it reads each start. */
function chunkOptions(outfile) {
  return {sourcemap: "linked", splitting: true, write: false, outdir: dirname(resolve(outfile)), entryNames: ENTRY, chunkNames: `${CHUNKS}/[name]-[hash]`, outExtension: {".js": ".mjs"}};
}

/** Writes a split build: chunks (named by a hash of their content, so one that is there
 * already is the same file) beside and renamed, then the entry, as `outfile`. */
function writeChunks(result, outfile) {
  const dir = dirname(resolve(outfile));
  const entry = join(dir, `${ENTRY}.mjs`);
  const written = new Set();
  for (const file of result.outputFiles) {
    if (file.path === entry) continue;
    if (file.path === `${entry}.map`) {
      writeByRename(`${outfile}.map`, file.contents);
      continue;
    }
    written.add(file.path);
    if (existsSync(file.path)) continue;
    mkdirSync(dirname(file.path), {recursive: true});
    writeByRename(file.path, file.contents);
  }
  const text = result.outputFiles.find((f) => f.path === entry).text;
  writeByRename(outfile, text.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${basename(outfile)}.map\n`));
  const chunks = join(dir, CHUNKS);
  for (const name of existsSync(chunks) ? readdirSync(chunks) : []) {
    const path = join(chunks, name);
    if (!written.has(path) && Date.now() - statSync(path).mtimeMs > CHUNK_KEEP_MS) rmSync(path, {force: true});
  }
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

/** Builds `bundle` from `entry`, split, unless it is newer than every source it was
 * built from. Its files are written beside and renamed, its sources list first and the
 * entry last, so concurrent runs never see half a file. */
export async function ensureBundle(entry, bundle) {
  if (!isStale(bundle)) return;
  mkdirSync(dirname(bundle), {recursive: true});
  await bundleForNode({entryPoints: [entry], outfile: bundle, splitting: true});
}
