// The profile page's call-tree views, in Chromium: a transform from a frame's menu
// (mouse) and from its key (keyboard), the trail of transforms, Back undoing them in
// place; the inverted tree, left-heavy order, a function's callers and callees, and the
// busiest threads. Every drawn graph is checked against the library's layout of the
// same tree.
import {existsSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {callTree, sandwich, threadTrees, type CallTreeOptions} from "../../src/lib/calltree.js";
import type {FlameTree} from "../../src/lib/flametree.js";
import {parsePerfScript} from "../../src/lib/perf/parse.js";
import type {Profile} from "../../src/lib/profile.js";
import {frameLabel, layoutFlameGraph} from "../../src/lib/render/flamegraph.js";
import {sampleView} from "../../src/lib/view.js";
import {perfText, sample, type TestSample} from "../helpers.js";
import {CHROMIUM, reportInChromium, selecting, SHOTS} from "./watched-page.js";

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`\n*** SKIPPED test/site/calltree.test.ts: no ${CHROMIUM} (apt-get install -y chromium) ***\n`);

/** Four seconds of a service (parse, eval with GC, a recursive walk) and a worker. */
function serviceSamples(): TestSample[] {
  const stacks = [
    ["main", "parse", "lex"], ["main", "parse", "lex"], ["main", "parse"], ["main", "eval", "gc"], ["main", "eval"],
    ["main", "walk", "walk", "walk", "visit"], ["main", "walk", "visit"],
  ];
  const out: TestSample[] = [];
  for (let k = 0; k < 280; k++) {
    const time = `${100 + Math.floor(k / 70)}.${String((k % 70) * 14_000).padStart(6, "0")}`;
    out.push(k % 4 === 3 ? sample(time, ["run", "work"], {comm: "worker", tid: 200, cpu: 1}) : sample(time, stacks[k % stacks.length], {tid: 100}));
  }
  return out;
}

