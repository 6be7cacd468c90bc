import type {Page} from "playwright-core";

export const CHROMIUM_ARGS: string[];

export interface HeatmapGeometry {
  left: number;
  bottom: number;
  cw: number;
  ch: number;
  columns: number;
  rows: number;
  x(second: number, fraction?: number): number;
  y(bucket: number, fraction?: number): number;
}
/** `chart`: a selector of the chart, where the page has more than one. */
export function heatmapGeometry(page: Page, chart?: string): Promise<HeatmapGeometry>;
export function brushCells(page: Page, s0: number, s1: number, b0: number, b1: number, chart?: string): Promise<void>;
export function clickCell(page: Page, second: number, bucket: number): Promise<void>;
export function measures(page: Page, name: string): Promise<number[]>;
export function waitForMeasure(page: Page, name: string, count?: number): Promise<number>;
