// openStore in notebooks: SQL as Arquero tables, and the store's heat maps and flame
// trees as show() draws them (the CLI's renderers), with label text escaped.
import {mkdtempSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {ColumnTable} from "arquero";
import {displayData, flameTree, heatmap, openStore, readProfile, seconds, type NotebookStore} from "../../src/notebook/index.js";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;
const FILES = ["c-global-lock.perf.gz", "node-cache-refresh.perf.gz"].map((f) => join(EXAMPLES, f));
const HOSTILE = "<img src=x onerror=alert(1)>";
const START = Date.UTC(2026, 10, 21, 11, 47, 0);

let store: NotebookStore;

beforeAll(async () => {
  store = await openStore(join(mkdtempSync(join(tmpdir(), "subsecond-nbstore-")), "fleet"), {create: true});
  for (const [k, file] of FILES.entries()) await store.add(file, {host: `web-${k + 1}`, labels: {note: HOSTILE}, originWallClockMs: START + k * 15_000});
}, 60_000);

afterAll(() => store?.close());

describe("openStore in notebooks", () => {
  it("adds files once and answers SQL with Arquero tables in the query's column order", async () => {
    expect((await store.add(FILES[0]))[0]).toMatchObject({added: false, samples: 0});
    const t = await store.query("SELECT host, count(*) AS samples, min(wall_ns) AS first FROM samples GROUP BY host ORDER BY host");
    expect(t).toBeInstanceOf(ColumnTable);
    expect(t.columnNames()).toEqual(["host", "samples", "first"]);
    expect(t.objects()).toEqual([
      {host: "web-1", samples: 4933n, first: t.get("first", 0)},
      {host: "web-2", samples: 3280n, first: t.get("first", 1)},
    ]);
    // Exact ns: the origin placed at START, the first sample after it.
    expect(t.get("first", 1) as bigint - BigInt(START + 15_000) * 1_000_000n).toBeGreaterThanOrEqual(0n);
    const list = displayData(await store.list())["text/html"]!;
    expect(list).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(list).not.toContain("<img");
  });

  it("makes heat maps and flame trees that show() draws", async () => {
    const mine = await readProfile(FILES[0]);
    const map = await store.heatmap({hosts: ["web-1"], axis: "capture"});
    expect(Array.from(map.counts)).toEqual(Array.from(heatmap(mine).counts));
    expect(displayData(map)["text/html"]).toContain("samples per cell");
    const strips = await store.heatmapsByHost();
    const shown = displayData(strips);
    expect(shown["text/html"]!.match(/class="[^"]*subsecond-heatmap-chart/g)).toHaveLength(2);
    expect(shown["text/plain"]).toMatch(/^web-1: 61 seconds × 50 rows.*\nweb-2: 61 seconds/);
    // The union of the hosts' seconds: web-2's capture ends later, starting 15 s after.
    expect(strips[0].map.columns).toBe(15 + heatmap(await readProfile(FILES[1])).columns);
    const tree = await store.flamegraph({hosts: ["web-1"], from: 0, to: 7.5, axis: "capture"});
    expect(tree.samples).toBe(flameTree(mine, seconds(0, 7.5)).samples);
    expect(tree.samples).toBeGreaterThan(500);
    expect(displayData(tree)["text/html"]).toContain('class="frame"');
    await expect(store.flamegraph({from: "2026-11-21T11:47:00Z"})).rejects.toThrow("both from and to");
    await expect(store.flamegraph({from: "noon", to: "later"})).rejects.toThrow(/"noon" is not a time/);
  });
});
