// The command line against a profiles folder someone else can write to: where -o may
// write (never an input, never over a file without --force, never through a planted
// symbolic link), sidecars that are FIFOs, devices, huge or full of prototype keys,
// saveAnnotations() and planted links, and names with terminal escapes in what the
// commands print.
import {spawn, spawnSync} from "node:child_process";
import {linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterAll, describe, expect, it} from "vitest";
import {MAX_ANNOTATIONS, MAX_LABEL_CHARS, parseAnnotations} from "../../src/lib/annotations.js";
import {MAX_SIDECAR_BYTES, readProfile, saveAnnotations} from "../../src/node/index.js";
import {perfText, sample} from "../helpers.js";

const BIN = new URL("../../bin/subsecond.js", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "subsecond-security-cli-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

/** Runs the CLI; a command that does not end within a minute is killed (a hang). */
function run(args: string[], cwd = tmp) {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, encoding: "utf8", timeout: 60_000});
  return {status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr};
}

const PROFILE = perfText([sample("10.100000", ["main", "work"]), sample("10.300000", ["main", "rest"]), sample("11.200000", ["main", "work"])]);

/** A fresh folder holding app.perf, and what else the test puts there. */
function folder(name: string, files: Record<string, string> = {}): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "app.perf"), PROFILE);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

// Each test runs the CLI several times: seconds apiece on a busy machine.
const SPAWNS = {timeout: 240_000};

describe("-o: never an input, never over a file without --force, never through a link", SPAWNS, () => {
  const commands: string[][] = [["heatmap", "app.perf"], ["flamegraph", "app.perf", "--format", "folded"], ["collapse", "app.perf"]];

  it.each(commands)("%s refuses its input, a link or hard link to it, and its sidecar, even with --force", (...command) => {
    const dir = folder(`inputs-${command[0]}`, {"app.annotations.json": '{"annotations": []}\n'});
    symlinkSync("app.perf", join(dir, "link.out"));
    linkSync(join(dir, "app.perf"), join(dir, "hard.out"));
    for (const out of ["app.perf", "link.out", "hard.out", "app.annotations.json"]) {
      const r = run([...command, "-o", out, "--force"], dir);
      expect(r.status, `${command[0]} -o ${out}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^subsecond ${command[0]}: -o ${out.replace(".", "\\.")} is .*one of this command's inputs: it would be lost`));
    }
    expect(readFileSync(join(dir, "app.perf"), "utf8")).toBe(PROFILE);
    expect(readFileSync(join(dir, "app.annotations.json"), "utf8")).toBe('{"annotations": []}\n');
  });

  it("flamegraph --vs-profile: the other profile is an input too", () => {
    const dir = folder("vs-input");
    writeFileSync(join(dir, "b.perf"), PROFILE);
    const r = run(["flamegraph", "app.perf", "--vs-profile", "b.perf", "-o", "b.perf", "--force"], dir);
    expect(r.status).toBe(2);
    expect(readFileSync(join(dir, "b.perf"), "utf8")).toBe(PROFILE);
  });

  it("an existing file is kept unless --force; --force replaces it whole", () => {
    const dir = folder("existing", {"map.svg": "mine\n"});
    const refused = run(["heatmap", "app.perf", "-o", "map.svg"], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe("subsecond heatmap: -o map.svg exists: subsecond writes only new files unless --force is given\n");
    expect(readFileSync(join(dir, "map.svg"), "utf8")).toBe("mine\n");
    expect(run(["heatmap", "app.perf", "-o", "map.svg", "--force"], dir).status).toBe(0);
    expect(readFileSync(join(dir, "map.svg"), "utf8")).toMatch(/^<svg /);
    // synth reads nothing, and follows the same rule.
    writeFileSync(join(dir, "s.perf"), "mine\n");
    expect(run(["synth", "busy-wait-once", "-o", "s.perf"], dir).status).toBe(1);
    expect(readFileSync(join(dir, "s.perf"), "utf8")).toBe("mine\n");
  });

  it("a planted symbolic link is refused without --force and replaced (not written through) with it", () => {
    const dir = folder("planted");
    const victim = join(tmp, "victim-file");
    writeFileSync(victim, "precious\n");
    symlinkSync(victim, join(dir, "out.svg"));
    symlinkSync(join(tmp, "no-such-file"), join(dir, "dangling.svg"));
    expect(run(["heatmap", "app.perf", "-o", "out.svg"], dir).status).toBe(1);
    expect(run(["heatmap", "app.perf", "-o", "dangling.svg"], dir).status).toBe(1);
    expect(run(["heatmap", "app.perf", "-o", "out.svg", "--force"], dir).status).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("precious\n");
    expect(lstatSync(join(dir, "out.svg")).isFile()).toBe(true);
    expect(run(["heatmap", "app.perf", "-o", "dangling.svg", "--force"], dir).status).toBe(0);
    expect(() => lstatSync(join(tmp, "no-such-file"))).toThrow();
  });

  it("devices are written to, folders refused, and no temporary file is left behind", () => {
    const dir = folder("devices");
    expect(run(["heatmap", "app.perf", "-o", "/dev/null"], dir)).toMatchObject({status: 0, stdout: ""});
    const folderOut = run(["heatmap", "app.perf", "-o", "."], dir);
    expect(folderOut.status).toBe(2);
    expect(folderOut.stderr).toMatch(/-o \. is a folder/);
    expect(run(["heatmap", "app.perf", "-o", "new.svg"], dir).status).toBe(0);
    const names = spawnSync("ls", ["-a", dir], {encoding: "utf8"}).stdout.split("\n").filter(Boolean);
    expect(names.sort()).toEqual([".", "..", "app.perf", "new.svg"]);
  });
});

