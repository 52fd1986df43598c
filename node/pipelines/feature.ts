/**
 * The pipelines feature: composes the book (descriptors, commands, bids), the
 * image store, the persisted queues, the bundle transport, the EF runtime and
 * one PipelineRunner per pipeline, and enforces capacity by priority.
 */
import { TypedEventEmitter } from '@libp2p/interface'
import {
  BID_DOCUMENT, computePlacement, DESCRIPTOR_DOCUMENT, PIPELINE_CONTROL_PROTOCOL, PipelineState,
  type Bundle, type HostCapabilities, type PipelineDescriptor, type PipelineStatus, type SignedCommand, type SignedDescriptor
} from '../../protocols/index.js'
import { EfRuntime, SensorAccessController, type SensorConfig } from '../../unikernels/index.js'
import type { PeerFeature } from '../features.js'
import { counter, gauge, type MetricFamily } from '../metrics.js'
import type { EccoPeer } from '../peer.js'
import type { Log } from '../logger.js'
import { PipelineBook } from './book.js'
import { DEFAULT_PIPELINES_CONFIG, PIPELINES_SECTION, type PipelinesConfig } from './config.js'
import type { RunnerContext } from './context.js'
import { startControl } from './control.js'
import type { PipelinesEvents } from './events.js'
import { ImageStore } from './images.js'
import { BundleQueues, type OutboundEntry } from './queues.js'
import { PipelineRunner } from './runner.js'
import { BundleTransport } from './transport.js'

const PRUNE_INTERVAL_MS = 10_000
const SYNC_INTERVAL_MS = 3000
/** neighbours each peer exchanges bids with at the end of a bid window */
const BID_SYNC_PEERS = 6

/** Config sensor types to the SAC's emulated drivers. */
function sacSensors (peer: EccoPeer): SensorConfig[] {
  const out: SensorConfig[] = []
  for (const s of peer.config.sensors) {
    if (s.type === 'humidity') out.push({ id: s.id, type: 'relative-humidity' })
    else if (s.type === 'occupancy') out.push({ id: s.id, type: 'parking-occupancy' }, { id: `${s.id}-loop`, type: 'loop-occupancy' })
    else if (s.type === 'radar' || s.type === 'lidar') continue
    else out.push({ id: s.id, type: s.type })
  }
  return out
}

export class PipelinesFeature extends TypedEventEmitter<PipelinesEvents> implements PeerFeature {
  readonly name = 'pipelines'
  readonly config: PipelinesConfig
  readonly runners = new Map<string, PipelineRunner>()
  readonly goneSet = new Set<string>()
  book!: PipelineBook
  images!: ImageStore
  queues!: BundleQueues
  transport!: BundleTransport
  runtime!: EfRuntime
  sac!: SensorAccessController
  private peer!: EccoPeer
  private log!: Log
  private ctx!: RunnerContext
  private pruneTimer?: ReturnType<typeof setInterval>
  private syncTimer?: ReturnType<typeof setInterval>
  private readonly listening = new AbortController()

  constructor (config: PipelinesConfig) {
    super()
    this.config = config
  }

  async start (peer: EccoPeer): Promise<void> {
    this.peer = peer
    this.log = peer.log.child('pipelines')
    this.sac = new SensorAccessController({}, { sensors: sacSensors(peer), seed: hashSeed(peer.config.name ?? peer.peerId.toString()) })
    this.runtime = new EfRuntime({ sac: this.sac, log: (msg, fields) => { this.log.debug(msg, fields) } }, { idleWorkers: this.config.idleWorkers, maxWorkers: 64 })
    await this.runtime.start()
    this.queues = new BundleQueues(peer.store.sub('queues'))
    this.images = new ImageStore(peer, peer.store.sub('images'), this.config.catalogueDir)
    await this.images.start()
    this.book = new PipelineBook(peer, this.config.trustedIssuers)
    this.transport = new BundleTransport(peer, this.queues, async (b, key) => this.accept(b, key), this.config.retainMs > 0)
    this.ctx = this.context()
    const { state } = peer.libp2p.services
    const own = state.getEntry(peer.peerId.toString())?.state.roles ?? []
    state.updateState({ roles: [...new Set([...own, 'pipelines', ...this.config.roles])] })
    this.listen()
    await this.book.start()
    this.book.replay()
    await this.transport.start()
    await startControl(peer, { submit: async (s) => this.submit(s), command: async (c) => this.command(c), statuses: (id) => this.statuses(id) })
    this.pruneTimer = setInterval(() => {
      this.queues.prune(this.config.retainMs).catch(() => {})
      // a pump only wakes on a commit, a re-target or peer:live: once the sources stop, a pump that
      // ended on an error would leave its queue behind for good (chaos: bundles queued for a live host)
      this.queues.targets().then((ts) => { for (const t of ts) this.transport.kick(t) }).catch(() => {})
    }, PRUNE_INTERVAL_MS)
    this.pruneTimer.unref?.()
    // gossip can miss a peer (mesh not formed yet, a relay down): a periodic anti-entropy
    // round with one random neighbour repairs descriptors and bids without a new connection
    this.syncTimer = setInterval(() => {
      const conns = peer.libp2p.getConnections()
      if (this.runners.size === 0 || conns.length === 0) return
      const c = conns[Math.floor(Math.random() * conns.length)]
      // only this feature's documents: the registry repairs itself by digest (state beats)
      peer.libp2p.services.sync.syncWith(c.remotePeer, { signal: AbortSignal.timeout(SYNC_INTERVAL_MS), documents: [DESCRIPTOR_DOCUMENT, BID_DOCUMENT] }).catch(() => {})
    }, SYNC_INTERVAL_MS)
    this.syncTimer.unref?.()
  }

