/**
 * The protocol between the orchestrator and a shard: a worker thread of the
 * orchestrator's process hosting many peers (one-process mode over several
 * cores). Messages are structured clones over the worker's port and carry
 * control only: the peers talk to each other over real TCP through their
 * emulated links, whichever thread hosts them.
 */
import type { LinkUpdate, RawClassCounters } from '../link/emulator.js'
import type { ChildRequest, SimPeerSpecData, StartMessage } from '../process/messages.js'

/** What a shard gets as `workerData`: a peer process' start without the peer. */
export type ShardInit = Omit<StartMessage, 'type' | 'spec' | 'incarnation'> & {
  /** `shard-<n>`: the label of its emulator's random stream and of its counters at the orchestrator */
  label: string
}

/** Calls that act on one peer of the shard, or on the shard itself (`probe`), and expect a reply. */
export type ShardRequest =
  | { type: 'start', peer: string, spec: SimPeerSpecData }
  | { type: 'stop', peer: string }
  | { type: 'kill', peer: string }
  | (ChildRequest & { peer: string })
  /** echo round trips over a link probe inside the shard, every `intervalMs` for `durationMs`; replies with the times in ms */
  | { type: 'probe', durationMs: number, intervalMs: number }
  /** stop every peer and the emulator: the thread may be terminated after the reply */
  | { type: 'close' }

export type ToShard =
  | { type: 'links', seq: number, update: LinkUpdate }
  | { type: 'broadcast', kind: string, payload: unknown }
  | (ShardRequest & { rid: number })

/** The registry view and counters of one peer, as its handle answers them between snapshots. */
export interface PeerView {
  peer: string
  metrics: Record<string, number>
  digest: string
  /**
   * Omitted when `digest` (which covers the live set) is the one this peer's
   * previous snapshot carried: the list did not change, and at a few hundred
   * peers sending every list every second was O(peers^2) cloning per second.
   */
  members?: readonly string[]
  neighbours: string[]
}

/** The reply to `start`. */
export interface StartedPeer { peerId: string, multiaddrs: string[], view: PeerView }

export type FromShard =
  | { type: 'snapshot', peers: PeerView[], links: Record<string, RawClassCounters>, openConnections: number }
  | { type: 'record', peer: string, series: string, value: number, fields?: Record<string, string | number> }
  | { type: 'links-ack', seq: number, cut: number }
  | { type: 'reply', rid: number, ok: true, value?: unknown }
  | { type: 'reply', rid: number, ok: false, error: { name: string, message: string } }
