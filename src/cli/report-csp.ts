// A Content Security Policy for every page of a built report. A report shows text
// from a profiles folder (file, frame, comm and annotation names, notes) that its
// readers did not write: the pages escape it, and the policy makes sure that if an
// escape is ever missed, injected markup can neither run a script nor load anything
// from outside the site. Framework sets no policy, so the built pages get one as a
// <meta> element: scripts only from the site itself, plus each page's own inline
// module script, allowed by its SHA-256 hash (an injected inline script or event
// handler has no hash in the list); requests (fetch, images, fonts, frames) only to
// the site's own origin; no plugins, no <base>, no forms.
import {createHash} from "node:crypto";
import {readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";

/** Inline <script> elements of a page (Framework writes one module script a page). */
const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The policy for a page whose inline scripts are `scripts` (their exact text). */
export function reportPolicy(scripts: string[]): string {
  const hashes = [...new Set(scripts.map((s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`))];
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(" ")}`.trimEnd(),
    // Plot and the flame graph set style attributes; CSS can still load nothing from
    // outside (img-src, font-src).
    "style-src 'self' 'unsafe-inline'",
    // The favicon is data:,; downloads are blob: links.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** A page with the report's policy as the first element of its <head>. A page that
 * already has a policy, or has no <head>, is an error: the report must not ship a
 * page without it. */
export function withReportPolicy(html: string, page: string): string {
  if (/http-equiv=["']?content-security-policy/i.test(html)) throw new Error(`${page}: already has a Content-Security-Policy`);
  const head = /<head[^>]*>/i.exec(html);
  if (!head) throw new Error(`${page}: no <head> to put the Content-Security-Policy in`);
  const scripts = [...html.matchAll(INLINE_SCRIPT)].map((m) => m[1]);
  const meta = `\n<meta http-equiv="Content-Security-Policy" content="${reportPolicy(scripts)}">`;
  const at = head.index + head[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}

/** Puts the policy into every .html file under `dir` (a built site); returns how many
 * pages got it. */
export function secureReport(dir: string): number {
  let pages = 0;
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    const path = join(entry.parentPath, entry.name);
    writeFileSync(path, withReportPolicy(readFileSync(path, "utf8"), path));
    pages++;
  }
  return pages;
}
