/**
 * Stateful pipeline stages: a stage whose image keeps state in Unimem (hazard-broadcaster's
 * action sequence, a fusion's history) replicates a checkpoint after every input it
 * applies, like a hosted EF, and its outputs leave only once a quorum holds it (output
 * commit). The pipeline places the stage; whichever peer hosts it next (the bid winner
 * after a live migration, the substitute after a failover) attaches by fetching the newest
 * checkpoint from the holders, which also claims the next epoch on them, so a late store
 * of the previous host is fenced and its outputs never leave.
 *
 * With each checkpoint go the stage marks: which inputs (source, run) the state reflects,
 * so an input upstream re-sends after re-targeting its queue is not applied twice, and the
 * outputs of the latest inputs, so one applied just before the host died is answered from
 * them instead of being lost (downstream drops the copy it may have by its bundle key).
 */
import {
  CheckpointMessage, CheckpointNotFoundError, FencedError, NeedFullCheckpointError, QuorumError, chooseReplicas, fromWireCheckpoint, makeDelta, wireCheckpoint,
  type InstanceDescriptor, type StageMarks
} from '../../protocols/index.js'
import { decodeCheckpoint, type CheckpointState, type EfImage, type Sandbox } from '../../unikernels/index.js'
import { newer, versionOf, type StoredVersion } from './replica-store.js'
import type { CheckpointService } from './service.js'

/** One input of a stage invocation: its bundle key, where it came from, its run. */
export interface StageInputRef {
  key: string
  /** `fromStage.fromSlot.sequence` */
  source: string
  run: bigint
}

/** Newest inputs whose outputs travel with the checkpoint. */
const RECENT_INPUTS = 16
/** Run ranges kept per source: older runs are past upstream's retention. */
const MAX_RANGES_PER_SOURCE = 32
const FETCH_TIMEOUT_MS = 1000
const ATTACH_ATTEMPTS = 3

/** Which inputs a stage's state reflects (run ranges per source) and the outputs of the latest ones. */
export class StageLedger {
  private readonly ranges = new Map<string, Array<[bigint, bigint]>>()
  private recent: StageMarks['recent'] = []

  static from (marks?: StageMarks): StageLedger {
    const l = new StageLedger()
    for (const r of marks?.consumed ?? []) {
      const list = l.ranges.get(r.source) ?? []
      list.push([r.first, r.last])
      l.ranges.set(r.source, list)
    }
    l.recent = [...(marks?.recent ?? [])]
    return l
  }

  has (i: StageInputRef): boolean {
    return (this.ranges.get(i.source) ?? []).some(([a, b]) => i.run >= a && i.run <= b)
  }

  /** The outputs recorded for an input, if it is among the latest. */
  outputsOf (key: string): Uint8Array[] | undefined {
    return this.recent.find((r) => r.key === key)?.outputs
  }

  record (inputs: StageInputRef[], outputs: Uint8Array[]): void {
    for (const i of inputs) {
      this.add(i.source, i.run)
      this.recent.push({ key: i.key, outputs })
    }
    if (this.recent.length > RECENT_INPUTS) this.recent = this.recent.slice(-RECENT_INPUTS)
  }

  private add (source: string, run: bigint): void {
    const list = this.ranges.get(source) ?? []
    list.push([run, run])
    list.sort((x, y) => x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)
    const merged: Array<[bigint, bigint]> = []
    for (const r of list) {
      const last = merged.at(-1)
      if (last !== undefined && r[0] <= last[1] + 1n) last[1] = r[1] > last[1] ? r[1] : last[1]
      else merged.push([r[0], r[1]])
    }
    this.ranges.set(source, merged.slice(-MAX_RANGES_PER_SOURCE))
  }

  toMarks (): StageMarks {
    const consumed = [...this.ranges].flatMap(([source, list]) => list.map(([first, last]) => ({ source, first, last })))
    return { consumed, recent: [...this.recent] }
  }
}

interface Acked { epoch: number, seq: number, state: CheckpointState }

interface Fetched { version: StoredVersion, checkpoint: Uint8Array, marks?: StageMarks, from: string[] }

/** A stage's state cannot be loaded now (a holder did not answer, state known but not found). */
export class StageStateError extends Error {
  static name = 'StageStateError'
  readonly code = 'ERR_STAGE_STATE'
  constructor (message = 'Stage state not available') {
    super(message)
    this.name = 'StageStateError'
  }
}

