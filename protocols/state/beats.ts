/**
 * Liveness without flooding. Announcing every heartbeat on a gossipsub topic
 * made each peer receive, verify and relay N signed messages per heartbeat:
 * the registry's cost grew with the square of the fleet, and 20 peers in one
 * process already spent most of their CPU on it. Instead each peer tells some
 * of its directly connected members, once per heartbeat, the newest heartbeat
 * it knows of every peer whose heartbeat advanced (a "beat vector"), on one
 * long-lived stream per connection. Beats carry their age, so relaying keeps
 * them exact: a beat spreads like a rumour, and a silent peer stops advancing
 * everywhere within a few relays.
 *
 * Geographic neighbours are all dialled, so in a dense stretch of road a peer
 * holds dozens of connections; a vector to each of them every heartbeat was
 * most of an idle peer's CPU at 50 peers. So each heartbeat goes to the
 * `fanout` streams that waited longest (at least), and every stream gets one
 * within `rotationTicks` heartbeats (the goneAfter period: constants.ts).
 *
 * A beat is the origin's wall clock when it beat; it is not signed (the
 * stream is the connection's, authenticated by Noise). A dishonest member
 * could keep a dead peer looking alive, not make a live one look gone: beats
 * from the future are refused and the newest real beat wins.
 */
