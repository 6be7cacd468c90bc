// Frame, comm, file names, sidecars and notes are untrusted text: every renderer passes
// them through the escape for its sink (XML/HTML here, terminals below).

const ENTITIES: Record<string, string> = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};

/** Characters XML 1.0 forbids: controls other than tab, newline and CR, U+FFFE/U+FFFF,
 * and lone surrogates (which no encoding can write). */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text that an XML document may hold: forbidden characters become U+FFFD. For text
 * set through a DOM (textContent) that is serialised as XML. */
export function xmlSafeText(text: string): string {
  return text.replace(XML_INVALID, "\uFFFD");
}

/** Escapes text for XML/HTML content and attribute values, and drops characters XML
 * forbids, which would make the document invalid. */
export function escapeXml(text: string): string {
  return xmlSafeText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Characters a terminal acts on rather than shows: C0 and C1 controls (ESC starts a
 * sequence that can clear the screen or retitle the window; CSI is U+009B), DEL, and the
 * bidirectional overrides and isolates that reorder what follows them. */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text for a terminal: each character a terminal would act on is shown as its code
 * (`\x1b`, `\u202e`), so the text stays visible and inert. Tab and newline stay. */
export function escapeTerminal(text: string): string {
  return text.replace(TERMINAL_UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
