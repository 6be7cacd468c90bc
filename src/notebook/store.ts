// Profile stores in notebooks: the store's queries with Arquero tables and the values
// show() draws (a Heat map, a FlameTree, strips by host), as `subsecond store` draws them.
//
//   const store = await openStore("fleet", {create: true});
//   await store.add(["../examples/c-global-lock.perf.gz"], {host: "web-1"});
//   show(await store.query("SELECT host, count(*) AS samples FROM samples GROUP BY host"));
//   show(await store.heatmap({period: 900}));
//   show(await store.flamegraph({hosts: ["web-1"], from: "2026-11-21T11:47:40Z", to: "2026-11-21T11:48:40Z"}));
import * as aq from "arquero";
import {basename} from "node:path";
import type {FlameTree} from "../lib/flametree.js";
import type {Heatmap} from "../lib/heatmap.js";
import {readProfile} from "../node/index.js";
import {ProfileStore, rangeEndNs, type AddResult, type FileAddOptions, type FleetHeatmapOptions, type HostHeatmap, type StoreSelection} from "../node/store/store.js";

export interface StoreFlameOptions extends Omit<StoreSelection, "range"> {
  /** The range [from, to): wall-clock times (Date, ISO 8601 text, ms since the epoch),
   * or with axis "capture" seconds since each capture's origin. */
  from?: Date | string | number;
  to?: Date | string | number;
  axis?: "wall" | "capture";
}

/** A store opened in a notebook: see openStore. */
export class NotebookStore {
  constructor(readonly store: ProfileStore) {}

  get dir(): string {
    return this.store.dir;
  }

  /** Adds capture files (any format readProfile reads); a file whose bytes are in the
   * store already is skipped (added: false). */
  async add(files: string | string[], options: FileAddOptions = {}): Promise<(AddResult & {file: string})[]> {
    const added = [];
    for (const file of typeof files === "string" ? [files] : files) added.push({file, ...(await this.store.addFile(file, (path) => readProfile(path), options))});
    return added;
  }

  /** SQL on the store's views (samples, stacks, frames, patterns, profiles; README
   * "Profile stores"), as an Arquero table in the query's column order. */
  async query(sql: string): Promise<aq.ColumnTable> {
    const {names, columns} = await this.store.queryColumns(sql);
    return aq.table(Object.fromEntries(names.map((n) => [n, columns[n]])));
  }

  /** The captures in the store, as `subsecond store list` lists them. */
  async list(): Promise<aq.ColumnTable> {
    return aq.from(await this.store.list());
  }

  /** The fleet heat map (samples summed over the chosen captures). */
  heatmap(options: FleetHeatmapOptions = {}): Promise<Heatmap> {
    return this.store.heatmap({title: basename(this.store.dir), ...options});
  }

  /** One heat map per host on one wall-clock axis, ranked by a pattern kind if given. */
  heatmapsByHost(options: FleetHeatmapOptions & {rank?: string} = {}): Promise<HostHeatmap[]> {
    return this.store.heatmapsByHost(options);
  }

  /** The flame tree of a selection across captures (diffTrees compares two). */
  async flamegraph(options: StoreFlameOptions = {}): Promise<FlameTree> {
    const {from, to, axis = "wall", ...selection} = options;
    if ((from === undefined) !== (to === undefined)) throw new Error("flamegraph takes both from and to, or neither");
    const ns = (t: Date | string | number, what: string): bigint => {
      const end = rangeEndNs(t, axis);
      if (end === null) throw new Error(`flamegraph: ${what} ${JSON.stringify(t)} is not ${axis === "capture" ? "a number of seconds" : "a time (Date, ISO 8601 text or ms since the epoch)"}`);
      return end;
    };
    return this.store.flameTree({...selection, ...(from === undefined ? {} : {range: {axis, from: ns(from, "from"), to: ns(to!, "to")}})});
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Opens the profile store in `dir` (`create`: make it when the folder is missing or
 * empty), for queries and show(). */
export async function openStore(dir: string, options: {create?: boolean} = {}): Promise<NotebookStore> {
  return new NotebookStore(await ProfileStore.open(dir, options));
}
