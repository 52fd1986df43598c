import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { compareMaxValues, createMaxMap, createMaxRegister } from '../../crdt/index.js'
import { fcParams, historyArb, SEEDS, TestNetwork } from './utils.js'
import type { MaxMap, MaxValue } from '../../crdt/index.js'
import type { Step } from './utils.js'

function runHistory (n: number, steps: Step[]): { net: TestNetwork<MaxMap>, best: Map<string, MaxValue> } {
  const net = new TestNetwork(n, () => createMaxMap())
  const best = new Map<string, MaxValue>()
  for (const s of steps) {
    const r = s.replica % n
    const map = net.replicas[r]
    if (s.op < 40) {
      const key = `ef${s.key}`
      const value = { epoch: s.value % 4, seq: s.pick % 10 }
      const delta = map.raise(key, value)
      const cur = best.get(key)
      if (cur === undefined || compareMaxValues(value, cur) > 0) best.set(key, value)
      net.broadcast(r, map.encodeDelta(delta))
    } else if (s.op < 80) {
      net.deliver(r, s.pick, s.flag)
    } else if (s.op < 90) {
      if (s.flag) net.pull(s.pick % n, r)
      else net.sendState(r, s.pick % n)
    } else {
      net.drop(r, s.pick)
    }
  }
  return { net, best }
}

describe('max register', () => {
  it('only grows; a number n is the pair (n, 0); pairs compare lexicographically', () => {
    const reg = createMaxRegister()
    assert.deepEqual(reg.get(), { epoch: 0, seq: 0 })
    reg.raise(3)
    assert.deepEqual(reg.get(), { epoch: 3, seq: 0 })
    reg.raise({ epoch: 2, seq: 99 })
    assert.deepEqual(reg.get(), { epoch: 3, seq: 0 }, 'a lower epoch never wins')
    reg.raise({ epoch: 3, seq: 1 })
    assert.deepEqual(reg.get(), { epoch: 3, seq: 1 })
    assert.throws(() => reg.raise(-1), { name: 'InvalidCrdtArgumentError' })
    assert.throws(() => reg.raise({ epoch: 1.5, seq: 0 }), { name: 'InvalidCrdtArgumentError' })
  })

  it('fencing: a holder that has seen a higher epoch learns it is fenced', () => {
    const holder = createMaxRegister()
    const successor = createMaxRegister()
    holder.raise(1)
    successor.mergeBytes(holder.encodeState())
    successor.raise(2) // takeover
    assert.equal(holder.mergeBytes(successor.encodeState()), true)
    assert.equal(holder.get().epoch, 2)
    assert.equal(successor.diffBytes(holder.encodeSummary()), undefined)
    assert.equal(holder.digest(), successor.digest())
  })

  it('merge is commutative, associative and idempotent (property)', () => {
    const value = fc.record({ epoch: fc.nat(5), seq: fc.nat(5) })
    fc.assert(fc.property(value, value, value, (x, y, z) => {
      const merged = (...vs: MaxValue[]): string => {
        const reg = createMaxRegister()
        for (const v of vs) {
          const other = createMaxRegister()
          other.raise(v)
          reg.mergeBytes(other.encodeState())
        }
        return reg.digest()
      }
      assert.equal(merged(x, y), merged(y, x))
      assert.equal(merged(x, y, z), merged(x, z, y))
      assert.equal(merged(x, x), merged(x))
    }), fcParams(SEEDS.max, 200))
  })
})

describe('max map', () => {
  it('raise, get, entries and merge changes', () => {
    const a = createMaxMap()
    const b = createMaxMap()
    a.raise('ef-1', 4)
    const changes = b.mergeBytes(a.encodeState())
    assert.deepEqual(changes, [{ key: 'ef-1', value: { epoch: 4, seq: 0 }, previous: undefined }])
    assert.deepEqual(b.mergeBytes(a.encodeState()), [])
    b.raise('ef-2', { epoch: 1, seq: 2 })
    assert.deepEqual([...b.entries()].map(([k]) => k), ['ef-1', 'ef-2'])
    assert.deepEqual(a.diffAgainst(b.decode(b.encodeSummary())).entries, [])
    a.mergeBytes(b.diffBytes(a.encodeSummary()) ?? new Uint8Array())
    assert.equal(a.digest(), b.digest())
  })

  it('converges to the per-key maximum under random histories and delivery orders (property)', () => {
    fc.assert(fc.property(historyArb, ({ n, steps, antiEntropy }) => {
      const { net, best } = runHistory(n, steps)
      net.flushAll(antiEntropy)
      assert.equal(new Set(net.digests()).size, 1)
      for (const replica of net.replicas) {
        assert.deepEqual(new Map(replica.entries()), best)
      }
    }), fcParams(SEEDS.max + 1, 150))
  })

  it('merge is commutative, associative and idempotent on random states (property)', () => {
    fc.assert(fc.property(historyArb, fc.nat(), ({ n, steps }, pick) => {
      const { net } = runHistory(n, steps)
      const merged = (...states: Uint8Array[]): MaxMap => {
        const doc = createMaxMap()
        for (const s of states) doc.mergeBytes(s)
        return doc
      }
      const [a, b, c] = [0, 1, 2].map(i => net.replicas[(pick + i) % n].encodeState())
      assert.equal(merged(a, b).digest(), merged(b, a).digest())
      assert.equal(merged(merged(a, b).encodeState(), c).digest(), merged(a, merged(b, c).encodeState()).digest())
      assert.equal(merged(a, a).digest(), merged(a).digest())
    }), fcParams(SEEDS.max + 2, 150))
  })
})
