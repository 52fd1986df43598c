/**
 * End to end: the black-ice pipeline on lampposts along a 2 km road, ice injected at one
 * point through the SAC. A vehicle driving toward it gets exactly one warning per
 * actionId, with cause 6/6, before it is within the relevance distance; a vehicle
 * outside the relevance area gets none; when the ice melts the termination arrives and
 * the warning disappears. Real peers, real vehicle clients, real EFs.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { CAUSE_CODE, HAZARD_CELL_PRECISION, SUB_CAUSE, distanceMetres, encodeGeohash, hazardTopic, offsetMetres, relevanceMetres } from '../../protocols/index.js'
import type { HazardsFeature } from '../../node/hazards/index.js'
import type { ShownWarning, Vehicle } from '../../node/vehicle/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { waitFor } from '../helpers/wait.js'
import { BlackIceChain, type Lamppost } from './black-ice-chain.js'
import { ROAD_START } from './fixtures.js'
import { HazardMesh } from './harness.js'

describe('hazards: black ice on a 2 km road, end to end', () => {
  const h = new HazardMesh()
  const posts: Array<{ peer: EccoPeer, hazards: HazardsFeature }> = []
  let chain: BlackIceChain
  let car: Vehicle
  let bystander: Vehicle
  const shown: ShownWarning[] = []
  const bystanderShown: ShownWarning[] = []
  const cleared: Array<{ key: string, why: string }> = []
  // lampposts every 500 m along the road (east), ice at km 1.0
  const at = (m: number): { lat: number, lon: number } => offsetMetres(ROAD_START, 0, m)
  const ICE = at(1000)
  let lampposts: Lamppost[]
  let iceIds: string[] = []

  before(async () => {
    await h.init()
    for (let i = 0; i <= 4; i++) {
      posts.push(await h.roadside({
        name: `lamp-${i}`, position: at(i * 500), transmissionIntervalMs: 500, clearAfterMs: 6000, heartbeatMs: 1000,
        ...(i === 0 ? {} : { bootstrap: [h.addrOf(posts[0].peer)] })
      }))
    }
    lampposts = [1, 2, 3].map((i) => BlackIceChain.lamppost(`lamp-${i}`, at(i * 500), 10 + i))
    chain = new BlackIceChain(lampposts, { position: ICE, hazards: posts[2].hazards })
    await chain.start()
    // 6 km before the ice, driving east along the road and past it
    car = await h.vehicle({ route: [at(-5000), at(3000)], bootstrap: [h.addrOf(posts[0].peer)], lookaheadM: 5000 })
    car.addEventListener('warning:shown', (e) => { shown.push(e.detail) })
    car.addEventListener('warning:cleared', (e) => { cleared.push({ key: e.detail.key, why: e.detail.why }) })
    // 3 km north of the ice, parked: outside the 1 km relevance area
    bystander = await h.vehicle({ position: offsetMetres(ICE, 3000, 0), bootstrap: [h.addrOf(posts[1].peer)] })
    bystander.addEventListener('warning:shown', (e) => { bystanderShown.push(e.detail) })
    // both vehicles know a roadside peer that relays the ice cell's topic
    const iceTopic = hazardTopic(encodeGeohash(ICE, HAZARD_CELL_PRECISION))
    for (const v of [car, bystander]) {
      await waitFor(() => v.libp2p.services.pubsub.getSubscribers(iceTopic).length > 0, { timeoutMs: 90_000, message: 'vehicle connected to a relay of the ice cell' })
    }
  })

  after(async () => {
    await chain?.stop()
    await h.stop()
  })

  it('no ice: the pipeline runs and publishes nothing', async () => {
    for (let i = 0; i < 3; i++) assert.equal(await chain.run(), undefined)
    assert.equal(posts[2].hazards.publisher?.active().length, 0)
  })

  it('ice at km 1.0: one warning per actionId, cause 6/6, shown before the vehicle is within the relevance distance', async () => {
    const now = Date.now()
    iceIds = lampposts.map((l) => l.sac.inject({ kind: 'ice', from: now - 1000, to: now + 3_600_000 }))
    let action: string | undefined
    await waitFor(async () => { action = await chain.run() ?? action; return action !== undefined }, { timeoutMs: 60_000, message: 'the broadcaster confirms ice' })
    // keep the pipeline running (records every 300 ms: folded into the same actionId) while the car drives
    const stopRunning = chain.every(300)
    try {
      // drive east at 100 m per 200 ms (the car's own clock, not a wait for a condition)
      let distanceAtShow = Infinity
      for (let along = 0; along <= 8000 && shown.length === 0; along += 100) {
        car.setPosition(at(-5000 + along))
        await new Promise((resolve) => setTimeout(resolve, 200))
        if (shown.length > 0) distanceAtShow = distanceMetres(car.getPosition(), ICE)
      }
      assert.equal(shown.length, 1, 'shown once')
      const w = shown[0]
      const radius = relevanceMetres(w.denm.relevanceDistance)
      assert.ok(distanceAtShow > radius, `shown at ${Math.round(distanceAtShow)} m, relevance ${radius} m`)
      assert.equal(w.key, action)
      assert.equal(w.denm.causeCode, CAUSE_CODE.adverseWeatherConditionAdhesion)
      assert.equal(w.denm.subCauseCode, SUB_CAUSE.blackIceOnRoad)
      assert.equal(w.denm.pipelineId, 'black-ice')
      assert.ok(w.aheadM !== undefined && w.aheadM > 0)
      // drive on through the ice: repetitions and updates arrive, nothing is shown twice
      for (let along = 4000; along <= 6500; along += 250) {
        car.setPosition(at(-5000 + along))
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await waitFor(() => car.inbox.stats.repeats >= 3, { timeoutMs: 30_000, message: 'repetitions reached the car' })
      assert.equal(shown.length, 1)
      assert.equal(new Set(shown.map((s) => s.key)).size, 1)
      assert.equal(chain.records.length > 1, true, 'the broadcaster confirmed the ice several times under one actionId')
      assert.deepEqual(chain.errors, [])
    } finally {
      await stopRunning()
    }
  })

  it('a vehicle outside the relevance area receives the cell but shows nothing', async () => {
    await waitFor(() => bystander.inbox.stats.accepted >= 1, { timeoutMs: 30_000, message: () => `bystander got the warning on its cells ${bystander.cells().join(',')}` })
    assert.deepEqual(bystanderShown, [])
    assert.deepEqual(bystander.warnings(), [])
  })

  it('the ice melts: the termination is received and the warning disappears', async () => {
    const key = shown[0].key
    for (const [i, l] of lampposts.entries()) l.sac.clear(iceIds[i])
    // the detectors' hysteresis clears on the next warm readings; the source cancels after 6 s without a record (runs can take over a second on a loaded machine)
    const stopRunning = chain.every(300)
    try {
      await waitFor(() => cleared.some((c) => c.key === key), { timeoutMs: 30_000, message: 'termination reached the car' })
    } finally {
      await stopRunning()
    }
    assert.deepEqual(cleared.find((c) => c.key === key), { key, why: 'cancellation' })
    assert.deepEqual(car.warnings(), [])
    assert.equal(shown.length, 1)
  })
})