/** The checkpointed state of one stage instance on its current host. */
export class StatefulStage {
  readonly descriptor: InstanceDescriptor
  epoch = 0
  seq = 0
  ledger = new StageLedger()
  /** a commit of this instance reached its quorum once */
  private stored = false
  private readonly acked = new Map<string, Acked>()
  private readonly svc: CheckpointService

  constructor (svc: CheckpointService, key: string, image: EfImage) {
    this.svc = svc
    this.descriptor = {
      instance: key,
      imageName: image.manifest.name,
      imageHash: Uint8Array.from(Buffer.from(image.manifest.hash, 'hex')),
      sink: '',
      quorum: svc.config.quorum,
      replicas: svc.config.replicas,
      stepIntervalMs: 0,
      stage: key,
      names: []
    }
  }

  get key (): string { return this.descriptor.instance }

  /**
   * Takes the next epoch on this peer and every holder and candidate (fencing the previous
   * host: none of them stores its checkpoints after answering) and loads the newest state
   * they hold into a freshly booted sandbox. It refuses (StageStateError) while a live
   * holder of a newer copy has not answered, and starts empty only when nobody ever held
   * state for the stage.
   */
  async attach (sandbox: Sandbox): Promise<void> {
    const svc = this.svc
    let epoch = Math.max(svc.holders.current(this.key)?.epoch ?? 0, svc.replicas.version(this.key)?.epoch ?? 0, this.epoch) + 1
    let best: Fetched | undefined
    let answered = 0
    for (let attempt = 0; ; attempt++) {
      // this peer may hold a copy too: claim here before reading it, as the FETCH claims on
      // every other holder before it answers, so no store of the previous host lands after
      svc.claim(this.key, epoch)
      const local = svc.replicas.get(this.key)
      if (local?.descriptor !== undefined && (best === undefined || newer(versionOf(local), best.version))) {
        best = { version: versionOf(local), checkpoint: fromWireCheckpoint(local.checkpoint, local.descriptor), marks: local.marks, from: [] }
      }
      const r = await this.fetchNewest(epoch, best)
      best = r.best
      answered = r.answered
      if (r.fencedBy === undefined) break
      // another peer claimed meanwhile: claim past it
      if (attempt + 1 >= ATTACH_ATTEMPTS) throw new FencedError(`${this.key}: epoch ${epoch} keeps losing to newer claims`, r.fencedBy)
      epoch = Math.max(epoch, r.fencedBy) + 1
    }
    this.checkNewest(best, answered)
    this.epoch = Math.max(epoch, (best?.version.epoch ?? 0) + 1)
    if (this.epoch !== epoch) svc.claim(this.key, this.epoch)
    this.acked.clear()
    if (best === undefined) {
      this.seq = 0
      this.ledger = new StageLedger()
      return
    }
    await sandbox.resume(best.checkpoint)
    this.seq = best.version.seq
    this.ledger = StageLedger.from(best.marks)
    const state = decodeCheckpoint(best.checkpoint)
    for (const p of best.from) this.acked.set(p, { ...best.version, state })
  }

  /**
   * Refuses to go on from a state older than one known to exist: a host that sees nobody
   * (cut off, or its registry says everyone is gone under load) would otherwise resume a
   * stale local copy and fork the state. Copies on peers declared gone are given up.
   */
  private checkNewest (best: Fetched | undefined, answered: number): void {
    const svc = this.svc
    const holders = svc.holders.holders(this.key)
    // a stored copy anywhere (not a mere claim: attaching claims before anything is stored)
    const known = holders.length > 0 || this.stored
    if (known && answered === 0) throw new StageStateError(`${this.key}: held state before, and no other holder answered`)
    // nobody answered at all (a restarted host whose registry shows no live peer yet): "no
    // state anywhere" is not known, only unasked. Outputs need a quorum of replicas anyway,
    // so wait for one to answer rather than start from nothing beside a stored state.
    if (answered === 0 && this.descriptor.quorum > 0) throw new StageStateError(`${this.key}: no replica candidate answered: cannot tell whether state exists`)
    if (best === undefined && known) throw new StageStateError(`${this.key}: held state before, yet no holder returned any`)
    const missed = holders.find((h) => h.peer !== svc.self && svc.isLive(h.peer) && (best === undefined || newer(h, best.version)))
    if (missed !== undefined) throw new StageStateError(`${this.key}: ${missed.peer} holds (${missed.epoch}, ${missed.seq}), newer than any answer`)
  }

