/**
 * The host side of one stateful EF instance: runs its step graph in a sandbox,
 * checkpoints after steps, streams the checkpoint (full, then deltas) to its replicas,
 * and releases an output only once the checkpoint that covers it is stored on a
 * quorum (output commit; quorum 0 releases at once and replicates in the background).
 * Released outputs wait in an outbox until the sink acknowledges them; the outbox
 * travels with every checkpoint, so a resumed copy redelivers what may be missing
 * and the sink drops what it already has.
 */
import {
  CheckpointMessage, FencedError, NeedFullCheckpointError, chooseReplicas, makeDelta, wireCheckpoint,
  type CheckpointNetwork, type EfOutputRecord, type InstanceDescriptor
} from '../../protocols/index.js'
import { decodeCheckpoint, type CheckpointState, type EfOutput, type Sandbox } from '../../unikernels/index.js'

export type InstanceStatus = 'running' | 'suspended' | 'migrated' | 'fenced' | 'terminated' | 'stopped' | 'failed'

export interface HostContext {
  self: string
  network: CheckpointNetwork
  /** live checkpoint peers other than this one, in any order */
  replicaCandidates: () => string[]
  isLive: (peer: string) => boolean
  log: (msg: string, fields?: Record<string, unknown>) => void
  onRelease: (o: { instance: string, epoch: number, seq: number, data: Uint8Array }) => void
  /**
   * Hands outputs to this peer's own sink (the instance's sink is this peer, e.g. after a
   * failover or drain onto the consumer): libp2p cannot dial itself, so OUTPUT requests
   * to self would fail forever. Resolves to the next sequence the sink expects.
   */
  deliverLocal: (instance: string, epoch: number, outputs: EfOutputRecord[]) => Promise<number>
  onStatus: (instance: string, status: InstanceStatus, epoch: number) => void
}

export interface HostTuning {
  /** checkpoint at least every this many steps even without outputs @default 16 */
  maxStepsBetweenCheckpoints: number
  /** released outputs the sink has not acknowledged before stepping pauses @default 1024 */
  maxOutbox: number
  /** back-off after a failed replica or sink request @default 200 */
  retryMs: number
  /** deadline of one replica or sink request @default 2000 */
  requestTimeoutMs: number
}

/** A checkpoint as the host keeps it: self-describing bytes and the decoded state deltas are made from. */
export interface CheckpointSnapshot {
  seq: number
  bytes: Uint8Array
  state: CheckpointState
  /** outbox carried with this checkpoint */
  outbox: EfOutputRecord[]
}

interface ReplicaLink {
  peer: string
  acked?: { epoch: number, seq: number, state: CheckpointState }
  inflight: boolean
  retry?: ReturnType<typeof setTimeout>
  failures?: number
}

export interface HostInit {
  descriptor: InstanceDescriptor
  epoch: number
  sandbox: Sandbox
  outbox?: EfOutputRecord[]
  /** replicas of an earlier epoch and the checkpoint they most likely hold (deltas against it) */
  base?: { epoch: number, snapshot: CheckpointSnapshot, peers: string[] }
  replicaSet?: string[]
  /** the checkpoint a migrated sandbox was resumed from (not replicated again) */
  resumedFrom?: CheckpointSnapshot
}

export function snapshotOf (bytes: Uint8Array, outbox: EfOutputRecord[]): CheckpointSnapshot {
  const state = decodeCheckpoint(bytes)
  return { seq: state.steps, bytes, state, outbox }
}

export class HostedInstance {
  readonly descriptor: InstanceDescriptor
  readonly epoch: number
  readonly sandbox: Sandbox
  status: InstanceStatus = 'running'
  replicaSet: string[] = []
  /** released outputs not yet acknowledged by the sink */
  outbox: EfOutputRecord[]
  latest?: CheckpointSnapshot
  readonly links = new Map<string, ReplicaLink>()
  private readonly ctx: HostContext
  private readonly tuning: HostTuning
  private readonly abort = new AbortController()
  private loopDone: Promise<void> = Promise.resolve()
  private wakePause?: () => void
  private delivering = false
  private waiters: Array<{ seq: number, resolve: () => void, reject: (e: Error) => void }> = []
  private outboxWaiters: Array<() => void> = []
  private stepsSinceCheckpoint = 0
  private quorumCheck?: ReturnType<typeof setInterval>

  /** the state the sandbox was resumed from (migration, failover): the first checkpoint of this epoch */
  private resumedFrom?: CheckpointSnapshot

