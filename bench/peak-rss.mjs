// Preloaded (`node --import`) into a measured node process when GNU time is missing:
// writes the process's own peak RSS (process.resourceUsage().maxRSS, KiB) at exit to
// the file named by SUBSECOND_BENCH_RSS_FILE. See bench/measure-process.js.
import {writeFileSync} from "node:fs";

const file = process.env.SUBSECOND_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
