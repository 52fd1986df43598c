/**
 * Answers to `/ecco/checkpoint/3.0.0` requests, one handler per message kind:
 * STORE (replica), FETCH (replica, for a resumer), OUTPUT (sink), PREPARE and
 * TRANSFER (migration target). Every handler fences: a request from an epoch older
 * than the current one is answered FENCED, which stops the sender's copy.
 */
import {
  CheckpointMessage, CheckpointNotFoundError, FencedError, NeedFullCheckpointError, applyDeltaToState, claimWins, decodeWireCheckpoint, wireCheckpoint,
  type CheckpointRequestHandler, type InstanceDescriptor, type ReplicaRecord
} from '../../protocols/index.js'
import { encodeCheckpoint, type CheckpointState } from '../../unikernels/index.js'
import type { CheckpointSnapshot } from './host.js'
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

/**
 * The state a STORE or TRANSFER carries, rebuilt from a delta against the record held
 * here when needed, and the compact checkpoint to store next to `descriptor`.
 */
function receivedState (svc: CheckpointService, msg: CheckpointMessage, descriptor: InstanceDescriptor): { state: CheckpointState, checkpoint: Uint8Array } {
  if (msg.delta === undefined) {
    if (msg.checkpoint.byteLength === 0) throw new NeedFullCheckpointError('no checkpoint and no delta')
    // refuses a checkpoint of another image, or one that does not decode
    const state = decodeWireCheckpoint(msg.checkpoint, descriptor)
    return { state, checkpoint: msg.descriptor === undefined ? wireCheckpoint(state, descriptor) : msg.checkpoint }
  }
  const d = msg.delta
  const baseState = svc.replicas.stateAt(msg.instance, { epoch: Number(d.baseEpoch), seq: Number(d.baseSeq) })
  if (baseState === undefined) {
    const have = svc.replicas.version(msg.instance)
    throw new NeedFullCheckpointError(`holds ${have === undefined ? 'nothing' : `(${have.epoch}, ${have.seq})`}, delta is against (${d.baseEpoch}, ${d.baseSeq})`)
  }
  const state = applyDeltaToState(baseState, d)
  return { state, checkpoint: wireCheckpoint(state, descriptor) }
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
  const { state, checkpoint } = receivedState(svc, msg, descriptor)
  const record: ReplicaRecord = {
    instance: msg.instance,
    epoch: msg.epoch,
    seq: msg.seq,
    descriptor,
    checkpoint,
    outbox: msg.outputs,
    replicaSet: msg.replicaSet,
    host: from,
    storedAt: Date.now(),
    marks: msg.marks
  }
  // the ack waits for the disk: a host counts it towards its quorum, so a replica killed
  // right after acking must still hold the copy when it restarts (replica-store.ts)
  await svc.replicas.put(record, state)
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
  return { kind: CheckpointMessage.Kind.STATE, epoch: r.epoch, seq: r.seq, descriptor: r.descriptor, checkpoint: r.checkpoint, outputs: r.outbox, replicaSet: r.replicaSet, reason: r.host, marks: r.marks }
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
  const { state } = receivedState(svc, msg, descriptor)
  const checkpoint = encodeCheckpoint(state)
  const sandbox = await svc.sandboxFor(descriptor)
  try {
    await sandbox.resume(checkpoint)
  } catch (err) {
    await sandbox.stop().catch(() => {})
    throw err
  }
  const snapshot: CheckpointSnapshot = { seq: state.steps, bytes: checkpoint, state, outbox: msg.outputs }
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
