// Small builders of perf script text and of the trees tests compare, for tests.
import {walkTree, type FlameTree} from "../src/lib/flametree.js";

export interface TestSample {
  /** Perf time, as perf prints it (e.g. "5086.200000"). */
  time: string;
  comm?: string;
  tid?: number;
  cpu?: number;
  period?: number;
  event?: string;
  /** Frames outermost first (the order of folded stacks), e.g. ["main", "work"]. */
  stack: string[];
  /** Module of every frame (default /usr/bin/app). */
  module?: string;
  /** Modules frame by frame (outermost first), where they differ from `module`. */
  modules?: (string | undefined)[];
}

/** perf script text for the samples, frames printed innermost first as perf does. */
export function perfText(samples: TestSample[]): string {
  return samples
    .map((s) => {
      const head = `${s.comm ?? "app"} ${s.tid ?? 100} [${String(s.cpu ?? 0).padStart(3, "0")}] ${s.time}: ${s.period ?? 1} ${s.event ?? "cpu-clock"}:`;
      const modules = s.stack.map((_, k) => s.modules?.[k] ?? s.module ?? "/usr/bin/app").reverse();
      const frames = [...s.stack].reverse().map((f, i) => `\t${(0x401000 + i * 16).toString(16)} ${f}+0x1 (${modules[i]})`);
      return [head, ...frames, ""].join("\n");
    })
    .join("\n");
}

export const IDLE_STACK = ["secondary_startup_64", "start_secondary", "cpu_startup_entry", "do_idle", "default_idle_call", "default_idle", "native_safe_halt"];

/** An idle sample on a CPU, as perf prints swapper in the idle loop. */
export function idleSample(time: string, cpu = 0): TestSample {
  return {time, comm: "swapper", tid: 0, cpu, stack: IDLE_STACK, module: "[kernel.kallsyms]"};
}

/** A test sample: perf time text, frames outermost first, and any other fields. */
export function sample(time: string, stack: string[], extra: Partial<TestSample> = {}): TestSample {
  return {time, stack, ...extra};
}

/** "name:total/self" lines, depth-indented: a flame tree's shape in one string. */
export function treeShape(tree: FlameTree): string {
  const lines: string[] = [];
  walkTree(tree.root, (n, depth) => lines.push(`${"  ".repeat(depth)}${n.name}:${n.total}/${n.self}`));
  return lines.join("\n");
}

/** Two processes over two seconds: main → parse → lex, main → eval → gc, a worker. */
export const SMALL_TREE_SAMPLES: TestSample[] = [
  sample("1.10", ["main", "parse", "lex"]),
  sample("1.20", ["main", "parse", "lex"]),
  sample("1.30", ["main", "parse"]),
  sample("1.40", ["main", "eval"]),
  sample("2.10", ["main", "eval", "gc"], {comm: "app", period: 5}),
  sample("2.20", ["main", "eval", "gc"]),
  sample("2.30", ["main", "eval"]),
  sample("2.40", ["work"], {comm: "worker"}),
];
