// Which samples are an idle CPU. Classification is per stack (a stack id fixes comm and
// frames), computed once per profile and classifier.
import {KIND, type Profile} from "./profile.js";

/**
 * - `default`: leaf-aware. A sample is idle when its innermost frame is a kernel
 *   idle-loop function (or V8's `(idle)`), so interrupt and softirq work that lands on an idle CPU stays
 *   visible (FlameScope hides it: its issue #83).
 * - `flamescope`: FlameScope's rule exactly: idle when the sample's text (comm, then
 *   frames innermost first) has `swapper` followed by an idle-loop word.
 * - `keep`: nothing is idle.
 * - a function of (profile, stack id) for anything else.
 */
export type IdleClassifier = "default" | "flamescope" | "keep" | ((profile: Profile, stack: number) => boolean);

export const IDLE_MODES = ["default", "flamescope", "keep"] as const;

/** Kernel idle-loop functions of old and new kernels, x86, arm64 and Xen/KVM guests. */
export const IDLE_LEAF =
  /^(native_safe_halt|pv_native_safe_halt|pvm_safe_halt(_hc)?|safe_halt|native_halt|halt|xen_safe_halt|hv_native_safe_halt|default_idle|default_idle_call|default_enter_idle|intel_idle(_\w+)?|poll_idle|acpi_idle_\w+|acpi_safe_halt|acpi_processor_ffh_cstate_enter|mwait_idle(_\w+)?|amd_e400_idle|cpu_idle_poll|arch_cpu_idle(_\w+)?|cpuidle_enter(_state)?|cpuidle_idle_call|cpu_idle(_loop)?|do_idle|cpu_startup_entry|cpu_do_idle|psci_enter_idle_state|xen_hypercall_sched_op|xen_hypercall_vcpu_op|__cpuidle_text_start)$/;

/** A profiler's own frame for a thread with nothing to run: V8's `(idle)` (in
 * .cpuprofile files and Chrome traces), a frame without a module. */
export const IDLE_VM_FRAME = /^\(idle\)$/;

const FLAMESCOPE_IDLE_WORD = /cpuidle|cpu_idle|cpu_bringup_and_idle|native_safe_halt|xen_hypercall_sched_op|xen_hypercall_vcpu_op/;

/** FlameScope's /swapper.*(idle words)/ on one text, in linear time (the regex
 * backtracks quadratically on a long name full of "swapper"). */
function swapperThenIdleWord(text: string): boolean {
  const at = text.indexOf("swapper");
  return at >= 0 && FLAMESCOPE_IDLE_WORD.test(text.slice(at + "swapper".length));
}

const cache = new WeakMap<Profile, Map<IdleClassifier, Uint8Array>>();

/** 1 for each idle stack id, else 0. */
export function idleStacks(profile: Profile, classifier: IdleClassifier = "default"): Uint8Array {
  let byClassifier = cache.get(profile);
  if (!byClassifier) cache.set(profile, (byClassifier = new Map()));
  let idle = byClassifier.get(classifier);
  if (!idle) byClassifier.set(classifier, (idle = classify(profile, classifier)));
  return idle;
}

function isIdleLeaf(kind: number, module: number, name: string): boolean {
  return kind === KIND.kernel ? IDLE_LEAF.test(name) : module < 0 && kind !== KIND.process && IDLE_VM_FRAME.test(name);
}

/** 1 for each frame that makes a stack idle when it is the innermost one: the default
 * classifier's rule, which judges a stack by its leaf alone. */
export function idleLeafFrames(profile: Profile): Uint8Array {
  const {frames, strings} = profile;
  const idleFrame = new Uint8Array(frames.length);
  for (let f = 0; f < frames.length; f++) idleFrame[f] = isIdleLeaf(frames.kind[f], frames.module[f], strings[frames.name[f]]) ? 1 : 0;
  return idleFrame;
}

/** out[s] = perFrame[frame[s]] for every stack s: a table of stacks from one of their
 * leaf frames. A function of its own, as the loop over millions of stacks is optimised
 * while it runs (see countCells in ./heatmap.ts). */
export function leafFrameValues(out: Uint8Array, frame: Int32Array, perFrame: Uint8Array): void {
  for (let s = 0, n = frame.length; s < n; s++) out[s] = perFrame[frame[s]];
}

function classify(profile: Profile, classifier: IdleClassifier): Uint8Array {
  const {stacks, frames, strings} = profile;
  const idle = new Uint8Array(stacks.length);
  if (classifier === "keep") return idle;
  if (typeof classifier === "function") {
    for (let s = 0; s < stacks.length; s++) idle[s] = classifier(profile, s) ? 1 : 0;
    return idle;
  }
  if (classifier === "default") {
    // Every frame first (there are thousands, the stacks millions), so that the loop
    // over the stacks is two loads and a store.
    leafFrameValues(idle, stacks.frame, idleLeafFrames(profile));
    return idle;
  }
  if (classifier !== "flamescope") throw new Error(`unknown idle classifier ${JSON.stringify(classifier)} (use ${IDLE_MODES.join(", ")})`);
  // FlameScope tests /swapper.*(idle words)/ against the sample's text: the event line
  // (comm first), then the frame lines innermost first. Rather than building that text
  // per stack, carry two facts down the stack tree (parents have smaller ids): whether
  // an idle word occurs in the frames from the root to here, and whether the frames
  // alone already match (a frame with "swapper" followed, in text order, by an idle
  // word in itself or in a frame nearer the root).
  const frameText = (f: number) => {
    const m = frames.module[f];
    return frames.kind[f] === KIND.process ? strings[frames.name[f]] : `${strings[frames.name[f]]} (${m < 0 ? "" : strings[m]})`;
  };
  const facts = new Int8Array(frames.length).fill(-1); // bit 1: idle word, 2: swapper, 4: matches alone
  const factsOf = (f: number) => {
    if (facts[f] < 0) {
      const text = frameText(f);
      facts[f] = (FLAMESCOPE_IDLE_WORD.test(text) ? 1 : 0) | (text.includes("swapper") ? 2 : 0) | (swapperThenIdleWord(text) ? 4 : 0);
    }
    return facts[f];
  };
  const idleWordAbove = new Uint8Array(stacks.length);
  const framesMatch = new Uint8Array(stacks.length);
  const commOf = new Int32Array(stacks.length);
  for (let s = 0; s < stacks.length; s++) {
    const f = stacks.frame[s];
    const p = stacks.prefix[s];
    if (p < 0) {
      commOf[s] = f;
      idle[s] = factsOf(f) & 4 ? 1 : 0;
      continue;
    }
    const ff = factsOf(f);
    commOf[s] = commOf[p];
    idleWordAbove[s] = idleWordAbove[p] | (ff & 1);
    framesMatch[s] = framesMatch[p] | (ff & 4 ? 1 : 0) | (ff & 2 && idleWordAbove[p] ? 1 : 0);
    const comm = factsOf(commOf[s]);
    idle[s] = comm & 4 || (comm & 2 && idleWordAbove[s]) || framesMatch[s] ? 1 : 0;
  }
  return idle;
}
