// The script of a notebook's explore() output (bundled whole by scripts/bundle.js
// into one file the output inlines: no request anywhere). It finds the outputs not yet
// started, each a `.subsecond-explore` block holding its data as JSON and its static
// figures, and puts the interactive view in place of the figures.
//
// Jupyter runs an output's scripts before the output is in the page (classic Notebook
// appends it afterwards) and without document.currentScript, so the script looks for
// its blocks a few times over the next seconds; a block is started once, by whichever
// output's script comes first.
import {decodeExploreData, type ExploreData} from "../lib/explore-data.js";
import type {HeatmapPalette} from "../lib/render/palette.js";
import {el} from "./dom.js";
import {exploreView, type ExploreSiteLink} from "./explore-view.js";
import siteStyle from "../style.css";

/** What an output's JSON holds besides the profile. */
export interface ExplorePayload {
  data: ExploreData;
  file: string;
  rows: number;
  palette: HeatmapPalette;
  site: ExploreSiteLink;
}

const STYLE_ID = "subsecond-explore-style";

/** The site's component styles (its rules for `.subsecond-…` classes, none of the
 * page's layout), once per page, and the site's colour variables on the blocks. */
function addStyle(): void {
  if (document.getElementById(STYLE_ID)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(siteStyle.replace(/@import[^;]*;/g, ""));
  const scoped = (selector: string) => selector.split(",").every((s) => s.trim().startsWith(".subsecond-") && !s.includes("workbench") && !s.includes("-pane"));
  const rules: string[] = [
    ".subsecond-explore{--subsecond-purple:#936eb5;--subsecond-muted:#6b6b6b;--sans-serif:system-ui,sans-serif;--monospace:ui-monospace,monospace;position:relative;font:13px var(--sans-serif)}",
    ".subsecond-explore-flame{margin-top:0.5rem}",
    ".subsecond-explore .subsecond-toolbar code{user-select:all;overflow-wrap:anywhere}",
  ];
  for (const rule of Array.from(sheet.cssRules)) {
    if (rule instanceof CSSStyleRule && scoped(rule.selectorText)) rules.push(rule.cssText);
    else if (rule instanceof CSSMediaRule) {
      const inner = Array.from(rule.cssRules).filter((r) => r instanceof CSSStyleRule && scoped(r.selectorText));
      if (inner.length) rules.push(`@media ${rule.conditionText}{${inner.map((r) => r.cssText).join("")}}`);
    }
  }
  document.head.append(Object.assign(el("style", {id: STYLE_ID}), {textContent: rules.join("\n")}));
}

function start(block: HTMLElement): void {
  block.dataset.started = "1";
  const json = block.querySelector("script.subsecond-explore-data");
  const live = block.querySelector<HTMLElement>(".subsecond-explore-live")!;
  try {
    const payload = JSON.parse(json!.textContent!) as ExplorePayload;
    addStyle();
    const width = Math.max(480, Math.min(1400, block.clientWidth || 960) - 8);
    live.replaceChildren(exploreView({profile: decodeExploreData(payload.data), file: payload.file, rows: payload.rows, palette: payload.palette, width, site: payload.site}));
    block.querySelector<HTMLElement>(".subsecond-explore-static")!.hidden = true;
  } catch (e) {
    // The static figures stay; say why they are not interactive.
    live.replaceChildren(el("p", {class: "subsecond-error"}, `explore: ${(e as Error).message}`));
  }
}

function startAll(): void {
  for (const block of document.querySelectorAll<HTMLElement>(".subsecond-explore:not([data-started])")) if (block.isConnected) start(block);
}

for (const delay of [0, 50, 250, 1000, 3000, 8000]) setTimeout(startAll, delay);
