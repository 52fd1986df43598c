/**
 * An EN's reservation table: the one authority on what it serves. Every reservation is checked
 * with the solver's own `fits` (capacity, eps_t and eps_b of the newcomer, deadlines of every
 * device already served) synchronously against the current table, so two solvers racing for the
 * same EN can never overbook it: the second one is refused and retries elsewhere.
 */
import {
  fits, OffloadRefusal,
  type EdgeNodeInfo, type EnLoadSummary, type FitRefusal, type FitRequest, type ReserveVerdict, type ServedDevice
} from '../../protocols/index.js'

export interface Reservation {
  device: string
  epsT: number
  epsB: number
  networkMs: number
  /** the gateway that may release it */
  gateway: string
  /** the solver that reserved it */
  holder: string
  /** ms since epoch */
  expiresAt: number
}

export interface ReservationTableInit {
  /** reservation lease when the request asks for none (ms) */
  leaseMs: number
  /** longest lease granted (ms) */
  maxLeaseMs: number
  /** w over Wi-Fi (mJ/ms). @default 1.21 */
  energyPerMs?: number
  /** @default Date.now */
  now?: () => number
}

export interface ReserveOutcome {
  verdicts: ReserveVerdict[]
  summary: EnLoadSummary
  /** reservations added or refreshed (to persist) */
  added: Reservation[]
}

const REFUSAL: Record<FitRefusal, OffloadRefusal> = {
  deadline: OffloadRefusal.DEADLINE,
  energy: OffloadRefusal.ENERGY,
  capacity: OffloadRefusal.CAPACITY,
  'served-deadline': OffloadRefusal.SERVED_DEADLINE
}

export class ReservationTable {
  readonly en: EdgeNodeInfo
  private readonly byDevice = new Map<string, Reservation>()
  private readonly init: ReservationTableInit
  private readonly now: () => number

  /** `en` carries this peer's tier profile (TET, queue curve, maxload as capacity) */
  constructor (en: EdgeNodeInfo, init: ReservationTableInit) {
    this.en = en
    this.init = init
    this.now = init.now ?? Date.now
  }

  get size (): number { return this.byDevice.size }

  get (device: string): Reservation | undefined { return this.byDevice.get(device) }

  list (): Reservation[] { return [...this.byDevice.values()] }

  served (except?: string): ServedDevice[] {
    const out: ServedDevice[] = []
    for (const r of this.byDevice.values()) if (r.device !== except) out.push({ device: r.device, epsT: r.epsT, networkMs: r.networkMs })
    return out
  }

  /** Le of every served device at the current load. */
  inferenceMs (): number {
    const n = this.byDevice.size
    return n === 0 ? 0 : this.en.tetMs + Math.max(0, this.en.queue.slopeMs * n + this.en.queue.interceptMs)
  }

  /** Confirm or refuse each candidate in order, against the table as it stands. */
  reserve (holder: string, candidates: readonly FitRequest[]): ReserveOutcome {
    this.expire()
    const verdicts: ReserveVerdict[] = []
    const added: Reservation[] = []
    for (const c of candidates) {
      const previous = this.byDevice.get(c.device)
      // a re-offload of a device replaces its old reservation, so the device is never counted twice
      if (previous !== undefined) this.byDevice.delete(c.device)
      const fit = fits(this.en, { device: c.device, epsT: c.epsT, epsB: c.epsB, networkMs: c.networkMs }, this.served(), { energyPerMs: this.init.energyPerMs })
      if (!fit.ok) {
        if (previous !== undefined) this.byDevice.set(c.device, previous)
        verdicts.push({ device: c.device, ok: false, reason: REFUSAL[fit.reason], message: fit.message, inferenceMs: 0 })
        continue
      }
      const lease = Math.min(c.leaseMs > 0 ? c.leaseMs : this.init.leaseMs, this.init.maxLeaseMs)
      const r: Reservation = { device: c.device, epsT: c.epsT, epsB: c.epsB, networkMs: c.networkMs, gateway: c.gateway, holder, expiresAt: this.now() + lease }
      this.byDevice.set(c.device, r)
      added.push(r)
      verdicts.push({ device: c.device, ok: true, reason: OffloadRefusal.NONE, message: '', inferenceMs: fit.inferenceMs })
    }
    return { verdicts, summary: this.summary(), added }
  }

  /** Release `device` if `by` is the gateway it was reserved for, the solver that reserved it, or this EN. */
  release (device: string, by: string, self: string): boolean {
    const r = this.byDevice.get(device)
    if (r === undefined || (by !== r.gateway && by !== r.holder && by !== self)) return false
    this.byDevice.delete(device)
    return true
  }

  /** Drop expired reservations; returns them (to delete from the store). */
  expire (): Reservation[] {
    const now = this.now()
    const gone: Reservation[] = []
    for (const r of this.byDevice.values()) if (r.expiresAt <= now) gone.push(r)
    for (const r of gone) this.byDevice.delete(r.device)
    return gone
  }

  /** Restore persisted reservations (no check: they were checked when made). */
  restore (rs: readonly Reservation[]): void {
    for (const r of rs) this.byDevice.set(r.device, r)
    this.expire()
  }

  summary (): EnLoadSummary {
    let maxNetworkMs = Number.NEGATIVE_INFINITY
    let maxNetworkEpsT = Number.POSITIVE_INFINITY
    let minSlackMs = Number.POSITIVE_INFINITY
    for (const r of this.byDevice.values()) {
      if (r.networkMs > maxNetworkMs) { maxNetworkMs = r.networkMs; maxNetworkEpsT = r.epsT }
      minSlackMs = Math.min(minSlackMs, r.epsT - r.networkMs)
    }
    return { count: this.byDevice.size, maxNetworkMs, maxNetworkEpsT, minSlackMs }
  }
}
