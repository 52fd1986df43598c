/**
 * Roadside certificates: an operator key signs (subject key, validity window, allowed
 * DENM cause codes, circular area). A certificate is identified by the sha256 of its
 * encoded body, which is also what a revocation names.
 */
import { createHash } from 'node:crypto'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPublicKey } from '@libp2p/peer-id'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { assertPosition, distanceMetres, type Position } from '../geo/index.js'
import { checkVersion, decodeMessage } from '../wire/index.js'
import {
  CERTIFICATE_LIMITS, CERTS_VERSION, MAX_CERTIFICATE_BYTES, MAX_KEY_BYTES, MAX_NAME_LENGTH, MAX_SIGNED_CERTIFICATE_BYTES
} from './constants.js'
import { InvalidCertificateError } from './errors.js'
import { Certificate, SignedCertificate } from './pb/certs.js'

export interface CertificateInput {
  subject: PublicKey
  notBefore: number
  notAfter: number
  causeCodes: number[]
  area: { centre: Position, radiusM: number }
  /** @default '' */
  name?: string
  /** @default Date.now() */
  serial?: number
  /** @default false */
  parking?: boolean
}

/** A decoded, structurally valid certificate (its signature not yet checked). */
export interface ParsedCertificate {
  /** hex sha256 of the certificate body */
  id: string
  body: Certificate
  /** the exact signed bytes */
  bodyBytes: Uint8Array
  signature: Uint8Array
  subject: PublicKey
  issuer: PublicKey
  /** the subject's PeerId string */
  subjectPeerId: string
  /** the subject's PeerId multihash bytes (a DENM originator) */
  subjectPeerIdBytes: Uint8Array
}

export function certificateId (bodyBytes: Uint8Array): string {
  return createHash('sha256').update(bodyBytes).digest('hex')
}

export async function issueCertificate (operator: PrivateKey, input: CertificateInput): Promise<Uint8Array> {
  const body: Certificate = {
    version: CERTS_VERSION,
    subjectKey: publicKeyToProtobuf(input.subject),
    issuerKey: publicKeyToProtobuf(operator.publicKey),
    notBefore: BigInt(Math.round(input.notBefore)),
    notAfter: BigInt(Math.round(input.notAfter)),
    causeCodes: [...new Set(input.causeCodes)].sort((a, b) => a - b),
    area: { lat: input.area.centre.lat, lon: input.area.centre.lon, radiusM: Math.round(input.area.radiusM) },
    name: input.name ?? '',
    serial: BigInt(input.serial ?? Date.now()),
    parking: input.parking ?? false
  }
  validateBody(body)
  const bodyBytes = Certificate.encode(body)
  return SignedCertificate.encode({ version: CERTS_VERSION, certificate: bodyBytes, signature: await operator.sign(bodyBytes) })
}

function bad (field: string, why: string): never {
  throw new InvalidCertificateError(`Certificate.${field}: ${why}`)
}

function validateBody (c: Certificate): void {
  if (c.subjectKey.byteLength === 0 || c.subjectKey.byteLength > MAX_KEY_BYTES) bad('subjectKey', `${c.subjectKey.byteLength} bytes`)
  if (c.issuerKey.byteLength === 0 || c.issuerKey.byteLength > MAX_KEY_BYTES) bad('issuerKey', `${c.issuerKey.byteLength} bytes`)
  if (c.notAfter <= c.notBefore) bad('notAfter', `${c.notAfter} is not after notBefore ${c.notBefore}`)
  if (c.area === undefined) bad('area', 'missing')
  try { assertPosition(c.area, 'area') } catch (err) { bad('area', (err as Error).message) }
  if (c.area.radiusM === 0) bad('area.radiusM', 'must be > 0')
  if (c.causeCodes.some((x) => x > 255)) bad('causeCodes', 'cause codes are 0..255 (TS 102 894-2)')
  if (c.name.length > MAX_NAME_LENGTH) bad('name', `${c.name.length} characters exceeds ${MAX_NAME_LENGTH}`)
}

function parseKey (bytes: Uint8Array, field: string): PublicKey {
  try {
    return publicKeyFromProtobuf(bytes)
  } catch (err) {
    return bad(field, `not a protobuf public key (${(err as Error).message})`)
  }
}

/** Decodes a SignedCertificate with limits; InvalidCertificateError on any defect. */
export function parseCertificate (bytes: Uint8Array): ParsedCertificate {
  let signed: SignedCertificate
  let body: Certificate
  try {
    signed = decodeMessage(SignedCertificate, bytes, 'SignedCertificate', { maxBytes: MAX_SIGNED_CERTIFICATE_BYTES })
    checkVersion('SignedCertificate', signed.version, CERTS_VERSION)
    body = decodeMessage(Certificate, signed.certificate, 'Certificate', { maxBytes: MAX_CERTIFICATE_BYTES, limits: CERTIFICATE_LIMITS })
    checkVersion('Certificate', body.version, CERTS_VERSION)
  } catch (err) {
    throw new InvalidCertificateError((err as Error).message)
  }
  validateBody(body)
  const subject = parseKey(body.subjectKey, 'subjectKey')
  const peerId = peerIdFromPublicKey(subject)
  return {
    id: certificateId(signed.certificate),
    body,
    bodyBytes: signed.certificate,
    signature: signed.signature,
    subject,
    issuer: parseKey(body.issuerKey, 'issuerKey'),
    subjectPeerId: peerId.toString(),
    subjectPeerIdBytes: peerId.toMultihash().bytes
  }
}

export function certificateCoversCause (cert: ParsedCertificate, cause: number): boolean {
  return cert.body.causeCodes.includes(cause)
}

export function certificateCoversPosition (cert: ParsedCertificate, p: Position): boolean {
  const a = cert.body.area
  if (a === undefined) return false
  return distanceMetres({ lat: a.lat, lon: a.lon }, p) <= a.radiusM
}

/** 'valid', or why not at `now`. */
export function certificateTimeStatus (cert: ParsedCertificate, now: number): 'valid' | 'not-yet-valid' | 'expired' {
  if (now < Number(cert.body.notBefore)) return 'not-yet-valid'
  if (now >= Number(cert.body.notAfter)) return 'expired'
  return 'valid'
}

/** A readable summary for `ecco-peer certs list` and logs. */
export function describeCertificate (cert: ParsedCertificate): Record<string, unknown> {
  const b = cert.body
  return {
    id: cert.id,
    name: b.name,
    peerId: cert.subjectPeerId,
    notBefore: new Date(Number(b.notBefore)).toISOString(),
    notAfter: new Date(Number(b.notAfter)).toISOString(),
    causeCodes: b.causeCodes,
    area: b.area === undefined ? undefined : { lat: b.area.lat, lon: b.area.lon, radiusM: b.area.radiusM },
    parking: b.parking,
    serial: b.serial.toString()
  }
}
