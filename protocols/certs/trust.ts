/**
 * The operator keys a peer or vehicle trusts, and the check that a certificate was
 * signed by one of them. Verified certificates are cached (bounded) by their bytes, so
 * a warning repeated every second costs one signature check, not two.
 */
import { createHash } from 'node:crypto'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PublicKey } from '@libp2p/interface'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { parseCertificate, type ParsedCertificate } from './certificate.js'
import { DEFAULT_MAX_CACHED_CERTIFICATES } from './constants.js'
import { InvalidCertificateError, UntrustedCertificateError } from './errors.js'
import { signatureVerifies } from './signature.js'

export interface TrustStoreInit {
  /** operator public keys (objects or protobuf bytes) */
  operatorKeys: Array<PublicKey | Uint8Array>
  /** @default 1024 */
  maxCachedCertificates?: number
}

export class TrustStore {
  readonly operatorKeys: PublicKey[]
  private readonly encoded: Uint8Array[]
  private readonly cache = new Map<string, ParsedCertificate>()
  private readonly maxCached: number

  constructor (init: TrustStoreInit) {
    this.operatorKeys = init.operatorKeys.map((k) => k instanceof Uint8Array ? publicKeyFromProtobuf(k) : k)
    this.encoded = this.operatorKeys.map((k) => publicKeyToProtobuf(k))
    this.maxCached = init.maxCachedCertificates ?? DEFAULT_MAX_CACHED_CERTIFICATES
  }

  isOperator (keyBytes: Uint8Array): boolean {
    return this.encoded.some((k) => uint8ArrayEquals(k, keyBytes))
  }

  operatorFor (keyBytes: Uint8Array): PublicKey | undefined {
    const i = this.encoded.findIndex((k) => uint8ArrayEquals(k, keyBytes))
    return i < 0 ? undefined : this.operatorKeys[i]
  }

  /**
   * Parses a SignedCertificate and checks the operator signature (not validity,
   * revocation or scope: those depend on the time and the message).
   */
  async verifyCertificate (bytes: Uint8Array): Promise<ParsedCertificate> {
    const key = createHash('sha256').update(bytes).digest('base64')
    const hit = this.cache.get(key)
    if (hit !== undefined) {
      // refresh its place: the cache evicts the least recently used
      this.cache.delete(key)
      this.cache.set(key, hit)
      return hit
    }
    const cert = parseCertificate(bytes)
    const operator = this.operatorFor(cert.body.issuerKey)
    if (operator === undefined) throw new UntrustedCertificateError(`certificate ${cert.id.slice(0, 16)}: issuer is not a trusted operator key`)
    if (!await signatureVerifies(operator, cert.bodyBytes, cert.signature)) throw new InvalidCertificateError(`certificate ${cert.id.slice(0, 16)}: operator signature does not verify`)
    if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as string)
    this.cache.set(key, cert)
    return cert
  }
}
