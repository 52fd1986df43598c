/**
 * From pipeline finale outputs to warnings: the hazard-broadcaster EF emits a hazard
 * record for every confident detection, many per event. The source keeps one actionId
 * per (pipeline, cause, place) while records keep coming, updates it when the quality
 * changes or its validity runs low, and cancels it when no record has confirmed it for
 * `clearAfterMs` (the ice has melted, the crash is cleared).
 */
import { encodeGeohash, relevanceDistanceFor, validUntil, Termination, type Position } from '../../protocols/index.js'
import type { HazardRecord } from '../../unikernels/index.js'
import type { WarningPublisher } from './publisher.js'

export interface FinaleContext {
  pipelineId: string
  /** where the event is: the detecting peer's position unless the record says better */
  position: Position
  /** heading of the affected traffic, degrees */
  headingDeg?: number
}

export interface HazardSourceInit {
  /** @default 5000 */
  clearAfterMs?: number
  now?: () => number
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

interface Tracked { actionKey: string, quality: number, timer?: ReturnType<typeof setTimeout> }

export class HazardSource {
  private readonly publisher: WarningPublisher
  private readonly clearAfterMs: number
  private readonly now: () => number
  private readonly log?: (msg: string, fields?: Record<string, unknown>) => void
  private readonly events = new Map<string, Tracked>()
  /** serialises records of one event, so two quick records never create two actions */
  private chain: Promise<unknown> = Promise.resolve()

  constructor (publisher: WarningPublisher, init: HazardSourceInit = {}) {
    this.publisher = publisher
    this.clearAfterMs = init.clearAfterMs ?? 5000
    this.now = init.now ?? Date.now
    this.log = init.log
  }

  /** One finale output. Returns the action key it was published or folded under. */
  async onRecord (record: HazardRecord, ctx: FinaleContext): Promise<string> {
    const next = this.chain.then(async () => await this.handle(record, ctx))
    this.chain = next.catch(() => {})
    return await next
  }

  private async handle (record: HazardRecord, ctx: FinaleContext): Promise<string> {
    const id = `${ctx.pipelineId}|${record.cause}/${record.subCause}|${encodeGeohash(ctx.position, 7)}`
    const known = this.events.get(id)
    const active = known === undefined ? undefined : this.publisher.active().find((a) => a.key === known.actionKey)
    let tracked: Tracked
    if (known !== undefined && active !== undefined && active.denm.termination === Termination.NONE) {
      tracked = known
      const lowValidity = validUntil(active.denm) - this.now() < active.denm.validityDuration * 500
      if (record.informationQuality !== known.quality || lowValidity) {
        await this.publisher.update(known.actionKey, { informationQuality: record.informationQuality, ...(lowValidity ? { detectionTime: this.now() } : {}) })
        known.quality = record.informationQuality
      }
    } else {
      const key = await this.publisher.publish({
        eventPosition: ctx.position,
        causeCode: record.cause,
        subCauseCode: record.subCause,
        informationQuality: record.informationQuality,
        validityS: record.validityS,
        relevanceDistance: relevanceDistanceFor(record.relevanceM),
        detectionTime: Math.min(this.now(), record.detectionTime > 0 ? record.detectionTime : this.now()),
        pipelineId: ctx.pipelineId,
        ...(ctx.headingDeg === undefined ? {} : { eventHeadingDeg: ctx.headingDeg })
      })
      tracked = { actionKey: key, quality: record.informationQuality }
      this.events.set(id, tracked)
      this.log?.('hazard warning started', { action: key, cause: record.cause, subCause: record.subCause, pipeline: ctx.pipelineId })
    }
    clearTimeout(tracked.timer)
    tracked.timer = setTimeout(() => { this.clear(id, tracked) }, this.clearAfterMs)
    tracked.timer.unref?.()
    return tracked.actionKey
  }

  private clear (id: string, tracked: Tracked): void {
    if (this.events.get(id) !== tracked) return
    this.events.delete(id)
    this.chain = this.chain.then(async () => {
      await this.publisher.terminate(tracked.actionKey, 'cancellation')
      this.log?.('hazard warning cancelled', { action: tracked.actionKey })
    }).catch((err: Error) => { this.log?.('hazard cancel failed', { action: tracked.actionKey, error: err }) })
  }

  stop (): void {
    for (const t of this.events.values()) clearTimeout(t.timer)
    this.events.clear()
  }
}
