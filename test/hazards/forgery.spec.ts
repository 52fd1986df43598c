/**
 * Forged warnings against a real vehicle client connected to real roadside peers. The
 * forger is connected to the vehicle directly, so its messages reach the vehicle's own
 * validator (a relay drops them too, and counts them). One test per forgery; none of
 * them is ever shown.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { multiaddr } from '@multiformats/multiaddr'
import type { Message } from '@libp2p/interface'
import {
  CAUSE_CODE, Denm, HAZARD_CELL_PRECISION, encodeGeohash, SignedWarning, createDenm, createRevocation, disseminationCells, encodeDenm, hazardTopic, offsetMetres,
  parseCertificate, signWarning, type WarningInput
} from '../../protocols/index.js'
import type { HazardsFeature, InboxRejectReason } from '../../node/hazards/index.js'
import type { Vehicle } from '../../node/vehicle/index.js'
import { waitFor } from '../helpers/wait.js'
import { DAY_MS, ROAD_START, blackIce, station, type Station } from './fixtures.js'
import { HazardMesh } from './harness.js'

describe('hazards: forged warnings never reach the driver', () => {
  const h = new HazardMesh()
  let r1: HazardsFeature
  let car: Vehicle
  let forger: Vehicle
  const shown: string[] = []
  const EVENT = offsetMetres(ROAD_START, 0, 600)

  before(async () => {
    await h.init()
    const a = await h.roadside({ name: 'r1', position: ROAD_START, transmissionIntervalMs: 500 })
    r1 = a.hazards
    await h.roadside({ name: 'r2', position: offsetMetres(ROAD_START, 0, 800), bootstrap: [h.addrOf(a.peer)] })
    car = await h.vehicle({ position: offsetMetres(ROAD_START, 0, 300), bootstrap: [h.addrOf(a.peer)] })
    car.addEventListener('warning:shown', (e) => { shown.push(e.detail.key) })
    forger = await h.vehicle({ position: ROAD_START, bootstrap: [h.addrOf(a.peer)] })
    await forger.libp2p.dial(car.libp2p.getMultiaddrs().map((m) => multiaddr(m.toString()))[0])
    const topic = hazardTopic(encodeGeohash(EVENT, HAZARD_CELL_PRECISION))
    // the forger must see the vehicle and the relay on the topic before it publishes
    await waitFor(() => forger.libp2p.services.pubsub.getSubscribers(topic).some((p) => p.equals(car.libp2p.peerId)) &&
      forger.libp2p.services.pubsub.getSubscribers(topic).some((p) => p.equals(a.peer.peerId)), { timeoutMs: 15_000, message: 'forger sees the subscribers' })
  })

  after(async () => { await h.stop() })

  /** Publishes from the forger on every cell of the warning, then waits for the vehicle to refuse it. */
  async function forge (bytes: Uint8Array, cells: string[], reason: InboxRejectReason): Promise<void> {
    const before = car.inbox.stats.rejected[reason] ?? 0
    const relayBefore = r1.inbox.stats.rejected[reason] ?? 0
    for (const cell of cells) await forger.libp2p.services.pubsub.publish(hazardTopic(cell), bytes)
    await waitFor(() => (car.inbox.stats.rejected[reason] ?? 0) > before, { timeoutMs: 10_000, message: () => `vehicle did not refuse it as ${reason}: ${JSON.stringify(car.inbox.stats)}` })
    await waitFor(() => (r1.inbox.stats.rejected[reason] ?? 0) > relayBefore, { timeoutMs: 10_000, message: () => `relay did not count it as ${reason}: ${JSON.stringify(r1.inbox.stats)}` })
  }

  async function forgeWarning (s: Station, over: Partial<WarningInput>, reason: InboxRejectReason, key = s.key): Promise<void> {
    const denm = createDenm(blackIce(s, { eventPosition: EVENT, ...over }))
    const shownBefore = shown.length
    await forge(await signWarning(denm, key, s.cert), disseminationCells(denm), reason)
    assert.equal(shown.length, shownBefore, 'nothing new shown')
    assert.deepEqual(car.warnings().filter((w) => w.denm.actionId?.sequenceNumber === denm.actionId?.sequenceNumber && w.key.startsWith(s.peerId)), [])
  }

  it('control: a genuine warning from a certified roadside peer is shown once', async () => {
    const key = await r1.publish({ eventPosition: EVENT, causeCode: CAUSE_CODE.adverseWeatherConditionAdhesion, subCauseCode: 6, informationQuality: 5 })
    await waitFor(() => shown.includes(key), { timeoutMs: 15_000, message: 'genuine warning shown' })
    await waitFor(() => car.inbox.stats.repeats >= 2, { timeoutMs: 10_000, message: 'repetitions arrive' })
    assert.equal(shown.filter((k) => k === key).length, 1)
    await r1.terminate(key)
    await waitFor(() => car.warnings().length === 0, { timeoutMs: 10_000, message: 'termination clears it' })
  })

  it('wrong key: a certificate from a rogue operator, or a vehicle signing with its own key', async () => {
    await forgeWarning(await station(await generateKeyPair('Ed25519'), { centre: ROAD_START }), { sequenceNumber: 101 }, 'untrusted-issuer')
    // the vehicle attaches a genuine roadside certificate but can only sign with its own key
    const genuine: Station = { ...(await station(h.operator)), key: await generateKeyPair('Ed25519') }
    await forgeWarning(genuine, { sequenceNumber: 102 }, 'bad-signature')
  })

  it('expired certificate', async () => {
    await forgeWarning(await station(h.operator, { notBefore: Date.now() - 30 * DAY_MS, notAfter: Date.now() - DAY_MS }), { sequenceNumber: 201 }, 'certificate-expired')
  })

  it('revoked certificate: the revocation spreads to the vehicle as a CRDT, then its warnings are refused', async () => {
    const s = await station(h.operator)
    const id = parseCertificate(s.cert).id
    assert.equal(await r1.revoke(await createRevocation(h.operator, parseCertificate(s.cert))), true)
    await waitFor(() => car.revocations.list.isRevoked(id), { timeoutMs: 10_000, message: 'revocation reached the vehicle' })
    await forgeWarning(s, { sequenceNumber: 301 }, 'certificate-revoked')
  })

  it('cause code outside the certificate', async () => {
    const s = await station(h.operator, { causes: [CAUSE_CODE.adverseWeatherConditionAdhesion] })
    await forgeWarning(s, { sequenceNumber: 401, causeCode: CAUSE_CODE.wrongWayDriving, subCauseCode: 2 }, 'cause-not-certified')
  })

  it('event position outside the certificate area', async () => {
    const s = await station(h.operator, { centre: offsetMetres(ROAD_START, 40_000, 0), radiusM: 2000 })
    await forgeWarning(s, { sequenceNumber: 501 }, 'outside-area')
  })

  it('tampered field: a genuine signed warning with its sub-cause changed', async () => {
    const s = await station(h.operator)
    const denm = createDenm(blackIce(s, { eventPosition: EVENT, sequenceNumber: 601 }))
    const w = SignedWarning.decode(await signWarning(denm, s.key, s.cert))
    w.denm = encodeDenm({ ...Denm.decode(w.denm), causeCode: CAUSE_CODE.collisionRisk, subCauseCode: 1 })
    const before = shown.length
    await forge(SignedWarning.encode(w), disseminationCells(denm), 'bad-signature')
    assert.equal(shown.length, before)
  })

  it('replay: an old version after its termination, and a warning whose validity ended', async () => {
    const captured: Uint8Array[] = []
    const grab = (e: CustomEvent<Message>): void => { if (e.detail.topic.startsWith('ecco/v1/hazards/')) captured.push(e.detail.data) }
    forger.libp2p.services.pubsub.addEventListener('message', grab)
    const key = await r1.publish({ eventPosition: EVENT, causeCode: CAUSE_CODE.collisionRisk, subCauseCode: 2, informationQuality: 4 })
    await waitFor(() => shown.includes(key) && captured.length > 0, { timeoutMs: 15_000, message: 'genuine warning shown and captured' })
    const original = captured[0]
    await r1.terminate(key)
    await waitFor(() => !car.warnings().some((w) => w.key === key), { timeoutMs: 10_000, message: 'terminated' })
    forger.libp2p.services.pubsub.removeEventListener('message', grab)
    const denm = Denm.decode(SignedWarning.decode(original).denm)
    await forge(original, disseminationCells(denm), 'replay')
    assert.equal(shown.filter((k) => k === key).length, 1)
    assert.equal(car.warnings().some((w) => w.key === key), false)
    // a genuinely signed warning whose 600 s validity is over
    const s = await station(h.operator)
    const old = Date.now() - 11 * 60_000
    await forgeWarning(s, { sequenceNumber: 701, detectionTime: old, referenceTime: old }, 'warning-expired')
  })
})
