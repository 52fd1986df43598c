/**
 * The results of a run: plain JSON, the input of the HTML report. Every
 * number the report shows comes from here.
 */
import type { Position } from '../../protocols/index.js'
import type { LinkStats } from '../link/emulator.js'
import type { LinkParams, SimMode, SimProcessStats, Tier } from '../types.js'

export interface Summary {
  count: number
  min: number
  mean: number
  p50: number
  p95: number
  p99: number
  max: number
}

export interface SeriesSample { t: number, v: number, f?: Record<string, string | number> }

export interface ConvergenceRecord {
  change: string
  atMs: number
  status: 'converged' | 'timeout' | 'superseded' | 'pending'
  /** ms from the change until all live peers agreed (per connected component) */
  convergedMs?: number
}

export interface FaultRecord {
  atMs: number
  /** `exit`: a peer's process ended on its own (multi-process mode), always a failure */
  type: 'start' | 'vehicle' | 'crash' | 'restart' | 'partition' | 'heal' | 'degrade' | 'restore' | 'condition' | 'condition-end' | 'pipeline' | 'workload' | 'exit'
  target: string
  ok: boolean
  error?: { name: string, message: string }
  /** how long applying the action took */
  applyMs: number
  detail?: Record<string, string | number>
  /** index into `convergence` of the change this fault caused */
  convergence?: number
  /** what the fault did to the service, e.g. whether vehicles kept receiving warnings after a crash */
  outcome?: FaultOutcome
}

export interface FaultOutcome {
  /** warning messages the vehicles received in the window after the fault */
  vehicleMessages: number
  /** warnings on display at the vehicles (sum) when the fault happened */
  warningsBefore: number
  /** warnings on display at the vehicles (sum) at the end of the window */
  warningsOnDisplay: number
  windowMs: number
  /** messages kept arriving and warnings stayed on display (or none was on display to lose) */
  survived: boolean
}

export interface NodeResult {
  name: string
  group: string
  peerId: string
  tier: Tier
  position: Position
  state: 'live' | 'crashed' | 'stopped' | 'never-started' | 'failed'
  startedAtMs?: number
  crashes: number
  restarts: number
  metrics: Record<string, number>
}

export interface VehicleResult {
  name: string
  peerId: string
  route: Position[]
  speedKmh: number
  startAtMs: number
  /** sampled positions for the map */
  track: Array<{ t: number, position: Position }>
  metrics: Record<string, number>
  state: 'running' | 'stopped' | 'never-started' | 'failed'
}

export interface ConditionResult {
  id: string
  condition: string
  position: Position
  radiusM: number
  severity: number
  startMs: number
  endMs?: number
}

export interface TimeSeries {
  t: number[]
  livePeers: number[]
  connections: number[]
  /** cumulative bytes on emulated links, all classes */
  linkBytes: number[]
  /** per peer metric: sum over live peers at each sample (null before the metric first appears) */
  metrics: Record<string, Array<number | null>>
  /** per vehicle metric: sum over running vehicles at each sample */
  vehicles?: Record<string, Array<number | null>>
}

export interface SimResults {
  version: 1
  scenario: { name: string, description: string, seed: number, durationMs: number, heartbeatMs: number, file?: string }
  status: 'completed' | 'aborted' | 'failed'
  /** false when any timed action failed or the run did not complete */
  ok: boolean
  error?: { name: string, message: string }
  startedAt: string
  wallMs: number
  machine: { cpus: number, model: string, node: string, platform: string }
  /** event-loop delay of the sim-net process while running: the emulator's timers share this loop */
  eventLoop: { meanMs: number, p99Ms: number, maxMs: number }
  /** where the peers ran (absent in results written before multi-process mode existed: one process) */
  mode?: SimMode
  /** one-process mode over this many worker threads (`--shards`) */
  shards?: number
  /** CPU, RSS and event-loop delay per OS process: the orchestrator first, then each peer process (multi-process mode) */
  processes?: SimProcessStats[]
  roads: Record<string, Position[]>
  nodes: NodeResult[]
  vehicles: VehicleResult[]
  conditions: ConditionResult[]
  links: { classes: Record<string, LinkParams>, stats: LinkStats }
  timeSeries: TimeSeries
  series: Record<string, { summary: Summary, samples: SeriesSample[] }>
  convergence: ConvergenceRecord[]
  /** every timed action (starts, faults, conditions, submissions) with its outcome */
  faults: FaultRecord[]
  log: Array<{ atMs: number, text: string }>
  /** final per-peer metrics summed over all peers that ran */
  totals: Record<string, number>
}

export function summarise (values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 }
  const s = [...values].sort((a, b) => a - b)
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  return { count: s.length, min: s[0], mean: s.reduce((a, b) => a + b, 0) / s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1] }
}
