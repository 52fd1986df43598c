/**
 * The Nimbus offload capability of a peer (enabled by a `nimbus:` config section). Every such
 * peer is an EN with a reservation table; a T1 is also a gateway for mobile devices; the slice
 * solver and the stage-2 solver roles follow the deterministic rule of protocols/offload over
 * the registry, so they move by themselves when a solver is declared gone (or cannot be reached).
 */
import { TypedEventEmitter, type Connection, type Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  askOffload, electSliceSolver, electStage2Solver, encodeGeohash, enInfo, membersFromRegistry, NoSolverError, OFFLOAD_PROTOCOL,
  OffloadMessage, OffloadRefusal, resolveOptions, ROLE_GATEWAY, ROLE_MEMBER, ROLE_PREFIX, ROLE_SLICE_PREFIX, sliceKey, solverRoles, tierName,
  type EnLoadSummary, type FitRequest, type NimbusMember
} from '../../protocols/index.js'
import type { PeerFeature } from '../features.js'
import type { Log } from '../logger.js'
import type { MetricFamily } from '../metrics.js'
import type { EccoPeer } from '../peer.js'
import type { NimbusConfig } from './config.js'
import { RESERVATION_SUBLEVEL, ROLE_DEBOUNCE_MS } from './constants.js'
import { GatewayBatcher } from './gateway.js'
import { OffloadHandlers } from './handlers.js'
import { LoadKnowledge } from './knowledge.js'
import { offloadMetrics } from './metrics.js'
import { ReservationTable } from './reservations.js'
import { solveStage, type ReserveReplyInput, type SolveInput, type SolveOutput, type SolverDeps } from './solver.js'
import { solveToWire, solutionFromWire } from './wire.js'
import { ReservationStore } from './store.js'

export interface NimbusOffloadEvents {
  /** the slice solver or the stage-2 solver changed in this peer's view */
  'solver:change': CustomEvent<{ slice: string, sliceSolver?: string, stage2Solver?: string }>
}

export interface OffloadStats {
  handshakes: number
  refusedHandshakes: number
  offers: { edge: number, cloud: number, local: number }
  solves: { 1: number, 2: number }
  solveMs: { 1: number, 2: number }
  confirmed: number
  refused: Record<string, number>
  releases: number
  solverFailovers: number
  invalidMessages: number
  /** reservations refused to this peer's solvers and retried */
  retried: number
}

export class NimbusOffload extends TypedEventEmitter<NimbusOffloadEvents> implements PeerFeature {
  readonly name = 'nimbus'
  readonly config: NimbusConfig
  readonly peer: EccoPeer
  readonly self: string
  readonly slice: string
  readonly gateway: boolean
  readonly table: ReservationTable
  readonly knowledge: LoadKnowledge
  readonly batcher: GatewayBatcher
  readonly log: Log
  readonly stats: OffloadStats = {
    handshakes: 0, refusedHandshakes: 0, offers: { edge: 0, cloud: 0, local: 0 }, solves: { 1: 0, 2: 0 }, solveMs: { 1: 0, 2: 0 },
    confirmed: 0, refused: {}, releases: 0, solverFailovers: 0, invalidMessages: 0, retried: 0
  }

  private readonly store: ReservationStore
  private readonly handlers: OffloadHandlers
  private readonly queues: Record<1 | 2, Promise<unknown>> = { 1: Promise.resolve(), 2: Promise.resolve() }
  private readonly controller = new AbortController()
  private roleTimer?: ReturnType<typeof setTimeout>
  private sweepTimer?: ReturnType<typeof setInterval>
  private solvers: { sliceSolver?: string, stage2Solver?: string } = {}
  private started = false

