/**
 * The receiving side of the hazard topics, shared by roadside relays and vehicles:
 * gossipsub validators that verify every warning (certificate, revocation, signature,
 * scope, freshness) and refuse replays before anything is relayed, and an action
 * tracker that turns the accepted stream into typed events: a warning is reported once
 * per actionId, then on update, termination and expiry.
 */
import { TopicValidatorResult, TypedEventEmitter, type Message, type PeerId, type PubSub } from '@libp2p/interface'
import {
  ActionTracker, actionKey, cellOfTopic, hazardTopic, isHazardTopic, parkingTopic, verifyParking, verifyWarning,
  type ActionClass, type Denm, type FreeParking, type ParsedCertificate, type RejectReason, type RevocationView, type TrustStore
} from '../../protocols/index.js'
import { PRUNE_INTERVAL_MS } from './constants.js'

export interface HazardInboxComponents {
  pubsub: PubSub
  trust: TrustStore
  revocations?: RevocationView
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

export interface HazardInboxInit {
  /** @default 30000 */
  maxClockSkewMs?: number
  /** @default 4096 */
  maxActions?: number
  /** clock in Unix ms @default Date.now */
  now?: () => number
}

export interface WarningEvent {
  key: string
  denm: Denm
  certificate: ParsedCertificate
  /** new, update or terminated */
  kind: Exclude<ActionClass, 'repeat' | 'stale'>
  topic: string
  /** the peer that relayed it to us */
  from: string
  receivedAt: number
}

/** A replay of an older version of an action, or of anything after its termination. */
export type InboxRejectReason = RejectReason | 'replay'

const HONEST_LATE: ReadonlySet<InboxRejectReason> = new Set(['warning-expired', 'replay'])

export interface HazardInboxEvents {
  warning: CustomEvent<WarningEvent>
  'warning:expired': CustomEvent<{ key: string, denm: Denm }>
  'warning:rejected': CustomEvent<{ reason: InboxRejectReason, detail: string, topic: string, from: string }>
  parking: CustomEvent<{ parking: FreeParking, certificate: ParsedCertificate, topic: string }>
}

export interface HazardInboxStats {
  accepted: number
  repeats: number
  rejected: Partial<Record<InboxRejectReason, number>>
  parking: number
}

type Verified = { kind: 'warning', denm: Denm, certificate: ParsedCertificate } | { kind: 'parking', parking: FreeParking, certificate: ParsedCertificate }

export class HazardInbox extends TypedEventEmitter<HazardInboxEvents> {
  readonly stats: HazardInboxStats = { accepted: 0, repeats: 0, rejected: {}, parking: 0 }
  readonly tracker: ActionTracker
  private readonly components: HazardInboxComponents
  private readonly init: HazardInboxInit
  private readonly now: () => number
  private readonly verified = new WeakMap<Message, Verified>()
  private readonly cells = new Set<string>()
  private timer?: ReturnType<typeof setInterval>

  constructor (components: HazardInboxComponents, init: HazardInboxInit = {}) {
    super()
    this.components = components
    this.init = init
    this.now = init.now ?? Date.now
    this.tracker = new ActionTracker({ maxActions: init.maxActions })
  }

  start (): void {
    this.components.pubsub.addEventListener('message', this.onMessage)
    this.timer = setInterval(() => { this.prune() }, PRUNE_INTERVAL_MS)
    this.timer.unref?.()
  }

  stop (): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.components.pubsub.removeEventListener('message', this.onMessage)
    for (const cell of [...this.cells]) this.unwatch(cell)
  }

  /** Validates, then subscribes to, the hazard and parking topics of `cell`. */
  watch (cell: string): void {
    if (this.cells.has(cell)) return
    this.cells.add(cell)
    const { pubsub } = this.components
    for (const topic of [hazardTopic(cell), parkingTopic(cell)]) {
      pubsub.topicValidators.set(topic, this.validate)
      pubsub.subscribe(topic)
    }
  }

