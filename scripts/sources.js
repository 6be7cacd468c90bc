// When a generated file (a bundle of src/) is out of date: older than its sources.
import {readdirSync, statSync} from "node:fs";
import {join} from "node:path";

/** The newest modification time (ms) of the files under dir. */
export function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

/** Whether `file` is missing or older than any file under the `dirs`. */
export function isStale(file, dirs) {
  let built;
  try {
    built = statSync(file).mtimeMs;
  } catch {
    return true;
  }
  return dirs.some((dir) => newestSource(dir) > built);
}