  constructor (peer: EccoPeer, config: NimbusConfig) {
    super()
    this.peer = peer
    this.config = config
    this.self = peer.peerId.toString()
    this.log = peer.log.child('offload')
    const cell = encodeGeohash(peer.config.position, peer.config.cellPrecision)
    this.slice = sliceKey(config.slice, { cell, tier: peer.config.tier })
    this.gateway = config.gateway ?? peer.config.tier === 1
    this.table = new ReservationTable(enInfo(this.self, peer.config.tier, config.tiers[tierName(peer.config.tier)]), {
      leaseMs: config.leaseMs, maxLeaseMs: config.maxLeaseMs, energyPerMs: resolveOptions(config.solver).wifiEnergyPerMs
    })
    this.knowledge = new LoadKnowledge(config.loadFreshMs ?? 2 * peer.config.heartbeatMs)
    this.store = new ReservationStore(peer.store.db.sublevel<string, Uint8Array>(RESERVATION_SUBLEVEL, { valueEncoding: 'view' }), (err) => {
      this.log.error('reservation store failed', { error: err })
    })
    this.batcher = new GatewayBatcher({
      self: this.self,
      position: peer.config.position,
      config,
      solve: async (input, signal) => await this.routeSolve({ ...input, slice: this.slice }, 1, signal)
    })
    this.handlers = new OffloadHandlers(this)
  }

  async start (): Promise<void> {
    this.table.restore(await this.store.load())
    const { state } = this.peer.libp2p.services
    await this.peer.libp2p.handle(OFFLOAD_PROTOCOL, ({ stream, connection }) => { this.onStream(stream, connection) }, {
      maxInboundStreams: this.config.maxInboundStreams, maxOutboundStreams: this.config.maxInboundStreams
    })
    state.addEventListener('registry:change', this.scheduleRoles)
    state.addEventListener('peer:live', this.scheduleRoles)
    state.addEventListener('peer:gone', this.onGone)
    this.sweepTimer = setInterval(() => { void this.sweep() }, this.peer.config.heartbeatMs)
    this.sweepTimer.unref?.()
    this.started = true
    this.publishLoad()
    this.refreshRoles()
  }

  async stop (): Promise<void> {
    this.started = false
    this.controller.abort(new Error('offload stopping'))
    clearTimeout(this.roleTimer)
    clearInterval(this.sweepTimer)
    const { state } = this.peer.libp2p.services
    state.removeEventListener('registry:change', this.scheduleRoles)
    state.removeEventListener('peer:live', this.scheduleRoles)
    state.removeEventListener('peer:gone', this.onGone)
    await this.batcher.stop()
    await this.peer.libp2p.unhandle(OFFLOAD_PROTOCOL)
    await Promise.allSettled([this.queues[1], this.queues[2]])
    await this.store.flushed()
  }

  /** Nimbus members in this peer's registry view, by PeerId. */
  members (): NimbusMember[] {
    return membersFromRegistry(this.peer.libp2p.services.state.getRegistry())
  }

  sliceSolver (): string | undefined { return electSliceSolver(this.members(), this.slice) }
  stage2Solver (): string | undefined { return electStage2Solver(this.members()) }

  private readonly onGone = (evt: CustomEvent<{ peerId: string }>): void => {
    this.knowledge.forget(evt.detail.peerId)
    this.scheduleRoles()
  }

  private readonly scheduleRoles = (): void => {
    if (!this.started || this.roleTimer !== undefined) return
    this.roleTimer = setTimeout(() => { this.roleTimer = undefined; this.refreshRoles() }, ROLE_DEBOUNCE_MS)
    this.roleTimer.unref?.()
  }

  /** Publish our role tags, and report when a solver role moved. */
  private refreshRoles (again = true): void {
    if (!this.started) return
    const { state } = this.peer.libp2p.services
    const base = [ROLE_MEMBER, `${ROLE_SLICE_PREFIX}${this.slice}`, ...(this.gateway ? [ROLE_GATEWAY] : [])]
    const current = state.getEntry(this.self)?.state.roles ?? []
    // our own entry must carry the base roles before the election can count us
    const members = current.includes(ROLE_MEMBER) ? this.members() : []
    const next = [...current.filter((r) => !r.startsWith(ROLE_PREFIX)), ...base, ...solverRoles(members, this.self)]
    if (next.join('\n') !== current.join('\n')) {
      state.updateState({ roles: next })
      // once more, now that our own entry counts us as a member
      if (!current.includes(ROLE_MEMBER) && again) { this.refreshRoles(false); return }
    }
    const solvers = { sliceSolver: electSliceSolver(members, this.slice), stage2Solver: electStage2Solver(members) }
    if (solvers.sliceSolver !== this.solvers.sliceSolver || solvers.stage2Solver !== this.solvers.stage2Solver) {
      this.log.info('nimbus solvers', { slice: this.slice, sliceSolver: solvers.sliceSolver, stage2Solver: solvers.stage2Solver, previous: this.solvers })
      this.solvers = solvers
      this.safeDispatchEvent('solver:change', { detail: { slice: this.slice, ...solvers } })
    }
  }