  private listen (): void {
    const opts = { signal: this.listening.signal }
    this.book.addEventListener('descriptor', (e) => { this.adopt(e.detail.descriptor).catch((err: Error) => { this.log.warn('pipeline not adopted', { pipeline: e.detail.descriptor.id, error: err }) }) }, opts)
    this.book.addEventListener('stop', (e) => { this.runners.get(e.detail.pipelineId)?.end(PipelineState.STATE_STOPPED).catch(() => {}) }, opts)
    this.book.addEventListener('trigger', (e) => { this.runners.get(e.detail.command.pipelineId)?.trigger(e.detail.command.run, e.detail.command.payload) }, opts)
    this.book.addEventListener('bids', (e) => { for (const id of e.detail.pipelineIds) this.runners.get(id)?.replace() }, opts)
    this.book.addEventListener('rejected', (e) => { this.safeDispatchEvent('pipeline:rejected', { detail: e.detail }) }, opts)
    this.peer.addEventListener('peer:gone', (e) => { this.goneSet.add(e.detail.peerId); this.replaceAll() }, opts)
    this.peer.addEventListener('peer:live', (e) => {
      const was = this.goneSet.delete(e.detail.peerId)
      this.transport.kick(e.detail.peerId)
      if (was) this.replaceAll()
    }, opts)
  }

  private replaceAll (): void {
    for (const r of this.runners.values()) {
      r.replace()
      for (const i of r.instances.values()) i.recheck()
    }
  }

  private context (): RunnerContext {
    const self = this.peer.peerId.toString()
    return {
      peer: this.peer,
      log: this.log,
      config: this.config,
      book: this.book,
      queues: this.queues,
      images: this.images,
      runtime: this.runtime,
      capabilities: () => this.capabilities(),
      loadFraction: () => this.localInstances() / Math.max(1, this.peer.config.capacity.maxEdgeFunctions),
      hasRoomFor: (priority) => this.localInstances() < this.peer.config.capacity.maxEdgeFunctions ||
        [...this.runners.values()].some((r) => r.priority < priority && r.instances.size > 0),
      sources: () => [...new Set([...this.peer.libp2p.services.state.livePeers(), ...this.peer.libp2p.getConnections().map((c) => c.remotePeer.toString())])].filter((p) => p !== self),
      gone: () => this.goneSet,
      retarget: async (id, stage, from, to) => { await this.moveQueue(id, stage, from, to) },
      forward: async (id, moves) => await this.forward(id, moves),
      kick: (t) => { this.transport.kick(t) },
      isLocal: (key) => !this.transport.remote.has(key),
      decode: (bytes) => this.transport.decode(bytes),
      emit: (type, detail) => { this.safeDispatchEvent(type, { detail } as never) },
      capacityChanged: () => { this.enforceCapacity() },
      syncBids: async () => {
        const { sync } = this.peer.libp2p.services
        // a few neighbours at random, the bids only: every peer does this at the same moment, and taking
        // the first connections sent them all to the bootstrap peer with the whole registry each
        const peers = [...new Map(this.peer.libp2p.getConnections().map((c) => [c.remotePeer.toString(), c.remotePeer])).values()]
          .map((p) => ({ p, r: Math.random() })).sort((a, b) => a.r - b.r).slice(0, BID_SYNC_PEERS).map(({ p }) => p)
        await Promise.allSettled(peers.map(async (p) => { await sync.syncWith(p, { signal: AbortSignal.timeout(3000), documents: [BID_DOCUMENT] }) }))
      }
    }
  }

