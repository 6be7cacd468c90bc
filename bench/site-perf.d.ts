export interface SitePerformance {
  /** Median ms from navigation start to the page being interactive. */
  interactiveMs: number;
  /** Median ms from a brush's end to its flame graph being painted. */
  flamegraphMs: number;
  runs: {interactive: number[]; flamegraph: number[]};
}
export function measureSitePerformance(options: {url: string; page: string; runs?: number; executablePath?: string}): Promise<SitePerformance>;
