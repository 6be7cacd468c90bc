// The profile store against the in-memory analyses of the same real captures: counts,
// heat maps and flame trees must be equal, exactly.
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";
import {findPatterns} from "../../src/lib/patterns/index.js";
import {flameNodeJson, flameTree} from "../../src/lib/flametree.js";
import {heatmap} from "../../src/lib/heatmap.js";
import {idleStacks} from "../../src/lib/idle.js";
import {wallClockMs, type Profile} from "../../src/lib/profile.js";
import {summarize} from "../../src/lib/summary.js";
import {timeRange} from "../../src/lib/selection.js";
import {readProfile} from "../../src/node/index.js";
import {fileContentHash, ProfileStore} from "../../src/node/store/store.js";
import {hostHeatmapsSvg} from "../../src/node/store/render.js";
import {runCli} from "../cli/run.js";
import {parseSvg, snapshot} from "../lib/render-fixture.js";

const EXAMPLES = new URL("../../examples/", import.meta.url).pathname;
const FILES = ["c-global-lock.perf.gz", "jvm-g1-gc.perf.gz", "node-cache-refresh.perf.gz"].map((f) => join(EXAMPLES, f));

let store: ProfileStore;
const profiles: Profile[] = [];
const ids: string[] = [];

beforeAll(async () => {
  store = await ProfileStore.open(join(mkdtempSync(join(tmpdir(), "subsecond-store-")), "store"), {create: true});
  for (const [k, file] of FILES.entries()) {
    const profile = await readProfile(file);
    const {hash, bytes} = fileContentHash(file);
    const r = await store.add(profile, {contentHash: hash, bytes, host: `host-${k % 2}`});
    expect(r.added).toBe(true);
    profiles.push(profile);
    ids.push(r.profile);
  }
}, 60_000);

afterAll(() => store?.close());

