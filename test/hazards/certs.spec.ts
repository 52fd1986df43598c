import assert from 'node:assert/strict'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { describe, it } from 'node:test'
import {
  CAUSE_CODE, Denm, RevocationList, SignedWarning, TrustStore, createDenm, createRevocation, encodeDenm, hazardTopic,
  offsetMetres, parseCertificate, signWarning, verifyWarning, type RejectReason
} from '../../protocols/index.js'
import { DAY_MS, ROAD_START, blackIce, signed, station } from './fixtures.js'

describe('certs: roadside certificates, revocations, verifyWarning', () => {
  it('issues a certificate the trust store verifies, with its scope', async () => {
    const op = await generateKeyPair('Ed25519')
    const s = await station(op)
    const trust = new TrustStore({ operatorKeys: [op.publicKey] })
    const cert = await trust.verifyCertificate(s.cert)
    assert.equal(cert.subjectPeerId, s.peerId)
    assert.deepEqual(cert.body.causeCodes, [6, 97])
    assert.equal(cert.id.length, 64)
    const other = new TrustStore({ operatorKeys: [(await generateKeyPair('Ed25519')).publicKey] })
    await assert.rejects(other.verifyCertificate(s.cert), { name: 'UntrustedCertificateError' })
    assert.throws(() => parseCertificate(Uint8Array.of(1, 2, 3)), { name: 'InvalidCertificateError' })
  })

  it('accepts a genuine warning and gives a typed verdict for each forgery', async () => {
    const op = await generateKeyPair('Ed25519')
    const trust = new TrustStore({ operatorKeys: [op.publicKey] })
    const good = await station(op)
    const revoked = await station(op)
    const list = new RevocationList({ nodeId: 'test', trust })
    await list.add(await createRevocation(op, parseCertificate(revoked.cert)))
    const ctx = { trust, revocations: list }
    const ok = await verifyWarning(await signed(good), ctx)
    assert.equal(ok.valid, true)

    const rogueOp = await generateKeyPair('Ed25519')
    const tampered = SignedWarning.decode(await signed(good))
    const d = Denm.decode(tampered.denm)
    tampered.denm = encodeDenm({ ...d, subCauseCode: 5 })
    const old = Date.now() - 700_000
    const cases: Array<[string, Uint8Array, RejectReason]> = [
      ['wrong key', await signed(await station(rogueOp)), 'untrusted-issuer'],
      ['expired cert', await signed(await station(op, { notBefore: Date.now() - 2 * DAY_MS, notAfter: Date.now() - DAY_MS })), 'certificate-expired'],
      ['revoked cert', await signed(revoked), 'certificate-revoked'],
      ['cause outside', await signed(good, { causeCode: CAUSE_CODE.wrongWayDriving, subCauseCode: 2 }), 'cause-not-certified'],
      ['position outside', await signed(good, { eventPosition: offsetMetres(ROAD_START, 20_000, 0) }), 'outside-area'],
      ['tampered', SignedWarning.encode(tampered), 'bad-signature'],
      ['replay of an expired warning', await signed(good, { detectionTime: old, referenceTime: old }), 'warning-expired'],
      ['signed by another key than the certificate', await signWarning(createDenm(blackIce(good)), rogueOp, good.cert), 'bad-signature'],
      ['originator not the subject', await signWarning(createDenm(blackIce(good, { originator: revoked.originator })), good.key, good.cert), 'originator-mismatch'],
      ['from the future', await signed(good, { detectionTime: Date.now() + 120_000 }), 'from-the-future'],
      ['garbage', Uint8Array.of(8, 1, 18, 200), 'malformed']
    ]
    for (const [what, bytes, reason] of cases) {
      const v = await verifyWarning(bytes, ctx)
      assert.equal(v.valid, false, what)
      assert.equal(v.valid ? undefined : v.reason, reason, what)
    }
    const wrongCell = await verifyWarning(await signed(good), { ...ctx, topicCell: 'zzzzz' })
    assert.equal(wrongCell.valid ? undefined : wrongCell.reason, 'wrong-topic')
    assert.ok(hazardTopic('u281z').length > 0)
  })

  it('revocations: only operator-signed elements merge, removes are dropped, replicas converge', async () => {
    const op = await generateKeyPair('Ed25519')
    const trust = new TrustStore({ operatorKeys: [op.publicKey] })
    const a = new RevocationList({ nodeId: 'a', trust })
    const b = new RevocationList({ nodeId: 'b', trust })
    const s1 = await station(op)
    const s2 = await station(op)
    const d1 = await a.add(await createRevocation(op, parseCertificate(s1.cert)))
    assert.ok(d1 !== undefined)
    assert.equal(await a.add(await createRevocation(op, parseCertificate(s1.cert))), undefined)
    const r = await b.mergeBytes(d1)
    assert.equal(r.added.length, 1)
    assert.ok(b.isRevoked(parseCertificate(s1.cert).id))
    // a revocation signed by someone else is refused by a replica
    const evilKey = await generateKeyPair('Ed25519')
    const evil = new RevocationList({ nodeId: 'evil', trust: new TrustStore({ operatorKeys: [evilKey.publicKey] }) })
    const evilDelta = await evil.add(await createRevocation(evilKey, parseCertificate(s2.cert)))
    assert.ok(evilDelta !== undefined)
    const refused = await b.mergeBytes(evilDelta)
    assert.equal(refused.refused, 1)
    assert.equal(b.isRevoked(parseCertificate(s2.cert).id), false)
    await assert.rejects(b.check(evilDelta), { name: 'InvalidRevocationError' })
    // an un-revoke (an OR-set remove) from a remote replica is dropped
    const remove = a.set.encodeDelta(a.set.remove(a.set.values()[0]))
    assert.equal((await b.mergeBytes(remove)).refused, 1)
    assert.ok(b.isRevoked(parseCertificate(s1.cert).id))
    // anti-entropy in both directions converges
    await a.add(await createRevocation(op, parseCertificate(s2.cert)))
    await b.mergeBytes(a.diff(b.summary()))
    assert.equal(b.list().length, 2)
  })
})