describe.skipIf(!haveChromium)("call-tree views on the profile page, in Chromium", () => {
  let profile: Profile;
  const site = reportInChromium("calltree", (profiles) => {
    const text = perfText(serviceSamples());
    writeFileSync(join(profiles, "service.perf"), text);
    profile = parsePerfScript(text, {source: "service.perf"});
  });
  const openService = (hash = "") => site.openProfile("service", hash, {width: 1440, height: 900});
  const hash = (page: Page) => page.evaluate(() => decodeURIComponent(location.hash));
  const tfParam = (page: Page) => page.evaluate(() => new URLSearchParams(location.hash.slice(1)).get("tf"));

  /** The frames a graph drew: label (where it shows one), x and width. */
  const drawn = (page: Page, graph: string) =>
    page.$$eval(`${graph} .frame`, (frames) => frames.map((f) => ({text: f.textContent ?? "", x: parseFloat((f as HTMLElement).style.left), width: parseFloat((f as HTMLElement).style.width)})));
  /** Checks a drawn graph against the library's layout of `tree` at the graph's width. */
  async function expectDrawn(page: Page, graph: string, tree: FlameTree) {
    const width = await page.$eval(`${graph} .subsecond-frames`, (e) => parseFloat((e as HTMLElement).style.width));
    const boxes = layoutFlameGraph(tree, {width, minWidth: 1}).boxes;
    const frames = await drawn(page, graph);
    expect(frames.length, graph).toBe(boxes.length);
    boxes.forEach((b, k) => {
      expect(Math.abs(frames[k].x - b.x), `${graph} frame ${k}`).toBeLessThan(0.01);
      expect(Math.abs(frames[k].width - b.width), `${graph} frame ${k}`).toBeLessThan(0.01);
      if (frames[k].text) expect(frames[k].text).toBe(frameLabel(b.node));
    });
  }
  const library = (options: CallTreeOptions) => callTree(sampleView(profile), options);
  const frame = (page: Page, name: string) => page.locator("#selection-flame .frame", {hasText: new RegExp(`^${name}$`)}).first();

  it("a frame's menu merges a function, a key focuses on one; the trail shows them; Back undoes each in place", async () => {
    const page = await openService();
    await page.evaluate(() => Object.assign(window, {subsecondTestMark: 1}));
    await expectDrawn(page, "#selection-flame", library({}));

    // The mouse: right-click parse, "Merge function".
    await frame(page, "parse").click({button: "right"});
    const menu = page.getByRole("menu", {name: "Transforms of parse"});
    await menu.waitFor();
    await page.screenshot({path: join(SHOTS, "calltree-menu.png")});
    await selecting(page, () => menu.getByRole("menuitem", {name: /^Merge function/}).click());
    expect(await tfParam(page)).toBe("mf-parse");
    expect(await menu.count()).toBe(0);
    await expectDrawn(page, "#selection-flame", library({transforms: [{type: "merge-function", name: "parse"}]}));
    expect(await page.locator("#selection-flame .frame", {hasText: /^parse$/}).count()).toBe(0);

    // The keyboard: Tab to the graph, up from the root to the comm, then to main and walk, F.
    await page.getByRole("button", {name: "Export folded"}).focus();
    await page.keyboard.press("Tab");
    const focused = () => page.evaluate(() => document.getElementById(document.activeElement!.getAttribute("aria-activedescendant")!)?.textContent);
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe("app");
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe("main");
    await page.keyboard.press("ArrowUp");
    for (let k = 0; k < 5 && (await focused()) !== "walk"; k++) await page.keyboard.press("ArrowRight");
    expect(await focused()).toBe("walk");
    await selecting(page, () => page.keyboard.press("F"));
    expect(await tfParam(page)).toBe("mf-parse~ff-walk");
    const both = library({transforms: [{type: "merge-function", name: "parse"}, {type: "focus-function", name: "walk"}]});
    await expectDrawn(page, "#selection-flame", both);
    expect(await page.locator(".subsecond-transforms li").allInnerTexts()).toEqual(["Full tree", "merge parse", "focus on walk"]);
    // The new graph takes the focus, at its root: the keyboard goes on in it. The menu
    // from the keyboard (Shift+F10): Escape closes it and gives the focus back.
    await page.waitForFunction(() => document.activeElement?.matches("#selection-flame .subsecond-flame-graph"));
    await page.keyboard.press("ArrowUp");
    expect(await focused()).toBe("walk"); // the root has no transforms
    await page.keyboard.press("Shift+F10");
    expect(await page.getByRole("menu", {name: "Transforms of walk"}).count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("menuitem");
    await page.keyboard.press("Escape");
    expect(await page.getByRole("menu").count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.classList.contains("subsecond-flame-graph"))).toBe(true);
    await page.screenshot({path: join(SHOTS, "calltree-transforms.png")});

    await selecting(page, () => page.goBack());
    expect(await tfParam(page)).toBe("mf-parse");
    await expectDrawn(page, "#selection-flame", library({transforms: [{type: "merge-function", name: "parse"}]}));
    await selecting(page, () => page.goBack());
    expect(await hash(page)).toBe("");
    await expectDrawn(page, "#selection-flame", library({}));
    expect(await page.locator(".subsecond-transforms li").count()).toBe(0);
    await selecting(page, () => page.goForward());
    await selecting(page, () => page.goForward());
    await expectDrawn(page, "#selection-flame", both);
    // A step of the trail goes back to it, as a new entry.
    await selecting(page, () => page.getByRole("button", {name: "merge parse"}).click());
    expect(await tfParam(page)).toBe("mf-parse");
    expect(await page.evaluate(() => (window as {subsecondTestMark?: number}).subsecondTestMark)).toBe(1); // never reloaded
    await page.close();
  });

  it("a link opens its transforms; inverted and left-heavy are settings in the URL", async () => {
    const page = await openService("#tf=df-eval");
    await expectDrawn(page, "#selection-flame", library({transforms: [{type: "drop-function", name: "eval"}]}));
    await selecting(page, () => page.getByLabel("inverted (bottom-up)").check());
    expect(await hash(page)).toBe("#tf=df-eval&inv=1");
    await expectDrawn(page, "#selection-flame", library({transforms: [{type: "drop-function", name: "eval"}], invert: true}));
    await selecting(page, () => page.getByLabel("children order").selectOption("total"));
    expect(await hash(page)).toBe("#tf=df-eval&inv=1&order=total");
    const inverted = library({transforms: [{type: "drop-function", name: "eval"}], invert: true, order: "total"});
    await expectDrawn(page, "#selection-flame", inverted);
    // The heaviest innermost frames first: work (70 samples), lex and visit (60 each), parse (30).
    expect(inverted.root.children.map((c) => `${c.name}:${c.total}`)).toEqual(["work:70", "lex:60", "visit:60", "parse:30"]);
    // Focus on a subtree needs a stack's prefix: not offered on an inverted tree.
    await frame(page, "lex").click({button: "right"});
    expect(await page.getByRole("menuitem", {name: /^Focus on subtree/}).count()).toBe(0);
    await page.keyboard.press("Escape");
    await page.close();
  });

  it("a function's callers and callees ('s'), and the busiest threads, each a graph", async () => {
    const page = await openService();
    await frame(page, "walk").click({button: "right"});
    await selecting(page, () => page.getByRole("menuitem", {name: /^Show callers and callees/}).click());
    expect(await hash(page)).toBe("#sw=walk");
    const {callers, callees} = sandwich(sampleView(profile), "walk");
    await expectDrawn(page, "#sandwich-callers", callers);
    await expectDrawn(page, "#sandwich-callees", callees);
    expect(await page.locator("#sandwich-callers .frame").first().innerText()).toBe("all");
    await page.screenshot({path: join(SHOTS, "calltree-sandwich.png")});
    await selecting(page, () => page.goBack());
    expect(await hash(page)).toBe("");
    expect(await page.locator("#sandwich-callers").count()).toBe(0);

    await selecting(page, () => page.getByLabel("threads").selectOption("4"));
    expect(await hash(page)).toBe("#threads=4");
    const rows = threadTrees(sampleView(profile), {limit: 4});
    expect(await page.locator(".subsecond-threads h3").allInnerTexts()).toEqual(["app ?/100 · 210 samples", "worker ?/200 · 70 samples"]);
    for (const [k, row] of rows.entries()) await expectDrawn(page, `#thread-flame-${k}`, row.tree);
    // Transforms apply to every thread's graph.
    await page.locator("#thread-flame-0 .frame", {hasText: /^main$/}).first().click({button: "right"});
    await selecting(page, () => page.getByRole("menuitem", {name: /^Merge function/}).click());
    expect(await hash(page)).toBe("#tf=mf-main&threads=4");
    for (const [k, row] of threadTrees(sampleView(profile), {limit: 4, transforms: [{type: "merge-function", name: "main"}]}).entries()) await expectDrawn(page, `#thread-flame-${k}`, row.tree);
    await page.screenshot({path: join(SHOTS, "calltree-threads.png")});
    await page.close();
  });
});
