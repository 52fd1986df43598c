import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  CrdtKind, crdtPb, decodeLwwMap, decodeLwwMapSummary, decodeLwwRegister, decodeMaxMap, decodeMaxRegister, decodeOrSet,
  decodeOrSetSummary, encodeLwwMap, encodeLwwMapSummary, encodeLwwRegister, encodeMaxMap, encodeMaxRegister, encodeOrSet,
  encodeOrSetSummary, MAX_LOGICAL
} from '../../crdt/index.js'
import { fcParams, SEEDS } from './utils.js'
import type { CrdtLimits, LwwEntry, LwwMapDelta, MaxMapDelta, OrSetDelta, Timestamp } from '../../crdt/index.js'

const stampArb: fc.Arbitrary<Timestamp> = fc.record({
  wall: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  logical: fc.integer({ min: 0, max: MAX_LOGICAL - 1 }),
  node: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }).filter(s => s.length <= 256)
}).map(t => ({ ...t })) // fc.record builds null-prototype objects; decoders return plain ones
const keyArb = fc.string({ maxLength: 40, unit: 'grapheme' })
const entryArb: fc.Arbitrary<LwwEntry> = fc.record({ key: keyArb, stamp: stampArb, value: fc.option(fc.uint8Array({ maxLength: 64 })) })
  .map(({ key, stamp, value }) => value === null ? { key, stamp } : { key, stamp, value })
const lwwMapArb: fc.Arbitrary<LwwMapDelta> = fc.record({ entries: fc.array(entryArb, { maxLength: 20 }) }).map(d => ({ ...d }))
const expiryArb = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })
const orSetArb: fc.Arbitrary<OrSetDelta> = fc.record({
  adds: fc.array(fc.record({ element: keyArb, tag: stampArb, expiresAt: expiryArb }).map(a => ({ ...a })), { maxLength: 20 }),
  removes: fc.array(fc.record({ tag: stampArb, later: fc.nat(1000), expiresAt: expiryArb }), { maxLength: 20 })
    .map(rs => rs.map(r => ({ tag: r.tag, removed: { ...r.tag, wall: Math.min(Number.MAX_SAFE_INTEGER, r.tag.wall + r.later) }, expiresAt: r.expiresAt })))
}).map(d => ({ ...d }))
const maxValueArb = fc.record({ epoch: fc.maxSafeNat(), seq: fc.maxSafeNat() }).map(v => ({ ...v }))
const maxMapArb: fc.Arbitrary<MaxMapDelta> = fc.record({ entries: fc.array(fc.record({ key: keyArb, value: maxValueArb }).map(e => ({ ...e })), { maxLength: 20 }) })
  .map(d => ({ ...d }))

/** Every decoder the sync protocol may feed with untrusted bytes. */
const decoders: Record<string, (bytes: Uint8Array, limits?: Partial<CrdtLimits>) => unknown> = {
  decodeLwwMap,
  decodeLwwMapSummary,
  decodeLwwRegister,
  decodeOrSet,
  decodeOrSetSummary,
  decodeMaxRegister,
  decodeMaxMap
}

/** Decoding must either succeed or throw InvalidCrdtMessageError, nothing else. */
function assertOnlyTypedErrors (bytes: Uint8Array): void {
  for (const [name, decode] of Object.entries(decoders)) {
    try {
      decode(bytes)
    } catch (err) {
      assert.equal((err as Error).name, 'InvalidCrdtMessageError', `${name} threw ${String(err)}`)
    }
  }
}

function assertInvalid (fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: Error) => {
    assert.equal(err.name, 'InvalidCrdtMessageError')
    assert.match(err.message, message)
    return true
  })
}

