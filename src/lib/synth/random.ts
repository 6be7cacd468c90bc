// The synthesizer's seeded randomness: the same seed and stream name give the same
// numbers on every machine and in every run.
import {hashString} from "../intern.js";

/** mulberry32, one independent stream per purpose (the CPUs' clocks, and each
 * pattern's schedule, noise and stacks), so a change in how one part draws numbers
 * leaves the others as they were. */
export class Random {
  private state: number;
  constructor(seed: number, stream: string) {
    this.state = (hashString(stream) ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Exponentially distributed with this mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }
  weighted<T extends {weight: number}>(items: readonly T[]): T {
    let r = this.next() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) if ((r -= item.weight) < 0) return item;
    return items[items.length - 1];
  }
}
