// A profile store: many captures parsed once into one Parquet dataset (written by
// DuckDB's COPY … TO … (FORMAT parquet, PARTITION_BY …)), queried with DuckDB. Node
// only: DuckDB is a native module. The schema is in README.md ("Profile stores").
import {createHash} from "node:crypto";
import {closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync} from "node:fs";
import {basename, dirname, join, relative, resolve} from "node:path";
import type {DuckDBConnection, DuckDBDoubleVector, DuckDBInstance, DuckDBIntegerVector} from "@duckdb/node-api";
import {idleStacks} from "../../lib/idle.js";
import {FRAME_KINDS, wallClockMs, type FrameKind, type Profile} from "../../lib/profile.js";
import {NS} from "../../lib/time.js";
import {DEFAULT_ROWS, type Heatmap} from "../../lib/heatmap.js";
import {flameTreeOfPaths, type FlameTree} from "../../lib/flametree.js";
import {DEFAULT_MIN_CONFIDENCE, findPatterns, type PatternInstance} from "../../lib/patterns/index.js";

/** DuckDB, loaded when a store is opened: the CLI's bundle holds the store's commands,
 * and loading DuckDB's native module costs every other command about 0.5 s of CPU. */
const duckdb = () => import("@duckdb/node-api");

/** The file that marks a folder as a store: nothing else is ever written into a
 * folder without it. */
export const STORE_MARKER = "subsecond-store.json";
const MARKER_TEXT = JSON.stringify({format: "subsecond-store", version: 1}) + "\n";
/** "profiles" last: the order in which an add moves its staged files into place. */
const TABLES = ["samples", "stacks", "frames", "patterns", "profiles"] as const;
/** Where an add writes its files before moving them into the tables' folders. */
const STAGING = ".staging";
/** Host names become partition folder names: kept to a safe alphabet. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const CHUNK_ROWS = 2048;

export class StoreError extends Error {}

export interface AddOptions {
  /** Host of the capture: default the header's hostname. */
  host?: string;
  labels?: Record<string, string>;
  /** The capture's content hash (hex sha256): default the hash of `bytes`. */
  contentHash: string;
  /** Size of the file read, for `store list`. */
  bytes: number;
  /** Wall-clock time (ms since the epoch) of the profile's origin, for captures
   * whose header has no reference time. */
  originWallClockMs?: number;
}

export type FileAddOptions = Omit<AddOptions, "contentHash" | "bytes">;

export interface AddResult {
  profile: string;
  added: boolean;
  samples: number;
  newStacks: number;
}

/** A stable 64-bit id: the first 8 bytes of sha256(text), as a signed integer. */
export function stableId(text: string): bigint {
  return createHash("sha256").update(text).digest().readBigInt64BE(0);
}

/** sha256 of a file's bytes, hex: the content hash that detects a capture added twice.
 * Read in 1 MiB pieces: a capture of gigabytes is never held whole. */
export function fileContentHash(path: string): {hash: string; bytes: number} {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, "r");
  let bytes = 0;
  try {
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; bytes += n) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return {hash: hash.digest("hex"), bytes};
}

