import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { compareLwwEntries, createHybridLogicalClock, createLwwMap, createLwwRegister, compareTimestamps } from '../../crdt/index.js'
import { fcParams, historyArb, ManualTime, SEEDS, T0, TestNetwork } from './utils.js'
import type { HybridLogicalClock, LwwEntry, LwwMap, LwwMapDelta, LwwMapMergeResult } from '../../crdt/index.js'
import type { Step } from './utils.js'

const bytes = (n: number): Uint8Array => Uint8Array.of(n)

function newMap (clock: HybridLogicalClock): LwwMap {
  return createLwwMap({ clock })
}

/** A replica outside the network with a clock far enough ahead to accept everything. */
function observer (): LwwMap {
  const time = new ManualTime(T0 + 3_600_000)
  return newMap(createHybridLogicalClock({ nodeId: 'observer' }, { now: time.now }))
}

function merged (...states: Uint8Array[]): LwwMap {
  const doc = observer()
  for (const s of states) doc.mergeBytes(s)
  return doc
}

function sortedEntries (map: LwwMap): LwwEntry[] {
  return map.state().entries.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
}

/** Runs a random history: local writes broadcast as encoded deltas, random delivery, duplicates, drops, state pushes. */
function runHistory (n: number, steps: Step[]): { net: TestNetwork<LwwMap>, written: LwwMapDelta[] } {
  const net = new TestNetwork(n, newMap)
  const written: LwwMapDelta[] = []
  for (const s of steps) {
    const r = s.replica % n
    net.times[r].advance(s.dt)
    const map = net.replicas[r]
    const key = `k${s.key}`
    if (s.op < 35) {
      const delta = map.set(key, bytes(s.value))
      written.push(delta)
      net.broadcast(r, map.encodeDelta(delta))
    } else if (s.op < 45) {
      const delta = map.delete(key)
      written.push(delta)
      net.broadcast(r, map.encodeDelta(delta))
    } else if (s.op < 85) {
      net.deliver(r, s.pick, s.flag)
    } else if (s.op < 93) {
      if (s.flag) net.pull(s.pick % n, r)
      else net.sendState(r, s.pick % n)
    } else {
      net.drop(r, s.pick)
    }
  }
  return { net, written }
}

