// V8's sampling profiles, as `.cpuprofile` files and inside Chrome traces: a tree of
// nodes, each a call frame under its parent, and samples naming a node each, with the
// time since the previous sample in microseconds. Shared by ./cpuprofile.ts and
// ./chrome-trace.ts.
import type {ProfileBuilder} from "../builder.js";
import type {JsonReader} from "./errors.js";

/** V8's own frames: not JavaScript, no URL. `(idle)` is an idle thread (the idle
 * classifier counts it as idle), `(program)` native code outside JavaScript,
 * `(garbage collector)` the collector. */
export const V8_ROOT = "(root)";

/** The frame name of a V8 call frame: the function name (or `(anonymous)`), then its
 * URL, line and column (1-based, as DevTools shows them), so two anonymous functions
 * of one file stay apart. */
export function v8FrameName(functionName: string, url: string, line: number, column: number): string {
  const name = functionName || "(anonymous)";
  if (!url) return name;
  return line >= 0 ? `${name} ${url}:${line + 1}:${column + 1}` : `${name} ${url}`;
}

/** Nodes of one V8 profile, by id, added as they arrive (a trace sends them in chunks,
 * children before or after their parents). */
export class V8NodeTree {
  private frame = new Map<number, number>();
  private parent = new Map<number, number>();
  private stack = new Map<number, number>();

  /** `comm` names the process root when the first stack is made: a trace's thread
   * names may come after its samples. */
  constructor(private builder: ProfileBuilder, private json: JsonReader, private comm: () => string) {}

  /** Reads one node object (`{id, callFrame, parent?, children?}`). */
  add(value: unknown, path: string): void {
    const {json} = this;
    const node = json.object(value, path);
    const id = json.integer(node.id, `${path}.id`);
    if (this.frame.has(id)) json.fail(`${path}.id`, `node ${id} appears twice`);
    const call = json.object(node.callFrame, `${path}.callFrame`);
    const functionName = json.optionalString(call.functionName, `${path}.callFrame.functionName`);
    const url = json.optionalString(call.url, `${path}.callFrame.url`);
    const line = call.lineNumber === undefined ? -1 : json.integer(call.lineNumber, `${path}.callFrame.lineNumber`);
    const column = call.columnNumber === undefined ? -1 : json.integer(call.columnNumber, `${path}.callFrame.columnNumber`);
    const name = v8FrameName(functionName, url, line, column);
    this.frame.set(id, name === V8_ROOT && !url ? -1 : this.builder.frame({name, module: url || undefined, kind: url ? "jit" : "user"}));
    if (node.parent !== undefined) this.setParent(id, json.integer(node.parent, `${path}.parent`), path);
    json.optionalArray(node.children, `${path}.children`).forEach((c, k) => this.setParent(json.integer(c, `${path}.children[${k}]`), id, path));
  }

  private setParent(child: number, parent: number, path: string): void {
    const known = this.parent.get(child);
    if (known !== undefined && known !== parent) this.json.fail(path, `node ${child} has two parents, ${known} and ${parent}`);
    this.parent.set(child, parent);
  }

  has(id: number): boolean {
    return this.frame.has(id);
  }

  /** The stack id of node `id` (its path from the root; the `(root)` node itself is
   * the process root). Fails on a cycle or an unknown parent. */
  stackOf(id: number, where: () => string): number {
    const cached = this.stack.get(id);
    if (cached !== undefined) return cached;
    const chain: number[] = [];
    let at: number | undefined = id;
    let base = -1;
    while (at !== undefined) {
      const known = this.stack.get(at);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (!this.frame.has(at)) this.json.fail(where(), `node ${at} is not in the profile's nodes`);
      chain.push(at);
      if (chain.length > this.frame.size) this.json.fail(where(), `the parents of node ${id} form a cycle`);
      at = this.parent.get(at);
    }
    let stack = base >= 0 ? base : this.builder.root(this.comm());
    for (let k = chain.length - 1; k >= 0; k--) {
      const f = this.frame.get(chain[k])!;
      if (f >= 0) stack = this.builder.stackOf(stack, f);
      this.stack.set(chain[k], stack);
    }
    return stack;
  }
}
