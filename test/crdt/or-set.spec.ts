import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { createHybridLogicalClock, createOrSet, timestampKey } from '../../crdt/index.js'
import { fcParams, historyArb, ManualTime, SEEDS, T0, TestNetwork } from './utils.js'
import type { HybridLogicalClock, OrSet, OrSetDelta, OrSetInit, OrSetMergeResult } from '../../crdt/index.js'
import type { Step } from './utils.js'

const TTLS = [0, 0, 60, 200, 800]

function pair (init: OrSetInit = {}): { a: OrSet, b: OrSet, time: ManualTime } {
  const time = new ManualTime()
  const make = (node: string): OrSet => createOrSet({ clock: createHybridLogicalClock({ nodeId: node }, { now: time.now }) }, init)
  return { a: make('a'), b: make('b'), time }
}

function runHistory (n: number, steps: Step[]): { net: TestNetwork<OrSet>, written: OrSetDelta[] } {
  const net = new TestNetwork(n, (clock: HybridLogicalClock) => createOrSet({ clock }))
  const written: OrSetDelta[] = []
  for (const s of steps) {
    const r = s.replica % n
    net.times[r].advance(s.dt)
    const set = net.replicas[r]
    const element = `e${s.key}`
    let delta: OrSetDelta | undefined
    if (s.op < 35) {
      delta = set.add(element, { ttlMs: TTLS[s.value % TTLS.length] })
    } else if (s.op < 50) {
      delta = set.remove(element)
    } else if (s.op < 85) {
      net.deliver(r, s.pick, s.flag)
    } else if (s.op < 92) {
      if (s.flag) net.pull(s.pick % n, r)
      else net.sendState(r, s.pick % n)
    } else if (s.op < 96) {
      net.drop(r, s.pick)
    } else {
      set.gc()
    }
    if (delta !== undefined) {
      written.push(delta)
      net.broadcast(r, set.encodeDelta(delta))
    }
  }
  return { net, written }
}

/** What add-wins semantics says is present: an add whose tag nobody removed and that has not expired. */
function oracle (written: OrSetDelta[], now: number): string[] {
  const removed = new Set(written.flatMap(d => d.removes).map(r => timestampKey(r.tag)))
  const present = new Set<string>()
  for (const a of written.flatMap(d => d.adds)) {
    if (removed.has(timestampKey(a.tag))) continue
    if (a.expiresAt !== 0 && a.expiresAt <= now) continue
    present.add(a.element)
  }
  return [...present].sort()
}

