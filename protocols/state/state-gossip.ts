/**
 * The registry service. Announcements go out when the own entry changes and
 * carry only it (a peer cannot overwrite another's through gossip); entries
 * of others arrive through anti-entropy and are validated as PeerState before
 * merging. Liveness is a view kept by exception (liveness.ts) and carried by
 * beat vectors between connected peers (beats.ts); a registry digest rides
 * along to detect divergence.
 */
import { TopicValidatorResult, TypedEventEmitter, type AbortOptions, type ComponentLogger, type Connection, type Logger, type Message, type PeerId, type PubSub, type Startable } from '@libp2p/interface'
import { InvalidMessageError } from '../wire/index.js'
import type { AntiEntropy } from '../sync/index.js'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { BeatExchange } from './beats.js'
import { decodeAnnouncement, decodePeerState } from './codec.js'
import { LivenessView } from './liveness.js'
import {
  BEAT_IDLE_GONE_PERIODS, BEAT_ROTATION_GONE_PERIODS, DEFAULT_BEAT_FANOUT, DEFAULT_GONE_AFTER_HEARTBEATS, DEFAULT_HEARTBEAT_MS, DIGEST_MISMATCH_SYNC_AFTER, REGISTRY_DOCUMENT, STATE_TOPIC, STATE_VERSION
} from './constants.js'
import { PeerState, StateAnnouncement, type Load } from './pb/state.js'
import type {
  PeerStateInput, RegistryEntry, ReplicatedMap, StateGossip, StateGossipEvents, StateGossipInit, StateGossipStats
} from './index.js'

export interface StateGossipComponents {
  peerId: PeerId
  pubsub: PubSub
  sync: AntiEntropy
  registrar: Registrar
  connectionManager: ConnectionManager
  logger: ComponentLogger
}

export class DefaultStateGossip extends TypedEventEmitter<StateGossipEvents> implements StateGossip, Startable {
  private readonly components: StateGossipComponents
  private readonly log: Logger
  private readonly heartbeatMs: number
  private readonly goneAfterMs: number
  private readonly member: boolean
  private readonly self: string
  private own: PeerStateInput
  private readonly view: LivenessView
  /** members whose going live was reported: only they are reported gone */
  private readonly reportedLive = new Set<string>()
  /**
   * livePeers(), derived from reportedLive (the members live here with an
   * entry) until it changes: sim-net asks every peer every period, and
   * filtering the registry each time was a tenth of a loaded shard's busiest
   * stretches (bench:sim, 200 peers).
   */
  private live: readonly string[] | undefined
  private readonly decoded = new WeakMap<Message, StateAnnouncement>()
  private timer?: ReturnType<typeof setInterval>
  private lastTickAt?: number
  private heartbeat = 0n
  private ownBeat = 0
  private readonly beats?: BeatExchange
  /** consecutive differing digests per connected peer */
  private readonly mismatches = new Map<string, number>()
  /** when the registry last changed here */
  private changedAt = 0
  /** own entry written since the last announcement went out: only then does one carry it */
  private ownUnannounced = true
  readonly registry: ReplicatedMap
  readonly stats: StateGossipStats = {
    announcementsIn: 0, announcementsOut: 0, invalidMessages: 0, heartbeats: 0, stalledMs: 0, digestSyncs: 0, peersGone: 0,
    beats: { vectorsOut: 0, vectorsIn: 0, entriesOut: 0, entriesIn: 0, streamsOpened: 0, streamsAccepted: 0, idleTimeouts: 0, suspicions: 0, silentSuspicions: 0, refutations: 0 }
  }

  constructor (components: StateGossipComponents, init: StateGossipInit) {
    super()
    this.components = components
    this.log = components.logger.forComponent('ecco:state')
    this.heartbeatMs = init.heartbeatMs ?? DEFAULT_HEARTBEAT_MS
    const goneAfterHeartbeats = init.goneAfterHeartbeats ?? DEFAULT_GONE_AFTER_HEARTBEATS
    this.goneAfterMs = this.heartbeatMs * goneAfterHeartbeats
    this.member = init.member ?? true
    this.self = components.peerId.toString()
    this.own = init.state
    if (init.registry === undefined) throw new TypeError('stateGossip: init.registry is required')
    this.registry = init.registry
    const rotationTicks = goneAfterHeartbeats * BEAT_ROTATION_GONE_PERIODS
    this.view = new LivenessView({
      self: this.self,
      heartbeatMs: this.heartbeatMs,
      goneAfterMs: this.goneAfterMs,
      // every stream gets a vector within the rotation
      changeTicks: rotationTicks + 1,
      onTransition: (peer, live) => { this.transition(peer, live) },
      stats: this.stats.beats
    })
    if (this.member) {
      this.beats = new BeatExchange(components, {
        self: this.self,
        fanout: init.beatFanout ?? DEFAULT_BEAT_FANOUT,
        rotationTicks,
        idleTimeoutMs: this.goneAfterMs * BEAT_IDLE_GONE_PERIODS,
        view: this.view,
        ownBeat: () => this.ownBeat,
        onDigest: (from, digest) => { this.checkDigest(from, digest) },
        digest: () => this.registry.digest(),
        onInvalid: (from, err) => { this.invalid(from, err) },
        stats: this.stats.beats
      })
    }
  }

