/**
 * One validator in front of every gossip topic, whether or not a feature registered its
 * own: size, and in permissioned mode the membership of the sender and the originator
 * and a per-originator rate, before the topic's own validator (decode, signature,
 * certificate, freshness) runs. A feature still sets `pubsub.topicValidators.set(topic, fn)`; the
 * guard wraps whatever is there at lookup time, so start order does not matter.
 */
import { TopicValidatorResult, type Message, type PeerId, type PubSub, type TopicValidatorFn } from '@libp2p/interface'
import type { PeerScoreParams } from '@chainsafe/libp2p-gossipsub/score'
import { SELF_CERTIFIED_TOPIC_PREFIXES } from './constants.js'
import type { Membership } from './membership.js'
import { RateLimiter } from './rate-limit.js'
import { topicScoreParams } from './score.js'

export type GuardReason = 'oversize' | 'unsigned' | 'rate-limited' | 'flood' | 'non-member-sender' | 'non-member-originator' | 'unknown-originator' | 'topic-validator'

export interface GuardSettings {
  permissioned: boolean
  maxMessageBytes: number
  messagesPerSecond: number
  messageBurst: number
  floodRejectAfter: number
}

export interface GuardStats {
  checked: number
  accepted: number
  rejected: Partial<Record<GuardReason, number>>
  ignored: Partial<Record<GuardReason, number>>
  /** total time spent in validation (guard plus topic validator), for the cost per message */
  validationNs: bigint
}

/** gossipsub's score object as far as the guard needs it */
interface Scored { score: { params: PeerScoreParams } }

function isScored (p: unknown): p is Scored {
  return typeof p === 'object' && p !== null && 'score' in p && typeof (p as Scored).score?.params?.topics === 'object'
}

export function isSelfCertifiedTopic (topic: string): boolean {
  return SELF_CERTIFIED_TOPIC_PREFIXES.some((p) => topic === p || (p.endsWith('/') && topic.startsWith(p)))
}

export class TopicGuard {
  readonly stats: GuardStats = { checked: 0, accepted: 0, rejected: {}, ignored: {}, validationNs: 0n }
  settings: GuardSettings
  private readonly membership: Membership
  private limiter: RateLimiter
  private readonly wrapped = new WeakMap<TopicValidatorFn, TopicValidatorFn>()
  private readonly bare: TopicValidatorFn
  private restore?: () => void
  private readonly onVerdict?: (reason: GuardReason, topic: string, from: string) => void

  constructor (membership: Membership, settings: GuardSettings, onVerdict?: (reason: GuardReason, topic: string, from: string) => void) {
    this.membership = membership
    this.settings = settings
    this.onVerdict = onVerdict
    this.limiter = this.newLimiter()
    this.bare = async (from, msg) => await this.check(from, msg)
  }

  private newLimiter (): RateLimiter {
    return new RateLimiter({ ratePerSecond: this.settings.messagesPerSecond, burst: this.settings.messageBurst })
  }

  update (settings: GuardSettings): void {
    this.settings = settings
    this.limiter = this.newLimiter()
  }

  /**
   * Wraps `pubsub.topicValidators.get`. Gossipsub has no global validator hook; its
   * per-topic map is public and consulted on every message, so the lookup is the one
   * place every topic passes.
   */
  install (pubsub: PubSub): void {
    const map = pubsub.topicValidators
    const get = map.get.bind(map)
    const topics = isScored(pubsub) ? pubsub.score.params.topics : undefined
    const guarded = (topic: string): TopicValidatorFn => {
      // permissioned: every topic we validate is scored, so a rejection lowers the sender's
      // score (P4) and a forger is graylisted; open (labs) keeps gossipsub's unscored topics
      if (this.settings.permissioned && topics !== undefined && topics[topic] === undefined) topics[topic] = topicScoreParams()
      const inner = get(topic)
      if (inner === undefined) return this.bare
      let fn = this.wrapped.get(inner)
      if (fn === undefined) {
        fn = async (from, msg) => await this.check(from, msg, inner)
        this.wrapped.set(inner, fn)
      }
      return fn
    }
    Object.defineProperty(map, 'get', { value: guarded, configurable: true, writable: true })
    this.restore = () => { Object.defineProperty(map, 'get', { value: get, configurable: true, writable: true }) }
  }

  uninstall (): void {
    this.restore?.()
    this.restore = undefined
  }

  private verdict (kind: 'rejected' | 'ignored', reason: GuardReason, topic: string, from: PeerId): TopicValidatorResult {
    this.stats[kind][reason] = (this.stats[kind][reason] ?? 0) + 1
    this.onVerdict?.(reason, topic, from.toString())
    return kind === 'rejected' ? TopicValidatorResult.Reject : TopicValidatorResult.Ignore
  }

  private async check (from: PeerId, msg: Message, inner?: TopicValidatorFn): Promise<TopicValidatorResult> {
    const started = process.hrtime.bigint()
    try {
      const r = await this.run(from, msg, inner)
      if (r === TopicValidatorResult.Accept) this.stats.accepted++
      return r
    } finally {
      this.stats.checked++
      this.stats.validationNs += process.hrtime.bigint() - started
    }
  }

  private async run (from: PeerId, msg: Message, inner?: TopicValidatorFn): Promise<TopicValidatorResult> {
    const s = this.settings
    if (msg.data.byteLength > s.maxMessageBytes) return this.verdict('rejected', 'oversize', msg.topic, from)
    // StrictSign rejects these before us; belt and braces for a changed policy
    if (msg.type !== 'signed') return this.verdict('rejected', 'unsigned', msg.topic, from)
    const origin = msg.from.toString()
    if (s.permissioned && !isSelfCertifiedTopic(msg.topic)) {
      const sender = this.membership.standing(from.toString())
      if (sender === 'client' || sender === 'refused') return this.verdict('rejected', 'non-member-sender', msg.topic, from)
      const originator = this.membership.standing(origin)
      if (originator === 'client' || originator === 'refused') return this.verdict('rejected', 'non-member-originator', msg.topic, from)
      // an honest relay may know a member we have not heard of yet: no penalty
      if (originator === 'unknown') return this.verdict('ignored', 'unknown-originator', msg.topic, from)
    }
    const rate = s.permissioned ? this.limiter.take(`${origin}\n${msg.topic}`) : { ok: true as const }
    if (!rate.ok) {
      const flood = origin === from.toString() && rate.over > s.floodRejectAfter
      return this.verdict(flood ? 'rejected' : 'ignored', flood ? 'flood' : 'rate-limited', msg.topic, from)
    }
    if (inner === undefined) return TopicValidatorResult.Accept
    let r: TopicValidatorResult
    try {
      r = await inner(from, msg)
    } catch {
      r = TopicValidatorResult.Reject
    }
    if (r === TopicValidatorResult.Reject) this.verdict('rejected', 'topic-validator', msg.topic, from)
    if (r === TopicValidatorResult.Ignore) this.verdict('ignored', 'topic-validator', msg.topic, from)
    return r
  }
}
