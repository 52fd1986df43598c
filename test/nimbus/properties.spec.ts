/** Properties of the paper mode on seeded random instances; a failure prints its seed. */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import {
  findClosestCloud, maxServableDevices, planSlices, resolveOptions, solveNimbus, solveSliced, solveSlicedInWorkers, SliceWorkerPool,
  wifiCloudOption, wifiShareMbps, type Assignment, type InfrastructureSnapshot, type OffloadRequest, type SolveResult
} from '../../protocols/index.js'
import { randomInstance } from './fixtures.js'

const RUNS = 150
const BASE_SEED = Number(process.env.NIMBUS_SEED ?? 20240611)

function forSeeds (fn: (seed: number) => void): void {
  for (let k = 0; k < RUNS; k++) {
    const seed = BASE_SEED + k
    try {
      fn(seed)
    } catch (err) {
      (err as Error).message = `seed ${seed}: ${(err as Error).message}`
      throw err
    }
  }
}

/** every offloaded device within eps_t and eps_b; every EN within capacity and maxload */
function checkInvariants (snap: InfrastructureSnapshot, reqs: OffloadRequest[], r: SolveResult): void {
  const byDevice = new Map(reqs.map((q) => [q.device, q]))
  const onEn = new Map<string, Assignment[]>()
  assert.equal(r.assignments.length, reqs.length)
  for (const a of r.assignments) {
    const q = byDevice.get(a.device)
    assert.ok(q !== undefined)
    if (a.target === 'local') continue
    assert.ok(a.latencyMs <= q.epsT + 1e-9, `${a.device} on ${a.en ?? a.cloud}: L ${a.latencyMs} > eps_t ${q.epsT}`)
    assert.ok(a.energyMJ <= q.epsB + 1e-9, `${a.device}: B ${a.energyMJ} > eps_b ${q.epsB}`)
    if (a.target === 'edge' && a.en !== undefined) onEn.set(a.en, [...(onEn.get(a.en) ?? []), a])
  }
  for (const en of snap.ens) {
    const list = onEn.get(en.id) ?? []
    if (list.length === 0) continue
    assert.ok(en.capacity === undefined || list.length <= en.capacity, `${en.id}: ${list.length} > capacity ${en.capacity}`)
    const minEps = Math.min(...list.map((a) => a.epsT))
    assert.ok(list.length <= maxServableDevices(en, minEps), `${en.id}: ${list.length} devices > maxload ${maxServableDevices(en, minEps)}`)
  }
}

/** a device left local had no feasible cloud */
function checkFailover (snap: InfrastructureSnapshot, reqs: OffloadRequest[], r: SolveResult): void {
  const o = resolveOptions({})
  const byDevice = new Map(reqs.map((q) => [q.device, q]))
  for (const a of r.assignments) {
    if (a.target !== 'local') continue
    const q = byDevice.get(a.device)
    const cloud = q === undefined ? undefined : findClosestCloud(snap.clouds, q)
    if (q === undefined || cloud === undefined) continue
    const ap = snap.aps.find((x) => x.id === q.ap)
    assert.ok(ap !== undefined)
    const c = wifiCloudOption(q, cloud, wifiShareMbps(ap.bandwidthMbps, ap.users, o.wifiShare), o)
    assert.ok(!(c.latencyMs <= q.epsT && c.energyMJ <= q.epsB), `${a.device} stayed local with a feasible cloud (L ${c.latencyMs})`)
  }
}