  private publishLoad (): void {
    this.peer.libp2p.services.state.updateLoad({ offloadClients: this.table.size })
  }

  private async sweep (): Promise<void> {
    this.batcher.expire()
    const gone = this.table.expire()
    if (gone.length === 0) return
    this.publishLoad()
    await this.store.apply([], gone.map((r) => r.device))
  }

  /** EN role: confirm or refuse, persist the confirmed, publish the new load. */
  async reserveLocal (holder: string, candidates: FitRequest[]): Promise<ReserveReplyInput> {
    const outcome = this.table.reserve(holder, candidates)
    for (const v of outcome.verdicts) {
      if (v.ok) { this.stats.confirmed++; continue }
      const k = v.reason ?? OffloadRefusal.NONE
      this.stats.refused[k] = (this.stats.refused[k] ?? 0) + 1
    }
    if (outcome.added.length > 0) this.publishLoad()
    await this.store.apply(outcome.added, [])
    return { verdicts: outcome.verdicts, summary: outcome.summary }
  }

  async releaseLocal (device: string, by: string): Promise<boolean> {
    if (!this.table.release(device, by, this.self)) return false
    this.stats.releases++
    this.publishLoad()
    await this.store.apply([], [device])
    return true
  }

  private async exclusive<T> (stage: 1 | 2, fn: () => Promise<T>): Promise<T> {
    const run = this.queues[stage].then(fn, fn)
    this.queues[stage] = run.catch(() => {})
    return await run
  }

  private solverDeps (): SolverDeps {
    return {
      self: this.self,
      config: this.config,
      members: () => this.members(),
      knowledge: this.knowledge,
      unreachableMs: this.peer.config.heartbeatMs * this.peer.config.goneAfterHeartbeats,
      reserve: async (en, candidates, signal) => await this.reserveOn(en, candidates, signal),
      stage2: async (input, signal) => await this.routeSolve(input, 2, signal),
      exclusive: async (stage, fn) => await this.exclusive(stage, fn),
      abandon: (en, devices) => { this.abandon(en, devices) }
    }
  }

  /** Run a stage on this peer. */
  async solveLocally (input: SolveInput, signal?: AbortSignal): Promise<SolveOutput> {
    const t0 = performance.now()
    const out = await solveStage(this.solverDeps(), input, signal)
    this.stats.solves[input.stage]++
    this.stats.solveMs[input.stage] += performance.now() - t0
    this.stats.retried += out.refusals
    return out
  }

  /**
   * Send a stage to its solver under the rule; a solver that fails is left out and the rule
   * names the next one (the role moves before the registry declares the solver gone).
   */
  async routeSolve (input: SolveInput, stage: 1 | 2, signal?: AbortSignal): Promise<SolveOutput> {
    const exclude = new Set<string>()
    for (;;) {
      const members = this.members()
      const target = stage === 1 ? electSliceSolver(members, input.slice, exclude) : electStage2Solver(members, exclude)
      if (target === undefined || target === this.self) {
        if (target === undefined && !members.some((m) => m.peerId === this.self)) throw new NoSolverError(`no live solver for ${stage === 1 ? `slice ${input.slice}` : 'stage 2'}`)
        return await this.solveLocally({ ...input, stage }, signal)
      }
      try {
        const reply = await this.call(target, { kind: OffloadMessage.Kind.SOLVE, solve: solveToWire({ ...input, stage }) }, OffloadMessage.Kind.SOLUTION, this.config.solveTimeoutMs, signal)
        return solutionFromWire(reply.solution)
      } catch (err) {
        if (signal?.aborted === true || this.controller.signal.aborted) throw err
        exclude.add(target)
        this.stats.solverFailovers++
        this.log.warn('solver unreachable, trying the next by rule', { stage, slice: input.slice, solver: target, error: err })
      }
    }
  }

