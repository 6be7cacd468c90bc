// A profile's annotations on its page: the list by label (each label links to the
// union of its windows, each window to itself), a form that annotates the current
// selection and offers the updated sidecar JSON, and one flame-graph section per label
// (the union's, with each window's on demand).
import {annotate, annotationGroups, formatAnnotations, type AnnotateInput, type Annotation, type AnnotationGroup} from "../lib/annotations.js";
import type {AnalysisOptions} from "../lib/filter.js";
import {flameTree} from "../lib/flametree.js";
import type {Profile} from "../lib/profile.js";
import {describeSelection, type Selection, type SelectionPart} from "../lib/selection.js";
import {download, el, safeFileName, samples} from "./dom.js";
import {flameGraphView} from "./flamegraph-view.js";
import type {AnnotationOrigin, SiteInfo} from "./load-profile.js";
import {viewLink} from "./view-state.js";

const ORIGIN_LABEL: Record<AnnotationOrigin, string> = {sidecar: "", markdown: "from the page's markdown", page: "added here, not saved yet"};

export interface AnnotationListOptions {
  profile: Profile;
  site: SiteInfo;
  /** Selects an annotation on the heat map. */
  select: (selection: Selection) => void;
}

export function annotationList({profile, site, select}: AnnotationListOptions): HTMLElement {
  if (profile.annotations.length === 0) return el("p", {class: "subsecond-hint"}, `No annotations yet: add them in ${site.sidecar}, in the profile's markdown, or with the form below.`);
  const origin = (a: Annotation) => ORIGIN_LABEL[site.origins[profile.annotations.indexOf(a)] ?? "sidecar"];
  const link = (parts: SelectionPart[], text: string, title?: string) =>
    el("a", {href: viewLink({sel: parts}), title, onclick: (event: Event) => { event.preventDefault(); select(parts); }}, text);
  return el(
    "ul",
    {class: "subsecond-annotations"},
    ...annotationGroups(profile.annotations).map((g) => {
      if (g.annotations.length === 1) {
        const [a] = g.annotations;
        return el("li", {}, link(a.parts, a.label), `: ${describeSelection(a.parts)}`, a.note && ` — ${a.note}`, origin(a) && el("span", {class: "subsecond-hint"}, ` (${origin(a)})`));
      }
      const windows = g.annotations.flatMap((a, i) => [" ", link(a.parts, String(i + 1), [describeSelection(a.parts), a.note, origin(a)].filter(Boolean).join(" — "))]);
      return el("li", {}, link(g.parts, g.label, `all ${g.annotations.length} windows`), el("span", {class: "subsecond-hint"}, ` (all ${g.annotations.length}, their union) · each:`), ...windows);
    }),
  );
}

export interface AnnotateFormOptions {
  profile: Profile;
  site: SiteInfo;
  selection: Selection;
  /** Called after an annotation was added to the profile. */
  onAdd: () => void;
}

/** Adds an annotation made on the page (the form's, or an accepted proposal), which
 * the sidecar JSON then offers to save. */
export function addPageAnnotation(profile: Profile, site: SiteInfo, input: AnnotateInput): void {
  // annotate updates an annotation with the same label and selection in place.
  const before = profile.annotations.length;
  annotate(profile, input);
  if (profile.annotations.length > before) site.origins.push("page");
}

/** "Annotate this selection", and the sidecar JSON with what was added here. */
export function annotateForm({profile, site, selection, onAdd}: AnnotateFormOptions): HTMLElement {
  const label = el("input", {type: "text", placeholder: "label, e.g. GC", "aria-label": "annotation label", required: true});
  const note = el("input", {type: "text", placeholder: "note (optional)", "aria-label": "annotation note"});
  const add = el("button", {type: "submit", disabled: selection === null}, "Annotate this selection");
  const form = el(
    "form",
    {class: "subsecond-toolbar", onsubmit: (event: Event) => {
      event.preventDefault();
      if (selection === null || !label.value.trim()) return;
      addPageAnnotation(profile, site, {label: label.value.trim(), selection, note: note.value.trim() || undefined});
      onAdd();
    }},
    label, note, add,
    el("span", {class: "subsecond-hint"}, selection === null ? "Select part of the heat map first." : describeSelection(selection)),
  );
  const node = el("div", {}, form);
  if (site.origins.includes("page")) node.append(sidecarJson(profile, site));
  return node;
}

/** The sidecar file's new text: its annotations and the ones added here (the ones in
 * the markdown stay there). */
function sidecarJson(profile: Profile, site: SiteInfo): HTMLElement {
  const kept = profile.annotations.filter((_, i) => site.origins[i] !== "markdown");
  const text = formatAnnotations(kept, site.file);
  const area = el("textarea", {class: "subsecond-json", readonly: true, "aria-label": site.sidecar});
  area.value = text;
  const status = el("span", {class: "subsecond-status"});
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "copied";
    } catch {
      area.select(); // no clipboard permission (e.g. plain http): let the user copy
      status.textContent = "press Ctrl+C to copy";
    }
  };
  return el(
    "div",
    {},
    el("p", {}, `Save this as ${site.sidecar} beside the profile to keep the new annotations:`),
    area,
    el("div", {class: "subsecond-toolbar"}, el("button", {type: "button", onclick: () => download(site.sidecar, text, "application/json")}, "Download"), el("button", {type: "button", onclick: copy}, "Copy"), status),
  );
}

export interface AnnotationSectionsOptions {
  profile: Profile;
  analysis: AnalysisOptions;
  width: number;
  fileName: string;
}

/** One flame graph per label: an annotation's, or the union of a label's windows,
 * with each window's graph drawn when asked for. */
export function annotationSections({profile, analysis, width, fileName}: AnnotationSectionsOptions): HTMLElement {
  const graph = (label: string, parts: SelectionPart[], suffix: string, note?: string) => {
    const tree = flameTree(profile, parts, analysis);
    return [
      el("p", {class: "subsecond-hint"}, `${suffix}${describeSelection(parts)} · ${samples(tree.samples)}${note ? ` · ${note}` : ""}`),
      flameGraphView({tree, width, title: `${fileName}: ${label}`, fileName: `${safeFileName(fileName)}-${safeFileName(label)}`}),
    ];
  };
  const section = (g: AnnotationGroup) => {
    if (g.annotations.length === 1) return el("section", {class: "subsecond-annotation-section"}, el("h3", {}, g.label), ...graph(g.label, g.parts, "", g.annotations[0].note));
    const each = el("details", {}, el("summary", {}, `Each of the ${g.annotations.length} windows`));
    each.addEventListener("toggle", () => {
      if (!each.open || each.childElementCount > 1) return;
      g.annotations.forEach((a, i) => each.append(el("h4", {}, `${g.label} ${i + 1}`), ...graph(`${g.label} ${i + 1}`, a.parts, "", a.note)));
    });
    return el("section", {class: "subsecond-annotation-section"}, el("h3", {}, g.label), ...graph(g.label, g.parts, `all ${g.annotations.length} windows, their union: `), each);
  };
  return el("div", {}, ...annotationGroups(profile.annotations).map(section));
}
