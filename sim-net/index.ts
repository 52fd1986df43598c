/**
 * @packageDocumentation
 * sim-net: runs real ECCO peers over an emulated network on one machine.
 * Scenarios (YAML) place nodes along roads and on grids, give links delay,
 * jitter, bandwidth and loss, and schedule crashes, restarts, partitions,
 * degradations and sensor conditions; the engine drives them, measures
 * convergence and link accuracy, and writes a results JSON and an HTML report.
 *
 * sim-net does not import node/: node/ implements `SimPeerFactory` (and the
 * vehicle, pipeline and sensor hooks) and passes them in. In multi-process
 * mode node/ also provides a child entry that calls `runSimPeerChild`, and
 * `createProcessRuntime` forks it once per peer.
 *
 * @example
 * ```ts
 * const scenario = await loadScenario('sim-net/scenarios/mesh-smoke.yaml')
 * const results = await runScenario(scenario, { peers: myPeerFactory })
 * const { html } = await writeReport(results, '.ecco/sim-net/mesh-smoke')
 * ```
 */
export * from './types.js'
export * from './errors.js'
export type { Scenario, ScenarioNode, ScenarioLinks, ScenarioEvent, ScenarioVehicle, ScenarioPipeline, ScenarioWorkload, LinkClassRule, LinkPair, RttMatrixSpec, DegradeTarget } from './scenario/schema.js'
export { CAPABILITY } from './scenario/schema.js'
export { validateScenario } from './scenario/validate.js'
export type { ValidateOptions } from './scenario/validate.js'
export { loadScenario, parseScenario, loadRttMatrix } from './scenario/load.js'
export { createLinkEmulator, LinkEmulator } from './link/emulator.js'
export type { LinkEmulatorInit, LinkStats, LinkClassStats, LinkUpdate, RawClassCounters } from './link/emulator.js'
export { ShapedPipe } from './link/pipe.js'
export { onTime } from './link/counters.js'
export type { PipeHooks } from './link/pipe.js'
export { LinkTable } from './link/table.js'
export type { LinkNode, ResolvedLink } from './link/table.js'
export { DirectionShaper } from './link/shaper.js'
export { createRng } from './prng.js'
export type { Rng } from './prng.js'
export { runScenario } from './engine/run.js'
export type { RunOptions } from './engine/run.js'
export { checkCapabilities, providedCapabilities, requiredCapabilities } from './engine/capabilities.js'
export type { CapabilityOptions } from './engine/capabilities.js'
export type { SimResults, Summary, SeriesSample, ConvergenceRecord, FaultRecord, NodeResult, VehicleResult, ConditionResult, TimeSeries, FaultOutcome } from './engine/results.js'
export { crashOutcome } from './engine/outcome.js'
export { summarise } from './engine/results.js'
export { components } from './engine/convergence.js'
export { writeReport, renderReport, fmtNum } from './report/index.js'
export type { ReportPaths } from './report/index.js'
export { runSimNetCli, SIM_NET_HELP, processSummary } from './cli.js'
export type { SimNetCliIo, SimNetFactories, SimNetFactoryProvider } from './cli.js'
export { createProcessRuntime, ProcessRuntime } from './process/runtime.js'
export type { ProcessRuntimeInit } from './process/runtime.js'
export { runSimPeerChild } from './process/child.js'
export type { SimChildFactories, SimChildFactoryBuilder } from './process/child.js'
export { createProgressPrinter, statusLine } from './progress.js'
export type { ProgressPrinterInit } from './progress.js'
export * as constants from './constants.js'
export { createBarePeerFactory, BARE_PROTOCOL } from './testing/bare-peer.js'
export type { BarePeerFactoryInit } from './testing/bare-peer.js'
export { createLinkProbe, PROBE_PROTOCOL } from './testing/probe.js'
export type { LinkProbe } from './testing/probe.js'
export { createShardRuntime, ShardRuntime, DEFAULT_SHARD_SNAPSHOT_MS } from './shard/runtime.js'
export type { ShardRuntimeInit } from './shard/runtime.js'
export { runSimShard } from './shard/worker.js'