  constructor (ctx: HostContext, tuning: HostTuning, init: HostInit) {
    this.ctx = ctx
    this.tuning = tuning
    this.descriptor = init.descriptor
    this.epoch = init.epoch
    this.sandbox = init.sandbox
    this.outbox = init.outbox ?? []
    this.resumedFrom = init.resumedFrom
    this.replicaSet = (init.replicaSet ?? []).filter((p) => p !== ctx.self)
    // replicas of the previous epoch most likely hold its last checkpoint: try deltas against it
    if (init.base !== undefined) {
      for (const peer of init.base.peers) this.links.set(peer, { peer, inflight: false, acked: { epoch: init.base.epoch, seq: init.base.snapshot.seq, state: init.base.snapshot.state } })
    }
  }

  get instance (): string { return this.descriptor.instance }

  /** Starts stepping: the first commit replicates the starting checkpoint at this epoch. */
  start (): void {
    this.status = 'running'
    this.loopDone = this.loop().catch((err: Error) => {
      if (this.status !== 'running') return
      this.ctx.log('EF instance failed', { instance: this.instance, error: err.message })
      void this.finish('failed')
    })
  }

  private async loop (): Promise<void> {
    // The starting state releases nothing, so nothing waits for its replication. A migrated
    // sandbox starts from a state the replicas hold already (the previous epoch's newest;
    // its source has stopped): it is not sent again, or its store would hold up the first
    // output's right behind it. After a failover it is sent at once: the new epoch then
    // reaches the replicas before anything else, fencing a host that is only cut off.
    const first = this.resumedFrom
    this.resumedFrom = undefined
    if (first === undefined) {
      await this.commit([], false)
    } else {
      this.latest = first
      this.refreshReplicas()
    }
    // a step starts at most every stepIntervalMs: a resumed EF, paused by the migration already, steps at once
    let lastStepAt: number | undefined
    while (this.status === 'running') {
      if (this.descriptor.sink !== '' && this.outbox.length >= this.tuning.maxOutbox) {
        await new Promise<void>((resolve) => { this.outboxWaiters.push(resolve) })
        continue
      }
      const wait = lastStepAt === undefined ? 0 : lastStepAt + this.descriptor.stepIntervalMs - performance.now()
      if (wait >= 0.5) await this.pause(wait)
      if (this.status !== 'running') break
      lastStepAt = performance.now()
      const r = await this.sandbox.steps(1)
      this.stepsSinceCheckpoint++
      if (r.outputs.length > 0 || r.terminated || this.stepsSinceCheckpoint >= this.tuning.maxStepsBetweenCheckpoints) await this.commit(r.outputs)
      if (r.terminated) { await this.finish('terminated'); return }
    }
  }