describe("signals", () => {
  it("subsecond report stopped by a signal sent to it alone stops its build and writes nothing", async () => {
    const dir = folder("signal");
    const out = join(tmp, "signal-report");
    const child = spawn(process.execPath, [BIN, "report", dir, "--out", out], {stdio: ["ignore", "ignore", "pipe"]});
    let stderr = "";
    const building = new Promise<void>((resolve) => child.stderr.on("data", (d) => ((stderr += d), stderr.includes("site: building") && resolve())));
    const exited = new Promise<{code: number | null; signal: string | null}>((resolve) => child.on("close", (code, signal) => resolve({code, signal})));
    await building;
    child.kill("SIGTERM"); // only the command, as timeout(1) or a service manager would
    // It ends only once the build it started has stopped: then OUT must not exist.
    expect(await exited).toEqual({code: 1, signal: null});
    expect(stderr).toMatch(/subsecond report: the report was not built/);
    expect(() => lstatSync(out)).toThrow();
  }, 300_000);
});

describe("sidecars that are not annotations", SPAWNS, () => {
  it("a FIFO sidecar is an error, never a hang, in every command that reads the profile", () => {
    const dir = folder("fifo-sidecar");
    expect(spawnSync("mkfifo", [join(dir, "app.annotations.json")]).status).toBe(0);
    for (const command of [["info"], ["heatmap"], ["flamegraph", "--format", "folded"]]) {
      const r = run([command[0], "app.perf", ...command.slice(1)], dir);
      expect(r.signal, `${command[0]} hung on the FIFO`).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`subsecond ${command[0]}: app.annotations.json: not a regular file (a FIFO, socket or device): not read\n`);
    }
  });

  it("a sidecar linked to a device, or over the size limit, is an error", async () => {
    const dir = folder("device-sidecar");
    symlinkSync("/dev/zero", join(dir, "app.annotations.json"));
    await expect(readProfile(join(dir, "app.perf"))).rejects.toThrow(/app\.annotations\.json: not a regular file/);
    const big = folder("big-sidecar");
    writeFileSync(join(big, "app.annotations.json"), " ".repeat(MAX_SIDECAR_BYTES + 1));
    await expect(readProfile(join(big, "app.perf"))).rejects.toThrow(`${MAX_SIDECAR_BYTES + 1} bytes: over the ${MAX_SIDECAR_BYTES}-byte limit`);
  });

  it("too many annotations, labels that are too long: errors naming the entry", () => {
    const many = {annotations: Array.from({length: MAX_ANNOTATIONS + 1}, (_, i) => ({label: "GC", from: i, to: i + 0.5}))};
    expect(() => parseAnnotations(many, "a.json")).toThrow(`a.json: ${MAX_ANNOTATIONS + 1} annotations: at most ${MAX_ANNOTATIONS} are read`);
    expect(parseAnnotations({annotations: many.annotations.slice(1)}).annotations).toHaveLength(MAX_ANNOTATIONS);
    const long = {annotations: [{label: "x".repeat(MAX_LABEL_CHARS + 1), from: 0, to: 1}]};
    expect(() => parseAnnotations(long, "a.json")).toThrow(`a.json: annotation 1's label is ${MAX_LABEL_CHARS + 1} characters long`);
  });

  it("prototype keys are plain keys: nothing is polluted, the annotation reads as written", () => {
    const json = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "annotations": [{"__proto__": {"label": "inherited"}, "label": "GC", "from": 1, "to": 2}]}');
    const parsed = parseAnnotations(json);
    expect(parsed.annotations.map((a) => a.label)).toEqual(["GC"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A label only on the prototype is no label.
    expect(() => parseAnnotations(JSON.parse('{"annotations": [{"__proto__": {"label": "x"}, "from": 1, "to": 2}]}'))).toThrow(/annotation 1 has no "label"/);
  });

  it("from/to that JSON turns into Infinity, and deep nesting, are errors, not crashes", () => {
    expect(() => parseAnnotations({annotations: [{label: "x", from: JSON.parse("1e400"), to: 1}]})).toThrow(/Infinity s is out of range/);
    const dir = folder("deep-sidecar", {"app.annotations.json": `${"[".repeat(200_000)}${"]".repeat(200_000)}`});
    const r = run(["info", "app.perf"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^subsecond info: app\.annotations\.json: /);
  });
});

describe("saveAnnotations() in a folder others write to", () => {
  it("replaces a planted link with the file instead of writing through it", async () => {
    const dir = folder("save-link");
    const victim = join(tmp, "save-victim");
    symlinkSync(victim, join(dir, "app.annotations.json")); // dangling: read as no sidecar
    const profile = await readProfile(join(dir, "app.perf"));
    profile.annotations.push(...parseAnnotations({annotations: [{label: "GC", from: 0, to: 1}]}).annotations);
    saveAnnotations(profile);
    expect(() => lstatSync(victim)).toThrow();
    expect(lstatSync(join(dir, "app.annotations.json")).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "app.annotations.json"), "utf8")).annotations).toEqual([{label: "GC", from: 0, to: 1}]);
  });
});

