/**
 * @packageDocumentation
 * Trace-driven Nimbus simulator on the published inputs (shared/data/nimbus): the paper's
 * experiments A, C, D and the kappa sweep, with CSV and SVG outputs. `sim-net nimbus ...`
 * dispatches to `runNimbusCli`.
 *
 * @example
 * ```ts
 * const data = loadNimbusData('../shared/data/nimbus')
 * const result = await runExperiment('baselines', { data, iterations: 10 })
 * writeExperiment('sim-results/nimbus', result)
 * ```
 */
export { runNimbusCli, parseNimbusArgs, NIMBUS_HELP, DEFAULT_NIMBUS_OUT_DIR, type NimbusCliIo } from './cli.js'
export { loadNimbusData, resolveNimbusDataDir, DEFAULT_NIMBUS_DATA_DIR, type NimbusData, type GaussianMixture } from './data.js'
export { NimbusDataError, NimbusUsageError } from './errors.js'
export { generateInstance, activeApCount, CLOUD_ID, MT_GMM_WEIGHTS, type Instance, type InstanceParams } from './generate.js'
export { measureRun, meanMetrics, quantile, type RunMetrics } from './metrics.js'
export {
  runExperiment, EXPERIMENTS, EN_CONFIGS, CONFIG_MDS, SLICE_COUNTS, KAPPAS,
  type ExperimentName, type ExperimentOptions, type ExperimentResult, type RunRow
} from './experiments.js'
export { writeExperiment, summarize, summaryRows, toCsv, type GroupSummary } from './output.js'
export { stackedBarChart, barChart, boxPlot, type Box, type Series, type RefLine } from './svg.js'
