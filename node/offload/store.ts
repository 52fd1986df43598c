/**
 * The reservation table persisted in its own sublevel of the peer's LevelDB, so an EN restarted
 * after kill -9 still knows what it serves. Writes are chained: LevelDB may reorder concurrent
 * operations, and a put must never land after the delete that followed it.
 */
import { StoredReservation } from '../../protocols/index.js'
import type { Sublevel } from '../store.js'
import type { Reservation } from './reservations.js'

export class ReservationStore {
  private readonly db: Sublevel
  private writes: Promise<void> = Promise.resolve()
  private readonly onError: (err: Error) => void

  constructor (db: Sublevel, onError: (err: Error) => void) {
    this.db = db
    this.onError = onError
  }

  async load (): Promise<Reservation[]> {
    const out: Reservation[] = []
    for await (const [device, bytes] of this.db.iterator()) {
      try {
        const s = StoredReservation.decode(bytes)
        if (s.fit === undefined) continue
        out.push({ device, epsT: s.fit.epsT, epsB: s.fit.epsB, networkMs: s.fit.networkMs, gateway: s.fit.gateway, holder: s.holder, expiresAt: Number(s.expiresAt) })
      } catch (err) {
        this.onError(err instanceof Error ? err : new Error(String(err)))
      }
    }
    return out
  }

  /** Resolves once the change is on disk (a failed write is reported, not thrown). */
  async apply (put: readonly Reservation[], del: readonly string[]): Promise<void> {
    if (put.length === 0 && del.length === 0) return await this.writes
    const ops = [
      ...del.map((key) => ({ type: 'del' as const, key })),
      ...put.map((r) => ({
        type: 'put' as const,
        key: r.device,
        value: StoredReservation.encode({
          fit: { device: r.device, epsT: r.epsT, epsB: r.epsB, networkMs: r.networkMs, gateway: r.gateway, leaseMs: 0 },
          holder: r.holder,
          expiresAt: BigInt(Math.round(r.expiresAt))
        })
      }))
    ]
    this.writes = this.writes.then(async () => { await this.db.batch(ops) }).catch((err: Error) => { this.onError(err) })
    await this.writes
  }

  async flushed (): Promise<void> { await this.writes }
}
