/**
 * The network module: inbound bundles are persisted then acked; each target
 * peer has an outbound pump that sends its queue in batches until acked, on
 * one long-lived stream per target (replaced when it breaks), backing off
 * while the peer is unreachable and resuming on `peer:live`.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  AckStatus, BUNDLE_PROTOCOL, BundleSession, bundleKey, decodeBundle, DEFAULT_BUNDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS, serveBundles, StreamClosedError, type Bundle, type BundleAck, type BundleVerdict
} from '../../protocols/index.js'
import type { EccoPeer } from '../peer.js'
import type { BundleQueues, OutboundEntry } from './queues.js'

const MIN_BACKOFF_MS = 50
const MAX_BACKOFF_MS = 1000
/** bundles per batch, and so at most this many unacked on a stream */
const BATCH = 64

export interface BundleTransportInit {
  /** served streams with no frame for this long are ended; our own idle streams close after half @default 20000 */
  idleTimeoutMs?: number
  /** deadline for the acks of one batch @default 10000 */
  ackTimeoutMs?: number
  /** @default 16 */
  maxInboundStreams?: number
  /** @default 16 */
  maxOutboundStreams?: number
}

export interface TransportStats {
  bundlesIn: number
  bundlesOut: number
  duplicates: number
  rejected: number
  /** inbound frames that did not decode (acked ACK_REJECTED) */
  invalid: number
  sendFailures: number
  /** bundle streams we opened (one per target while it stays healthy) */
  streamsOpened: number
  /** bundle streams peers opened to us */
  streamsServed: number
  /** of those, the ones still being answered (gauge) */
  streamsServing: number
  /** served streams ended for bringing no frame within idleTimeoutMs */
  idleTimeouts: number
  /** served streams ended for breaking a limit (oversized or truncated frame, unread acks) */
  violations: number
  /** inbound bundles for a slot this peer does not host, handed on to the slot's host */
  bundlesForwarded: number
}

export class BundleTransport {
  readonly stats: TransportStats = { bundlesIn: 0, bundlesOut: 0, duplicates: 0, rejected: 0, invalid: 0, sendFailures: 0, streamsOpened: 0, streamsServed: 0, streamsServing: 0, idleTimeouts: 0, violations: 0, bundlesForwarded: 0 }
  private readonly pumping = new Set<string>()
  private readonly again = new Set<string>()
  private readonly shutdown = new AbortController()
  /** our open stream to each target */
  private readonly sessions = new Map<string, BundleSession>()
  private readonly idleTimeoutMs: number
  private readonly ackTimeoutMs: number
  private readonly maxInboundStreams: number
  private readonly maxOutboundStreams: number
  /** inbound keys that came over the network (the rest were produced on this peer) */
  readonly remote = new Set<string>()

  constructor (
    private readonly peer: EccoPeer,
    private readonly queues: BundleQueues,
    private readonly accept: (b: Bundle, key: string) => Promise<'ok' | 'stopped'>,
    private readonly retain: boolean,
    init: BundleTransportInit = {}
  ) {
    this.idleTimeoutMs = init.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
    this.ackTimeoutMs = init.ackTimeoutMs ?? DEFAULT_BUNDLE_TIMEOUT_MS
    this.maxInboundStreams = init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS
    this.maxOutboundStreams = init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS
  }

  async start (): Promise<void> {
    await this.peer.libp2p.handle(BUNDLE_PROTOCOL, ({ stream }) => {
      this.stats.streamsServed++
      this.stats.streamsServing++
      serveBundles(stream, async (b, raw) => await this.inbound(b, raw), {
        idleTimeoutMs: this.idleTimeoutMs,
        signal: this.shutdown.signal,
        onInvalid: () => { this.stats.invalid++ },
        onTimeout: () => { this.stats.idleTimeouts++ },
        onViolation: () => { this.stats.violations++ }
      }).catch(() => {}).finally(() => { this.stats.streamsServing-- })
    }, { maxInboundStreams: this.maxInboundStreams, maxOutboundStreams: this.maxOutboundStreams })
    for (const t of await this.queues.targets()) this.kick(t)
  }

  async stop (): Promise<void> {
    this.shutdown.abort()
    for (const s of [...this.sessions.values()]) s.abort(new StreamClosedError('bundle transport stopping'))
    this.sessions.clear()
    await this.peer.libp2p.unhandle(BUNDLE_PROTOCOL)
  }

  private async inbound (b: Bundle, raw: Uint8Array): Promise<BundleVerdict> {
    const key = bundleKey(b)
    if (!await this.queues.acceptInbound(key, raw, Date.now(), (b.forwards ?? 0) > 0)) {
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
        await this.send(target, batch, AbortSignal.any([signal, AbortSignal.timeout(this.ackTimeoutMs)]))
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

  /**
   * One batch on the target's stream: the acked prefix leaves the outbound queue (acks
   * come in order); a failure ends the stream, and the rest goes again on a new one.
   */
  private async send (target: string, batch: OutboundEntry[], signal: AbortSignal): Promise<void> {
    const session = await this.session(target, signal)
    const sent = await Promise.allSettled(batch.map(async (b) => await session.send(b.bytes, signal)))
    const acks: BundleAck[] = []
    for (const r of sent) {
      if (r.status === 'rejected') break
      acks.push(r.value)
    }
    if (acks.length > 0) {
      await this.queues.acked(target, batch.slice(0, acks.length), this.retain)
      for (const a of acks) if (a.status === AckStatus.ACK_REJECTED) this.stats.rejected++
      this.stats.bundlesOut += acks.length
    }
    const failed = sent.find((r) => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }

  /** The open stream to `target`, or a new one (a closed or broken one is replaced). */
  private async session (target: string, signal: AbortSignal): Promise<BundleSession> {
    const have = this.sessions.get(target)
    if (have !== undefined && !have.closing) return have
    const stream = await this.peer.libp2p.dialProtocol(peerIdFromString(target), BUNDLE_PROTOCOL, { signal })
    this.stats.streamsOpened++
    const session = new BundleSession(stream, {
      maxInFlight: BATCH,
      idleCloseMs: Math.max(1, Math.floor(this.idleTimeoutMs / 2)),
      onClose: (s) => { if (this.sessions.get(target) === s) this.sessions.delete(target) }
    })
    this.sessions.set(target, session)
    return session
  }

  decode (bytes: Uint8Array): Bundle | undefined {
    try { return decodeBundle(bytes) } catch { return undefined }
  }
}
