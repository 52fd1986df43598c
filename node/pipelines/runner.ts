/**
 * One pipeline on this peer (the thesis' pipeline processor and monitor):
 * bids for the stages it can host, waits out the bid window, computes the
 * placement every peer computes, runs its own stage instances, routes their
 * outputs as bundles, and re-places on every bid or liveness change
 * (failover: substitutes take gone peers' slots and upstream queues re-target).
 */
import {
  bidCost, bidKey, computePlacement, encodeBundle, Execution, followersOf, meetsNeeds, OutputTarget, PipelineState, Role,
  bundleKey, type Bundle, type HostCapabilities, type PipelineDescriptor, type Placement, type PipelineStatus, type Position, type Stage
} from '../../protocols/index.js'
import type { EfImage, Sandbox } from '../../unikernels/index.js'
import type { OutboundEntry, InboundEntry } from './queues.js'
import { CheckpointsFeature } from '../checkpoints/index.js'
import { StageInstance, type StageHost, type StageInput, type StageState, type StepOutcome } from './stage.js'
import type { RunnerContext } from './context.js'
import type { StepBundle } from './events.js'
import { RunLog } from './run-log.js'
import { StrandedForwarder } from './stranded.js'

const MAX_FAILURES_KEPT = 20
const MAX_IMAGE_RETRIES = 10
const IMAGE_RETRY_MS = 1000

export class PipelineRunner implements StageHost {
  readonly descriptor: PipelineDescriptor
  state: PipelineState = PipelineState.STATE_BIDDING
  placement?: Placement
  readonly instances = new Map<string, StageInstance>()
  readonly preempted = new Set<string>()
  readonly stats = { runsStarted: 0n, runsCompleted: 0n, runsPartial: 0n, runsDegraded: 0n, failures: 0n }
  readonly recentFailures: string[] = []
  /** runs started (start stages) and completed (finales) here, per stage instance */
  readonly started = new RunLog()
  readonly completed = new RunLog()
  private timers: Array<ReturnType<typeof setTimeout>> = []
  private placing: Promise<void> = Promise.resolve()
  private readonly self: string
  private imageRetries = 0
  /** when the placement last changed (the stranded-bundle forwarder waits for it to settle) */
  placedAt = 0
  private readonly stranded: StrandedForwarder

  constructor (private readonly ctx: RunnerContext, descriptor: PipelineDescriptor) {
    this.descriptor = descriptor
    this.self = ctx.peer.peerId.toString()
    this.stranded = new StrandedForwarder(this, ctx, { settleMs: ctx.config.forwardSettleMs })
  }

  /** Runs `job` after the placement in progress, never beside one; resolves when it has run. */
  async serialise (job: () => Promise<void>): Promise<void> {
    this.placing = this.placing.then(job).catch((err: Error) => { this.failure('placement', err.message) })
    await this.placing
  }

  /** Hands stranded inbound bundles on now (placement settled or not); for tests and operators. */
  async forwardStranded (): Promise<number> {
    let n = 0
    await this.serialise(async () => { n = await this.stranded.check() })
    return n
  }

  get id (): string { return this.descriptor.id }
  get priority (): number { return this.descriptor.priority }
  get bootPerRun (): boolean { return this.ctx.config.bootPerRun }

  async start (): Promise<void> {
    const d = this.descriptor
    const now = Date.now()
    if (d.deadlineMs !== 0n && Number(d.deadlineMs) <= now) { await this.end(PipelineState.STATE_EXPIRED); return }
    if (d.deadlineMs !== 0n) this.later(Number(d.deadlineMs) - now, () => { this.end(PipelineState.STATE_EXPIRED).catch(() => {}) })
    if (d.window !== undefined) {
      // on-demand with a time window: run by the input rule inside it, only on triggers outside
      this.later(Number(d.window.startMs) - now, () => { this.setActive(true) })
      this.later(Number(d.window.endMs) - now, () => { this.setActive(false) })
    }
    await this.bid()
    // at the window's end: place from the bids gossip brought, and run one anti-entropy round with a few
    // neighbours; a bid it finds re-places (the book's 'bids' event). Waiting for the round first cost
    // the slowest neighbour's answer, seconds on a loaded host, on every placement.
    this.later(Number(d.issuedAtMs) + d.bidWindowMs - now, () => { this.windowOver = true; this.replace(); void this.ctx.syncBids() })
  }

  private later (ms: number, fn: () => void): void {
    const t = setTimeout(fn, Math.max(0, Math.min(ms, 2_147_483_647)))
    t.unref?.()
    this.timers.push(t)
  }

