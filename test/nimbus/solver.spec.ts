/** Hand-computed instances: every phase, every constraint, ties, both modes. See fixtures.twoEns. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  fits, maxServableDevices, queueMs, solveCloudOnly, solveNimbus, txMs, variantInit, type Assignment, type SolveResult
} from '../../protocols/index.js'
import { en, req, twoEns } from './fixtures.js'

function get (r: SolveResult, device: string): Assignment {
  const a = r.assignments.find((x) => x.device === device)
  assert.ok(a !== undefined, `no assignment for ${device}`)
  return a
}

const close = (a: number, b: number): void => { assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`) }

describe('nimbus model', () => {
  it('computes d/BW, the clipped queue curve and maxServableDevices', () => {
    close(txMs(100, 800), 1)
    assert.equal(queueMs({ slopeMs: 10, interceptMs: -10 }, 1), 0)
    assert.equal(queueMs({ slopeMs: 10, interceptMs: -10 }, 3), 20)
    // TET 10 + q(n) <= 50  <=>  10n - 10 <= 40  <=>  n <= 5
    assert.equal(maxServableDevices(en('e'), 50), 5)
    assert.equal(maxServableDevices(en('e', { capacity: 2 }), 50), 2)
    assert.equal(maxServableDevices(en('e'), 9), 0)
  })

  it('fits: accepts, and refuses for capacity, deadline, energy and a served device deadline', () => {
    const e = en('e1', { capacity: 2 })
    const ok = fits(e, { device: 'd', epsT: 50, epsB: 1000, networkMs: 6 }, [])
    assert.deepEqual(ok.ok && [ok.latencyMs, ok.inferenceMs], [16, 10])
    const served = [{ device: 'a', epsT: 100, networkMs: 2 }, { device: 'b', epsT: 100, networkMs: 2 }]
    const cap = fits(e, { device: 'd', epsT: 50, epsB: 1000, networkMs: 6 }, served)
    assert.equal(!cap.ok && cap.reason, 'capacity')
    const late = fits(e, { device: 'd', epsT: 16, epsB: 1000, networkMs: 6 }, [])
    assert.equal(!late.ok && late.reason, 'deadline')
    const energy = fits(e, { device: 'd', epsT: 50, epsB: 7.26, networkMs: 6 }, [])
    assert.equal(!energy.ok && energy.reason, 'energy')
    // one more client: Le = 10 + q(2) = 20 > 25 - 8 for the served device
    const hurt = fits(e, { device: 'd', epsT: 50, epsB: 1000, networkMs: 6 }, [{ device: 'z', epsT: 25, networkMs: 8 }])
    assert.equal(!hurt.ok && hurt.reason, 'served-deadline')
    assert.ok(fits(e, { device: 'd', epsT: 50, epsB: 1000, networkMs: 6 }, [{ device: 'z', epsT: 25, networkMs: 8 }], { protectServed: false }).ok)
  })
})

describe('nimbus paper mode (ST)', () => {
  it('core: L = d/BW + RTT + TET + q and B = Lt * w on the argmin EN', () => {
    const r = solveNimbus(twoEns(), [req('d1')])
    const a = get(r, 'd1')
    assert.equal(a.target, 'edge')
    assert.equal(a.en, 'e1')
    close(a.networkMs, 6)
    close(a.latencyMs, 16)
    close(a.energyMJ, 6 * 1.21)
    assert.deepEqual(r.leftovers, [])
  })

  it('core: beta * load / maxload balances the second device onto e2', () => {
    // d2 on e1: L = 6 + 10 + q(2) = 26, score .7*26/50 + .3*1/5 = .424; on e2: L = 21 + 6 = 27, score .378
    const r = solveNimbus(twoEns(), [req('d1'), req('d2')])
    assert.equal(get(r, 'd2').en, 'e2')
    close(get(r, 'd2').latencyMs, 27)
    close(get(r, 'd1').latencyMs, 16)
    // with alpha 1, beta 0 latency alone decides (.52 < .54) and both end with Le = TET + q(2)
    const lat = solveNimbus(twoEns(), [req('d1'), req('d2')], { alpha: 1, beta: 0 })
    assert.equal(get(lat, 'd2').en, 'e1')
    close(get(lat, 'd1').latencyMs, 26)
    close(get(lat, 'd2').latencyMs, 26)
  })

  it('ties: the lowest RTT wins, then snapshot order', () => {
    const snap = twoEns()
    snap.ens = [en('z'), en('a')]
    snap.aps[0].rttMs = [5, 5]
    assert.equal(get(solveNimbus(snap, [req('d1')]), 'd1').en, 'z')
  })

  it('warmup: FilterAndMinimize drops ENs with RTT >= eps_t; core drops L >= eps_t; failover to the cloud', () => {
    // eps_t 16: e1 has L = 16 (dropped, strict), e2 has RTT 20 (filtered); cloud L = 1 + 1.2*40 + 5 = 54
    const local = solveNimbus(twoEns(), [req('d1', { epsT: 16 })])
    assert.equal(get(local, 'd1').target, 'local')
    assert.equal(get(local, 'd1').latencyMs, 154)
    assert.deepEqual(local.leftovers, ['d1'])
    // the device measured 5 ms to c1: cloud L = 1 + 6 + 5 = 12 <= 16
    const cloud = solveNimbus(twoEns(), [req('d1', { epsT: 16, cloudRttMs: { c1: 5 } })])
    const a = get(cloud, 'd1')
    assert.deepEqual([a.target, a.cloud], ['cloud', 'c1'])
    close(a.latencyMs, 12)
    close(a.energyMJ, 7 * 1.21)
  })

  it('failover: FindClosest picks the cloud with the lowest |RTT|', () => {
    const snap = twoEns()
    snap.clouds.push({ id: 'c2', rttMs: 4, inferenceMs: 5 })
    assert.equal(get(solveNimbus(snap, [req('d1', { epsT: 16 })]), 'd1').cloud, 'c2')
    assert.equal(get(solveNimbus(snap, [req('d1', { epsT: 16, cloudRttMs: { c1: -3 } })]), 'd1').cloud, 'c1')
  })

  it('energy: B >= eps_b drops an EN, and the cloud must meet eps_b too', () => {
    const r = solveNimbus(twoEns(), [req('d1', { epsB: 7.26 })])
    assert.equal(get(r, 'd1').target, 'local')
  })

  it('LookAheadLoad: the served device with the highest network latency decides', () => {
    // e1 serves y (Lt 2, eps 100) then x (Lt 12, eps 30): one more client gives x 12 + 10 + q(3) = 42 > 30
    const served = [{ device: 'y', epsT: 100, networkMs: 2 }, { device: 'x', epsT: 30, networkMs: 12 }]
    const snap = twoEns({ served }, {}, 40)
    assert.equal(get(solveNimbus(snap, [req('d1')], { protectServed: false }), 'd1').en, 'e2')
    // without LookAheadLoad (and unprotected) e1 scores .624 < .658 and takes it
    assert.equal(get(solveNimbus(snap, [req('d1')], { protectServed: false, lookAheadLoad: false }), 'd1').en, 'e1')
    // the published simulator looks only at the first device (y): 2 + 30 <= 100, so it picks e1
    assert.equal(get(solveNimbus(snap, [req('d1')], { mode: 'reference' }), 'd1').en, 'e1')
  })

  it('no assignment pushes an already served device past its deadline', () => {
    // z (Lt 3, eps 25) passes LookAheadLoad (x is the reference device) but Le = 30 > 25 - 3
    const served = [{ device: 'x', epsT: 100, networkMs: 12 }, { device: 'z', epsT: 25, networkMs: 3 }]
    const snap = twoEns({ served }, {}, 40)
    assert.equal(get(solveNimbus(snap, [req('d1')]), 'd1').en, 'e2')
    assert.equal(get(solveNimbus(snap, [req('d1')], { protectServed: false }), 'd1').en, 'e1')
  })

  it('capacity is a hard cap', () => {
    const snap = twoEns({ capacity: 1, served: [{ device: 'x', epsT: 100, networkMs: 2 }] })
    assert.equal(get(solveNimbus(snap, [req('d1')]), 'd1').en, 'e2')
  })

  it('kappa keeps the kappa nearest compatible ENs', () => {
    const snap = twoEns({ capacity: 0 })
    assert.equal(get(solveNimbus(snap, [req('d1')], { kappa: 1 }), 'd1').target, 'local')
    assert.equal(get(solveNimbus(snap, [req('d1')], { kappa: 2 }), 'd1').en, 'e2')
    assert.equal(get(solveNimbus(snap, [req('d1')]), 'd1').en, 'e2')
  })

  it('greedy: nearest EN whatever its load, selfish towards served devices', () => {
    const reqs = ['d1', 'd2', 'd3', 'd4', 'd5'].map((d) => req(d))
    const g = solveNimbus(twoEns(), reqs, variantInit('greedy'))
    assert.deepEqual(g.assignments.map((a) => a.en ?? a.target), ['e1', 'e1', 'e1', 'e1', 'local'])
    // four on e1: 6 + 10 + q(4) = 46
    close(get(g, 'd1').latencyMs, 46)
    const n = solveNimbus(twoEns(), reqs)
    assert.ok(n.assignments.some((a) => a.en === 'e2'))
    assert.ok(n.assignments.every((a) => a.latencyMs <= a.epsT || a.target === 'local'))
  })

  it('cloudWhenFaster (default) sends a device to a faster feasible cloud; off = Algorithm 1 edge-first', () => {
    // e1: L = 1 + 5 + 10 = 16; cloud: 1 + 1.2 * 1 + 5 = 7.2
    const r = solveNimbus(twoEns(), [req('d1', { cloudRttMs: { c1: 1 } })])
    assert.equal(get(r, 'd1').target, 'cloud')
    assert.equal(get(solveNimbus(twoEns(), [req('d1', { cloudRttMs: { c1: 1 } })], { cloudWhenFaster: false }), 'd1').target, 'edge')
    // a slower cloud does not take it
    assert.equal(get(solveNimbus(twoEns(), [req('d1', { cloudRttMs: { c1: 9 } })]), 'd1').target, 'edge')
  })

  it('without Failover (2PMT stage 1) a device whose cloud is faster stays a leftover, not a cloud placement', () => {
    const r = solveNimbus(twoEns(), [req('d1', { cloudRttMs: { c1: 1 } })], { cloudFailover: false })
    assert.equal(get(r, 'd1').target, 'local')
    assert.deepEqual(r.leftovers, ['d1'])
  })

  it('rejects bad input with a typed error naming the field', () => {
    assert.throws(() => solveNimbus(twoEns(), [req('d1', { ap: 'nope' })]), (e: Error) => e.name === 'InvalidNimbusInputError' && e.message.includes('requests[0].ap'))
    assert.throws(() => solveNimbus(twoEns(), [req('d1')], { kappa: -1 }), (e: Error) => e.name === 'InvalidNimbusInputError' && e.message.startsWith('kappa'))
    const snap = twoEns()
    snap.aps[0].rttMs = [1]
    assert.throws(() => solveNimbus(snap, [req('d1')]), (e: Error) => e.name === 'InvalidNimbusInputError' && e.message.includes('aps[0].rttMs'))
  })
})

describe('nimbus reference mode', () => {
  it('edge infeasible, cloud feasible: nothing happens (no failover)', () => {
    // reference: e1 L = 0.8 + 5 + 10 = 15.8 > 12; cloud L = 100*8/400 + 1.2*3 + 5 = 10.6 <= 12
    const d = req('d1', { epsT: 12, cloudRttMs: { c1: 3 } })
    const ref = get(solveNimbus(twoEns(), [d], { mode: 'reference' }), 'd1')
    assert.deepEqual([ref.target, ref.unassigned], ['local', true])
    assert.equal(get(solveNimbus(twoEns(), [d]), 'd1').target, 'cloud')
  })

  it('later devices overwrite the inference latency of earlier ones, past their deadline', () => {
    const reqs = [req('d1', { epsT: 20 }), req('d2')]
    // (the first-device look-ahead would catch this one; with it off nothing re-checks d1)
    const ref = solveNimbus(twoEns(), reqs, { mode: 'reference', alpha: 1, beta: 0, lookAheadLoad: false })
    assert.equal(get(ref, 'd2').en, 'e1')
    close(get(ref, 'd1').latencyMs, 5.8 + 20)
    const paper = solveNimbus(twoEns(), reqs, { alpha: 1, beta: 0 })
    assert.equal(get(paper, 'd2').en, 'e2')
    assert.ok(get(paper, 'd1').latencyMs <= 20)
  })

  it('is deterministic for a seed (random kappa subset, fresh compute samples)', () => {
    const reqs = Array.from({ length: 6 }, (_, i) => req(`d${i}`))
    const init = { mode: 'reference' as const, kappa: 1, seed: 7, tetSamples: { t1: [9, 10, 11], t2: [4, 5, 6] } }
    assert.deepEqual(solveNimbus(twoEns(), reqs, init).assignments, solveNimbus(twoEns(), reqs, init).assignments)
  })
})

describe('nimbus cloud-only baselines', () => {
  it('Wi-Fi: d/(R/N) + 1.2|RTT| + 5; 4G: d/LTE + RTT, else local', () => {
    const d = req('d1', { lteMbps: 8, cloudRttMs: { c1: 10 } })
    const wifi = get(solveCloudOnly(twoEns(), [d]), 'd1')
    close(wifi.latencyMs, 1 + 12 + 5)
    const lte = get(solveCloudOnly(twoEns(), [d], { connection: 'lte' }), 'd1')
    assert.equal(lte.target, 'local') // 100*8/8 = 100 ms of transmission alone
    const near = get(solveCloudOnly(twoEns(), [req('d1', { payloadKB: 10, lteMbps: 8, cloudRttMs: { c1: 10 } })], { connection: 'lte' }), 'd1')
    close(near.latencyMs, 10 + 10 + 5)
    close(near.energyMJ, 20 * 2.5)
  })
})
