// The formats part of `npm run bench`: importing a 200 MB V8 .cpuprofile and a 200 MB
// Chrome trace against JSON.parse of the same text (issue 12: within 3×), each in a
// child process of its own for its peak RSS.
//
// Inputs (git-ignored, in bench/data/): a real `node --cpu-prof` recording of
// bench/workload/deep-parser.mjs (deep stacks, tens of thousands of nodes), made when
// missing, replicated to 200 MB: copy k of the node tree gets ids shifted by k × (the
// largest id) and hangs under the one root, its samples follow the previous copy's in
// time. The trace holds the same copies as Profile / ProfileChunk events of threads of
// their own (chunks of 100 samples, as Chrome writes them).
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {join} from "node:path";

const MB = 1e6;
export const FORMAT_TARGET = {importVsJsonParse: 3};

/** The recording, made when missing (about 30 s). */
function ensureRecording(dataDir, root, log) {
  const out = join(dataDir, "deep-parser.cpuprofile");
  if (existsSync(out)) return out;
  const dir = join(dataDir, "cpuprofile-recording");
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  log(`formats: recording ${out}: node --cpu-prof --cpu-prof-interval 100 bench/workload/deep-parser.mjs 20`);
  const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-interval", "100", "--cpu-prof-dir", dir, join(root, "bench", "workload", "deep-parser.mjs"), "20"], {stdio: ["ignore", "ignore", "inherit"]});
  if (r.status !== 0) throw new Error("the cpuprofile recording failed");
  renameSync(join(dir, readdirSync(dir)[0]), out);
  rmSync(dir, {recursive: true, force: true});
  return out;
}

/** Copies of the recording's tree and samples, as `{nodes, samples, timeDeltas}` per copy. */
function copies(profile, count) {
  const maxId = Math.max(...profile.nodes.map((n) => n.id));
  const root = profile.nodes.find((n) => n.callFrame.functionName === "(root)");
  return Array.from({length: count}, (_, k) => {
    const shift = (id) => (id === root.id ? root.id : id + k * maxId);
    return {
      nodes: profile.nodes.map((n) => ({...n, id: shift(n.id), children: n.children?.map(shift)})),
      samples: profile.samples.map(shift),
      timeDeltas: profile.timeDeltas,
    };
  });
}

function ensureReplicated(dataDir, root, log, targetBytes) {
  const source = ensureRecording(dataDir, root, log);
  const cpuprofile = join(dataDir, "large.cpuprofile");
  const trace = join(dataDir, "large.trace.json");
  if (existsSync(cpuprofile) && existsSync(trace) && statSync(cpuprofile).mtimeMs > statSync(source).mtimeMs) return {source, cpuprofile, trace};
  const profile = JSON.parse(readFileSync(source, "utf8"));
  const count = Math.max(1, Math.ceil(targetBytes / statSync(source).size));
  log(`formats: writing ${count} copies of ${source} as ${cpuprofile} and ${trace}`);
  const all = copies(profile, count);
  // One tree: the copies' nodes (the root once), their samples one after the other.
  const rootNode = profile.nodes.find((n) => n.callFrame.functionName === "(root)");
  const nodes = [{...rootNode, children: all.flatMap((c) => c.nodes.find((n) => n.id === rootNode.id).children ?? [])}, ...all.flatMap((c) => c.nodes.filter((n) => n.id !== rootNode.id))];
  writeFileSync(cpuprofile, JSON.stringify({nodes, startTime: profile.startTime, endTime: profile.endTime, samples: all.flatMap((c) => c.samples), timeDeltas: all.flatMap((c) => c.timeDeltas)}));
  // The trace: each copy a thread of its own, its tree and samples in chunks.
  const events = [{name: "process_name", ph: "M", pid: 1, tid: 0, ts: 0, args: {name: "Renderer"}}];
  all.forEach((c, k) => {
    const tid = k + 1, id = `0x${tid.toString(16)}`;
    events.push({name: "thread_name", ph: "M", pid: 1, tid, ts: 0, args: {name: `worker-${tid}`}});
    events.push({name: "Profile", ph: "P", pid: 1, tid, id, ts: profile.startTime, args: {data: {startTime: profile.startTime}}});
    const parent = new Map();
    for (const n of c.nodes) for (const ch of n.children ?? []) parent.set(ch, n.id);
    const chunkNodes = c.nodes.map(({children, hitCount, positionTicks, ...n}) => (parent.has(n.id) ? {...n, parent: parent.get(n.id)} : n));
    for (let i = 0, first = true; i < c.samples.length; i += 100, first = false) {
      events.push({name: "ProfileChunk", ph: "P", pid: 1, tid, id, ts: profile.startTime, args: {data: {cpuProfile: {...(first ? {nodes: chunkNodes} : {}), samples: c.samples.slice(i, i + 100)}, timeDeltas: c.timeDeltas.slice(i, i + 100)}}});
    }
  });
  writeFileSync(trace, JSON.stringify({traceEvents: events}));
  return {source, cpuprofile, trace};
}

/** `runs` runs of the `json-parse` and `import` child tasks on both inputs. */
export function formatsPerformance({dataDir, root, runs, runChild, log, targetBytes = 200 * MB}) {
  const inputs = ensureReplicated(dataDir, root, log, targetBytes);
  const rows = [];
  for (const [key, file] of [["cpuprofile", inputs.cpuprofile], ["trace", inputs.trace]]) {
    const measure = (task) => {
      const results = [];
      for (let r = 0; r < runs; r++) {
        const res = runChild(task, file);
        log(`  ${task} ${key} run ${r + 1}/${runs}: ${res.ms.toFixed(0)} ms, peak RSS ${(res.maxRssKiB / 1024).toFixed(0)} MiB`);
        results.push(res);
      }
      const ms = results.map((r) => r.ms).sort((a, b) => a - b);
      return {msMedian: ms[ms.length >> 1], msMin: ms[0], rssMiBMax: Math.max(...results.map((r) => r.maxRssKiB / 1024)), last: results[results.length - 1]};
    };
    const json = measure("json-parse");
    const imported = measure("import");
    rows.push({key, file, bytes: statSync(file).size, json, imported, ratio: imported.msMedian / json.msMedian, pass: imported.msMedian / json.msMedian <= FORMAT_TARGET.importVsJsonParse});
  }
  return {source: inputs.source, rows};
}

/** The child tasks: the floor (read the file, decode it, JSON.parse it) and the import. */
export async function formatsChild(task, file, lib) {
  const t0 = performance.now();
  if (task === "json-parse") {
    const value = JSON.parse(new TextDecoder().decode(readFileSync(file)));
    return {ms: performance.now() - t0, keys: Object.keys(value).length};
  }
  const profile = await lib.readProfile(file, {sidecar: false});
  return {ms: performance.now() - t0, samples: profile.samples.length, stacks: profile.stacks.length, frames: profile.frames.length, format: profile.header.fields.format};
}
