/**
 * End to end through a submitted pipeline (issues 4 and 5): five lampposts on a 2 km road
 * run the repo's signed black-ice descriptor. The peers place the stages themselves
 * (detectors on the three road-weather stations, one fusion join, a broadcaster on every
 * ITS-G5 lamppost); the detectors read their own peer's SAC; bundles travel over
 * /ecco/bundle/1.1.0; every broadcaster's finale output becomes a signed DENM through the
 * hazards feature (DEFAULT_FEATURES wiring, no hand-made chain), gossiped on the hazard
 * cells and received by real ecco-vehicle clients.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  CAUSE_CODE, HAZARD_CELL_PRECISION, SUB_CAUSE, Termination, distanceMetres, encodeGeohash, hazardTopic, offsetMetres, relevanceMetres
} from '../../protocols/index.js'
import type { HazardsFeature } from '../../node/hazards/index.js'
import type { PipelineRunEvent } from '../../node/pipelines/index.js'
import type { ShownWarning, Vehicle } from '../../node/vehicle/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { waitFor } from '../helpers/wait.js'
import { fullMesh, loadRepoDescriptor, newIssuer, pipelinesOf, samePlacement, sign, type Issuer } from '../pipelines/helpers.js'
import { ROAD_START } from './fixtures.js'
import { HazardMesh } from './harness.js'

const WEATHER = ['road-surface-temperature', 'air-temperature', 'humidity'] as const
const HOUR = 3_600_000
/**
 * The fallback: cancel when no run confirmed a warning for this long. Long here, so the
 * termination must come from the evidence (finale runs without a record, the ice melted),
 * and a stalled loaded machine does not make the warnings flap.
 */
const CLEAR_AFTER_MS = 60_000

