/**
 * The accounting hook of the pipelines feature (`pipeline:step`): every step reports,
 * after its atomic queue commit, the inbound bundles it consumed and the bundles it queued
 * per follower slot, so an observer can match each bundle a stage emitted with the EF that
 * consumed it (bench/chaos does this across kills and failovers).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { EccoPeer } from '../../node/peer.js'
import type { PipelineStepEvent } from '../../node/pipelines/index.js'
import { parseDescriptorYaml } from '../../protocols/index.js'
import { loadCatalogue } from '../../unikernels/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import { ORIGIN, addPipelinePeer, detectBroadcastYaml, fullMesh, newIssuer, pipelinesOf, samePlacement, sign } from './helpers.js'

const ID = 'step-events'
const DESCRIPTOR = detectBroadcastYaml(ID, { intervalMs: 200, bidWindowMs: 1000 })

describe('pipeline:step: what each step consumed and queued', () => {
  const mesh = new TestMesh()
  const steps: Array<PipelineStepEvent & { peer: string }> = []
  let d: EccoPeer
  let w: EccoPeer

  before(async () => {
    const issuer = await newIssuer()
    d = await addPipelinePeer(mesh, { name: 'd', sensors: ['road-surface-temperature', 'air-temperature', 'humidity'], trusted: [issuer.trusted] })
    w = await addPipelinePeer(mesh, { name: 'w', east: 100, roles: ['worker'], trusted: [issuer.trusted], bootstrap: [mesh.addrOf(d)] })
    await fullMesh([d, w])
    for (const p of [d, w]) pipelinesOf(p).addEventListener('pipeline:step', (e) => { steps.push({ ...e.detail, peer: p.config.name ?? '?' }) })
    const desc = parseDescriptorYaml(DESCRIPTOR, 'step-events.yaml')
    const catalogue = await loadCatalogue()
    for (const s of desc.stages) if (s.image !== undefined) s.image.hash = catalogue.get(s.image.name).manifest.hash
    await pipelinesOf(d).submit(await sign(desc, issuer))
    await samePlacement([d, w], ID)
  })

  after(async () => { await mesh.stop() })

  it('names every emitted bundle once, and the step that consumed it', async () => {
    const broadcast = (): Array<PipelineStepEvent & { peer: string }> => steps.filter((s) => s.stage === 'broadcast')
    await waitFor(() => broadcast().length >= 5, { timeoutMs: 20_000, message: () => `${broadcast().length} broadcast steps` })
    // stop the source (stop() waits for the runs already ticked), let what it emitted arrive
    for (const inst of pipelinesOf(d).runners.get(ID)?.instances.values() ?? []) await inst.stop()
    const emitted = (): string[] => steps.filter((s) => s.stage === 'detect').flatMap((s) => s.emitted.map((b) => `${b.key}#${b.toSlot}`))
    const consumed = (): string[] => broadcast().flatMap((s) => s.consumed.map((k) => `${k}#${s.slot}`))
    await waitFor(() => emitted().every((id) => consumed().includes(id)), { timeoutMs: 20_000, message: () => `not consumed: ${emitted().filter((id) => !consumed().includes(id)).join(', ')}` })

    for (const s of steps.filter((x) => x.stage === 'detect')) {
      assert.equal(s.peer, 'd')
      assert.deepEqual(s.consumed, [], 'a start stage consumes no bundle')
      assert.deepEqual(s.emitted.map((b) => [b.toStage, b.toSlot, b.target]), [['broadcast', 0, w.peerId.toString()]])
    }
    for (const s of broadcast()) {
      assert.equal(s.peer, 'w')
      assert.equal(s.outcome, 'applied')
      assert.equal(s.consumed.length, 1)
      assert.ok(s.consumed[0].startsWith(`${ID}/${s.run.toString().padStart(16, '0')}/detect.0/broadcast/`), s.consumed[0])
      assert.deepEqual(s.emitted, [], 'a finale queues nothing')
    }
    assert.equal(new Set(emitted()).size, emitted().length, 'a bundle emitted twice')
    assert.deepEqual([...consumed()].sort(), [...emitted()].sort(), 'each emitted bundle consumed exactly once')
  })
})
