#!/usr/bin/env node
// The `subsecond` command. The CLI is TypeScript under src/; it runs from a bundle that
// this launcher rebuilds with esbuild whenever one of the files it was built from is
// newer than it, so there is no build step to remember and start-up stays fast (no
// compiler at run time).
import {dirname, join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";
import {ensureBundle} from "../scripts/bundle.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "node_modules", ".cache", "subsecond", "cli.mjs");

await ensureBundle(join(root, "src", "cli", "main.ts"), bundle);

const {main} = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
