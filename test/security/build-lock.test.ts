// Report builds of one checkout take turns (src/cli/build-lock.ts): two at once cleared
// each other's generated pages mid-build (reports came out without their index page),
// and could ship one folder's profile under the other's page of the same name.
import {spawn, spawnSync} from "node:child_process";
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {acquireBuildLock} from "../../src/cli/build-lock.js";

const tmp = mkdtempSync(join(tmpdir(), "subsecond-build-lock-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe("acquireBuildLock", () => {
  it("a free lock is taken at once and holds this process's id until released", async () => {
    const path = join(tmp, "free.lock");
    const waits: number[] = [];
    const release = await acquireBuildLock(path, {onWait: (pid) => waits.push(pid)});
    expect(readFileSync(path, "utf8")).toBe(`${process.pid}\n`);
    release();
    expect(existsSync(path)).toBe(false);
    expect(waits).toEqual([]);
  });

  it("a lock left by a process that is gone is taken over", async () => {
    const gone = spawnSync("true");
    expect(gone.status).toBe(0);
    const path = join(tmp, "stale.lock");
    writeFileSync(path, `${gone.pid}\n`);
    const waits: number[] = [];
    const release = await acquireBuildLock(path, {onWait: (pid) => waits.push(pid)});
    expect(waits).toEqual([]);
    expect(readFileSync(path, "utf8")).toBe(`${process.pid}\n`);
    release();
  });

  it("a lock held by a live process is waited for, saying whose, and taken when it ends", async () => {
    const holder = spawn("sleep", ["600"]);
    const path = join(tmp, "held.lock");
    writeFileSync(path, `${holder.pid}\n`);
    const waits: number[] = [];
    let taken = false;
    const acquiring = acquireBuildLock(path, {pollMs: 20, onWait: (pid) => waits.push(pid)}).then((release) => ((taken = true), release));
    // It is waiting: told whose lock it is, and not taken while the holder runs.
    await new Promise<void>((resolve) => {
      const check = () => (waits.length ? resolve() : setTimeout(check, 10));
      check();
    });
    expect(waits).toEqual([holder.pid]);
    expect(taken).toBe(false);
    const ended = new Promise((resolve) => holder.on("exit", resolve));
    holder.kill();
    await ended;
    const release = await acquiring;
    expect(readFileSync(path, "utf8")).toBe(`${process.pid}\n`);
    release();
  });
});
