// Bundles of src/ for Node (the CLI, the notebooks' package, the benchmark): esbuild,
// npm packages left as imports, rebuilt only when a source is newer than the bundle.
import {readdirSync, statSync} from "node:fs";
import {join} from "node:path";

/** The newest modification time (ms) of the files under dir. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

/** Whether `file` is missing or older than any file under the `dirs`. */
export function isStale(file, dirs) {
  let built;
  try {
    built = statSync(file).mtimeMs;
  } catch {
    return true;
  }
  return dirs.some((dir) => newestSource(dir) > built);
}

/** Builds an ESM bundle for Node 20; `options` are esbuild's (entryPoints or stdin,
 * and outfile). */
export async function bundleForNode(options) {
  const {build} = await import("esbuild");
  await build({bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", sourcemap: "inline", logLevel: "error", ...options});
}
