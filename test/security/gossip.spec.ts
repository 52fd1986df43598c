/**
 * The topic guard and peer scoring on real peers: forged warnings, floods and oversized
 * messages are rejected before anything is relayed, each lowers the sender's gossipsub
 * score, and genuine warnings keep flowing. The token bucket is unit tested with a
 * fake clock.
 */
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { PrivateKey } from '@libp2p/interface'
import {
  CAUSE_CODE, HAZARD_CELL_PRECISION, SUB_CAUSE, createDenm, encodeGeohash, hazardTopic, offsetMetres, signWarning, type WarningInput
} from '../../protocols/index.js'
import { getHazards } from '../../node/hazards/index.js'
import { RateLimiter } from '../../node/security/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { waitFor } from '../helpers/wait.js'
import { SecureMesh, scoreOf, securityOf, type Hostile } from './harness.js'

const P = { lat: 48.2625, lon: 11.668 }
const MESH_TOPIC = 'ecco/v1/test-mesh'
const EVENT = offsetMetres(P, 0, 500)
const TOPIC = hazardTopic(encodeGeohash(EVENT, HAZARD_CELL_PRECISION))

function warning (key: PrivateKey, seq: number, over: Partial<WarningInput> = {}): WarningInput {
  return {
    originator: peerIdFromPrivateKey(key).toMultihash().bytes,
    sequenceNumber: seq,
    eventPosition: EVENT,
    causeCode: CAUSE_CODE.adverseWeatherConditionAdhesion,
    subCauseCode: SUB_CAUSE.blackIceOnRoad,
    informationQuality: 5,
    ...over
  }
}

function stats (peer: EccoPeer): string {
  return JSON.stringify(securityOf(peer).status(), (_k, v: unknown) => typeof v === 'bigint' ? Number(v) : v)
}

describe('rate limiter', () => {
  it('allows the burst, then the sustained rate, and counts a persistent excess', () => {
    let now = 0
    const r = new RateLimiter({ ratePerSecond: 10, burst: 5, now: () => now })
    for (let i = 0; i < 5; i++) assert.equal(r.take('x').ok, true)
    const v = r.take('x')
    assert.equal(v.ok, false)
    now += 100 // one token
    assert.equal(r.take('x').ok, true)
    assert.equal(r.take('x').ok, false)
    // other keys are independent
    assert.equal(r.take('y').ok, true)
    let over = 0
    for (let i = 0; i < 100; i++) { const t = r.take('x'); if (!t.ok) over = t.over }
    assert.ok(over >= 100, `excess ${over}`)
  })

  it('keeps at most maxBuckets keys', () => {
    const r = new RateLimiter({ ratePerSecond: 1, burst: 1, maxBuckets: 10 })
    for (let i = 0; i < 1000; i++) r.take(`k${i}`)
    assert.equal(r.size, 10)
  })
})

describe('gossip guard and scoring (permissioned)', () => {
  const m = new SecureMesh()
  let target: EccoPeer
  let honest: EccoPeer
  let insider: Hostile
  let insiderKey: PrivateKey

  before(async () => {
    await m.init()
    target = await m.roadside({ name: 'target', position: P, security: { messagesPerSecond: 20, messageBurst: 40, floodRejectAfter: 20 } })
    honest = await m.roadside({ name: 'honest', position: P, bootstrap: [m.mesh.addrOf(target)] })
    // a certified peer gone bad: its certificate is genuine, its messages are not
    insiderKey = await generateKeyPair('Ed25519')
    insider = await m.hostile({ key: insiderKey, certificate: await m.certificateFor(insiderKey, P) })
    await insider.dial(multiaddr(m.mesh.addrOf(target)))
    await waitFor(() => securityOf(target).membership.isMember(insider.peerId.toString()) && securityOf(target).membership.isMember(honest.peerId.toString()), {
      timeoutMs: 10_000, message: () => stats(target)
    })
    target.libp2p.services.pubsub.subscribe(MESH_TOPIC)
    for (const t of [TOPIC, MESH_TOPIC]) insider.services.pubsub.subscribe(t)
    await waitFor(() => [TOPIC, MESH_TOPIC].every((t) => insider.services.pubsub.getSubscribers(t).some((p) => p.equals(target.peerId))), { timeoutMs: 10_000, message: 'target not subscribed' })
  })

  after(async () => { await m.stop() })

  it('forged warnings are rejected, drop the sender below the graylist threshold, and genuine ones still arrive', async () => {
    const rogueOperator = await generateKeyPair('Ed25519')
    const forgedCert = await m.certificateFor(insiderKey, P, rogueOperator)
    const realCert = await m.certificateFor(insiderKey, P)
    const forgeries = [
      // a certificate from an operator nobody trusts
      await signWarning(createDenm(warning(insiderKey, 1)), insiderKey, forgedCert),
      // a genuine certificate, a cause it does not cover
      await signWarning(createDenm(warning(insiderKey, 2, { causeCode: CAUSE_CODE.hazardousLocationObstacleOnTheRoad, subCauseCode: 0 })), insiderKey, realCert),
      // a genuine certificate, someone else named as originator
      await signWarning(createDenm(warning(insiderKey, 3, { originator: honest.peerId.toMultihash().bytes })), insiderKey, realCert),
      // garbage
      new Uint8Array(200).fill(1)
    ]
    const rejectedBefore = securityOf(target).guard.stats.rejected['topic-validator'] ?? 0
    for (const f of forgeries) await insider.services.pubsub.publish(TOPIC, f)
    await waitFor(() => (securityOf(target).guard.stats.rejected['topic-validator'] ?? 0) >= rejectedBefore + 4, { timeoutMs: 10_000, message: () => stats(target) })
    await waitFor(() => scoreOf(target, insider.peerId) < -80, { timeoutMs: 5000, message: () => `insider score ${scoreOf(target, insider.peerId)}` })
    assert.equal(getHazards(target)?.inbox.stats.accepted, 0)
    // the honest peer's warning is accepted
    await getHazards(honest)?.publish({ eventPosition: EVENT, causeCode: CAUSE_CODE.adverseWeatherConditionAdhesion, subCauseCode: SUB_CAUSE.blackIceOnRoad })
    await waitFor(() => (getHazards(target)?.inbox.stats.accepted ?? 0) >= 1, { timeoutMs: 10_000, message: 'genuine warning never accepted' })
    assert.ok(scoreOf(target, honest.peerId) >= 0, `honest score ${scoreOf(target, honest.peerId)}`)
  })
})

