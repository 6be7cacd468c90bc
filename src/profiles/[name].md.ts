// A profile's page (a Framework page loader, run with `--name=SLUG`): the page below
// plus the profile's own markdown (NAME.md beside it, without its annotation blocks).
// The page reads the artifacts its profile's loader wrote (src/data/profiles/[name].tar.ts)
// and does all analysis in the browser with src/lib, through the components in
// src/components. Its JavaScript avoids backticks, so it can live in this string.
import {findProfile, nameArgument, readNotes} from "../data/site-profiles.js";

const profile = findProfile(nameArgument());
const notes = readNotes(profile).markdown;
const file = (member: string, method: "arrayBuffer" | "json") => `FileAttachment(${JSON.stringify(`../data/profiles/${profile.slug}/${member}`)}).${method}()`;
const js = (code: string) => "```js\n" + code.trim() + "\n```\n";

process.stdout.write(`---
title: ${profile.slug}
---

${js(`
import {loadSiteProfile} from "../components/load-profile.js";
import {profileHeading} from "../components/profile-heading.js";
import {analysisOptions, controls, filterViewState} from "../components/controls.js";
import {heatmapView, noHeatmapView, SELECT_MARK} from "../components/heatmap-view.js";
import {flameGraphView} from "../components/flamegraph-view.js";
import {foldedStacks, selectionSummary} from "../components/selection-summary.js";
import {compareView} from "../components/compare-view.js";
import {annotateForm, annotationList, annotationSections} from "../components/annotations-view.js";
import {readViewState, writeViewState} from "../components/view-state.js";
import {afterPaint, download, el, measureWhenPainted, safeFileName} from "../components/dom.js";
import {heatmap} from "../lib/heatmap.js";
import {flameTree} from "../lib/flametree.js";
import {hasTimes} from "../lib/profile.js";
import {profileName} from "../lib/annotations.js";

const {profile, site} = await loadSiteProfile({
  samples: ${file("samples.arrow", "arrayBuffer")},
  stacks: ${file("stacks.arrow", "arrayBuffer")},
  frames: ${file("frames.arrow", "arrayBuffer")},
  dictionary: ${file("profile.json", "json")},
  site: ${file("site.json", "json")},
});
const initialView = readViewState();
const fileName = safeFileName(profileName(site.file));
display(profileHeading(profile, site));
`)}
${notes}

## Heat map

<p class="subsecond-hint">Click a start cell, then an end cell, to select the time range between them (Esc cancels); drag to select a block of cells. The flame graph below shows the selection.</p>

${js(`
const inputs = controls(profile, initialView);
display(inputs.node);
const rows = Generators.input(inputs.rows);
const palette = Generators.input(inputs.palette);
const idle = Generators.input(inputs.idle);
const filterChoice = Generators.input(inputs.filter);
`)}
${js(`
const analysis = analysisOptions(idle, filterChoice);
writeViewState({rows, palette, idle, ...filterViewState(profile, filterChoice)});
`)}
${js(`
// Bumped when an annotation is added in the page: redraws what shows annotations.
const annotationsVersion = Mutable(0);
const annotationsChanged = () => annotationsVersion.value++;
`)}
${js(`
const map = hasTimes(profile) ? heatmap(profile, {rows, ...analysis}) : null;
`)}
${js(`
annotationsVersion;
const heat = map
  ? heatmapView({map, palette, width, selection: readViewState().sel, annotations: profile.annotations, invalidation})
  : noHeatmapView();
const selection = view(heat);
`)}
${js(`
writeViewState({sel: selection});
// A hand-edited hash (not our own replaceState) opens that view.
const reopen = () => location.reload();
addEventListener("hashchange", reopen);
invalidation.then(() => removeEventListener("hashchange", reopen));
`)}

## Flame graph

${js(`
// Shown once the flame graph below is painted: ranking the frames of a deep profile
// takes tens of milliseconds the flame graph need not wait for.
await afterPaint();
display(selectionSummary({selection, tree, profileSamples: map ? map.samples : tree.samples}));
`)}
${js(`
const tree = flameTree(profile, selection, analysis);
const exportFolded = el("button", {type: "button", onclick: () => download(fileName + "-selection.folded", foldedStacks(profile, selection, analysis), "text/plain")}, "Export folded stacks");
const selectionFlame = display(flameGraphView({
  tree, width, fileName, title: site.file + ": " + (selection === null ? "whole profile" : "selection"),
  state: readViewState(), onChange: writeViewState, actions: [exportFolded],
}));
selectionFlame.id = "selection-flame";
measureWhenPainted("subsecond:flamegraph", SELECT_MARK);
if (!performance.getEntriesByName("subsecond:interactive").length) measureWhenPainted("subsecond:interactive");
`)}

## Compare

${js(`
// {a: undefined} when nothing is pinned (a Mutable never yields a bare undefined).
const pinned = Mutable({a: initialView.a});
const pin = (a) => { pinned.value = {a}; writeViewState({a}); };
`)}
${js(`
heat.showPinned(pinned.a);
`)}
${js(`
// Once the selection's flame graph is painted: a comparison needs another tree.
await afterPaint();
display(compareView({profile, analysis, a: pinned.a, b: selection, treeB: tree, width, fileName, onPin: () => pin(selection), onUnpin: () => pin(undefined)}));
`)}

## Annotations

${js(`
annotationsVersion;
display(annotationList({profile, site, select: heat.select}));
display(annotateForm({profile, site, selection, onAdd: annotationsChanged}));
`)}

## Annotated selections

<p class="subsecond-hint">The flame graph of each annotation.</p>

${js(`
annotationsVersion;
// Made once scrolled to (the end of the page): one flame graph per annotation.
const sectionsRoot = display(el("div"));
await visibility();
sectionsRoot.append(annotationSections({profile, analysis, width, fileName}));
`)}
`);
