// The few statistics the detectors need: chance probabilities in log space (a pattern
// is reported when it is unlikely to be chance), a power spectrum, robust centres.

/** ln P(X ≥ k) for X ~ Binomial(n, p), by summing the upper terms in log space (exact
 * enough for k far in the tail, which is where it matters). */
export function logBinomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n || p <= 0) return -Infinity;
  if (p >= 1) return 0;
  const lp = Math.log(p), lq = Math.log1p(-p);
  let term = logChoose(n, k) + k * lp + (n - k) * lq;
  let sum = term;
  for (let i = k; i < n; i++) {
    term += Math.log((n - i) / (i + 1)) + lp - lq;
    sum = logAdd(sum, term);
    if (term < sum - 40) break;
  }
  return Math.min(0, sum);
}

function logAdd(a: number, b: number): number {
  const hi = Math.max(a, b);
  return hi === -Infinity ? hi : hi + Math.log1p(Math.exp(Math.min(a, b) - hi));
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/** ln n!, exact sums to 256, Stirling's series beyond. */
function logFactorial(n: number): number {
  if (n < 256) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/** The confidence that something with chance probability e^logP, looked for in
 * `trials` places, is not chance: 1 − trials·P, clamped to [0, 1]. */
export function confidenceOf(logP: number, trials: number): number {
  const logAll = logP + Math.log(Math.max(1, trials));
  return logAll >= 0 ? 0 : Math.min(1, -Math.expm1(logAll));
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Power |X(f)|² of a real series at frequencies j / size, j = 0 … size/2, where size
 * is the series' length rounded up to a power of two (zero padded): an iterative
 * radix-2 FFT. */
export function powerSpectrum(series: ArrayLike<number>): {power: Float64Array; size: number} {
  let size = 1;
  while (size < series.length) size *= 2;
  const re = new Float64Array(size), im = new Float64Array(size);
  for (let i = 0; i < series.length; i++) re[i] = series[i];
  for (let i = 1, j = 0; i < size; i++) {
    let bit = size >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
    }
  }
  for (let len = 2; len <= size; len *= 2) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle), wi = Math.sin(angle);
    for (let i = 0; i < size; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k, b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci, ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
  const power = new Float64Array(size / 2 + 1);
  for (let j = 0; j <= size / 2; j++) power[j] = re[j] * re[j] + im[j] * im[j];
  return {power, size};
}
