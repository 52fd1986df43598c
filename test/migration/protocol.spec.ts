/**
 * Pure parts of /ecco/checkpoint/3.0.0: deterministic replica and resumer choice,
 * delta checkpoints, the holders CRDT and its fencing order, bounded decoding.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  CheckpointHolders, CheckpointMessage, answerId, applyDelta, checkpointMessage, chooseReplicas, chooseResumer, claimWins,
  decodeCheckpointMessage, fromWireCheckpoint, makeDelta, orderByDistance, wireCheckpoint
} from '../../protocols/index.js'
import { decodeCheckpoint, encodeCheckpoint, type CheckpointState } from '../../unikernels/index.js'

const peers = Array.from({ length: 12 }, (_, i) => `12D3KooPeer${i.toString().padStart(3, '0')}`)

function state (unimem: CheckpointState['unimem'], steps: number): CheckpointState {
  return { imageHash: 'ab'.repeat(32), imageName: 'counter', step: 'f1', lastStep: 'f2', terminated: false, unimem, outputSeq: steps >> 1, clock: 1000 + steps, steps }
}

describe('checkpoint protocol', () => {
  it('chooses the same replicas and resumer whatever the candidate order', () => {
    const shuffled = [...peers].reverse()
    assert.deepEqual(chooseReplicas('counter-1', peers, 2, peers[0]), chooseReplicas('counter-1', shuffled, 2, peers[0]))
    assert.ok(!chooseReplicas('counter-1', peers, 3, peers[5]).includes(peers[5]))
    assert.equal(chooseResumer('counter-1', peers), chooseResumer('counter-1', shuffled))
    assert.equal(chooseResumer('counter-1', peers), orderByDistance('counter-1', peers)[0])
    assert.notDeepEqual(orderByDistance('counter-1', peers), orderByDistance('counter-2', peers), 'instances spread over different peers')
  })

  it('a delta rebuilds exactly the next checkpoint', () => {
    const a = state([['count', 5n], ['prng', -123n], ['blob', new Uint8Array(1000).fill(1)], ['gone', 'x']], 10)
    const b = state([['count', 9n], ['prng', -124n], ['blob', new Uint8Array(1000).fill(1)], ['new', true]], 12)
    const delta = makeDelta(decodeCheckpoint(encodeCheckpoint(a)), b, 3, 10)
    assert.ok(delta.packed !== undefined && delta.packed.byteLength < 30, `delta of 3 small changes is ${delta.packed?.byteLength} bytes`)
    const rebuilt = decodeCheckpoint(applyDelta(encodeCheckpoint(a), delta))
    assert.deepEqual(new Map(rebuilt.unimem), new Map(b.unimem))
    assert.equal(rebuilt.steps, 12)
    assert.equal(rebuilt.outputSeq, 6)
    assert.equal(rebuilt.step, 'f1')
    // the clock does not travel (nothing restores it): the rebuilt state keeps the base's
    assert.equal(rebuilt.clock, 1010)
    // against another base it does not rebuild b (the receiver checks (epoch, seq) before applying)
    assert.throws(() => applyDelta(encodeCheckpoint(state([], 10)), delta), { name: 'CheckpointDeltaError' })
  })

  it('a full checkpoint travels compact: 4-byte image reference and names by index into the descriptor\'s table', () => {
    // the counter mid-run, as the bench seeds it (limit 1e9)
    const s: CheckpointState = { ...state([['count', 8123n], ['limit', 1_000_000_000n], ['prng', -6_368_348_254_870_581_023n], ['rand', 7n], ['round', 2510n]], 5021), outputSeq: 2510 }
    const descriptor = { imageHash: Uint8Array.from(Buffer.from(s.imageHash, 'hex')), imageName: s.imageName, names: [] as string[] }
    const wire = wireCheckpoint(s, descriptor)
    assert.deepEqual(descriptor.names, ['f1', 'f2', 'count', 'limit', 'prng', 'rand', 'round'], 'the table learned the step names and keys')
    assert.ok(wire.byteLength <= 40, `compact counter checkpoint is ${wire.byteLength} bytes`)
    const rebuilt = decodeCheckpoint(fromWireCheckpoint(wire, descriptor))
    assert.deepEqual(rebuilt, { ...s, clock: 0 }, 'everything but the clock round-trips')
    // names the table does not have travel inline: a table that only grew still resolves old checkpoints
    assert.deepEqual(decodeCheckpoint(fromWireCheckpoint(wireCheckpoint(s), { ...descriptor, names: [] })), { ...s, clock: 0 })
    descriptor.names.push('later')
    assert.deepEqual(decodeCheckpoint(fromWireCheckpoint(wire, descriptor)), { ...s, clock: 0 })
    // another image, a table that lacks the names, a truncated or a foreign-format checkpoint: refused
    assert.throws(() => fromWireCheckpoint(wire, { ...descriptor, imageHash: new Uint8Array(32).fill(0xcd) }), { name: 'CheckpointError' })
    assert.throws(() => fromWireCheckpoint(wire, { ...descriptor, names: ['f1'] }), { name: 'CheckpointError' })
    assert.throws(() => fromWireCheckpoint(wire.subarray(0, wire.length - 2), descriptor), { name: 'CheckpointError' })
    assert.throws(() => decodeCheckpoint(wire), { name: 'CheckpointError' })
    // a self-describing checkpoint of another image next to this descriptor: refused too
    assert.throws(() => fromWireCheckpoint(encodeCheckpoint({ ...s, imageHash: 'cd'.repeat(32) }), descriptor), { name: 'CheckpointError' })
  })

  it('answers are matched to requests by the id field alone', () => {
    const msg = checkpointMessage({ kind: CheckpointMessage.Kind.STATE, instance: 'i', id: 300, checkpoint: new Uint8Array(200), replicaSet: ['a'], descriptor: { instance: 'i', imageName: 'c', imageHash: new Uint8Array(32), sink: '', quorum: 1, replicas: 2, stepIntervalMs: 0, names: ['x'] } })
    assert.equal(answerId(CheckpointMessage.encode(msg)), 300)
    assert.equal(answerId(CheckpointMessage.encode({ ...msg, id: 0 })), undefined)
    assert.equal(answerId(new Uint8Array([0xff, 0xff])), undefined)
  })

  it('holders CRDT: the largest epoch wins, ties go to the smaller PeerId, merge order does not matter', () => {
    const x = new CheckpointHolders()
    const y = new CheckpointHolders()
    const d1 = x.claimHost('i', 'peerB', 2)
    const d2 = y.claimHost('i', 'peerA', 2)
    const d3 = y.recordHeld('i', 'peerC', 2, 40)
    x.mergeBytes(d2); x.mergeBytes(d3)
    y.mergeBytes(d3); y.mergeBytes(d1); y.mergeBytes(d1)
    assert.deepEqual(x.current('i'), { epoch: 2, host: 'peerA' })
    assert.deepEqual(y.current('i'), x.current('i'))
    assert.equal(x.map.digest(), y.map.digest())
    assert.deepEqual(x.holders('i'), [{ peer: 'peerC', epoch: 2, seq: 40 }])
    assert.ok(claimWins({ epoch: 3, host: 'z' }, { epoch: 2, host: 'a' }))
    assert.ok(!claimWins({ epoch: 2, host: 'b' }, { epoch: 2, host: 'a' }))
  })

  it('rejects bad messages with InvalidMessageError naming the field', () => {
    const ok = CheckpointMessage.encode(checkpointMessage({ kind: CheckpointMessage.Kind.FETCH, instance: 'i' }))
    assert.equal(decodeCheckpointMessage(ok, 1024).kind, CheckpointMessage.Kind.FETCH)
    const wrongVersion = CheckpointMessage.encode({ ...checkpointMessage({ kind: CheckpointMessage.Kind.FETCH }), version: 9 })
    assert.throws(() => decodeCheckpointMessage(wrongVersion, 1024), (e: Error) => e.name === 'InvalidMessageError' && /version 9/.test(e.message))
    const tooMany = CheckpointMessage.encode(checkpointMessage({ kind: CheckpointMessage.Kind.STORE, replicaSet: Array.from({ length: 40 }, (_, i) => `p${i}`) }))
    assert.throws(() => decodeCheckpointMessage(tooMany, 1 << 20), { name: 'InvalidMessageError' })
    assert.throws(() => decodeCheckpointMessage(ok, 4), (e: Error) => e.name === 'InvalidMessageError' && /limit/.test(e.message))
    assert.throws(() => decodeCheckpointMessage(new Uint8Array([0xff, 0xff, 0xff]), 1024), { name: 'InvalidMessageError' })
    const longInstance = CheckpointMessage.encode(checkpointMessage({ kind: CheckpointMessage.Kind.FETCH, instance: 'x'.repeat(200) }))
    assert.throws(() => decodeCheckpointMessage(longInstance, 4096), (e: Error) => e.name === 'InvalidMessageError' && /instance/.test(e.message))
  })
})
