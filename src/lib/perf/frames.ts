// How one perf callchain frame's text ("sym+0x1f (/lib/x.so)") becomes frames of the
// model: module, offset removal, `->` inline splitting, and the frame kind.
import {KIND} from "../profile.js";

export interface FrameText {
  /** Function name without its `+0x…` offset; "" when perf printed none. */
  name: string;
  module: string | null;
  kind: number;
}

const DELETED = " (deleted))";

/** Splits the text after a frame's address into symbol and module. The module is the
 * text inside the last ` (…)`, so symbols with spaces and parentheses (C++ signatures)
 * and module paths with spaces both work; `(/lib/x.so (deleted))` keeps the library
 * name with its ` (deleted)` mark. */
export function splitFrameText(text: string): {symbol: string; module: string | null} {
  const tail = text.trimEnd();
  if (!tail.endsWith(")")) return {symbol: tail, module: null};
  const deleted = tail.endsWith(DELETED);
  const body = deleted ? tail.slice(0, -DELETED.length) : tail.slice(0, -1);
  const open = body.lastIndexOf(" (");
  let symbol: string, module: string;
  if (open >= 0) {
    symbol = body.slice(0, open).trimEnd();
    module = body.slice(open + 2);
  } else if (body.startsWith("(")) {
    symbol = "";
    module = body.slice(1);
  } else {
    return {symbol: tail, module: null};
  }
  return {symbol: stripOffset(symbol), module: deleted ? `${module} (deleted)` : module};
}

/** Removes a trailing `+0x<hex>` offset (perf ≥ 4.8 prints one on every frame). */
export function stripOffset(symbol: string): string {
  const plus = symbol.lastIndexOf("+0x");
  if (plus < 0 || plus + 3 === symbol.length) return symbol;
  for (let i = plus + 3; i < symbol.length; i++) {
    const c = symbol.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return symbol;
  }
  return symbol.slice(0, plus);
}

// User-space pseudo-modules perf prints in brackets; any other `[name]` is kernel code
// (`[kernel.kallsyms]`, loaded modules such as `[nf_conntrack]`, `[bpf_prog]` …).
const USER_BRACKETED = new Set(["[vdso]", "[vsyscall]", "[vvar]", "[heap]", "[stack]", "[uprobes]"]);

export function moduleKind(module: string | null, name: string): number {
  if (name === "[unknown]" || name === "") return KIND.unknown;
  if (module === null) return KIND.user;
  if (module === "inlined") return KIND.inlined;
  if (module.startsWith("[")) {
    if (module === "[unknown]" || module.startsWith("[anon") || USER_BRACKETED.has(module)) return KIND.user;
    return KIND.kernel;
  }
  if (/(^|\/)vmlinux(-[^/]*)?$/.test(module) || /\.ko(\.[gx]z|\.zst)?$/.test(module)) return KIND.kernel;
  if (/(^|\/)perf-\d+\.map$/.test(module) || /(^|\/)jitted-\d+-\d+\.so$/.test(module)) return KIND.jit;
  return KIND.user;
}

// perf-map-agent and similar JIT maps write a compiled method with the methods inlined
// into it as `outer->inner->innermost`; `operator->` is a C++ name, not a separator.
const INLINE_SEPARATOR = /(?<!operator)->/;

/** The frames one callchain line stands for, outermost first. */
export function framesOfText(text: string): FrameText[] {
  const {symbol, module} = splitFrameText(text);
  const parts = symbol.includes("->") ? symbol.split(INLINE_SEPARATOR) : [symbol];
  return parts.map((name, i) => ({
    name,
    module,
    kind: i === 0 ? moduleKind(module, name) : KIND.inlined,
  }));
}
