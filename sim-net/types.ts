/**
 * The contract between sim-net and whatever runs the peers. sim-net never
 * imports node/: node/ implements these factories and hands them to
 * `runScenario`, so the emulator runs the real peer code without knowing it.
 */
import type { Position } from '../protocols/index.js'
import type { LinkEmulator } from './link/emulator.js'
import type { LinkNode } from './link/table.js'
import type { ScenarioLinks } from './scenario/schema.js'
import type { AbortOptions, Transport } from '@libp2p/interface'

/** Nimbus tiers as node/ uses them: 1 roadside / access, 2 edge site, 3 cloud. */
export type Tier = 1 | 2 | 3

export interface SimCapacity {
  cpuCores: number
  memoryMb: number
  /** edge functions the peer may run at once */
  maxEdgeFunctions: number
  accelerator?: string
}

/** One direction of an emulated link. */
export interface LinkParams {
  /** one-way propagation delay in ms */
  latencyMs: number
  /** standard deviation of a normal jitter added to each chunk, in ms (delay never goes below 0) */
  jitterMs: number
  /** token-bucket rate in Mbit/s; undefined = unlimited */
  bandwidthMbps?: number
  /** probability that a TCP segment (1460 bytes) is lost and must be retransmitted, 0..1 */
  loss: number
}

/**
 * Wraps a libp2p transport factory (e.g. `tcp()`) so every connection the
 * peer dials is shaped by the link emulator. The factory passes its
 * transport through this before giving it to `createLibp2p`.
 */
export type SimTransportWrapper = <C>(factory: (components: C) => Transport) => (components: C) => Transport

/** Where peers and vehicles report measurements (warning latency, pipeline completion, ...). */
export type SimRecordFn = (series: string, value: number, fields?: Record<string, string | number>) => void

export interface SimPeerSpec {
  name: string
  position: Position
  tier: Tier
  sensors: string[]
  radios: string[]
  capacity: SimCapacity
  /** persistent data directory; a restart reuses it so the peer keeps its identity and queues */
  dataDir: string
  /** multiaddrs (with /p2p/ suffix) of live peers to join */
  bootstrap: string[]
  heartbeatMs: number
  /** geohash precision of discovery cells; the peer's default when absent */
  cellPrecision?: number
  /** listen address the peer must use so the emulator can tell peers apart by port */
  listen: string
  transportWrapper?: SimTransportWrapper
  record: SimRecordFn
  /** true when the peer is restarted after a crash with the same dataDir */
  restart: boolean
}

export interface SimPeerHandle {
  readonly name: string
  readonly peerId: string
  /** listen multiaddrs including /p2p/<peerId> */
  readonly multiaddrs: string[]
  /** graceful stop */
  stop: () => Promise<void>
  /** abrupt stop, like kill -9: sockets destroyed, no goodbye, nothing flushed */
  kill: () => Promise<void>
  /** counters and gauges of the peer (flat names, e.g. `bundles_sent`, `connections`) */
  metrics: () => Record<string, number>
  /**
   * Hash of the peer's view of the registry membership and capabilities,
   * excluding heartbeat stamps and load that change every beat, so live peers
   * with the same view return the same string.
   */
  registryDigest: () => string
  /** peer ids the registry considers live (including the peer itself) */
  registryMembers: () => readonly string[]
  /** peer ids this peer currently has connections to */
  liveNeighbours: () => string[]
}

export interface SimPeerFactory {
  createPeer: (spec: SimPeerSpec, options?: AbortOptions) => Promise<SimPeerHandle>
}

/** A sensor condition such as ice on the road at a position for a while. */
export interface SimCondition {
  id: string
  /** e.g. `ice`, `crash`, `parking-occupied` */
  condition: string
  position: Position
  radiusM: number
  /** free-form strength 0..1 */
  severity: number
  /** wall clock (Date.now) when the condition started: the same for every peer, in every process */
  startedAt?: number
}

/** Hook through which the factory's emulated sensor drivers learn about conditions. */
export interface SimSensorHook {
  /** called for every live peer when a condition starts, and for peers (re)started while it is active */
  conditionStarted: (peer: SimPeerHandle, condition: SimCondition, options?: AbortOptions) => Promise<void>
  conditionEnded: (peer: SimPeerHandle, conditionId: string, options?: AbortOptions) => Promise<void>
}

export interface SimVehicleSpec {
  name: string
  position: Position
  route: Position[]
  speedKmh: number
  dataDir: string
  bootstrap: string[]
  listen: string
  transportWrapper?: SimTransportWrapper
  record: SimRecordFn
}

export interface SimVehicleHandle {
  readonly name: string
  readonly peerId: string
  readonly multiaddrs: string[]
  /** the engine drives vehicles along their routes and tells them where they are */
  moveTo: (position: Position, headingDeg: number) => void
  stop: () => Promise<void>
  metrics: () => Record<string, number>
}

export interface SimVehicleFactory {
  createVehicle: (spec: SimVehicleSpec, options?: AbortOptions) => Promise<SimVehicleHandle>
}

export interface SimPipelineSubmitter {
  /** submit the descriptor in `file` through peer `via`; resolves with the pipeline id */
  submit: (via: SimPeerHandle, file: string, options?: AbortOptions) => Promise<{ id: string }>
}