describe('add-wins OR-set', () => {
  it('add, has, remove, values', () => {
    const { a } = pair()
    a.add('x')
    a.add('y')
    a.remove('x')
    assert.equal(a.has('x'), false)
    assert.deepEqual(a.values(), ['y'])
    assert.deepEqual(a.remove('nothing'), { adds: [], removes: [] })
  })

  it('a concurrent add wins over a remove', () => {
    const { a, b } = pair()
    b.mergeBytes(a.encodeDelta(a.add('x')))
    const readd = a.add('x') // new tag, concurrent with b's remove
    const rm = b.remove('x') // b only observed the first tag
    assert.equal(b.has('x'), false)
    const atB = b.mergeBytes(a.encodeDelta(readd))
    a.mergeBytes(b.encodeDelta(rm))
    assert.deepEqual(atB.added, ['x'])
    assert.equal(a.has('x'), true)
    assert.equal(b.has('x'), true)
    assert.equal(a.digest(), b.digest())
  })

  it('an add never seen by the remover survives the remove', () => {
    const { a, b } = pair()
    const addB = b.add('x')
    a.add('x')
    const rm = a.remove('x')
    b.mergeBytes(a.encodeDelta(rm))
    a.mergeBytes(b.encodeDelta(addB))
    assert.deepEqual(a.values(), ['x'])
    assert.deepEqual(b.values(), ['x'])
  })

  it('a remove after observing every add removes everywhere, with merge reporting it', () => {
    const { a, b } = pair()
    b.mergeBytes(a.encodeDelta(a.add('x')))
    a.mergeBytes(b.encodeDelta(b.add('x')))
    const result: OrSetMergeResult = b.mergeBytes(a.encodeDelta(a.remove('x')))
    assert.deepEqual(result.removed, ['x'])
    assert.equal(b.has('x'), false)
  })

  it('elements expire after their TTL, a re-add refreshes it, a late copy of an expired add is ignored', () => {
    const { a, b, time } = pair({ defaultTtlMs: 1000 })
    const first = a.add('cert')
    assert.equal(a.expiresAt('cert'), T0 + 1000)
    time.advance(999)
    assert.equal(a.has('cert'), true)
    time.advance(1)
    assert.equal(a.has('cert'), false)
    assert.equal(a.expiresAt('cert'), undefined)
    assert.deepEqual(a.gc(), { expired: 1, purged: 0 })
    assert.deepEqual(b.mergeBytes(b.encodeDelta(first)).added, [], 'an expired add does not appear')
    assert.equal(b.state().adds.length, 0)
    a.add('cert', { ttlMs: 0 })
    assert.equal(a.expiresAt('cert'), Infinity)
    assert.throws(() => a.add('cert', { ttlMs: -1 }), { name: 'InvalidCrdtArgumentError' })
  })

  it('keeps a tombstone for the whole grace period: a replica that missed the removal cannot resurrect it', () => {
    const { a, b, time } = pair({ tombstoneGraceMs: 10_000 })
    b.mergeBytes(a.encodeDelta(a.add('x')))
    a.remove('x') // b does not hear about it
    time.advance(9_999)
    assert.deepEqual(a.gc(), { expired: 0, purged: 0 })
    assert.deepEqual(a.mergeBytes(b.encodeState()).added, [])
    assert.equal(a.has('x'), false)
    b.mergeBytes(a.encodeState())
    assert.equal(b.has('x'), false)
  })

  it('drops tombstones after the grace period so add/remove churn stays bounded', () => {
    const { a, b, time } = pair({ tombstoneGraceMs: 1000 })
    for (let i = 0; i < 200; i++) {
      b.mergeBytes(a.encodeDelta(a.add(`e${i % 7}`)))
      b.mergeBytes(a.encodeDelta(a.remove(`e${i % 7}`)))
      time.advance(50)
    }
    const sizeA = a.state()
    const sizeB = b.state()
    assert.ok(sizeA.removes.length <= 21, `a keeps ${sizeA.removes.length} tombstones`)
    assert.equal(sizeA.removes.length, sizeB.removes.length)
    assert.equal(a.digest(), b.digest())
    time.advance(1000)
    assert.equal(a.state().removes.length, 0)
    assert.equal(b.state().removes.length, 0)
  })

  it('drops the tombstone of a TTL add once the add has expired, before the grace period', () => {
    const { a, b, time } = pair({ tombstoneGraceMs: 60_000 })
    const add = a.add('x', { ttlMs: 500 })
    a.remove('x')
    assert.equal(a.state().removes.length, 1)
    time.advance(500)
    assert.deepEqual(a.gc(), { expired: 0, purged: 1 })
    b.mergeBytes(b.encodeDelta(add)) // b's late copy is expired too
    a.mergeBytes(b.encodeState())
    assert.equal(a.has('x'), false)
    assert.equal(a.digest(), b.digest())
  })

  it('documents the assumption: after the grace period a replica that never saw the removal brings the element back', () => {
    const { a, b, time } = pair({ tombstoneGraceMs: 1000 })
    b.mergeBytes(a.encodeDelta(a.add('x')))
    a.remove('x')
    time.advance(1000)
    a.gc()
    a.mergeBytes(b.encodeState())
    assert.equal(a.has('x'), true, 'resurrected, as documented; replicas still agree')
    assert.equal(a.digest(), b.digest())
  })

  it('summary and diffAgainst send only unknown adds and tombstones', () => {
    const { a, b } = pair()
    b.mergeBytes(a.encodeDelta(a.add('shared')))
    a.add('onlyA')
    b.remove('shared')
    const diff = a.diffAgainst(b.decodeSummary(b.encodeSummary()))
    assert.deepEqual(diff.adds.map(x => x.element), ['onlyA'])
    assert.equal(diff.removes.length, 0)
    a.mergeBytes(b.diffBytes(a.encodeSummary()) ?? new Uint8Array())
    b.mergeBytes(a.diffBytes(b.encodeSummary()) ?? new Uint8Array())
    assert.deepEqual(a.values(), ['onlyA'])
    assert.equal(a.digest(), b.digest())
  })

  it('converges to the add-wins result under random histories with TTLs, random delivery, duplicates and drops (property)', () => {
    fc.assert(fc.property(historyArb, ({ n, steps, antiEntropy }) => {
      const { net, written } = runHistory(n, steps)
      net.alignTimes()
      net.flushAll(antiEntropy)
      for (const r of net.results as OrSetMergeResult[]) assert.equal(r.rejected.length, 0)
      const digests = net.digests()
      assert.equal(new Set(digests).size, 1, `digests differ: ${digests.join(' ')}`)
      const expected = oracle(written, net.times[0].ms)
      for (const replica of net.replicas) assert.deepEqual(replica.values(), expected)
    }), fcParams(SEEDS.orSet, 300))
  })

  it('merge is commutative, associative and idempotent on random states (property)', () => {
    fc.assert(fc.property(historyArb, fc.nat(), ({ n, steps }, pick) => {
      const { net } = runHistory(n, steps)
      net.alignTimes()
      const time = new ManualTime(net.times[0].ms)
      const merged = (...states: Uint8Array[]): OrSet => {
        const doc = createOrSet({ clock: createHybridLogicalClock({ nodeId: 'observer' }, { now: time.now }) })
        for (const s of states) doc.mergeBytes(s)
        return doc
      }
      const [a, b, c] = [0, 1, 2].map(i => net.replicas[(pick + i) % n].encodeState())
      assert.equal(merged(a, b).digest(), merged(b, a).digest(), 'commutative')
      assert.equal(merged(merged(a, b).encodeState(), c).digest(), merged(a, merged(b, c).encodeState()).digest(), 'associative')
      assert.equal(merged(a, a).digest(), merged(a).digest(), 'idempotent')
      const once = merged(a)
      const again = once.mergeBytes(a)
      assert.deepEqual([again.added, again.removed], [[], []])
    }), fcParams(SEEDS.orSet + 1, 200))
  })
})
