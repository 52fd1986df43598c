/**
 * @packageDocumentation
 * Neighbour discovery over the Kademlia DHT by geohash cell.
 *
 * @example
 * ```ts
 * const node = await createLibp2p({
 *   services: { dht: kadDHT({ protocol: '/ecco/kad/1.0.0' }), discovery: cellDiscovery({ position }) }
 * })
 * node.services.discovery.getNeighbours()
 * ```
 */
import type { PeerId, TypedEventTarget } from '@libp2p/interface'
import type { Position } from '../geo/index.js'
import { DefaultCellDiscovery, type CellDiscoveryComponents } from './discovery.js'

export interface CellDiscoveryInit {
  position: Position
  /**
   * Geohash precision of a cell (6 is about 1.2 km x 0.6 km).
   * @default 6
   */
  precision?: number
  /**
   * Longest pause between rounds once the neighbourhood is quiet; a new
   * neighbour dialling in starts a round at once.
   * @default 60000
   */
  intervalMs?: number
  /** @default 8000 */
  roundTimeoutMs?: number
  /**
   * Provide the own cell again after this long even if nothing changed.
   * @default 600000
   */
  reprovideMs?: number
  /** @default 64 */
  maxNeighbours?: number
  /**
   * Provide our own cell. Vehicles look up cells but never provide one.
   * @default true
   */
  provide?: boolean
}

export interface Neighbour {
  peerId: string
  /** the cell whose lookup found this peer */
  cell: string
  firstSeen: number
  lastSeen: number
}

export interface DiscoveryStats {
  rounds: number
  dhtQueries: number
  dhtQueryErrors: number
  dials: number
  dialErrors: number
  hellosIn: number
  hellosOut: number
}

export interface DiscoveryEvents {
  'neighbour:found': CustomEvent<{ peerId: PeerId, cell: string }>
}

export interface CellDiscovery extends TypedEventTarget<DiscoveryEvents> {
  readonly cell: string
  readonly stats: DiscoveryStats
  getNeighbours: () => Neighbour[]
  setPosition: (position: Position) => void
  runNow: (delayMs?: number) => void
  discover: () => Promise<void>
}

export function cellDiscovery (init: CellDiscoveryInit): (components: CellDiscoveryComponents) => CellDiscovery {
  return (components) => new DefaultCellDiscovery(components, init)
}

export { cellKey } from './cell-key.js'
export type { CellDiscoveryComponents }
