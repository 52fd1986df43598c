/**
 * A stateful EF inside a running pipeline: black-ice detections flow into
 * hazard-broadcaster, whose DENM action sequence lives in Unimem. The catalogue's fusion
 * EF is stateless (it votes over one run's inputs and keeps nothing), so the stateful
 * stage here is the broadcaster: each hazard carries the next action sequence, so a lost
 * state shows as a sequence issued twice and an input applied twice as one skipped.
 *
 * The stage moves live (its host withdraws its bid; the next bidder attaches to the
 * replicated state, upstream re-targets its queue), then its new host is isolated (the
 * majority side's substitute takes over from the replicas) and healed (the old copy is
 * fenced, and whichever peer the placement names carries on from the newest state), and
 * finally its host is stopped outright (a survivor resumes from the replicas).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { checkpointsFeature } from '../../node/checkpoints/index.js'
import { pipelinesFeature } from '../../node/pipelines/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { parseDescriptorYaml } from '../../protocols/index.js'
import { loadCatalogue } from '../../unikernels/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import { ORIGIN, detectBroadcastYaml, fullMesh, newIssuer, pipelinesOf, sign, type Issuer } from '../pipelines/helpers.js'
import { GONE_AFTER, HEARTBEAT_MS } from './helpers.js'

const ID = 'stateful-hazard'
const ICE = ['road-surface-temperature', 'air-temperature', 'humidity'] as const
const DESCRIPTOR = detectBroadcastYaml(ID, { intervalMs: 150, bidWindowMs: 1500 })

interface Hazard { run: bigint, peer: string, bytes: Buffer }

/** DENM action sequence of a hazard record (u32 at offset 32). */
const actionSeq = (b: Buffer): number => b.readUInt32LE(32)

async function addPeer (mesh: TestMesh, name: string, east: number, o: { sensors?: readonly string[], roles?: string[], bootstrap?: string[], trusted: string[] }): Promise<EccoPeer> {
  return await mesh.add({
    name,
    position: { lat: ORIGIN.lat, lon: ORIGIN.lon + east / 74_000 },
    ...(o.bootstrap === undefined ? {} : { bootstrap: o.bootstrap }),
    heartbeatMs: HEARTBEAT_MS,
    config: {
      goneAfterHeartbeats: GONE_AFTER,
      tier: 2,
      sensors: (o.sensors ?? []).map((type) => ({ id: type, type: type as 'humidity', driver: 'emulated' as const })),
      capacity: { cpuCores: 2, memoryMb: 2048, maxEdgeFunctions: 16 },
      sections: {
        pipelines: { trustedIssuers: o.trusted, roles: o.roles ?? [], bootPerRun: false, retainMs: 60_000 },
        checkpoints: { replicas: 2, quorum: 1, stepIntervalMs: 100, controlPort: 0, gcAfterMs: 60_000 }
      }
    },
    features: [pipelinesFeature, checkpointsFeature]
  })
}

