// A profile's notes (its NAME.md), as the artifacts loader rendered them: inert HTML
// made by markdown-it with raw HTML off, links checked and images replaced by their alt
// text (src/data/notes.ts). Parsed in a <template>, where nothing loads or runs, then
// moved into the page.
import {el} from "./dom.js";

export function notesView(html: string): HTMLElement {
  const template = document.createElement("template");
  template.innerHTML = html;
  const notes = el("div", {class: "subsecond-notes"});
  notes.append(template.content);
  return notes;
}