  readonly [Symbol.toStringTag] = 'ecco/state-gossip'

  isStarted (): boolean { return this.timer !== undefined }

  async start (): Promise<void> {
    await this.beats?.start()
  }

  /** pubsub and sync start alongside us; use them only once everything has started */
  afterStart (): void {
    const { pubsub, sync } = this.components
    pubsub.topicValidators.set(STATE_TOPIC, this.validate)
    pubsub.addEventListener('message', this.onMessage)
    pubsub.subscribe(STATE_TOPIC)
    sync.register({
      name: REGISTRY_DOCUMENT,
      summary: () => this.registry.summary(),
      diff: (s) => this.registry.diff(s),
      apply: (update) => { this.mergeRemote(update) }
    })
    if (this.member) this.writeOwn()
    this.lastTickAt = Date.now()
    this.timer = setInterval(() => { this.tick() }, this.heartbeatMs)
    this.timer.unref?.()
    if (this.member) void this.announce()
  }

  /** unsubscribe while pubsub is still running; say goodbye while the connections are open */
  async beforeStop (): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.beats?.leave(AbortSignal.timeout(this.heartbeatMs))
    const { pubsub, sync } = this.components
    pubsub.removeEventListener('message', this.onMessage)
    pubsub.topicValidators.delete(STATE_TOPIC)
    if (pubsub.getTopics().includes(STATE_TOPIC)) pubsub.unsubscribe(STATE_TOPIC)
    sync.unregister(REGISTRY_DOCUMENT)
  }

  async stop (): Promise<void> {
    await this.beats?.stop()
  }

  digest (): string { return this.registry.digest() }

  async release (connection: Connection, options: AbortOptions = {}): Promise<void> {
    await this.beats?.release(connection, options)
  }

  getEntry (peerId: string): RegistryEntry | undefined {
    const bytes = this.registry.get(peerId)
    if (bytes === undefined) return undefined
    const v = this.view.get(peerId)
    const self = peerId === this.self && this.member
    let state: PeerState
    try {
      state = decodePeerState(bytes)
    } catch (err) {
      // every entry was validated on its way in; a bad one here is a bug, not a reason to crash
      this.log.error('registry entry of %s does not decode: %e', peerId, err)
      return undefined
    }
    const entry: RegistryEntry = { peerId, state, live: self || (v?.live ?? false) }
    if (v !== undefined) entry.lastSeen = v.heardAt
    return entry
  }

  getRegistry (): RegistryEntry[] {
    return this.registry.keys().sort().map((k) => this.getEntry(k)).filter((e): e is RegistryEntry => e !== undefined)
  }

  /** The members reported live, and this peer: no entry is decoded (sim-net and /metrics ask every second). */
  livePeers (): readonly string[] {
    this.live ??= [...this.reportedLive, ...(this.member && this.registry.get(this.self) !== undefined ? [this.self] : [])].sort()
    return this.live
  }

  isLive (peerId: PeerId | string): boolean {
    const id = peerId.toString()
    if (id === this.self) return this.member
    // the view may hold a peer whose registry entry has not arrived: not a member yet
    return this.view.isLive(id) && this.registry.get(id) !== undefined
  }

  updateState (patch: Partial<PeerStateInput>): void {
    if (this.write(patch)) void this.announce()
  }

  /** Load changes ride on the next heartbeat rather than an extra message each. */
  updateLoad (load: Partial<Load>): void {
    this.write({ load: { ...emptyLoad(), ...this.own.load, ...load } })
  }

  private write (patch: Partial<PeerStateInput>): boolean {
    const next = { ...this.own, ...patch }
    if (this.sameAs(next)) return false
    this.own = next
    this.writeOwn()
    return true
  }

  async announce (): Promise<void> {
    if (!this.member || this.timer === undefined) return
    // an unchanged entry is not re-sent every heartbeat: a replica that missed
    // it sees a differing digest and repairs through anti-entropy
    const carries = this.ownUnannounced
    const msg: StateAnnouncement = {
      version: STATE_VERSION,
      heartbeat: ++this.heartbeat,
      delta: carries ? this.registry.deltaOf(this.self) : new Uint8Array(0),
      digest: this.registry.digest()
    }
    this.ownUnannounced = false
    try {
      await this.components.pubsub.publish(STATE_TOPIC, StateAnnouncement.encode(msg))
      this.stats.announcementsOut++
    } catch (err) {
      this.ownUnannounced ||= carries
      this.log('announce failed: %e', err)
    }
  }

  private sameAs (next: PeerStateInput): boolean {
    const a = PeerState.encode({ ...this.own, version: STATE_VERSION })
    const b = PeerState.encode({ ...next, version: STATE_VERSION })
    return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
  }

  private writeOwn (): void {
    if (this.registry.get(this.self) === undefined) this.live = undefined // this peer joins livePeers()
    this.registry.set(this.self, PeerState.encode({ ...this.own, version: STATE_VERSION }))
    this.ownUnannounced = true
    this.changed([this.self])
  }

  private tick (): void {
    this.stats.heartbeats++
    // load rides on the heartbeat after it changed (updateLoad); nothing else is announced unchanged
    if (this.ownUnannounced) void this.announce()
    const now = Date.now()
    // A late tick means this peer's event loop stalled and it read nothing either: that
    // time is not the peers' silence. Without this, a loaded host declares live peers gone.
    const stalled = this.lastTickAt === undefined ? 0 : Math.max(0, now - this.lastTickAt - this.heartbeatMs)
    this.lastTickAt = now
    this.stats.stalledMs += stalled
    this.view.tick(now, stalled, this.beats?.directPeers() ?? [])
    if (this.beats !== undefined) {
      this.ownBeat = Math.max(this.ownBeat + 1, now)
      this.beats.tick()
    }
  }

  /** Members only: a beat can name a peer before its registry entry arrives (see changed()). */
  private transition (peerId: string, live: boolean): void {
    if (live) {
      if (this.registry.get(peerId) === undefined || this.reportedLive.has(peerId)) return
      this.reportedLive.add(peerId)
      this.live = undefined
      this.safeDispatchEvent('peer:live', { detail: { peerId } })
      return
    }
    if (!this.reportedLive.delete(peerId)) return
    this.live = undefined
    this.stats.peersGone++
    this.log('peer %s gone', peerId)
    this.safeDispatchEvent('peer:gone', { detail: { peerId } })
  }

  /** Runs inside gossipsub before forwarding: invalid announcements are neither relayed nor merged. */
  private readonly validate = (_from: PeerId, msg: Message): TopicValidatorResult => {
    try {
      if (msg.type !== 'signed') throw new InvalidMessageError('StateAnnouncement: unsigned')
      const ann = decodeAnnouncement(msg.data)
      const origin = msg.from.toString()
      // dry-run the merge on the origin's key only
      if (ann.delta.byteLength > 0) this.registry.merge(ann.delta, (key, value) => {
        if (key !== origin) throw new InvalidMessageError(`StateAnnouncement: entry for ${key} sent by ${origin}`)
        if (value === undefined) throw new InvalidMessageError('StateAnnouncement: deletes its own entry')
        decodePeerState(value)
        return true
      }, true)
      this.decoded.set(msg, ann)
      return TopicValidatorResult.Accept
    } catch (err) {
      this.invalid(msg.type === 'signed' ? msg.from.toString() : undefined, err)
      return TopicValidatorResult.Reject
    }
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    if (msg.topic !== STATE_TOPIC || msg.type !== 'signed') return
    const ann = this.decoded.get(msg)
    if (ann === undefined) return
    this.stats.announcementsIn++
    const origin = msg.from.toString()
    const changed = ann.delta.byteLength === 0 ? [] : this.registry.merge(ann.delta)
    if (changed.length > 0) this.changed(changed)
    this.view.announced(origin, Date.now())
  }

  private changed (peerIds: string[]): void {
    this.changedAt = Date.now()
    for (const peerId of peerIds) if (this.view.isLive(peerId)) this.transition(peerId, true)
    this.safeDispatchEvent('registry:change', { detail: { peerIds } })
  }

  /**
   * A digest that keeps differing means a lost delta or a healed partition:
   * repair it. While changes are still arriving (within a heartbeat of the
   * last) digests differ for a moment anyway: comparing then would start a
   * sync for every change that crosses a beat vector.
   */
  private checkDigest (peer: PeerId, digestPrefix: string): void {
    const key = peer.toString()
    if (Date.now() - this.changedAt < this.heartbeatMs) return
    if (this.registry.digest().startsWith(digestPrefix)) { this.mismatches.delete(key); return }
    const n = (this.mismatches.get(key) ?? 0) + 1
    if (n < DIGEST_MISMATCH_SYNC_AFTER) { this.mismatches.set(key, n); return }
    this.mismatches.delete(key)
    this.stats.digestSyncs++
    this.components.sync.syncWith(peer, { signal: AbortSignal.timeout(this.goneAfterMs) }).catch((err) => {
      this.log('digest sync with %p failed: %e', peer, err)
    })
  }

  private mergeRemote (update: Uint8Array): void {
    const changed = this.registry.merge(update, (key, value) => {
      if (value === undefined) throw new InvalidMessageError(`registry update deletes ${key}`)
      decodePeerState(value)
      // our own entry is authoritative here: a replica never rewrites it
      return !(key === this.self && this.member)
    })
    if (changed.length > 0) this.changed(changed)
  }

  private invalid (from: string | undefined, err: unknown): void {
    this.stats.invalidMessages++
    const reason = err instanceof Error ? err.message : String(err)
    this.log('invalid state message from %s: %s', from ?? 'unknown', reason)
    this.safeDispatchEvent('message:invalid', { detail: { from, reason } })
  }
}

export function emptyLoad (): Load {
  return { runningEdgeFunctions: 0, pipelines: 0, queuedBundles: 0, offloadClients: 0, cpuPermille: 0, memoryRssBytes: 0n }
}
