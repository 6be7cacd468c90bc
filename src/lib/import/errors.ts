// What an importer throws for input it cannot read: one message that names the file,
// the format and where in it (a JSON path, a record number). Callers print it as is.

export class ImportError extends Error {
  constructor(source: string, format: string, where: string, problem: string) {
    super(`${source}: ${format}: ${where ? `${where}: ` : ""}${problem}`);
  }
}

/** Checks on untrusted JSON values that throw an ImportError naming the path. */
export class JsonReader {
  constructor(readonly source: string, readonly format: string) {}

  fail(path: string, problem: string): never {
    throw new ImportError(this.source, this.format, path, problem);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(path, `expected an object, found ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, found ${describe(value)}`);
    return value;
  }

  /** An array when present, else an empty one. */
  optionalArray(value: unknown, path: string): unknown[] {
    return value === undefined || value === null ? [] : this.array(value, path);
  }

  number(value: unknown, path: string): number {
    if (typeof value !== "number" || !Number.isFinite(value)) this.fail(path, `expected a number, found ${describe(value)}`);
    return value;
  }

  integer(value: unknown, path: string): number {
    if (!Number.isSafeInteger(value)) this.fail(path, `expected a whole number, found ${describe(value)}`);
    return value as number;
  }

  /** A whole number ≥ 0 below `limit` (an index into a table of that length). */
  index(value: unknown, limit: number, path: string): number {
    const i = this.integer(value, path);
    if (i < 0 || i >= limit) this.fail(path, `${i} is not an index into a table of ${limit}`);
    return i;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== "string") this.fail(path, `expected a string, found ${describe(value)}`);
    return value;
  }

  optionalString(value: unknown, path: string): string {
    return value === undefined || value === null ? "" : this.string(value, path);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === "number") return String(value);
  return typeof value === "object" ? "an object" : typeof value === "undefined" ? "nothing" : `a ${typeof value}`;
}
