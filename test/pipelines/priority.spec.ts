/**
 * Priority (issue 4 item 6): on a full peer, crash detection (priority 9)
 * preempts parking (priority 2), which the placement rule moves to another
 * capable peer.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { EccoPeer } from '../../node/peer.js'
import { Execution, InputSource, PipelineState } from '../../protocols/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import { addPipelinePeer, fullMesh, loadRepoDescriptor, newIssuer, pipelinesOf, samePlacement, sign, type Issuer } from './helpers.js'

describe('priority preemption', () => {
  const mesh = new TestMesh()
  let issuer: Issuer
  let x: EccoPeer, y: EccoPeer

  before(async () => {
    issuer = await newIssuer()
    const trusted = [issuer.trusted]
    // x is full with one EF; it is the only peer with crash sensors and the closest for parking
    x = await addPipelinePeer(mesh, { name: 'x', sensors: ['accelerometer', 'speed', 'occupancy'], maxEdgeFunctions: 1, trusted })
    y = await addPipelinePeer(mesh, { name: 'y', east: 1000, sensors: ['occupancy'], radios: ['its-g5'], trusted, bootstrap: [mesh.addrOf(x)] })
    await fullMesh([x, y])
  })

  after(async () => { await mesh.stop() })

  it('runs parking on the full peer until crash detection needs it, then moves parking', async () => {
    const px = pipelinesOf(x)
    const py = pipelinesOf(y)
    await px.submit(await sign(await loadRepoDescriptor('parking.yaml'), issuer))
    await samePlacement([x, y], 'parking')
    await waitFor(() => (px.status('parking')?.runsCompleted ?? 0n) >= 1n, { timeoutMs: 15_000, message: () => `parking runs on x: ${JSON.stringify(px.status('parking'), (_k, v: unknown) => typeof v === 'bigint' ? Number(v) : v)}` })
    assert.deepEqual(px.status('parking')?.localStages, ['detect.0'])

    let preempted = ''
    px.addEventListener('pipeline:preempted', (e) => { preempted = `${e.detail.pipelineId}/${e.detail.stage} by ${e.detail.by}` })
    await py.submit(await sign(await loadRepoDescriptor('crash-detection.yaml'), issuer))
    await samePlacement([x, y], 'crash-detection')
    await waitFor(() => preempted !== '', { timeoutMs: 15_000, message: 'parking was not preempted' })
    assert.equal(preempted, 'parking/detect by 9')
    await samePlacement([x, y], 'parking', 15_000, () => py.status('parking')?.localStages.includes('detect.0') === true)
    assert.deepEqual(px.status('crash-detection')?.localStages, ['detect.0'])
    assert.deepEqual(px.status('parking')?.preemptedStages, ['detect'])
    assert.deepEqual(px.status('parking')?.localStages, [])
    // both keep running: parking on y now, crash detection from x to the broadcaster on y
    const parkingBefore = py.status('parking')?.runsCompleted ?? 0n
    await waitFor(() => (py.status('parking')?.runsCompleted ?? 0n) > parkingBefore && (py.status('crash-detection')?.runsCompleted ?? 0n) >= 2n, {
      timeoutMs: 15_000, message: () => `y: parking ${py.status('parking')?.runsCompleted ?? 0n}, crash ${py.status('crash-detection')?.runsCompleted ?? 0n}`
    })
  })

  it('runs an on-demand pipeline by its input rule only inside its time window', async () => {
    const py = pipelinesOf(y)
    const d = await loadRepoDescriptor('parking.yaml', (x) => {
      x.id = 'parking-window'
      x.execution = Execution.EXECUTION_ON_DEMAND
      x.window = { startMs: x.issuedAtMs + 4000n, endMs: x.issuedAtMs + 7000n }
      x.stages[0].input = { source: InputSource.INPUT_SENSORS, intervalMs: 500, joinTimeoutMs: 0 }
    })
    await py.submit(await sign(d, issuer))
    await samePlacement([x, y], 'parking-window')
    assert.equal(py.status('parking-window')?.state, PipelineState.STATE_WAITING)
    assert.equal(py.status('parking-window')?.runsStarted, 0n)
    await waitFor(() => py.status('parking-window')?.state === PipelineState.STATE_PLACED, { timeoutMs: 10_000, message: 'window did not open' })
    await waitFor(() => py.status('parking-window')?.state === PipelineState.STATE_WAITING, { timeoutMs: 10_000, message: 'window did not close' })
    const inside = py.status('parking-window')?.runsStarted ?? 0n
    assert.ok(inside >= 2n && inside <= 8n, `${inside} runs inside a 3 s window at 500 ms`)
    // the stage instance stays placed but its input rule no longer fires
    assert.deepEqual(py.status('parking-window')?.localStages, ['detect.0'])
  })
})
