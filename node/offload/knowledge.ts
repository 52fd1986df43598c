/**
 * What a solver believes about each EN's load: the summary in the EN's last reservation reply
 * while it is fresh (it is exact at that moment), else the registry's `offloadClients` (at most a
 * heartbeat or two old). Stale beliefs only cost a refused reservation and a retry: the EN decides.
 */
import { servedFromCount, servedFromSummary, type EnLoadSummary, type NimbusMember, type ServedDevice } from '../../protocols/index.js'

export class LoadKnowledge {
  private readonly summaries = new Map<string, { summary: EnLoadSummary, at: number }>()
  private readonly unreachableUntil = new Map<string, number>()
  private readonly freshMs: number
  private readonly now: () => number

  constructor (freshMs: number, now: () => number = Date.now) {
    this.freshMs = freshMs
    this.now = now
  }

  update (en: string, summary: EnLoadSummary): void {
    this.summaries.set(en, { summary, at: this.now() })
    this.unreachableUntil.delete(en)
  }

  /** the served devices to assume on `m` */
  served (m: NimbusMember): ServedDevice[] {
    const s = this.summaries.get(m.peerId)
    if (s !== undefined && this.now() - s.at <= this.freshMs) return servedFromSummary(s.summary)
    return servedFromCount(m.offloadClients)
  }

  /** a failed call keeps the EN out of the solver's candidates for `forMs` (until the registry decides) */
  markUnreachable (en: string, forMs: number): void {
    this.unreachableUntil.set(en, this.now() + forMs)
    this.summaries.delete(en)
  }

  reachable (en: string): boolean {
    const until = this.unreachableUntil.get(en)
    if (until === undefined) return true
    if (until > this.now()) return false
    this.unreachableUntil.delete(en)
    return true
  }

  forget (en: string): void {
    this.summaries.delete(en)
    this.unreachableUntil.delete(en)
  }
}
