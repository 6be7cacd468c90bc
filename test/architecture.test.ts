// The folder table of docs/architecture.md, checked on every import under src/: the
// library runs unchanged in browsers (no node: modules, jsdom, tslab, Arquero or
// DuckDB, nothing outside src/lib), the site's components import only the library and
// browser packages, no folder imports one above it, and no files import each other in
// a circle. The imports are those esbuild follows when it bundles src/ (its metafile),
// as the CLI's, notebooks' and site's bundles do: `import type` is erased (types cost
// nothing at run time and may name the modules whose data they describe).
import {readdirSync} from "node:fs";
import {join, relative, resolve} from "node:path";
import {fileURLToPath} from "node:url";
import {build} from "esbuild";
import {beforeAll, describe, expect, it} from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

interface ImportRef {
  /** The file importing, relative to the project ("src/lib/view.ts"). */
  file: string;
  /** The specifier as written. */
  specifier: string;
  /** The imported file relative to the project; null for a package or Node module. */
  target: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every import of every file under src/ that is kept at run time. */
async function srcImports(): Promise<ImportRef[]> {
  const result = await build({
    entryPoints: sourceFiles(join(root, "src")), absWorkingDir: root, bundle: true, write: false, metafile: true,
    platform: "node", format: "esm", packages: "external", outdir: join(root, "node_modules", ".cache", "architecture-test"),
    loader: {".css": "text"}, logLevel: "silent",
  });
  return Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
    input.imports.map((i) => ({file, specifier: i.original ?? i.path, target: i.external ? null : relative(root, resolve(root, i.path))})),
  );
}

let imports: ImportRef[] = [];
beforeAll(async () => {
  imports = await srcImports();
});

const folderOf = (file: string) => file.split("/").slice(0, 2).join("/");
const show = (r: ImportRef) => `${r.file} imports ${r.specifier}`;

/** Packages that run in browsers as they are. */
const BROWSER_PACKAGES = ["@observablehq/plot", "re2js", "@uwdata/flechette", "pprof-format"];
const SITE_PACKAGES = [...BROWSER_PACKAGES, "@observablehq/inputs", "d3"];

/** The folders each folder's files may import besides their own. */
const MAY_IMPORT: Record<string, string[]> = {
  "src/lib": [],
  "src/node": ["src/lib"],
  "src/cli": ["src/lib", "src/node"],
  "src/data": ["src/lib", "src/node"],
  "src/notebook": ["src/lib", "src/node"],
  // The site's stylesheet, as text for the notebooks' explore() script.
  "src/components": ["src/lib", "src/style.css"],
};

describe("the folders of src/", () => {
  it("reads the imports it checks", () => {
    // A parser that found nothing would pass every rule below.
    expect(imports.filter((r) => r.file.startsWith("src/lib/")).length).toBeGreaterThan(200);
    expect(imports).toContainEqual({file: "src/lib/view.ts", specifier: "./filter.js", target: "src/lib/filter.ts"});
    expect(imports).toContainEqual({file: "src/node/index.ts", specifier: "node:fs", target: null});
    // Types only: erased.
    expect(imports.filter((r) => r.file === "src/notebook/explore.ts" && r.target?.startsWith("src/components/"))).toEqual([]);
  });

  it("src/lib is browser-safe: no node: modules, jsdom, tslab, Arquero or DuckDB, only browser packages", () => {
    const bad = imports.filter((r) => r.file.startsWith("src/lib/") && r.target === null && !BROWSER_PACKAGES.includes(r.specifier));
    expect(bad.map(show)).toEqual([]);
  });

  it("the site's components import the library and browser packages only", () => {
    const bad = imports.filter((r) => r.file.startsWith("src/components/") && r.target === null && !SITE_PACKAGES.includes(r.specifier));
    expect(bad.map(show)).toEqual([]);
  });

  it("each folder imports only the folders below it", () => {
    const bad = imports.filter((r) => {
      const from = folderOf(r.file);
      const allowed = MAY_IMPORT[from];
      if (!allowed || r.target === null) return false;
      const to = folderOf(r.target);
      return to !== from && !allowed.includes(to);
    });
    expect(bad.map(show)).toEqual([]);
  });

  it("no files import each other in a circle", () => {
    const edges = new Map<string, string[]>();
    for (const r of imports) if (r.target?.endsWith(".ts")) edges.set(r.file, [...(edges.get(r.file) ?? []), r.target]);
    // Depth-first search; a file met again while still on the path closes a circle.
    const state = new Map<string, "open" | "done">();
    const circles: string[] = [];
    const walk = (file: string, path: string[]): void => {
      state.set(file, "open");
      path.push(file);
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === "open") circles.push([...path.slice(path.indexOf(next)), next].join(" -> "));
        else if (!state.has(next)) walk(next, path);
      }
      path.pop();
      state.set(file, "done");
    };
    for (const file of edges.keys()) if (!state.has(file)) walk(file, []);
    expect(circles).toEqual([]);
  });
});