  capabilities (): HostCapabilities {
    const c = this.peer.config
    const roles = this.peer.libp2p.services.state.getEntry(this.peer.peerId.toString())?.state.roles ?? []
    return {
      peerId: this.peer.peerId.toString(),
      sensors: c.sensors.map((s) => s.type),
      radios: c.radios.map((r) => r.type),
      tier: c.tier,
      accelerator: c.capacity.accelerator ?? '',
      roles: [...new Set([...roles, ...this.config.roles])],
      memoryMb: c.capacity.memoryMb,
      lat: c.position.lat,
      lon: c.position.lon
    }
  }

  private localInstances (): number {
    let n = 0
    for (const r of this.runners.values()) n += r.instances.size
    return n
  }

  /** A full peer stops its lowest-priority stage instances and withdraws their bids. */
  private enforceCapacity (): void {
    const max = this.peer.config.capacity.maxEdgeFunctions
    const all = [...this.runners.values()].flatMap((r) => [...r.instances.keys()].map((k) => ({ r, k })))
    this.peer.libp2p.services.state.updateLoad({ runningEdgeFunctions: all.length, pipelines: this.runners.size })
    if (all.length <= max) return
    all.sort((a, b) => a.r.priority - b.r.priority || (a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0))
    const top = Math.max(...all.map((x) => x.r.priority))
    for (const v of all.slice(0, all.length - max)) {
      const inst = v.r.instances.get(v.k)
      if (inst === undefined) continue
      v.r.instances.delete(v.k)
      inst.stop().catch(() => {})
      v.r.withdraw(inst.stage.name).catch(() => {})
      this.log.info('stage preempted', { pipeline: v.r.id, stage: inst.stage.name, priority: v.r.priority, by: top })
      this.safeDispatchEvent('pipeline:preempted', { detail: { pipelineId: v.r.id, stage: inst.stage.name, by: top } })
    }
  }

  private async adopt (d: PipelineDescriptor): Promise<void> {
    const existing = this.runners.get(d.id)
    if (existing !== undefined) {
      if (existing.descriptor.issuedAtMs >= d.issuedAtMs) return
      await existing.halt()
    }
    const r = new PipelineRunner(this.ctx, d)
    this.runners.set(d.id, r)
    if (this.book.stopped(d.id)) { await r.end(PipelineState.STATE_STOPPED); return }
    await r.start()
  }

  /** A persisted inbound bundle: handed to its runner (if none yet, it waits in the queue). */
  private async accept (b: Bundle, key: string): Promise<'ok' | 'stopped'> {
    if (this.book.stopped(b.pipelineId)) return 'stopped'
    this.runners.get(b.pipelineId)?.deliver({ key, bundle: b })
    return 'ok'
  }

  private async forward (pipelineId: string, moves: OutboundEntry[]): Promise<OutboundEntry[]> {
    const moved = await this.queues.forward(moves)
    this.transport.stats.bundlesForwarded += moved.length
    const targets = new Set(moved.map((m) => m.target))
    if (moved.length > 0) this.log.info('stranded bundles handed on', { pipeline: pipelineId, bundles: moved.length, targets: [...targets] })
    for (const t of targets) this.transport.kick(t)
    return moved
  }

  private async moveQueue (pipelineId: string, stage: string, from: string, to: string): Promise<void> {
    if (to === this.peer.peerId.toString()) {
      // the slot moved here: a pump to ourselves would never deliver them
      const fresh = await this.queues.reclaim(pipelineId, stage, from)
      if (fresh.length > 0) this.log.info('queue reclaimed', { pipeline: pipelineId, stage, from, bundles: fresh.length })
      const r = this.runners.get(pipelineId)
      for (const e of fresh) r?.deliverEntry(e)
      return
    }
    const n = await this.queues.retarget(pipelineId, stage, from, to)
    if (n > 0) this.log.info('queue retargeted', { pipeline: pipelineId, stage, from, to, bundles: n })
    this.transport.kick(to)
  }

  // ---- public API ----

