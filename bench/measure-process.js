// Wall time and peak RSS of one whole process (a command as a user runs it), for the
// benchmark's side-by-side table. Standard output goes to /dev/null.
//
// Peak RSS comes from GNU time (`/usr/bin/time -f %M`: the kernel's ru_maxrss of the
// process, from wait4) when it is installed (Debian package `time`), the same meter for
// node and perl. Without it, node processes report their own
// `process.resourceUsage().maxRSS` at exit through a preloaded module
// (bench/peak-rss.mjs), and other programs' peak RSS is not measured.
import {spawnSync} from "node:child_process";
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from "node:fs";
import os from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const GNU_TIME = "/usr/bin/time";
const PRELOAD = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), "peak-rss.mjs")).href;

/** Which peak-RSS meter this machine has: "gnu-time" or "resource-usage". */
export function peakRssMeter() {
  const r = spawnSync(GNU_TIME, ["--version"], {encoding: "utf8"});
  return r.status === 0 && /GNU Time/.test(`${r.stdout}${r.stderr}`) ? "gnu-time" : "resource-usage";
}

/** Runs `command args` once (with the variables of `extraEnv` set). Returns {ms, maxRssKiB} (maxRssKiB null when the meter
 * cannot see this program); throws with the program's standard error when it fails. */
export function measureProcess(meter, command, args, extraEnv = {}) {
  const scratch = mkdtempSync(join(os.tmpdir(), "subsecond-bench-"));
  const rssFile = join(scratch, "rss");
  const devNull = openSync("/dev/null", "w");
  try {
    let argv = [command, ...args];
    const env = {...process.env, ...extraEnv};
    const isNode = command === process.execPath;
    if (meter === "gnu-time") argv = [GNU_TIME, "-f", "%M", "-o", rssFile, "--", ...argv];
    else if (isNode) {
      argv = [command, "--import", PRELOAD, ...args];
      env.SUBSECOND_BENCH_RSS_FILE = rssFile;
    }
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), {stdio: ["ignore", devNull, "pipe"], env, maxBuffer: 16 << 20});
    const ms = performance.now() - t0;
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`${[command, ...args].join(" ")} exited with status ${r.status}:\n${r.stderr}`);
    let maxRssKiB = null;
    if (meter === "gnu-time" || isNode) {
      // GNU time writes its format line last (after any notes about the exit status).
      const last = readFileSync(rssFile, "utf8").trim().split("\n").pop();
      maxRssKiB = Number(last);
      if (!Number.isFinite(maxRssKiB)) throw new Error(`could not read the peak RSS of ${command} (got "${last}")`);
    }
    return {ms, maxRssKiB};
  } finally {
    closeSync(devNull);
    rmSync(scratch, {recursive: true, force: true});
  }
}