  private async reserveOn (en: NimbusMember, candidates: FitRequest[], signal?: AbortSignal): Promise<ReserveReplyInput> {
    if (en.peerId === this.self) return await this.reserveLocal(this.self, candidates)
    const reply = await this.call(en.peerId, { kind: OffloadMessage.Kind.RESERVE, reserve: { candidates } }, OffloadMessage.Kind.RESERVE_REPLY, this.config.reserveTimeoutMs, signal)
    const r = reply.reserveReply
    const summary: EnLoadSummary = r?.summary ?? { count: 0, maxNetworkMs: Number.NEGATIVE_INFINITY, maxNetworkEpsT: Number.POSITIVE_INFINITY, minSlackMs: Number.POSITIVE_INFINITY }
    return { verdicts: r?.verdicts ?? [], summary }
  }

  private abandon (en: NimbusMember, devices: string[]): void {
    for (const device of devices) {
      this.call(en.peerId, { kind: OffloadMessage.Kind.RELEASE, release: { device, en: en.peerId } }, OffloadMessage.Kind.RELEASE_ACK, this.config.reserveTimeoutMs)
        .catch((err) => { this.log.debug('abandon release failed', { en: en.peerId, device, error: err }) })
    }
  }

  /** One request/response with `peerId` over /ecco/offload/1.0.0. */
  async call (peerId: string, msg: Omit<OffloadMessage, 'version'>, expect: OffloadMessage.Kind, timeoutMs: number, signal?: AbortSignal): Promise<OffloadMessage> {
    const deadline = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.controller.signal, ...(signal === undefined ? [] : [signal])])
    const id = peerIdFromString(peerId)
    const libp2p = this.peer.libp2p
    const addrs = libp2p.getConnections(id).length > 0 ? [] : (this.members().find((m) => m.peerId === peerId)?.multiaddrs ?? [])
    const stream = await libp2p.dialProtocol(addrs.length > 0 ? addrs.map((a) => multiaddr(a)) : id, OFFLOAD_PROTOCOL, { signal: deadline })
    return await askOffload(stream, msg, expect, { timeoutMs, signal: deadline })
  }

  private onStream (stream: Stream, connection: Connection): void {
    this.handlers.handle(stream, connection.remotePeer.toString()).catch((err) => {
      this.log.debug('offload stream failed', { from: connection.remotePeer.toString(), error: err })
    })
  }

  get shutdownSignal (): AbortSignal { return this.controller.signal }

  routes (): Record<string, () => unknown> {
    return { '/offload': () => this.view() }
  }

  metrics (): MetricFamily[] {
    return offloadMetrics(this)
  }

  view (): Record<string, unknown> {
    return {
      peerId: this.self,
      tier: this.peer.config.tier,
      slice: this.slice,
      gateway: this.gateway,
      sliceSolver: this.sliceSolver(),
      stage2Solver: this.stage2Solver(),
      members: this.members().filter((m) => m.live).length,
      roles: this.peer.libp2p.services.state.getEntry(this.self)?.state.roles ?? [],
      profile: this.table.en,
      inferenceMs: this.table.inferenceMs(),
      summary: this.table.summary(),
      reservations: this.table.list(),
      attached: this.batcher.attached.size,
      stats: this.stats
    }
  }
}

/** PeerFeatureFactory: enabled by a `nimbus:` config section. */
export function nimbusOffload (peer: EccoPeer): NimbusOffload | undefined {
  const config = peer.config.sections.nimbus as NimbusConfig | undefined
  return config === undefined ? undefined : new NimbusOffload(peer, config)
}
