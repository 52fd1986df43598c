/** What a PipelineRunner needs from the feature that owns it. */
import type { Bundle, HostCapabilities } from '../../protocols/index.js'
import type { EfRuntime } from '../../unikernels/index.js'
import type { Log } from '../logger.js'
import type { EccoPeer } from '../peer.js'
import type { PipelineBook } from './book.js'
import type { PipelinesConfig } from './config.js'
import type { ImageStore } from './images.js'
import type { BundleQueues, OutboundEntry } from './queues.js'
import type { PipelinesEvents } from './events.js'

export interface RunnerContext {
  peer: EccoPeer
  log: Log
  config: PipelinesConfig
  book: PipelineBook
  queues: BundleQueues
  images: ImageStore
  runtime: EfRuntime
  /** this peer as the placement rule sees it */
  capabilities: () => HostCapabilities
  /** running stage instances / capacity, 0..1 */
  loadFraction: () => number
  /** false when the peer is full with work of equal or higher priority */
  hasRoomFor: (priority: number) => boolean
  /** peers to fetch images from */
  sources: () => string[]
  /** peers declared gone (registry peer:gone, not live again since) */
  gone: () => ReadonlySet<string>
  retarget: (pipelineId: string, stage: string, from: string, to: string) => Promise<void>
  /** moves stranded inbound bundles to their slot hosts' outbound queues (one batch); returns the ones moved */
  forward: (pipelineId: string, moves: OutboundEntry[]) => Promise<OutboundEntry[]>
  /** wake the outbound pump of a target */
  kick: (target: string) => void
  /** whether an inbound bundle came from a stage on this peer (intra-node) */
  isLocal: (key: string) => boolean
  decode: (bytes: Uint8Array) => Bundle | undefined
  emit: <K extends keyof PipelinesEvents>(type: K, detail: PipelinesEvents[K]['detail']) => void
  /** one anti-entropy round with connected peers (before placing) */
  syncBids: () => Promise<void>
  /** the number of local instances changed: enforce capacity by priority */
  capacityChanged: () => void
}
