// Where a heat map's cells are drawn, apart from the drawing itself (./heatmap.ts), so
// that what is drawn on the same x axis (./tracks.ts, the site's overlays) takes the
// geometry without importing the heat map.

/** Where a heat map's cells are drawn: the chart's left edge and bottom (px), the cell
 * size, and the map's size in cells. */
export interface ChartGeometry {
  left: number;
  bottom: number;
  cellWidth: number;
  cellHeight: number;
  columns: number;
  rows: number;
  /** The time a column spans, in ns (default one second). */
  period?: number;
  /** The chart's width (px), when known: labels may run into the right margin up to
   * it; else they stay over the cells. */
  width?: number;
}

/** Where a chart's cells are, in chart px, with the chart's size. */
export interface HeatmapChartGeometry extends ChartGeometry {
  top: number;
  right: number;
  width: number;
  height: number;
}
