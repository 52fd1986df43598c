/**
 * What the engine measures while a scenario runs: periodic samples of every
 * live peer's metrics (summed), measurements reported by peers and vehicles
 * through `record`, the event log and the faults with their outcome.
 */
import { safeMetrics } from './world.js'
import type { FaultRecord, SeriesSample, TimeSeries } from './results.js'
import type { World } from './world.js'
import type { LinkEmulator } from '../link/emulator.js'

/** Samples kept per recorded series; beyond it, the summary still counts all values. */
const MAX_SAMPLES_PER_SERIES = 20_000

export class Collector {
  readonly timeSeries: TimeSeries = { t: [], livePeers: [], connections: [], linkBytes: [], metrics: {} }
  readonly series = new Map<string, { values: number[], samples: SeriesSample[] }>()
  readonly faults: FaultRecord[] = []
  readonly log: Array<{ atMs: number, text: string }> = []
  private readonly onLog: (atMs: number, text: string) => void

  constructor (onLog: (atMs: number, text: string) => void) {
    this.onLog = onLog
  }

  record (t: number, name: string, value: number, fields?: Record<string, string | number>): void {
    if (!Number.isFinite(value)) return
    let s = this.series.get(name)
    if (s === undefined) { s = { values: [], samples: [] }; this.series.set(name, s) }
    s.values.push(value)
    if (s.samples.length < MAX_SAMPLES_PER_SERIES) s.samples.push(fields === undefined ? { t, v: value } : { t, v: value, f: fields })
  }

  event (atMs: number, text: string): void {
    this.log.push({ atMs, text })
    this.onLog(atMs, text)
  }

  fault (f: FaultRecord): void {
    this.faults.push(f)
  }

  /** One sample of every live peer's metrics, summed per metric name. */
  sample (t: number, world: World, emulator: LinkEmulator): void {
    const ts = this.timeSeries
    const i = ts.t.length
    ts.t.push(t)
    const sums = new Map<string, number>()
    let live = 0
    for (const slot of world.peers.values()) {
      if (slot.state !== 'live' || slot.handle === undefined) continue
      live++
      const m = safeMetrics(slot.handle)
      slot.lastMetrics = m
      for (const [k, v] of Object.entries(m)) if (Number.isFinite(v)) sums.set(k, (sums.get(k) ?? 0) + v)
    }
    for (const v of world.vehicles.values()) if (v.state === 'running' && v.handle !== undefined) v.lastMetrics = safeMetrics(v.handle)
    ts.livePeers.push(live)
    const stats = emulator.stats()
    ts.connections.push(stats.openConnections)
    ts.linkBytes.push(Object.values(stats.classes).reduce((a, c) => a + c.bytes, 0))
    for (const [k, v] of sums) {
      let arr = ts.metrics[k]
      if (arr === undefined) { arr = new Array<number | null>(i).fill(null); ts.metrics[k] = arr }
      arr.push(v)
    }
    for (const arr of Object.values(ts.metrics)) if (arr.length < i + 1) arr.push(null)
  }
}
