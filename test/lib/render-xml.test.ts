// The SVG text of a drawing is the same from every DOM: Node draws with linkedom
// (svgDocument), tests and users may hand jsdom's or a browser's document.
import {JSDOM} from "jsdom";
import {describe, expect, it} from "vitest";
import {heatmap} from "../../src/lib/heatmap.js";
import {heatmapSvg} from "../../src/lib/render/heatmap.js";
import {svgMarkup} from "../../src/lib/render/xml.js";
import {svgDocument} from "../../src/node/index.js";
import {parseSvg, profile} from "./render-fixture.js";

const SVG = "http://www.w3.org/2000/svg";
const jsdomDocument = () => new JSDOM("<!DOCTYPE html><body></body>").window.document;

/** jsdom rewrites style attributes in its own CSS spelling (`rgb(255, 255, 255)`,
 * spaces after colons); the declarations are the same. */
function sameStyles(svg: string): string {
  return svg.replace(/ style="([^"]*)"/g, (_, css: string) => ` style="${css.replace(/rgb\(255, 255, 255\)/g, "#ffffff").replace(/[\s'"]|&quot;/g, "").replace(/;$/, "")}"`);
}

describe("svgMarkup", () => {
  for (const [name, doc] of [["linkedom", svgDocument], ["jsdom", jsdomDocument]] as const) {
    it(`${name}: escapes text and attributes, declares the namespace once, sorts attributes, closes empty elements`, () => {
      const document = doc();
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("width", "10");
      svg.setAttribute("aria-label", 'a "quoted" <label> & a\ttab\nline');
      const text = document.createElementNS(SVG, "text");
      text.textContent = "x < y && y > z";
      const clip = document.createElementNS(SVG, "clipPath");
      const foreign = document.createElementNS(SVG, "foreignObject");
      const div = document.createElement("div");
      div.textContent = "html";
      foreign.append(div);
      svg.append(text, clip, foreign);
      expect(svgMarkup(svg)).toBe(
        `<svg xmlns="${SVG}" aria-label="a &quot;quoted&quot; &lt;label&gt; &amp; a&#9;tab&#10;line" width="10">` +
          "<text>x &lt; y &amp;&amp; y &gt; z</text><clipPath/>" +
          '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject></svg>',
      );
      // And an XML reader gets back the same attribute and text.
      const back = parseSvg(svgMarkup(svg)).documentElement;
      expect(back.getAttribute("aria-label")).toBe('a "quoted" <label> & a\ttab\nline');
      expect(back.querySelector("text")!.textContent).toBe("x < y && y > z");
    });
  }

  it("a heat map with annotations (the fixture's) and a title: the same SVG drawn in linkedom as in jsdom", () => {
    expect(profile.annotations.length).toBe(2);
    for (const rows of [10, 50]) {
      const map = heatmap(profile, {rows});
      const light = heatmapSvg(map, {document: svgDocument(), title: "render-fixture <&>"});
      const reference = heatmapSvg(map, {document: jsdomDocument(), title: "render-fixture <&>"});
      expect(light).toContain("<rect");
      expect(sameStyles(light)).toBe(sameStyles(reference));
    }
  });
});
