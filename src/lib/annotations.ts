// Annotations: named selections ("GC", "cache refresh") that heat maps draw as labelled
// boxes and reports give their own flame graphs. A profile's annotations live in a
// sidecar NAME.annotations.json beside it:
//
//   {"profile": "app.perf.gz",
//    "annotations": [
//      {"label": "GC", "from": 12.25, "to": 12.4, "note": "G1 young pause"},
//      {"label": "agent", "selection": "c0_119x10_12r50"}]}
//
// `from`/`to` are seconds since the profile's origin (the heat map's x axis);
// `selection` is any selection's text form (cell blocks, unions).
import type {PatternInstance} from "./patterns/types.js";
import type {Annotation, Profile} from "./profile.js";
import {cellPeriod, describeSelection, formatSelection, parseSelection, timeRange, type SelectionPart} from "./selection.js";
import {NS, secondOf} from "./time.js";

export type {Annotation};

export interface AnnotationsFile {
  profile?: string;
  annotations: Annotation[];
}

/** The file name of a profile without `.gz` and its extension: `app.perf.gz` → `app`. */
export function profileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, "").replace(/\.gz$/, "");
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The sidecar path for a profile path: `dir/app.perf.gz` → `dir/app.annotations.json`. */
export function sidecarPath(profilePath: string): string {
  const dir = profilePath.match(/^.*[\\/]/)?.[0] ?? "";
  return `${dir}${profileName(profilePath)}.annotations.json`;
}

/** Most annotations a sidecar (or a notes block) may hold: each is drawn on the heat
 * map and listed on the page, so a file of millions would stall it. */
export const MAX_ANNOTATIONS = 10_000;
/** Longest label and note, in characters: labels are drawn on the map. */
export const MAX_LABEL_CHARS = 200;
export const MAX_NOTE_CHARS = 10_000;

/** Reads and checks a sidecar's JSON; errors name the source and the entry. */
export function parseAnnotations(json: unknown, source = "annotations"): AnnotationsFile {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  if (typeof json !== "object" || json === null) fail("expected a JSON object with an \"annotations\" array");
  const obj = json as Record<string, unknown>;
  if (!Array.isArray(obj.annotations)) fail("expected an \"annotations\" array");
  if ((obj.annotations as unknown[]).length > MAX_ANNOTATIONS) fail(`${(obj.annotations as unknown[]).length} annotations: at most ${MAX_ANNOTATIONS} are read`);
  const annotations = (obj.annotations as unknown[]).map((entry, i) => {
    const where = `annotation ${i + 1}`;
    if (typeof entry !== "object" || entry === null) return fail(`${where} is not an object`);
    const e = entry as Record<string, unknown>;
    if (typeof e.label !== "string" || e.label.trim() === "") return fail(`${where} has no "label"`);
    if (e.label.length > MAX_LABEL_CHARS) return fail(`${where}'s label is ${e.label.length} characters long: at most ${MAX_LABEL_CHARS}`);
    if (typeof e.note === "string" && e.note.length > MAX_NOTE_CHARS) return fail(`${where} ("${e.label}")'s note is ${e.note.length} characters long: at most ${MAX_NOTE_CHARS}`);
    let parts: SelectionPart[];
    if (typeof e.selection === "string") {
      try {
        parts = parseSelection(e.selection) ?? fail(`${where} ("${e.label}"): "all" is not an annotation`);
      } catch (err) {
        return fail(`${where} ("${e.label}"): ${(err as Error).message}`);
      }
    } else if (typeof e.from === "number" && typeof e.to === "number") {
      parts = [timeRange(e.from, e.to)]; // throws on times out of range (1e400 is Infinity)
      if (!(e.from < e.to)) return fail(`${where} ("${e.label}"): "from" (${e.from}) must be before "to" (${e.to})`);
    } else {
      return fail(`${where} ("${e.label}") needs "from" and "to" (seconds since the origin) or a "selection"`);
    }
    const a: Annotation = {label: e.label, parts};
    if (typeof e.note === "string" && e.note !== "") a.note = e.note;
    return a;
  });
  return {profile: typeof obj.profile === "string" ? obj.profile : undefined, annotations};
}

/** The sidecar JSON text for a profile's annotations. Plain ranges are written as
 * from/to seconds, anything else as a selection. */
export function formatAnnotations(annotations: Annotation[], profile?: string): string {
  const entries = annotations.map((a) => {
    const [first] = a.parts;
    const simple = a.parts.length === 1 && first.kind === "range";
    return {
      label: a.label,
      ...(simple ? {from: first.from / NS, to: first.to / NS} : {selection: formatSelection(a.parts)}),
      ...(a.note ? {note: a.note} : {}),
    };
  });
  return JSON.stringify(profile ? {profile, annotations: entries} : {annotations: entries}, null, 2) + "\n";
}

export interface AnnotateInput {
  label: string;
  /** Seconds since the origin. */
  from?: number;
  to?: number;
  /** Or any selection (its text form, or parts). */
  selection?: string | SelectionPart[];
  note?: string;
}

/** The end of a profile's last second (ns since the origin): how far annotations may
 * reach. 0 for a profile without timed samples. */
function profileEnd(profile: Profile): number {
  const {time, length} = profile.samples;
  for (let i = length - 1; i >= 0; i--) if (!Number.isNaN(time[i])) return (secondOf(time[i]) + 1) * NS;
  return 0;
}

