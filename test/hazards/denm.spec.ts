import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { describe, it } from 'node:test'
import {
  ActionTracker, CAUSE_CODE, CAUSE_CODE_TABLE, DEFAULT_VALIDITY_S, Denm, RelevanceDistance, RelevanceTrafficDirection, SUB_CAUSE, Termination,
  cellOfTopic, createDenm, createFreeParking, decodeDenm, decodeFreeParking, describeCause, disseminationCells, distanceToCell,
  encodeDenm, FreeParking, hazardTopic, isKnownCause, parkingTopic, relevanceDistanceFor, relevanceMetres, validUntil
} from '../../protocols/index.js'
import { ROAD_START, blackIce, station } from './fixtures.js'

describe('hazard: DENM model', () => {
  it('carries the DENM cause code table of TS 102 894-2 for the required causes', () => {
    assert.equal(CAUSE_CODE_TABLE[6].subCauses[6], 'blackIceOnRoad')
    assert.equal(CAUSE_CODE_TABLE[6].subCauses[5], 'iceOnRoad')
    for (const s of [1, 2, 3, 4]) assert.ok(isKnownCause(97, s), `97/${s}`)
    assert.equal(CAUSE_CODE_TABLE[94].name, 'stationaryVehicle')
    assert.equal(CAUSE_CODE_TABLE[14].subCauses[1], 'wrongLane')
    assert.equal(CAUSE_CODE_TABLE[14].subCauses[2], 'wrongDirection')
    assert.equal(isKnownCause(14, 3), false)
    assert.equal(isKnownCause(42), false)
    assert.equal(describeCause(6, 6), 'blackIceOnRoad (6/6)')
    assert.equal(describeCause(94, 0), 'stationaryVehicle (94/0)')
  })

  it('applies DENM defaults and round-trips through protobuf', async () => {
    const s = await station(await generateKeyPair('Ed25519'))
    const d = createDenm(blackIce(s, { detectionTime: 1_700_000_000_000, eventHeadingDeg: 90.04 }))
    assert.equal(d.validityDuration, DEFAULT_VALIDITY_S)
    assert.equal(d.relevanceDistance, RelevanceDistance.LESS_THAN_1000M)
    assert.equal(d.relevanceTrafficDirection, RelevanceTrafficDirection.ALL_TRAFFIC_DIRECTIONS)
    assert.equal(d.termination, Termination.NONE)
    assert.equal(d.eventHeading, 900)
    const back = decodeDenm(encodeDenm(d))
    assert.deepEqual(back, d)
    assert.equal(validUntil(back), 1_700_000_000_000 + 600_000)
  })

  it('refuses bad fields with a typed error naming the field', async () => {
    const s = await station(await generateKeyPair('Ed25519'))
    const good = createDenm(blackIce(s))
    const cases: Array<[Partial<Denm>, RegExp]> = [
      [{ causeCode: 42 }, /causeCode/],
      [{ subCauseCode: 99 }, /causeCode: 6\/99/],
      [{ informationQuality: 8 }, /informationQuality/],
      [{ validityDuration: 86_401 }, /validityDuration/],
      [{ transmissionInterval: 0 }, /transmissionInterval/],
      [{ eventPosition: { lat: 91, lon: 0 } }, /eventPosition/],
      [{ referenceTime: good.detectionTime - 1n }, /referenceTime/],
      [{ eventHeading: 3600 }, /eventHeading/]
    ]
    for (const [patch, re] of cases) {
      assert.throws(() => decodeDenm(Denm.encode({ ...good, ...patch })), (err: Error) => err.name === 'InvalidWarningError' && re.test(err.message), JSON.stringify(patch, (_k, v: unknown) => typeof v === 'bigint' ? v.toString() : v))
    }
    assert.throws(() => decodeDenm(Denm.encode({ ...good, version: 2 })), { name: 'InvalidMessageError' })
    assert.throws(() => decodeDenm(new Uint8Array(2000)), { name: 'InvalidMessageError' })
    assert.throws(() => decodeDenm(Uint8Array.of(0x0a, 0xff)), { name: 'InvalidMessageError' })
  })

  it('maps metres to DENM relevance distances and disseminates on every geohash-5 cell within it', async () => {
    assert.equal(relevanceDistanceFor(40), RelevanceDistance.LESS_THAN_50M)
    assert.equal(relevanceDistanceFor(1000), RelevanceDistance.LESS_THAN_1000M)
    assert.equal(relevanceDistanceFor(1001), RelevanceDistance.LESS_THAN_5KM)
    assert.equal(relevanceDistanceFor(1e6), RelevanceDistance.OVER_10KM)
    const s = await station(await generateKeyPair('Ed25519'))
    const d = createDenm(blackIce(s, { relevanceDistance: RelevanceDistance.LESS_THAN_5KM }))
    const cells = disseminationCells(d)
    assert.ok(cells.length >= 2)
    for (const c of cells) {
      assert.equal(c.length, 5)
      assert.ok(distanceToCell(d.eventPosition ?? ROAD_START, c) <= relevanceMetres(d.relevanceDistance))
      assert.equal(cellOfTopic(hazardTopic(c)), c)
    }
    assert.equal(cellOfTopic('ecco/v1/hazards/u281zz'), undefined)
    assert.equal(cellOfTopic('ecco/v1/state'), undefined)
  })

  it('free parking is its own message and topic, not a DENM', async () => {
    const s = await station(await generateKeyPair('Ed25519'))
    const p = createFreeParking({ originator: s.originator, sequenceNumber: 1, position: ROAD_START, spots: 24, free: [1, 5, 7] })
    assert.deepEqual(decodeFreeParking(FreeParking.encode(p)).free, [1, 5, 7])
    assert.match(parkingTopic('u281z'), /^ecco\/v1\/parking\//)
    assert.throws(() => createFreeParking({ originator: s.originator, sequenceNumber: 1, position: ROAD_START, spots: 4, free: [4] }), { name: 'InvalidWarningError' })
  })

  it('classifies versions of an action: new, repeat, update, terminated, then stale replays', async () => {
    const s = await station(await generateKeyPair('Ed25519'))
    const t = new ActionTracker()
    const v1 = createDenm(blackIce(s, { detectionTime: Date.now(), referenceTime: Date.now() }))
    const v2 = { ...v1, referenceTime: v1.referenceTime + 1000n, informationQuality: 6 }
    const end = { ...v2, referenceTime: v2.referenceTime + 1000n, termination: Termination.IS_CANCELLATION }
    assert.equal(t.observe(v1), 'new')
    assert.equal(t.observe(v1), 'repeat')
    assert.equal(t.observe(v2), 'update')
    assert.equal(t.observe(v1), 'stale')
    assert.equal(t.active().length, 1)
    assert.equal(t.observe(end), 'terminated')
    assert.equal(t.observe(v2), 'stale')
    assert.equal(t.observe(end), 'stale')
    assert.equal(t.active().length, 0)
    assert.equal(CAUSE_CODE.collisionRisk, 97)
    assert.equal(SUB_CAUSE.wrongDirection, 2)
  })
})