  /** Posts a bid for every stage this peer can host (capabilities, area, image). */
  async bid (): Promise<void> {
    const host = this.ctx.capabilities()
    for (const s of this.descriptor.stages) {
      if (this.preempted.has(s.name) || !meetsNeeds(host, s.needs)) continue
      // a bid stands once posted: re-posting would move the placement with every load change
      if (this.ctx.book.bids.has(bidKey(this.id, s.name, this.self))) continue
      if (!this.ctx.hasRoomFor(this.descriptor.priority)) continue
      const cost = bidCost(this.descriptor, { host, loadFraction: this.ctx.loadFraction() })
      if (cost === undefined) continue
      try {
        await this.ctx.images.ensure(s.image?.hash ?? '', this.ctx.sources())
      } catch (err) {
        this.failure(s.name, `image ${s.image?.name ?? '?'} unavailable: ${(err as Error).message}`)
        // no peer had it yet (or none was reachable): bid again a little later
        if (this.imageRetries++ < MAX_IMAGE_RETRIES) this.later(IMAGE_RETRY_MS, () => { this.bid().catch(() => {}) })
        continue
      }
      await this.ctx.book.postBid({ pipelineId: this.id, stage: s.name, cost, withdrawn: false, atMs: BigInt(Date.now()) })
    }
  }

  /** Withdraws this peer's bid for a stage (preempted by higher priority work). */
  async withdraw (stage: string): Promise<void> {
    this.preempted.add(stage)
    await this.ctx.book.postBid({ pipelineId: this.id, stage, cost: 0, withdrawn: true, atMs: BigInt(Date.now()) })
  }

  /** Recomputes placement (serialised); called on bids, liveness and window changes. */
  replace (): void {
    // (timers may fire a millisecond before the wall clock says the window is over)
    if (this.ended || (!this.windowOver && Date.now() < Number(this.descriptor.issuedAtMs) + this.descriptor.bidWindowMs)) return
    void this.serialise(async () => { await this.place() })
  }

  ended = false
  /** the bid window's timer fired */
  private windowOver = false

  private async place (): Promise<void> {
    if (this.ended) return
    const next = computePlacement(this.descriptor, this.ctx.book.bidsOf(this.id), this.ctx.gone())
    const prev = this.placement
    if (prev?.digest === next.digest) return
    this.placement = next
    this.placedAt = Date.now()
    this.state = this.active() ? PipelineState.STATE_PLACED : PipelineState.STATE_WAITING
    await this.retargetQueues(prev, next)
    await this.reconcile()
    this.ctx.emit('pipeline:placed', { pipelineId: this.id, digest: next.digest, skipped: next.skipped })
    // what this peer holds for slots it no longer hosts goes to their hosts once this view settles
    this.stranded.schedule()
  }

  /** Whether runs happen now: automatic, or on-demand inside its window. */
  private active (): boolean {
    const d = this.descriptor
    if (d.execution === Execution.EXECUTION_AUTOMATIC) return true
    const now = BigInt(Date.now())
    return d.window !== undefined && now >= d.window.startMs && now < d.window.endMs
  }

  private setActive (on: boolean): void {
    if (this.ended || this.placement === undefined) return
    this.state = on ? PipelineState.STATE_PLACED : PipelineState.STATE_WAITING
    for (const inst of this.instances.values()) {
      if (on) inst.startTicking(inst.stage.input?.intervalMs ?? 0)
      else inst.stopTicking()
    }
  }

  private async retargetQueues (prev: Placement | undefined, next: Placement): Promise<void> {
    if (prev === undefined) return
    for (const [stage, slots] of next.stages) {
      const before = prev.stages.get(stage) ?? []
      for (const s of slots) {
        const old = before.find((b) => b.slot === s.slot)?.peer
        if (old !== undefined && s.peer !== undefined && old !== s.peer) await this.ctx.retarget(this.id, stage, old, s.peer)
      }
    }
  }

  /** Starts the instances this peer now hosts, stops the ones it no longer does. */
  private async reconcile (): Promise<void> {
    const p = this.placement
    if (p === undefined) return
    const wanted = new Map<string, { stage: Stage, slot: number }>()
    for (const s of this.descriptor.stages) {
      if (this.preempted.has(s.name)) continue
      for (const a of p.stages.get(s.name) ?? []) if (a.peer === this.self) wanted.set(`${s.name}.${a.slot}`, { stage: s, slot: a.slot })
    }
    for (const [key, inst] of this.instances) {
      if (!wanted.has(key)) { this.instances.delete(key); await inst.stop() }
    }
    for (const [key, w] of wanted) {
      if (this.instances.has(key)) continue
      const image = await this.ctx.images.ensure(w.stage.image?.hash ?? '', this.ctx.sources())
      const inst = new StageInstance(this, w.stage, w.slot, image, (k) => this.ctx.isLocal(k))
      this.instances.set(key, inst)
      if (!this.bootPerRun) inst.warm()
      if (this.active()) inst.startTicking(w.stage.input?.intervalMs ?? 0)
      for (const e of await this.ctx.queues.inbound(this.id)) this.deliverEntry(e, inst)
    }
    for (const inst of this.instances.values()) inst.recheck()
    this.ctx.capacityChanged()
  }

