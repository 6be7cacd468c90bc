// What every exporter needs from a sample view: the samples it holds, in time order,
// and each stack's frames below its process root, outermost first.
import type {Profile} from "../profile.js";
import type {SampleView} from "../view.js";

/** Indexes of the view's samples, ascending (so in time order, untimed last). */
export function viewSamples(view: SampleView): Int32Array {
  const mask = view.mask();
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i];
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) out[k++] = i;
  return out;
}

/** Frames of stacks below their root (the comm), outermost first, memoized. */
export class StackFrames {
  private cache = new Map<number, number[]>();

  constructor(private profile: Profile) {}

  of(stack: number): number[] {
    let frames = this.cache.get(stack);
    if (frames) return frames;
    const {prefix, frame} = this.profile.stacks;
    const p = prefix[stack];
    frames = p < 0 ? [] : [...this.of(p), frame[stack]];
    this.cache.set(stack, frames);
    return frames;
  }
}
