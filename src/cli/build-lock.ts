// One report build (or preview) at a time per checkout. Framework keeps the pages and
// loader outputs it generates in one cache folder of the checkout (src/.observablehq/
// cache), keyed by page name alone, and every build clears them first; two builds at
// once would clear each other's pages mid-build, or ship one folder's profile under a
// page of the other report when both have a profile of that name. So scripts/site.js
// takes this lock first: a file holding the process id of the build that has it. A
// lock whose process is gone (killed with SIGKILL, a crash) is taken over.
import {readFileSync, rmSync, writeFileSync} from "node:fs";

export interface BuildLockOptions {
  /** Called once, when another live process holds the lock, with its id. */
  onWait?: (pid: number) => void;
  /** How often to look again while waiting, in ms (default 500). */
  pollMs?: number;
}

/** Whether a process with this id is running (EPERM: it is, as another user's). */
function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits until this process holds the lock at `path`, and returns the function that
 * releases it. The lock is also released when the process exits. */
export async function acquireBuildLock(path: string, options: BuildLockOptions = {}): Promise<() => void> {
  let waited = false;
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, {flag: "wx"});
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(path, "utf8").trim());
    } catch {
      continue; // released between our two looks
    }
    if (!alive(holder)) {
      rmSync(path, {force: true}); // left by a process that is gone
      continue;
    }
    if (!waited) options.onWait?.(holder);
    waited = true;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
  const release = () => {
    process.off("exit", release);
    try {
      if (readFileSync(path, "utf8").trim() === String(process.pid)) rmSync(path, {force: true});
    } catch {
      // already gone
    }
  };
  process.on("exit", release);
  return release;
}