  unwatch (cell: string): void {
    if (!this.cells.delete(cell)) return
    const { pubsub } = this.components
    for (const topic of [hazardTopic(cell), parkingTopic(cell)]) {
      if (pubsub.getTopics().includes(topic)) pubsub.unsubscribe(topic)
      pubsub.topicValidators.delete(topic)
    }
  }

  /** Watches exactly `cells`: the moving vehicle's subscription update. */
  watchOnly (cells: Iterable<string>): { added: string[], removed: string[] } {
    const want = new Set(cells)
    const removed = [...this.cells].filter((c) => !want.has(c))
    const added = [...want].filter((c) => !this.cells.has(c))
    removed.forEach((c) => { this.unwatch(c) })
    added.forEach((c) => { this.watch(c) })
    return { added, removed }
  }

  watched (): string[] { return [...this.cells].sort() }

  private reject (reason: InboxRejectReason, detail: string, topic: string, from: string): TopicValidatorResult {
    this.stats.rejected[reason] = (this.stats.rejected[reason] ?? 0) + 1
    this.components.log?.('hazard message rejected', { reason, detail, topic, from })
    this.safeDispatchEvent('warning:rejected', { detail: { reason, detail, topic, from } })
    // an honest relay can hand on a copy that expired in transit or that we already hold in a
    // newer version: drop it without the gossipsub penalty a forgery earns
    return HONEST_LATE.has(reason) ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
  }

  /** Runs inside gossipsub before relaying: nothing invalid is forwarded. */
  private readonly validate = async (from: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    try {
      return await this.check(from, msg)
    } catch (err) {
      // a key library refusing a malformed signature must not escape into gossipsub
      return this.reject('malformed', (err as Error).message, msg.topic, from.toString())
    }
  }

  private async check (from: PeerId, msg: Message): Promise<TopicValidatorResult> {
    const topicCell = cellOfTopic(msg.topic)
    const ctx = { trust: this.components.trust, revocations: this.components.revocations, now: this.now(), maxClockSkewMs: this.init.maxClockSkewMs, topicCell }
    if (!isHazardTopic(msg.topic)) {
      const v = await verifyParking(msg.data, ctx)
      if (!v.valid) return this.reject(v.reason, v.detail, msg.topic, from.toString())
      this.verified.set(msg, { kind: 'parking', parking: v.parking, certificate: v.certificate })
      return TopicValidatorResult.Accept
    }
    const v = await verifyWarning(msg.data, ctx)
    if (!v.valid) return this.reject(v.reason, v.detail, msg.topic, from.toString())
    if (this.tracker.classify(v.denm) === 'stale') return this.reject('replay', `${v.actionKey}: older than the version already seen, or after its termination`, msg.topic, from.toString())
    this.verified.set(msg, { kind: 'warning', denm: v.denm, certificate: v.certificate })
    return TopicValidatorResult.Accept
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    const v = this.verified.get(msg)
    if (v === undefined) return
    if (v.kind === 'parking') {
      this.stats.parking++
      this.safeDispatchEvent('parking', { detail: { parking: v.parking, certificate: v.certificate, topic: msg.topic } })
      return
    }
    const kind = this.tracker.observe(v.denm, this.now())
    if (kind === 'repeat' || kind === 'stale') { this.stats.repeats++; return }
    this.stats.accepted++
    const key = actionKey(v.denm.actionId ?? { originator: new Uint8Array(0), sequenceNumber: 0 })
    const from = msg.type === 'signed' ? msg.from.toString() : ''
    this.safeDispatchEvent('warning', { detail: { key, denm: v.denm, certificate: v.certificate, kind, topic: msg.topic, from, receivedAt: this.now() } })
  }

  private prune (): void {
    for (const a of this.tracker.prune(this.now())) this.safeDispatchEvent('warning:expired', { detail: { key: a.key, denm: a.denm } })
  }
}
