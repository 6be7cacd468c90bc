// `subsecond report` on folders a user really has: where it may write (never over the
// user's files), which files of the folder it shows (by content; symbolic links never
// followed), bad files listed instead of failing the build, notes rendered as inert
// Markdown, and readable page names for Unicode file names. The built site is checked
// in Debian's Chromium like test/site.test.ts.
import {spawnSync} from "node:child_process";
import {existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {gzipSync} from "node:zlib";
import {JSDOM} from "jsdom";
import {afterAll, afterEach, beforeAll, describe, expect, it} from "vitest";
import {decideOut, inspectOut, REPORT_MARKER, type OutState} from "../../src/cli/report-out.js";
import {isSafeLink, renderNotes} from "../../src/data/notes.js";
import {findProfile, MAX_NOTES_BYTES, readNotes, readSidecar, scanProfilesFolder, slugs} from "../../src/data/site-profiles.js";
import {waitForMeasure} from "../../scripts/browser/heatmap-page.js";
import {CHROMIUM, openWatched, runNode, SHOTS, siteInChromium} from "./watched-page.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(root, "bin", "subsecond.js");
const REAL = join(root, "test", "fixtures", "perf");
const tmp = mkdtempSync(join(tmpdir(), "subsecond-report-"));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

/** Every file and folder under `dir` with its content: what must survive a refusal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) for (const [k, v] of Object.entries(snapshot(path))) out[`${name}/${k}`] = v;
    else out[name] = stat.isSymbolicLink() ? "symlink" : readFileSync(path, "base64");
  }
  return out;
}

function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(tmp, name);
  mkdirSync(dir, {recursive: true});
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

const realCapture = (file = "c-deep.perf") => readFileSync(join(REAL, file), "utf8");
/** A real capture's `#` header alone: perf script text with no samples. */
const headerOnly = () => realCapture().split("\n").filter((l) => l.startsWith("#")).join("\n") + "\n";

const report = (args: string[], cwd = tmp) => spawnSync(process.execPath, [BIN, "report", ...args], {cwd, encoding: "utf8"});

describe("where a report may be written (decideOut)", () => {
  const paths = {out: "/home/u/report", profiles: "/home/u/mine", checkout: "/opt/subsecond"};
  const dir = (entries: string[], reportFiles: string[] | null = null): OutState => ({kind: "directory", entries, reportFiles});

  it("a new or empty folder, or an earlier report holding only its own files", () => {
    expect(decideOut(paths, {kind: "missing", entries: [], reportFiles: null})).toEqual({ok: true});
    expect(decideOut(paths, dir([]))).toEqual({ok: true});
    expect(decideOut(paths, dir([REPORT_MARKER, "index.html", "profiles/", "profiles/a.html"], ["index.html", "profiles/a.html"]))).toEqual({ok: true});
    // Inside the profiles folder is the user's choice: nothing there is replaced.
    expect(decideOut({...paths, out: "/home/u/mine/report"}, {kind: "missing", entries: [], reportFiles: null})).toEqual({ok: true});
    // A sibling whose name starts with the profiles folder's is not inside it.
    expect(decideOut({...paths, out: "/home/u/mine2"}, dir([]))).toEqual({ok: true});
  });

  it("never the profiles folder, a folder holding it or the checkout, a link, a file, or someone's files", () => {
    const refused = (p: typeof paths, s: OutState) => {
      const d = decideOut(p, s);
      return d.ok ? "ok" : d.reason;
    };
    expect(refused({...paths, out: paths.profiles}, dir([]))).toMatch(/^is the profiles folder itself/);
    expect(refused({...paths, out: "/home/u"}, dir(["mine/"]))).toMatch(/^contains the profiles folder/);
    expect(refused({...paths, out: "/"}, dir([]))).toMatch(/^contains the profiles folder/);
    expect(refused({...paths, out: "/opt/subsecond"}, dir([], ["index.html"]))).toMatch(/^contains subsecond's own files/);
    expect(refused({...paths, out: "/opt"}, dir([]))).toMatch(/^contains subsecond's own files/);
    expect(refused(paths, {kind: "symlink", entries: [], reportFiles: null})).toMatch(/^is a symbolic link/);
    expect(refused(paths, {kind: "file", entries: [], reportFiles: null})).toMatch(/^is a file/);
    expect(refused(paths, {kind: "other", entries: [], reportFiles: null})).toMatch(/^is not a folder/);
    expect(refused(paths, dir(["notes.txt"]))).toMatch(/^is not empty and is not an earlier report \(it has no \.subsecond-report\.json\)/);
    expect(refused(paths, dir([REPORT_MARKER, "index.html", "mine.txt", "keep/", "keep/a"], ["index.html"]))).toBe(
      'is an earlier report with files it did not write ("mine.txt", "keep/", "keep/a"): move them out or choose another folder',
    );
  });

  it("a marker must be the report's own and name only files inside the folder", () => {
    const out = folder("forged", {"index.html": "x"});
    writeFileSync(join(out, REPORT_MARKER), JSON.stringify({report: "subsecond", files: ["index.html"]}));
    expect(inspectOut(out)).toEqual({kind: "directory", entries: [REPORT_MARKER, "index.html"], reportFiles: ["index.html"]});
    for (const files of [["../mine/app.perf"], ["/etc/passwd"], ["a/../../b"], [""], [3]]) {
      writeFileSync(join(out, REPORT_MARKER), JSON.stringify({report: "subsecond", files}));
      expect(inspectOut(out).reportFiles).toBeNull();
    }
    writeFileSync(join(out, REPORT_MARKER), JSON.stringify({files: ["index.html"]}));
    expect(inspectOut(out).reportFiles).toBeNull();
    writeFileSync(join(out, REPORT_MARKER), "{not json");
    expect(inspectOut(out).reportFiles).toBeNull();
  });
});

describe("subsecond report refuses to write over a user's files", () => {
  it("report mine --out mine, --out . (holding mine), and --out the checkout: refused, every file kept", () => {
    const mine = folder("refuse/mine", {"app.perf": realCapture(), "app.md": "My notes.\n", "app.annotations.json": '{"annotations": []}'});
    const before = snapshot(join(tmp, "refuse"));
    const same = report(["mine", "--out", "mine"], join(tmp, "refuse"));
    expect(same.status).toBe(1);
    expect(same.stderr).toContain(`${mine} is the profiles folder itself`);
    const parent = report(["mine", "--out", "."], join(tmp, "refuse"));
    expect(parent.status).toBe(1);
    expect(parent.stderr).toContain("contains the profiles folder");
    const checkout = report([mine, "--out", "."], root);
    expect(checkout.status).toBe(1);
    expect(checkout.stderr).toContain("contains subsecond's own files");
    // Above the checkout (which may also hold the profiles folder, when the checkout
    // is in the system's temporary folder): refused either way.
    const above = report([mine, "--out", dirname(root)]);
    expect(above.status).toBe(1);
    expect(above.stderr).toMatch(/contains (subsecond's own files|the profiles folder)/);
    expect(snapshot(join(tmp, "refuse"))).toEqual(before);
    expect(existsSync(join(root, "package.json")) && existsSync(join(root, "src", "cli", "report.ts"))).toBe(true);
  });

  it("report examples --out . in the checkout: refused, the checkout intact", () => {
    const before = snapshot(join(root, "examples"));
    const r = report(["examples", "--out", "."], root);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${root} contains the profiles folder`);
    expect(snapshot(join(root, "examples"))).toEqual(before);
    expect(existsSync(join(root, "package.json"))).toBe(true);
  });

  it("--out a non-empty folder, a file or a symbolic link: refused, nothing changed", () => {
    const mine = folder("refuse2/mine", {"app.perf": realCapture()});
    const full = folder("refuse2/full", {"thesis.tex": "\\documentclass{article}", "data.csv": "a,b\n1,2\n"});
    mkdirSync(join(full, "figures"));
    writeFileSync(join(full, "figures", "f1.svg"), "<svg/>");
    symlinkSync(full, join(tmp, "refuse2", "link"));
    const before = snapshot(join(tmp, "refuse2"));
    const nonEmpty = report([mine, "--out", full]);
    expect(nonEmpty.status).toBe(1);
    expect(nonEmpty.stderr).toContain(`${full} is not empty and is not an earlier report`);
    const file = report([mine, "--out", join(full, "data.csv")]);
    expect(file.stderr).toContain("is a file, not a folder");
    const link = report([mine, "--out", join(tmp, "refuse2", "link")]);
    expect(link.stderr).toContain("link is a symbolic link");
    expect([file.status, link.status]).toEqual([1, 1]);
    expect(snapshot(join(tmp, "refuse2"))).toEqual(before);
  });
});

describe("which files of a folder are profiles", () => {
  it("a folder with no profile: refused, saying what its files are", () => {
    const dir = folder("none", {"notes.txt": "just notes\n", "data.json": "[]"});
    const out = join(tmp, "none-report");
    const r = report([dir, "--out", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`no profiles in ${dir}`);
    expect(r.stderr).toContain('"notes.txt": text that is not perf script output');
    expect(r.stderr).toContain('"data.json": JSON that is not a profile format subsecond reads');
    expect(existsSync(out)).toBe(false);
  });

  it("decided by content, gzip too; everything else listed with what it is, nothing followed or opened that is not a file", () => {
    const dir = folder("scan", {
      "app.perf": realCapture(),
      "app.md": "notes",
      "app.annotations.json": '{"annotations": []}',
      "capture.log.gz": gzipSync(realCapture("c-nocallchain.perf")),
      "trace.data": realCapture("java-perfmap.perf"),
      "header-only.perf": headerOnly(),
      "empty.perf": "",
      "empty.perf.gz": gzipSync(""),
      "data.json": '{"a": 1}',
      "notes.txt": "Meeting notes\nroot:x:0:0 is not a sample\n",
      "perf.data": Buffer.concat([Buffer.from("PERFILE2"), Buffer.alloc(200)]),
      "junk.bin": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0xff, 0xfe]),
      "broken.perf.gz": Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      "capture.perf.zst": Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]),
      "orphan.annotations.json": '{"annotations": []}',
      "README.md": "# About these profiles\n",
      "comments.txt": "# only\n# comments\n",
    });
    symlinkSync("/etc/passwd", join(dir, "passwd.txt"));
    symlinkSync(join(dir, "app.perf"), join(dir, "link.perf"));
    mkdirSync(join(dir, "older"));
    writeFileSync(join(dir, ".hidden.perf"), realCapture());
    expect(spawnSync("mkfifo", [join(dir, "pipe.perf")]).status).toBe(0);

    const scanned = scanProfilesFolder(dir);
    expect(scanned.profiles.map((p) => [p.file, p.slug])).toEqual([
      ["app.perf", "app"],
      ["capture.log.gz", "capture"],
      ["header-only.perf", "header-only"], // perf script text: reading it finds no samples
      ["trace.data", "trace"],
    ]);
    const why = Object.fromEntries(scanned.notShown.map((n) => [n.file, n.reason]));
    expect(why).toEqual({
      "README.md": "Markdown notes for no profile: no README.perf (or other profile of that name) beside it",
      "comments.txt": "text that is not perf script output (no samples and no perf header)",
      "broken.perf.gz": expect.stringMatching(/^gzip data that cannot be decompressed/),
      "capture.perf.zst": "compressed data in a format other than gzip: decompress it first",
      "data.json": "JSON that is not a profile format subsecond reads",
      "empty.perf": "an empty file",
      "empty.perf.gz": "an empty gzip file",
      "junk.bin": "binary data, not text",
      "link.perf": "a symbolic link (links are not followed)",
      "notes.txt": "text that is not perf script output (line 1 is not a perf script line)",
      "older": "a folder (folders inside are not read)",
      "orphan.annotations.json": "annotations for no profile: no orphan.perf (or other profile of that name) beside it",
      "passwd.txt": "a symbolic link (links are not followed)",
      "perf.data": "a binary perf.data file, not perf script text: make that with `perf script --header -i FILE > FILE.perf`",
      "pipe.perf": "not a regular file (a FIFO, socket or device)",
    });
    // Nothing of a skipped file's content is in its reason.
    expect(JSON.stringify(scanned)).not.toContain("root:x");
    expect(() => findProfile("notes", dir)).toThrow("notes.txt: text that is not perf script output");
    expect(findProfile("trace", dir).file).toBe("trace.data");
  });

  it("companions that are links or too big are not read: a warning instead", () => {
    const dir = folder("companions", {"app.perf": realCapture(), "big.perf": realCapture(), "big.md": "x".repeat(MAX_NOTES_BYTES + 1)});
    symlinkSync("/etc/passwd", join(dir, "app.md"));
    symlinkSync("/etc/passwd", join(dir, "app.annotations.json"));
    const app = findProfile("app", dir);
    expect(readNotes(app)).toEqual({html: "", annotations: [], warnings: ["app.md: a symbolic link: not read (links are not followed)"]});
    expect(readSidecar(app)).toEqual({annotations: [], warnings: ["app.annotations.json: a symbolic link: not read (links are not followed)"]});
    expect(readNotes(findProfile("big", dir)).warnings).toEqual([`big.md: ${MAX_NOTES_BYTES + 1} bytes: over the ${MAX_NOTES_BYTES}-byte limit, not read`]);
  });

  it("a malformed sidecar is a warning naming the file, not an error", () => {
    const dir = folder("sidecar", {"app.perf": realCapture(), "app.annotations.json": '{"annotations": [{"label": "GC", "from": 1}]}', "b.perf": realCapture(), "b.annotations.json": "{oops"});
    expect(readSidecar(findProfile("app", dir))).toEqual({annotations: [], warnings: ['app.annotations.json: annotation 1 ("GC") needs "from" and "to" (seconds since the origin) or a "selection"']});
    const b = readSidecar(findProfile("b", dir));
    expect(b.warnings).toHaveLength(1);
    expect(b.warnings[0]).toMatch(/^b\.annotations\.json: .*JSON/);
    expect(b.warnings[0]).not.toContain(tmp); // the page shows names, not where the folder is
  });
});

describe("page names (slugs)", () => {
  it("readable for any script, one '-' per run of other characters, NFC", () => {
    expect(slugs(["tick ünï cödé 日本 (copy)", "c-global-lock", "xss-<i>name", "नमस्ते दुनिया", "Привет_мир", "café"])).toEqual([
      "tick-ünï-cödé-日本-copy",
      "c-global-lock",
      "xss-i-name",
      "नमस्ते-दुनिया",
      "Привет-мир",
      "café",
    ]);
    expect(slugs(["cafe\u0301"])).toEqual(["caf\u00e9"]); // NFD as macOS writes names
    expect(slugs(["((()))", ""])).toEqual(["profile", "profile-2"]);
  });

  it("unique ignoring case, a name's own slug winning over a numbered one", () => {
    expect(slugs(["app", "app", "App", "app-2"])).toEqual(["app", "app-3", "App-4", "app-2"]);
    expect(slugs(["tick ünï cödé 日本 (copy)", "tick ünï cödé 日本 [copy]"])).toEqual(["tick-ünï-cödé-日本-copy", "tick-ünï-cödé-日本-copy-2"]);
  });

  it("at most 120 bytes of UTF-8, cut between characters", () => {
    const [long] = slugs(["日本".repeat(100)]);
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(120);
    expect(long).toBe("日本".repeat(20));
  });
});

/** Notes no one should trust: each line tries to run or load something. */
const HOSTILE_NOTES = [
  "# Notes for <b>app</b>",
  "",
  '<script>alert("script")</script>',
  "",
  '<img src=x onerror=alert("img")>',
  "",
  '<svg onload=alert("svg")></svg>',
  "",
  '${alert("interpolation")} and ${display(1)}',
  "",
  "```js",
  'alert("js block")',
  "```",
  "",
  '[click me](javascript:alert("link")) [data](data:text/html,<script>alert(1)</script>) [vb](VBScript:x)',
  "",
  "![remote picture](http://example.invalid/x.png) ![local picture](pic.png)",
  "",
  "[docs](https://example.com/docs) [mail](mailto:ops@example.com) [sibling](../index.html)",
  "",
  "```annotations",
  '{"annotations": [{"label": "from the notes", "from": 0.5, "to": 1}]}',
  "```",
  "",
  "```annotations",
  "{not json",
  "```",
  "",
  "```",
  'an unclosed fence <script>alert("fence")</script>',
].join("\n");

describe("notes (NAME.md) as inert Markdown", () => {
  it("no element that runs or loads anything; the hostile text kept as text", () => {
    const notes = renderNotes(HOSTILE_NOTES, "app.md");
    const doc = new JSDOM(`<body>${notes.html}</body>`).window.document;
    expect(doc.querySelectorAll("script, img, svg, iframe, object, embed, style, link").length).toBe(0);
    for (const el of doc.querySelectorAll("*")) for (const attr of el.getAttributeNames()) expect(attr).not.toMatch(/^on/);
    const hrefs = [...doc.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual(["http://example.invalid/x.png", "https://example.com/docs", "mailto:ops@example.com", "../index.html"]);
    const text = doc.body.textContent!;
    for (const hostile of ['<script>alert("script")</script>', '<img src=x onerror=alert("img")>', '<svg onload=alert("svg")></svg>', '${alert("interpolation")}', 'alert("js block")', "[click me](javascript:", "[image: remote picture]", "[image: local picture]", 'an unclosed fence <script>alert("fence")</script>']) {
      expect(text).toContain(hostile);
    }
    expect(doc.querySelector("pre code.language-js")?.textContent).toBe('alert("js block")\n');
    expect(notes.annotations).toEqual([{label: "from the notes", parts: [{kind: "range", from: 0.5e9, to: 1e9}]}]);
    expect(notes.warnings).toEqual([expect.stringMatching(/^app\.md: line 25: the annotations block is not JSON: /)]);
    expect(text).not.toContain("from the notes"); // annotation blocks are not shown as text
  });

  it("links: http(s), mailto and relative only", () => {
    for (const ok of ["https://x.org", "HTTP://x.org", "mailto:a@b", "other.html", "../a/b", "#frag", "?q=1", "//host/x"]) expect(isSafeLink(ok)).toBe(true);
    for (const bad of ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "vbscript:x", "file:///etc/passwd", "blob:x"]) expect(isSafeLink(bad)).toBe(false);
  });

  it("annotation blocks that are valid JSON but not annotations: a warning with the line", () => {
    const notes = renderNotes('Text.\n\n```annotations\n{"annotations": [{"from": 1, "to": 2}]}\n```\n', "n.md");
    expect(notes).toEqual({html: "<p>Text.</p>", annotations: [], warnings: ['n.md: line 3: annotation 1 has no "label"']});
  });
});

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIPPED the browser part of test/report.test.ts: no ${CHROMIUM} (apt-get install -y chromium) ***\n`);

const UNICODE_FILE = "tick ünï cödé 日本 (copy).perf";
const UNICODE_SLUG = "tick-ünï-cödé-日本-copy";

describe.skipIf(!haveChromium)("a report of a folder with bad files, hostile notes and Unicode names, in Chromium", () => {
  let profiles: string;
  let out: string;
  let build: {code: number | null; output: string};
  let before: Record<string, string>;
  let site: Awaited<ReturnType<typeof siteInChromium>>;
  let problems: string[] = [];

  beforeAll(async () => {
    profiles = folder("site/profiles", {
      "app.perf": realCapture(),
      "app.md": HOSTILE_NOTES,
      [UNICODE_FILE]: gzipSync(realCapture("node-jit.perf")),
      "tick ünï cödé 日本 [copy].perf": realCapture("c-nocallchain.perf"),
      "sidecar.perf": realCapture("java-perfmap.perf"),
      "sidecar.annotations.json": "{not json",
      "header-only.perf": headerOnly(),
      "empty.perf": "",
      "data.json": '{"a": 1}',
      "notes.txt": "just notes\n",
      "perf.data": Buffer.concat([Buffer.from("PERFILE2"), Buffer.alloc(200)]),
      "img.perf": realCapture("c-nocallchain.perf"),
      "img.md": "A picture: ![diagram](diagram.png) and <img src=diagram.png>.\n",
    });
    symlinkSync("/etc/passwd", join(profiles, "passwd.txt"));
    // A real capture whose last sample comes again 12 digits of seconds later.
    const samples = realCapture().trimEnd();
    const jumped = samples.slice(samples.lastIndexOf("\n\n") + 2).replace(/ \d+\.\d+: /, " 999999999999.123456: ");
    writeFileSync(join(profiles, "jump.perf"), `${samples}\n\n${jumped}\n`);
    before = snapshot(profiles);
    out = join(tmp, "site", "report");
    build = await runNode([BIN, "report", profiles, "--out", out], tmp);
    site = await siteInChromium(out);
  }, 900_000);

  afterAll(() => site?.close());

  afterEach(() => {
    expect(problems).toEqual([]);
    problems = [];
  });

  const open = (path: string) => openWatched(site.browser, site.server.url, path, problems);

  it("builds every good profile, exits 0, and prints what it did not show with why", () => {
    expect(build.code, build.output).toBe(0);
    expect(build.output).toMatch(/site: not shown \(the index page lists them too\):\n/);
    for (const line of [
      '"data.json": JSON that is not a profile format subsecond reads',
      '"empty.perf": an empty file',
      '"notes.txt": text that is not perf script output (line 1 is not a perf script line)',
      '"passwd.txt": a symbolic link (links are not followed)',
      '"perf.data": a binary perf.data file',
      '"sidecar.perf": sidecar.annotations.json: ',
      '"app.perf": app.md: line 25: the annotations block is not JSON',
    ]) {
      expect(build.output).toContain(line);
    }
    expect(build.output).toMatch(/"header-only\.perf": .*no samples/i);
    // The folder is as it was: no staging, no output, nothing removed.
    expect(snapshot(profiles)).toEqual(before);
    expect(JSON.parse(readFileSync(join(out, REPORT_MARKER), "utf8")).files).toContain("index.html");
    expect(existsSync(join(out, "profiles", `${UNICODE_SLUG}.html`))).toBe(true);
    // Nothing of the linked system file reached the site.
    const site = Object.values(snapshot(out)).map((b64) => Buffer.from(b64, "base64").toString("latin1")).join("\n");
    expect(site).not.toContain("root:x:0:0");
  });

  it("index: good profiles in the table, the rest under 'Not shown' with their reasons", async () => {
    const page = await open("index.html");
    await page.waitForSelector(".subsecond-index tbody tr");
    const shown = await page.locator(".subsecond-index tbody tr td:first-child a").allTextContents();
    // The jumping profile is shown once its time is understood, and listed with why
    // until then: either way the rest of the report is built.
    expect(shown.filter((f) => f !== "jump.perf")).toEqual(["app.perf", "img.perf", "sidecar.perf", "tick ünï cödé 日本 (copy).perf", "tick ünï cödé 日本 [copy].perf"]);
    const rows = await page.locator(".subsecond-not-shown tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    const reasons = Object.fromEntries(rows.filter(([file]) => file !== "jump.perf"));
    expect(Object.keys(reasons)).toEqual(["data.json", "empty.perf", "header-only.perf", "notes.txt", "passwd.txt", "perf.data"]);
    expect(reasons["perf.data"]).toContain("perf.data file");
    expect(shown.includes("jump.perf") !== rows.some(([file]) => file === "jump.perf")).toBe(true);
    expect(await page.locator(".subsecond-index tr", {hasText: "sidecar.perf"}).innerText()).toContain("warning: sidecar.annotations.json: ");
    await page.screenshot({path: join(SHOTS, "index-not-shown.png"), fullPage: true});
    await page.close();
  });

  it("a Unicode file name: a readable page, reached by its link from the index", async () => {
    const page = await open("index.html");
    await page.locator(".subsecond-index a", {hasText: UNICODE_FILE}).click();
    await waitForMeasure(page, "subsecond:interactive");
    expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/profiles/${UNICODE_SLUG}.html`);
    expect(await page.locator("h1").innerText()).toBe(UNICODE_FILE);
    expect(await page.title()).toBe(`${UNICODE_SLUG} | subsecond`);
    expect(await page.locator("svg.subsecond-heatmap-chart").count()).toBe(1);
    // A profile without timelines shows nothing in their place (it once read "null").
    expect(await page.locator("#map-pane").evaluate((pane) => [...pane.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() === "null"))).toBe(false);
    await page.close();
  });

  it("hostile notes: nothing runs or loads, the text shows as text, annotation blocks still work", async () => {
    const page = await open("profiles/app.html");
    await waitForMeasure(page, "subsecond:interactive");
    const notes = page.locator(".subsecond-notes");
    const text = await notes.innerText();
    for (const hostile of ['<script>alert("script")</script>', '<img src=x onerror=alert("img")>', '<svg onload=alert("svg")></svg>', '${alert("interpolation")} and ${display(1)}', 'alert("js block")', "[image: remote picture]", 'an unclosed fence <script>alert("fence")</script>']) {
      expect(text).toContain(hostile);
    }
    expect(await notes.locator("script, img, svg, [onerror], [onload]").count()).toBe(0);
    expect(await notes.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["http://example.invalid/x.png", "https://example.com/docs", "mailto:ops@example.com", "../index.html"]);
    expect(await page.locator("header .subsecond-warnings").innerText()).toContain("app.md: line 25: the annotations block is not JSON");
    expect(await page.locator("svg.subsecond-heatmap-chart .annotation:not(.proposal) .annotation-label").allTextContents()).toEqual(["from the notes"]);
    // The sections after the notes are the page's own: the unclosed fence ended inside the notes.
    expect(await page.locator("h2#heat-map").count()).toBe(1);
    await page.screenshot({path: join(SHOTS, "hostile-notes.png"), fullPage: true});
    await page.close();
  });

  it("notes with images: built, no request for them", async () => {
    const page = await open("profiles/img.html");
    await waitForMeasure(page, "subsecond:interactive");
    expect(await page.locator(".subsecond-notes").innerText()).toBe("A picture: [image: diagram] and <img src=diagram.png>.");
    await page.close();
  });

  it("a second report replaces the first; --strict exits 1 and still writes it; files added to it stop the next", async () => {
    const strict = await runNode([BIN, "report", profiles, "--out", out, "--strict"], tmp);
    expect(strict.code, strict.output).toBe(1);
    expect(strict.output).toContain("--strict: ");
    expect(strict.output).toContain(`(the report is in ${out})`);
    const marker = JSON.parse(readFileSync(join(out, REPORT_MARKER), "utf8")).files as string[];
    expect(Object.keys(snapshot(out)).sort()).toEqual([REPORT_MARKER, ...marker].sort());
    writeFileSync(join(out, "my-notes.txt"), "mine");
    const refused = report([profiles, "--out", out]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is an earlier report with files it did not write ("my-notes.txt")');
    expect(readFileSync(join(out, "my-notes.txt"), "utf8")).toBe("mine");
    expect(snapshot(profiles)).toEqual(before);
  }, 900_000);
});
