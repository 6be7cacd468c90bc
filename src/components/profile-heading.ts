// The top of a profile page, compact so that the heat map and the flame graph fit
// below it: its file name, the facts to check first in one wrapping line (the wall-clock
// span of the capture, to the millisecond; the sampling rate), and what could not be
// used (why the profile is not shown; a sidecar or notes the page is without).
import {formatWallClockRange} from "../lib/format.js";
import {describeRate} from "../lib/rate.js";
import {formatDiagnostic} from "../lib/perf/diagnostics.js";
import type {Profile} from "../lib/profile.js";
import {summarize} from "../lib/summary.js";
import {el, formatCount, percent} from "./dom.js";
import type {SiteInfo} from "./load-profile.js";

export function profileHeading(profile: Profile, site: SiteInfo): HTMLElement {
  const s = summarize(profile, {top: 0});
  const h = s.header;
  const facts: [string, string][] = [];
  if (h.hostname) facts.push(["host", `${h.hostname}${h.nrcpusOnline ? ` (${h.nrcpusOnline} CPUs)` : ""}`]);
  if (s.firstSampleWallClock && s.lastSampleWallClock) facts.push(["captured", formatWallClockRange(s.firstSampleWallClock, s.lastSampleWallClock)]);
  else if (h.capturedOn) facts.push(["captured", h.capturedOn]);
  if (s.duration !== null) facts.push(["duration", `${s.duration.toFixed(3)} s (${s.columns} heat-map columns)`]);
  if (s.samplingRate) facts.push(["sampling", describeRate(s.samplingRate)]);
  facts.push(["samples", `${formatCount(s.samples.total)} (${percent(s.samples.idle, s.samples.total)} idle)`]);
  facts.push(["events", s.events.map((e) => `${e.name}: ${formatCount(e.samples)}`).join(", ") || "none"]);
  // Last, on a line of its own, cut to fit (all of it on hover).
  if (h.cmdline) facts.push(["command", h.cmdline]);
  // What the parser skipped or repaired; open when it left nothing to show.
  const warnings = profile.diagnostics.entries.filter((d) => d.severity !== "info");
  return el(
    "header",
    {class: "subsecond-profile-heading"},
    el("div", {class: "subsecond-title-row"}, el("h1", {}, site.file), el("dl", {class: "subsecond-facts"}, ...facts.map(([k, v]) => el("div", k === "command" ? {class: "command"} : {}, el("dt", {}, k), el("dd", k === "command" ? {title: v} : {}, v))))),
    site.error && el("p", {class: "subsecond-error"}, `Not shown: ${site.error}`),
    site.warnings.length > 0 && el("ul", {class: "subsecond-warnings"}, ...site.warnings.map((w) => el("li", {}, `warning: ${w} (shown without it)`))),
    warnings.length > 0 &&
      el(
        "details",
        {class: "subsecond-warnings", open: s.samples.total === 0},
        el("summary", {}, `${warnings.length} parse warning${warnings.length === 1 ? "" : "s"}`),
        el("ul", {}, ...warnings.map((d) => el("li", {}, formatDiagnostic(site.file, d)))),
      ),
  );
}
