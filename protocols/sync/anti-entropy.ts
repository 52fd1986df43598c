/**
 * `/ecco/sync/1.0.0`: a three-message anti-entropy exchange of named CRDT
 * documents, run on every new connection (by the dialling side) and whenever
 * gossip shows two peers disagree. Merge is idempotent, so running it twice
 * or from both sides is harmless.
 */
import { NotStartedError, TypedEventEmitter, type ComponentLogger, type Connection, type Libp2pEvents, type Logger, type PeerId, type Startable, type Stream, type TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { anySignal } from 'any-signal'
import { raceSignal } from 'race-signal'
import { checkVersion, decodeMessage, openChannel, InvalidMessageError, StreamClosedError, StreamTimeoutError, type FrameChannel } from '../wire/index.js'
import { SyncMessage } from './pb/sync.js'
import {
  DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_OUTBOUND_STREAMS, DEFAULT_TIMEOUT_MS,
  MAX_DOCUMENTS, SYNC_PROTOCOL, SYNC_VERSION
} from './constants.js'
import type { AntiEntropy, AntiEntropyEvents, AntiEntropyInit, AntiEntropyStats, SyncableDocument, SyncOptions } from './index.js'

export interface AntiEntropyComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}


export class DefaultAntiEntropy extends TypedEventEmitter<AntiEntropyEvents> implements AntiEntropy, Startable {
  private readonly components: AntiEntropyComponents
  private readonly log: Logger
  private readonly documents = new Map<string, SyncableDocument>()
  private readonly maxFrameBytes: number
  private readonly timeoutMs: number
  private readonly maxInboundStreams: number
  private readonly maxOutboundStreams: number
  private readonly syncOnConnect: boolean
  private readonly running = new Map<string, Promise<void>>()
  /** aborts the exchanges in flight when we stop */
  private shutdown?: AbortController
  readonly stats: AntiEntropyStats = { exchanges: 0, failures: 0, invalidMessages: 0, bytesIn: 0, bytesOut: 0 }

  constructor (components: AntiEntropyComponents, init: AntiEntropyInit = {}) {
    super()
    this.components = components
    this.log = components.logger.forComponent('ecco:sync')
    this.maxFrameBytes = init.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
    this.timeoutMs = init.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.maxInboundStreams = init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS
    this.maxOutboundStreams = init.maxOutboundStreams ?? DEFAULT_MAX_OUTBOUND_STREAMS
    this.syncOnConnect = init.syncOnConnect ?? true
  }

  readonly [Symbol.toStringTag] = 'ecco/anti-entropy'

  register (doc: SyncableDocument): void {
    if (this.documents.size >= MAX_DOCUMENTS && !this.documents.has(doc.name)) throw new RangeError(`at most ${MAX_DOCUMENTS} synced documents`)
    this.documents.set(doc.name, doc)
  }

  unregister (name: string): void { this.documents.delete(name) }

  isStarted (): boolean { return this.shutdown !== undefined }

  async start (): Promise<void> {
    const shutdown = new AbortController()
    await this.components.registrar.handle(SYNC_PROTOCOL, ({ stream, connection }) => {
      this.respond(stream, connection, shutdown.signal).catch((err) => { this.log('inbound sync from %p failed: %e', connection.remotePeer, err) })
    }, { maxInboundStreams: this.maxInboundStreams, maxOutboundStreams: this.maxOutboundStreams })
    this.components.events.addEventListener('connection:open', this.onConnection)
    this.shutdown = shutdown
  }

  async stop (): Promise<void> {
    const shutdown = this.shutdown
    this.shutdown = undefined
    this.components.events.removeEventListener('connection:open', this.onConnection)
    shutdown?.abort(new Error('sync stopping'))
    await this.components.registrar.unhandle(SYNC_PROTOCOL)
    await Promise.allSettled(this.running.values())
  }

