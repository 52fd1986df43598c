/**
 * @packageDocumentation
 * Trust for roadside messages, after the ETSI ITS trust model (TS 102 941): an operator
 * key certifies roadside peers (subject key, validity window, allowed DENM cause codes,
 * circular area); revocations are operator-signed elements of an add-wins OR-set spread
 * by gossip and anti-entropy; `verifyWarning` gives a typed verdict for a warning off the
 * wire. Reusable for membership gating: `TrustStore.verifyCertificate` plus
 * `certificateTimeStatus` and `RevocationList.isRevoked` answer "may this PeerId join".
 *
 * @example
 * ```ts
 * const operator = await generateKeyPair('Ed25519')
 * const cert = await issueCertificate(operator, {
 *   subject: peerKey.publicKey, notBefore: Date.now(), notAfter: Date.now() + 365 * 86400_000,
 *   causeCodes: [6, 97], area: { centre: { lat, lon }, radiusM: 5000 }
 * })
 * const trust = new TrustStore({ operatorKeys: [operator.publicKey] })
 * const verdict = await verifyWarning(bytes, { trust, revocations })
 * if (!verdict.valid) count(verdict.reason)
 * ```
 */
export * from './constants.js'
export * from './errors.js'
export * from './certificate.js'
export * from './trust.js'
export * from './revocations.js'
export * from './revocation-sync.js'
export * from './verify.js'
export * from './signature.js'
export { Certificate, SignedCertificate, Revocation, SignedRevocation, RevocationAnnouncement, CircularRegion } from './pb/certs.js'