function sqlText(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

export class ProfileStore {
  private constructor(readonly dir: string, private instance: DuckDBInstance, readonly connection: DuckDBConnection) {}

  /** Opens the store in `dir`; with `create`, makes it when the folder is missing or
   * empty. A folder with other contents and no marker is refused. */
  static async open(dir: string, options: {create?: boolean} = {}): Promise<ProfileStore> {
    const root = resolve(dir);
    const marker = join(root, STORE_MARKER);
    if (!existsSync(marker)) {
      if (!options.create) throw new StoreError(`${dir} is not a profile store (no ${STORE_MARKER}); make one with \`subsecond store add … --store ${dir}\``);
      if (existsSync(root) && readdirSync(root).length > 0) throw new StoreError(`${dir} is a folder with other files and no ${STORE_MARKER}: subsecond makes a store only in a new or empty folder`);
      mkdirSync(root, {recursive: true});
      writeFileSync(marker, MARKER_TEXT, {flag: "wx"});
    } else if (readFileSync(marker, "utf8") !== MARKER_TEXT) {
      throw new StoreError(`${marker}: not a version 1 subsecond store marker`);
    }
    for (const t of TABLES) mkdirSync(join(root, t), {recursive: true});
    // A writer first clears what an interrupted add left (see recoverInterruptedAdds).
    if (options.create) recoverInterruptedAdds(root);
    const {DuckDBInstance} = await duckdb();
    const instance = await DuckDBInstance.create(":memory:", {memory_limit: "1GB"});
    const store = new ProfileStore(root, instance, await instance.connect());
    await store.defineViews();
    return store;
  }

  /** One view per table over the Parquet files of committed captures (an empty table
   * until it has one): files of a capture without its profiles row, left by an
   * interrupted add, are never read. */
  private async defineViews(): Promise<void> {
    const empty: Record<(typeof TABLES)[number], string> = {
      samples: "profile VARCHAR, host VARCHAR, date VARCHAR, wall_ns BIGINT, offset_ns BIGINT, stack_id BIGINT, weight DOUBLE, pid INTEGER, tid INTEGER, cpu INTEGER, event VARCHAR, idle BOOLEAN",
      stacks: "stack_id BIGINT, parent_id BIGINT, frame_id BIGINT, depth INTEGER",
      frames: "frame_id BIGINT, name VARCHAR, module VARCHAR, kind VARCHAR",
      patterns: "profile VARCHAR, host VARCHAR, kind VARCHAR, label VARCHAR, confidence DOUBLE, first_wall_ns BIGINT, first_offset_s DOUBLE, occurrences INTEGER, occupied_s DOUBLE, instance VARCHAR",
      profiles: "profile VARCHAR, sha256 VARCHAR, source VARCHAR, host VARCHAR, labels VARCHAR, header VARCHAR, format VARCHAR, reference_time VARCHAR, origin_perf_s DOUBLE, start_ns BIGINT, span_ns BIGINT, samples BIGINT, idle_samples BIGINT, weight DOUBLE, bytes BIGINT",
    };
    const committed = committedIds(this.dir);
    for (const t of TABLES) {
      const files = tableFiles(this.dir, t).filter((f) => committed.has(captureIdOfFile(f)));
      await this.connection.run(files.length
        ? `CREATE OR REPLACE VIEW ${t} AS SELECT * FROM read_parquet([${files.map(sqlText).join(", ")}], hive_partitioning = ${t === "samples"}, union_by_name = true)`
        : `CREATE OR REPLACE TEMP TABLE empty_${t} (${empty[t]}); CREATE OR REPLACE VIEW ${t} AS SELECT * FROM empty_${t}`);
    }
  }

  /** Rows of a query as objects (BIGINTs as bigint). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  }

  /** A query's result column by column, in the query's column order (BIGINTs as
   * bigint, timestamps as Date): what a table (Arquero) is made from. */
  async queryColumns(sql: string): Promise<{names: string[]; columns: Record<string, unknown[]>}> {
    const reader = await this.connection.runAndReadAll(sql);
    return {names: reader.columnNames(), columns: reader.getColumnsObjectJS() as Record<string, unknown[]>};
  }

  /** Adds a capture file: skipped (added: false) when its bytes are in the store
   * already, else read with `read` (which reports the file's problems its own way) and
   * added. */
  async addFile(path: string, read: (path: string) => Promise<Profile>, options: FileAddOptions = {}): Promise<AddResult> {
    let content;
    try {
      content = fileContentHash(path);
    } catch (e) {
      throw new StoreError(`cannot read ${path}: ${(e as Error).message}`);
    }
    if (await this.hasProfile(content.hash)) return {profile: content.hash.slice(0, 16), added: false, samples: 0, newStacks: 0};
    return this.add(await read(path), {...options, contentHash: content.hash, bytes: content.bytes});
  }

  async hasProfile(contentHash: string): Promise<boolean> {
    const rows = await this.query(`SELECT count(*)::INTEGER AS n FROM profiles WHERE sha256 = ${sqlText(contentHash)}`);
    return (rows[0].n as number) > 0;
  }

  /** Adds one parsed capture: its samples (partitioned by host and date), the stacks
   * and frames the store does not hold yet, and its profiles row (written last: a
   * capture is in the store once that row is). A capture already in the store (same
   * content hash) is skipped. */
  async add(profile: Profile, options: AddOptions): Promise<AddResult> {
    const id = options.contentHash.slice(0, 16);
    if (await this.hasProfile(options.contentHash)) return {profile: id, added: false, samples: 0, newStacks: 0};
    if (!/^[0-9a-f]{64}$/.test(options.contentHash)) throw new StoreError(`${profile.source}: a content hash is 64 hex digits of sha256`);
    const taken = await this.query(`SELECT count(*)::INTEGER AS n FROM profiles WHERE profile = ${sqlText(id)}`);
    const files = ["stacks", "frames", "patterns", "profiles"].map((t) => join(this.dir, t, `${id}.parquet`));
    if ((taken[0].n as number) > 0 || files.some((f) => existsSync(f))) throw new StoreError(`${profile.source}: the store already holds files of capture id ${id} (another capture's hash begins the same): not overwritten`);
    const host = options.host ?? profile.header.hostname;
    if (host === undefined) throw new StoreError(`${profile.source}: the header names no host: pass --host NAME`);
    if (!HOST_NAME.test(host)) throw new StoreError(`${profile.source}: host ${JSON.stringify(host)} is not a plain host name (letters, digits, . _ -): pass --host NAME`);
    const originWall = profile.origin === null ? null : options.originWallClockMs ?? wallClockMs(profile, 0);
    if (profile.origin !== null && originWall === null) throw new StoreError(`${profile.source}: the header has no reference time (perf script --header of a newer perf prints one): pass --start TIME`);
    const c = this.connection;
    const {frames, stacks, strings, threads, events, samples} = profile;

    // Content-addressed frames and stacks: a stack's id hashes its parent's id and its
    // frame's id, so the same path gets the same id in every capture.
    const frameIds = new Array<bigint>(frames.length);
    for (let f = 0; f < frames.length; f++) {
      frameIds[f] = stableId(JSON.stringify([strings[frames.name[f]], frames.module[f] < 0 ? "" : strings[frames.module[f]], FRAME_KINDS[frames.kind[f]]]));
    }
    const stackIds = new Array<bigint>(stacks.length);
    const depth = new Int32Array(stacks.length);
    for (let s = 0; s < stacks.length; s++) {
      const p = stacks.prefix[s];
      stackIds[s] = stableId(`${p < 0 ? "" : stackIds[p]}/${frameIds[stacks.frame[s]]}`);
      depth[s] = p < 0 ? 0 : depth[p] + 1;
    }
    const idle = idleStacks(profile, "default");
    await c.run(`CREATE OR REPLACE TEMP TABLE new_frames (frame INTEGER, frame_id BIGINT, name VARCHAR, module VARCHAR, kind VARCHAR);
      CREATE OR REPLACE TEMP TABLE new_stacks (stack INTEGER, stack_id BIGINT, parent_id BIGINT, frame_id BIGINT, depth INTEGER, idle BOOLEAN);
      CREATE OR REPLACE TEMP TABLE new_threads (thread INTEGER, pid INTEGER, tid INTEGER);
      CREATE OR REPLACE TEMP TABLE new_events (event INTEGER, name VARCHAR);
      CREATE OR REPLACE TEMP TABLE new_samples (t DOUBLE, stack INTEGER, weight DOUBLE, thread INTEGER, cpu INTEGER, event INTEGER)`);
    await appendRows(c, "new_frames", frames.length, (f) => [f, frameIds[f], strings[frames.name[f]], frames.module[f] < 0 ? "" : strings[frames.module[f]], FRAME_KINDS[frames.kind[f]]]);
    await appendRows(c, "new_stacks", stacks.length, (s) => [s, stackIds[s], stacks.prefix[s] < 0 ? null : stackIds[stacks.prefix[s]], frameIds[stacks.frame[s]], depth[s], idle[s] === 1]);
    await appendRows(c, "new_threads", threads.length, (t) => [t, threads.pid[t] < 0 ? null : threads.pid[t], threads.tid[t]]);
    await appendRows(c, "new_events", events.length, (e) => [e, events[e].name]);
    await appendSamples(c, samples);

    const startNs = originWall === null ? "NULL" : `${BigInt(Math.round(originWall * 1e6))}`;
    let total = 0, idleCount = 0, weight = 0, last = 0;
    for (let i = 0; i < samples.length; i++) {
      total++;
      weight += samples.weight[i];
      if (idle[samples.stack[i]] === 1) idleCount++;
      if (!Number.isNaN(samples.time[i])) last = samples.time[i];
    }
    let newStacks = 0;
    // Every file is written into a staging folder first and moved into place at the
    // end, profiles row last: an add that fails or is killed leaves no file a query reads.
    const stage = join(this.dir, STAGING, `${id}-${process.pid}`);
    rmSync(stage, {recursive: true, force: true});
    for (const t of TABLES) mkdirSync(join(stage, t), {recursive: true});
    try {
      await c.run(`COPY (
          SELECT ${sqlText(id)} AS profile, ${sqlText(host)} AS host,
            CASE WHEN isnan(s.t) THEN 'none' ELSE strftime(epoch_ms((${startNs}::BIGINT + s.t::BIGINT) // 1000000), '%Y-%m-%d') END AS date,
            CASE WHEN isnan(s.t) THEN NULL ELSE ${startNs}::BIGINT + s.t::BIGINT END AS wall_ns,
            CASE WHEN isnan(s.t) THEN NULL ELSE s.t::BIGINT END AS offset_ns,
            k.stack_id, s.weight, th.pid, th.tid, CASE WHEN s.cpu < 0 THEN NULL ELSE s.cpu END AS cpu, e.name AS event, k.idle
          FROM new_samples s JOIN new_stacks k USING (stack) JOIN new_threads th USING (thread) JOIN new_events e USING (event)
        ) TO ${sqlText(join(stage, "samples"))} (FORMAT parquet, PARTITION_BY (host, date), APPEND, FILENAME_PATTERN ${sqlText(`${id}_{uuid}`)})`);
      const [fresh] = await this.query(`SELECT count(*)::INTEGER AS n FROM new_stacks WHERE stack_id NOT IN (SELECT stack_id FROM stacks)`);
      newStacks = fresh.n as number;
      await c.run(`COPY (SELECT stack_id, parent_id, frame_id, depth FROM new_stacks WHERE stack_id NOT IN (SELECT stack_id FROM stacks) ORDER BY depth)
        TO ${sqlText(join(stage, "stacks", `${id}.parquet`))} (FORMAT parquet)`);
      await c.run(`COPY (SELECT DISTINCT frame_id, name, module, kind FROM new_frames WHERE frame_id NOT IN (SELECT frame_id FROM frames))
        TO ${sqlText(join(stage, "frames", `${id}.parquet`))} (FORMAT parquet)`);
      await this.writePatterns(profile, id, host, originWall, join(stage, "patterns", `${id}.parquet`));
      const header = JSON.stringify(profile.header.fields);
      const row = [
        sqlText(id), sqlText(options.contentHash), sqlText(profile.source), sqlText(host), sqlText(JSON.stringify(options.labels ?? {})), sqlText(header),
        sqlText(profile.header.fields.format ?? "perf script"), profile.header.referenceTime ? sqlText(profile.header.referenceTime.text) : "NULL",
        profile.origin === null ? "NULL::DOUBLE" : `${profile.origin}::DOUBLE`, `${startNs}::BIGINT`, `${last}::BIGINT`, `${total}::BIGINT`, `${idleCount}::BIGINT`, `${weight}::DOUBLE`, `${options.bytes}::BIGINT`,
      ];
      const names = ["profile", "sha256", "source", "host", "labels", "header", "format", "reference_time", "origin_perf_s", "start_ns", "span_ns", "samples", "idle_samples", "weight", "bytes"];
      await c.run(`COPY (SELECT ${row.map((v, k) => `${v} AS ${names[k]}`).join(", ")}) TO ${sqlText(join(stage, "profiles", `${id}.parquet`))} (FORMAT parquet)`);
      await c.run("DROP TABLE new_frames; DROP TABLE new_stacks; DROP TABLE new_threads; DROP TABLE new_events; DROP TABLE new_samples");
      for (const t of TABLES) {
        for (const file of tableFiles(stage, t)) {
          const target = join(this.dir, relative(stage, file));
          mkdirSync(dirname(target), {recursive: true});
          renameSync(file, target);
        }
      }
    } finally {
      // Whatever is still here was not moved into place: never read, removed.
      rmSync(stage, {recursive: true, force: true});
    }
    await this.defineViews();
    return {profile: id, added: true, samples: total, newStacks};
  }

  /** The pattern detectors' instances for one capture, computed while its Profile is
   * in memory (the store keeps no comm names, which the detectors report), at the
   * default threshold: as \`subsecond patterns FILE\` reports them (the threshold also
   * steers detection, so a lower one cannot be had by filtering). */
  private async writePatterns(profile: Profile, id: string, host: string, originWallMs: number | null, file: string): Promise<void> {
    const c = this.connection;
    const found: PatternInstance[] = findPatterns(profile);
    await c.run(`CREATE OR REPLACE TEMP TABLE new_patterns (${"profile VARCHAR, host VARCHAR, kind VARCHAR, label VARCHAR, confidence DOUBLE, first_wall_ns BIGINT, first_offset_s DOUBLE, occurrences INTEGER, occupied_s DOUBLE, instance VARCHAR"})`);
    await appendRows(c, "new_patterns", found.length, (k) => {
      const p = found[k];
      const first = p.occurrences[0]?.from ?? null;
      return [id, host, p.kind, p.label, p.confidence,
        first === null || originWallMs === null ? null : BigInt(Math.round(originWallMs * 1e6)) + BigInt(Math.round(first * NS)),
        first, p.occurrences.length, p.occurrences.reduce((s, o) => s + (o.to - o.from), 0), JSON.stringify(p)];
    });
    await c.run(`COPY (SELECT * FROM new_patterns) TO ${sqlText(file)} (FORMAT parquet); DROP TABLE new_patterns`);
  }

  /** The stored pattern instances, strongest first: which hosts show which pattern when. */
  async patterns(options: {kinds?: readonly string[]; minConfidence?: number; hosts?: string[]} = {}): Promise<StoredPattern[]> {
    const min = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    if (!(min >= DEFAULT_MIN_CONFIDENCE && min <= 1)) throw new StoreError(`the store holds the instances of confidence ${DEFAULT_MIN_CONFIDENCE} and more: a minimum confidence is from ${DEFAULT_MIN_CONFIDENCE} to 1, not ${min}`);
    const where = [`confidence >= ${min}`];
    if (options.kinds?.length) where.push(`kind IN (${options.kinds.map(sqlText).join(", ")})`);
    if (options.hosts?.length) where.push(`host IN (${options.hosts.map(sqlText).join(", ")})`);
    const rows = await this.query(`SELECT p.profile, p.host, r.source, epoch_ms(r.start_ns // 1000000) AS start, p.kind, p.label, p.confidence,
        epoch_ms(p.first_wall_ns // 1000000) AS first, p.first_offset_s, p.occurrences, p.occupied_s, p.instance
      FROM patterns p JOIN profiles r USING (profile) WHERE ${where.join(" AND ")}
      ORDER BY p.host, r.start_ns, p.profile, p.confidence DESC, p.first_offset_s`);
    return rows.map((r) => ({
      profile: r.profile as string, host: r.host as string, source: r.source as string, start: (r.start as Date | null) ?? null,
      first: (r.first as Date | null) ?? null, instance: JSON.parse(r.instance as string) as PatternInstance,
    }));
  }

  /** Hosts ordered by their strongest instance of a pattern kind (hosts without one
   * last, by name): the rows of a fleet heat map ranked by that pattern. */
  async hostsRankedBy(kind: string): Promise<{host: string; confidence: number}[]> {
    const rows = await this.query(`SELECT h.host, coalesce(max(p.confidence), 0) AS confidence
      FROM (SELECT DISTINCT host FROM profiles) h LEFT JOIN patterns p ON p.host = h.host AND p.kind = ${sqlText(kind)}
      GROUP BY h.host ORDER BY confidence DESC, h.host`);
    return rows.map((r) => ({host: r.host as string, confidence: r.confidence as number}));
  }

  /** One heat map per host (all hosts, or `options.hosts`), ordered by name or, with
   * `rank`, by the hosts' strongest instance of that pattern kind; every map spans the
   * same seconds (the union of the hosts'), so the strips share one x axis. */
  async heatmapsByHost(options: FleetHeatmapOptions & {rank?: string} = {}): Promise<HostHeatmap[]> {
    const {rank, ...mapOptions} = options;
    const ranked = rank ? await this.hostsRankedBy(rank) : (await this.query("SELECT DISTINCT host FROM profiles ORDER BY host")).map((r) => ({host: r.host as string, confidence: 0}));
    const shown = ranked.filter((r) => !options.hosts?.length || options.hosts.includes(r.host));
    let span = options.span;
    if (span === undefined && !options.period && shown.length) {
      const [range] = await this.query(`SELECT min(second) AS first, max(second) AS last FROM (${heatmapSql({...mapOptions, hosts: shown.map((r) => r.host)})})`);
      if (range.first !== null) span = {first: range.first as number, last: range.last as number};
    }
    const maps: HostHeatmap[] = [];
    for (const r of shown) maps.push({host: r.host, confidence: rank ? r.confidence : null, rank: rank ?? null, axis: options.axis ?? "wall", period: options.period ?? null, map: await this.heatmap({...mapOptions, span, hosts: [r.host], title: r.host})});
    return maps;
  }

  async list(): Promise<Record<string, unknown>[]> {
    return this.query(`SELECT profile, host, source, labels, epoch_ms(start_ns // 1000000) AS start, span_ns / ${NS} AS seconds, samples, idle_samples, bytes
      FROM profiles ORDER BY host, start_ns, profile`);
  }

  /** The fleet heat map: samples (not idle) of the chosen captures per cell. */
  async heatmap(options: FleetHeatmapOptions = {}): Promise<Heatmap> {
    const rows = options.rows ?? DEFAULT_ROWS;
    const sql = heatmapSql(options);
    const cells = await this.query(sql);
    let first = Infinity, last = -Infinity;
    for (const c of cells) {
      first = Math.min(first, c.second as number);
      last = Math.max(last, c.second as number);
    }
    if (cells.length === 0) first = last = 0;
    if (options.span && !options.period) {
      if (cells.length && (first < options.span.first || last > options.span.last)) throw new StoreError(`the heat map's seconds ${first}..${last} are outside the span ${options.span.first}..${options.span.last} asked for`);
      ({first, last} = options.span);
    }
    const x0 = options.period ? 0 : first;
    const columns = options.period ? Math.ceil(options.period) : last - first + 1;
    const counts = new Uint32Array(columns * rows), weights = new Float64Array(columns * rows);
    let samples = 0, maxCount = 0;
    for (const c of cells) {
      const cell = ((c.second as number) - x0) * rows + (c.bucket as number);
      counts[cell] = c.count as number;
      weights[cell] = c.weight as number;
      samples += c.count as number;
      if (counts[cell] > maxCount) maxCount = counts[cell];
    }
    const wallClock = options.axis !== "capture" && !options.period && (cells.length || options.span) ? first * 1000 : null;
    // Each column is one second (of wall-clock time, of a capture, or within the period).
    return {rows, columns, counts, weights, maxCount, samples, origin: x0, wallClock, period: NS, annotations: [], source: options.title ?? "store"};
  }

  /** The flame tree of a selection across captures (idle samples left out, as
   * flameTree does by default). */
  async flameTree(selection: StoreSelection = {}): Promise<FlameTree> {
    const leaves = await this.query(`SELECT CAST(stack_id AS VARCHAR) AS id, CAST(count(*) AS DOUBLE) AS count, CAST(sum(weight) AS DOUBLE) AS weight
      FROM samples WHERE ${selectionWhere(selection).join(" AND ")} GROUP BY stack_id`);
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE selected_leaves AS SELECT CAST(id AS BIGINT) AS stack_id FROM (VALUES ${leaves.length ? leaves.map((l) => `('${l.id}')`).join(", ") : "(NULL)"}) v(id)`);
    const nodes = await this.query(`WITH RECURSIVE path(stack_id) AS (
        SELECT stack_id FROM selected_leaves WHERE stack_id IS NOT NULL
        UNION SELECT s.parent_id FROM stacks s JOIN path USING (stack_id) WHERE s.parent_id IS NOT NULL)
      SELECT DISTINCT CAST(s.stack_id AS VARCHAR) AS id, CAST(s.parent_id AS VARCHAR) AS parent, s.depth, f.name, f.module, f.kind
      FROM stacks s JOIN frames f USING (frame_id) WHERE s.stack_id IN (SELECT stack_id FROM path) ORDER BY s.depth, id`);
    const at = new Map<string, number>();
    const fns = new Map<string, number>();
    const names: string[] = [], modules: string[] = [], kinds: FrameKind[] = [];
    const n = nodes.length;
    const parent = new Int32Array(n), fn = new Int32Array(n);
    nodes.forEach((node, k) => {
      at.set(node.id as string, k);
      const p = node.parent === null ? -1 : at.get(node.parent as string);
      if (p === undefined) throw new StoreError(`${this.dir}: stack ${node.id}'s parent ${node.parent} is not in the stacks table: the store is damaged`);
      parent[k] = p;
      const key = JSON.stringify([node.name, node.module, node.kind]);
      let f = fns.get(key);
      if (f === undefined) {
        fns.set(key, (f = names.length));
        names.push(node.name as string);
        modules.push(node.module as string);
        kinds.push(node.kind as FrameKind);
      }
      fn[k] = f;
    });
    const self = new Float64Array(n), selfWeight = new Float64Array(n);
    for (const l of leaves) {
      const k = at.get(l.id as string);
      if (k === undefined) throw new StoreError(`${this.dir}: stack ${l.id} of the samples is not in the stacks table: the store is damaged`);
      self[k] = l.count as number;
      selfWeight[k] = l.weight as number;
    }
    return flameTreeOfPaths({names, modules, kinds, parent, fn, self, selfWeight});
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

export interface FleetHeatmapOptions extends Omit<StoreSelection, "range"> {
  rows?: number;
  /** "wall": x = wall-clock seconds (default); "capture": seconds since each capture's
   * origin, captures summed aligned at their starts. */
  axis?: "wall" | "capture";
  /** With the wall axis: x = the second within this period (seconds), all periods summed. */
  period?: number;
  /** The seconds (x values, first and last inclusive) the columns cover, when not
   * folded by a period: maps of several selections drawn on one axis. Default: from the
   * first second with samples to the last. */
  span?: {first: number; last: number};
  title?: string;
}

/** A host's strip of a fleet heat map by host; `confidence`: its strongest instance of
 * the ranking pattern kind (0 without one), null when not ranked. */
export interface HostHeatmap {
  host: string;
  confidence: number | null;
  /** The ranking pattern kind, when ranked. */
  rank: string | null;
  /** What x is: as the options of the query. */
  axis: "wall" | "capture";
  period: number | null;
  map: Heatmap;
}

/** The heat-map query: standard SQL over the samples table (README shows it). */
export function heatmapSql(options: FleetHeatmapOptions = {}): string {
  const rows = options.rows ?? DEFAULT_ROWS;
  if (!Number.isInteger(rows) || rows < 1 || rows > 1000) throw new StoreError("rows takes a whole number from 1 to 1000");
  const t = options.axis === "capture" ? "offset_ns" : "wall_ns";
  const where = [...selectionWhere(options), `${t} IS NOT NULL`];
  let second = `${t} // ${NS}`;
  if (options.period !== undefined) {
    if (options.axis === "capture" || !Number.isInteger(options.period) || options.period < 1) throw new StoreError("--period takes a whole number of seconds ≥ 1, on the wall-clock axis");
    second = `(${t} % ${options.period * NS}) // ${NS}`;
  }
  return `SELECT CAST(${second} AS INTEGER) AS second, CAST(((${t} % ${NS}) * ${rows}) // ${NS} AS INTEGER) AS bucket,
  CAST(count(*) AS INTEGER) AS count, CAST(sum(weight) AS DOUBLE) AS weight
FROM samples WHERE ${where.join(" AND ")}
GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Which samples a query counts: hosts, captures, and a time range. */
export interface StoreSelection {
  hosts?: string[];
  profiles?: string[];
  /** A range [from, to) in ns: wall-clock ns since the epoch (axis "wall", default) or
   * ns since each capture's origin (axis "capture"). */
  range?: {axis?: "wall" | "capture"; from: bigint; to: bigint};
}

/** A range end as StoreSelection's ns: on the "wall" axis a time (a Date, ISO 8601
 * text, or ms since the epoch), on the "capture" axis seconds since each capture's
 * origin; null when it is neither. The CLI and notebooks say why in their own words. */
export function rangeEndNs(t: Date | string | number, axis: "wall" | "capture"): bigint | null {
  const ms = axis === "capture" ? Number(t) * 1000 : t instanceof Date ? t.getTime() : typeof t === "number" ? t : Date.parse(t);
  return Number.isFinite(ms) ? BigInt(Math.round(ms * 1e6)) : null;
}

function selectionWhere(selection: StoreSelection): string[] {
  const where = ["NOT idle"];
  if (selection.hosts?.length) where.push(`host IN (${selection.hosts.map(sqlText).join(", ")})`);
  if (selection.profiles?.length) where.push(`profile IN (${selection.profiles.map(sqlText).join(", ")})`);
  if (selection.range) {
    const t = selection.range.axis === "capture" ? "offset_ns" : "wall_ns";
    where.push(`${t} >= ${BigInt(selection.range.from)} AND ${t} < ${BigInt(selection.range.to)}`);
  }
  return where;
}

type Value = string | number | bigint | boolean | null;

async function appendRows(c: DuckDBConnection, table: string, n: number, row: (i: number) => Value[]): Promise<void> {
  const appender = await c.createAppender(table);
  for (let i = 0; i < n; i++) {
    for (const v of row(i)) {
      if (v === null) appender.appendNull();
      else if (typeof v === "bigint") appender.appendBigInt(v);
      else if (typeof v === "boolean") appender.appendBoolean(v);
      else if (typeof v === "number") Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? appender.appendInteger(v) : appender.appendDouble(v);
      else appender.appendVarchar(v);
    }
    appender.endRow();
  }
  appender.closeSync();
}

/** The sample columns in data chunks of CHUNK_ROWS rows, straight from the typed
 * arrays: memory stays one chunk above the profile's own. */
async function appendSamples(c: DuckDBConnection, samples: Profile["samples"]): Promise<void> {
  const appender = await c.createAppender("new_samples");
  const {DuckDBDataChunk, DOUBLE, INTEGER} = await duckdb();
  const chunk = DuckDBDataChunk.create([DOUBLE, INTEGER, DOUBLE, INTEGER, INTEGER, INTEGER], CHUNK_ROWS);
  const columns = [samples.time, samples.stack, samples.weight, samples.thread, samples.cpu, samples.event];
  for (let from = 0; from < samples.length; from += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, samples.length - from);
    chunk.rowCount = n;
    columns.forEach((column, k) => {
      const vector = chunk.getColumnVector(k) as DuckDBDoubleVector | DuckDBIntegerVector;
      for (let i = 0; i < n; i++) vector.setItem(i, column[from + i]);
      vector.flush();
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** A stored pattern instance with the capture it was found in. */
export interface StoredPattern {
  profile: string;
  host: string;
  source: string;
  /** Wall-clock start of the capture, and of the instance's first occurrence. */
  start: Date | null;
  first: Date | null;
  /** As findPatterns returned it: occurrences in seconds since the capture's origin. */
  instance: PatternInstance;
}

/** The Parquet files of a table folder (samples: in its host=…/date=… folders). */
function tableFiles(root: string, table: string): string[] {
  const dir = join(root, table);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, {recursive: true}).map(String).filter((f) => f.endsWith(".parquet")).sort().map((f) => join(dir, f));
}

/** A table file's capture id: its name up to "_" (samples: ID_UUID.parquet) or ".". */
function captureIdOfFile(file: string): string {
  return basename(file).split(/[_.]/)[0];
}

/** The captures whose profiles row is in place: the committed ones. */
function committedIds(root: string): Set<string> {
  return new Set(tableFiles(root, "profiles").map(captureIdOfFile));
}

/** What an add killed midway (kill -9, a full disk) leaves: its staging folder, and
 * when it died while moving files into place, files of a capture with no profiles
 * row. Queries never read either (defineViews); a writer removes them before adding,
 * so the capture can be added again. One writer at a time: README. */
function recoverInterruptedAdds(root: string): void {
  rmSync(join(root, STAGING), {recursive: true, force: true});
  const committed = committedIds(root);
  for (const t of TABLES) {
    for (const file of tableFiles(root, t)) if (!committed.has(captureIdOfFile(file))) rmSync(file);
  }
}