describe('hazards: black ice through the submitted black-ice pipeline, end to end', () => {
  const h = new HazardMesh()
  const posts: Array<{ peer: EccoPeer, hazards: HazardsFeature }> = []
  let issuer: Issuer
  let car: Vehicle
  let bystander: Vehicle
  const shown: Array<ShownWarning & { distanceAtShowM: number }> = []
  const bystanderShown: ShownWarning[] = []
  const cleared: Array<{ key: string, why: string }> = []
  /** finale runs seen at the broadcasters: run -> outputs, per lamppost */
  const runs: Array<Map<bigint, PipelineRunEvent>> = []
  const times: Array<Array<[number, number, number, number]>> = [[], [], [], [], []]
  // lampposts every 500 m along the road (east); road-weather stations at km 0.5, 1.0, 1.5
  const at = (m: number): { lat: number, lon: number } => offsetMetres(ROAD_START, 0, m)
  const ICE = at(1000)
  const detectors = [1, 2, 3]
  const conditions = new Map<number, string[]>()

  const sacOf = (i: number): ReturnType<typeof pipelinesOf>['sac'] => pipelinesOf(posts[i].peer).sac
  /** A mild day at a station: the emulated weather would otherwise follow the real clock (frost at night). */
  const mild = (i: number): void => {
    const now = Date.now()
    conditions.set(i, ([['road-surface-temperature', 8], ['air-temperature', 12], ['humidity', 60]] as const)
      .map(([sensor, value]) => sacOf(i).inject({ kind: 'override', sensor, value, from: now - HOUR, to: now + HOUR })))
  }
  const freeze = (i: number): void => {
    for (const id of conditions.get(i) ?? []) sacOf(i).clear(id)
    const now = Date.now()
    conditions.set(i, [sacOf(i).inject({ kind: 'ice', from: now - 1000, to: now + HOUR })])
  }
  const melt = (i: number): void => {
    for (const id of conditions.get(i) ?? []) sacOf(i).clear(id)
    mild(i)
  }
  /** Finale runs at lamppost 0 after `from`, with how many hazard records they emitted. */
  const runsAfter = (from: bigint): PipelineRunEvent[] => [...runs[0].values()].filter((r) => r.run > from)
  /** The run (time slot of the detectors' 1 s input rule) starting now: later runs read the sensors after this moment. */
  const slotNow = (): bigint => {
    const d = pipelinesOf(posts[0].peer).runners.get('black-ice')?.descriptor
    assert.ok(d !== undefined)
    return BigInt(Math.floor((Date.now() - Number(d.issuedAtMs)) / 1000))
  }
  const originated = (): Array<{ key: string, lamp: number, termination: Termination }> => posts.flatMap((p, lamp) =>
    (p.hazards.publisher?.active() ?? []).map((a) => ({ key: a.key, lamp, termination: a.denm.termination })))

  before(async () => {
    await h.init()
    issuer = await newIssuer()
    for (let i = 0; i <= 4; i++) {
      posts.push(await h.roadside({
        name: `lamp-${i}`, position: at(i * 500), transmissionIntervalMs: 500, clearAfterMs: CLEAR_AFTER_MS, heartbeatMs: 1000,
        ...(i === 0 ? {} : { bootstrap: [h.addrOf(posts[0].peer)] }),
        pipelines: {
          trusted: [issuer.trusted],
          radios: ['its-g5'],
          roles: ['worker'],
          ...(detectors.includes(i) ? { sensors: [...WEATHER] } : {})
        }
      }))
      const seen = new Map<bigint, PipelineRunEvent>()
      runs.push(seen)
      pipelinesOf(posts[i].peer).addEventListener('pipeline:run', (e) => { if (e.detail.stage === 'broadcast') { seen.set(e.detail.run, e.detail); times[i].push([Date.now(), Number(e.detail.run), e.detail.outputs, e.detail.partial ? 1 : 0]) } })
    }
    // neighbouring lampposts talk directly (gossip and bundle streams need no DHT walk)
    await fullMesh(posts.map((p) => p.peer))
    for (const i of detectors) mild(i)
    // 5 km before the ice, driving east along the road and past it
    car = await h.vehicle({ route: [at(-4000), at(3000)], bootstrap: [h.addrOf(posts[0].peer)], lookaheadM: 4000 })
    car.addEventListener('warning:shown', (e) => { shown.push({ ...e.detail, distanceAtShowM: distanceMetres(car.getPosition(), ICE) }) })
    car.addEventListener('warning:cleared', (e) => { cleared.push({ key: e.detail.key, why: e.detail.why }) })
    // 3 km north of the ice, parked: outside the 1 km relevance area
    bystander = await h.vehicle({ position: offsetMetres(ICE, 3000, 0), bootstrap: [h.addrOf(posts[1].peer)] })
    bystander.addEventListener('warning:shown', (e) => { bystanderShown.push(e.detail) })
  })

  after(async () => {
    await h.stop()
  })

  it('the signed descriptor is placed by the peers: 3 detectors, 1 fusion, a broadcaster on every lamppost', async () => {
    // the issuer allows the join 10 s instead of 2.5 s: on a loaded 2-core machine a
    // detector's bundle can be seconds late, and a partial join of the one iced station
    // would (rightly) warn without the two warm votes the next test relies on
    const descriptor = await loadRepoDescriptor('black-ice.yaml', (d) => {
      const fuse = d.stages.find((s) => s.name === 'fuse')
      if (fuse?.input !== undefined) fuse.input.joinTimeoutMs = 10_000
    })
    await pipelinesOf(posts[4].peer).submit(await sign(descriptor, issuer))
    await samePlacement(posts.map((p) => p.peer), 'black-ice', 60_000)
    const st = pipelinesOf(posts[2].peer).status('black-ice')
    assert.ok(st !== undefined)
    const hosts = (stage: string): string[] => st.placement.filter((p) => p.stage === stage).map((p) => p.peer).sort()
    assert.deepEqual(hosts('detect'), detectors.map((i) => posts[i].peer.peerId.toString()).sort())
    assert.equal(hosts('fuse').length, 1)
    assert.deepEqual(hosts('broadcast'), posts.map((p) => p.peer.peerId.toString()).sort())
  })

  it('no ice: runs reach every broadcaster and publish nothing', async () => {
    await waitFor(() => runs.every((r) => r.size >= 3), { timeoutMs: 60_000, message: () => `broadcaster runs: ${runs.map((r) => r.size).join(',')}; failures: ${pipelinesOf(posts[0].peer).status('black-ice')?.recentFailures.join(' | ') ?? ''}` })
    for (const r of runs) for (const e of r.values()) assert.equal(e.outputs, 0, `run ${e.run} emitted a hazard`)
    assert.deepEqual(originated(), [])
  })

  it('ice at one lamppost only: the fusion outvotes it (two warm stations), nothing is published', async () => {
    freeze(2)
    const from = slotNow() // the run under way may have read the sensors before the freeze
    await waitFor(() => runsAfter(from).filter((r) => !r.partial).length >= 3, { timeoutMs: 60_000, message: 'three full runs after the freeze' })
    assert.deepEqual(runsAfter(from).filter((r) => r.outputs > 0).map((r) => Number(r.run)), [])
    assert.deepEqual(originated(), [])
  })

  it('ice on the stretch around km 1.0: one warning per actionId, cause 6/6, at the ice, shown before the vehicle is within the relevance distance', async () => {
    // both vehicles know a roadside peer that relays the ice cell's topic
    const iceTopic = hazardTopic(encodeGeohash(ICE, HAZARD_CELL_PRECISION))
    for (const v of [car, bystander]) {
      await waitFor(() => v.libp2p.services.pubsub.getSubscribers(iceTopic).length > 0, { timeoutMs: 60_000, message: 'vehicle connected to a relay of the ice cell' })
    }
    freeze(1)
    freeze(3)
    await waitFor(() => originated().length === posts.length, { timeoutMs: 60_000, message: () => `originated: ${JSON.stringify(originated())}` })
    // drive east at 100 m per 100 ms of the car's own clock (not a wait for a condition)
    for (let along = 0; along <= 4500; along += 100) {
      car.setPosition(at(-4000 + along))
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    // one actionId per broadcaster for the whole icy spell (records fold into it), each shown exactly once
    const keys = originated().map((o) => o.key).sort()
    assert.deepEqual(originated().map((o) => o.lamp).sort(), [0, 1, 2, 3, 4], `actions: ${JSON.stringify(originated())} ${JSON.stringify(times.map((t) => t.slice(-60)))}`)
    assert.deepEqual(shown.map((s) => s.key).sort(), keys, 'every broadcaster\'s actionId shown exactly once')
    for (const w of shown) {
      const radius = relevanceMetres(w.denm.relevanceDistance)
      assert.ok(w.distanceAtShowM > radius, `${w.key} shown at ${Math.round(w.distanceAtShowM)} m, relevance ${radius} m`)
      assert.equal(w.denm.causeCode, CAUSE_CODE.adverseWeatherConditionAdhesion)
      assert.equal(w.denm.subCauseCode, SUB_CAUSE.blackIceOnRoad)
      assert.equal(w.denm.pipelineId, 'black-ice')
      assert.equal(w.denm.termination, Termination.NONE)
      // the event is where the detectors are, not where the broadcaster stands
      assert.ok(w.denm.eventPosition !== undefined && distanceMetres(w.denm.eventPosition, ICE) < 50, `${w.key} event at ${JSON.stringify(w.denm.eventPosition)}`)
      assert.ok(w.aheadM !== undefined && w.aheadM > 0)
    }
    // drive on through the ice: repetitions and updates arrive, nothing is shown twice
    const repeats = car.inbox.stats.repeats
    for (let along = 4500; along <= 6000; along += 250) {
      car.setPosition(at(-4000 + along))
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await waitFor(() => car.inbox.stats.repeats >= repeats + 3, { timeoutMs: 30_000, message: 'repetitions reached the car' })
    assert.deepEqual(shown.map((s) => s.key).sort(), keys)
  })

  it('a vehicle outside the relevance area receives the cell but shows nothing', async () => {
    await waitFor(() => bystander.inbox.stats.accepted >= 1, { timeoutMs: 30_000, message: () => `bystander got the warning on its cells ${bystander.cells().join(',')}` })
    assert.deepEqual(bystanderShown, [])
    assert.deepEqual(bystander.warnings(), [])
  })

  it('the ice melts: the terminations are received and the warnings disappear', async () => {
    const keys = shown.map((s) => s.key)
    for (const i of detectors) melt(i)
    // the detectors' hysteresis clears on the next warm reading; each source cancels after 3 finale runs without a record
    const meltedAt = Date.now()
    const meltedSlot = slotNow()
    await waitFor(() => keys.every((k) => cleared.some((c) => c.key === k)), {
      timeoutMs: 60_000,
      message: () => `cleared ${cleared.length} of ${keys.length}; melted in run ${meltedSlot}, now run ${slotNow()}; originated ${JSON.stringify(originated())}; broadcaster runs since the melt (run, outputs): ${JSON.stringify(times.map((t) => t.filter(([at]) => at >= meltedAt).map(([, run, outputs]) => [run, outputs])))}; car cells ${car.cells().join(',')}`
    })
    for (const k of keys) assert.deepEqual(cleared.find((c) => c.key === k), { key: k, why: 'cancellation' })
    assert.deepEqual(car.warnings(), [])
    assert.equal(shown.length, keys.length, 'nothing shown again')
  })
})
