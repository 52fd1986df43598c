/**
 * Liveness without flooding. Announcing every heartbeat on a gossipsub topic
 * made each peer receive, verify and relay N signed messages per heartbeat.
 * Instead each peer sends some of its directly connected members, once per
 * heartbeat, a "beat vector" on one long-lived stream per connection: its
 * own beat, and what changed in its liveness view since its last vector on
 * that stream (liveness.ts says what changes, and why not every beat). The
 * first vector on a stream carries the whole view, so a peer that just
 * connected knows who is live at once.
 *
 * Geographic neighbours are all dialled, so in a dense stretch of road a peer
 * holds dozens of connections; a vector to each of them every heartbeat was
 * most of an idle peer's CPU at 50 peers. So each heartbeat goes to the
 * `fanout` streams that waited longest (at least), and every stream gets one
 * within `rotationTicks` heartbeats (the goneAfter period: constants.ts).
 * A member whose stream falls silent for longer, or whose last stream ends,
 * is suspected; one that stops says so in a last vector.
 *
 * A beat is the origin's wall clock when it beat; it is not signed (the
 * stream is the connection's, authenticated by Noise). Beats from the future
 * are refused, and a suspicion relayed by anyone but its subject leaves the
 * subject time to refute it (liveness.ts).
 */
import type { AbortOptions, ComponentLogger, Connection, IncomingStreamData, Logger, PeerId, Stream } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import * as lp from 'it-length-prefixed'
import { raceSignal } from 'race-signal'
import { pushable, type Pushable } from 'it-pushable'
import { pipe } from 'it-pipe'
import { checkVersion, decodeMessage, encodeFrames, InvalidMessageError } from '../wire/index.js'
import {
  BEATS_PROTOCOL, BEATS_VERSION, DIGEST_PREFIX_CHARS, MAX_BEAT_CLOCK_SKEW_MS, MAX_BEAT_ENTRIES, MAX_BEAT_VECTOR_BYTES
} from './constants.js'
import { BeatVector } from './pb/beats.js'
import type { BeatStats } from './index.js'
import type { LivenessView, PeerLiveness } from './liveness.js'
import { PeerIdCache } from './peer-ids.js'

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
  /** what this peer believes of the others' beats: fed from vectors, read for them */
  view: LivenessView
  ownBeat: () => number
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
  /** per peer, the entry last sent: beat * 2, plus 1 for a suspicion */
  sent: Map<string, number>
  /** the tick of our last vector on it */
  lastTick: number
  /** whether the whole view went out on it */
  full: boolean
  /** settles when the stream's writing ended */
  done: Promise<void>
}

/** A vector under construction: the entries of the receiver's next frame. */
type Draft = BeatVector & { entries: number }

export class BeatExchange {
  private readonly components: BeatExchangeComponents
  private readonly init: BeatExchangeInit
  private readonly log: Logger
  /** by connection id; undefined while the stream is being opened */
  private readonly outbound = new Map<string, Outbound | undefined>()
  private readonly inbound = new Set<Stream>()
  /** inbound streams per remote peer: the members whose silence is ours to notice */
  private readonly direct = new Map<string, number>()
  private stopping = false
  /** connections whose peer does not speak the protocol (vehicles): not asked again */
  private readonly unsupported = new Set<string>()
  /** connections being closed on purpose, by either side: their end suspects nobody */
  private readonly released = new Set<string>()
  private ticks = 0
  private readonly stats: BeatStats
  private readonly peerIds = new PeerIdCache()

  constructor (components: BeatExchangeComponents, init: BeatExchangeInit) {
    this.components = components
    this.init = init
    this.stats = init.stats
    this.log = components.logger.forComponent('ecco:state:beats')
  }

  async start (): Promise<void> {
    await this.components.registrar.handle(BEATS_PROTOCOL, this.onStream, { maxInboundStreams: 2, maxOutboundStreams: 2 })
  }

  /** Peers with a beats stream open to us. */
  directPeers (): Iterable<string> { return this.direct.keys() }

  /**
   * A last vector to every member, before libp2p closes the connections: our
   * last beat, suspected by ourselves with no time left, so they take us for
   * gone now rather than at a suspicion's deadline. Waits for it to be
   * written, at most until `signal` aborts.
   */
  async leave (signal: AbortSignal): Promise<void> {
    this.stopping = true
    const self = this.init.self
    await this.farewell([...this.outbound.values()], signal, (msg, out, now) => { this.add(msg, out, self, this.init.ownBeat(), now, 0) })
  }

