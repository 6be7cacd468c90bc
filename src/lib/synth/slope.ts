// Reading the patterns back off a heat map: the CPU time per wake-up of a busy-wait
// thread from the slope of its diagonal, and the fit that measures that slope.
import type {Heatmap} from "../heatmap.js";

/** The subsecond-offset heat-map guide's slope formula, as written there:
 * busy_time = (1000 ms / (rows × spacing)) × tan(angle), with tan(angle) the drawn
 * line's rise over run in rows per column (square cells) and spacing the wake-ups per
 * second (1 for one line, 2 for two, 0.2 for a dot every 5 s). Reads 19.6 ms for a
 * 20 ms burst; `busyWaitMs` is exact for heavy work too. */
export function slopeFormulaMs(tanAngle: number, rows: number, spacing = 1): number {
  return (1000 / (rows * spacing)) * tanAngle;
}

/** The CPU time (ms) of each wake-up of a busy-wait thread, from the slope of its line
 * in rows per column. A thread that works b ms and then sleeps S ms wakes every S + b
 * ms, each time b ms later in the second than a whole number of sleeps would put it
 * (when S divides a second or is whole seconds), so its line climbs r = 1000 b / (S + b)
 * ms per column: b = r S / (1000 - r). `sleepMs` is 1000 for one line, 1000/k for k
 * parallel lines, 5000 for dots five columns apart. Gregg's rule of thumb, busy_time =
 * (1000 / (rows × spacing)) × tan(angle) with spacing the wake-ups per second, is the
 * same for b ≪ S (it reads 74 ms for an 80 ms burst). With square cells the slope is
 * tan(angle) of the drawn line; for cells drawn h/w as tall as wide, divide by h/w. */
export function busyWaitMs(slopeRowsPerColumn: number, rows: number, sleepMs = 1000): number {
  const climbMs = slopeRowsPerColumn * (1000 / rows);
  return (climbMs * sleepMs) / (1000 - climbMs);
}

export interface DiagonalFit {
  /** Rows climbed per column. */
  slope: number;
  /** Row of the line at column 0 (may be outside 0..rows: the line wraps). */
  intercept: number;
  /** Samples the fit used. */
  samples: number;
}

/** Fits the rising line of a busy-wait pattern to a heat map's cells (filter the map to
 * the thread first: other samples pull the fit). The line wraps from the top row to
 * the bottom, and a thread waking k times a second draws k parallel lines rows/k apart,
 * so the cells are sheared by every candidate slope and folded by rows/k, and the slope
 * that stacks them tightest wins; least squares on the unwrapped cells then refines
 * it. Wake-ups n columns apart stack the same under slopes rows/(k n) apart, so of the
 * slopes that stack them nearly as tightly as the best, the least wins. Finds slopes
 * from 0 to below rows/(2k) rows per column. */
export function fitDiagonal(map: Heatmap, linesPerColumn = 1): DiagonalFit {
  const fold = map.rows / linesPerColumn;
  const xs: number[] = [], ys: number[] = [], ws: number[] = [];
  for (let c = 0; c < map.columns; c++) {
    for (let b = 0; b < map.rows; b++) {
      const n = map.counts[c * map.rows + b];
      if (n > 0) { xs.push(c); ys.push(b + 0.5); ws.push(n); }
    }
  }
  const total = ws.reduce((a, b) => a + b, 0);
  if (xs.length < 2) return {slope: NaN, intercept: NaN, samples: total};
  // How tightly the cells stack once sheared by `slope`: the length of the mean of
  // their folded rows as unit vectors (1 when they all fall on one row).
  const stacking = (slope: number) => {
    let re = 0, im = 0;
    for (let i = 0; i < xs.length; i++) {
      const angle = (2 * Math.PI * (ys[i] - slope * xs[i])) / fold;
      re += ws[i] * Math.cos(angle);
      im += ws[i] * Math.sin(angle);
    }
    return {strength: Math.hypot(re, im) / total, phase: Math.atan2(im, re)};
  };
  const step = fold / (16 * Math.max(1, map.columns));
  const strengths: number[] = [];
  for (let slope = 0; slope < fold / 2; slope += step) strengths.push(stacking(slope).strength);
  const top = Math.max(...strengths);
  const peak = strengths.findIndex((s, i) => s >= 0.9 * top && s >= (strengths[i - 1] ?? -1) && s >= (strengths[i + 1] ?? -1));
  const best = peak * step;
  const offset = (stacking(best).phase * fold) / (2 * Math.PI);
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i] + fold * Math.round((best * xs[i] + offset - ys[i]) / fold);
    sw += ws[i]; sx += ws[i] * xs[i]; sy += ws[i] * y; sxx += ws[i] * xs[i] * xs[i]; sxy += ws[i] * xs[i] * y;
  }
  const slope = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  return {slope, intercept: (sy - slope * sx) / sw, samples: total};
}