  /** FETCH (claiming `epoch`) from every holder and live candidate; the newest of theirs and `best`. */
  private async fetchNewest (epoch: number, best: Fetched | undefined): Promise<{ best?: Fetched, fencedBy?: number, answered: number }> {
    const svc = this.svc
    const peers = [...new Set([...svc.holders.holders(this.key).map((h) => h.peer), ...svc.replicaCandidates()])].filter((p) => p !== svc.self)
    const answers = await Promise.allSettled(peers.map(async (p) => await svc.network.request(p, { kind: CheckpointMessage.Kind.FETCH, instance: this.key, epoch: BigInt(epoch) }, { timeoutMs: FETCH_TIMEOUT_MS })))
    let fencedBy: number | undefined
    let answered = 0
    for (const [i, a] of answers.entries()) {
      const p = peers[i]
      if (a.status === 'rejected') {
        const err = a.reason as Error
        if (err instanceof FencedError) fencedBy = Math.max(fencedBy ?? 0, err.currentEpoch)
        // an unreachable peer is judged by checkNewest: whether it holds anything newer
        else if (err instanceof CheckpointNotFoundError) answered++
        continue
      }
      answered++
      const m = a.value
      const descriptor = m.descriptor
      if (descriptor === undefined) continue
      const version = { epoch: Number(m.epoch), seq: Number(m.seq) }
      if (best !== undefined && !newer(version, best.version)) {
        if (version.epoch === best.version.epoch && version.seq === best.version.seq) best.from.push(p)
        continue
      }
      best = { version, checkpoint: fromWireCheckpoint(m.checkpoint, descriptor), marks: m.marks, from: [p] }
    }
    return { best, fencedBy, answered }
  }

  /** The outputs to send again when every input of an invocation is in the state already. */
  replay (inputs: StageInputRef[]): Uint8Array[] | undefined {
    if (inputs.length === 0 || !inputs.every((i) => this.ledger.has(i))) return undefined
    return this.ledger.outputsOf(inputs[0].key) ?? []
  }

  /**
   * Checkpoints the sandbox after an invocation and stores it, with the marks, on a quorum
   * of the k replicas; FencedError when a newer host exists, QuorumError when too few answer.
   */
  async commit (sandbox: Sandbox, inputs: StageInputRef[], outputs: Uint8Array[]): Promise<void> {
    const state = decodeCheckpoint(await sandbox.checkpoint())
    this.ledger.record(inputs, outputs)
    this.seq++
    const marks = this.ledger.toMarks()
    const k = this.descriptor.replicas
    const quorum = this.descriptor.quorum
    const replicas = chooseReplicas(this.key, this.svc.replicaCandidates(), k, this.svc.self)
    if (replicas.length < quorum) throw new QuorumError(`${this.key}: ${replicas.length} replica candidates, quorum is ${quorum}`)
    const seq = this.seq
    const stores = replicas.map(async (p) => { await this.store(p, state, marks, seq) })
    if (quorum === 0) {
      for (const s of stores) s.catch(() => {})
      this.stored = true
      return
    }
    await new Promise<void>((resolve, reject) => {
      let ok = 0
      let failed = 0
      for (const s of stores) {
        s.then(() => { if (++ok === quorum) resolve() }, (err: Error) => {
          if (err instanceof FencedError) { reject(err); return }
          if (++failed > replicas.length - quorum) reject(new QuorumError(`${this.key}: seq ${seq} stored on ${ok} of ${replicas.length}, quorum ${quorum}: ${err.message}`))
        })
      }
    })
    this.stored = true
  }

  private async store (peer: string, state: CheckpointState, marks: StageMarks, seq: number): Promise<void> {
    const a = this.acked.get(peer)
    const msg: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind } = { kind: CheckpointMessage.Kind.STORE, instance: this.key, epoch: BigInt(this.epoch), seq: BigInt(seq), marks }
    const full = (): void => { msg.delta = undefined; msg.checkpoint = wireCheckpoint(state, this.descriptor); msg.descriptor = this.descriptor }
    if (a === undefined) full()
    else msg.delta = makeDelta(a.state, state, a.epoch, a.seq)
    const timeoutMs = this.svc.tuning.requestTimeoutMs
    try {
      await this.svc.network.request(peer, msg, { timeoutMs })
    } catch (err) {
      if (!(err instanceof NeedFullCheckpointError) || msg.delta === undefined) throw err
      full()
      await this.svc.network.request(peer, msg, { timeoutMs })
    }
    this.acked.set(peer, { epoch: this.epoch, seq, state })
  }
}
