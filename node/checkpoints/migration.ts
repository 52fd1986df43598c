/**
 * Live migration (MirageManager's workflow between peers): while the EF still runs, a
 * warm sandbox is prepared on the target and the newest checkpoint is pre-copied to it;
 * then suspend at a step boundary, send the final checkpoint as a delta against the
 * pre-copy (a few dozen bytes for the counter), and the target resumes at the next epoch.
 * Drain migrates every hosted instance away and withdraws the checkpoint role.
 */
import { CheckpointMessage, FencedError, NeedFullCheckpointError, makeDelta, orderByDistance, wireCheckpoint } from '../../protocols/index.js'
import type { HostedInstance } from './host.js'
import type { CheckpointService } from './service.js'

export interface MigrationResult {
  instance: string
  from: string
  to: string
  epoch: number
  seq: number
  /** suspend to the target's answer (the EF runs nowhere in between) */
  pausedMs: number
  totalMs: number
  /** prepare + pre-copy (EF running), suspend (to the final checkpoint), transfer (to the target's answer, resumed) */
  phases: { prepareMs: number, suspendMs: number, transferMs: number }
  /** encoded TRANSFER message and the state part of it */
  transferBytes: number
  stateBytes: number
  delta: boolean
}

/** The operation cannot start: unknown instance, not hosted here, bad target. */
export class MigrationError extends Error {
  static name = 'MigrationError'
  readonly code = 'ERR_MIGRATION'
  constructor (message = 'Migration refused') {
    super(message)
    this.name = 'MigrationError'
  }
}

function transferMessage (h: HostedInstance, to: string, snap: Awaited<ReturnType<HostedInstance['suspend']>>, full: boolean): Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind } {
  const msg: Partial<CheckpointMessage> & { kind: CheckpointMessage.Kind } = {
    kind: CheckpointMessage.Kind.TRANSFER,
    instance: h.instance,
    epoch: BigInt(h.epoch + 1),
    seq: BigInt(snap.seq),
    outputs: snap.outbox,
    replicaSet: h.replicaSet
  }
  const acked = h.links.get(to)?.acked
  if (!full && acked !== undefined && acked.epoch === h.epoch) {
    msg.delta = makeDelta(acked.state, snap.state, acked.epoch, acked.seq)
  } else {
    msg.checkpoint = wireCheckpoint(snap.state, h.descriptor)
    msg.descriptor = h.descriptor
  }
  return msg
}

/**
 * Sends the host's newest checkpoint to a peer outside its replica set (the migration
 * target) while the EF still runs, so the transfer after suspend is only a delta against it.
 */
async function precopy (svc: CheckpointService, h: HostedInstance, to: string): Promise<void> {
  const snap = h.latest
  const link = h.links.get(to) ?? { peer: to, inflight: false }
  if (snap === undefined || link.acked?.epoch === h.epoch) return
  await svc.network.request(to, {
    kind: CheckpointMessage.Kind.STORE,
    instance: h.instance,
    epoch: BigInt(h.epoch),
    seq: BigInt(snap.seq),
    outputs: snap.outbox,
    replicaSet: h.replicaSet,
    checkpoint: wireCheckpoint(snap.state, h.descriptor),
    descriptor: h.descriptor
  }, { timeoutMs: svc.tuning.requestTimeoutMs })
  if (link.acked === undefined || link.acked.epoch !== h.epoch || link.acked.seq < snap.seq) link.acked = { epoch: h.epoch, seq: snap.seq, state: snap.state }
  h.links.set(to, link)
}

export async function migrate (svc: CheckpointService, instance: string, to: string): Promise<MigrationResult> {
  const h = svc.hosted.get(instance)
  if (h === undefined || h.status !== 'running') throw new MigrationError(`instance ${instance} is not running on this peer`)
  if (to === svc.self) throw new MigrationError(`--to: ${to} is this peer`)
  if (!svc.isLive(to)) throw new MigrationError(`--to: peer ${to} is not live`)
  const t0 = performance.now()
  // before the EF stops: a warm sandbox on the target, and the target holds a recent
  // checkpoint, so only the delta moves while the EF is down (a failed pre-copy costs a full transfer)
  await Promise.all([
    svc.network.request(to, { kind: CheckpointMessage.Kind.PREPARE, instance, descriptor: h.descriptor }, { timeoutMs: 10_000 }),
    precopy(svc, h, to).catch((err: Error) => { svc.log.debug('pre-copy failed', { instance, to, error: err }) })
  ])
  const tSuspend = performance.now()
  const snap = await h.suspend()
  const tTransfer = performance.now()
  let msg = transferMessage(h, to, snap, false)
  const sent = { bytes: 0 }
  try {
    try {
      await svc.network.request(to, msg, { timeoutMs: 10_000, sent })
    } catch (err) {
      if (!(err instanceof NeedFullCheckpointError)) throw err
      msg = transferMessage(h, to, snap, true)
      await svc.network.request(to, msg, { timeoutMs: 10_000, sent })
    }
  } catch (err) {
    if (err instanceof FencedError) h.fence(err.currentEpoch)
    else h.wake()
    throw err
  }
  const tDone = performance.now()
  await h.finish('migrated')
  svc.counters.migrationsOut++
  return {
    instance,
    from: svc.self,
    to,
    epoch: h.epoch + 1,
    seq: snap.seq,
    pausedMs: tDone - tSuspend,
    totalMs: tDone - t0,
    phases: { prepareMs: tSuspend - t0, suspendMs: tTransfer - tSuspend, transferMs: tDone - tTransfer },
    transferBytes: sent.bytes,
    stateBytes: msg.delta?.packed?.byteLength ?? msg.checkpoint?.byteLength ?? 0,
    delta: msg.delta !== undefined
  }
}

/** Where drain sends an instance: its closest live replica, else the closest live checkpoint peer. */
export function drainTarget (svc: CheckpointService, h: HostedInstance): string | undefined {
  const live = svc.replicaCandidates()
  return orderByDistance(h.instance, h.replicaSet.filter((p) => live.includes(p)))[0] ?? orderByDistance(h.instance, live)[0]
}

/** Migrates every hosted instance away and stops taking new ones (before maintenance). */
export async function drain (svc: CheckpointService): Promise<Array<MigrationResult | { instance: string, error: string }>> {
  svc.draining = true
  svc.setRole(false)
  const results: Array<MigrationResult | { instance: string, error: string }> = []
  for (const h of [...svc.hosted.values()]) {
    const to = drainTarget(svc, h)
    if (to === undefined) { results.push({ instance: h.instance, error: 'no live checkpoint peer to take it' }); continue }
    try {
      results.push(await migrate(svc, h.instance, to))
    } catch (err) {
      results.push({ instance: h.instance, error: (err as Error).message })
    }
  }
  return results
}
