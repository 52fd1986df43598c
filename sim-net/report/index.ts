/**
 * The report generator: results JSON in, a self-contained HTML file with
 * inline SVG plots (ECDFs, time series, a map) out.
 */
export { renderReport } from './html.js'
export { writeReport } from './write.js'
export type { ReportPaths } from './write.js'
export { mapSvg } from './map.js'
export { ecdfPlot, linePlot, ticks, fmtNum, esc } from './svg.js'
export type { PlotSeries, PlotOptions } from './svg.js'