describe('floods and oversized messages', () => {
  const m = new SecureMesh()
  let target: EccoPeer
  let flooder: Hostile

  before(async () => {
    await m.init()
    target = await m.roadside({ name: 'target', position: P, security: { messagesPerSecond: 20, messageBurst: 40, floodRejectAfter: 20, maxMessageBytes: 64 * 1024 } })
    const key = await generateKeyPair('Ed25519')
    flooder = await m.hostile({ key, certificate: await m.certificateFor(key, P) })
    await flooder.dial(multiaddr(m.mesh.addrOf(target)))
    await waitFor(() => securityOf(target).membership.isMember(flooder.peerId.toString()), { timeoutMs: 10_000, message: () => stats(target) })
    target.libp2p.services.pubsub.subscribe(MESH_TOPIC)
    flooder.services.pubsub.subscribe(MESH_TOPIC)
    await waitFor(() => flooder.services.pubsub.getSubscribers(MESH_TOPIC).some((p) => p.equals(target.peerId)), { timeoutMs: 10_000, message: 'target not subscribed' })
  })

  after(async () => { await m.stop() })

  it('a flood is cut to the burst plus the sustained rate and then rejected', async () => {
    const started = Date.now()
    const n = 400
    for (let i = 0; i < n; i++) await flooder.services.pubsub.publish(MESH_TOPIC, new TextEncoder().encode(`flood ${i}`))
    await waitFor(() => securityOf(target).guard.stats.checked >= n || scoreOf(target, flooder.peerId) < -80, { timeoutMs: 20_000, message: () => stats(target) })
    const g = securityOf(target).guard.stats
    const elapsedS = (Date.now() - started) / 1000
    assert.ok(g.accepted <= 40 + Math.ceil(20 * elapsedS) + 1, `accepted ${g.accepted} of ${n} in ${elapsedS.toFixed(1)} s`)
    assert.ok((g.rejected.flood ?? 0) > 0, stats(target))
    await waitFor(() => scoreOf(target, flooder.peerId) < -80, { timeoutMs: 5000, message: () => `flooder score ${scoreOf(target, flooder.peerId)}` })
  })

  it('an oversized message is rejected', async () => {
    const m2 = new SecureMesh()
    await m2.init()
    try {
      const t = await m2.roadside({ name: 't2', position: P, security: { maxMessageBytes: 64 * 1024 } })
      const key = await generateKeyPair('Ed25519')
      const big = await m2.hostile({ key, certificate: await m2.certificateFor(key, P) })
      await big.dial(multiaddr(m2.mesh.addrOf(t)))
      await waitFor(() => securityOf(t).membership.isMember(big.peerId.toString()), { timeoutMs: 10_000, message: () => stats(t) })
      t.libp2p.services.pubsub.subscribe(MESH_TOPIC)
      big.services.pubsub.subscribe(MESH_TOPIC)
      await waitFor(() => big.services.pubsub.getSubscribers(MESH_TOPIC).some((p) => p.equals(t.peerId)), { timeoutMs: 10_000, message: 'not subscribed' })
      await big.services.pubsub.publish(MESH_TOPIC, new Uint8Array(200 * 1024))
      await waitFor(() => securityOf(t).guard.stats.rejected.oversize === 1, { timeoutMs: 10_000, message: () => stats(t) })
      assert.equal(securityOf(t).guard.stats.accepted, 0)
    } finally {
      await m2.stop()
    }
  })
})