describe('a stateful stage inside a running pipeline', () => {
  const mesh = new TestMesh()
  let issuer: Issuer
  let d: EccoPeer
  let workers: EccoPeer[]
  const hazards: Hazard[] = []
  /** broadcast runs completed (with or without a hazard), by peer */
  const completed = new Map<bigint, string[]>()

  const name = (id: string): string => [d, ...workers].find((p) => p.peerId.toString() === id)?.config.name ?? id
  const hostOf = (viewer: EccoPeer): string | undefined => pipelinesOf(viewer).status(ID)?.placement.find((p) => p.stage === 'broadcast')?.peer
  /** Every hazard as run:sequence@host, in the order they left. */
  const trail = (): string => hazards.map((h) => `${h.run}:${actionSeq(h.bytes)}@${name(h.peer)}`).join(' ')
  const distinctRuns = (): number => new Set(hazards.map((h) => h.run)).size
  const fromPeer = (peer: EccoPeer): number => new Set(hazards.filter((h) => h.peer === peer.peerId.toString()).map((h) => h.run)).size
  const placedEverywhere = async (peers: EccoPeer[], ok: (host: string) => boolean, message: string): Promise<string> => {
    let host = ''
    await waitFor(() => {
      const hosts = peers.map(hostOf)
      host = hosts[0] ?? ''
      return host !== '' && hosts.every((h) => h === host) && ok(host)
    }, { timeoutMs: 30_000, message: () => `${message}: ${peers.map((p) => `${p.config.name ?? '?'}→${name(hostOf(p) ?? '-')}`).join(' ')}` })
    return host
  }

  /** What every peer's pipeline reports, for failure messages. */
  const diagnosis = (): string => mesh.peers.map((p) => {
    const st = pipelinesOf(p).status(ID)
    return `${p.config.name ?? '?'}: stages ${st?.localStages.join(',') ?? '-'} started ${st?.runsStarted ?? 0} completed ${st?.runsCompleted ?? 0} failures [${st?.recentFailures.slice(-3).join(' | ') ?? ''}]`
  }).join('; ')

  before(async () => {
    issuer = await newIssuer()
    const trusted = [issuer.trusted]
    d = await addPeer(mesh, 'd', 0, { sensors: ICE, trusted })
    const bootstrap = [mesh.addrOf(d)]
    workers = [
      await addPeer(mesh, 'w1', 100, { roles: ['worker'], trusted, bootstrap }),
      await addPeer(mesh, 'w2', 200, { roles: ['worker'], trusted, bootstrap }),
      await addPeer(mesh, 'w3', 300, { roles: ['worker'], trusted, bootstrap })
    ]
    await fullMesh([d, ...workers])
    pipelinesOf(d).sac.inject({ kind: 'ice', from: Date.now() - 60_000, to: Date.now() + 3_600_000 })
    for (const p of [d, ...workers]) {
      pipelinesOf(p).addEventListener('pipeline:output', (e) => {
        if (e.detail.pipelineId === ID) hazards.push({ run: e.detail.run, peer: p.peerId.toString(), bytes: Buffer.from(e.detail.bytes) })
      })
      pipelinesOf(p).addEventListener('pipeline:run', (e) => {
        if (e.detail.pipelineId !== ID || e.detail.stage !== 'broadcast') return
        completed.set(e.detail.run, [...(completed.get(e.detail.run) ?? []), p.peerId.toString()])
      })
    }
  })

  after(async () => { await mesh.stop() })

  it('emits every hazard exactly once, in sequence, across a live migration and a partition of its host', async () => {
    const d0 = parseDescriptorYaml(DESCRIPTOR, 'stateful-hazard.yaml')
    const catalogue = await loadCatalogue()
    for (const s of d0.stages) if (s.image !== undefined) s.image.hash = catalogue.get(s.image.name).manifest.hash
    await pipelinesOf(d).submit(await sign(d0, issuer))
    const all = [d, ...workers]
    const first = await placedEverywhere(all, () => true, 'no common placement')
    await waitFor(() => distinctRuns() >= 5, { timeoutMs: 30_000, message: () => `${distinctRuns()} hazards from ${name(first)}, ${completed.size} runs completed; ${diagnosis()}` })

    // live migration: the host withdraws its bid, the next bidder attaches to the replicated state
    const x = workers.find((w) => w.peerId.toString() === first)
    assert.ok(x !== undefined, 'broadcast placed on a worker')
    await pipelinesOf(x).runners.get(ID)?.withdraw('broadcast')
    const second = await placedEverywhere(all, (h) => h !== first, 'the stage did not move off its withdrawn host')
    const y = workers.find((w) => w.peerId.toString() === second)
    assert.ok(y !== undefined)
    await waitFor(() => fromPeer(y) >= 5, { timeoutMs: 30_000, message: () => `${fromPeer(y)} hazards from ${name(second)} after the migration; ${diagnosis()}` })

    // failover: isolate the host; the majority side places the stage elsewhere and resumes it
    const rest = all.filter((p) => p !== y)
    await mesh.partition([y], rest)
    const third = await placedEverywhere(rest, (h) => h !== second, 'the majority side did not re-place the stage')
    const z = workers.find((w) => w.peerId.toString() === third)
    assert.ok(z !== undefined)
    await waitFor(() => fromPeer(z) >= 5, { timeoutMs: 30_000, message: () => `${fromPeer(z)} hazards from ${name(third)} after the partition; ${diagnosis()}` })

    // heal: every peer agrees on one host again, which carries on from the newest state
    mesh.heal()
    await fullMesh(all)
    await placedEverywhere(all, () => true, 'no common placement after heal')
    const healed = distinctRuns()
    await waitFor(() => distinctRuns() >= healed + 5, { timeoutMs: 30_000, message: () => `${distinctRuns() - healed} hazards after heal; ${diagnosis()}` })

    // the host dies (stopped without a word): a survivor resumes the stage from the replicas
    const fourth = await placedEverywhere(all, () => true, 'no common placement before the kill')
    const victim = workers.find((w) => w.peerId.toString() === fourth)
    assert.ok(victim !== undefined)
    const survivors = all.filter((p) => p !== victim)
    await mesh.remove(victim)
    const fifth = await placedEverywhere(survivors, (h) => h !== fourth, 'the survivors did not re-place the stage')
    const heir = workers.find((w) => w.peerId.toString() === fifth)
    assert.ok(heir !== undefined)
    const beforeHeir = fromPeer(heir)
    await waitFor(() => fromPeer(heir) >= beforeHeir + 5, { timeoutMs: 30_000, message: () => `${fromPeer(heir) - beforeHeir} hazards from ${name(fifth)} after its predecessor died; ${diagnosis()}` })

    // stop the source and let every queued run through
    // (stop() waits for the runs already ticked, so `started` below is final)
    for (const inst of pipelinesOf(d).runners.get(ID)?.instances.values() ?? []) await inst.stop()
    const started = pipelinesOf(d).runners.get(ID)?.started.toJSON().runs['detect.0'] ?? []
    const runs = started.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => BigInt(a + i)))
    await waitFor(() => runs.every((r) => completed.has(r)), {
      timeoutMs: 30_000, message: () => `runs never completed at broadcast: ${runs.filter((r) => !completed.has(r)).slice(0, 20).join(', ')}`
    })

    // exactly once: a run that shows up twice (a replay) carries the same hazard, and the
    // action sequences of distinct runs are 1..N with no gap and no repeat
    const byRun = new Map<bigint, Buffer>()
    for (const h of hazards) {
      const seen = byRun.get(h.run)
      if (seen === undefined) byRun.set(h.run, h.bytes)
      else assert.ok(seen.equals(h.bytes), `run ${h.run}: two different hazards (seq ${actionSeq(seen)} and ${actionSeq(h.bytes)}): an input applied twice; in order: ${trail()}`)
    }
    const seqs = [...byRun.values()].map(actionSeq).sort((a, b) => a - b)
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `action sequences are not 1..${seqs.length}: ${seqs.join(',')}; in order: ${trail()}`)
    assert.ok(seqs.length >= 20, `only ${seqs.length} hazards`)
    const hosts = new Set(hazards.map((h) => h.peer))
    assert.ok(hosts.size >= 3, `hazards came from ${hosts.size} hosts, expected the stage on at least 3`)
    assert.ok(byRun.size <= runs.length, `${byRun.size} runs with a hazard, only ${runs.length} started`)
    process.stdout.write(`# stateful stage: ${seqs.length} hazards over ${runs.length} runs from ${[...hosts].map(name).join(', ')}; ${hazards.length - byRun.size} replayed\n`)
  })
})
