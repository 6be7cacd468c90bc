// Draws a flame-graph layout in the page as absolutely positioned HTML boxes. The
// library's flameGraphSvg is for standalone files (a <title> and formatted counts on
// every frame); on the page, tens of thousands of frames must draw in a few
// milliseconds, so frames here are bare boxes whose labels the browser clips with an
// ellipsis, with names set as text (never markup). `data-i` maps a box back to
// layout.boxes[i], as in the library's SVG.
import type {FlameNode} from "../lib/flametree.js";
import type {FlameLayout} from "../lib/render/flamegraph.js";
import {diffColor, frameColor, SEARCH_COLOR} from "../lib/render/palette.js";

export interface FlameRenderOptions {
  highlight?: Set<FlameNode>;
  /** Colour by `delta.self` (a differential tree), as the library's SVG does. */
  differential?: boolean;
}

/** Frames narrower than this (px) are left out: they could not be seen or clicked. */
export const MIN_FRAME_WIDTH = 1;

export function renderFlameLayout(layout: FlameLayout, options: FlameRenderOptions = {}): HTMLElement {
  const fh = layout.frameHeight;
  const graph = document.createElement("div");
  graph.className = options.differential ? "subsecond-frames differential" : "subsecond-frames";
  graph.style.width = `${layout.width}px`;
  graph.style.height = `${layout.levels * fh}px`;
  let maxDelta = 0;
  if (options.differential) for (const b of layout.boxes) maxDelta = Math.max(maxDelta, Math.abs(b.node.delta?.self ?? 0));
  const fragment = document.createDocumentFragment();
  layout.boxes.forEach((box, i) => {
    const {node} = box;
    const level = layout.orientation === "flame" ? layout.levels - 1 - box.depth : box.depth;
    const frame = document.createElement("div");
    frame.className = box.ancestor ? "frame ancestor" : "frame";
    frame.dataset.i = String(i);
    frame.style.cssText = `left:${box.x}px;top:${level * fh}px;width:${box.width}px;height:${fh - 1}px;background:${fill(node, options, maxDelta)}`;
    // Text only where it can show a few characters: most frames are narrow.
    if (box.width >= 21) frame.textContent = node.name || (node.module ? `[${node.module.replace(/.*\//, "")}]` : "(no symbol)");
    fragment.append(frame);
  });
  graph.append(fragment);
  return graph;
}

function fill(node: FlameNode, options: FlameRenderOptions, maxDelta: number): string {
  if (options.highlight?.has(node)) return SEARCH_COLOR;
  if (options.differential) return diffColor(maxDelta > 0 ? (node.delta?.self ?? 0) / maxDelta : 0);
  return frameColor(node.kind, node.name);
}
