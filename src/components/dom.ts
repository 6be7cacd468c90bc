// DOM building for the site's components. Profile text (frame, comm, file names) is
// untrusted: it only ever enters the page as text nodes or attribute values set
// through the DOM, never as markup.

type Child = Node | string | number | null | undefined | false;

/** An HTML element with attributes (`on*` functions become listeners) and children
 * (strings become text nodes). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | EventListener | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node: Node, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
}

const SVG_NS = "http://www.w3.org/2000/svg";

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

export {formatCount, percent} from "../lib/format.js";
import {formatCount, safeName} from "../lib/format.js";

/** "1 sample", "2 samples". */
export function samples(n: number): string {
  return `${formatCount(n)} sample${n === 1 ? "" : "s"}`;
}

/** Offers text as a file download. */
export function download(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = el("a", {href: url, download: fileName});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name made from untrusted text. */
export function safeFileName(text: string): string {
  return safeName(text) || "profile";
}

/** A floating text box inside `container` (which must be positioned). */
export class Tooltip {
  readonly node = el("div", {class: "subsecond-tooltip", hidden: true});

  constructor(container: HTMLElement) {
    container.append(this.node);
  }

  /** Shows `text` near the pointer event, kept inside the container. */
  show(text: string, event: MouseEvent): void {
    this.showAt(text, event.clientX, event.clientY);
  }

  /** Shows `text` near a point of the viewport (a focused cell or frame). */
  showAt(text: string, clientX: number, clientY: number): void {
    const box = (this.node.parentElement as HTMLElement).getBoundingClientRect();
    this.node.textContent = text;
    this.node.hidden = false;
    const x = clientX - box.left + 12, y = clientY - box.top + 12;
    const maxX = box.width - this.node.offsetWidth - 4;
    this.node.style.left = `${Math.max(0, x > maxX ? clientX - box.left - this.node.offsetWidth - 12 : x)}px`;
    this.node.style.top = `${y}px`;
  }

  hide(): void {
    this.node.hidden = true;
  }
}

// After-paint work. Framework's runtime runs cells inside an animation-frame callback,
// so a 0 ms timeout set by a cell fires once that frame is painted. One timeout per
// frame runs the measures first, then lets waiting cells go on: work deferred past the
// paint must not delay the measure of it.
let paintTimer: ReturnType<typeof setTimeout> | undefined;
const afterPaintMeasures: (() => void)[] = [];
const afterPaintWaiters: (() => void)[] = [];

function schedulePaintTimer(): void {
  paintTimer ??= setTimeout(() => {
    paintTimer = undefined;
    for (const measure of afterPaintMeasures.splice(0)) measure();
    for (const resume of afterPaintWaiters.splice(0)) resume();
  });
}

/** Resolves once what the page just drew is painted: for work that need not delay it. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    afterPaintWaiters.push(resolve);
    schedulePaintTimer();
  });
}

/** Measures (`performance.measure(name)`) until the browser has painted what the
 * calling cell just drew: from `startMark` (skipped when that mark is not set), or from
 * navigation start. The benchmark reads these (bench/site-perf.js). */
export function measureWhenPainted(name: string, startMark?: string): void {
  if (startMark !== undefined && performance.getEntriesByName(startMark, "mark").length === 0) return;
  afterPaintMeasures.push(() => {
    performance.measure(name, startMark === undefined ? {start: 0} : {start: startMark});
    if (startMark !== undefined) performance.clearMarks(startMark);
  });
  schedulePaintTimer();
}