describe('binary encoding', () => {
  it('round-trips every message type (property)', () => {
    fc.assert(fc.property(lwwMapArb, orSetArb, maxMapArb, maxValueArb, (lww, orSet, maxMap, maxValue) => {
      assert.deepEqual(decodeLwwMap(encodeLwwMap(lww)), lww)
      assert.deepEqual(decodeOrSet(encodeOrSet(orSet)), orSet)
      assert.deepEqual(decodeMaxMap(encodeMaxMap(maxMap)), maxMap)
      assert.deepEqual(decodeMaxRegister(encodeMaxRegister({ value: maxValue })), { value: maxValue })
      const summary = new Map(lww.entries.map(e => [e.key, e.stamp]))
      assert.deepEqual(decodeLwwMapSummary(encodeLwwMapSummary(summary)), summary)
      const orSummary = { live: orSet.adds.map(a => a.tag), removed: orSet.removes }
      assert.deepEqual(decodeOrSetSummary(encodeOrSetSummary(orSummary)), orSummary)
      const withValue = lww.entries.find(e => e.value !== undefined)
      if (withValue !== undefined) assert.deepEqual(decodeLwwRegister(encodeLwwRegister({ entry: withValue })), { entry: withValue })
    }), fcParams(SEEDS.encoding, 200))
  })

  it('random bytes are rejected only with InvalidCrdtMessageError (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), assertOnlyTypedErrors), fcParams(SEEDS.encoding + 1, 1000))
  })

  it('truncated and bit-flipped encodings are rejected only with InvalidCrdtMessageError (property)', () => {
    const valid = fc.oneof(lwwMapArb.map(encodeLwwMap), orSetArb.map(encodeOrSet), maxMapArb.map(encodeMaxMap))
    fc.assert(fc.property(valid, fc.nat(), fc.array(fc.record({ at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }), { maxLength: 4 }), (bytes, cut, flips) => {
      assertOnlyTypedErrors(bytes.subarray(0, cut % (bytes.length + 1)))
      const mutated = bytes.slice()
      for (const f of flips) if (mutated.length > 0) mutated[f.at % mutated.length] ^= f.xor
      assertOnlyTypedErrors(mutated)
    }), fcParams(SEEDS.encoding + 2, 500))
  })

  it('rejects oversize messages, repeated fields, keys, values and node ids', () => {
    const stamp = { wall: 1, logical: 0, node: 'n' }
    const four = { entries: ['a', 'b', 'c', 'd'].map(key => ({ key, stamp, value: Uint8Array.of(1) })) }
    assertInvalid(() => decodeLwwMap(encodeLwwMap(four), { maxEntries: 3 }), /entries/)
    assertInvalid(() => decodeLwwMap(encodeLwwMap(four), { maxMessageBytes: 10 }), /LwwMap is \d+ bytes, max 10/)
    assertInvalid(() => decodeLwwMap(encodeLwwMap({ entries: [{ key: 'k', stamp, value: new Uint8Array(9) }] }), { maxValueBytes: 8 }), /entries\[0\]\.value is 9 bytes, max 8/)
    assertInvalid(() => decodeLwwMap(encodeLwwMap({ entries: [{ key: 'kkkk', stamp }] }), { maxKeyLength: 3 }), /entries\[0\]\.key is 4 characters long, max 3/)
    assertInvalid(() => decodeLwwMap(encodeLwwMap({ entries: [{ key: 'k', stamp: { ...stamp, node: 'x'.repeat(9) } }] }), { maxNodeIdLength: 8 }), /entries\[0\]\.stamp\.node is 9 characters long/)
    const adds = Array.from({ length: 4 }, (_, i) => ({ element: `e${i}`, tag: { ...stamp, logical: i }, expiresAt: 0 }))
    assertInvalid(() => decodeOrSet(encodeOrSet({ adds, removes: [] }), { maxEntries: 3 }), /adds/)
    assertInvalid(() => decodeMaxMap(encodeMaxMap({ entries: adds.map(a => ({ key: a.element, value: { epoch: 1, seq: 1 } })) }), { maxEntries: 3 }), /entries/)
  })

  it('rejects unknown and missing versions, wrong kinds, bad enums and missing fields', () => {
    const { LwwMap, OrSet, MaxRegister } = crdtPb
    assertInvalid(() => decodeLwwMap(LwwMap.encode({ version: 2, kind: CrdtKind.LWW_MAP, entries: [] })), /LwwMap\.version 2 is not supported \(expected 1\)/)
    assertInvalid(() => decodeLwwMap(LwwMap.encode({ kind: CrdtKind.LWW_MAP, entries: [] })), /LwwMap is missing field version/)
    assertInvalid(() => decodeLwwMap(LwwMap.encode({ version: 1, kind: CrdtKind.OR_SET, entries: [] })), /LwwMap\.kind must be LWW_MAP, got OR_SET/)
    assertInvalid(() => decodeOrSet(encodeLwwMap({ entries: [] })), /kind must be OR_SET/)
    assertInvalid(() => decodeLwwMap(Uint8Array.of(0x08, 0x01, 0x10, 0x63)), /cannot decode LwwMap: Invalid enum value/)
    assertInvalid(() => decodeLwwMap(LwwMap.encode({ version: 1, kind: CrdtKind.LWW_MAP, entries: [{ key: 'a' }] })), /missing field LwwMap\.entries\[0\]\.stamp/)
    assertInvalid(() => decodeLwwRegister(crdtPb.LwwRegister.encode({ version: 1, kind: CrdtKind.LWW_REGISTER, entry: { key: '', stamp: { wall: 1, logical: 0, node: 'n' } } })), /missing field LwwRegister\.entry\.value/)
    assertInvalid(() => decodeMaxRegister(MaxRegister.encode({ version: 1, kind: CrdtKind.MAX_REGISTER })), /missing field MaxRegister\.value/)
    const tag = { wall: 10, logical: 0, node: 'n' }
    assertInvalid(() => decodeOrSet(OrSet.encode({ version: 1, kind: CrdtKind.OR_SET, adds: [], removes: [{ tag, removed: { ...tag, wall: 9 }, expiresAt: 0 }] })), /removes\[0\]\.removed is earlier than/)
    assertInvalid(() => decodeOrSet(OrSet.encode({ version: 1, kind: CrdtKind.OR_SET, adds: [{ element: 'x', tag: { ...tag, node: '' }, expiresAt: 0 }], removes: [] })), /adds\[0\]\.tag\.node must not be empty/)
    // LwwMap{version 1, kind LWW_MAP, entries [{key 'a', stamp {wall 2^60, node 'n'}}]}: a wall no JS number holds exactly
    const wall60 = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10]
    const bigWall = Uint8Array.from([0x08, 0x01, 0x10, 0x02, 0x1a, 0x12, 0x0a, 0x01, 0x61, 0x12, 0x0d, 0x08, ...wall60, 0x1a, 0x01, 0x6e])
    assertInvalid(() => decodeLwwMap(bigWall), /wall|decode/)
    assertInvalid(() => decodeLwwMap('not bytes' as unknown as Uint8Array), /must be a Uint8Array/)
  })
})
