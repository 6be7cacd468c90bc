// Small builders of perf script text for tests.

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
}

/** perf script text for the samples, frames printed innermost first as perf does. */
export function perfText(samples: TestSample[]): string {
  return samples
    .map((s) => {
      const head = `${s.comm ?? "app"} ${s.tid ?? 100} [${String(s.cpu ?? 0).padStart(3, "0")}] ${s.time}: ${s.period ?? 1} ${s.event ?? "cpu-clock"}:`;
      const frames = [...s.stack].reverse().map((f, i) => `\t${(0x401000 + i * 16).toString(16)} ${f}+0x1 (${s.module ?? "/usr/bin/app"})`);
      return [head, ...frames, ""].join("\n");
    })
    .join("\n");
}

export const IDLE_STACK = ["secondary_startup_64", "start_secondary", "cpu_startup_entry", "do_idle", "default_idle_call", "default_idle", "native_safe_halt"];

/** An idle sample on a CPU, as perf prints swapper in the idle loop. */
export function idleSample(time: string, cpu = 0): TestSample {
  return {time, comm: "swapper", tid: 0, cpu, stack: IDLE_STACK, module: "[kernel.kallsyms]"};
}
