/** The EN reservation table and the solver's load knowledge, in isolation (pure logic). */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  AllocationState, createNimbusRng, defaultTierProfiles, enInfo, OffloadRefusal, servedFromCount, servedFromSummary, type FitRequest
} from '../../protocols/index.js'
import { LoadKnowledge, ReservationTable } from '../../node/offload/index.js'

const T2 = defaultTierProfiles().t2
const fit = (device: string, over: Partial<FitRequest> = {}): FitRequest => ({ device, epsT: 100, epsB: 1000, networkMs: 20, gateway: 'gw', leaseMs: 0, ...over })

function table (maxload?: number, now = (): number => 0): ReservationTable {
  return new ReservationTable(enInfo('en', 2, { ...T2, ...(maxload === undefined ? {} : { maxload }) }), { leaseMs: 1000, maxLeaseMs: 5000, now })
}

/** every served device within its deadline at the table's final load */
function deadlinesHold (t: ReservationTable): boolean {
  const le = t.inferenceMs()
  return t.list().every((r) => r.networkMs + le <= r.epsT + 1e-9)
}

describe('ReservationTable', () => {
  it('confirms up to the queue curve and refuses the device that would break a served deadline', () => {
    const t = table()
    // T2: Le(n) = 7.19 + 7.086 n - 11.645; with Lt 20 and eps_t 100, n <= 11
    const out = t.reserve('s1', Array.from({ length: 14 }, (_, i) => fit(`d${i}`)))
    const ok = out.verdicts.filter((v) => v.ok).length
    assert.equal(ok, 11)
    assert.equal(t.size, 11)
    assert.ok(deadlinesHold(t))
    const refused = out.verdicts.filter((v) => !v.ok)
    assert.ok(refused.every((v) => v.reason === OffloadRefusal.DEADLINE), refused.map((v) => v.message).join('; '))
    assert.equal(out.summary.count, 11)
  })

  it('protects a served device with a tight deadline (served-deadline), and enforces maxload (capacity) and eps_b (energy)', () => {
    const t = table(3)
    assert.ok(t.reserve('s1', [fit('tight', { epsT: 30, networkMs: 18 })]).verdicts[0].ok)
    const v = t.reserve('s1', [fit('other', { networkMs: 5 })]).verdicts[0]
    // Le(2) = 7.19 + 2.53 = 9.72; tight: 18 + 9.72 <= 30, fine; Le(3) = 16.8 breaks it
    assert.equal(v.ok, true)
    const third = t.reserve('s1', [fit('third', { networkMs: 5 })]).verdicts[0]
    assert.equal(third.ok, false)
    assert.equal(third.reason, OffloadRefusal.SERVED_DEADLINE)
    assert.match(third.message, /tight/)
    assert.equal(t.reserve('s1', [fit('poor', { networkMs: 5, epsB: 5 })]).verdicts[0].reason, OffloadRefusal.ENERGY)
    const full = table(1)
    full.reserve('s1', [fit('a')])
    assert.equal(full.reserve('s1', [fit('b')]).verdicts[0].reason, OffloadRefusal.CAPACITY)
  })

  it('is idempotent per device, and a refused re-offload keeps the old reservation', () => {
    const t = table()
    t.reserve('s1', [fit('a')])
    t.reserve('s2', [fit('a')])
    assert.equal(t.size, 1)
    assert.equal(t.get('a')?.holder, 's2')
    assert.equal(t.reserve('s2', [fit('a', { epsT: 1 })]).verdicts[0].ok, false)
    assert.equal(t.get('a')?.epsT, 100)
  })

  it('releases only for its gateway, its holder or the EN itself; leases expire', () => {
    let now = 0
    const t = table(undefined, () => now)
    t.reserve('solver', [fit('a'), fit('b', { leaseMs: 3000 }), fit('c', { leaseMs: 99_999 })])
    assert.equal(t.release('a', 'stranger', 'en'), false)
    assert.equal(t.release('a', 'gw', 'en'), true)
    assert.equal(t.release('b', 'solver', 'en'), true)
    assert.equal(t.get('c')?.expiresAt, 5000, 'lease capped by maxLeaseMs')
    t.reserve('solver', [fit('d')])
    now = 1000
    assert.deepEqual(t.expire().map((r) => r.device), ['d'])
    now = 5000
    assert.deepEqual(t.expire().map((r) => r.device), ['c'])
    assert.equal(t.size, 0)
  })

  it('never overbooks under any interleaving of racing solvers (seeded)', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rng = createNimbusRng(seed)
      const t = table(rng.next() < 0.5 ? 1 + rng.int(8) : undefined)
      const maxload = t.en.capacity ?? Number.POSITIVE_INFINITY
      for (let round = 0; round < 40; round++) {
        const solver = `s${rng.int(4)}`
        const batch = Array.from({ length: 1 + rng.int(4) }, (_, i) => fit(`${solver}-${round}-${i}`, { epsT: 30 + rng.next() * 120, networkMs: rng.next() * 40 }))
        t.reserve(solver, batch)
        if (rng.next() < 0.2 && t.size > 0) { const r = t.list()[rng.int(t.size)]; t.release(r.device, r.gateway, 'en') }
        assert.ok(t.size <= maxload, `seed ${seed}: ${t.size} > maxload ${maxload}`)
        assert.ok(deadlinesHold(t), `seed ${seed}: a served deadline broke`)
      }
    }
  })
})

describe('solver knowledge of EN loads', () => {
  it('a summary reproduces the EN state the solver checks (count, worst Lt, least slack)', () => {
    const t = table()
    t.reserve('s', [fit('a', { networkMs: 30, epsT: 100 }), fit('b', { networkMs: 5, epsT: 40 }), fit('c', { networkMs: 10, epsT: 90 })])
    const s = t.summary()
    const st = new AllocationState({ ens: [enInfo('x', 2, T2, servedFromSummary(s))], aps: [], clouds: [] })
    assert.equal(st.count[0], 3)
    assert.equal(st.maxNetworkMs[0], 30)
    assert.equal(st.maxNetworkEpsT[0], 100)
    assert.equal(st.minSlackMs[0], 35)
    assert.equal(servedFromCount(4).length, 4)
  })

  it('trusts a fresh reply over the registry count, then falls back; unreachable ENs return after their pause', () => {
    let now = 0
    const k = new LoadKnowledge(1000, () => now)
    const m = { peerId: 'en', slice: 'a', tier: 2, lat: 0, lon: 0, multiaddrs: [], offloadClients: 7, gateway: false, live: true }
    assert.equal(k.served(m).length, 7)
    k.update('en', { count: 2, maxNetworkMs: 10, maxNetworkEpsT: 50, minSlackMs: 40 })
    assert.equal(k.served(m).length, 2)
    now = 1500
    assert.equal(k.served(m).length, 7)
    k.markUnreachable('en', 500)
    assert.equal(k.reachable('en'), false)
    now = 2001
    assert.equal(k.reachable('en'), true)
  })
})
