/**
 * The checkpoints capability of a peer: hosts stateful EF instances (host.ts), keeps
 * replica copies for others (replica-store.ts), consumes outputs (sink.ts), and
 * replicates the holders CRDT (who holds which (epoch, seq), which epoch is current)
 * by gossip plus anti-entropy. Request handling, failover and migration live in
 * handlers.ts, failover.ts and migration.ts; this file owns the state they share.
 */
import { TypedEventEmitter } from '@libp2p/interface'
import type { Message } from '@libp2p/interface'
import { CrdtStore, createMaxMap } from '../../crdt/index.js'
import {
  CHECKPOINT_ROLE, CHECKPOINT_TOPIC, CheckpointHolders, CheckpointNetwork, HOLDERS_DOCUMENT, claimWins,
  type InstanceDescriptor
} from '../../protocols/index.js'
import { EfRuntime, loadCatalogue, type Catalogue, type EfImage, type Sandbox } from '../../unikernels/index.js'
import type { EccoPeer } from '../peer.js'
import type { Log } from '../logger.js'
import type { CheckpointsConfig } from './config.js'
import { HostedInstance, type HostInit, type HostTuning, type InstanceStatus } from './host.js'
import { ReplicaStore } from './replica-store.js'
import { OutputSink, type SinkOutput } from './sink.js'
import { StatefulStage } from './stage-state.js'

export interface CheckpointsEvents {
  /** an output committed and released by an instance hosted here */
  'ef:output': CustomEvent<{ instance: string, epoch: number, seq: number, data: Uint8Array }>
  'ef:status': CustomEvent<{ instance: string, status: InstanceStatus, epoch: number }>
  /** this peer resumed an instance (failover or migration target) */
  'ef:resumed': CustomEvent<{ instance: string, epoch: number, cause: 'failover' | 'migration', seq: number, at: number }>
  /** an output accepted by this peer as sink (after dedup) */
  'sink:output': CustomEvent<SinkOutput>
}

export interface StartInstanceOptions {
  instance: string
  image: string
  sink?: string
  quorum?: number
  replicas?: number
  stepIntervalMs?: number
  /** Unimem values seeded before the first step (e.g. the counter's limit) */
  seed?: Record<string, bigint | number | string | Uint8Array>
}

const HOLDERS_FLUSH_MS = 100
const PREPARED_TTL_MS = 30_000

export class CheckpointService extends TypedEventEmitter<CheckpointsEvents> {
  readonly peer: EccoPeer
  readonly config: CheckpointsConfig
  readonly log: Log
  readonly self: string
  readonly network: CheckpointNetwork
  readonly holders = new CheckpointHolders()
  readonly replicas: ReplicaStore
  readonly sink: OutputSink
  readonly hosted = new Map<string, HostedInstance>()
  readonly prepared = new Map<string, { sandbox: Promise<Sandbox>, timer: ReturnType<typeof setTimeout> }>()
  readonly resuming = new Set<string>()
  /** image hashes with a warm boot in flight */
  private readonly warming = new Set<string>()
  readonly tuning: HostTuning = { maxStepsBetweenCheckpoints: 16, maxOutbox: 1024, retryMs: 200, requestTimeoutMs: 2000 }
  readonly counters = { stored: 0, fenced: 0, failovers: 0, migrationsIn: 0, migrationsOut: 0, released: 0 }
  runtime!: EfRuntime
  catalogue!: Catalogue
  draining = false
  /** when open() ran (performance.now()) */
  openedAt = 0
  private readonly crdtStore: CrdtStore
  private holdersDirty = new Set<string>()
  private holdersTimer?: ReturnType<typeof setTimeout>
  private stopped = false