import type { ComponentLogger, Connection, IncomingStreamData, Logger, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as lp from 'it-length-prefixed'
import { pushable, type Pushable } from 'it-pushable'
import { pipe } from 'it-pipe'
import * as Digest from 'multiformats/hashes/digest'
import { checkVersion, decodeMessage, encodeFrames, InvalidMessageError } from '../wire/index.js'
import {
  BEATS_PROTOCOL, BEATS_VERSION, DIGEST_PREFIX_CHARS, MAX_BEAT_CLOCK_SKEW_MS, MAX_BEAT_ENTRIES, MAX_BEAT_VECTOR_BYTES
} from './constants.js'
import { BeatVector } from './pb/beats.js'
import type { BeatStats } from './index.js'

export interface BeatExchangeComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

export interface BeatExchangeInit {
  self: string
  /** streams that get a vector each heartbeat, at least */
  fanout: number
  /** every stream gets a vector at least once in this many heartbeats */
  rotationTicks: number
  /** a stream silent for this long is dropped (its peer missed several heartbeats) */
  idleTimeoutMs: number
  /** the newest beat known of each peer, own included */
  known: () => Iterable<[string, number]>
  /** a beat of `peer`; beats of peers outside the registry are the receiver's to drop */
  onBeat: (peer: string, beat: number) => void
  onDigest: (from: PeerId, digestPrefix: string) => void
  digest: () => string
  onInvalid: (from: string, err: unknown) => void
  /** counted into; owned by the caller */
  stats: BeatStats
}

/** What the sending side of one stream has told its peer so far. */
interface Outbound {
  writer: Pushable<Uint8Array>
  indexes: Map<string, number>
  sent: Map<string, number>
  /** the tick of our last vector on it */
  lastTick: number
}

export class BeatExchange {
  private readonly components: BeatExchangeComponents
  private readonly init: BeatExchangeInit
  private readonly log: Logger
  /** by connection id; undefined while the stream is being opened */
  private readonly outbound = new Map<string, Outbound | undefined>()
  private readonly inbound = new Set<Stream>()
  /** connections whose peer does not speak the protocol (vehicles): not asked again */
  private readonly unsupported = new Set<string>()
  private ticks = 0
  private readonly stats: BeatStats

  constructor (components: BeatExchangeComponents, init: BeatExchangeInit) {
    this.components = components
    this.init = init
    this.stats = init.stats
    this.log = components.logger.forComponent('ecco:state:beats')
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(BEATS_PROTOCOL, this.onStream, { maxInboundStreams: 2, maxOutboundStreams: 2 })
  }

  async stop (): Promise<void> {
    await this.components.registrar.unhandle(BEATS_PROTOCOL)
    for (const o of this.outbound.values()) o?.writer.end()
    this.outbound.clear()
    for (const s of this.inbound) s.abort(new Error('stopping'))
    this.inbound.clear()
  }

  /** Sends the peers that waited longest what advanced since the last vector each got from us. */
  tick (): void {
    this.ticks++
    const ready: Array<{ out: Outbound, remote: string }> = []
    const open = new Set<string>()
    for (const conn of this.components.connectionManager.getConnections()) {
      const remote = conn.remotePeer.toString()
      // every connected peer that speaks the protocol, known to our registry or
      // not: its digest is how two peers that missed each other's entries repair
      if (conn.status !== 'open' || conn.limits !== undefined || this.unsupported.has(conn.id)) continue
      // one stream per peer is enough, whichever of its connections carries it
      if (open.has(remote)) continue
      open.add(remote)
      if (!this.outbound.has(conn.id)) { this.openStream(conn); continue }
      const out = this.outbound.get(conn.id)
      // a vector still queued gets no successor: vectors are cumulative, so the next one
      // carries whatever advanced meanwhile, and a peer that stopped reading pins one at most
      // (readableLength counts bytes: a byte-mode pushable)
      if (out !== undefined && out.writer.readableLength === 0) ready.push({ out, remote })
    }
    if (ready.length > 0) {
      const known = [...this.init.known()]
      const digest = this.init.digest().slice(0, DIGEST_PREFIX_CHARS)
      const count = Math.max(this.init.fanout, Math.ceil(ready.length / this.init.rotationTicks))
      // oldest first; ties in random order so rumours take different paths
      for (const { out, remote } of shuffle(ready).sort((a, b) => a.out.lastTick - b.out.lastTick).slice(0, count)) {
        out.lastTick = this.ticks
        this.stats.vectorsOut++
        out.writer.push(this.vector(out, known, remote, digest))
      }
    }
    const ids = new Set(this.components.connectionManager.getConnections().map((c) => c.id))
    for (const id of this.outbound.keys()) if (!ids.has(id)) this.dropOutbound(id)
    for (const id of this.unsupported) if (!ids.has(id)) this.unsupported.delete(id)
  }

  private vector (out: Outbound, known: Array<[string, number]>, remote: string, digest: string): Uint8Array {
    const base = Date.now()
    const msg: BeatVector = { version: BEATS_VERSION, intros: [], indexes: [], ages: [], base: BigInt(base), digest }
    for (const [peer, beat] of known) {
      if (peer === remote || beat <= (out.sent.get(peer) ?? -1) || msg.indexes.length >= MAX_BEAT_ENTRIES) continue
      let index = out.indexes.get(peer)
      if (index === undefined) {
        index = out.indexes.size
        out.indexes.set(peer, index)
        msg.intros.push({ index, peer: peerBytes(peer) })
      }
      out.sent.set(peer, beat)
      msg.indexes.push(index)
      msg.ages.push(Math.max(0, base - beat))
    }
    return BeatVector.encode(msg)
  }

  private openStream (conn: Connection): void {
    this.outbound.set(conn.id, undefined)
    conn.newStream(BEATS_PROTOCOL, { signal: AbortSignal.timeout(this.init.idleTimeoutMs) }).then((stream) => {
      if (!this.outbound.has(conn.id)) { stream.abort(new Error('connection gone')); return }
      this.stats.streamsOpened++
      const writer = pushable<Uint8Array>()
      this.outbound.set(conn.id, { writer, indexes: new Map(), sent: new Map(), lastTick: 0 })
      pipe(writer, encodeFrames, stream.sink).catch((err) => {
        this.log('beats to %p ended: %e', conn.remotePeer, err)
      }).finally(() => { this.dropOutbound(conn.id) })
    }, (err: Error) => {
      this.outbound.delete(conn.id)
      // a vehicle has no registry entry and no beats; anything else is tried again next heartbeat
      if (err.name === 'UnsupportedProtocolError') this.unsupported.add(conn.id)
      this.log('no beats stream to %p: %e', conn.remotePeer, err)
    })
  }

  private dropOutbound (id: string): void {
    this.outbound.get(id)?.writer.end()
    this.outbound.delete(id)
  }

  private readonly onStream = ({ stream, connection }: IncomingStreamData): void => {
    this.inbound.add(stream)
    this.stats.streamsAccepted++
    this.read(stream, connection).catch((err) => {
      if (err instanceof InvalidMessageError) this.init.onInvalid(connection.remotePeer.toString(), err)
      else this.log('beats from %p ended: %e', connection.remotePeer, err)
      stream.abort(err)
    }).finally(() => { this.inbound.delete(stream) })
  }

  private async read (stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer
    const peers = new Map<number, string>()
    let idle: ReturnType<typeof setTimeout> | undefined
    const arm = (): void => {
      clearTimeout(idle)
      idle = setTimeout(() => { this.stats.idleTimeouts++; stream.abort(new Error(`no beats for ${this.init.idleTimeoutMs} ms`)) }, this.init.idleTimeoutMs)
    }
    arm()
    try {
      for await (const frame of lp.decode(stream.source, { maxDataLength: MAX_BEAT_VECTOR_BYTES })) {
        arm()
        this.stats.vectorsIn++
        const v = decodeBeatVector(frame.subarray())
        for (const intro of v.intros) {
          if (peers.size >= MAX_BEAT_ENTRIES && !peers.has(intro.index)) throw new InvalidMessageError('BeatVector: too many peers introduced')
          peers.set(intro.index, peerString(intro.peer))
        }
        this.apply(v, peers)
        this.init.onDigest(from, v.digest)
      }
    } finally {
      clearTimeout(idle)
    }
  }

  private apply (v: BeatVector, peers: Map<number, string>): void {
    const base = Number(v.base)
    const latest = Date.now() + MAX_BEAT_CLOCK_SKEW_MS
    for (let i = 0; i < v.indexes.length; i++) {
      const peer = peers.get(v.indexes[i])
      if (peer === undefined) throw new InvalidMessageError(`BeatVector: index ${v.indexes[i]} was never introduced`)
      const beat = base - v.ages[i]
      // a beat from the future would hide the origin's real ones
      if (beat > latest || peer === this.init.self) continue
      this.init.onBeat(peer, beat)
    }
  }
}

function decodeBeatVector (bytes: Uint8Array): BeatVector {
  const v = decodeMessage(BeatVector, bytes, 'BeatVector', {
    maxBytes: MAX_BEAT_VECTOR_BYTES,
    limits: { intros: MAX_BEAT_ENTRIES, indexes: MAX_BEAT_ENTRIES, ages: MAX_BEAT_ENTRIES }
  })
  checkVersion('BeatVector', v.version, BEATS_VERSION)
  if (v.indexes.length !== v.ages.length) throw new InvalidMessageError(`BeatVector: ${v.indexes.length} indexes but ${v.ages.length} ages`)
  return v
}

function peerString (bytes: Uint8Array): string {
  try {
    return peerIdFromMultihash(Digest.decode(bytes)).toString()
  } catch (err) {
    throw new InvalidMessageError(`BeatVector: intro names no PeerId (${(err as Error).message})`)
  }
}

function shuffle<T> (items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]]
  }
  return items
}

/** once per peer and stream, so no cache */
function peerBytes (peer: string): Uint8Array {
  return peerIdFromString(peer).toMultihash().bytes
}