const haveScript = spawnSync("script", ["--version"]).status === 0;
if (!haveScript) console.warn("\n*** SKIPPED the terminal test of test/security/cli-files.test.ts: no `script` (util-linux) to give the CLI a terminal ***\n");

describe("terminal output quotes untrusted names escaped", SPAWNS, () => {
  it.skipIf(!haveScript)("collapse and folded stacks on a terminal show escapes as codes; through a pipe they stay data", () => {
    const dir = folder("tty");
    writeFileSync(join(dir, "esc.perf"), "app 1 [000] 1.000000: 1 cpu-clock:\n\t401000 f\u001b[2Jx\u009b31m (/a)\n\n");
    for (const command of ["collapse esc.perf", "flamegraph esc.perf --format folded"]) {
      // script(1) runs the command on a pseudo-terminal and copies what it shows.
      const shown = spawnSync("script", ["-qec", `${process.execPath} ${BIN} ${command}`, "/dev/null"], {cwd: dir, encoding: "utf8", timeout: 60_000});
      expect(shown.stdout.replace(/\r\n/g, "\n"), command).toBe("app;f\\x1b[2Jx\\x9b31m 1\n");
    }
    expect(run(["collapse", "esc.perf"], dir).stdout).toBe("app;f\u001b[2Jx\u009b31m 1\n");
  });

  const hostile = "\u001b]0;pwned\u0007\u001b[2J\u202eevil";
  it("a file name with escape sequences in info and in an error message", () => {
    const dir = folder("names");
    writeFileSync(join(dir, `${hostile}.perf`), PROFILE);
    const info = run(["info", `${hostile}.perf`], dir);
    expect(info.status).toBe(0);
    expect(info.stdout).toContain("\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil.perf");
    const missing = run(["info", `${hostile}-missing.perf`], dir);
    expect(missing.status).toBe(1);
    for (const text of [info.stdout, info.stderr, missing.stderr]) expect(text).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
  });
});
