// The report site (Observable Framework). Which profiles it shows is a setting:
// SUBSECOND_PROFILES=/path (default: the bundled examples/; which of its files are
// profiles is decided by content, see src/data/site-profiles.ts); SUBSECOND_SITE_OUT
// sets where `build` writes. scripts/site.js sets both (the latter to a staging folder
// of its own, which it then moves into OUT); see it for usage.
//
// The site must make no request outside its own origin: no web font (Framework's
// default global stylesheet is one), our own stylesheet, an inline favicon, and only
// bare imports in pages (an `npm:` import would be fetched from a CDN).
import {listProfiles} from "./src/data/site-profiles.js";

const profiles = listProfiles();

export default {
  root: "src",
  output: process.env.SUBSECOND_SITE_OUT || "dist",
  title: "subsecond",
  style: "style.css",
  globalStylesheets: [],
  head: `<link rel="icon" href="data:,">`,
  header: `<a class="subsecond-home" href="/index">subsecond</a>`,
  footer: "Subsecond-offset heat maps and flame graphs, built with subsecond.",
  sidebar: false,
  pager: false,
  toc: false,
  search: false,
  // Links end in .html (and name index.html) so the site works from any folder
  // server, not only hosts that map /page to /page.html.
  preserveExtension: true,
  preserveIndex: true,
  dynamicPaths: profiles.map((p) => `/profiles/${p.slug}`),
};
