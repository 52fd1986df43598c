/**
 * Spreads the revocation OR-set: deltas on `ecco/v1/revocations` for speed, and the
 * anti-entropy document `cert-revocations` on every new connection, so a peer that was
 * offline or partitioned catches up. Both paths verify every element before merging.
 */
import { TopicValidatorResult, TypedEventEmitter, type Message, type PeerId, type PubSub } from '@libp2p/interface'
import type { AntiEntropy } from '../sync/index.js'
import { checkVersion, decodeMessage } from '../wire/index.js'
import { CERTS_VERSION, MAX_ANNOUNCEMENT_BYTES, REVOCATIONS_DOCUMENT, REVOCATIONS_TOPIC } from './constants.js'
import { RevocationAnnouncement } from './pb/certs.js'
import type { RevocationList } from './revocations.js'

export interface RevocationSyncComponents {
  pubsub: PubSub
  sync: AntiEntropy
}

export interface RevocationSyncInit {
  list: RevocationList
  /** called after every change (persist here) */
  onChange?: () => void
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

export interface RevocationSyncEvents {
  'revocation:added': CustomEvent<{ certificateIds: string[] }>
  'revocation:invalid': CustomEvent<{ from?: string, reason: string }>
}

export interface RevocationSyncStats { announcementsIn: number, announcementsOut: number, invalid: number }

export class RevocationSync extends TypedEventEmitter<RevocationSyncEvents> {
  readonly list: RevocationList
  readonly stats: RevocationSyncStats = { announcementsIn: 0, announcementsOut: 0, invalid: 0 }
  private readonly components: RevocationSyncComponents
  private readonly init: RevocationSyncInit
  private started = false

  constructor (components: RevocationSyncComponents, init: RevocationSyncInit) {
    super()
    this.components = components
    this.init = init
    this.list = init.list
  }

  start (): void {
    const { pubsub, sync } = this.components
    pubsub.topicValidators.set(REVOCATIONS_TOPIC, this.validate)
    pubsub.addEventListener('message', this.onMessage)
    pubsub.subscribe(REVOCATIONS_TOPIC)
    sync.register({
      name: REVOCATIONS_DOCUMENT,
      summary: () => this.list.summary(),
      diff: (s) => this.list.diff(s),
      apply: async (update, from) => { await this.merge(update, from.toString()) }
    })
    this.started = true
  }

  stop (): void {
    if (!this.started) return
    this.started = false
    const { pubsub, sync } = this.components
    pubsub.removeEventListener('message', this.onMessage)
    pubsub.topicValidators.delete(REVOCATIONS_TOPIC)
    if (pubsub.getTopics().includes(REVOCATIONS_TOPIC)) pubsub.unsubscribe(REVOCATIONS_TOPIC)
    sync.unregister(REVOCATIONS_DOCUMENT)
  }

  /** Adds an operator-signed revocation locally and announces it. */
  async revoke (signedRevocation: Uint8Array): Promise<boolean> {
    const before = new Set(this.list.list().map((r) => r.certificateId))
    const delta = await this.list.add(signedRevocation)
    if (delta === undefined) return false
    const ids = this.list.list().map((r) => r.certificateId).filter((id) => !before.has(id))
    this.changed(ids)
    await this.announce(delta)
    return true
  }

  async announce (delta: Uint8Array): Promise<void> {
    const msg = RevocationAnnouncement.encode({ version: CERTS_VERSION, delta, digest: this.list.digest() })
    try {
      await this.components.pubsub.publish(REVOCATIONS_TOPIC, msg)
      this.stats.announcementsOut++
    } catch (err) {
      this.init.log?.('revocation announce failed', { error: err })
    }
  }

  /** Asks a peer for what it has (e.g. right after connecting). */
  async syncWith (peer: PeerId, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.components.sync.syncWith(peer, options)
  }

  private async merge (bytes: Uint8Array, from?: string): Promise<void> {
    const before = new Set(this.list.list().map((r) => r.certificateId))
    const r = await this.list.mergeBytes(bytes)
    if (r.refused > 0) this.invalid(from, `${r.refused} revocation element(s) refused`)
    if (r.added.length > 0) this.changed(this.list.list().map((x) => x.certificateId).filter((id) => !before.has(id)))
  }

  private changed (ids: string[]): void {
    this.init.onChange?.()
    if (ids.length > 0) this.safeDispatchEvent('revocation:added', { detail: { certificateIds: ids } })
  }

  private invalid (from: string | undefined, reason: string): void {
    this.stats.invalid++
    this.init.log?.('invalid revocation message', { from, reason })
    this.safeDispatchEvent('revocation:invalid', { detail: { from, reason } })
  }

  private readonly validate = async (from: PeerId, msg: Message): Promise<TopicValidatorResult> => {
    try {
      const ann = decodeMessage(RevocationAnnouncement, msg.data, 'RevocationAnnouncement', { maxBytes: MAX_ANNOUNCEMENT_BYTES })
      checkVersion('RevocationAnnouncement', ann.version, CERTS_VERSION)
      await this.list.check(ann.delta)
      return TopicValidatorResult.Accept
    } catch (err) {
      this.invalid(from.toString(), (err as Error).message)
      return TopicValidatorResult.Reject
    }
  }

  private readonly onMessage = (evt: CustomEvent<Message>): void => {
    const msg = evt.detail
    if (msg.topic !== REVOCATIONS_TOPIC) return
    this.stats.announcementsIn++
    try {
      const ann = RevocationAnnouncement.decode(msg.data)
      this.merge(ann.delta, msg.type === 'signed' ? msg.from.toString() : undefined).catch((err: Error) => { this.invalid(undefined, err.message) })
    } catch (err) {
      this.invalid(undefined, (err as Error).message)
    }
  }
}
