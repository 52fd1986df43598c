/**
 * @packageDocumentation
 * Neighbour discovery over the Kademlia DHT by geohash cell, with a hello
 * exchange (`/ecco/discovery/hello/1.1.0`) so that a peer found through the
 * DHT learns its finder at once.
 *
 * @example
 * ```ts
 * const node = await createLibp2p({
 *   services: {
 *     dht: withoutSelfInRoutingTable(kadDHT({ protocol: '/ecco/kad/1.0.0' })),
 *     discovery: cellDiscovery({ position })
 *   }
 * })
 * node.services.discovery.getNeighbours()
 * ```
 */
import type { AbortOptions, Connection, PeerId, TypedEventTarget } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Position } from '../geo/index.js'
import { DefaultCellDiscovery, type CellDiscoveryComponents } from './discovery.js'
import type { ConnectionBudgetStats } from './budget.js'

export interface CellDiscoveryInit {
  position: Position
  /**
   * Geohash precision of a cell (6 is about 1.2 km x 0.6 km).
   * @default 6
   */
  precision?: number
  /**
   * Longest pause between lookup rounds once the neighbourhood is quiet.
   * @default 60000
   */
  intervalMs?: number
  /**
   * Budget of one lookup round (nine cell lookups); a round cut short is
   * tried again without backing off further.
   * @default 60000
   */
  roundTimeoutMs?: number
  /**
   * Budget of one cell lookup (a DHT walk).
   * @default 15000
   */
  lookupTimeoutMs?: number
  /**
   * Budget of one provide of the own cell (a DHT walk, then the records),
   * separate from the lookups so a slow walk never starves them.
   * @default 60000
   */
  provideTimeoutMs?: number
  /**
   * Cell lookups of a round that run at the same time (9: the whole block).
   * @default 9
   */
  lookupConcurrency?: number
  /**
   * Budget of one hello exchange, dial included.
   * @default 10000
   */
  helloTimeoutMs?: number
  /**
   * The DHT's k (kad-dht's kBucketSize): a provider record on this many peers
   * sits on the closest set however the network grows; one on fewer is
   * provided again once the network seen has doubled.
   * @default 20
   */
  replication?: number
  /**
   * Provide the own cell again after this long even if nothing changed.
   * @default 600000
   */
  reprovideMs?: number
  /**
   * The pause after the first quiet lookup round; it doubles with each quiet
   * round up to intervalMs.
   * @default 15000, or intervalMs with learnsNeighbours
   */
  quietRoundMinMs?: number
  /**
   * Another source names the neighbours between rounds (learn(): the
   * replicated registry). The DHT is then a safety net: rounds pause a whole
   * interval, and a round nothing asked for (no first connection, first
   * record out or new cell) looks up the own cell only, and a re-provide asks
   * for none. One walk is as good a net as nine: any walk connects this peer
   * to peers across the fleet, and every new connection syncs the registry.
   * @default false
   */
  learnsNeighbours?: boolean
  /** @default 64 */
  maxNeighbours?: number
  /**
   * Connections past which the ones this peer dialled and nothing needs are
   * closed (budget.ts); 0 turns the budget off.
   * @default 20
   */
  maxConnections?: number
  /**
   * Nearest neighbours whose connections the budget never closes.
   * @default 16
   */
  keepNeighbours?: number
  /**
   * Protocols of long-lived streams that do not make a connection needed,
   * besides identify, ping, gossipsub and hello (e.g. the DHT, beats).
   * @default []
   */
  idleProtocols?: string[]
  /**
   * Runs before the budget closes a connection, e.g. so liveness can tell the
   * other side that this is no death (protocols/state's `release`).
   */
  beforeClose?: (connection: Connection, options: AbortOptions) => Promise<void>
  /**
   * Provide our own cell and greet the neighbours we find. Vehicles look up
   * cells but never provide one.
   * @default true
   */
  provide?: boolean
}

export interface Neighbour {
  peerId: string
  /** the cell whose lookup found this peer, or the cell its hello named */
  cell: string
  firstSeen: number
  lastSeen: number
}

export interface DiscoveryStats {
  /** lookup rounds started: the 3x3 block, or the own cell only (safetyNetRounds) */
  rounds: number
  /** rounds that looked up the own cell only (learnsNeighbours: nothing asked for them) */
  safetyNetRounds: number
  /** rounds a slow DHT or the round budget cut short */
  incompleteRounds: number
  /** provides and cell lookups started */
  dhtQueries: number
  dhtQueryErrors: number
  provides: number
  /** provides that failed or stored no record */
  provideErrors: number
  dials: number
  dialErrors: number
  hellosIn: number
  hellosOut: number
  helloErrors: number
  /** malformed, oversized or stalled hellos dropped */
  invalidMessages: number
  /** neighbours learnt from another source (the registry) before a lookup or hello found them */
  learned: number
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
  /**
   * Tells discovery of a peer another source (the registry) places in `cell`:
   * true when it is (now) a neighbour.
   */
  learn: (peerId: PeerId, cell: string, multiaddrs?: Multiaddr[]) => boolean
  /** what the connection budget closed; undefined when it is off */
  readonly budgetStats: ConnectionBudgetStats | undefined
}

export function cellDiscovery (init: CellDiscoveryInit): (components: CellDiscoveryComponents) => CellDiscovery {
  return (components) => new DefaultCellDiscovery(components, init)
}

export { cellKey } from './cell-key.js'
export { ConnectionBudget, type ConnectionBudgetComponents, type ConnectionBudgetInit } from './budget.js'
export { withoutSelfInRoutingTable } from './self-guard.js'
export { Hello, decodeHello } from './hello.js'
export { HELLO_PROTOCOL, ROUND_PAUSE_JITTER } from './constants.js'
export { jitteredPause } from './discovery.js'
export type { CellDiscoveryComponents, ConnectionBudgetStats }