  constructor (peer: EccoPeer, config: CheckpointsConfig) {
    super()
    this.peer = peer
    this.config = config
    this.log = peer.log.child('checkpoints')
    this.self = peer.peerId.toString()
    this.network = new CheckpointNetwork({
      libp2p: peer.libp2p,
      addressesOf: (id) => peer.libp2p.services.state.getEntry(id)?.state.multiaddrs ?? []
    }, { timeoutMs: 5000 })
    const db = peer.store.sub('checkpoints')
    this.replicas = new ReplicaStore(db)
    this.crdtStore = new CrdtStore({ db })
    this.sink = new OutputSink(db, (o) => { this.safeDispatchEvent('sink:output', { detail: o }) })
  }

  async open (): Promise<void> {
    this.openedAt = performance.now()
    this.catalogue = await loadCatalogue(this.config.catalogue === undefined ? {} : { dir: this.config.catalogue })
    this.runtime = new EfRuntime({ log: (msg, fields) => { this.log.debug(msg, fields) } }, { idleWorkers: 1, maxWorkers: this.config.maxWorkers })
    await this.runtime.start()
    // loaded into a fresh map, then merged: merging the holders' own map into itself changes
    // nothing, so who holds what and the current epochs were not indexed after a restart
    // (a restarted host attached its stage to empty state, at the epoch it held before)
    const stored = createMaxMap()
    await this.crdtStore.load(HOLDERS_DOCUMENT, stored)
    this.holders.mergeBytes(stored.encodeState())
    // on disk already
    this.holders.map.clearDirty()
    await this.replicas.open()
    await this.sink.open()
    const { pubsub, sync, state } = this.peer.libp2p.services
    pubsub.addEventListener('message', this.onGossip)
    pubsub.subscribe(CHECKPOINT_TOPIC)
    sync.register({
      name: HOLDERS_DOCUMENT,
      summary: () => this.holders.map.encodeSummary(),
      diff: (s) => this.holders.map.diffBytes(s) ?? new Uint8Array(0),
      apply: (update) => { this.mergeHolders(update) }
    })
    this.setRole(true)
    void state
  }

  async close (): Promise<void> {
    this.stopped = true
    clearTimeout(this.holdersTimer)
    const { pubsub, sync } = this.peer.libp2p.services
    pubsub.removeEventListener('message', this.onGossip)
    if (pubsub.getTopics().includes(CHECKPOINT_TOPIC)) pubsub.unsubscribe(CHECKPOINT_TOPIC)
    sync.unregister(HOLDERS_DOCUMENT)
    for (const h of this.hosted.values()) await h.finish('stopped')
    for (const [instance, p] of this.prepared) { clearTimeout(p.timer); void p.sandbox.then(async (s) => { await s.stop() }, () => {}); this.prepared.delete(instance) }
    await this.crdtStore.save(HOLDERS_DOCUMENT, this.holders.map).catch(() => {})
    await this.replicas.flushed()
    await this.runtime.stop()
  }

  /** Advertise (or withdraw, when draining) the checkpoint role in the registry. */
  setRole (on: boolean): void {
    const { state } = this.peer.libp2p.services
    const roles = state.getEntry(this.self)?.state.roles ?? []
    const next = on ? [...new Set([...roles, CHECKPOINT_ROLE])] : roles.filter((r) => r !== CHECKPOINT_ROLE)
    state.updateState({ roles: next })
  }

  isLive (peer: string): boolean {
    return peer === this.self || this.peer.libp2p.services.state.isLive(peer)
  }

  /** Live peers that store checkpoints and have room for another EF, other than this one. */
  replicaCandidates (): string[] {
    let registry: ReturnType<EccoPeer['libp2p']['services']['state']['getRegistry']>
    try {
      registry = this.peer.libp2p.services.state.getRegistry()
    } catch (err) {
      // a registry entry that does not decode must not crash the timers that ask (seen under load: "invalid wire type")
      this.log.warn('registry unreadable', { error: err })
      return []
    }
    return registry
      .filter((e) => e.live && e.peerId !== this.self && e.state.roles.includes(CHECKPOINT_ROLE))
      .filter((e) => (e.state.capacity?.maxEdgeFunctions ?? 1) > (e.state.load?.runningEdgeFunctions ?? 0))
      .map((e) => e.peerId)
  }

