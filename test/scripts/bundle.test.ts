// The CLI's and the notebooks' bundles are rebuilt exactly when a file they were built
// from changes, wherever it lives (the CLI imports src/data and src/node too).
import {mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
// @ts-expect-error: a plain JavaScript module of the project's scripts
import {bundleForNode, ensureBundle, isStale} from "../../scripts/bundle.js";

const dir = mkdtempSync(join(tmpdir(), "subsecond-bundle-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("bundles", () => {
  it("are stale when missing, fresh once built, stale again when any imported file is newer", async () => {
    const helper = join(dir, "deep", "helper.ts");
    await import("node:fs").then(({mkdirSync}) => mkdirSync(join(dir, "deep")));
    writeFileSync(helper, "export const answer = 42;\n");
    writeFileSync(join(dir, "entry.ts"), 'import {answer} from "./deep/helper.ts";\nconsole.log(answer);\n');
    const out = join(dir, "out.mjs");
    const ago = (s: number) => new Date(Date.now() - s * 1000);
    for (const f of [helper, join(dir, "entry.ts")]) utimesSync(f, ago(20), ago(20));
    expect(isStale(out)).toBe(true);
    await bundleForNode({entryPoints: [join(dir, "entry.ts")], outfile: out});
    expect(isStale(out)).toBe(false);
    // A bundle built before the helper last changed.
    utimesSync(out, ago(30), ago(30));
    expect(isStale(out)).toBe(true);
    await bundleForNode({entryPoints: [join(dir, "entry.ts")], outfile: out});
    expect(isStale(out)).toBe(false);
    rmSync(helper);
    expect(isStale(out)).toBe(true);
  });

  it("load what only the CLI's drawing commands import (Observable Plot) only when they draw", async () => {
    const out = join(dir, "cli", "cli.mjs");
    await ensureBundle(new URL("../../src/cli/main.ts", import.meta.url).pathname, out);
    // Every module the entry loads at start: its static imports, followed through chunks.
    const loaded = new Set<string>();
    const visit = (file: string) => {
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/^(?:import|\}) .*?from "([^"]+)";$/gm)) {
        const path = spec.startsWith(".") ? resolve(dirname(file), spec) : spec;
        if (loaded.has(path)) continue;
        loaded.add(path);
        if (spec.startsWith(".")) visit(path);
      }
    };
    visit(out);
    expect([...loaded].filter((p) => p.endsWith(".mjs")).length).toBeGreaterThan(0);
    expect(loaded.has("node:fs")).toBe(true);
    expect(loaded.has("@observablehq/plot")).toBe(false);
    const chunks = readdirSync(join(dir, "cli", "chunks")).filter((f) => f.endsWith(".mjs"));
    expect(chunks.some((f) => readFileSync(join(dir, "cli", "chunks", f), "utf8").includes('from "@observablehq/plot"'))).toBe(true);
    expect(readFileSync(out, "utf8")).toMatch(/\/\/# sourceMappingURL=cli\.mjs\.map\n$/);
    expect(isStale(out)).toBe(false);
  });

  it("put the parse worker beside every file that holds the reader on several threads, chunks included", async () => {
    const out = join(dir, "cli", "cli.mjs");
    await ensureBundle(new URL("../../src/cli/main.ts", import.meta.url).pathname, out);
    const files = [out, ...readdirSync(join(dir, "cli", "chunks")).filter((f) => f.endsWith(".mjs")).map((f) => join(dir, "cli", "chunks", f))];
    // The reader starts its worker from new URL("./parse-worker.mjs", import.meta.url).
    const readers = files.filter((f) => readFileSync(f, "utf8").includes('new URL("./parse-worker.mjs", '));
    expect(readers.length).toBeGreaterThan(0);
    for (const reader of readers) expect(readdirSync(dirname(reader))).toContain("parse-worker.mjs");
  });
});