describe('LWW map', () => {
  it('set, get, delete, entries and size', () => {
    const time = new ManualTime()
    const map = newMap(createHybridLogicalClock({ nodeId: 'a' }, { now: time.now }))
    map.set('x', bytes(1))
    map.set('y', bytes(2))
    map.delete('x')
    assert.equal(map.get('x'), undefined)
    assert.deepEqual(map.get('y'), bytes(2))
    assert.equal(map.size, 1)
    assert.deepEqual([...map.entries()], [['y', bytes(2)]])
    assert.equal(map.entry('x')?.value, undefined, 'tombstone kept with its stamp')
    assert.ok(map.entry('x') !== undefined)
  })

  it('merge reports the keys that changed, with previous values', () => {
    const time = new ManualTime()
    const a = newMap(createHybridLogicalClock({ nodeId: 'a' }, { now: time.now }))
    const b = newMap(createHybridLogicalClock({ nodeId: 'b' }, { now: time.now }))
    b.mergeBytes(a.encodeDelta(a.set('p', bytes(1))))
    time.advance(5)
    const result = b.mergeBytes(a.encodeDelta(a.set('p', bytes(2))))
    assert.deepEqual(result.changed.map(c => [c.key, c.value, c.previous]), [['p', bytes(2), bytes(1)]])
    const again = b.mergeBytes(a.encodeState())
    assert.deepEqual(again.changed, [], 'a duplicate changes nothing')
    const del = b.mergeBytes(a.encodeDelta(a.delete('p')))
    assert.deepEqual(del.changed.map(c => [c.key, c.value]), [['p', undefined]])
  })

  it('a local write after a merge wins over what was merged, even from a clock running ahead', () => {
    const ta = new ManualTime()
    const tb = new ManualTime(T0 + 30_000)
    const a = newMap(createHybridLogicalClock({ nodeId: 'a' }, { now: ta.now }))
    const b = newMap(createHybridLogicalClock({ nodeId: 'b' }, { now: tb.now }))
    a.mergeBytes(b.encodeDelta(b.set('k', bytes(1))))
    const delta = a.set('k', bytes(2))
    assert.equal(compareTimestamps(delta.entries[0].stamp, b.entry('k')?.stamp ?? delta.entries[0].stamp), 1)
    b.mergeBytes(a.encodeDelta(delta))
    assert.deepEqual(b.get('k'), bytes(2))
  })

  it('skips entries stamped too far in the future and applies the rest', () => {
    const ta = new ManualTime()
    const tb = new ManualTime(T0 + 120_000)
    const a = newMap(createHybridLogicalClock({ nodeId: 'a' }, { now: ta.now }))
    const b = newMap(createHybridLogicalClock({ nodeId: 'b' }, { now: tb.now, maxDriftMs: 60_000 }))
    const c = newMap(createHybridLogicalClock({ nodeId: 'c' }, { now: ta.now }))
    const future = b.set('bad', bytes(9))
    const fine = c.set('good', bytes(1))
    const result = a.merge({ entries: [...future.entries, ...fine.entries] })
    assert.equal(result.rejected.length, 1)
    assert.equal(result.rejected[0].id, 'bad')
    assert.equal(result.rejected[0].error.name, 'ClockDriftError')
    assert.match(result.rejected[0].error.message, /120000 ms ahead/)
    assert.deepEqual(a.get('good'), bytes(1))
    assert.equal(a.get('bad'), undefined)
    const next = a.set('next', bytes(0))
    assert.ok(next.entries[0].stamp.wall < T0 + 60_000, 'the rejected stamp did not move the clock')
  })

  it('summary and diffAgainst send only what the other side lacks or has older', () => {
    const time = new ManualTime()
    const a = newMap(createHybridLogicalClock({ nodeId: 'a' }, { now: time.now }))
    const b = newMap(createHybridLogicalClock({ nodeId: 'b' }, { now: time.now }))
    a.set('same', bytes(1))
    b.mergeBytes(a.encodeState())
    time.advance(1)
    a.set('newer', bytes(2))
    b.set('theirs', bytes(3))
    const diff = a.diffAgainst(b.decodeSummary(b.encodeSummary()))
    assert.deepEqual(diff.entries.map(e => e.key), ['newer'])
    const reply = b.diffBytes(a.encodeSummary())
    assert.ok(reply !== undefined)
    a.mergeBytes(reply)
    b.mergeBytes(a.diffBytes(b.encodeSummary()) ?? new Uint8Array())
    assert.equal(a.digest(), b.digest())
    assert.equal(a.diffBytes(b.encodeSummary()), undefined, 'nothing left to send')
  })

  it('gc drops tombstones after the grace period only', () => {
    const time = new ManualTime()
    const map = createLwwMap({ clock: createHybridLogicalClock({ nodeId: 'a' }, { now: time.now }) }, { tombstoneGraceMs: 1000 })
    map.set('x', bytes(1))
    map.delete('x')
    time.advance(999)
    assert.deepEqual(map.gc(), [])
    time.advance(1)
    assert.deepEqual(map.gc(), ['x'])
    assert.equal(map.entry('x'), undefined)
  })

  it('converges under random histories, delivery orders, duplicates and drops (property)', () => {
    fc.assert(fc.property(historyArb, ({ n, steps, antiEntropy }) => {
      const { net, written } = runHistory(n, steps)
      net.flushAll(antiEntropy)
      for (const r of net.results as LwwMapMergeResult[]) assert.equal(r.rejected.length, 0)
      const digests = net.digests()
      assert.equal(new Set(digests).size, 1, `digests differ: ${digests.join(' ')}`)
      const reference = sortedEntries(net.replicas[0])
      for (const replica of net.replicas) assert.deepEqual(sortedEntries(replica), reference)
      // oracle: each key holds the greatest write ever made to it
      const winners = new Map<string, LwwEntry>()
      for (const e of written.flatMap(d => d.entries)) {
        const cur = winners.get(e.key)
        if (cur === undefined || compareLwwEntries(e, cur) > 0) winners.set(e.key, e)
      }
      assert.deepEqual(reference, [...winners.values()].sort((a, b) => a.key < b.key ? -1 : 1))
    }), fcParams(SEEDS.lww, 300))
  })

  it('merge is commutative, associative and idempotent on random states (property)', () => {
    fc.assert(fc.property(historyArb, fc.nat(), ({ n, steps }, pick) => {
      const { net } = runHistory(n, steps)
      const [a, b, c] = [0, 1, 2].map(i => net.replicas[(pick + i) % n].encodeState())
      assert.equal(merged(a, b).digest(), merged(b, a).digest(), 'commutative')
      assert.equal(merged(merged(a, b).encodeState(), c).digest(), merged(a, merged(b, c).encodeState()).digest(), 'associative')
      assert.equal(merged(a, a).digest(), merged(a).digest(), 'idempotent')
      const doc = merged(a)
      assert.deepEqual(doc.mergeBytes(a).changed, [], 'merging own state again changes nothing')
    }), fcParams(SEEDS.lww + 1, 200))
  })
})

describe('LWW register', () => {
  it('the later write wins in any merge order', () => {
    const time = new ManualTime()
    const a = createLwwRegister({ clock: createHybridLogicalClock({ nodeId: 'a' }, { now: time.now }) })
    const b = createLwwRegister({ clock: createHybridLogicalClock({ nodeId: 'b' }, { now: time.now }) })
    const first = a.encodeState()
    assert.equal(a.get(), undefined)
    a.set(bytes(1))
    const sa = a.encodeState()
    b.set(bytes(2)) // same ms: node id 'b' > 'a' breaks the tie
    const sb = b.encodeState()
    assert.equal(a.mergeBytes(sb).changed, true)
    assert.equal(b.mergeBytes(sa).changed, false)
    assert.deepEqual(a.get(), bytes(2))
    assert.equal(a.digest(), b.digest())
    assert.equal(b.diffBytes(a.encodeSummary()), undefined)
    assert.ok(b.diffBytes(first) !== undefined)
  })
})
