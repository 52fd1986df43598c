/**
 * `verifyWarning`: the one check every relay and every vehicle runs on a warning off the
 * wire. A warning is accepted only if it decodes and validates as a DENM, carries a
 * certificate signed by a trusted operator key that is within its validity window and
 * not revoked, is signed by that certificate's subject, names the subject as originator,
 * and has a cause code and event position the certificate covers. The verdict is typed
 * so callers count rejections by reason.
 */
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import {
  actionKey, decodeDenm, decodeSignedWarning, disseminationCells, isTermination, validUntil,
  decodeSignedFreeParking, decodeFreeParking, type Denm, type FreeParking
} from '../hazard/index.js'
import { certificateCoversCause, certificateCoversPosition, certificateTimeStatus, type ParsedCertificate } from './certificate.js'
import { DEFAULT_MAX_CLOCK_SKEW_MS } from './constants.js'
import type { TrustStore } from './trust.js'
import { signatureVerifies } from './signature.js'

export type RejectReason =
  | 'malformed'
  | 'bad-certificate'
  | 'untrusted-issuer'
  | 'certificate-not-yet-valid'
  | 'certificate-expired'
  | 'certificate-revoked'
  | 'bad-signature'
  | 'originator-mismatch'
  | 'cause-not-certified'
  | 'outside-area'
  | 'parking-not-certified'
  | 'warning-expired'
  | 'from-the-future'
  | 'wrong-topic'

export const REJECT_REASONS: readonly RejectReason[] = [
  'malformed', 'bad-certificate', 'untrusted-issuer', 'certificate-not-yet-valid', 'certificate-expired',
  'certificate-revoked', 'bad-signature', 'originator-mismatch', 'cause-not-certified', 'outside-area',
  'parking-not-certified', 'warning-expired', 'from-the-future', 'wrong-topic'
]

export interface Rejected { valid: false, reason: RejectReason, detail: string }

export interface AcceptedWarning {
  valid: true
  denm: Denm
  /** `<originator>:<sequence>` */
  actionKey: string
  certificate: ParsedCertificate
}

export type WarningVerdict = AcceptedWarning | Rejected

export interface AcceptedParking { valid: true, parking: FreeParking, certificate: ParsedCertificate }
export type ParkingVerdict = AcceptedParking | Rejected

export interface RevocationView { isRevoked: (certificateId: string) => boolean }

export interface VerifyContext {
  trust: TrustStore
  /** @default nothing revoked */
  revocations?: RevocationView
  /** Unix ms @default Date.now() */
  now?: number
  /** a referenceTime further ahead of `now` than this is refused @default 30000 */
  maxClockSkewMs?: number
  /** the topic's cell: the warning must be one this cell disseminates */
  topicCell?: string
}

function reject (reason: RejectReason, detail: string): Rejected {
  return { valid: false, reason, detail }
}

/** Certificate checks shared by warnings and parking messages. */
async function checkSigner (certBytes: Uint8Array, payload: Uint8Array, signature: Uint8Array, originator: Uint8Array, ctx: VerifyContext, now: number): Promise<ParsedCertificate | Rejected> {
  let cert: ParsedCertificate
  try {
    cert = await ctx.trust.verifyCertificate(certBytes)
  } catch (err) {
    const e = err as Error
    return reject(e.name === 'UntrustedCertificateError' ? 'untrusted-issuer' : 'bad-certificate', e.message)
  }
  const time = certificateTimeStatus(cert, now)
  if (time === 'expired') return reject('certificate-expired', `certificate ${cert.id.slice(0, 16)} expired at ${new Date(Number(cert.body.notAfter)).toISOString()}`)
  if (time === 'not-yet-valid') return reject('certificate-not-yet-valid', `certificate ${cert.id.slice(0, 16)} valid from ${new Date(Number(cert.body.notBefore)).toISOString()}`)
  if (ctx.revocations?.isRevoked(cert.id) === true) return reject('certificate-revoked', `certificate ${cert.id.slice(0, 16)} is revoked`)
  if (!await signatureVerifies(cert.subject, payload, signature)) return reject('bad-signature', `signature does not verify with the key of ${cert.subjectPeerId}`)
  if (!uint8ArrayEquals(originator, cert.subjectPeerIdBytes)) return reject('originator-mismatch', `originator is not the certificate subject ${cert.subjectPeerId}`)
  return cert
}

export async function verifyWarning (bytes: Uint8Array, ctx: VerifyContext): Promise<WarningVerdict> {
  const now = ctx.now ?? Date.now()
  let denm: Denm
  let signed
  try {
    signed = decodeSignedWarning(bytes)
    denm = decodeDenm(signed.denm)
  } catch (err) {
    return reject('malformed', (err as Error).message)
  }
  const originator = denm.actionId?.originator ?? new Uint8Array(0)
  const cert = await checkSigner(signed.certificate, signed.denm, signed.signature, originator, ctx, now)
  if ('valid' in cert) return cert
  if (!certificateCoversCause(cert, denm.causeCode)) return reject('cause-not-certified', `cause ${denm.causeCode} not in certificate causes [${cert.body.causeCodes.join(', ')}]`)
  const pos = denm.eventPosition ?? { lat: NaN, lon: NaN }
  if (!certificateCoversPosition(cert, pos)) return reject('outside-area', `event position ${pos.lat.toFixed(5)},${pos.lon.toFixed(5)} outside the certificate area`)
  if (Number(denm.referenceTime) > now + (ctx.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS)) return reject('from-the-future', `referenceTime ${denm.referenceTime} is ahead of ${now}`)
  // a termination stays meaningful (and is repeated) until the warning's validity ends
  if (validUntil(denm) <= now) return reject('warning-expired', `${isTermination(denm) ? 'termination' : 'warning'} valid until ${new Date(validUntil(denm)).toISOString()}`)
  if (ctx.topicCell !== undefined && !disseminationCells(denm).includes(ctx.topicCell)) return reject('wrong-topic', `cell ${ctx.topicCell} is not within the relevance distance of the event`)
  return { valid: true, denm, actionKey: actionKey(denm.actionId ?? { originator, sequenceNumber: 0 }), certificate: cert }
}

export async function verifyParking (bytes: Uint8Array, ctx: VerifyContext): Promise<ParkingVerdict> {
  const now = ctx.now ?? Date.now()
  let parking: FreeParking
  let signed
  try {
    signed = decodeSignedFreeParking(bytes)
    parking = decodeFreeParking(signed.parking)
  } catch (err) {
    return reject('malformed', (err as Error).message)
  }
  const cert = await checkSigner(signed.certificate, signed.parking, signed.signature, parking.originator, ctx, now)
  if ('valid' in cert) return cert
  if (!cert.body.parking) return reject('parking-not-certified', `certificate ${cert.id.slice(0, 16)} does not allow parking information`)
  const pos = parking.position ?? { lat: NaN, lon: NaN }
  if (!certificateCoversPosition(cert, pos)) return reject('outside-area', 'parking position outside the certificate area')
  if (Number(parking.time) > now + (ctx.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS)) return reject('from-the-future', `time ${parking.time} is ahead of ${now}`)
  if (Number(parking.time) + parking.validityDuration * 1000 <= now) return reject('warning-expired', 'parking information expired')
  return { valid: true, parking, certificate: cert }
}
