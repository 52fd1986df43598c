import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { compareTimestamps, createHybridLogicalClock, MAX_LOGICAL, timestampKey, validateTimestamp } from '../../crdt/index.js'
import { fcParams, ManualTime, SEEDS, T0 } from './utils.js'
import type { Timestamp } from '../../crdt/index.js'

const stampArb: fc.Arbitrary<Timestamp> = fc.record({
  wall: fc.integer({ min: 0, max: 2 ** 45 }),
  logical: fc.integer({ min: 0, max: 1000 }),
  node: fc.constantFrom('a', 'b', 'node-1', 'node-10', 'z')
})

describe('hybrid logical clock', () => {
  it('now() follows the physical clock and counts within one ms', () => {
    const time = new ManualTime()
    const clock = createHybridLogicalClock({ nodeId: 'a' }, { now: time.now })
    assert.deepEqual(clock.now(), { wall: T0, logical: 0, node: 'a' })
    assert.deepEqual(clock.now(), { wall: T0, logical: 1, node: 'a' })
    time.advance(1)
    assert.deepEqual(clock.now(), { wall: T0 + 1, logical: 0, node: 'a' })
    time.advance(-500) // the physical clock stepped back (NTP): stamps still grow
    assert.deepEqual(clock.now(), { wall: T0 + 1, logical: 1, node: 'a' })
  })

  it('update() moves past a remote stamp that runs ahead', () => {
    const time = new ManualTime()
    const clock = createHybridLogicalClock({ nodeId: 'a' }, { now: time.now })
    const remote = { wall: T0 + 10_000, logical: 7, node: 'b' }
    const received = clock.update(remote)
    assert.deepEqual(received, { wall: T0 + 10_000, logical: 8, node: 'a' })
    assert.equal(compareTimestamps(clock.now(), remote), 1)
  })

  it('rejects a remote stamp beyond the max drift with ClockDriftError naming the drift, clock unchanged', () => {
    const time = new ManualTime()
    const clock = createHybridLogicalClock({ nodeId: 'a' }, { now: time.now, maxDriftMs: 60_000 })
    const before = clock.now()
    assert.throws(() => clock.update({ wall: T0 + 60_001, logical: 0, node: 'evil' }), (err: Error & { driftMs?: number }) => {
      assert.equal(err.name, 'ClockDriftError')
      assert.equal(err.driftMs, 60_001)
      assert.match(err.message, /node evil is 60001 ms ahead of the local clock \(max drift 60000 ms\)/)
      return true
    })
    assert.deepEqual(clock.peek(), before)
    // exactly at the bound is accepted
    assert.equal(clock.update({ wall: T0 + 60_000, logical: 0, node: 'ok' }).wall, T0 + 60_000)
  })

  it('rejects stamps with out-of-range fields with InvalidTimestampError', () => {
    const clock = createHybridLogicalClock({ nodeId: 'a' }, { now: new ManualTime().now })
    const bad: Timestamp[] = [
      { wall: -1, logical: 0, node: 'b' },
      { wall: Number.NaN, logical: 0, node: 'b' },
      { wall: 2 ** 53, logical: 0, node: 'b' },
      { wall: 1, logical: MAX_LOGICAL, node: 'b' },
      { wall: 1, logical: 0.5, node: 'b' },
      { wall: 1, logical: 0, node: '' },
      { wall: 1, logical: 0, node: 'x'.repeat(257) }
    ]
    for (const t of bad) {
      assert.throws(() => clock.update(t), { name: 'InvalidTimestampError' }, JSON.stringify(t))
    }
    assert.throws(() => createHybridLogicalClock({ nodeId: '' }), { name: 'InvalidTimestampError' })
  })

  it('borrows a millisecond instead of overflowing the logical counter', () => {
    const time = new ManualTime()
    const clock = createHybridLogicalClock({ nodeId: 'a' }, { now: time.now })
    const t = clock.update({ wall: T0, logical: MAX_LOGICAL - 1, node: 'b' })
    assert.deepEqual(t, { wall: T0 + 1, logical: 0, node: 'a' })
    validateTimestamp(clock.now())
  })

  it('issues strictly increasing stamps over random local/receive events and clock jumps (property)', () => {
    const event = fc.record({ receive: fc.boolean(), jump: fc.integer({ min: -2000, max: 2000 }), lead: fc.integer({ min: -5000, max: 5000 }), logical: fc.nat(50) })
    fc.assert(fc.property(fc.array(event, { maxLength: 200, size: 'max' }), (events) => {
      const time = new ManualTime()
      const clock = createHybridLogicalClock({ nodeId: 'a' }, { now: time.now, maxDriftMs: 10_000 })
      let last: Timestamp | undefined
      for (const e of events) {
        time.advance(e.jump)
        let t: Timestamp
        if (e.receive) {
          const remote = { wall: Math.max(0, time.ms + e.lead), logical: e.logical, node: 'b' }
          t = clock.update(remote)
          assert.equal(compareTimestamps(t, remote), 1, 'receive stamp is after the remote stamp')
        } else {
          t = clock.now()
        }
        assert.ok(t.wall >= time.ms, 'wall never behind the physical clock')
        if (last !== undefined) assert.equal(compareTimestamps(t, last), 1, 'strictly increasing')
        last = t
      }
    }), fcParams(SEEDS.hlc, 200))
  })

  it('timestampKey sorts like compareTimestamps (property)', () => {
    fc.assert(fc.property(stampArb, stampArb, (a, b) => {
      const byKey = timestampKey(a) < timestampKey(b) ? -1 : timestampKey(a) > timestampKey(b) ? 1 : 0
      assert.equal(byKey, compareTimestamps(a, b))
    }), fcParams(SEEDS.hlc + 1, 500))
  })
})