  image (descriptor: InstanceDescriptor): EfImage {
    const image = this.catalogue.get(descriptor.imageName)
    const hash = Buffer.from(descriptor.imageHash).toString('hex')
    if (image.manifest.hash !== hash) throw new Error(`image ${descriptor.imageName}: catalogue has ${image.manifest.hash.slice(0, 12)}, instance needs ${hash.slice(0, 12)}`)
    return image
  }

  /**
   * Keeps one booted sandbox of the image ready (runtime warm pool), so a failover or
   * migration to this peer resumes without compiling or spawning a worker.
   */
  warm (descriptor: InstanceDescriptor): void {
    try {
      const image = this.image(descriptor)
      if (this.warming.has(image.manifest.hash) || (this.runtime.stats().warm[image.manifest.name] ?? 0) > 0) return
      this.warming.add(image.manifest.hash)
      void this.runtime.prewarm(image, 1).catch(() => {}).finally(() => { this.warming.delete(image.manifest.hash) })
    } catch (err) {
      this.log.warn('cannot warm image', { image: descriptor.imageName, error: err })
    }
  }

  /** A sandbox for the instance: the one a PREPARE booted, or a fresh one. */
  async sandboxFor (descriptor: InstanceDescriptor): Promise<Sandbox> {
    const p = this.prepared.get(descriptor.instance)
    if (p !== undefined) {
      clearTimeout(p.timer)
      this.prepared.delete(descriptor.instance)
      return await p.sandbox
    }
    return await this.runtime.boot(this.image(descriptor))
  }

  prepare (descriptor: InstanceDescriptor): void {
    if (this.prepared.has(descriptor.instance)) return
    const sandbox = this.runtime.boot(this.image(descriptor))
    sandbox.catch(() => {})
    const timer = setTimeout(() => {
      this.prepared.delete(descriptor.instance)
      void sandbox.then(async (s) => { await s.stop() }, () => {})
    }, PREPARED_TTL_MS)
    timer.unref?.()
    this.prepared.set(descriptor.instance, { sandbox, timer })
  }

  /** Starts hosting `descriptor` at `epoch` from a sandbox already at the right state. */
  host (descriptor: InstanceDescriptor, epoch: number, sandbox: Sandbox, from?: Omit<HostInit, 'descriptor' | 'epoch' | 'sandbox'>): HostedInstance {
    this.claim(descriptor.instance, epoch)
    const h = new HostedInstance({
      self: this.self,
      network: this.network,
      replicaCandidates: () => this.replicaCandidates(),
      isLive: (p) => this.isLive(p),
      log: (msg, fields) => { this.log.warn(msg, fields) },
      onRelease: (o) => { this.counters.released++; this.safeDispatchEvent('ef:output', { detail: o }) },
      deliverLocal: async (instance, e, outputs) => await this.sink.accept(instance, e, outputs, this.self),
      onStatus: (instance, status, e) => {
        if (status !== 'running' && status !== 'suspended' && this.hosted.get(instance) === h) this.hosted.delete(instance)
        if (status === 'fenced') this.counters.fenced++
        this.updateLoad()
        this.safeDispatchEvent('ef:status', { detail: { instance, status, epoch: e } })
      }
    }, this.tuning, { ...from, descriptor, epoch, sandbox })
    const old = this.hosted.get(descriptor.instance)
    if (old !== undefined && old !== h) void old.finish('fenced')
    this.hosted.set(descriptor.instance, h)
    h.start()
    this.updateLoad()
    return h
  }

