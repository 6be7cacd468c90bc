// A flame-graph layout drawn as positioned divs (fast to build and hit-test on a page),
// with the library's frame style: the same fills and labels as its SVG. `data-i` maps a
// box back to the layout.
import {frameFill, frameLabel, maxSelfDelta, type FlameLayout, type FrameFillOptions} from "../lib/render/flamegraph.js";

export type FlameRenderOptions = Omit<FrameFillOptions, "maxDelta">;

/** Frames narrower than this (px) are left out: they could not be seen or clicked. */
export const MIN_FRAME_WIDTH = 1;

export function renderFlameLayout(layout: FlameLayout, options: FlameRenderOptions = {}): HTMLElement {
  const fh = layout.frameHeight;
  const graph = document.createElement("div");
  graph.className = options.differential ? "subsecond-frames differential" : "subsecond-frames";
  graph.style.width = `${layout.width}px`;
  graph.style.height = `${layout.levels * fh}px`;
  const fill = {...options, maxDelta: options.differential ? maxSelfDelta(layout.boxes) : 0};
  const fragment = document.createDocumentFragment();
  layout.boxes.forEach((box, i) => {
    const {node} = box;
    const level = layout.orientation === "flame" ? layout.levels - 1 - box.depth : box.depth;
    const frame = document.createElement("div");
    frame.className = box.ancestor ? "frame ancestor" : "frame";
    frame.dataset.i = String(i);
    frame.style.cssText = `left:${box.x}px;top:${level * fh}px;width:${box.width}px;height:${fh - 1}px;background:${frameFill(node, fill)}`;
    // Text only where it can show a few characters (CSS cuts it with an ellipsis).
    if (box.width >= 21) frame.textContent = frameLabel(node);
    fragment.append(frame);
  });
  graph.append(fragment);
  return graph;
}
