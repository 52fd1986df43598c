/**
 * Live-migration benchmark (issue 6; thesis Table 1 and Fig. 4.23).
 * Run: npm run bench:migrate  ->  bench/results/migrate.json
 *
 * 1. Table 1: downtime (last output released before suspend to first output released
 *    after resume), total time (prepare + pre-copy + suspend + transfer + resume), the
 *    phases, and bytes, for the counter and the counter with a 100 KB Unimem entry, to a
 *    target that holds a replica and to one that does not (pre-copied before suspend, so
 *    both transfer a delta). The counters are paced at TABLE1_STEP_MS (1 ms) between
 *    steps, two steps per output, so the gap between two outputs of the same host
 *    (`normalGapMs`: the pacing plus each output's commit, a checkpoint stored on a
 *    replica) is well under the 10 ms target; downtime can never be below it, and
 *    downtime - normalGap is what the migration itself costs.
 *    Counter state (`counterState`): the counter's checkpoint as a replica stores it and a
 *    full STORE/TRANSFER/STATE carries it (compact format 3: 4-byte image reference the
 *    receiver checks against the descriptor's hash, Unimem keys and step names as indices
 *    into the descriptor's name table, varints, no clock), read from a replica's record
 *    after table 1. The descriptor (instance, image, sink, name table) travels with every
 *    full checkpoint and is reported next to it.
 * 2. Fig. 4.23: 1..32 counters migrated in parallel over an uplink capped by a token
 *    bucket at 100 kbps .. unlimited, next to a CRIU-style baseline whose payload is the
 *    sandbox's whole linear memory (modelled: the same measured migration plus that
 *    payload through the same cap).
 * 3. Failover: the host is an ecco-peer OS process killed with SIGKILL; time from the kill
 *    to the resume on a replica, against the target liveness timeout + 500 ms.
 * Env: BENCH_MIGRATIONS (default 30), BENCH_MAX_PARALLEL (default 32), BENCH_FAILOVERS (default 10).
 */
import { loadavg } from 'node:os'
import { CheckpointsFeature, type MigrationResult } from '../node/checkpoints/index.js'
import { InstanceDescriptor, decodeWireCheckpoint } from '../protocols/index.js'
import { encodeCheckpoint } from '../unikernels/index.js'
import type { EccoPeer } from '../node/peer.js'
import { TestMesh } from '../test/helpers/mesh.js'
import { ProcessMesh, getJson } from '../test/helpers/processes.js'
import { waitFor } from '../test/helpers/wait.js'
import { percentile, writeResults } from './results.js'
import { tuneHeapForPeers } from '../node/runtime.js'

// the same process tuning as the bins: a bench process hosts peers
tuneHeapForPeers()

const MIGRATIONS = Number(process.env.BENCH_MIGRATIONS ?? 30)
const MAX_PARALLEL = Number(process.env.BENCH_MAX_PARALLEL ?? 32)
const CAPS: Array<[string, number]> = [['100kbps', 100e3], ['500kbps', 500e3], ['1Mbps', 1e6], ['10Mbps', 10e6], ['unlimited', Infinity]]
const LIMIT = 1_000_000_000n
const FAILOVERS = Number(process.env.BENCH_FAILOVERS ?? 10)
/** pacing of the table 1 counters: the normal output gap must stay well under the 10 ms target */
const TABLE1_STEP_MS = 1
const FO_HEARTBEAT_MS = 500
const FO_GONE_AFTER = 3
/** declared gone after FO_GONE_AFTER silent heartbeats, checked once per heartbeat */
const FO_LIVENESS_MS = (FO_GONE_AFTER + 1) * FO_HEARTBEAT_MS

const f = (p: EccoPeer): CheckpointsFeature => p.features.get('checkpoints') as CheckpointsFeature

