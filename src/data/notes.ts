// A profile's NAME.md as inert HTML. A report is shared with people who did not write
// its notes, so nothing in them may run or load: raw HTML is shown as text, code blocks
// (```js too) are shown as code, `${…}` is plain text (the page receives the HTML as
// data, never as page source), images become their alt text (a link when they are on
// the web), and links may only be http(s), mailto or relative. ```annotations blocks
// are taken out of the text and read as annotations (the sidecar's JSON form).
import MarkdownIt from "markdown-it";
import {parseAnnotations, type Annotation} from "../lib/annotations.js";

export interface ProfileNotes {
  /** The notes as HTML, without their annotation blocks; "" when there are none. */
  html: string;
  annotations: Annotation[];
  /** One line per problem (a block that is not valid, a file that is not read). */
  warnings: string[];
}

const md = new MarkdownIt({html: false, linkify: false, typographer: false});

/** http(s), mailto and relative URLs; every other scheme (javascript:, data:, file: …)
 * leaves the link as plain text. */
export function isSafeLink(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  return scheme === null || ["http", "https", "mailto"].includes(scheme[1].toLowerCase());
}
md.validateLink = isSafeLink;

/** A URL on another site: http(s), or protocol-relative (`//host/…`, which browsers
 * also read with a backslash). */
const isWebUrl = (url: string) => /^(https?:)?[\\/]{2}/i.test(url.trim());

// An image would be a request when the page loads (outside the site, or to a file the
// report does not publish): show its alt text instead, as a link when it is on the web.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  const src = token.attrGet("src") ?? "";
  const alt = self.renderInlineAsText(token.children ?? [], options, env);
  const label = md.utils.escapeHtml(`[image: ${alt || src}]`);
  return isWebUrl(src)
    ? `<a class="subsecond-notes-image" href="${md.utils.escapeHtml(src)}" rel="noopener noreferrer">${label}</a>`
    : `<span class="subsecond-notes-image">${label}</span>`;
};

// Links to other sites do not learn which report linked to them.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  if (isWebUrl(tokens[idx].attrGet("href") ?? "")) tokens[idx].attrSet("rel", "noopener noreferrer");
  return self.renderToken(tokens, idx, options);
};

/** Renders NAME.md's text (`source` names it in warnings). */
export function renderNotes(text: string, source: string): ProfileNotes {
  const annotations: Annotation[] = [];
  const warnings: string[] = [];
  const tokens = md.parse(text, {}).filter((token) => {
    if (token.type !== "fence" || token.info.trim() !== "annotations") return true;
    const where = `${source}: line ${(token.map?.[0] ?? 0) + 1}`;
    try {
      annotations.push(...parseAnnotations(JSON.parse(token.content), where).annotations);
    } catch (e) {
      const message = (e as Error).message;
      warnings.push(e instanceof SyntaxError ? `${where}: the annotations block is not JSON: ${message}` : message);
    }
    return false;
  });
  return {html: md.renderer.render(tokens, md.options, {}).trim(), annotations, warnings};
}
