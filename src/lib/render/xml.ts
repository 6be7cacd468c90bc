// SVG drawn into a DOM, written out as XML text: the same text from every DOM (a
// browser's, jsdom, linkedom), so that the drawings Node makes with its light DOM are
// what they would be in any other. DOMs differ in the order they keep attributes in
// (linkedom keeps the newest first), so attributes are written sorted by name, after
// the namespace declaration an element needs. (What a DOM keeps of a style attribute
// is its own: jsdom rewrites the CSS in its own spelling, linkedom keeps it as given.)

/** The element and everything in it, as XML (an SVG file's text when it is an svg). */
export function svgMarkup(element: Element): string {
  const out: string[] = [];
  writeElement(element, null, out);
  return out.join("");
}

const ELEMENT = 1, TEXT = 3, CDATA = 4;

function writeElement(e: Element, parentNamespace: string | null, out: string[]): void {
  const name = e.localName;
  const namespace = e.namespaceURI;
  out.push("<", name);
  if (namespace !== parentNamespace && namespace !== null) out.push(' xmlns="', escapeAttribute(namespace), '"');
  const attributes = Array.from(e.attributes, (a) => [a.name, a.value] as const)
    .filter(([n]) => n !== "xmlns")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [n, v] of attributes) out.push(" ", n, '="', escapeAttribute(v), '"');
  const children = e.childNodes;
  if (children.length === 0) {
    out.push("/>");
    return;
  }
  out.push(">");
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    if (child.nodeType === ELEMENT) writeElement(child as Element, namespace, out);
    else if (child.nodeType === TEXT || child.nodeType === CDATA) out.push(escapeText(child.nodeValue ?? ""));
    // Comments and processing instructions are not drawn: they are left out.
  }
  out.push("</", name, ">");
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** Attribute values keep their tabs and line breaks as character references (an XML
 * reader would turn them into spaces). */
function escapeAttribute(text: string): string {
  return text.replace(/[&<>"\t\n\r]/g, (c) => ATTRIBUTE_ESCAPES[c]);
}

const ATTRIBUTE_ESCAPES: Record<string, string> = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"};
