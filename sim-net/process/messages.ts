/**
 * The IPC protocol between the orchestrator and a peer process
 * (child_process.fork with `serialization: 'advanced'`, so messages are
 * structured clones). It is control only: the peers talk to each other over
 * real TCP through their emulated links, never through this channel.
 */
import type { LinkUpdate, RawClassCounters } from '../link/emulator.js'
import type { LinkNode } from '../link/table.js'
import type { ScenarioLinks } from '../scenario/schema.js'
import type { SimCondition, SimPeerSpec } from '../types.js'

/** A peer spec without its functions (transport wrapper, record): the child makes its own. */
export type SimPeerSpecData = Omit<SimPeerSpec, 'transportWrapper' | 'record'>

export interface StartMessage {
  type: 'start'
  spec: SimPeerSpecData
  /** the peer's name and incarnation, the label of its emulator's random stream */
  incarnation: string
  links: { links: ScenarioLinks, nodes: LinkNode[], seed: number }
  /** the orchestrator's emulator state: addresses, partitions and degradations in force */
  updates: LinkUpdate[]
  snapshotMs: number
  /** passed to the child's factory builder as is */
  childInit: unknown
}

/** Calls on the child's hooks that expect a reply. */
export type ChildRequest =
  | { type: 'condition-start', condition: SimCondition }
  | { type: 'condition-end', id: string }
  | { type: 'submit', file: string }

/** Orchestrator to peer process. `rid` pairs a request with its reply. */
export type ToChild =
  | StartMessage
  | { type: 'links', seq: number, update: LinkUpdate }
  | (ChildRequest & { rid: number })
  | { type: 'broadcast', kind: string, payload: unknown }
  | { type: 'stop' }

export interface ProcessSample {
  cpuUserMs: number
  cpuSystemMs: number
  rssBytes: number
  eventLoop: { meanMs: number, p99Ms: number, maxMs: number }
}

export interface Snapshot {
  type: 'snapshot'
  metrics: Record<string, number>
  digest: string
  members: readonly string[]
  neighbours: string[]
  links: Record<string, RawClassCounters>
  openConnections: number
  process: ProcessSample
}

/** Peer process to orchestrator. */
export type FromChild =
  | { type: 'started', peerId: string, multiaddrs: string[] }
  | { type: 'start-failed', error: { name: string, message: string } }
  | Snapshot
  | { type: 'record', series: string, value: number, fields?: Record<string, string | number> }
  | { type: 'links-ack', seq: number, cut: number }
  | { type: 'reply', rid: number, ok: true, value?: unknown }
  | { type: 'reply', rid: number, ok: false, error: { name: string, message: string } }
  | { type: 'stopped' }

export function errorInfo (err: unknown): { name: string, message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
}