  /** A persisted inbound entry: to `only`, if it is for that instance, or to its slot's instance. */
  deliverEntry (e: InboundEntry, only?: StageInstance): void {
    const b = this.ctx.decode(e.bytes)
    if (b === undefined) return
    if (only !== undefined) {
      if (only.stage.name === b.toStage && (b.toSlot === undefined || b.toSlot === only.slot)) only.deliver({ key: e.key, bundle: b })
      return
    }
    this.deliver({ key: e.key, bundle: b })
  }

  /** The local instance a bundle is for: its slot's, or (an older sender naming none) any of its stage. */
  private instanceOf (b: Bundle): StageInstance | undefined {
    if (b.toSlot !== undefined) return this.instances.get(`${b.toStage}.${b.toSlot}`)
    for (const i of this.instances.values()) if (i.stage.name === b.toStage) return i
    return undefined
  }

  /** A persisted inbound bundle for this pipeline; one for a slot hosted elsewhere waits to be handed on. */
  deliver (input: StageInput): void {
    const inst = this.instanceOf(input.bundle)
    if (inst !== undefined) inst.deliver(input)
    else this.stranded.schedule()
  }

  trigger (run: bigint, payload: Uint8Array): void {
    for (const inst of this.instances.values()) inst.trigger(run, payload)
  }

  /** Predecessor slots a join waits for: those with a live host. */
  expectedSenders (stage: Stage): Set<string> {
    const out = new Set<string>()
    const gone = this.ctx.gone()
    for (const a of stage.after) {
      for (const s of this.placement?.stages.get(a) ?? []) if (s.peer !== undefined && !gone.has(s.peer)) out.add(`${a}.${s.slot}`)
    }
    return out
  }

  async boot (image: EfImage): Promise<Sandbox> { return await this.ctx.runtime.boot(image) }

  /** A stateful stage's state is replicated when this peer also runs the checkpoints feature. */
  stateful (stage: Stage, slot: number, image: EfImage): StageState | undefined {
    const f = this.ctx.peer.features.get('checkpoints')
    return f instanceof CheckpointsFeature ? f.service.stageState(this.id, stage.name, slot, image) : undefined
  }

  async discard (stage: Stage, slot: number, keys: string[]): Promise<void> {
    await this.ctx.queues.commit({ consumed: keys, outbound: [], local: [] })
    this.ctx.emit('pipeline:discarded', { pipelineId: this.id, stage: stage.name, slot, keys })
  }

  async joined (joinKey: string): Promise<boolean> { return await this.ctx.queues.joined(joinKey) }

  /** Routes one step's outputs: bundles to every slot of every follower, atomically with consuming its inputs. */
  async complete (step: StepOutcome): Promise<void> {
    const p = this.placement
    const degraded = step.degraded || (p?.skipped.length ?? 0) > 0
    if (step.stage.role === Role.ROLE_START && !step.failed) { this.stats.runsStarted++; this.started.add(`${step.stage.name}.${step.slot}`, step.run) }
    const outbound: OutboundEntry[] = []
    const local: InboundEntry[] = []
    const emitted: StepBundle[] = []
    const now = Date.now()
    const followers = followersOf(this.descriptor, step.stage.name)
    step.outputs.forEach((out, i) => {
      for (const f of followers) {
        for (const s of p?.stages.get(f.name) ?? []) {
          const target = s.peer ?? this.fallback(f.name, s.slot)
          if (target === undefined) continue
          const b: Omit<Bundle, 'version'> = {
            pipelineId: this.id, run: step.run, fromStage: step.stage.name, fromSlot: step.slot, toStage: f.name, toSlot: s.slot,
            sequence: step.inputSeq * 256 + i, payload: out.bytes, partial: step.partial, degraded, trace: { ...step.trace, sentAtMs: now }
          }
          const key = bundleKey(b)
          emitted.push({ key, toStage: f.name, toSlot: s.slot, target })
          if (target === this.self) local.push({ key, bytes: encodeBundle(b) })
          else outbound.push({ target, key, bytes: encodeBundle(b) })
        }
      }
    })
    const fresh = await this.ctx.queues.commit({ consumed: step.consumed, outbound, local, joined: step.joinKey })
    const outcome = step.failed ? 'failed' : step.replayed === true ? 'replayed' : 'applied'
    this.ctx.emit('pipeline:step', { pipelineId: this.id, stage: step.stage.name, slot: step.slot, run: step.run, outcome, consumed: step.consumed, emitted })
    if (step.stage.output?.target === OutputTarget.OUTPUT_SINK || step.stage.role === Role.ROLE_FINALE) this.finale(step, degraded)
    for (const t of new Set(outbound.map((o) => o.target))) this.ctx.kick(t)
    for (const e of fresh) this.deliverEntry(e)
  }

