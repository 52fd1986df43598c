/**
 * @packageDocumentation
 * State gossip: every peer owns one entry of a replicated registry
 * (capabilities and load), announced on `ecco/v1/state` when it changes and
 * repaired by anti-entropy. Liveness comes from heartbeats that travel as beat
 * vectors between connected members (`/ecco/state/beats/2.0.0`); the fleet
 * hears of a peer's beat only when its liveness changes, plus a periodic
 * refresh, so a heartbeat costs each peer its connections, not the fleet.
 *
 * @example
 * ```ts
 * node.services.state.updateLoad({ runningEdgeFunctions: 2 })
 * node.services.state.getRegistry() // [{ peerId, state, live }]
 * ```
 */
import type { AbortOptions, Connection, PeerId, TypedEventTarget } from '@libp2p/interface'
import { DefaultStateGossip, type StateGossipComponents } from './state-gossip.js'
import type { Load, PeerState } from './pb/state.js'

export type PeerStateInput = Omit<PeerState, 'version'>

export interface RegistryEntry {
  peerId: string
  state: PeerState
  /** local view: not gone (protocols/state/liveness.ts says when a peer is) */
  live: boolean
  /** ms since epoch when its heartbeat last advanced here (undefined: only known via sync) */
  lastSeen?: number
}

/** The replicated map under the registry (an LWW map from crdt/). */
export interface ReplicatedMap {
  set: (key: string, value: Uint8Array) => Uint8Array
  get: (key: string) => Uint8Array | undefined
  keys: () => string[]
  /**
   * Merge an encoded delta or state; returns the keys whose value changed.
   * `filter` sees every incoming entry: it throws to reject the whole update
   * as invalid, or returns false to skip that entry. `dryRun` validates only.
   */
  merge: (encoded: Uint8Array, filter?: (key: string, value: Uint8Array | undefined) => boolean, dryRun?: boolean) => string[]
  /** the encoded entry of one key, as a delta */
  deltaOf: (key: string) => Uint8Array
  digest: () => string
  summary: () => Uint8Array
  diff: (remoteSummary: Uint8Array) => Uint8Array
}

export interface StateGossipInit {
  state: PeerStateInput
  /** @default 1000 */
  heartbeatMs?: number
  /** @default 3 */
  goneAfterHeartbeats?: number
  /**
   * Connected members that get a beat vector each heartbeat, at least (beats.ts).
   * @default 8
   */
  beatFanout?: number
  /**
   * Members own a registry entry and announce it; vehicles only listen.
   * @default true
   */
  member?: boolean
  /** the registry's backing map; persisted by the caller */
  registry?: ReplicatedMap
}

export interface StateGossipStats {
  announcementsIn: number
  announcementsOut: number
  invalidMessages: number
  heartbeats: number
  /** heartbeat ticks that came late, summed: the time liveness deadlines were extended by */
  stalledMs: number
  digestSyncs: number
  /** live members declared gone: a peer that dies once counts once, a flapping one each time */
  peersGone: number
  beats: BeatStats
}

/** Counters of the beats protocol (beats.ts). */
export interface BeatStats {
  vectorsOut: number
  vectorsIn: number
  /** peers named in vectors: a vector carries changes, not the fleet */
  entriesOut: number
  entriesIn: number
  streamsOpened: number
  streamsAccepted: number
  /** streams dropped for carrying no vector for the idle timeout */
  idleTimeouts: number
  /** members this peer suspected: its last stream from them ended, or fell silent */
  suspicions: number
  /** of those, members that fell silent on a stream still open (the rest: their last stream ended) */
  silentSuspicions: number
  /** suspicions of live peers withdrawn here because the suspect beat again */
  refutations: number
}

export interface StateGossipEvents {
  'peer:live': CustomEvent<{ peerId: string }>
  'peer:gone': CustomEvent<{ peerId: string }>
  'registry:change': CustomEvent<{ peerIds: string[] }>
  'message:invalid': CustomEvent<{ from?: string, reason: string }>
}

export interface StateGossip extends TypedEventTarget<StateGossipEvents> {
  readonly stats: StateGossipStats
  readonly registry: ReplicatedMap
  getRegistry: () => RegistryEntry[]
  getEntry: (peerId: string) => RegistryEntry | undefined
  /** sorted; the same array until the live set changes */
  livePeers: () => readonly string[]
  digest: () => string
  updateState: (patch: Partial<PeerStateInput>) => void
  updateLoad: (load: Partial<Load>) => void
  /** publish the own entry now (also runs on the heartbeat after a load change) */
  announce: () => Promise<void>
  isLive: (peerId: PeerId | string) => boolean
  /**
   * Call before closing a connection on purpose: tells the member on it that
   * this is no death, so neither side suspects the other when it ends.
   */
  release: (connection: Connection, options?: AbortOptions) => Promise<void>
}

export function stateGossip (init: StateGossipInit): (components: StateGossipComponents) => StateGossip {
  return (components) => new DefaultStateGossip(components, init)
}

export { STATE_TOPIC, REGISTRY_DOCUMENT, BEATS_PROTOCOL } from './constants.js'
export { BeatVector } from './pb/beats.js'
export { PeerState, Load, Capacity, Sensor, Radio, StateAnnouncement } from './pb/state.js'
export { decodePeerState } from './codec.js'
export { createRegistryMap, LwwRegistryMap } from './registry-map.js'
export { LivenessView, type LivenessInit, type PeerLiveness } from './liveness.js'
export type { StateGossipComponents }
