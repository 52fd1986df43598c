/**
 * The peer's configuration: what a road operator writes in YAML, after
 * defaults. Every field is validated by `parseConfig` with an error that
 * names its path.
 */
import type { Position } from '../../protocols/index.js'

export type LogLevel = 'error' | 'warn' | 'info' | 'debug'
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug']

/** Nimbus tiers: 1 roadside / access, 2 edge site, 3 cloud. */
export type Tier = 1 | 2 | 3

export const SENSOR_TYPES = [
  'road-surface-temperature', 'air-temperature', 'humidity', 'camera',
  'occupancy', 'accelerometer', 'speed', 'radar', 'lidar'
] as const
export type SensorType = typeof SENSOR_TYPES[number]

export const RADIO_TYPES = ['its-g5', 'lte-v2x', 'lorawan', 'wifi', 'cellular', 'ethernet'] as const
export type RadioType = typeof RADIO_TYPES[number]

export interface SensorConfig {
  id: string
  type: SensorType
  unit?: string
  /** emulated drivers are named `emulated`; hardware drivers by their module name */
  driver: string
}

export interface RadioConfig {
  type: RadioType
  /** nominal range in metres */
  rangeM?: number
}

export interface CapacityConfig {
  cpuCores: number
  memoryMb: number
  accelerator?: string
  /** edge functions this peer may run at once */
  maxEdgeFunctions: number
}

export interface PeerConfig {
  name?: string
  position: Position
  tier: Tier
  sensors: SensorConfig[]
  radios: RadioConfig[]
  capacity: CapacityConfig
  listen: string[]
  bootstrap: string[]
  /** run as bootstrap: print multiaddrs meant for others to join */
  bootstrapMode: boolean
  dataDir: string
  logLevel: LogLevel
  /** HTTP status API port; undefined = off, 0 = any free port */
  httpPort?: number
  /** interface the status API binds to */
  httpHost: string
  heartbeatMs: number
  /**
   * heartbeats a suspicion stands before its suspect is declared gone, and within which every
   * connected member gets a beat vector (protocols/state/liveness.ts)
   */
  goneAfterHeartbeats: number
  /** connected members that get a beat vector each heartbeat, at least (protocols/state/beats.ts) */
  beatFanout: number
  /** geohash precision of discovery cells */
  cellPrecision: number
  /**
   * the longest pause between DHT lookup rounds once the neighbourhood is
   * quiet; the registry names new neighbours in between (neighboursFromRegistry)
   */
  discoveryIntervalMs: number
  /** neighbours also learnt from the registry's cells, not only from DHT lookups */
  neighboursFromRegistry: boolean
  /**
   * connections past which the ones this peer dialled and nothing needs
   * (not a near neighbour, not kept alive but by kad-dht, no stream in use) are closed; 0: no budget
   */
  maxConnections: number
  /** parsed feature sections by YAML key (see sections.ts) */
  sections: Record<string, unknown>
}

export const DEFAULT_CONFIG: Omit<PeerConfig, 'dataDir'> = {
  position: { lat: 48.2625, lon: 11.6680 },
  tier: 1,
  sensors: [],
  radios: [],
  capacity: { cpuCores: 2, memoryMb: 2048, maxEdgeFunctions: 8 },
  listen: ['/ip4/0.0.0.0/tcp/0'],
  bootstrap: [],
  bootstrapMode: false,
  logLevel: 'info',
  httpHost: '127.0.0.1',
  heartbeatMs: 1000,
  goneAfterHeartbeats: 3,
  beatFanout: 8,
  cellPrecision: 6,
  discoveryIntervalMs: 300_000,
  neighboursFromRegistry: true,
  maxConnections: 20,
  sections: {}
}
