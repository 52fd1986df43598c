/**
 * A validated scenario: every default applied, placements expanded to one
 * entry per node, times in ms, selectors resolved to node names, events
 * sorted by time. `validateScenario` produces it from the YAML document.
 */
import type { Position } from '../../protocols/index.js'
import type { LinkParams, SimCapacity, Tier } from '../types.js'

export interface ScenarioNode {
  name: string
  /** the `nodes[]` entry this node came from */
  group: string
  position: Position
  tier: Tier
  sensors: string[]
  radios: string[]
  capacity: SimCapacity
  startAtMs: number
}

export interface LinkClassRule {
  class: string
  /** both ends' tiers (unordered); undefined = any */
  tiers?: [Tier, Tier]
  /** only when the two nodes are at most this far apart */
  maxDistanceM?: number
}

export interface LinkPair {
  between: [string, string]
  params: LinkParams
}

export interface RttMatrixSpec {
  /** absolute path of the TSV file */
  file: string
  unit: 's' | 'ms'
  /** nodes mapped onto rows/columns in scenario order */
  nodes: string[]
  /** first row used */
  offset: number
  /** RTT floor in ms (the Seattle data rounds small RTTs to 0) */
  minRttMs: number
  /** RTTs in ms once loaded (`loadScenario` fills this) */
  rttMs?: number[][]
}

export interface ScenarioLinks {
  default: LinkParams
  classes: Record<string, LinkParams>
  rules: LinkClassRule[]
  pairs: LinkPair[]
  rttMatrix?: RttMatrixSpec
}

export interface ScenarioVehicle {
  name: string
  route: Position[]
  speedKmh: number
  startAtMs: number
  loop: boolean
}

export interface ScenarioPipeline {
  /** absolute path of the pipeline descriptor */
  file: string
  via: string
  atMs: number
}

export interface ScenarioWorkload {
  type: string
  atMs: number
  params: Record<string, unknown>
}

export type DegradeTarget = { class: string } | { between: [string[], string[]] }

export type ScenarioEvent =
  | { type: 'crash', atMs: number, node: string }
  | { type: 'restart', atMs: number, node: string }
  | { type: 'partition', atMs: number, id: string, groups: [string[], string[]] }
  | { type: 'heal', atMs: number, partition: string | 'all' }
  | { type: 'degrade', atMs: number, untilMs?: number, target: DegradeTarget, params: Partial<LinkParams> }
  | { type: 'condition', atMs: number, untilMs?: number, id: string, condition: string, position: Position, radiusM: number, severity: number }

export interface Scenario {
  name: string
  description: string
  seed: number
  durationMs: number
  heartbeatMs: number
  /**
   * geohash precision of the peers' discovery cells; a dense grid wants 7
   * (about 150 m) so a peer's 3x3 block holds its street, not the district
   */
  cellPrecision?: number
  sampleMs: number
  convergenceTimeoutMs: number
  /** capabilities named explicitly by the scenario, besides those implied by its sections */
  requires: string[]
  roads: Record<string, Position[]>
  nodes: ScenarioNode[]
  links: ScenarioLinks
  vehicles: ScenarioVehicle[]
  pipelines: ScenarioPipeline[]
  workloads: ScenarioWorkload[]
  events: ScenarioEvent[]
  /** absolute path of the YAML file, when loaded from one */
  sourceFile?: string
}

/** Capability names the engine checks against the factories it is given. */
export const CAPABILITY = {
  vehicles: 'hazards/vehicles',
  pipelines: 'pipelines',
  sensors: 'sensor-conditions'
} as const