describe("profile store", () => {
  it("holds per capture the sample and idle counts of `subsecond info`", async () => {
    const rows = await store.query(`SELECT p.profile, p.samples::INTEGER AS samples, p.idle_samples::INTEGER AS idle,
        (SELECT count(*)::INTEGER FROM samples s WHERE s.profile = p.profile) AS stored,
        (SELECT count(*)::INTEGER FROM samples s WHERE s.profile = p.profile AND s.idle) AS stored_idle FROM profiles p`);
    for (const [k, profile] of profiles.entries()) {
      const s = summarize(profile);
      const row = rows.find((r) => r.profile === ids[k])!;
      expect([row.samples, row.idle, row.stored, row.stored_idle]).toEqual([s.samples.total, s.samples.idle, s.samples.total, s.samples.idle]);
    }
    // The real figures, so a change in them is seen.
    expect(profiles.map((p) => summarize(p).samples.total)).toEqual([4933, 6550, 3280]);
  });

  it("skips a capture added twice and stores a shared stack once", async () => {
    const {hash, bytes} = fileContentHash(FILES[0]);
    expect((await store.add(profiles[0], {contentHash: hash, bytes})).added).toBe(false);
    const [dupes] = await store.query("SELECT (count(*) - count(DISTINCT stack_id))::INTEGER AS n FROM stacks");
    expect(dupes.n).toBe(0);
    const [stored] = await store.query("SELECT count(*)::INTEGER AS n FROM stacks");
    const distinct = new Set(profiles.flatMap((p) => Array.from({length: p.stacks.length}, (_, s) => stackPath(p, s)))).size;
    expect(stored.n).toBe(distinct);
  });

  it("draws each capture's heat map as heatmap() does, and their sum aligned at the origins", async () => {
    for (const [k, profile] of profiles.entries()) {
      const mine = heatmap(profile);
      const stored = await store.heatmap({axis: "capture", profiles: [ids[k]]});
      expect([stored.columns, stored.samples]).toEqual([mine.columns, mine.samples]);
      expect(Array.from(stored.counts)).toEqual(Array.from(mine.counts));
      expect(Array.from(stored.weights)).toEqual(Array.from(mine.weights));
    }
    const sum = await store.heatmap({axis: "capture"});
    const maps = profiles.map((p) => heatmap(p));
    expect(sum.columns).toBe(Math.max(...maps.map((m) => m.columns)));
    const expected = new Array(sum.counts.length).fill(0);
    for (const m of maps) m.counts.forEach((c, i) => (expected[i] += c));
    expect(Array.from(sum.counts)).toEqual(expected);
  });

  it("puts samples in wall-clock seconds", async () => {
    const p = profiles[0];
    const start = BigInt(Math.round(wallClockMs(p, 0)! * 1e6));
    const idle = idleStacks(p);
    const cells = new Map<string, number>();
    let first = Infinity;
    for (let i = 0; i < p.samples.length; i++) {
      if (idle[p.samples.stack[i]]) continue;
      const wall = start + BigInt(p.samples.time[i]);
      const second = Number(wall / 1_000_000_000n), bucket = Number(((wall % 1_000_000_000n) * 50n) / 1_000_000_000n);
      first = Math.min(first, second);
      cells.set(`${second},${bucket}`, (cells.get(`${second},${bucket}`) ?? 0) + 1);
    }
    const map = await store.heatmap({profiles: [ids[0]]});
    expect(map.origin).toBe(first);
    expect(map.wallClock).toBe(first * 1000);
    for (const [key, count] of cells) {
      const [second, bucket] = key.split(",").map(Number);
      expect(map.counts[(second - first) * 50 + bucket]).toBe(count);
    }
    expect(map.samples).toBe(summarize(p).samples.total - summarize(p).samples.idle);
  });

  it("makes the flame tree of a selection as flameTree() does", async () => {
    const p = profiles[1];
    const from = 5_000_000_000, to = 12_500_000_000;
    const mine = flameTree(p, [timeRange(from / 1e9, to / 1e9)]);
    const stored = await store.flameTree({profiles: [ids[1]], range: {axis: "capture", from: BigInt(from), to: BigInt(to)}});
    expect([stored.samples, mine.samples]).toEqual([959, 959]);
    expect(flameNodeJson(stored.root)).toBe(flameNodeJson(mine.root));
    // A whole host: the sum of its captures (host-0 holds captures 0 and 2).
    const host = await store.flameTree({hosts: ["host-0"]});
    expect(host.samples).toBe(flameTree(profiles[0]).samples + flameTree(profiles[2]).samples);
  });

  it("refuses a folder that is not a store, and a capture without a host it can name", async () => {
    const dir = mkdtempSync(join(tmpdir(), "subsecond-notstore-"));
    writeFileSync(join(dir, "keep.txt"), "mine");
    await expect(ProfileStore.open(dir, {create: true})).rejects.toThrow(/other files and no subsecond-store.json/);
    await expect(ProfileStore.open(join(dir, "missing"))).rejects.toThrow(/is not a profile store/);
    const {hash, bytes} = fileContentHash(FILES[2]);
    await expect(store.add(profiles[2], {contentHash: hash.replace(/^./, "f"), bytes, host: "../etc"})).rejects.toThrow(/not a plain host name/);
    // Another hash that begins as a stored capture's: its files are never overwritten.
    await expect(store.add(profiles[2], {contentHash: ids[0] + "0".repeat(48), bytes, host: "h"})).rejects.toThrow(`the store already holds files of capture id ${ids[0]}`);
  });

  it("holds each capture's pattern instances as findPatterns() finds them, hosts ranked by one", async () => {
    const stored = await store.patterns();
    for (const [k, profile] of profiles.entries()) {
      const mine = findPatterns(profile);
      expect(stored.filter((p) => p.profile === ids[k]).map((p) => p.instance).sort((a, b) => b.confidence - a.confidence)).toEqual(mine);
    }
    // The real finds: the lock in the C capture, the GC perturbation in the Node one.
    expect(stored.map((p) => `${p.host} ${p.instance.kind}`)).toContain("host-0 single-threaded-blocking");
    expect(stored.map((p) => `${p.host} ${p.instance.kind}`)).toContain("host-0 perturbation");
    const strong = await store.patterns({minConfidence: 0.9, kinds: ["load-bursts", "perturbation"]});
    expect(strong.length).toBe(profiles.flatMap((p) => findPatterns(p).filter((i) => i.confidence >= 0.9 && ["load-bursts", "perturbation"].includes(i.kind))).length);
    await expect(store.patterns({minConfidence: 0.2})).rejects.toThrow(/from 0.5 to 1/);
    const ranked = await store.hostsRankedBy("single-threaded-blocking");
    expect(ranked.map((r) => r.host)).toEqual(["host-0", "host-1"]);
    expect(ranked[0].confidence).toBeGreaterThan(ranked[1].confidence);
  });

  it("leaves nothing visible of an add that fails midway, and clears what a killed add moved", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "subsecond-store-fail-")), "s");
    const s = await ProfileStore.open(dir, {create: true});
    const {hash, bytes} = fileContentHash(FILES[2]);
    const run = s.connection.run.bind(s.connection);
    // The failure comes after samples, stacks, frames and patterns are written.
    const spy = vi.spyOn(s.connection, "run").mockImplementation(async (sql: string, ...rest: unknown[]) => {
      if (/TO '[^']*profiles/.test(sql)) throw new Error("injected: disk full");
      return (run as (...a: unknown[]) => ReturnType<typeof run>)(sql, ...rest);
    });
    await expect(s.add(profiles[2], {contentHash: hash, bytes, host: "h"})).rejects.toThrow("injected");
    spy.mockRestore();
    const [n] = await s.query("SELECT (SELECT count(*) FROM samples)::INTEGER AS samples, (SELECT count(*) FROM stacks)::INTEGER AS stacks, (SELECT count(*) FROM profiles)::INTEGER AS profiles");
    expect(n).toEqual({samples: 0, stacks: 0, profiles: 0});
    expect(readdirSync(dir, {recursive: true}).map(String).filter((f) => f.endsWith(".parquet"))).toEqual([]);
    // The add again, whole; then a killed add's files moved in without its profiles row.
    expect((await s.add(profiles[2], {contentHash: hash, bytes, host: "h"})).samples).toBe(3280);
    const committed = readdirSync(join(dir, "samples"), {recursive: true}).map(String).find((f) => f.endsWith(".parquet"))!;
    const orphan = join(dir, "samples", committed.replace(/[^/]*$/, "0123456789abcdef_x.parquet"));
    copyFileSync(join(dir, "samples", committed), orphan);
    copyFileSync(join(dir, "stacks", `${ids[2]}.parquet`), join(dir, "stacks", "0123456789abcdef.parquet"));
    mkdirSync(join(dir, ".staging", "0123456789abcdef-1"), {recursive: true});
    await s.close();
    const reader = await ProfileStore.open(dir);
    const [seen] = await reader.query("SELECT count(*)::INTEGER AS n FROM samples");
    expect(seen.n).toBe(3280);
    await reader.close();
    expect(existsSync(orphan)).toBe(true);
    await (await ProfileStore.open(dir, {create: true})).close();
    expect([existsSync(orphan), existsSync(join(dir, "stacks", "0123456789abcdef.parquet")), existsSync(join(dir, ".staging"))]).toEqual([false, false, false]);
  }, 60_000);

  it("draws the strips by host on one wall-clock axis", async () => {
    // Two hosts whose captures overlap in wall-clock time, the second starting 12 s
    // after the first: their strips span the union of their seconds.
    const s = await ProfileStore.open(join(mkdtempSync(join(tmpdir(), "subsecond-store-axis-")), "s"), {create: true});
    const start = Date.UTC(2026, 10, 21, 11, 47, 0);
    for (const [k, host] of ["web-1", "web-2"].entries()) {
      const {hash, bytes} = fileContentHash(FILES[k * 2]);
      await s.add(profiles[k * 2], {contentHash: hash, bytes, host, originWallClockMs: start + k * 12_000});
    }
    const strips = await s.heatmapsByHost({rows: 10});
    await s.close();
    expect(strips.map((t) => [t.host, t.map.samples, t.map.origin, t.map.columns, t.map.wallClock])).toEqual([
      ["web-1", 4160, strips[0].map.origin, strips[0].map.columns, start],
      ["web-2", heatmap(profiles[2]).samples, strips[0].map.origin, strips[0].map.columns, start],
    ]);
    // The union: the first capture's 31 seconds, the second's ending 12 s later.
    const ownColumns = profiles.map((p) => heatmap(p).columns);
    expect(strips[0].map.columns).toBe(Math.max(ownColumns[0], 12 + ownColumns[2]));
    const svg = hostHeatmapsSvg(strips);
    const charts = Array.from(parseSvg(svg).querySelectorAll("svg.subsecond-heatmap-chart"));
    expect(charts.map((c) => [c.getAttribute("data-left"), c.getAttribute("data-columns")])).toEqual([["48", String(strips[0].map.columns)], ["48", String(strips[0].map.columns)]]);
    expect(svg).toContain("x = wall-clock seconds from 2026-11-21T11:47:00Z");
    snapshot("store-by-host.svg", svg);
  }, 60_000);

  it("runs as subsecond store add, list and heatmap", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "subsecond-store-cli-")), "s");
    mkdirSync(dir);
    const add = runCli(["store", "add", FILES[0], FILES[0], "--store", dir, "--host", "web-1", "--label", "env=prod"]);
    expect(add.status).toBe(0);
    expect(add.stderr).toMatch(/added as [0-9a-f]{16} \(4933 samples, 194 new stacks\)/);
    expect(add.stderr).toMatch(/already in the store \(same content\), skipped/);
    const list = runCli(["store", "list", "--store", dir, "--json"]);
    const row = JSON.parse(list.stdout);
    expect([row.host, row.samples, row.idle_samples, row.labels]).toEqual(["web-1", 4933, 773, '{"env":"prod"}']);
    const map = JSON.parse(runCli(["store", "heatmap", "--store", dir, "--axis", "capture", "--format", "json"]).stdout);
    expect([map.columns, map.samples]).toEqual([31, 4160]);
    const tree = JSON.parse(runCli(["store", "flamegraph", "--store", dir, "--host", "web-1", "--format", "json"]).stdout);
    expect(tree.samples).toBe(4160);
    const found = runCli(["store", "patterns", "--store", dir, "--json"]).stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(found.map((p) => [p.host, p.kind])).toEqual(findPatterns(profiles[0]).map((p) => ["web-1", p.kind]));
    expect(runCli(["store", "patterns", "--store", dir]).stdout).toMatch(/^host\tprofile.*\nweb-1\t[0-9a-f]{16}\t2\d{3}-.*single-threaded-blocking\t1\.00/);
    const ranked = runCli(["store", "heatmap", "--store", dir, "--by-host", "--rank", "single-threaded-blocking", "--axis", "capture", "--format", "json"]).stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(ranked.map((r) => [r.host, r.confidence, r.samples])).toEqual([["web-1", findPatterns(profiles[0])[0].confidence, 4160]]);
    expect(runCli(["store", "heatmap", "--store", dir, "--rank", "nope"]).status).toBe(2);
    // A file name and a label with escape sequences, a tab and a newline: one row, inert.
    const hostile = join(dir, "..", "a\x1b[2J\tb\nc.perf.gz");
    copyFileSync(FILES[1], hostile);
    expect(runCli(["store", "add", hostile, "--store", dir, "--host", "web-3", "--label", "k=\x1b]0;t\x07v"]).status).toBe(0);
    const table = runCli(["store", "list", "--store", dir]).stdout;
    expect(table).not.toMatch(/[\x00-\x08\x0b-\x1f]/);
    expect(table.trim().split("\n")).toHaveLength(3);
    expect(table).toContain("a\\x1b[2J\\tb\\nc.perf.gz\t");
    expect(table).toContain('"k":"\\u001b]0;t\\u0007v"');
    const none = runCli(["store", "flamegraph", "--store", dir, "--host", "web-2"]);
    expect([none.status, none.stderr]).toEqual([1, "subsecond store: the selection has no samples\n"]);
  }, 300_000);
});

function stackPath(p: Profile, s: number): string {
  const parts: string[] = [];
  for (let k = s; k >= 0; k = p.stacks.prefix[k]) {
    const f = p.stacks.frame[k];
    parts.push(`${p.strings[p.frames.name[f]]}\0${p.frames.module[f] < 0 ? "" : p.strings[p.frames.module[f]]}\0${p.frames.kind[f]}`);
  }
  return parts.join("\n");
}
