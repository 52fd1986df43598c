/**
 * From pipeline finale outputs to warnings: the hazard-broadcaster EF emits a hazard
 * record for every confident detection, many per event. The source keeps one actionId
 * per (pipeline, cause, place) while records keep coming, updates it when the quality
 * changes or its validity runs low, and cancels it on evidence that the event is over:
 * `clearAfterQuietRuns` finale runs in a row that emitted no record (the detectors read a
 * dry road), or, as a fallback when runs stop arriving, no record for `clearAfterMs`.
 */
import { distanceMetres, encodeGeohash, relevanceDistanceFor, validUntil, Termination, type Position } from '../../protocols/index.js'
import type { HazardRecord } from '../../unikernels/index.js'
import { DEFAULT_CLEAR_AFTER_QUIET_RUNS } from './constants.js'
import type { WarningPublisher } from './publisher.js'

export interface FinaleContext {
  pipelineId: string
  /** where the event is: the detecting peer's position unless the record says better */
  position: Position
  /** heading of the affected traffic, degrees */
  headingDeg?: number
  /** the pipeline run the record came from (orders records against quiet runs) */
  run?: bigint
}

export interface HazardSourceInit {
  /** @default 5000 */
  clearAfterMs?: number
  /**
   * A record of the same pipeline and cause this close to a tracked event confirms it
   * (same actionId): the estimated position moves a little when a detector is declared
   * gone or comes back, which must not start a second warning. @default 500
   */
  mergeWithinM?: number
  /** finale runs in a row without a record that end a pipeline's events @default 3 */
  clearAfterQuietRuns?: number
  now?: () => number
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

interface Tracked { actionKey: string, quality: number, kind: string, position: Position, timer?: ReturnType<typeof setTimeout> }

const DEFAULT_MERGE_WITHIN_M = 500
/** quiet runs remembered per pipeline (runs may arrive out of order after a stall) */
const MAX_QUIET_RUNS_KEPT = 64

/**
 * Per pipeline: the newest run that confirmed an event, quiet runs after it, and the
 * newest quiet run that ended its events (a record of an older run that arrives later,
 * after a stall or out of order, is stale and must not start the warning again).
 */
interface Evidence { lastRecordRun: bigint, quietRuns: Set<bigint>, endedThrough: bigint, endedKeys: Map<string, string> }

/** How the warnings of this source began and ended (the fallback timer should stay rare). */
export interface HazardSourceStats {
  started: number
  /** cancelled on evidence: `clearAfterQuietRuns` finale runs without a record */
  cancelledByQuietRuns: number
  /** cancelled by the `clearAfterMs` fallback: no record and no quiet run evidence in time */
  cancelledByTimeout: number
  /** records of runs older than the quiet runs that already ended their event (ignored) */
  staleRecords: number
}

export class HazardSource {
  private readonly publisher: WarningPublisher
  private readonly clearAfterMs: number
  private readonly mergeWithinM: number
  private readonly clearAfterQuietRuns: number
  private readonly evidence = new Map<string, Evidence>()
  private readonly now: () => number
  private readonly log?: (msg: string, fields?: Record<string, unknown>) => void
  private readonly events = new Map<string, Tracked>()
  readonly stats: HazardSourceStats = { started: 0, cancelledByQuietRuns: 0, cancelledByTimeout: 0, staleRecords: 0 }
  /** serialises records of one event, so two quick records never create two actions */
  private chain: Promise<unknown> = Promise.resolve()

  constructor (publisher: WarningPublisher, init: HazardSourceInit = {}) {
    this.publisher = publisher
    this.clearAfterMs = init.clearAfterMs ?? 5000
    this.mergeWithinM = init.mergeWithinM ?? DEFAULT_MERGE_WITHIN_M
    this.clearAfterQuietRuns = init.clearAfterQuietRuns ?? DEFAULT_CLEAR_AFTER_QUIET_RUNS
    this.now = init.now ?? Date.now
    this.log = init.log
  }

  /** One finale output. Returns the action key it was published or folded under. */
  async onRecord (record: HazardRecord, ctx: FinaleContext): Promise<string> {
    const next = this.chain.then(async () => await this.handle(record, ctx))
    this.chain = next.catch(() => {})
    return await next
  }