  /** The EF's own pacing between steps; suspend and stop cut it short. */
  private async pause (ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const done = (): void => { clearTimeout(t); this.abort.signal.removeEventListener('abort', done); this.wakePause = undefined; resolve() }
      const t = setTimeout(done, ms)
      this.wakePause = done
      this.abort.signal.addEventListener('abort', done, { once: true })
    })
  }

  /** Checkpoint, replicate to a quorum, then release the outputs. */
  private async commit (outputs: EfOutput[], waitForQuorum = true): Promise<void> {
    const fresh = outputs.map((o) => ({ seq: BigInt(o.seq), data: o.bytes }))
    const snap = snapshotOf(await this.sandbox.checkpoint(), [...this.outbox, ...fresh])
    this.stepsSinceCheckpoint = 0
    this.replicate(snap)
    if (this.descriptor.quorum > 0 && waitForQuorum) await this.quorum(snap.seq)
    if (this.status !== 'running' && this.status !== 'suspended') return
    this.outbox.push(...fresh)
    for (const o of fresh) this.ctx.onRelease({ instance: this.instance, epoch: this.epoch, seq: Number(o.seq), data: o.data })
    if (this.descriptor.sink === '') this.outbox = []
    else void this.deliver()
  }

  /** Makes `snap` the newest checkpoint and sends it to every replica. */
  private replicate (snap: CheckpointSnapshot): void {
    this.latest = snap
    this.refreshReplicas()
    for (const peer of this.replicaSet) this.pump(peer)
  }

  /**
   * Keeps k replicas: live ones stay (their deltas keep working), gaps are filled by the
   * rule from live candidates, and only when none is left do unreachable ones stay in the
   * set, so an isolated host keeps retrying them and learns of a newer epoch on heal.
   */
  private refreshReplicas (): void {
    const k = this.descriptor.replicas
    const live = this.ctx.replicaCandidates()
    const keep = this.replicaSet.filter((p) => live.includes(p))
    if (keep.length >= k && keep.length === this.replicaSet.length) return
    for (const p of chooseReplicas(this.instance, live, live.length, this.ctx.self)) {
      if (keep.length >= k) break
      if (!keep.includes(p)) keep.push(p)
    }
    for (const p of this.replicaSet) {
      if (keep.length >= k) break
      if (!keep.includes(p)) keep.push(p)
    }
    this.replicaSet = keep
    // a member that joined may have acked already: re-check the quorum wait now, not on the next ack
    this.settleWaiters()
  }

  private ackedCount (seq: number): number {
    let n = 0
    for (const peer of this.replicaSet) {
      const a = this.links.get(peer)?.acked
      if (a !== undefined && a.epoch === this.epoch && a.seq >= seq) n++
    }
    return n
  }

  private async quorum (seq: number): Promise<void> {
    if (this.ackedCount(seq) >= this.descriptor.quorum) return
    const acked = new Promise<void>((resolve, reject) => { this.waiters.push({ seq, resolve, reject }) })
    this.armQuorumCheck()
    await acked
  }

  /**
   * While a commit waits for its quorum, re-check the replica set now and then: it is
   * otherwise refreshed only at a commit or after a failed store, so a set that shrank
   * below quorum (a resumer drops itself from the gone host's set, a fresh peer sees few
   * others live yet) would never refill, nothing would be sent, and the wait would last
   * for ever with the host still 'running'.
   */
  private armQuorumCheck (): void {
    if (this.quorumCheck !== undefined) return
    this.quorumCheck = setInterval(() => {
      if (this.waiters.length === 0 || (this.status !== 'running' && this.status !== 'suspended')) {
        clearInterval(this.quorumCheck)
        this.quorumCheck = undefined
        return
      }
      this.refreshReplicas()
      for (const peer of this.replicaSet) this.pump(peer)
    }, Math.max(100, 2 * this.tuning.retryMs))
  }

  private settleWaiters (): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.ackedCount(w.seq) < this.descriptor.quorum) return true
      w.resolve()
      return false
    })
  }

  /** Sends the newest checkpoint to one replica; one request in flight per replica. */
  private pump (peer: string): void {
    let link = this.links.get(peer)
    if (link === undefined) { link = { peer, inflight: false }; this.links.set(peer, link) }
    if (link.inflight || link.retry !== undefined) return
    const snap = this.latest
    if (snap === undefined || (this.status !== 'running' && this.status !== 'suspended')) return
    const a = link.acked
    if (a !== undefined && a.epoch === this.epoch && a.seq >= snap.seq) return
    link.inflight = true
    void this.store(link, snap).finally(() => {
      link.inflight = false
      if (this.replicaSet.includes(peer)) this.pump(peer)
    })
  }

  private async store (link: ReplicaLink, snap: CheckpointSnapshot): Promise<void> {
    const a = link.acked
    const msg: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind } = {
      kind: CheckpointMessage.Kind.STORE,
      instance: this.instance,
      epoch: BigInt(this.epoch),
      seq: BigInt(snap.seq),
      outputs: snap.outbox,
      replicaSet: this.replicaSet
    }
    if (a === undefined) {
      msg.checkpoint = wireCheckpoint(snap.state, this.descriptor)
      msg.descriptor = this.descriptor
    } else {
      msg.delta = makeDelta(a.state, snap.state, a.epoch, a.seq)
    }
    try {
      await this.ctx.network.request(link.peer, msg, { signal: this.abort.signal, timeoutMs: this.tuning.requestTimeoutMs })
      link.acked = { epoch: this.epoch, seq: snap.seq, state: snap.state }
      this.settleWaiters()
    } catch (err) {
      if (err instanceof FencedError) { this.fence(err.currentEpoch); return }
      if (err instanceof NeedFullCheckpointError) { link.acked = undefined; return }
      if (this.status !== 'running' && this.status !== 'suspended') return
      this.ctx.log('replica store failed', { instance: this.instance, replica: link.peer, error: (err as Error).message })
      const before = this.replicaSet.join()
      if (!this.ctx.isLive(link.peer)) this.refreshReplicas()
      if (this.replicaSet.join() !== before) {
        for (const p of this.replicaSet) this.pump(p)
        if (!this.replicaSet.includes(link.peer)) { this.links.delete(link.peer); return }
      }
      link.failures = (link.failures ?? 0) + 1
      const backoff = Math.min(2000, this.tuning.retryMs * 2 ** Math.min(4, link.failures - 1))
      link.retry = setTimeout(() => { link.retry = undefined; this.pump(link.peer) }, backoff)
      return
    }
    link.failures = 0
  }

  /** Delivers the outbox to the sink in order until it is empty. */
  private async deliver (): Promise<void> {
    if (this.delivering) return
    this.delivering = true
    let failures = 0
    try {
      while (this.outbox.length > 0 && (this.status === 'running' || this.status === 'terminated')) {
        const batch = this.outbox.slice(0, 256)
        try {
          const highWater = await this.send(batch)
          this.outbox = this.outbox.filter((o) => o.seq >= highWater)
          for (const w of this.outboxWaiters.splice(0)) w()
        } catch (err) {
          if (err instanceof FencedError) { this.fence(err.currentEpoch); return }
          if (this.abort.signal.aborted) return
          if (failures++ === 0) this.ctx.log('sink delivery failed', { instance: this.instance, sink: this.descriptor.sink, error: (err as Error).message })
          await this.pause(this.tuning.retryMs)
        }
      }
    } finally {
      this.delivering = false
    }
  }

  /** One OUTPUT batch to the sink; the next sequence it expects. */
  private async send (batch: EfOutputRecord[]): Promise<bigint> {
    if (this.descriptor.sink === this.ctx.self) return BigInt(await this.ctx.deliverLocal(this.instance, this.epoch, batch))
    const r = await this.ctx.network.request(this.descriptor.sink, { kind: CheckpointMessage.Kind.OUTPUT, instance: this.instance, epoch: BigInt(this.epoch), outputs: batch }, { signal: this.abort.signal, timeoutMs: this.tuning.requestTimeoutMs })
    return r.highWater
  }

  /**
   * Stops stepping at a step boundary; the final checkpoint (live migration) is the newest
   * committed one: steps after it emitted nothing, the target runs them again as after a
   * failover, and the replicas hold it already (deltas apply, no worker round trip).
   */
  async suspend (): Promise<CheckpointSnapshot> {
    if (this.status !== 'running') throw new Error(`${this.instance}: cannot suspend, it is ${this.status}`)
    this.status = 'suspended'
    for (const w of this.outboxWaiters.splice(0)) w()
    this.wakePause?.()
    await this.loopDone
    // fenced meanwhile (a replica resumed it after missed heartbeats): its sandbox is stopped
    if (this.status !== 'suspended') throw new FencedError(`${this.instance}: ${this.status} while suspending`, this.epoch)
    const latest = this.latest
    const snap = latest !== undefined
      ? { ...latest, outbox: [...this.outbox] }
      : snapshotOf(await this.sandbox.suspend(), [...this.outbox])
    this.ctx.onStatus(this.instance, 'suspended', this.epoch)
    return snap
  }

  /** A migration that did not happen: carry on here. */
  wake (): void {
    if (this.status !== 'suspended') return
    if (this.sandbox.status === 'suspended') this.sandbox.wake()
    this.start()
  }

  /** A newer epoch exists elsewhere: stop this copy without emitting anything more. */
  fence (currentEpoch: number): void {
    if (this.status === 'fenced' || this.status === 'stopped' || this.status === 'migrated') return
    this.ctx.log('EF instance fenced', { instance: this.instance, epoch: this.epoch, currentEpoch })
    void this.finish('fenced')
  }

  async finish (status: InstanceStatus): Promise<void> {
    if (this.status === status) return
    const wasTerminal = this.status === 'terminated'
    this.status = status
    if (status !== 'terminated') {
      this.abort.abort()
      clearInterval(this.quorumCheck)
      this.quorumCheck = undefined
      for (const l of this.links.values()) clearTimeout(l.retry)
      const err = new FencedError(`${this.instance}: ${status}`, this.epoch)
      for (const w of this.waiters.splice(0)) w.reject(err)
      for (const w of this.outboxWaiters.splice(0)) w()
    }
    if (!wasTerminal) await this.sandbox.stop().catch(() => {})
    this.ctx.onStatus(this.instance, status, this.epoch)
  }

  view (): Record<string, unknown> {
    return {
      instance: this.instance,
      image: this.descriptor.imageName,
      epoch: this.epoch,
      status: this.status,
      seq: this.latest?.seq ?? 0,
      outputSeq: this.latest?.state.outputSeq ?? 0,
      replicas: this.replicaSet,
      acked: Object.fromEntries([...this.links.values()].map((l) => [l.peer, l.acked === undefined ? null : { epoch: l.acked.epoch, seq: l.acked.seq }])),
      // links outside `replicas` are stale; a stall shows here as neither in flight nor retrying
      links: Object.fromEntries([...this.links.values()].map((l) => [l.peer, { inflight: l.inflight, retrying: l.retry !== undefined, failures: l.failures ?? 0 }])),
      waitingForQuorum: this.waiters.map((w) => w.seq),
      outbox: this.outbox.length,
      sink: this.descriptor.sink
    }
  }
}
