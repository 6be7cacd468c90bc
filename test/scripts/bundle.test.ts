// The CLI's and the notebooks' bundles are rebuilt exactly when a file they were built
// from changes, wherever it lives (the CLI imports src/data and src/node too).
import {mkdtempSync, rmSync, utimesSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
// @ts-expect-error: a plain JavaScript module of the project's scripts
import {bundleForNode, isStale} from "../../scripts/bundle.js";

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
});
