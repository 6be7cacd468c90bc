// One test file at a time runs Jupyter kernels: kernels launched at the same moment
// by two test files can be handed the same free port (each launcher binds, reads and
// releases one), and a kernel that receives another's messages fails with tslab's
// "message missing delimiter". A lock folder in the temporary directory, with the
// holder's pid (a lock whose holder died is taken over).
import {mkdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

const LOCK = join(tmpdir(), "subsecond-jupyter-kernels.lock");

function holderAlive(): boolean {
  try {
    process.kill(Number(readFileSync(join(LOCK, "pid"), "utf8")), 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until this process holds the lock (up to `timeoutMs`). */
export async function lockJupyter(timeoutMs = 1_200_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, "pid"), String(process.pid));
      return;
    } catch {
      // A holder that died (or has not written its pid for a second) gives the lock up.
      if (!holderAlive()) {
        await new Promise((r) => setTimeout(r, 1000));
        if (!holderAlive()) rmSync(LOCK, {recursive: true, force: true});
      }
      if (Date.now() > until) throw new Error(`${LOCK}: still held after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export function unlockJupyter(): void {
  try {
    if (Number(readFileSync(join(LOCK, "pid"), "utf8")) === process.pid) rmSync(LOCK, {recursive: true, force: true});
  } catch {
    // not held
  }
}