  /** Accepts a signed descriptor (as from `ecco-peer pipeline submit`). */
  async submit (signed: SignedDescriptor): Promise<PipelineDescriptor> { return await this.book.submit(signed) }

  /** A signed trigger or stop command. */
  async command (signed: SignedCommand): Promise<void> { await this.book.command(signed) }

  /**
   * Re-targets this peer's queued bundles for `stage` of `pipelineId` to
   * `newPeerId` (for migration of a stateful stage): everything queued or
   * retained for the stage's current hosts moves to the new host.
   */
  async retarget (pipelineId: string, stage: string, newPeerId: string): Promise<void> {
    const r = this.runners.get(pipelineId)
    const d = r?.descriptor ?? this.book.get(pipelineId)
    if (d === undefined) return
    const p = r?.placement ?? computePlacement(d, this.book.bidsOf(pipelineId), this.goneSet)
    for (const s of p.stages.get(stage) ?? []) {
      if (s.peer !== undefined && s.peer !== newPeerId) await this.moveQueue(pipelineId, stage, s.peer, newPeerId)
    }
  }

  status (id: string): PipelineStatus | undefined { return this.runners.get(id)?.status() }

  statuses (id?: string): PipelineStatus[] {
    return [...this.runners.values()].filter((r) => id === undefined || r.id === id).map((r) => r.status())
  }

  routes (): Record<string, () => unknown> {
    return {
      '/pipelines': () => ({
        pipelines: this.statuses(),
        runs: Object.fromEntries([...this.runners.values()].map((r) => [r.id, { started: r.started.toJSON(), completed: r.completed.toJSON() }])),
        transport: this.transport.stats,
        rejected: this.book.rejected,
        images: this.images.stats,
        duplicateInputs: [...this.runners.values()].reduce((n, r) => n + [...r.instances.values()].reduce((m, i) => m + i.duplicateInputs, 0), 0)
      })
    }
  }

  metrics (): MetricFamily[] {
    const st = [...this.runners.values()].map((r) => r.stats)
    const sum = (f: (s: PipelineRunner['stats']) => bigint): number => Number(st.reduce((n, s) => n + f(s), 0n))
    return [
      gauge('ecco_pipelines', 'Pipelines known to this peer', this.runners.size),
      gauge('ecco_pipeline_stage_instances', 'Stage instances running on this peer', this.localInstances()),
      counter('ecco_pipeline_runs_total', 'Runs by outcome on this peer', [
        { labels: { outcome: 'started' }, value: sum((s) => s.runsStarted) },
        { labels: { outcome: 'completed' }, value: sum((s) => s.runsCompleted) },
        { labels: { outcome: 'partial' }, value: sum((s) => s.runsPartial) },
        { labels: { outcome: 'degraded' }, value: sum((s) => s.runsDegraded) }
      ]),
      counter('ecco_pipeline_failures_total', 'Stage failures on this peer', sum((s) => s.failures)),
      counter('ecco_pipeline_rejected_total', 'Descriptors and commands rejected', Object.entries(this.book.rejected).map(([kind, value]) => ({ labels: { kind }, value }))),
      counter('ecco_bundles_total', 'Bundles by direction', [
        { labels: { direction: 'in' }, value: this.transport.stats.bundlesIn },
        { labels: { direction: 'out' }, value: this.transport.stats.bundlesOut },
        { labels: { direction: 'duplicate' }, value: this.transport.stats.duplicates },
        { labels: { direction: 'forwarded' }, value: this.transport.stats.bundlesForwarded }
      ])
    ]
  }

  async stop (): Promise<void> {
    clearInterval(this.pruneTimer)
    clearInterval(this.syncTimer)
    this.listening.abort()
    await this.peer.libp2p.unhandle(PIPELINE_CONTROL_PROTOCOL).catch(() => {})
    for (const r of this.runners.values()) await r.halt()
    await this.transport.stop()
    await this.book.stop()
    await this.images.stop()
    await this.runtime.stop()
  }
}

function hashSeed (s: string): number {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0
  return h
}

/**
 * The feature factory for DEFAULT_FEATURES: on when the peer config has a
 * `pipelines:` section.
 */
export function pipelinesFeature (peer: EccoPeer): PipelinesFeature | undefined {
  const section = peer.config.sections[PIPELINES_SECTION] as PipelinesConfig | undefined
  if (section === undefined) return undefined
  return new PipelinesFeature({ ...DEFAULT_PIPELINES_CONFIG, ...section })
}