describe('nimbus paper-mode properties', () => {
  it('ST: offloaded devices meet eps_t and eps_b; no EN beyond capacity or maxload', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed)
      checkInvariants(snapshot, requests, solveNimbus(snapshot, requests, { kappa: seed % 4 }))
    })
  })

  it('a device the edge cannot serve but the cloud can goes to the cloud', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed)
      checkFailover(snapshot, requests, solveNimbus(snapshot, requests))
    })
  })

  it('an edge-less infrastructure sends every cloud-feasible device to the cloud', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed, 6, 4, 30)
      const far = { ...snapshot, aps: snapshot.aps.map((ap) => ({ ...ap, rttMs: ap.rttMs.map(() => 500) })) }
      const r = solveNimbus(far, requests)
      assert.ok(r.assignments.every((a) => a.target !== 'edge'))
      checkFailover(far, requests, r)
    })
  })

  it('MT and 2PMT keep the invariants for 1-5 slices', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed, 12, 10, 80)
      const slices = 1 + (seed % 5)
      checkInvariants(snapshot, requests, solveSliced(snapshot, requests, { slices, twoPhase: true }))
      checkInvariants(snapshot, requests, solveSliced(snapshot, requests, { slices, twoPhase: false }))
      checkFailover(snapshot, requests, solveSliced(snapshot, requests, { slices, twoPhase: true }))
    })
  })

  it('2PMT with one slice equals ST', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed)
      const st = solveNimbus(snapshot, requests)
      const two = solveSliced(snapshot, requests, { slices: 1 })
      const strip = (xs: Assignment[]): Array<Omit<Assignment, 'stage'>> => xs.map(({ stage: _s, ...rest }) => rest)
      assert.deepEqual(strip(two.assignments), strip(st.assignments))
    })
  })

  it('2PMT stage 1 places a device only on one of its AP\'s stageOneNearest lowest-RTT ENs', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed)
      const k = 1 + (seed % 4)
      const r = solveSliced(snapshot, requests, { slices: 2 + (seed % 3), stageOneNearest: k })
      const apOf = new Map(requests.map((q) => [q.device, snapshot.aps.find((ap) => ap.id === q.ap)]))
      for (const a of r.assignments.filter((x) => x.stage === 1 && x.target === 'edge')) {
        const row = apOf.get(a.device)?.rttMs ?? []
        const cap = row.slice().sort((x, y) => x - y)[k - 1]
        assert.ok(row[snapshot.ens.findIndex((e) => e.id === a.en)] <= cap, `${a.device} on ${a.en ?? ''} is not among its ${k} nearest`)
      }
      checkInvariants(snapshot, requests, r)
    })
  })

  it('planSlices nearest: every EN in exactly one slice; an AP goes to the slice holding its lowest-RTT EN', () => {
    forSeeds((seed) => {
      const { snapshot } = randomInstance(seed)
      const count = 1 + (seed % 6)
      const plan = planSlices(snapshot, count, { devices: 'nearest' })
      const naive = planSlices(snapshot, count)
      assert.deepEqual(plan.slices, naive.slices)
      const enSlice = new Map<string, number>()
      plan.slices.forEach((ids, s) => { for (const id of ids) { assert.ok(!enSlice.has(id), `${id} in two slices`); enSlice.set(id, s) } })
      assert.equal(enSlice.size, snapshot.ens.length)
      for (const ap of snapshot.aps) {
        const best = ap.rttMs.indexOf(Math.min(...ap.rttMs))
        assert.equal(plan.apSlice[ap.id], enSlice.get(snapshot.ens[best].id), `${ap.id}`)
      }
    })
  })

  it('2PMT stage 1 settles a device off the edge only when no EN hidden from it could serve it or beat the cloud', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed)
      const slices = 2 + (seed % 4)
      const k = 1 + (seed % 5)
      const plan = planSlices(snapshot, slices, { devices: 'nearest' })
      const r = solveSliced(snapshot, requests, { slices: plan, stageOneNearest: k })
      const enSlice = new Map(plan.slices.flatMap((ids, s) => ids.map((id): [string, number] => [id, s])))
      const byDevice = new Map(requests.map((q) => [q.device, q]))
      for (const a of r.assignments.filter((x) => x.stage === 1 && x.target !== 'edge')) {
        const q = byDevice.get(a.device)
        const ap = snapshot.aps.find((x) => x.id === q?.ap)
        assert.ok(q !== undefined && ap !== undefined)
        const cap = ap.rttMs.slice().sort((x, y) => x - y)[k - 1]
        const tx = 8 * q.payloadKB / wifiShareMbps(ap.bandwidthMbps, ap.users, 'attached')
        snapshot.ens.forEach((en, j) => {
          if (enSlice.get(en.id) === plan.apSlice[ap.id] && ap.rttMs[j] <= cap) return
          const floor = tx + ap.rttMs[j] + en.tetMs + Math.max(0, en.queue.slopeMs + en.queue.interceptMs)
          assert.ok(floor >= q.epsT || (a.target === 'cloud' && a.latencyMs < floor),
            `${a.device} settled ${a.target} in stage 1 though hidden ${en.id} could reach ${floor.toFixed(2)} ms (eps_t ${q.epsT.toFixed(2)})`)
        })
      }
      checkInvariants(snapshot, requests, r)
    })
  })

  it('2PMT places at least as many devices on the edge as MT', () => {
    forSeeds((seed) => {
      const { snapshot, requests } = randomInstance(seed)
      const count = (r: SolveResult): number => r.assignments.filter((a) => a.target === 'edge').length
      const slices = 2 + (seed % 4)
      assert.ok(count(solveSliced(snapshot, requests, { slices })) >= count(solveSliced(snapshot, requests, { slices, twoPhase: false })))
    })
  })
})

describe('nimbus slices in worker threads', () => {
  const pool = new SliceWorkerPool({ size: 2 })
  after(async () => { await pool.stop() })

  it('give the same allocation as the inline slices, in both modes', async () => {
    for (const seed of [BASE_SEED, BASE_SEED + 1]) {
      const { snapshot, requests } = randomInstance(seed, 16, 12, 120)
      for (const mode of ['paper', 'reference'] as const) {
        const init = { mode, slices: 4, tetSamples: { t1: [20, 22, 24], t2: [6, 7, 8], t3: [5] } }
        const inline = solveSliced(snapshot, requests, init)
        const pooled = await solveSlicedInWorkers(pool, snapshot, requests, init)
        assert.deepEqual(pooled.assignments, inline.assignments, `seed ${seed} mode ${mode}`)
        assert.equal(pooled.sliceMs.length, 4)
      }
    }
  })

  it('rejects work after stop with a typed error', async () => {
    const p = new SliceWorkerPool({ size: 1 })
    await p.stop()
    await assert.rejects(p.run([]), (e: Error) => e.name === 'SliceWorkerError')
  })
})
