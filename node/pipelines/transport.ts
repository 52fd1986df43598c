/**
 * The network module: inbound bundles are persisted then acked; each target
 * peer has an outbound pump that sends its queue in batches until acked,
 * backing off while the peer is unreachable and resuming on `peer:live`.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { peerIdFromString } from '@libp2p/peer-id'
import { AckStatus, BUNDLE_PROTOCOL, bundleKey, decodeBundle, sendBundles, serveBundles, type Bundle, type BundleVerdict } from '../../protocols/index.js'
import type { EccoPeer } from '../peer.js'
import type { BundleQueues } from './queues.js'

const MIN_BACKOFF_MS = 50
const MAX_BACKOFF_MS = 1000
const BATCH = 64

export interface TransportStats {
  bundlesIn: number
  bundlesOut: number
  duplicates: number
  rejected: number
  invalid: number
  sendFailures: number
}

export class BundleTransport {
  readonly stats: TransportStats = { bundlesIn: 0, bundlesOut: 0, duplicates: 0, rejected: 0, invalid: 0, sendFailures: 0 }
  private readonly pumping = new Set<string>()
  private readonly again = new Set<string>()
  private readonly shutdown = new AbortController()
  /** inbound keys that came over the network (the rest were produced on this peer) */
  readonly remote = new Set<string>()

  constructor (
    private readonly peer: EccoPeer,
    private readonly queues: BundleQueues,
    private readonly accept: (b: Bundle, key: string) => Promise<'ok' | 'stopped'>,
    private readonly retain: boolean
  ) {}

  async start (): Promise<void> {
    await this.peer.libp2p.handle(BUNDLE_PROTOCOL, ({ stream }) => {
      serveBundles(stream, async (b, raw) => this.inbound(b, raw), {
        signal: this.shutdown.signal,
        onInvalid: () => { this.stats.invalid++ }
      }).catch(() => {})
    }, { maxInboundStreams: 32, maxOutboundStreams: 32 })
    for (const t of await this.queues.targets()) this.kick(t)
  }

  async stop (): Promise<void> {
    this.shutdown.abort()
    await this.peer.libp2p.unhandle(BUNDLE_PROTOCOL)
  }

  private async inbound (b: Bundle, raw: Uint8Array): Promise<BundleVerdict> {
    const key = bundleKey(b)
    if (!await this.queues.acceptInbound(key, raw)) {
      this.stats.duplicates++
      return { status: AckStatus.ACK_DUPLICATE }
    }
    this.stats.bundlesIn++
    this.remote.add(key)
    if (this.remote.size > 65_536) this.remote.delete(this.remote.values().next().value ?? key)
    if (await this.accept(b, key) === 'stopped') {
      this.stats.rejected++
      await this.queues.commit({ consumed: [key], outbound: [], local: [] })
      return { status: AckStatus.ACK_REJECTED, reason: `pipeline ${b.pipelineId} is stopped` }
    }
    return { status: AckStatus.ACK_STORED }
  }

  /** Starts (or re-arms) the pump of `target`. */
  kick (target: string): void {
    if (this.shutdown.signal.aborted) return
    if (this.pumping.has(target)) { this.again.add(target); return }
    this.pumping.add(target)
    this.pump(target).catch(() => {}).finally(() => {
      this.pumping.delete(target)
      if (this.again.delete(target)) this.kick(target)
    })
  }

  private async pump (target: string): Promise<void> {
    let backoff = MIN_BACKOFF_MS
    const signal = this.shutdown.signal
    while (!signal.aborted) {
      this.again.delete(target)
      const batch = await this.queues.outbound(target, BATCH)
      if (batch.length === 0) return
      try {
        const timeout = AbortSignal.any([signal, AbortSignal.timeout(10_000)])
        const stream = await this.peer.libp2p.dialProtocol(peerIdFromString(target), BUNDLE_PROTOCOL, { signal: timeout })
        const acks = await sendBundles(stream, batch.map((b) => b.bytes), { signal: timeout })
        await this.queues.acked(target, batch.map((b) => ({ key: b.key, bytes: b.bytes })), this.retain)
        for (const a of acks) if (a.status === AckStatus.ACK_REJECTED) this.stats.rejected++
        this.stats.bundlesOut += batch.length
        backoff = MIN_BACKOFF_MS
        // a short batch drained the queue: a commit since then kicked `again` (kick()
        // re-arms the pump), so another read here would only find it empty
        if (batch.length < BATCH && !this.again.has(target)) return
      } catch {
        this.stats.sendFailures++
        await delay(backoff, undefined, { signal }).catch(() => {})
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2)
      }
    }
  }

  decode (bytes: Uint8Array): Bundle | undefined {
    try { return decodeBundle(bytes) } catch { return undefined }
  }
}
