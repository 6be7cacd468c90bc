// The index page (a Framework page loader): every profile in the profiles folder, read
// from the summary.json each profile's artifacts loader writes, so no profile is
// parsed twice, and the files that are not shown, with why (data/not-shown.json, and
// each unreadable profile's summary.json).
import {listProfiles} from "./data/site-profiles.js";

// Slugs are letters, digits and "-" only: safe inside a JavaScript string.
const summaries = listProfiles().map((p) => `FileAttachment(${JSON.stringify(`data/profiles/${p.slug}/summary.json`)}).json()`);

process.stdout.write(`---
title: Profiles
---

# Profiles

Each profile's subsecond-offset heat map and flame graphs: open one, then select a time
range (click a start and an end cell) or a block of cells (drag) on its heat map.

\`\`\`js
import {profileIndex} from "./components/index-view.js";

const entries = await Promise.all([${summaries.join(", ")}]);
const notShown = await FileAttachment("data/not-shown.json").json();
display(profileIndex(entries, notShown));
\`\`\`
`);