  /** Before `connection` is closed on purpose: its end is then no reason for either side to suspect the other. */
  async release (connection: Connection, options: AbortOptions = {}): Promise<void> {
    this.released.add(connection.id)
    const self = this.init.self
    await this.farewell([this.outbound.get(connection.id)], options.signal, (msg, out, now) => {
      this.add(msg, out, self, this.init.ownBeat(), now)
      msg.releasing = true
    })
  }

  /** A last vector on each stream, then its end; waits for them to be written. */
  private async farewell (outs: Array<Outbound | undefined>, signal: AbortSignal | undefined, fill: (msg: Draft, out: Outbound, now: number) => void): Promise<void> {
    const now = Date.now()
    const flushed: Array<Promise<void>> = []
    for (const out of outs) {
      if (out === undefined) continue
      const msg = this.draft(now, '')
      fill(msg, out, now)
      out.writer.push(BeatVector.encode(msg))
      out.writer.end()
      flushed.push(out.done)
    }
    // past the signal the caller closes anyway: an unwritten goodbye is not an error
    if (flushed.length > 0) await raceSignal(Promise.allSettled(flushed), signal).catch(() => {})
  }

  async stop (): Promise<void> {
    this.stopping = true
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
      if (conn.status !== 'open' || conn.limits !== undefined || this.unsupported.has(conn.id) || this.released.has(conn.id)) continue
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
      const changed = [...this.init.view.changed()]
      const digest = this.init.digest().slice(0, DIGEST_PREFIX_CHARS)
      const count = Math.max(this.init.fanout, Math.ceil(ready.length / this.init.rotationTicks))
      // oldest first; ties in random order so rumours take different paths
      for (const { out, remote } of shuffle(ready).sort((a, b) => a.out.lastTick - b.out.lastTick).slice(0, count)) {
        out.lastTick = this.ticks
        this.stats.vectorsOut++
        out.writer.push(this.vector(out, changed, remote, digest))
      }
    }
    const ids = new Set(this.components.connectionManager.getConnections().map((c) => c.id))
    for (const id of this.outbound.keys()) if (!ids.has(id)) this.dropOutbound(id)
    for (const id of this.unsupported) if (!ids.has(id)) this.unsupported.delete(id)
    for (const id of this.released) if (!ids.has(id)) this.released.delete(id)
  }

  private vector (out: Outbound, changed: Array<[string, PeerLiveness]>, remote: string, digest: string): Uint8Array {
    const now = Date.now()
    const msg = this.draft(now, digest)
    this.add(msg, out, this.init.self, this.init.ownBeat(), now)
    for (const [peer, v] of out.full ? changed : this.init.view.all()) {
      const key = v.beat * 2 + (v.suspect ? 1 : 0)
      // beat 0: known from an announcement only, no beat to tell
      if (peer === remote || v.beat === 0 || out.sent.get(peer) === key) continue
      if (msg.entries >= MAX_BEAT_ENTRIES) break
      out.sent.set(peer, key)
      this.add(msg, out, peer, v.beat, now, v.suspect ? Math.max(0, Math.round(v.goneAt - now)) : undefined)
    }
    out.full = true
    this.stats.entriesOut += msg.entries
    return BeatVector.encode(msg)
  }

  private draft (now: number, digest: string): Draft {
    return { version: BEATS_VERSION, intros: [], indexes: [], ages: [], base: BigInt(now), digest, suspectIndexes: [], suspectAges: [], suspectGoneIn: [], releasing: false, entries: 0 }
  }

  /** One entry: a beat, or with `goneInMs` a suspicion of it. */
  private add (msg: Draft, out: Outbound, peer: string, beat: number, now: number, goneInMs?: number): void {
    let index = out.indexes.get(peer)
    if (index === undefined) {
      index = out.indexes.size
      out.indexes.set(peer, index)
      msg.intros.push({ index, peer: this.peerIds.bytes(peer) })
    }
    const age = Math.min(MAX_AGE_MS, Math.max(0, now - beat))
    if (goneInMs === undefined) {
      msg.indexes.push(index)
      msg.ages.push(age)
    } else {
      msg.suspectIndexes.push(index)
      msg.suspectAges.push(age)
      msg.suspectGoneIn.push(Math.min(MAX_AGE_MS, goneInMs))
    }
    msg.entries++
  }

  private openStream (conn: Connection): void {
    this.outbound.set(conn.id, undefined)
    conn.newStream(BEATS_PROTOCOL, { signal: AbortSignal.timeout(this.init.idleTimeoutMs) }).then((stream) => {
      if (!this.outbound.has(conn.id)) { stream.abort(new Error('connection gone')); return }
      this.stats.streamsOpened++
      const writer = pushable<Uint8Array>()
      const done = pipe(writer, encodeFrames, stream.sink).catch((err) => {
        this.log('beats to %p ended: %e', conn.remotePeer, err)
      }).finally(() => { this.dropOutbound(conn.id) })
      this.outbound.set(conn.id, { writer, indexes: new Map(), sent: new Map(), lastTick: 0, full: false, done })
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
    const remote = connection.remotePeer.toString()
    this.inbound.add(stream)
    this.direct.set(remote, (this.direct.get(remote) ?? 0) + 1)
    this.stats.streamsAccepted++
    // the sender ended its side: close ours too, or the stream counts against its stream limit
    this.read(stream, connection).then(async () => { await stream.close() }).catch((err) => {
      if (err instanceof InvalidMessageError) this.init.onInvalid(remote, err)
      else this.log('beats from %p ended: %e', connection.remotePeer, err)
      stream.abort(err)
    }).finally(() => {
      this.inbound.delete(stream)
      const left = (this.direct.get(remote) ?? 1) - 1
      if (left > 0) { this.direct.set(remote, left); return }
      this.direct.delete(remote)
      // its last stream to us ended, and nobody said the connection was closed on purpose:
      // it died, or someone cut the link (it refutes, if alive)
      if (!this.stopping && !this.released.has(connection.id)) this.init.view.suspect(remote, Date.now())
    })
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
          peers.set(intro.index, this.peerIds.string(intro.peer))
        }
        if (v.releasing) this.released.add(connection.id)
        this.apply(v, peers, from.toString())
        this.init.onDigest(from, v.digest)
      }
    } finally {
      clearTimeout(idle)
    }
  }

  private apply (v: BeatVector, peers: Map<number, string>, from: string): void {
    const now = Date.now()
    const base = Number(v.base)
    // a beat from the future would hide the origin's real ones
    const latest = now + MAX_BEAT_CLOCK_SKEW_MS
    const view = this.init.view
    const peer = (index: number): string => {
      const p = peers.get(index)
      if (p === undefined) throw new InvalidMessageError(`BeatVector: index ${index} was never introduced`)
      return p
    }
    for (let i = 0; i < v.indexes.length; i++) {
      const p = peer(v.indexes[i])
      const beat = base - v.ages[i]
      if (beat <= latest) view.beat(p, beat, now)
    }
    for (let i = 0; i < v.suspectIndexes.length; i++) {
      const p = peer(v.suspectIndexes[i])
      const beat = base - v.suspectAges[i]
      if (beat <= latest) view.suspected(p, beat, v.suspectGoneIn[i], now, p === from)
    }
    this.stats.entriesIn += v.indexes.length + v.suspectIndexes.length
  }
}