  private readonly onConnection = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail
    if (!this.syncOnConnect || conn.direction !== 'outbound') return
    this.syncWith(conn.remotePeer).catch(() => {})
  }

  /** Runs one exchange with `peer`; concurrent calls for one peer and the same documents share it. */
  async syncWith (peer: PeerId, options: SyncOptions = {}): Promise<void> {
    const key = `${peer.toString()}/${options.documents?.join(',') ?? '*'}`
    const existing = this.running.get(key)
    if (existing !== undefined) return existing
    if (this.shutdown === undefined) throw new NotStartedError('sync is not running')
    const signal = options.signal === undefined ? this.shutdown.signal : AbortSignal.any([this.shutdown.signal, options.signal])
    // settled from here, at our stop or past both deadlines, whatever the exchange
    // awaits: twice a 200-peer run's stop hung on an exchange nothing could settle
    // any more (a heap snapshot: only the running map still held its promise), so
    // the peer's libp2p never stopped
    const guard = anySignal([this.shutdown.signal, AbortSignal.timeout(2 * this.timeoutMs)])
    const p = raceSignal(this.initiate(peer, signal, options.documents), guard).finally(() => {
      guard.clear()
      this.running.delete(key)
    })
    this.running.set(key, p)
    return p
  }

  private async initiate (peer: PeerId, signal: AbortSignal, documents?: string[]): Promise<void> {
    let stream: Stream
    try {
      // the dial and the stream's negotiation get a deadline of their own (the
      // channel's starts once the stream is open): a peer stopping waits for its
      // exchanges, so none may wait on a dial that never settles
      const opening = AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)])
      const conn = await this.components.connectionManager.openConnection(peer, { signal: opening })
      stream = await conn.newStream(SYNC_PROTOCOL, { signal: opening })
    } catch (err) {
      this.stats.failures++
      throw err
    }
    const ch = this.channel(stream, signal)
    try {
      const request = this.request(documents)
      this.send(ch, request)
      const response = this.receive(await ch.read(), SyncMessage.Kind.RESPONSE)
      const update: SyncMessage = { version: SYNC_VERSION, kind: SyncMessage.Kind.UPDATE, documents: [] }
      for (const d of response.documents) {
        const doc = this.documents.get(d.name)
        if (doc === undefined) continue
        if (d.update.byteLength > 0) await this.apply(doc, d.update, peer)
        update.documents.push({ name: d.name, summary: new Uint8Array(0), update: doc.diff(d.summary) })
      }
      this.send(ch, update)
      await ch.close()
      this.stats.exchanges++
      this.safeDispatchEvent('sync:complete', { detail: { peer, initiator: true } })
    } catch (err) {
      this.fail(ch, err)
      throw err
    }
  }

  private async respond (stream: Stream, connection: Connection, signal: AbortSignal): Promise<void> {
    const peer = connection.remotePeer
    const ch = this.channel(stream, signal)
    try {
      const request = this.receive(await ch.read(), SyncMessage.Kind.REQUEST)
      const response: SyncMessage = { version: SYNC_VERSION, kind: SyncMessage.Kind.RESPONSE, documents: [] }
      for (const d of request.documents) {
        const doc = this.documents.get(d.name)
        if (doc === undefined) continue
        response.documents.push({ name: d.name, summary: doc.summary(), update: doc.diff(d.summary) })
      }
      this.send(ch, response)
      const update = this.receive(await ch.read(), SyncMessage.Kind.UPDATE)
      for (const d of update.documents) {
        const doc = this.documents.get(d.name)
        if (doc !== undefined && d.update.byteLength > 0) await this.apply(doc, d.update, peer)
      }
      await ch.close()
      this.stats.exchanges++
      this.safeDispatchEvent('sync:complete', { detail: { peer, initiator: false } })
    } catch (err) {
      // a remote that opens a sync and then hangs up or stalls broke the protocol
      this.fail(ch, err instanceof StreamClosedError || err instanceof StreamTimeoutError ? new InvalidMessageError(err.message) : err)
      throw err
    }
  }

  private request (names?: string[]): SyncMessage {
    const docs = names === undefined ? [...this.documents.values()] : names.flatMap((n) => this.documents.get(n) ?? [])
    return {
      version: SYNC_VERSION,
      kind: SyncMessage.Kind.REQUEST,
      documents: docs.map((doc) => ({ name: doc.name, summary: doc.summary(), update: new Uint8Array(0) }))
    }
  }

  private channel (stream: Stream, signal?: AbortSignal): FrameChannel {
    return openChannel(stream, { maxFrameBytes: this.maxFrameBytes, timeoutMs: this.timeoutMs, signal })
  }

  private send (ch: FrameChannel, msg: SyncMessage): void {
    const bytes = SyncMessage.encode(msg)
    this.stats.bytesOut += bytes.byteLength
    ch.write(bytes)
  }

  private receive (bytes: Uint8Array, expect: SyncMessage.Kind): SyncMessage {
    this.stats.bytesIn += bytes.byteLength
    const msg = decodeMessage(SyncMessage, bytes, 'SyncMessage', { maxBytes: this.maxFrameBytes, limits: { documents: MAX_DOCUMENTS } })
    checkVersion('SyncMessage', msg.version, SYNC_VERSION)
    if (msg.kind !== expect) throw new InvalidMessageError(`SyncMessage.kind: expected ${expect}, got ${String(msg.kind)}`)
    return msg
  }

  private async apply (doc: SyncableDocument, update: Uint8Array, from: PeerId): Promise<void> {
    try {
      await doc.apply(update, from)
    } catch (err) {
      throw new InvalidMessageError(`SyncDocument ${doc.name}: ${(err as Error).message}`)
    }
  }

  private fail (ch: FrameChannel, err: unknown): void {
    if (err instanceof InvalidMessageError) {
      this.stats.invalidMessages++
      this.safeDispatchEvent('sync:invalid', { detail: { reason: err.message } })
    } else {
      this.stats.failures++
    }
    ch.abort(err instanceof Error ? err : new Error(String(err)))
  }
}
