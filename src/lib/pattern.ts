// Regular expressions typed by users (CLI options, a page's search box, a link's #q=)
// are matched against frame and comm names with RE2 semantics (the re2js engine): time
// linear in the name's length whatever the pattern, so a catastrophic pattern such as
// `(a+)+$` cannot freeze a command or a browser tab. RE2 has no backreferences and no
// lookaround; `(?i)` makes a pattern case-insensitive. A RegExp object passed by code is
// the caller's own and runs natively.
import {RE2JS} from "re2js";

/** Tests names; `source` is the pattern as written. */
export interface NamePattern {
  readonly source: string;
  test(name: string): boolean;
}

/** A pattern the user wrote that is not a regular expression. */
export class PatternError extends Error {}

/** Longest pattern accepted: the matcher's work grows with the pattern's size too. */
export const MAX_PATTERN_LENGTH = 1000;

/** `what` names the pattern in errors: "frame" → "invalid frame regular expression". */
export function namePattern(pattern: string | RegExp | NamePattern, what = ""): NamePattern {
  const name = what ? `${what} regular expression` : "regular expression";
  if (pattern instanceof RegExp) {
    return {source: pattern.source, test: (name) => ((pattern.lastIndex = 0), pattern.test(name))};
  }
  if (typeof pattern !== "string") return pattern;
  if (pattern.length > MAX_PATTERN_LENGTH) throw new PatternError(`the ${name} is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are accepted`);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (e) {
    throw new PatternError(`invalid ${name} ${JSON.stringify(pattern)}: ${(e as Error).message.replace(/^error parsing regexp: /, "")} (RE2 syntax: no lookaround or backreferences)`);
  }
  return {source: pattern, test: (name) => compiled.test(name)};
}

/** 1 for each name that matches. Each name is tested once; callers map their frames or
 * functions to names. */
export function matchNames(names: readonly string[], pattern: NamePattern): Uint8Array {
  const match = new Uint8Array(names.length);
  for (let i = 0; i < names.length; i++) match[i] = pattern.test(names[i]) ? 1 : 0;
  return match;
}
