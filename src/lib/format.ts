// Numbers for people, the same in the CLI, notebooks and the report site.

const COUNT_FORMAT = new Intl.NumberFormat("en-US", {maximumFractionDigits: 1});

/** 12,345 (one decimal for scaled, fractional counts). */
export function formatCount(n: number): string {
  return COUNT_FORMAT.format(n);
}

/** part/whole as a percentage, "12.5%"; "–" when whole is 0. */
export function percent(part: number, whole: number, digits = 1): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(digits)}%` : "–";
}
