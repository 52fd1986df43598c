/**
 * Who is a member: the verified operator certificates of roadside peers, by PeerId,
 * learnt from the direct exchange (`/ecco/cert/1.0.0`) and from member announcements;
 * and the connected peers known to have none (clients) or refused. A certificate is
 * re-checked for validity and revocation on every question, so an expiry or a
 * revocation takes effect without a new handshake.
 */
import {
  certificateTimeStatus, InvalidCertificateError, UntrustedCertificateError,
  type ParsedCertificate, type RevocationView, type TrustStore
} from '../../protocols/index.js'
import { MAX_MEMBERS } from './constants.js'

export type RefuseReason =
  | 'no-certificate'
  | 'bad-certificate'
  | 'untrusted-issuer'
  | 'certificate-not-yet-valid'
  | 'certificate-expired'
  | 'certificate-revoked'
  | 'peer-mismatch'
  | 'no-answer'
  | 'clients-not-allowed'
  | 'no-trust-anchor'

export type MembershipVerdict = { ok: true, certificate: ParsedCertificate } | { ok: false, reason: RefuseReason, detail: string }

export type PeerStanding = 'member' | 'client' | 'refused' | 'unknown'

export interface MembershipInit {
  trust?: TrustStore
  revocations?: RevocationView
  /** Unix ms @default Date.now */
  now?: () => number
  /** @default 4096 */
  maxMembers?: number
}

export class Membership {
  trust?: TrustStore
  revocations?: RevocationView
  private readonly now: () => number
  private readonly maxMembers: number
  private readonly members = new Map<string, ParsedCertificate>()
  private readonly clients = new Set<string>()
  private readonly refused = new Set<string>()

  constructor (init: MembershipInit = {}) {
    this.trust = init.trust
    this.revocations = init.revocations
    this.now = init.now ?? Date.now
    this.maxMembers = init.maxMembers ?? MAX_MEMBERS
  }

  /** Verifies that `certBytes` is a valid, unrevoked operator certificate for `peerId`. */
  async verify (peerId: string, certBytes: Uint8Array): Promise<MembershipVerdict> {
    if (this.trust === undefined) return { ok: false, reason: 'no-trust-anchor', detail: 'no operator keys configured' }
    if (certBytes.byteLength === 0) return { ok: false, reason: 'no-certificate', detail: `${peerId} presented no certificate` }
    let cert: ParsedCertificate
    try {
      cert = await this.trust.verifyCertificate(certBytes)
    } catch (err) {
      if (err instanceof UntrustedCertificateError) return { ok: false, reason: 'untrusted-issuer', detail: err.message }
      if (err instanceof InvalidCertificateError) return { ok: false, reason: 'bad-certificate', detail: err.message }
      return { ok: false, reason: 'bad-certificate', detail: (err as Error).message }
    }
    if (cert.subjectPeerId !== peerId) return { ok: false, reason: 'peer-mismatch', detail: `certificate ${cert.id.slice(0, 16)} certifies ${cert.subjectPeerId}, not ${peerId}` }
    const why = this.invalidNow(cert)
    if (why !== undefined) return { ok: false, reason: why, detail: `certificate ${cert.id.slice(0, 16)} of ${peerId}: ${why}` }
    return { ok: true, certificate: cert }
  }

  private invalidNow (cert: ParsedCertificate): RefuseReason | undefined {
    const t = certificateTimeStatus(cert, this.now())
    if (t === 'expired') return 'certificate-expired'
    if (t === 'not-yet-valid') return 'certificate-not-yet-valid'
    if (this.revocations?.isRevoked(cert.id) === true) return 'certificate-revoked'
    return undefined
  }

  addMember (peerId: string, cert: ParsedCertificate): void {
    this.clients.delete(peerId)
    this.refused.delete(peerId)
    this.members.delete(peerId)
    if (this.members.size >= this.maxMembers) this.members.delete(this.members.keys().next().value as string)
    this.members.set(peerId, cert)
  }

  addClient (peerId: string): void {
    if (!this.members.has(peerId)) this.clients.add(peerId)
  }

  addRefused (peerId: string): void {
    this.members.delete(peerId)
    this.clients.delete(peerId)
    this.refused.delete(peerId)
    if (this.refused.size >= this.maxMembers) this.refused.delete(this.refused.values().next().value as string)
    this.refused.add(peerId)
  }

  /** A peer that disconnected: its client/refused standing is forgotten, a member's certificate kept. */
  disconnected (peerId: string): void {
    this.clients.delete(peerId)
  }

  /** A member whose certificate is, right now, valid and not revoked. */
  isMember (peerId: string): boolean {
    const cert = this.members.get(peerId)
    return cert !== undefined && this.invalidNow(cert) === undefined
  }

  /** Why a cached member no longer qualifies (undefined if it does or is not cached). */
  lapsed (peerId: string): RefuseReason | undefined {
    const cert = this.members.get(peerId)
    return cert === undefined ? undefined : this.invalidNow(cert)
  }

  standing (peerId: string): PeerStanding {
    if (this.refused.has(peerId)) return 'refused'
    const cert = this.members.get(peerId)
    if (cert !== undefined) return this.invalidNow(cert) === undefined ? 'member' : 'refused'
    if (this.clients.has(peerId)) return 'client'
    return 'unknown'
  }

  certificateOf (peerId: string): ParsedCertificate | undefined { return this.members.get(peerId) }
  memberIds (): string[] { return [...this.members.keys()] }
  clientIds (): string[] { return [...this.clients] }
  counts (): { members: number, clients: number, refused: number } {
    return { members: this.members.size, clients: this.clients.size, refused: this.refused.size }
  }
}