  /**
   * A finale run of `pipelineId` on this peer that emitted no record: evidence that its
   * events are over. Runs older than the newest confirming record do not count.
   */
  onQuietRun (pipelineId: string, run: bigint): void {
    this.chain = this.chain.then(() => {
      const ev = this.evidenceOf(pipelineId)
      if (run <= ev.lastRecordRun) return
      ev.quietRuns.add(run)
      if (ev.quietRuns.size > MAX_QUIET_RUNS_KEPT) ev.quietRuns.delete(ev.quietRuns.values().next().value ?? run)
      if (ev.quietRuns.size < this.clearAfterQuietRuns) return
      for (const r of ev.quietRuns) if (r > ev.endedThrough) ev.endedThrough = r
      ev.quietRuns.clear()
      for (const [id, t] of [...this.events]) {
        if (!t.kind.startsWith(`${pipelineId}|`)) continue
        ev.endedKeys.set(t.kind, t.actionKey)
        this.clear(id, t, 'quiet-runs')
      }
    }).catch(() => {})
  }

  private evidenceOf (pipelineId: string): Evidence {
    let ev = this.evidence.get(pipelineId)
    if (ev === undefined) {
      ev = { lastRecordRun: -1n, quietRuns: new Set(), endedThrough: -1n, endedKeys: new Map() }
      this.evidence.set(pipelineId, ev)
    }
    return ev
  }

  private async handle (record: HazardRecord, ctx: FinaleContext): Promise<string> {
    const kind = `${ctx.pipelineId}|${record.cause}/${record.subCause}`
    if (ctx.run !== undefined) {
      const ev = this.evidenceOf(ctx.pipelineId)
      const ended = ev.endedKeys.get(kind)
      if (ctx.run <= ev.endedThrough && ended !== undefined) {
        // read before the dry runs that ended the event: already answered by its cancellation
        this.stats.staleRecords++
        return ended
      }
      if (ctx.run > ev.lastRecordRun) ev.lastRecordRun = ctx.run
      for (const r of ev.quietRuns) if (r <= ctx.run) ev.quietRuns.delete(r)
    }
    const near = this.nearest(kind, ctx.position)
    const id = near?.[0] ?? `${kind}|${encodeGeohash(ctx.position, 7)}`
    const known = near?.[1]
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
      tracked = { actionKey: key, quality: record.informationQuality, kind, position: ctx.position }
      this.events.set(id, tracked)
      this.stats.started++
      this.log?.('hazard warning started', { action: key, cause: record.cause, subCause: record.subCause, pipeline: ctx.pipelineId })
    }
    clearTimeout(tracked.timer)
    tracked.timer = setTimeout(() => { this.clear(id, tracked, 'timeout') }, this.clearAfterMs)
    tracked.timer.unref?.()
    return tracked.actionKey
  }

  /** The tracked event of this kind closest to `p`, if within mergeWithinM. */
  private nearest (kind: string, p: Position): [string, Tracked] | undefined {
    let best: [string, Tracked] | undefined
    let bestM = Infinity
    for (const [id, t] of this.events) {
      if (t.kind !== kind) continue
      const m = distanceMetres(t.position, p)
      if (m <= this.mergeWithinM && m < bestM) { best = [id, t]; bestM = m }
    }
    return best
  }

  private clear (id: string, tracked: Tracked, why: 'quiet-runs' | 'timeout'): void {
    if (this.events.get(id) !== tracked) return
    this.events.delete(id)
    if (why === 'quiet-runs') this.stats.cancelledByQuietRuns++
    else this.stats.cancelledByTimeout++
    clearTimeout(tracked.timer)
    this.chain = this.chain.then(async () => {
      await this.publisher.terminate(tracked.actionKey, 'cancellation')
      this.log?.('hazard warning cancelled', { action: tracked.actionKey, why })
    }).catch((err: Error) => { this.log?.('hazard cancel failed', { action: tracked.actionKey, error: err }) })
  }

  stop (): void {
    for (const t of this.events.values()) clearTimeout(t.timer)
    this.events.clear()
    this.evidence.clear()
  }
}