  async startInstance (o: StartInstanceOptions): Promise<HostedInstance> {
    if (this.draining) throw new Error('peer is draining')
    const current = this.holders.current(o.instance)
    if (current !== undefined || this.hosted.has(o.instance)) throw new Error(`instance ${o.instance} exists (epoch ${current?.epoch ?? '?'} on ${current?.host ?? this.self})`)
    const image = this.catalogue.get(o.image)
    const descriptor: InstanceDescriptor = {
      instance: o.instance,
      imageName: image.manifest.name,
      imageHash: Uint8Array.from(Buffer.from(image.manifest.hash, 'hex')),
      sink: o.sink ?? '',
      quorum: o.quorum ?? this.config.quorum,
      replicas: o.replicas ?? this.config.replicas,
      stepIntervalMs: o.stepIntervalMs ?? this.config.stepIntervalMs,
      names: []
    }
    const sandbox = await this.runtime.boot(image)
    if (o.seed !== undefined) await sandbox.seed(Object.fromEntries(Object.entries(o.seed).map(([k, v]) => [k, typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v])))
    return this.host(descriptor, 1, sandbox)
  }

  /** The checkpointed state of a stateful pipeline stage instance hosted here. */
  stageState (pipelineId: string, stage: string, slot: number, image: EfImage): StatefulStage {
    return new StatefulStage(this, `${pipelineId}/${stage}.${slot}`, image)
  }

  /** Records a host claim for (instance, epoch), ours by default, and spreads it. */
  claim (instance: string, epoch: number, peer = this.self): void {
    this.holders.claimHost(instance, peer, epoch)
    this.markHolders(`h|${instance}|${peer}`)
    if (peer !== this.self) this.fenceIfSuperseded(instance)
  }

  /**
   * Stops our copy when another peer's claim beats it, ties included (two holders that
   * both resumed at the same epoch): once the winning claim is indexed here, a later
   * gossip of it changes nothing, so the check cannot wait for mergeHolders.
   */
  fenceIfSuperseded (instance: string): void {
    const h = this.hosted.get(instance)
    const c = this.holders.current(instance)
    if (h !== undefined && c !== undefined && c.host !== this.self && claimWins(c, { epoch: h.epoch, host: this.self })) h.fence(c.epoch)
  }

  recordHeld (instance: string, peer: string, epoch: number, seq: number): void {
    this.holders.recordHeld(instance, peer, epoch, seq)
    this.markHolders(`r|${instance}|${peer}`)
  }

  private markHolders (key: string): void {
    this.holdersDirty.add(key)
    if (this.holdersTimer !== undefined || this.stopped) return
    this.holdersTimer = setTimeout(() => { this.flushHolders() }, HOLDERS_FLUSH_MS)
  }

  /** One gossip message and one atomic save per flush window, not per checkpoint. */
  private flushHolders (): void {
    this.holdersTimer = undefined
    const keys = [...this.holdersDirty]
    this.holdersDirty.clear()
    const entries = keys.flatMap((key) => { const value = this.holders.map.get(key); return value === undefined ? [] : [{ key, value }] })
    if (entries.length === 0 || this.stopped) return
    const bytes = this.holders.map.encodeDelta({ entries })
    this.peer.libp2p.services.pubsub.publish(CHECKPOINT_TOPIC, bytes).catch(() => {})
    this.crdtStore.save(HOLDERS_DOCUMENT, this.holders.map).catch((err: Error) => { this.log.error('holders save failed', { error: err }) })
  }

  private readonly onGossip = (evt: CustomEvent<Message>): void => {
    if (evt.detail.topic !== CHECKPOINT_TOPIC) return
    try {
      this.mergeHolders(evt.detail.data)
    } catch (err) {
      this.log.debug('bad holders delta', { error: err })
    }
  }

  /** Merges remote holders state; a host that learns of a newer epoch stops its copy. */
  mergeHolders (bytes: Uint8Array): void {
    const changed = this.holders.mergeBytes(bytes)
    if (changed.length > 0) this.crdtStore.save(HOLDERS_DOCUMENT, this.holders.map).catch(() => {})
    for (const instance of changed) this.fenceIfSuperseded(instance)
  }

  private updateLoad (): void {
    this.peer.libp2p.services.state.updateLoad({ runningEdgeFunctions: [...this.hosted.values()].filter((h) => h.status === 'running').length })
  }
}
