/**
 * Failover: when the host of an instance is declared gone (registry `peer:gone`, and
 * on every reconcile tick in case an event was missed), each live holder of a copy
 * computes the same resumer, the live holder closest to the instance key. That peer
 * fetches the newest checkpoint from the other holders, bumps the epoch in the holders
 * CRDT (fencing the old copy) and resumes the EF from it.
 */
import { CheckpointMessage, chooseResumer, claimWins, decodeWireCheckpoint, type EpochClaim, type InstanceDescriptor, type ReplicaRecord } from '../../protocols/index.js'
import { encodeCheckpoint, type CheckpointState } from '../../unikernels/index.js'
import { newer, versionOf } from './replica-store.js'
import type { CheckpointService } from './service.js'

const FETCH_TIMEOUT_MS = 1000

/** The host claim in force for a record: the CRDT's, or the record's own if newer. */
export function currentClaim (svc: CheckpointService, r: ReplicaRecord): EpochClaim {
  const fromRecord = { epoch: Number(r.epoch), host: r.host }
  const c = svc.holders.current(r.instance)
  return c === undefined || claimWins(fromRecord, c) ? fromRecord : c
}

/**
 * Who may resume: the replica set the gone host sent with its checkpoints, plus us.
 * Only holders of a copy from the gone host's epoch take part, since every one of them
 * got the same replica set; a holder of an older copy leaves it to them.
 */
export function resumeCandidates (svc: CheckpointService, r: ReplicaRecord, gone: EpochClaim): string[] | undefined {
  if (Number(r.epoch) !== gone.epoch || r.host !== gone.host) return undefined
  return [...new Set([...r.replicaSet, svc.self])].filter((p) => p !== gone.host && svc.isLive(p))
}

/**
 * Whether the claimed host still runs the instance. A store from it within a liveness timeout
 * proves it does, whatever the registry says: after a heal the registry counts the other side
 * as gone for a few heartbeats, and a replica filled in that window resumed (and fenced) the
 * instance its live host had just sent it.
 */
export function hostUp (svc: Pick<CheckpointService, 'self' | 'isLive' | 'peer'>, r: ReplicaRecord, claim: EpochClaim, now = Date.now()): boolean {
  if (claim.host === svc.self) return false
  if (svc.isLive(claim.host)) return true
  const { heartbeatMs, goneAfterHeartbeats } = svc.peer.config
  return r.host === claim.host && Number(r.epoch) === claim.epoch && now - r.storedAt < heartbeatMs * goneAfterHeartbeats
}

/** One pass over every copy this peer holds: resume those whose host is gone and that fall to us. */
export function reconcile (svc: CheckpointService): void {
  if (svc.draining) return
  // a peer that has not been up for a liveness timeout cannot tell a gone host from one it
  // has not heard yet: resuming then would fence a running copy (seen: a freshly started
  // replica took the counter over from its live host)
  const { heartbeatMs, goneAfterHeartbeats } = svc.peer.config
  if (performance.now() - svc.openedAt < (goneAfterHeartbeats + 1) * heartbeatMs) return
  for (const r of svc.replicas.all()) {
    // a pipeline stage's state is resumed by the stage's next host (stage-state.ts)
    if (svc.hosted.has(r.instance) || svc.resuming.has(r.instance) || r.descriptor?.stage !== undefined) continue
    const claim = currentClaim(svc, r)
    if (hostUp(svc, r, claim)) continue
    const candidates = resumeCandidates(svc, r, claim)
    if (candidates === undefined || chooseResumer(r.instance, candidates) !== svc.self) continue
    svc.resuming.add(r.instance)
    takeOver(svc, r.instance, claim, candidates.filter((p) => p !== svc.self))
      .catch((err: Error) => { svc.log.warn('failover failed', { instance: r.instance, error: err.message }) })
      .finally(() => { svc.resuming.delete(r.instance) })
  }
}

interface Newest { record: ReplicaRecord, descriptor: InstanceDescriptor, state: CheckpointState }

async function newest (svc: CheckpointService, instance: string, others: string[]): Promise<Newest | undefined> {
  const local = svc.replicas.get(instance)
  const localState = svc.replicas.state(instance)
  let best: Newest | undefined = local?.descriptor === undefined || localState === undefined ? undefined : { record: local, descriptor: local.descriptor, state: localState }
  const answers = await Promise.allSettled(others.map(async (p) => await svc.network.request(p, { kind: CheckpointMessage.Kind.FETCH, instance }, { timeoutMs: FETCH_TIMEOUT_MS })))
  for (const a of answers) {
    if (a.status !== 'fulfilled') continue
    const m = a.value
    const descriptor = m.descriptor
    if (descriptor === undefined) continue
    let state: CheckpointState
    try {
      state = decodeWireCheckpoint(m.checkpoint, descriptor)
    } catch (err) {
      svc.log.warn('fetched checkpoint does not decode', { instance, error: err })
      continue
    }
    const r: ReplicaRecord = { instance, epoch: m.epoch, seq: m.seq, descriptor, checkpoint: m.checkpoint, outbox: m.outputs, replicaSet: m.replicaSet, host: m.reason, storedAt: Date.now() }
    if (best === undefined || newer(versionOf(r), versionOf(best.record))) best = { record: r, descriptor, state }
  }
  return best
}

async function takeOver (svc: CheckpointService, instance: string, gone: EpochClaim, others: string[]): Promise<void> {
  const local = svc.replicas.get(instance)
  if (local?.descriptor === undefined) return
  // boot while the other holders answer: both take milliseconds, not one after the other
  const booting = svc.sandboxFor(local.descriptor)
  booting.catch(() => {})
  const found = await newest(svc, instance, others)
  const sandbox = await booting
  try {
    const now = svc.holders.current(instance)
    // someone else resumed meanwhile and is alive, or the EF had finished: nothing to do
    if (found === undefined || (now !== undefined && now.epoch > gone.epoch && now.host !== svc.self && svc.isLive(now.host)) || found.state.terminated) {
      await sandbox.stop()
      return
    }
    const best = found.record
    const epoch = Math.max(gone.epoch, Number(best.epoch), now?.epoch ?? 0) + 1
    svc.claim(instance, epoch)
    const bytes = encodeCheckpoint(found.state)
    await sandbox.resume(bytes)
    const snapshot = { seq: found.state.steps, bytes, state: found.state, outbox: best.outbox }
    const peers = best.replicaSet.filter((p) => p !== svc.self)
    svc.host(found.descriptor, epoch, sandbox, { outbox: best.outbox, replicaSet: peers, base: { epoch: Number(best.epoch), snapshot, peers } })
    svc.counters.failovers++
    svc.log.info('resumed EF after failover', { instance, epoch, seq: Number(best.seq), from: gone.host })
    svc.safeDispatchEvent('ef:resumed', { detail: { instance, epoch, cause: 'failover', seq: Number(best.seq), at: Date.now() } })
  } catch (err) {
    await sandbox.stop().catch(() => {})
    throw err
  }
}