function decodeBeatVector (bytes: Uint8Array): BeatVector {
  const v = decodeMessage(BeatVector, bytes, 'BeatVector', {
    maxBytes: MAX_BEAT_VECTOR_BYTES,
    limits: {
      intros: MAX_BEAT_ENTRIES,
      indexes: MAX_BEAT_ENTRIES,
      ages: MAX_BEAT_ENTRIES,
      suspectIndexes: MAX_BEAT_ENTRIES,
      suspectAges: MAX_BEAT_ENTRIES,
      suspectGoneIn: MAX_BEAT_ENTRIES
    }
  })
  checkVersion('BeatVector', v.version, BEATS_VERSION)
  if (v.indexes.length !== v.ages.length) throw new InvalidMessageError(`BeatVector: ${v.indexes.length} indexes but ${v.ages.length} ages`)
  if (v.suspectIndexes.length !== v.suspectAges.length || v.suspectIndexes.length !== v.suspectGoneIn.length) {
    throw new InvalidMessageError(`BeatVector: ${v.suspectIndexes.length} suspicions but ${v.suspectAges.length} ages and ${v.suspectGoneIn.length} deadlines`)
  }
  return v
}

/** ages and deadlines are uint32 milliseconds (49 days) */
const MAX_AGE_MS = 0xffffffff

function shuffle<T> (items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]]
  }
  return items
}
