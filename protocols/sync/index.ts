/**
 * @packageDocumentation
 * Anti-entropy for CRDT documents over `/ecco/sync/1.0.0`.
 *
 * @example
 * ```ts
 * node.services.sync.register({ name: 'registry', summary, diff, apply })
 * await node.services.sync.syncWith(peerId)
 * ```
 */
import type { PeerId, TypedEventTarget } from '@libp2p/interface'
import { DefaultAntiEntropy, type AntiEntropyComponents } from './anti-entropy.js'

/** What a CRDT document offers to anti-entropy. */
export interface SyncableDocument {
  /** unique per peer, the same on every peer */
  name: string
  /** a compact description of what this replica has (e.g. per-key stamps) */
  summary: () => Uint8Array
  /** everything this replica has that a replica with `remoteSummary` lacks */
  diff: (remoteSummary: Uint8Array) => Uint8Array
  /** merge an update; throw on malformed input (the exchange is then dropped and counted) */
  apply: (update: Uint8Array, from: PeerId) => void | Promise<void>
}

export interface AntiEntropyInit {
  /** @default 4194304 */
  maxFrameBytes?: number
  /** @default 10000 */
  timeoutMs?: number
  /** @default 4 */
  maxInboundStreams?: number
  /** @default 4 */
  maxOutboundStreams?: number
  /**
   * Run an exchange on every new outbound connection.
   * @default true
   */
  syncOnConnect?: boolean
}

export interface AntiEntropyStats {
  exchanges: number
  failures: number
  invalidMessages: number
  bytesIn: number
  bytesOut: number
}

export interface AntiEntropyEvents {
  'sync:complete': CustomEvent<{ peer: PeerId, initiator: boolean }>
  'sync:invalid': CustomEvent<{ reason: string }>
}

export interface AntiEntropy extends TypedEventTarget<AntiEntropyEvents> {
  readonly stats: AntiEntropyStats
  register: (doc: SyncableDocument) => void
  unregister: (name: string) => void
  /** one exchange of every registered document, or only of `documents` */
  syncWith: (peer: PeerId, options?: SyncOptions) => Promise<void>
}

export interface SyncOptions {
  signal?: AbortSignal
  /** names of the documents to exchange @default every registered one */
  documents?: string[]
}

export function antiEntropy (init: AntiEntropyInit = {}): (components: AntiEntropyComponents) => AntiEntropy {
  return (components) => new DefaultAntiEntropy(components, init)
}

export { SYNC_PROTOCOL } from './constants.js'
export type { AntiEntropyComponents }
