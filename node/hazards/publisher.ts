/**
 * The originating side: signs a DENM with the peer's key and certificate, publishes it
 * on every cell within its relevance distance, and repeats it at its transmission
 * interval until its validity ends or it is terminated. An update keeps the actionId
 * and gets a new referenceTime; a termination is repeated like a warning, so a vehicle
 * that missed one copy still hears it.
 */
import type { PrivateKey, PubSub } from '@libp2p/interface'
import {
  actionKey, certificateCoversCause, certificateCoversPosition, createDenm, disseminationCells, hazardTopic, signWarning,
  validUntil, Termination, type Denm, type ParsedCertificate, type WarningInput
} from '../../protocols/index.js'
import { NotCertifiedError, UnknownActionError } from './errors.js'

export type WarningRequest = Omit<WarningInput, 'originator' | 'sequenceNumber' | 'termination' | 'referenceTime'>

export interface PublisherComponents {
  pubsub: PubSub
  key: PrivateKey
  /** the encoded SignedCertificate and its parsed form */
  certificate: { bytes: Uint8Array, parsed: ParsedCertificate }
  /** the next DENM sequence number (persisted by the caller) */
  nextSequence: () => Promise<number>
  /** every version this peer signs, so its own relay validator knows it (and refuses replays of it) */
  onSigned?: (denm: Denm) => void
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

export interface PublisherInit {
  /** @default 1000 */
  transmissionIntervalMs?: number
  now?: () => number
}

export interface OriginatedAction {
  key: string
  denm: Denm
  cells: string[]
  /** copies published (all cells, all repetitions) */
  sent: number
}

interface Active extends OriginatedAction { bytes: Uint8Array, timer?: ReturnType<typeof setTimeout> }

export interface PublisherStats { warnings: number, updates: number, terminations: number, messages: number, publishErrors: number }

export class WarningPublisher {
  readonly stats: PublisherStats = { warnings: 0, updates: 0, terminations: 0, messages: 0, publishErrors: 0 }
  private readonly c: PublisherComponents
  private readonly intervalMs: number
  private readonly now: () => number
  private readonly actions = new Map<string, Active>()

  constructor (components: PublisherComponents, init: PublisherInit = {}) {
    this.c = components
    this.intervalMs = init.transmissionIntervalMs ?? 1000
    this.now = init.now ?? Date.now
  }

  /** Publishes a new warning; returns its action key (`<peerId>:<sequence>`). */
  async publish (req: WarningRequest): Promise<string> {
    this.checkScope(req.causeCode, req.eventPosition)
    const sequenceNumber = await this.c.nextSequence()
    // one clock reading for both times: createDenm's own default detectionTime, read a
    // millisecond after referenceTime, made the DENM invalid (referenceTime < detectionTime)
    const now = this.now()
    const detectionTime = Math.min(now, req.detectionTime ?? now)
    const denm = createDenm({
      transmissionIntervalMs: this.intervalMs,
      ...req,
      detectionTime,
      originator: this.c.certificate.parsed.subjectPeerIdBytes,
      sequenceNumber,
      referenceTime: now
    })
    this.stats.warnings++
    return await this.start(denm)
  }

  /** Same actionId, new referenceTime: the vehicles replace what they show. */
  async update (key: string, patch: Partial<WarningRequest>): Promise<void> {
    const a = this.get(key)
    const pos = patch.eventPosition ?? a.denm.eventPosition
    if (pos === undefined) throw new UnknownActionError(key)
    this.checkScope(patch.causeCode ?? a.denm.causeCode, pos)
    const prev = a.denm
    const denm: Denm = {
      ...prev,
      referenceTime: BigInt(Math.max(this.now(), Number(prev.referenceTime) + 1)),
      ...(patch.detectionTime === undefined ? {} : { detectionTime: BigInt(Math.round(patch.detectionTime)) }),
      ...(patch.eventPosition === undefined ? {} : { eventPosition: { lat: patch.eventPosition.lat, lon: patch.eventPosition.lon } }),
      ...(patch.causeCode === undefined ? {} : { causeCode: patch.causeCode }),
      ...(patch.subCauseCode === undefined ? {} : { subCauseCode: patch.subCauseCode }),
      ...(patch.informationQuality === undefined ? {} : { informationQuality: patch.informationQuality }),
      ...(patch.validityS === undefined ? {} : { validityDuration: patch.validityS }),
      ...(patch.relevanceDistance === undefined ? {} : { relevanceDistance: patch.relevanceDistance })
    }
    this.stats.updates++
    await this.start(denm)
  }

  /** Cancellation (the originator's event is over) or negation; repeated until validity ends. */
  async terminate (key: string, kind: 'cancellation' | 'negation' = 'cancellation'): Promise<void> {
    const a = this.get(key)
    if (a.denm.termination !== Termination.NONE) return
    const denm: Denm = {
      ...a.denm,
      referenceTime: BigInt(Math.max(this.now(), Number(a.denm.referenceTime) + 1)),
      termination: kind === 'cancellation' ? Termination.IS_CANCELLATION : Termination.IS_NEGATION
    }
    this.stats.terminations++
    await this.start(denm)
  }

  active (): OriginatedAction[] {
    return [...this.actions.values()].map(({ key, denm, cells, sent }) => ({ key, denm, cells, sent }))
  }

  stop (): void {
    for (const a of this.actions.values()) clearTimeout(a.timer)
    this.actions.clear()
  }

  private get (key: string): Active {
    const a = this.actions.get(key)
    if (a === undefined) throw new UnknownActionError(`no active warning ${key}`)
    return a
  }

  private checkScope (cause: number, pos: { lat: number, lon: number }): void {
    const cert = this.c.certificate.parsed
    if (!certificateCoversCause(cert, cause)) throw new NotCertifiedError(`cause ${cause} is not in this peer's certificate (${cert.body.causeCodes.join(', ')})`)
    if (!certificateCoversPosition(cert, pos)) throw new NotCertifiedError(`event position ${pos.lat},${pos.lon} is outside this peer's certificate area`)
  }

  /** Signs, sends the first copy at once, then repeats until the validity ends. */
  private async start (denm: Denm): Promise<string> {
    const key = actionKey(denm.actionId ?? { originator: new Uint8Array(0), sequenceNumber: 0 })
    const old = this.actions.get(key)
    clearTimeout(old?.timer)
    const a: Active = { key, denm, cells: disseminationCells(denm), sent: old?.sent ?? 0, bytes: await signWarning(denm, this.c.key, this.c.certificate.bytes) }
    this.actions.set(key, a)
    this.c.onSigned?.(denm)
    await this.send(a)
    this.schedule(a)
    return key
  }

  private schedule (a: Active): void {
    const until = validUntil(a.denm)
    if (this.now() + a.denm.transmissionInterval >= until) {
      a.timer = setTimeout(() => { if (this.actions.get(a.key) === a) this.actions.delete(a.key) }, Math.max(0, until - this.now()))
      a.timer.unref?.()
      return
    }
    a.timer = setTimeout(() => {
      if (this.actions.get(a.key) !== a) return
      this.send(a).finally(() => { if (this.actions.get(a.key) === a) this.schedule(a) })
    }, a.denm.transmissionInterval)
    a.timer.unref?.()
  }

  private async send (a: Active): Promise<void> {
    await Promise.all(a.cells.map(async (cell) => {
      try {
        await this.c.pubsub.publish(hazardTopic(cell), a.bytes)
        a.sent++
        this.stats.messages++
      } catch (err) {
        this.stats.publishErrors++
        this.c.log?.('hazard publish failed', { cell, error: err })
      }
    }))
  }
}
