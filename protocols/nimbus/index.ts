/**
 * @packageDocumentation
 * Nimbus task offloading (shared/seed lines 1201-1376 and 2673-3240): the paper's allocation
 * algorithm (Warmup: FilterAndMinimize + LookAheadLoad with kappa; Core: eq. 4.1/4.2, eps_t and
 * eps_b, argmin alpha*L/eps_t + beta*load/maxload; Failover: closest cloud; else local), its
 * variants (ST, greedy, MT over slices in worker threads, 2PMT, cloud-only over Wi-Fi and 4G) and
 * a `reference` mode that reproduces the published simulator. Pure functions over plain data: a
 * mesh peer can run any of them on a snapshot built from its load registry. README.md documents
 * every difference between the two modes.
 *
 * @example
 * ```ts
 * const { assignments, leftovers } = solveNimbus(snapshot, requests, { kappa: 10 })
 * const twoPhase = solveSliced(snapshot, requests, { slices: 8 })
 * const ok = fits(en, { device: 'md-1', epsT: 100, epsB: 1800, networkMs: 12 }, servedByEn)
 * ```
 */
export * from './types.js'
export * from './errors.js'
export {
  DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_KAPPA, DEFAULT_GREEDY_KAPPA, DEFAULT_WIFI_ENERGY_PER_MS, DEFAULT_LTE_ENERGY_PER_MS,
  DEFAULT_CLOUD_WIFI_RTT_FACTOR, DEFAULT_CLOUD_INFERENCE_MS, DEFAULT_AP_BANDWIDTH_MBPS, DEFAULT_FRAME_SIZE_KB,
  DEFAULT_QUEUE_CURVES, DEFAULT_TET_MS, MOBILE_PROFILES
} from './constants.js'
export { resolveOptions, type NimbusSolverInit, type PathBandwidth, type WifiShare } from './options.js'
export {
  txMs, queueMs, executionMs, wifiShareMbps, pathTxMs, maxServableDevices, referenceMaxload, fits,
  type FitCandidate, type FitInit, type FitRefusal, type FitResult
} from './model.js'
export { findClosestCloud, wifiCloudOption, lteCloudOption, type CloudOption } from './cloud.js'
export { createNimbusRng, type NimbusRng } from './rng.js'
export { AllocationState, PreparedSnapshot, type EnLoad } from './state.js'
export {
  solveNimbus, solveCloudOnly, variantInit, planSlices, sliceTasks, runSliceTask, combineSlices, solveSliced,
  type NimbusVariant, type CloudOnlyInit, type SlicePlan, type SliceTask, type SliceTaskResult, type SlicedSolveResult,
  type SlicedInit, type SliceDevices, type PlanSlicesInit
} from './solver.js'
export { SliceWorkerPool, solveSlicedInWorkers, type SliceWorkerPoolInit, type PooledSolveResult } from './workers.js'