export interface SimWorkloadContext {
  params: Record<string, unknown>
  /** live peers by name at the moment of the call */
  peers: () => ReadonlyMap<string, SimPeerHandle>
  record: SimRecordFn
  seed: number
  signal: AbortSignal
}

/** Extra load generators named by scenario `workloads[].type`, e.g. `nimbus-offload`. */
export interface SimWorkloadRunner {
  start: (ctx: SimWorkloadContext) => Promise<{ stop: () => Promise<void> }>
}

export interface SimFactories {
  peers: SimPeerFactory
  vehicles?: SimVehicleFactory
  pipelines?: SimPipelineSubmitter
  sensors?: SimSensorHook
  workloads?: Record<string, SimWorkloadRunner>
  /** where the peers run when not in this process (multi-process mode) @default undefined: one process */
  runtime?: SimRuntime
}

/** How a run hosts its peers: all in the orchestrator's process, or each in its own child process. */
export type SimMode = 'one-process' | 'multi-process'

export const SIM_MODES: readonly SimMode[] = ['one-process', 'multi-process']

/** CPU, memory and event-loop delay of one OS process of a run. */
export interface SimProcessStats {
  /** `orchestrator`, or the peer's name with its incarnation (`lamp-02#2` after a restart) */
  name: string
  role: 'orchestrator' | 'peer'
  /** the peer it hosts, and that peer's id (the same in every incarnation: a restart keeps the data dir) */
  peer?: string
  peerId?: string
  pid: number
  /** simulated time it started and ended (negative while the initial peers start) */
  startedAtMs: number
  endedAtMs?: number
  /** from fork to the peer running in it, ms (peer processes) */
  startupMs?: number
  cpuUserMs: number
  cpuSystemMs: number
  rssMaxBytes: number
  rssLastBytes: number
  eventLoop: { meanMs: number, p99Ms: number, maxMs: number }
  /** stopped: gracefully; killed: SIGKILL by a scenario crash; died: exited on its own (a fault) */
  end: 'running' | 'stopped' | 'killed' | 'died'
  exit?: { code: number | null, signal: string | null }
}

/** What the engine gives a runtime before the first peer starts. */
export interface SimRuntimeContext {
  /** the orchestrator's emulator: its changes (addresses, partitions, degradations) must reach every peer process */
  emulator: LinkEmulator
  /** what a peer process needs to build the same link table */
  links: { links: ScenarioLinks, nodes: LinkNode[], seed: number }
  /** simulated time of a `performance.now()` reading, ms (negative before the initial peers were up) */
  simTime: (perfNowMs: number) => number
  /** a peer's process ended without being asked to (the engine records it as a fault) */
  onPeerExit: (name: string, peerId: string, message: string) => void
}

/**
 * Hosts peers outside the orchestrator's process (multi-process mode): the
 * peer factory it comes with forks a process per peer, and the engine tells
 * it about the run through these calls.
 */
export interface SimRuntime {
  readonly mode: SimMode
  /** one-process mode over worker threads: how many (sim-net's shard runtime) */
  readonly shards?: number
  attach: (ctx: SimRuntimeContext) => void
  /** resolves when every live peer process has applied the link changes sent so far; sums the connections they cut */
  settleLinks: (options?: AbortOptions) => Promise<{ cutConnections: number }>
  /** every peer process that ran, in start order (the engine adds its own) */
  processes: () => SimProcessStats[]
  /** kills whatever still runs; idempotent */
  close: () => Promise<void>
}

export type SimProgressEvent =
  | { type: 'phase', phase: 'starting' | 'running' | 'stopping' | 'done', simMs: number }
  | { type: 'event', simMs: number, text: string }
  | { type: 'tick', simMs: number, durationMs: number, livePeers: number, totalPeers: number, vehicles: number, faults: number, converging: number, bytes: number }

/**
 * Series names sim-net's report knows, for measurements reported through
 * `record` (any other name is shown generically).
 */
export const SIM_SERIES = {
  /** at a vehicle: display time minus the warning's detection time, per shown warning */
  warningLatency: 'warning_latency_ms',
  /** at a vehicle: display time minus the start of the condition the warning is about */
  warningAfterCondition: 'warning_after_condition_ms',
  /** detection time of the first hazard a pipeline output for a condition minus the condition's start (sampled when the finale output it) */
  detectionAfterCondition: 'detection_after_condition_ms',
  /** a pipeline run finished on a peer: now minus the run's start */
  pipelineRun: 'pipeline_run_ms',
  /** a peer placed a submitted pipeline: now minus the submission */
  pipelinePlaced: 'pipeline_placed_ms'
} as const

/**
 * Vehicle metrics (SimVehicleHandle.metrics) sim-net reads for the warnings
 * section of the report and for the outcome of crashes: did the vehicles keep
 * receiving warnings after a peer went down.
 */
export const SIM_VEHICLE_METRICS = {
  /** warning messages the vehicle accepted, repetitions included (a counter) */
  received: 'hazard_messages_received',
  /** distinct warnings shown (a counter) */
  shown: 'warnings_shown',
  /** warnings on display now (a gauge) */
  onDisplay: 'warnings_on_display'
} as const