/** The parts of an annotation, checked against the profile: no reversed or empty
 * ranges, nothing before the origin or after the profile's last second. */
function checkedParts(profile: Profile, input: AnnotateInput, name: string): SelectionPart[] {
  const fail = (msg: string): never => {
    throw new Error(`annotation ${name}: ${msg}`);
  };
  let parts: SelectionPart[];
  if (input.selection !== undefined) {
    const sel = typeof input.selection === "string" ? parseSelection(input.selection) : input.selection;
    if (sel === null || sel.length === 0) fail("needs a selection, not the whole profile");
    parts = sel!;
  } else if (input.from !== undefined && input.to !== undefined) {
    const {from, to} = input;
    if (typeof from !== "number" || typeof to !== "number" || !Number.isFinite(from) || !Number.isFinite(to)) fail(`from and to are seconds since the origin, not ${JSON.stringify(from)} and ${JSON.stringify(to)}`);
    if (from >= to) fail(`from (${from} s) must be before to (${to} s)${from > to ? ": reversed" : ": empty"}`);
    parts = [timeRange(from, to)];
  } else {
    return fail("needs from and to (seconds since the origin) or a selection");
  }
  const end = profileEnd(profile);
  for (const part of parts) {
    const [a, b] = part.kind === "range" ? [part.from, part.to] : [part.s0 * cellPeriod(part), (part.s1 + 1) * cellPeriod(part)];
    if (part.kind === "range" && part.from >= part.to) fail(`${describeSelection([part])} is empty`);
    if (a < 0 || b > end) fail(`${describeSelection([part])} is outside the profile (0–${end / NS} s since the origin)`);
  }
  return parts;
}

/** A detected pattern (./patterns/index.ts) as an annotation to add: its label, its
 * samples' selection and its explanation as the note. */
export function patternAnnotation(instance: PatternInstance): AnnotateInput {
  return {label: instance.label, selection: instance.selection, note: instance.explanation};
}

function isPatternInstance(input: AnnotateInput | PatternInstance): input is PatternInstance {
  return typeof (input as PatternInstance).explanation === "string" && typeof (input as PatternInstance).kind === "string";
}

/** Adds an annotation to a profile (drawn by the next heat map; saved with the
 * profile's other annotations) and returns it; a detected pattern is added as
 * patternAnnotation makes it. Idempotent: when one with the same label
 * and selection is there (a notebook run again), its note is updated instead. Throws on
 * an empty label, a reversed or empty range, or one outside the profile. */
export function annotate(profile: Profile, given: AnnotateInput | PatternInstance): Annotation {
  const input = isPatternInstance(given) ? patternAnnotation(given) : given;
  if (typeof input.label !== "string" || input.label.trim() === "") throw new Error(`an annotation needs a label (got ${JSON.stringify(input.label)})`);
  const name = JSON.stringify(input.label);
  const parts = checkedParts(profile, input, name);
  const key = formatSelection(parts);
  const same = profile.annotations.find((a) => a.label === input.label && formatSelection(a.parts) === key);
  if (same) {
    if (input.note) same.note = input.note;
    else delete same.note;
    return same;
  }
  const a: Annotation = {label: input.label, parts, ...(input.note ? {note: input.note} : {})};
  profile.annotations.push(a);
  return a;
}

/** Removes the annotations with this label (only the one with this selection, when
 * given: its text form or parts); returns how many. Throws when none matches, naming
 * the labels there are. */
export function removeAnnotation(profile: Profile, label: string, selection?: string | SelectionPart[]): number {
  const key = selection === undefined ? null : formatSelection(typeof selection === "string" ? (parseSelection(selection) ?? []) : selection);
  const keep = profile.annotations.filter((a) => a.label !== label || (key !== null && formatSelection(a.parts) !== key));
  const removed = profile.annotations.length - keep.length;
  if (removed === 0) {
    findAnnotation(profile, label); // throws when the label is unknown
    throw new Error(`no annotation ${JSON.stringify(label)} with the selection ${key} (its selections: ${profile.annotations.filter((a) => a.label === label).map((a) => formatSelection(a.parts)).join(", ")})`);
  }
  profile.annotations.splice(0, profile.annotations.length, ...keep);
  return removed;
}

/** The annotations that share a label (a sidecar often marks each GC pause or lock
 * hold with the same one), and their union: every window's parts. */
export interface AnnotationGroup {
  label: string;
  annotations: Annotation[];
  parts: SelectionPart[];
}

/** Annotations grouped by label, labels in order of first appearance. */
export function annotationGroups(annotations: Annotation[]): AnnotationGroup[] {
  const groups = new Map<string, AnnotationGroup>();
  for (const a of annotations) {
    let g = groups.get(a.label);
    if (!g) groups.set(a.label, (g = {label: a.label, annotations: [], parts: []}));
    g.annotations.push(a);
    g.parts.push(...a.parts);
  }
  return [...groups.values()];
}

/** The annotation with this label (the first, if several share it). */
export function findAnnotation(profile: Profile, label: string): Annotation {
  const a = profile.annotations.find((x) => x.label === label);
  if (!a) {
    const known = profile.annotations.map((x) => JSON.stringify(x.label)).join(", ") || "none";
    throw new Error(`no annotation ${JSON.stringify(label)} (annotations: ${known})`);
  }
  return a;
}

export function describeAnnotation(a: Annotation): string {
  return `${a.label}: ${describeSelection(a.parts)}${a.note ? ` (${a.note})` : ""}`;
}
