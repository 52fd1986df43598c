/**
 * Answers to `/ecco/checkpoint/2.0.0` requests, one handler per message kind:
 * STORE (replica), FETCH (replica, for a resumer), OUTPUT (sink), PREPARE and
 * TRANSFER (migration target). Every handler fences: a request from an epoch older
 * than the current one is answered FENCED, which stops the sender's copy.
 */
import {
  CheckpointMessage, CheckpointNotFoundError, FencedError, NeedFullCheckpointError, applyDelta, claimWins, fromWireCheckpoint, wireCheckpoint,
  type CheckpointRequestHandler, type InstanceDescriptor, type ReplicaRecord
} from '../../protocols/index.js'
import { decodeCheckpoint } from '../../unikernels/index.js'
import { snapshotOf } from './host.js'
import type { CheckpointService } from './service.js'

type Answer = Awaited<ReturnType<CheckpointRequestHandler>>

/** Throws FencedError unless `from` at `epoch` may act as host of `instance`. */
export function checkEpoch (svc: CheckpointService, instance: string, epoch: number, from: string): void {
  const current = svc.holders.current(instance)
  const stored = svc.replicas.get(instance)
  const storedEpoch = stored === undefined ? 0 : Number(stored.epoch)
  if (current !== undefined && !claimWins({ epoch, host: from }, current) && !(current.epoch === epoch && current.host === from)) {
    throw new FencedError(`${instance}: epoch ${epoch} of ${from} is behind epoch ${current.epoch} of ${current.host}`, current.epoch)
  }
  if (epoch < storedEpoch) throw new FencedError(`${instance}: epoch ${epoch} is behind stored epoch ${storedEpoch}`, storedEpoch)
}

/** The self-describing checkpoint a STORE or TRANSFER carries, rebuilt from a delta when needed. */
function fullCheckpoint (svc: CheckpointService, msg: CheckpointMessage, descriptor: InstanceDescriptor): Uint8Array {
  if (msg.delta === undefined) {
    if (msg.checkpoint.byteLength === 0) throw new NeedFullCheckpointError('no checkpoint and no delta')
    return fromWireCheckpoint(msg.checkpoint, descriptor)
  }
  const base = svc.replicas.get(msg.instance)
  const d = msg.delta
  if (base === undefined || base.epoch !== d.baseEpoch || base.seq !== d.baseSeq) {
    throw new NeedFullCheckpointError(`holds ${base === undefined ? 'nothing' : `(${base.epoch}, ${base.seq})`}, delta is against (${d.baseEpoch}, ${d.baseSeq})`)
  }
  return applyDelta(base.checkpoint, d)
}

async function onStore (svc: CheckpointService, msg: CheckpointMessage, from: string): Promise<Answer> {
  const epoch = Number(msg.epoch)
  checkEpoch(svc, msg.instance, epoch, from)
  const hostedHere = svc.hosted.get(msg.instance)
  if (hostedHere !== undefined && hostedHere.epoch < epoch) hostedHere.fence(epoch)
  const have = svc.replicas.version(msg.instance)
  if (have !== undefined && (have.epoch > epoch || (have.epoch === epoch && have.seq >= Number(msg.seq)))) {
    return { kind: CheckpointMessage.Kind.STORED, epoch: msg.epoch, seq: msg.seq }
  }
  const descriptor = msg.descriptor ?? svc.replicas.get(msg.instance)?.descriptor
  if (descriptor === undefined) throw new NeedFullCheckpointError('no descriptor for the instance')
  const record: ReplicaRecord = {
    instance: msg.instance,
    epoch: msg.epoch,
    seq: msg.seq,
    descriptor,
    checkpoint: fullCheckpoint(svc, msg, descriptor),
    outbox: msg.outputs,
    replicaSet: msg.replicaSet,
    host: from,
    storedAt: Date.now(),
    marks: msg.marks
  }
  await svc.replicas.put(record)
  svc.counters.stored++
  // a pipeline stage resumes where its pipeline places it, not necessarily here
  if (descriptor.stage === undefined) svc.warm(descriptor)
  if (svc.holders.current(msg.instance)?.host !== from) svc.claim(msg.instance, epoch, from)
  svc.recordHeld(msg.instance, svc.self, epoch, Number(msg.seq))
  return { kind: CheckpointMessage.Kind.STORED, epoch: msg.epoch, seq: msg.seq }
}

