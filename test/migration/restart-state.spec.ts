/**
 * Regression (found by `npm run chaos` with the black-ice pipeline): the host of a stateful
 * pipeline stage, killed and restarted from its data dir before anyone declared it gone,
 * resumed the stage from empty state, so the hazard-broadcaster issued action sequences
 * 1, 2, ... a second time. Two causes, each tested alone, then together end to end:
 * - the holders CRDT was loaded but not indexed on start (the service merged its own map
 *   into itself, which changes nothing): the restarted host knew of no holder and no epoch;
 * - a stage with no holder known and no replica candidate live yet (the registry of a
 *   peer just restarted) started from nothing instead of waiting for a replica to answer,
 *   at the epoch it held before, where the replicas ack a lower sequence as stored.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { CheckpointsFeature, checkpointsFeature } from '../../node/checkpoints/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { pipelinesFeature } from '../../node/pipelines/index.js'
import { parseDescriptorYaml } from '../../protocols/index.js'
import { loadCatalogue } from '../../unikernels/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import { ORIGIN, detectBroadcastYaml, fullMesh, newIssuer, pipelinesOf, sign } from '../pipelines/helpers.js'
import { HEARTBEAT_MS, feature } from './helpers.js'

const ID = 'restart-hazard'
const ICE = ['road-surface-temperature', 'air-temperature', 'humidity'] as const
/** nobody is declared gone during the restart: the stage stays on its host */
const GONE_AFTER = 100
const CHECKPOINTS = { replicas: 2, quorum: 1, stepIntervalMs: 100, controlPort: 0, gcAfterMs: 60_000 }
const DESCRIPTOR = detectBroadcastYaml(ID, { intervalMs: 300, bidWindowMs: 1500 })

async function checkpointPeer (mesh: TestMesh, name: string, o: { bootstrap?: string[], sensors?: readonly string[], roles?: string[], trusted?: string[] } = {}): Promise<EccoPeer> {
  return await mesh.add({
    name,
    position: ORIGIN,
    ...(o.bootstrap === undefined ? {} : { bootstrap: o.bootstrap }),
    heartbeatMs: HEARTBEAT_MS,
    config: {
      goneAfterHeartbeats: GONE_AFTER,
      sensors: (o.sensors ?? []).map((type) => ({ id: type, type: type as 'humidity', driver: 'emulated' as const })),
      capacity: { cpuCores: 2, memoryMb: 2048, maxEdgeFunctions: 16 },
      sections: {
        checkpoints: CHECKPOINTS,
        ...(o.trusted === undefined ? {} : { pipelines: { trustedIssuers: o.trusted, roles: o.roles ?? [], bootPerRun: false, retainMs: 60_000, idleWorkers: 0 } })
      }
    },
    // the DEFAULT_FEATURES order: the pipelines feature finds the checkpoints feature started
    features: o.trusted === undefined ? [checkpointsFeature] : [checkpointsFeature, pipelinesFeature]
  })
}

describe('a stateful stage host restarted from its data dir', () => {
  const mesh = new TestMesh()
  after(async () => { await mesh.stop() })

  it('knows the holders and epochs it stored before the restart', async () => {
    const p = await checkpointPeer(mesh, 'holder-index')
    const svc = feature(p).service
    const other = '12D3KooWHolderOfTheCheckpointXXXXXXXXXXXXXXXXXXXXXXX'
    svc.claim('x/stage.0', 3)
    svc.recordHeld('x/stage.0', other, 3, 7)
    await mesh.remove(p)
    const again = feature(await checkpointPeer(mesh, 'holder-index')).service
    assert.deepEqual(again.holders.current('x/stage.0'), { epoch: 3, host: p.peerId.toString() })
    assert.deepEqual(again.holders.holders('x/stage.0'), [{ peer: other, epoch: 3, seq: 7 }])
  })

  it('does not start a stage from nothing while no replica candidate answered', async () => {
    const p = await checkpointPeer(mesh, 'alone')
    const svc = feature(p).service
    const image = svc.catalogue.get('hazard-broadcaster')
    const sandbox = await svc.runtime.boot(image)
    try {
      await assert.rejects(svc.stageState('p', 'broadcast', 0, image).attach(sandbox), (err: Error) => err.name === 'StageStateError')
    } finally {
      await sandbox.stop()
    }
  })

  it('carries the action sequence on after a kill and restart, issuing none twice', async () => {
    const issuer = await newIssuer()
    const trusted = [issuer.trusted]
    const d = await checkpointPeer(mesh, 'd', { sensors: ICE, trusted })
    const bootstrap = [mesh.addrOf(d)]
    const w1 = await checkpointPeer(mesh, 'w1', { roles: ['worker'], trusted, bootstrap })
    const w2 = await checkpointPeer(mesh, 'w2', { bootstrap, trusted })
    await fullMesh([d, w1, w2])
    pipelinesOf(d).sac.inject({ kind: 'ice', from: Date.now() - 60_000, to: Date.now() + 3_600_000 })
    const seqs = new Map<number, Set<bigint>>()
    const trail: string[] = []
    const record = (p: EccoPeer): void => {
      pipelinesOf(p).addEventListener('pipeline:output', (e) => {
        const seq = Buffer.from(e.detail.bytes).readUInt32LE(32)
        seqs.set(seq, (seqs.get(seq) ?? new Set()).add(e.detail.run))
        trail.push(`${e.detail.run}:${seq}@${p.config.name ?? '?'}`)
      })
    }
    record(w1)
    const d0 = parseDescriptorYaml(DESCRIPTOR, 'restart-hazard.yaml')
    const catalogue = await loadCatalogue()
    for (const s of d0.stages) if (s.image !== undefined) s.image.hash = catalogue.get(s.image.name).manifest.hash
    await pipelinesOf(d).submit(await sign(d0, issuer))
    await waitFor(() => seqs.size >= 5, { timeoutMs: 30_000, message: () => `outputs before the kill: ${trail.join(' ')}` })

    // kill -9 semantics: connections aborted, features stopped, no goodbye; back from the same data dir
    mesh.peers.splice(mesh.peers.indexOf(w1), 1)
    await w1.kill()
    const back = await checkpointPeer(mesh, 'w1', { roles: ['worker'], trusted, bootstrap })
    assert.equal(back.peerId.toString(), w1.peerId.toString())
    assert.ok(feature(back) instanceof CheckpointsFeature)
    record(back)
    const before = seqs.size
    await fullMesh([d, back, w2])
    await waitFor(() => seqs.size >= before + 5, { timeoutMs: 30_000, message: () => `outputs after the restart: ${trail.join(' ')}` })

    const twice = [...seqs].filter(([, runs]) => runs.size > 1).map(([s, runs]) => `${s} for runs ${[...runs].join(',')}`)
    assert.deepEqual(twice, [], `action sequences issued twice; in order: ${trail.join(' ')}`)
    const sorted = [...seqs.keys()].sort((a, b) => a - b)
    assert.deepEqual(sorted, sorted.map((_, i) => i + 1), `a gap in the action sequence; in order: ${trail.join(' ')}`)
  })
})