  private finale (step: StepOutcome, degraded: boolean): void {
    this.stats.runsCompleted++
    this.completed.add(`${step.stage.name}.${step.slot}`, step.run)
    if (step.partial) this.stats.runsPartial++
    if (degraded) this.stats.runsDegraded++
    if (step.stage.output?.target === OutputTarget.OUTPUT_SINK && step.outputs.length > 0) {
      const origins = this.origins()
      for (const out of step.outputs) {
        this.ctx.emit('pipeline:output', { pipelineId: this.id, run: step.run, stage: step.stage.name, slot: step.slot, bytes: out.bytes, final: true, partial: step.partial, degraded, trace: step.trace, origins })
      }
    }
    this.ctx.emit('pipeline:run', { pipelineId: this.id, run: step.run, stage: step.stage.name, outputs: step.outputs.length, partial: step.partial, degraded, failed: step.failed, trace: step.trace })
  }

  /**
   * Where the run's data came from: the positions of the live hosts of the start stages
   * (the detectors), so a finale elsewhere can say where the event is, not where it runs.
   */
  private origins (): Position[] {
    const gone = this.ctx.gone()
    const state = this.ctx.peer.libp2p.services.state
    const out: Position[] = []
    for (const s of this.descriptor.stages) {
      if (s.role !== Role.ROLE_START) continue
      for (const a of this.placement?.stages.get(s.name) ?? []) {
        if (a.peer === undefined || gone.has(a.peer)) continue
        if (a.peer === this.self) { out.push({ ...this.ctx.peer.config.position }); continue }
        const e = state.getEntry(a.peer)
        if (e !== undefined) out.push({ lat: e.state.lat, lon: e.state.lon })
      }
    }
    return out
  }

  /** A slot with no live host keeps its last known peer as target: its bundles wait in our queue. */
  private fallback (stage: string, slot: number): string | undefined {
    const bids = this.ctx.book.bidsOf(this.id).filter((b) => b.stage === stage && !b.withdrawn)
    const base = computePlacement(this.descriptor, bids)
    return base.stages.get(stage)?.find((s) => s.slot === slot)?.peer
  }

  failure (stage: string, message: string): void {
    this.stats.failures++
    this.recentFailures.push(`${new Date().toISOString()} ${stage}: ${message}`)
    if (this.recentFailures.length > MAX_FAILURES_KEPT) this.recentFailures.shift()
    this.ctx.log.warn('pipeline failure', { pipeline: this.id, stage, message })
  }

  /** Stop order or deadline: every instance stops and the queues of the pipeline are dropped. */
  async end (state: PipelineState): Promise<void> {
    if (this.ended) return await this.ending
    this.ended = true
    this.ending = this.finish(state).catch((err: Error) => { this.ctx.log.warn('pipeline end incomplete', { pipeline: this.id, error: err }) })
    await this.ending
  }

  private ending?: Promise<void>

  private async finish (state: PipelineState): Promise<void> {
    this.state = state
    for (const t of this.timers) clearTimeout(t)
    this.stranded.stop()
    await this.placing
    for (const inst of this.instances.values()) await inst.stop()
    this.instances.clear()
    await this.ctx.queues.dropPipeline(this.id)
    this.ctx.capacityChanged()
    this.ctx.emit('pipeline:ended', { pipelineId: this.id, state })
  }

  /** Shutdown of the peer: instances stop, queues stay for the restart. */
  async halt (): Promise<void> {
    await this.ending
    this.ended = true
    for (const t of this.timers) clearTimeout(t)
    this.stranded.stop()
    await this.placing
    for (const inst of this.instances.values()) await inst.stop()
  }

  status (): PipelineStatus {
    const placement = [...(this.placement?.stages ?? new Map<string, Array<{ slot: number, peer?: string }>>()).entries()]
      .flatMap(([stage, slots]) => slots.map((s) => ({ stage, slot: s.slot, peer: s.peer ?? '' })))
    return {
      id: this.id,
      state: this.state,
      priority: this.priority,
      digest: this.placement?.digest ?? '',
      placement,
      ...this.stats,
      recentFailures: [...this.recentFailures],
      skippedStages: this.placement?.skipped ?? [],
      localStages: [...this.instances.keys()],
      preemptedStages: [...this.preempted]
    }
  }
}
