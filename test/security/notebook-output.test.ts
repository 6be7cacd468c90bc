// What show() hands Jupyter for a profile whose names are hostile: Jupyter puts SVG
// and HTML outputs into the notebook page as they are, so a name must never become an
// element, an attribute, a script or a way out of the one CDATA section the
// flame graph's SVG carries (it has no script in a notebook).
import * as aq from "arquero";
import {JSDOM} from "jsdom";
import {describe, expect, it} from "vitest";
import {annotate, displayData, flameTree, heatmap, parsePerfScript, summarize} from "../../src/notebook/index.js";

const HOSTILE = ["<img src=x onerror=alert(1)>", "]]><script>alert(2)</script>", '"><svg onload=alert(3)>', "\u001b]0;title\u0007\u001b[2J", "&amp;&#x3c;"];

const text = HOSTILE.map((name, i) => `${name} ${100 + i} [000] ${10 + i}.250000: 1 cpu-clock:\n\t401000 ${name}+0x1 (/usr/lib/${name}.so)\n\t402000 main+0x1 (/usr/bin/app)\n`).join("\n");
const profile = parsePerfScript(text, {source: "hostile.perf"});
for (const label of HOSTILE) annotate(profile, {label, from: 1, to: 2, note: label});

/** Every element and attribute of an output, parsed as the browser would. */
function parsed(data: string, type: "image/svg+xml" | "text/html") {
  const doc = new JSDOM(type === "text/html" ? data : `<body>${data}</body>`).window.document;
  return {
    doc,
    tags: [...doc.body.querySelectorAll("*")].map((e) => e.tagName.toLowerCase()),
    handlers: [...doc.body.querySelectorAll("*")].flatMap((e) => e.getAttributeNames().filter((a) => a.startsWith("on"))),
  };
}

describe("show() outputs of hostile names", () => {
  it("heat map SVG: labels as text, no element or handler from them", () => {
    const data = displayData(heatmap(profile, {rows: 4}))["text/html"]!;
    const {doc, tags, handlers} = parsed(data, "text/html");
    expect(handlers).toEqual([]);
    expect(tags).not.toContain("img");
    expect(tags).not.toContain("script");
    expect(doc.body.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("flame graph SVG: no script, and names stay text", () => {
    const data = displayData(flameTree(profile, null))["text/html"]!;
    const {doc, tags, handlers} = parsed(data, "text/html");
    expect(handlers).toEqual([]);
    expect(tags).not.toContain("script");
    const titles = [...doc.querySelectorAll("title")].map((t) => t.textContent);
    for (const name of HOSTILE.slice(0, 3)) expect(titles.some((t) => t?.startsWith(name))).toBe(true);
  });

  it("tables: names and values are text, whatever column they land in", () => {
    const table = aq.table({[HOSTILE[0]]: HOSTILE, [HOSTILE[2]]: HOSTILE.map((_, i) => i)});
    const data = displayData(table)["text/html"]!;
    const {doc, tags, handlers} = parsed(data, "text/html");
    expect(handlers).toEqual([]);
    expect(new Set(tags)).toEqual(new Set(["table", "thead", "tr", "th", "tbody", "td"]));
    expect([...doc.querySelectorAll("th")].map((th) => th.textContent)).toEqual([HOSTILE[0], HOSTILE[2]]);
  });

  it("summaries: plain text with terminal escapes shown as codes", () => {
    const out = displayData(summarize(profile));
    expect(out["text/html"]).toBeUndefined();
    const data = out["text/plain"];
    expect(data).toContain("\\x1b]0;title\\x07\\x1b[2J");
    expect(data).not.toMatch(/[\u001b\u0007]/);
  });
});