async function onFetch (svc: CheckpointService, msg: CheckpointMessage, from: string): Promise<Answer> {
  // a resumer that names its epoch takes it here first: the previous host's next store is fenced
  if (msg.epoch > 0n) {
    checkEpoch(svc, msg.instance, Number(msg.epoch), from)
    svc.claim(msg.instance, Number(msg.epoch), from)
  }
  const r = svc.replicas.get(msg.instance)
  if (r === undefined) throw new CheckpointNotFoundError(`${msg.instance}: no checkpoint here`)
  return { kind: CheckpointMessage.Kind.STATE, epoch: r.epoch, seq: r.seq, descriptor: r.descriptor, checkpoint: wireCheckpoint(decodeCheckpoint(r.checkpoint)), outputs: r.outbox, replicaSet: r.replicaSet, reason: r.host, marks: r.marks }
}

async function onOutput (svc: CheckpointService, msg: CheckpointMessage, from: string): Promise<Answer> {
  const highWater = await svc.sink.accept(msg.instance, Number(msg.epoch), msg.outputs, from)
  return { kind: CheckpointMessage.Kind.DELIVERED, epoch: msg.epoch, highWater: BigInt(highWater) }
}

async function onPrepare (svc: CheckpointService, msg: CheckpointMessage): Promise<Answer> {
  if (svc.draining) throw new Error('peer is draining')
  if (msg.descriptor === undefined) throw new Error('PREPARE without descriptor')
  svc.prepare(msg.descriptor)
  await svc.prepared.get(msg.instance)?.sandbox
  return { kind: CheckpointMessage.Kind.PREPARED }
}

/** Migration target: store the final checkpoint, claim the new epoch, resume. */
async function onTransfer (svc: CheckpointService, msg: CheckpointMessage, from: string): Promise<Answer> {
  if (svc.draining) throw new Error('peer is draining')
  const epoch = Number(msg.epoch)
  const current = svc.holders.current(msg.instance)
  if (current !== undefined && current.epoch >= epoch) throw new FencedError(`${msg.instance}: epoch ${epoch} is not newer than ${current.epoch}`, current.epoch)
  const descriptor = msg.descriptor ?? svc.replicas.get(msg.instance)?.descriptor
  if (descriptor === undefined) throw new NeedFullCheckpointError('no descriptor for the instance')
  const checkpoint = fullCheckpoint(svc, msg, descriptor)
  const sandbox = await svc.sandboxFor(descriptor)
  try {
    await sandbox.resume(checkpoint)
  } catch (err) {
    await sandbox.stop().catch(() => {})
    throw err
  }
  const snapshot = snapshotOf(checkpoint, msg.outputs)
  // the source's replicas hold its epoch (this one minus one): deltas to them may apply
  const prevEpoch = epoch - 1
  svc.host(descriptor, epoch, sandbox, {
    outbox: msg.outputs,
    replicaSet: msg.replicaSet.filter((p) => p !== svc.self),
    base: { epoch: prevEpoch, snapshot: { ...snapshot, seq: Number(msg.seq) }, peers: msg.replicaSet.filter((p) => p !== svc.self && p !== from) },
    resumedFrom: snapshot
  })
  svc.counters.migrationsIn++
  svc.safeDispatchEvent('ef:resumed', { detail: { instance: msg.instance, epoch, cause: 'migration', seq: Number(msg.seq), at: Date.now() } })
  return { kind: CheckpointMessage.Kind.RESUMED, epoch: msg.epoch, seq: msg.seq }
}

/** The dispatch table: one handler per request kind; anything else is refused. */
export function requestHandler (svc: CheckpointService): CheckpointRequestHandler {
  const table: Partial<Record<CheckpointMessage.Kind, (msg: CheckpointMessage, from: string) => Promise<Answer>>> = {
    [CheckpointMessage.Kind.STORE]: async (m, f) => await onStore(svc, m, f),
    [CheckpointMessage.Kind.FETCH]: async (m, f) => await onFetch(svc, m, f),
    [CheckpointMessage.Kind.OUTPUT]: async (m, f) => await onOutput(svc, m, f),
    [CheckpointMessage.Kind.PREPARE]: async (m) => await onPrepare(svc, m),
    [CheckpointMessage.Kind.TRANSFER]: async (m, f) => await onTransfer(svc, m, f)
  }
  return async (msg, from) => {
    const h = table[msg.kind]
    if (h === undefined) throw new Error(`unexpected request kind ${msg.kind}`)
    return await h(msg, from)
  }
}