/** A token bucket: `take(bytes)` resolves when the bytes fit under the rate (burst of one MTU). */
function tokenBucket (bitsPerSecond: number): (peer: string, bytes: number) => Promise<void> {
  let freeAt = 0
  return async (_peer, bytes) => {
    const now = performance.now()
    const start = Math.max(now, freeAt)
    freeAt = start + bytes * 8 / bitsPerSecond * 1000
    const wait = freeAt - now - 1500 * 8 / bitsPerSecond * 1000
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

/** Release times of outputs per (instance, epoch), from the hosts' ef:output events. */
class Releases {
  readonly times = new Map<string, number[]>()
  watch (peer: EccoPeer): void {
    f(peer).service.addEventListener('ef:output', (e) => {
      const k = `${e.detail.instance}@${e.detail.epoch}`
      const list = this.times.get(k) ?? []
      list.push(performance.now())
      this.times.set(k, list)
    })
  }

  last (instance: string, epoch: number): number | undefined { return this.times.get(`${instance}@${epoch}`)?.at(-1) }
  first (instance: string, epoch: number): number | undefined { return this.times.get(`${instance}@${epoch}`)?.[0] }
  all (instance: string, epoch: number): number[] { return this.times.get(`${instance}@${epoch}`) ?? [] }
}

function hostOf (peers: EccoPeer[], instance: string): EccoPeer {
  const h = peers.find((p) => f(p).service.hosted.get(instance)?.status === 'running')
  if (h === undefined) throw new Error(`${instance} runs nowhere`)
  return h
}

interface Sample {
  downtimeMs: number
  totalMs: number
  pausedMs: number
  prepareMs: number
  suspendMs: number
  transferMs: number
  normalGapMs: number
  transferBytes: number
  stateBytes: number
}

function summary (samples: Sample[]): Record<string, unknown> {
  const col = (k: keyof Sample): number[] => samples.map((s) => s[k])
  const stat = (k: keyof Sample): Record<string, number> => ({ p50: percentile(col(k), 50), p90: percentile(col(k), 90), p99: percentile(col(k), 99), mean: col(k).reduce((a, b) => a + b, 0) / samples.length })
  const keys: Array<keyof Sample> = ['downtimeMs', 'normalGapMs', 'totalMs', 'pausedMs', 'prepareMs', 'suspendMs', 'transferMs', 'transferBytes', 'stateBytes']
  return { n: samples.length, ...Object.fromEntries(keys.map((k) => [k, stat(k)])) }
}

/** Median gap between consecutive release times. */
function medianGap (times: number[]): number {
  return percentile(times.slice(1).map((t, i) => t - times[i]), 50)
}

/** Migrates `instance` to a replica or a non-replica target, alternating hosts, and measures each. */
async function table1 (peers: EccoPeer[], rel: Releases, instance: string, replicaTarget: boolean, n: number): Promise<Sample[]> {
  const samples: Sample[] = []
  for (let i = 0; i < n; i++) {
    const from = hostOf(peers, instance)
    const h = f(from).service.hosted.get(instance)
    if (h === undefined) throw new Error('no host')
    const others = peers.filter((p) => p !== from && p !== peers[0])
    const to = others.find((p) => h.replicaSet.includes(p.peerId.toString()) === replicaTarget) ?? others[0]
    await waitFor(() => rel.last(instance, h.epoch) !== undefined, { timeoutMs: 10_000, message: 'no output before migrating' })
    const r: MigrationResult = await f(from).migrate(instance, to.peerId.toString())
    await waitFor(() => rel.first(instance, r.epoch) !== undefined, { timeoutMs: 10_000, message: 'no output after migrating' })
    const downtimeMs = (rel.first(instance, r.epoch) ?? NaN) - (rel.last(instance, r.epoch - 1) ?? NaN)
    samples.push({ downtimeMs, totalMs: r.totalMs, pausedMs: r.pausedMs, ...r.phases, normalGapMs: medianGap(rel.all(instance, r.epoch - 1)), transferBytes: r.transferBytes, stateBytes: r.stateBytes })
  }
  return samples
}

async function parallel (peers: EccoPeer[], n: number, label: string, cap: number): Promise<{ totalMs: number, bytes: number, memoryBytes: number, failed: string[] }> {
  const [, a, b] = peers
  // fresh instances per row: an instance name is taken for good once claimed in the holders CRDT
  const names = Array.from({ length: n }, (_, i) => `par-${n}-${label}-${i}`)
  for (const name of names) {
    await f(a).service.startInstance({ instance: name, image: 'counter', sink: peers[0].peerId.toString(), stepIntervalMs: 50, seed: { limit: LIMIT } })
  }
  await waitFor(() => names.every((x) => (f(a).service.hosted.get(x)?.latest?.seq ?? 0) > 2), { timeoutMs: 30_000, message: 'parallel instances did not start' })
  const memoryBytes = f(a).service.hosted.get(names[0])?.sandbox.memory.buffer.byteLength ?? 0
  f(a).service.network.shaper = Number.isFinite(cap) ? tokenBucket(cap) : undefined
  const t0 = performance.now()
  // a target that cannot boot in time (the EF's boot cap on an overloaded machine) refuses: count it
  const settled = await Promise.allSettled(names.map(async (x) => await f(a).migrate(x, b.peerId.toString())))
  const totalMs = performance.now() - t0
  f(a).service.network.shaper = undefined
  const results = settled.flatMap((r) => r.status === 'fulfilled' ? [r.value] : [])
  const failed = settled.flatMap((r) => r.status === 'rejected' ? [(r.reason as Error).message] : [])
  for (const p of peers) for (const h of [...f(p).service.hosted.values()]) await h.finish('stopped')
  return { totalMs, bytes: results.reduce((s, r) => s + r.transferBytes, 0), memoryBytes, failed }
}

/** kill -9 of a host process `trials` times; resume delay after each kill. */
async function failover (trials: number): Promise<Record<string, unknown>> {
  const mesh = new TestMesh()
  const procs = new ProcessMesh()
  try {
    const peers: EccoPeer[] = []
    const section = { replicas: 2, quorum: 1, stepIntervalMs: 20, controlPort: 0, gcAfterMs: 60_000 }
    for (const [i, name] of ['fo-sink', 'fo-r1', 'fo-r2'].entries()) {
      peers.push(await mesh.add({
        name,
        position: { lat: 48.27 + i * 0.0005, lon: 11.66 },
        ...(i === 0 ? {} : { bootstrap: [mesh.addrOf(peers[0])] }),
        heartbeatMs: FO_HEARTBEAT_MS,
        config: { goneAfterHeartbeats: FO_GONE_AFTER, sections: { checkpoints: section } }
      }))
    }
    await waitFor(() => peers.every((p) => f(p).service.replicaCandidates().length === peers.length - 1), { timeoutMs: 30_000, message: 'failover mesh did not form' })
    const resumedAt: number[] = []
    let received = 0
    for (const p of peers) f(p).service.addEventListener('ef:resumed', (e) => { if (e.detail.cause === 'failover') resumedAt.push(e.detail.at) })
    f(peers[0]).service.addEventListener('sink:output', () => { received++ })
    const instance = 'counter-fo'
    await f(peers[1]).service.startInstance({ instance, image: 'counter', sink: peers[0].peerId.toString(), seed: { limit: LIMIT }, stepIntervalMs: 20 })
    const yaml = `heartbeatMs: ${FO_HEARTBEAT_MS}\ngoneAfterHeartbeats: ${FO_GONE_AFTER}\ncheckpoints:\n  replicas: 2\n  quorum: 1\n  stepIntervalMs: 20\n`
    const times: number[] = []
    let preempted = 0
    const errors: string[] = []
    for (let t = 0; t < trials; t++) {
      try {
        const child = await procs.start(`fo${t}`, yaml, mesh.addrOf(peers[0]))
        const childId = (await getJson<{ peerId: string }>(child, '/status')).peerId
        await waitFor(() => peers.every((p) => f(p).service.replicaCandidates().includes(childId)), { timeoutMs: 30_000, message: `failover ${t}: child not live` })
        // the host may be fenced mid-migration by an early failover under load: migrate from wherever it runs now
        let moved: MigrationResult | undefined
        for (let attempt = 0; moved === undefined; attempt++) {
          try {
            moved = await f(hostOf(peers, instance)).migrate(instance, childId)
          } catch (err) {
            if (attempt >= 5) throw err
            await waitFor(() => { try { return hostOf(peers, instance) !== undefined } catch { return false } }, { timeoutMs: 30_000, message: `failover ${t}: instance runs nowhere` })
          }
        }
        const n = received
        await waitFor(() => received >= n + 5, { timeoutMs: 30_000, message: `failover ${t}: no outputs from the child` })
        const before = resumedAt.length
        child.child.kill('SIGKILL')
        const killedAt = Date.now()
        await child.exit
        // a replica may have declared the child gone before the kill (heartbeats missed under load): then it runs already
        const childEpoch = moved.epoch
        const resumedHere = (): boolean => peers.some((p) => { const h = f(p).service.hosted.get(instance); return h?.status === 'running' && h.epoch > childEpoch })
        await waitFor(resumedHere, { timeoutMs: 30_000, message: () => `failover ${t}: nobody resumed; ${JSON.stringify(peers.map((p) => f(p).list()), (_k, v: unknown) => typeof v === 'bigint' ? Number(v) : v)}` })
        if (resumedAt.length > before) times.push(resumedAt[before] - killedAt)
        else preempted++
        await waitFor(() => received >= n + 10, { timeoutMs: 30_000, message: `failover ${t}: no outputs after resume` })
        process.stdout.write(`failover ${t}: ${resumedAt.length > before ? `resumed ${resumedAt[before] - killedAt} ms after kill -9` : 'failed over before the kill'}\n`)
      } catch (err) {
        // a harness failure (a child that never got live on an overloaded box) costs the trial, not the run
        errors.push(`trial ${t}: ${(err as Error).message.slice(0, 500)}`)
        process.stdout.write(`failover ${t}: ${(err as Error).message.slice(0, 200)}\n`)
        for (const p of procs.procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
        await waitFor(() => { try { return hostOf(peers, instance) !== undefined } catch { return false } }, { timeoutMs: 30_000, message: 'instance runs nowhere after a failed trial' })
      }
    }
    const targetMs = FO_LIVENESS_MS + 500
    return {
      trials,
      heartbeatMs: FO_HEARTBEAT_MS,
      goneAfterHeartbeats: FO_GONE_AFTER,
      livenessMs: FO_LIVENESS_MS,
      targetMs,
      resumeAfterKillMs: { p50: percentile(times, 50), p90: percentile(times, 90), max: Math.max(...times), all: times },
      withinTarget: times.filter((x) => x <= targetMs).length,
      measured: times.length,
      failedOverBeforeKill: preempted,
      harnessErrors: errors,
      outputsAtSink: received,
      sinkState: f(peers[0]).service.sink.get(instance)
    }
  } finally {
    await procs.stop()
    await mesh.stop()
  }
}

/**
 * The counter's state as a replica holds it (and a full STORE/TRANSFER/STATE carries it),
 * next to the descriptor it is resolved against and the self-describing form.
 */
function counterStateOf (peers: EccoPeer[]): Record<string, unknown> & { selfDescribingBytes: number } {
  const held = peers.map((p) => f(p).service.replicas.get('counter')).filter((r) => r?.descriptor !== undefined)
  const r = held.sort((a, b) => Number((b?.seq ?? 0n) - (a?.seq ?? 0n)))[0]
  if (r?.descriptor === undefined) return { error: 'no replica holds the counter', selfDescribingBytes: 0 }
  const state = decodeWireCheckpoint(r.checkpoint, r.descriptor)
  return {
    definition: 'the counter EF checkpoint as a replica stores it and a full STORE/TRANSFER/STATE carries it: compact format 3 (4-byte image ref checked against the descriptor hash, Unimem keys and step names as indices into the descriptor name table, varints, no clock); the descriptor travels with every full checkpoint and is stored with it',
    bytes: r.checkpoint.byteLength,
    targetBytes: 40,
    atStep: Number(r.seq),
    unimemKeys: state.unimem.map(([k]) => k),
    descriptorBytes: InstanceDescriptor.encode(r.descriptor).byteLength,
    descriptorNames: r.descriptor.names,
    selfDescribingBytes: encodeCheckpoint({ ...state, clock: Date.now() }).byteLength,
    note: 'selfDescribingBytes: the same state with the 32-byte image hash, image name and names inline (what the sandbox resumes from, never sent); migration deltas: table1.counter.*.stateBytes'
  }
}

async function main (): Promise<void> {
  const loadAvg = loadavg()
  const failoverResult = FAILOVERS > 0 ? await failover(FAILOVERS).catch((err: Error) => ({ error: err.message.slice(0, 4000) })) : undefined
  process.stdout.write(`failover done: ${JSON.stringify(failoverResult)}\n`)
  const mesh = new TestMesh()
  const peers: EccoPeer[] = []
  try {
    for (const [i, name] of ['sink', 'a', 'b', 'c'].entries()) {
      peers.push(await mesh.add({
        name,
        position: { lat: 48.26 + i * 0.0005, lon: 11.66 },
        ...(i === 0 ? {} : { bootstrap: [mesh.addrOf(peers[0])] }),
        config: { sections: { checkpoints: { replicas: 2, quorum: 1, stepIntervalMs: 2, controlPort: 0, gcAfterMs: 60_000, maxWorkers: 80 } } }
      }))
    }
    await waitFor(() => peers.every((p) => f(p).service.replicaCandidates().length === peers.length - 1), { timeoutMs: 30_000, message: 'mesh did not form' })
    const rel = new Releases()
    for (const p of peers) rel.watch(p)
    const loadAtTable1 = loadavg()
    const sink = peers[0].peerId.toString()

    await f(peers[1]).service.startInstance({ instance: 'counter', image: 'counter', sink, seed: { limit: LIMIT }, stepIntervalMs: TABLE1_STEP_MS })
    await f(peers[1]).service.startInstance({ instance: 'unimem-100k', image: 'counter', sink, seed: { limit: LIMIT, blob: new Uint8Array(100 * 1024).fill(7) }, stepIntervalMs: TABLE1_STEP_MS })
    const table = {
      counter: { toReplica: summary(await table1(peers, rel, 'counter', true, MIGRATIONS)), toNonReplica: summary(await table1(peers, rel, 'counter', false, MIGRATIONS)) },
      unimem100k: { toReplica: summary(await table1(peers, rel, 'unimem-100k', true, Math.ceil(MIGRATIONS / 3))), toNonReplica: summary(await table1(peers, rel, 'unimem-100k', false, Math.ceil(MIGRATIONS / 3))) }
    }
    const counterState = counterStateOf(peers)
    const fullCounterCheckpointBytes = counterState.selfDescribingBytes
    for (const p of peers) for (const h of [...f(p).service.hosted.values()]) await h.finish('stopped')
    process.stdout.write(`table 1 done: ${JSON.stringify(table)}\n`)

    const scaling: Array<Record<string, unknown>> = []
    const save = async (): Promise<string> => await writeResults('migrate', {
      notes: 'in-process peers on loopback (TCP+Noise+Yamux); downtime = last output released before suspend -> first output released after resume (includes one normal output gap: normalGapMs, counters paced at table1StepIntervalMs between steps); pausedMs = suspend -> target resumed; CRIU baseline modelled as the measured migration plus the whole linear memory and checkpoint through the same cap',
      thesisTable1: { mirageManager: { downtimeS: 0.33, totalS: 3.54, stateBytes: 79 }, podmanCriu: { downtimeS: 1.80, totalS: 1.96, stateBytes: 195175 } },
      targets: { downtimeMsP50: 10, counterStateBytes: 40 },
      loadAverageAtStart: loadAvg,
      loadAverageAtTable1: loadAtTable1,
      table1StepIntervalMs: TABLE1_STEP_MS,
      counterState,
      failover: failoverResult,
      table1: table,
      scaling
    })
    await save()
    for (let n = 1; n <= MAX_PARALLEL; n *= 2) {
      for (const [label, cap] of CAPS) {
        const r = await parallel(peers, n, label, cap)
        const unlimited = scaling.find((s) => s.parallel === n && s.cap === 'unlimited')
        const baseBytes = n * (r.memoryBytes + fullCounterCheckpointBytes)
        const row = {
          parallel: n,
          cap: label,
          totalMs: r.totalMs,
          bytes: r.bytes,
          failed: r.failed.length,
          ...(r.failed.length > 0 ? { firstError: r.failed[0] } : {}),
          criuBaseline: { bytes: baseBytes, modelledTotalMs: (Number.isFinite(cap) ? baseBytes * 8 / cap * 1000 : 0) + (typeof unlimited?.totalMs === 'number' ? unlimited.totalMs : r.totalMs) }
        }
        scaling.push(row)
        process.stdout.write(`${n} parallel @ ${label}: ${r.totalMs.toFixed(1)} ms, ${r.bytes} B, ${r.failed.length} refused (CRIU-style ${row.criuBaseline.modelledTotalMs.toFixed(0)} ms, ${baseBytes} B)\n`)
      }
      await save()
    }
    const file = await save()
    process.stdout.write(`wrote ${file}\n`)
  } finally {
    await mesh.stop()
  }
}

main().catch((err) => {
  process.stderr.write(`bench:migrate failed: ${(err as Error).stack ?? String(err)}\n`)
  process.exitCode = 1
})
