/**
 * The `security` libp2p service: certificate-bound membership after the Noise
 * handshake, member announcements, the topic guard in front of every gossip topic and
 * DHT routing-table admission. It starts in open mode (limits only); the `security`
 * peer feature switches it to permissioned with the operator keys and certificate.
 */
import { TopicValidatorResult, TypedEventEmitter, type ComponentLogger, type Connection, type Libp2pEvents, type Logger, type Message, type PeerId, type PeerStore, type PubSub, type Startable, type TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { checkVersion, decodeMessage, type RevocationView, type TrustStore } from '../../protocols/index.js'
import { DEFAULT_SECURITY_LIMITS, type SecurityLimits } from './config.js'
import { CERT_PROTOCOL, MAX_ANNOUNCEMENT_BYTES, MEMBERS_TOPIC, SECURITY_VERSION } from './constants.js'
import { DhtAdmission, routingTableOf } from './dht-admission.js'
import { SecuritySetupError } from './errors.js'
import { requestCertificate, serveCertificate, type ExchangeResult } from './exchange.js'
import type { SecurityGater } from './gater.js'
import type { Membership, RefuseReason } from './membership.js'
import { MemberAnnouncement } from './pb/security.js'
import { TopicGuard, type GuardReason } from './topic-guard.js'

export interface SecurityComponents {
  peerId: PeerId
  registrar: Registrar
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
  peerStore: PeerStore
  logger: ComponentLogger
  pubsub: PubSub
  /** kad-dht, possibly wrapped (protocols/discovery); only its mode and routing table are used */
  dht: unknown
}

interface DhtMode {
  getMode: () => 'client' | 'server'
  setMode: (mode: 'client' | 'server') => Promise<void>
}

function hasMode (dht: unknown): dht is DhtMode {
  return typeof dht === 'object' && dht !== null && typeof (dht as DhtMode).getMode === 'function' && typeof (dht as DhtMode).setMode === 'function'
}

export interface SecurityServiceInit {
  gater: SecurityGater
  membership: Membership
}

/** What the `security` feature hands over: limits plus the loaded trust material. */
export interface SecurityRuntime {
  limits: SecurityLimits
  trust?: TrustStore
  /** this peer's SignedCertificate bytes */
  certificate?: Uint8Array
  revocations?: RevocationView
}

export interface SecurityEvents {
  'peer:member': CustomEvent<{ peerId: string, via: 'exchange' | 'announcement' }>
  'peer:client': CustomEvent<{ peerId: string }>
  'peer:refused': CustomEvent<{ peerId: string, reason: RefuseReason, detail: string }>
  'message:refused': CustomEvent<{ reason: GuardReason, topic: string, from: string }>
}

export interface SecurityStats {
  exchanges: number
  refused: Partial<Record<RefuseReason, number>>
  announcementsOut: number
  announcementsIn: number
  announcementsRefused: number
}

/** Smallest gap between two announcements triggered by new connections. */
const ANNOUNCE_DEBOUNCE_MS = 1000
/** certificate requests before a silent peer is cut off (deadlines certTimeoutMs x 1, 2, 3) */
const CERT_ATTEMPTS = 3

export class SecurityService extends TypedEventEmitter<SecurityEvents> implements Startable {
  readonly [Symbol.toStringTag] = 'ecco:security'
  readonly stats: SecurityStats = { exchanges: 0, refused: {}, announcementsOut: 0, announcementsIn: 0, announcementsRefused: 0 }
  readonly membership: Membership
  readonly gater: SecurityGater
  readonly guard: TopicGuard
  readonly admission: DhtAdmission
  limits: SecurityLimits = { ...DEFAULT_SECURITY_LIMITS }
  private readonly components: SecurityComponents
  private readonly log: Logger
  private certificate: Uint8Array = new Uint8Array(0)
  private readonly pending = new Set<string>()
  private timers: Array<ReturnType<typeof setInterval>> = []
  private lastAnnounce = 0
  private shutdown = new AbortController()
  private started = false

  constructor (components: SecurityComponents, init: SecurityServiceInit) {
    super()
    this.components = components
    this.log = components.logger.forComponent('ecco:security')
    this.membership = init.membership
    this.gater = init.gater
    this.guard = new TopicGuard(this.membership, this.guardSettings(), (reason, topic, from) => {
      this.safeDispatchEvent('message:refused', { detail: { reason, topic, from } })
    })
    this.admission = new DhtAdmission(this.admissionRule(), (p) => this.membership.isMember(p), DhtAdmission.peerStoreAddresses(components.peerStore), components.peerId.toString())
  }

  get mode (): SecurityLimits['mode'] { return this.limits.mode }
  get permissioned (): boolean { return this.limits.mode === 'permissioned' }

  private guardSettings (): ConstructorParameters<typeof TopicGuard>[1] {
    const l = this.limits
    return { permissioned: this.permissioned, maxMessageBytes: l.maxMessageBytes, messagesPerSecond: l.messagesPerSecond, messageBurst: l.messageBurst, floodRejectAfter: l.floodRejectAfter }
  }

  private admissionRule (): DhtAdmission['rule'] {
    const l = this.limits
    return { membersOnly: this.permissioned, maxPerGroup: l.maxRoutingPeersPerGroup, addressGroup: l.addressGroup, exemptLoopback: l.exemptLoopback }
  }

  async start (): Promise<void> {
    const { registrar, events, pubsub, dht } = this.components
    this.shutdown = new AbortController()
    await registrar.handle(CERT_PROTOCOL, ({ stream }) => {
      void serveCertificate(stream, this.certificate, this.limits.certTimeoutMs)
    }, { maxInboundStreams: 2, maxOutboundStreams: 2 })
    events.addEventListener('connection:open', this.onOpen)
    events.addEventListener('connection:close', this.onClose)
    this.guard.install(pubsub)
    const table = routingTableOf(dht)
    if (table !== undefined) this.admission.install(table)
    this.started = true
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    this.shutdown.abort()
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    const { registrar, events, pubsub } = this.components
    events.removeEventListener('connection:open', this.onOpen)
    events.removeEventListener('connection:close', this.onClose)
    pubsub.topicValidators.delete(MEMBERS_TOPIC)
    this.guard.uninstall()
    this.admission.uninstall()
    await registrar.unhandle(CERT_PROTOCOL).catch(() => {})
  }

  /** Applies the `security` section; permissioned mode then checks every open connection. */
  async configure (runtime: SecurityRuntime): Promise<void> {
    const l = runtime.limits
    if (l.mode === 'permissioned' && runtime.trust === undefined) throw new SecuritySetupError('security.mode permissioned: no operator keys (security.operatorKeys or hazards.operatorKeys)')
    this.limits = { ...l }
    this.membership.trust = runtime.trust
    if (runtime.revocations !== undefined) this.membership.revocations = runtime.revocations
    this.certificate = runtime.certificate ?? new Uint8Array(0)
    this.gater.rule = { addressGroup: l.addressGroup, exemptLoopback: l.exemptLoopback, maxInboundConnectionsPerGroup: l.maxInboundConnectionsPerGroup }
    this.guard.update(this.guardSettings())
    this.admission.rule = this.admissionRule()
    for (const t of this.timers) clearInterval(t)
    this.timers = []
    if (!this.permissioned) return
    const { pubsub, dht, connectionManager } = this.components
    // an uncertified roadside peer still reads the mesh, but does not serve the DHT
    if (this.certificate.byteLength === 0 && hasMode(dht) && dht.getMode() === 'server') await dht.setMode('client')
    pubsub.topicValidators.set(MEMBERS_TOPIC, this.validateAnnouncement)
    if (!pubsub.getTopics().includes(MEMBERS_TOPIC)) pubsub.subscribe(MEMBERS_TOPIC)
    this.every(l.recheckIntervalMs, () => { this.recheck() })
    if (this.certificate.byteLength > 0) {
      this.every(l.announceIntervalMs, () => { void this.announce() })
      void this.announce()
    }
    for (const c of connectionManager.getConnections()) void this.admit(c)
  }

  useRevocations (view: RevocationView): void { this.membership.revocations = view }

  /**
   * For stream handlers of roadside-only protocols (bundle, checkpoint, offload, image,
   * sync): true in open mode, and in permissioned mode only for a certified member.
   * libp2p has no inbound-stream gater, so each handler asks.
   */
  mayServe (peer: PeerId | string): boolean {
    return !this.permissioned || this.membership.isMember(peer.toString())
  }

  private every (ms: number, fn: () => void): void {
    const t = setInterval(fn, ms)
    t.unref?.()
    this.timers.push(t)
  }

  private readonly onOpen = (evt: CustomEvent<Connection>): void => {
    if (this.permissioned) void this.admit(evt.detail)
  }

  private readonly onClose = (evt: CustomEvent<Connection>): void => {
    const peer = evt.detail.remotePeer
    if (this.components.connectionManager.getConnections(peer).length === 0) this.membership.disconnected(peer.toString())
  }

  /** Asks a newly connected peer for its certificate and admits, limits or refuses it. */
  private async admit (conn: Connection): Promise<void> {
    const peer = conn.remotePeer
    const id = peer.toString()
    if (this.pending.has(id) || this.membership.isMember(id)) return
    this.pending.add(id)
    try {
      this.stats.exchanges++
      const result = await this.ask(conn)
      if (result === undefined) return
      if ('error' in result) {
        // a silent peer is cut off, but not banned: a busy honest peer may simply have been slow
        await this.refuse(peer, 'no-answer', result.error, 0)
        return
      }
      if (result.kind === 'unsupported' || result.bytes.byteLength === 0) {
        await this.client(peer)
        return
      }
      const v = await this.membership.verify(id, result.bytes)
      if (!v.ok) {
        await this.refuse(peer, v.reason, v.detail)
        return
      }
      this.membership.addMember(id, v.certificate)
      this.safeDispatchEvent('peer:member', { detail: { peerId: id, via: 'exchange' } })
      await this.admission.memberConfirmed(peer)
      // a new neighbour learns who we are without waiting for the next round
      if (this.certificate.byteLength > 0 && Date.now() - this.lastAnnounce > ANNOUNCE_DEBOUNCE_MS) void this.announce()
    } finally {
      this.pending.delete(id)
    }
  }

  /**
   * The certificate request, retried with a growing deadline: on a loaded host an
   * honest peer can miss one deadline, and refusing it would partition the mesh.
   * undefined when the connection or the service went away meanwhile.
   */
  private async ask (conn: Connection): Promise<ExchangeResult | { error: string } | undefined> {
    let error = ''
    for (let attempt = 1; attempt <= CERT_ATTEMPTS; attempt++) {
      try {
        return await requestCertificate(conn, { timeoutMs: this.limits.certTimeoutMs * attempt, signal: this.shutdown.signal })
      } catch (err) {
        if (this.shutdown.signal.aborted || conn.status !== 'open') return undefined
        error = (err as Error).message
      }
    }
    return { error: `${CERT_ATTEMPTS} attempts: ${error}` }
  }

  private async client (peer: PeerId): Promise<void> {
    if (!this.limits.allowClients) {
      await this.refuse(peer, 'clients-not-allowed', `${peer.toString()} has no certificate and security.allowClients is false`)
      return
    }
    this.membership.addClient(peer.toString())
    await this.admission.evict(peer)
    this.safeDispatchEvent('peer:client', { detail: { peerId: peer.toString() } })
  }

  /** Closes every connection to `peer` and keeps it out for `banMs`. */
  async refuse (peer: PeerId, reason: RefuseReason, detail: string, banMs = this.limits.banMs): Promise<void> {
    const id = peer.toString()
    this.stats.refused[reason] = (this.stats.refused[reason] ?? 0) + 1
    if (banMs > 0) this.membership.addRefused(id)
    this.gater.ban(id, banMs)
    this.log('refused %s: %s (%s)', id, reason, detail)
    this.safeDispatchEvent('peer:refused', { detail: { peerId: id, reason, detail } })
    await this.admission.evict(peer)
    await this.components.connectionManager.closeConnections(peer).catch(() => {})
  }

  /** Connected members whose certificate expired or was revoked since they joined. */
  private recheck (): void {
    const seen = new Set<string>()
    for (const c of this.components.connectionManager.getConnections()) {
      const id = c.remotePeer.toString()
      if (seen.has(id)) continue
      seen.add(id)
      const why = this.membership.lapsed(id)
      if (why !== undefined) void this.refuse(c.remotePeer, why, 'certificate lapsed while connected')
    }
  }

  async announce (): Promise<void> {
    if (this.certificate.byteLength === 0) return
    this.lastAnnounce = Date.now()
    try {
      await this.components.pubsub.publish(MEMBERS_TOPIC, MemberAnnouncement.encode({ version: SECURITY_VERSION, certificate: this.certificate, time: BigInt(Date.now()) }))
      this.stats.announcementsOut++
    } catch (err) {
      this.log('member announcement failed: %s', (err as Error).message)
    }
  }

  private readonly validateAnnouncement = async (_from: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    const result = await this.checkAnnouncement(msg)
    if (result === TopicValidatorResult.Accept) this.stats.announcementsIn++
    else this.stats.announcementsRefused++
    return result
  }

  private async checkAnnouncement (msg: Message): Promise<TopicValidatorResult> {
    if (msg.type !== 'signed') return TopicValidatorResult.Reject
    let ann: MemberAnnouncement
    try {
      ann = decodeMessage(MemberAnnouncement, msg.data, 'MemberAnnouncement', { maxBytes: MAX_ANNOUNCEMENT_BYTES })
      checkVersion('MemberAnnouncement', ann.version, SECURITY_VERSION)
    } catch {
      return TopicValidatorResult.Reject
    }
    const now = Date.now()
    const time = Number(ann.time)
    if (time > now + this.limits.maxClockSkewMs) return TopicValidatorResult.Reject
    // an old but genuine announcement is a replay, not a forgery: dropped without penalty
    if (time < now - this.limits.announcementMaxAgeMs) return TopicValidatorResult.Ignore
    const id = msg.from.toString()
    const v = await this.membership.verify(id, ann.certificate)
    if (!v.ok) return TopicValidatorResult.Reject
    if (!this.membership.isMember(id)) {
      this.membership.addMember(id, v.certificate)
      this.safeDispatchEvent('peer:member', { detail: { peerId: id, via: 'announcement' } })
      await this.admission.memberConfirmed(msg.from)
    }
    return TopicValidatorResult.Accept
  }

  /** For the status API and the chaos report. */
  status (): Record<string, unknown> {
    return {
      mode: this.limits.mode,
      ...this.membership.counts(),
      stats: this.stats,
      guard: { ...this.guard.stats, validationNs: Number(this.guard.stats.validationNs) },
      gater: this.gater.stats,
      dht: { ...this.admission.stats, groups: this.admission.groups() }
    }
  }
}
