/**
 * Revocations as an add-wins OR-set (crdt/) whose elements are operator-signed
 * Revocation messages (base64). Only elements that verify against a trusted operator key
 * are merged; removes from remote replicas are dropped, since a revocation is never
 * withdrawn (a certificate that should come back is re-issued with a new serial). An
 * element expires with the certificate it revokes: after that the certificate is
 * refused as expired anyway, so the set stays small.
 */
import { createHash } from 'node:crypto'
import { HybridLogicalClock, OrSet, type OrSetDelta } from '../../crdt/index.js'
import { fromString as uint8ArrayFromString } from 'uint8arrays/from-string'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import type { PrivateKey } from '@libp2p/interface'
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { checkVersion, decodeMessage } from '../wire/index.js'
import type { ParsedCertificate } from './certificate.js'
import { CERTS_VERSION, MAX_REVOCATION_BYTES } from './constants.js'
import { InvalidRevocationError } from './errors.js'
import { Revocation, SignedRevocation } from './pb/certs.js'
import type { TrustStore } from './trust.js'
import { signatureVerifies } from './signature.js'

export interface ParsedRevocation {
  /** hex id of the revoked certificate */
  certificateId: string
  revokedAt: number
  notAfter: number
  /** the OR-set element (base64 of the SignedRevocation) */
  element: string
}

export async function createRevocation (operator: PrivateKey, cert: ParsedCertificate, revokedAt = Date.now()): Promise<Uint8Array> {
  const body = Revocation.encode({
    version: CERTS_VERSION,
    certificateId: uint8ArrayFromString(cert.id, 'base16'),
    revokedAt: BigInt(Math.round(revokedAt)),
    notAfter: cert.body.notAfter,
    issuerKey: publicKeyToProtobuf(operator.publicKey)
  })
  return SignedRevocation.encode({ version: CERTS_VERSION, revocation: body, signature: await operator.sign(body) })
}

/** Decodes and verifies a SignedRevocation against the trusted operator keys. */
export async function verifyRevocation (bytes: Uint8Array, trust: TrustStore): Promise<ParsedRevocation> {
  let signed: SignedRevocation
  let body: Revocation
  try {
    signed = decodeMessage(SignedRevocation, bytes, 'SignedRevocation', { maxBytes: MAX_REVOCATION_BYTES })
    checkVersion('SignedRevocation', signed.version, CERTS_VERSION)
    body = decodeMessage(Revocation, signed.revocation, 'Revocation', { maxBytes: MAX_REVOCATION_BYTES })
    checkVersion('Revocation', body.version, CERTS_VERSION)
  } catch (err) {
    throw new InvalidRevocationError((err as Error).message)
  }
  if (body.certificateId.byteLength !== 32) throw new InvalidRevocationError(`Revocation.certificateId: ${body.certificateId.byteLength} bytes, expected 32`)
  const operator = trust.operatorFor(body.issuerKey)
  if (operator === undefined) throw new InvalidRevocationError('Revocation.issuerKey: not a trusted operator key')
  if (!await signatureVerifies(operator, signed.revocation, signed.signature)) throw new InvalidRevocationError('SignedRevocation.signature: does not verify')
  return {
    certificateId: uint8ArrayToString(body.certificateId, 'base16'),
    revokedAt: Number(body.revokedAt),
    notAfter: Number(body.notAfter),
    element: uint8ArrayToString(bytes, 'base64')
  }
}

export interface RevocationListInit {
  /** the replica's id in the OR-set's clock (a PeerId string) */
  nodeId: string
  trust: TrustStore
}

export interface RevocationMergeResult {
  added: string[]
  /** elements refused: unsigned, not by a trusted operator, malformed, or remote removes */
  refused: number
}

export class RevocationList {
  /** the CRDT itself, for CrdtStore persistence */
  readonly set: OrSet
  private readonly trust: TrustStore
  /** certificate id -> parsed revocation, for the present elements */
  private readonly revoked = new Map<string, ParsedRevocation>()
  private readonly verified = new Map<string, ParsedRevocation>()

  constructor (init: RevocationListInit) {
    this.trust = init.trust
    this.set = new OrSet({ clock: new HybridLogicalClock({ nodeId: init.nodeId }) })
  }

  isRevoked (certificateId: string): boolean {
    this.refresh()
    return this.revoked.has(certificateId)
  }

  list (): ParsedRevocation[] {
    this.refresh()
    return [...this.revoked.values()]
  }

  /** Adds a signed revocation; returns the delta to gossip, or undefined if already known. */
  async add (signedRevocation: Uint8Array): Promise<Uint8Array | undefined> {
    const r = await verifyRevocation(signedRevocation, this.trust)
    // one revocation per certificate: a second one (another revokedAt) adds nothing
    if (this.set.has(r.element) || this.isRevoked(r.certificateId)) return undefined
    this.verified.set(r.element, r)
    const ttlMs = Math.max(1, r.notAfter - Date.now())
    const delta = this.set.add(r.element, { ttlMs })
    this.refresh()
    return this.set.encodeDelta(delta)
  }

  /** Merges a remote delta or state after checking every element's signature. */
  async mergeBytes (bytes: Uint8Array): Promise<RevocationMergeResult> {
    const delta = this.set.decode(bytes)
    const filtered = await this.filter(delta)
    const r = this.set.merge(filtered.delta)
    this.refresh()
    return { added: r.added, refused: filtered.refused + r.rejected.length }
  }

  /** Throws if any element of the delta would be refused: the gossip validator's dry run. */
  async check (bytes: Uint8Array): Promise<void> {
    const delta = this.set.decode(bytes)
    const { refused } = await this.filter(delta)
    if (refused > 0) throw new InvalidRevocationError(`${refused} revocation element(s) refused`)
  }

  private async filter (delta: OrSetDelta): Promise<{ delta: OrSetDelta, refused: number }> {
    let refused = delta.removes.length
    const adds = []
    for (const add of delta.adds) {
      try {
        let r = this.verified.get(add.element)
        if (r === undefined) {
          r = await verifyRevocation(uint8ArrayFromString(add.element, 'base64'), this.trust)
          this.verified.set(add.element, r)
        }
        adds.push(add)
      } catch {
        refused++
      }
    }
    return { delta: { adds, removes: [] }, refused }
  }

  private refresh (): void {
    this.revoked.clear()
    for (const element of this.set.values()) {
      const r = this.verified.get(element)
      if (r !== undefined) this.revoked.set(r.certificateId, r)
    }
  }

  /** Stored records bypass the gossip filter: verify what was loaded from disk once. */
  async verifyLoaded (): Promise<number> {
    let bad = 0
    for (const element of this.set.values()) {
      if (this.verified.has(element)) continue
      try {
        this.verified.set(element, await verifyRevocation(uint8ArrayFromString(element, 'base64'), this.trust))
      } catch {
        bad++
      }
    }
    this.refresh()
    return bad
  }

  summary (): Uint8Array { return this.set.encodeSummary() }

  diff (remoteSummary: Uint8Array): Uint8Array {
    return this.set.diffBytes(remoteSummary) ?? new Uint8Array(0)
  }

  digest (): string { return this.set.digest() }

  /** Sha256 of a revocation element, for logs. */
  static elementId (element: string): string {
    return createHash('sha256').update(element).digest('hex').slice(0, 16)
  }
}
