// Frame, comm and file names are untrusted text: every renderer that builds SVG or HTML
// as a string passes them through here.

const ENTITIES: Record<string, string> = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};

/** Escapes text for XML/HTML content and attribute values, and drops characters XML
 * forbids (controls other than tab and newline), which would make the document invalid. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\uFFFD");
}
