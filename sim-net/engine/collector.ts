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
    const vsums = new Map<string, number>()
    for (const v of world.vehicles.values()) {
      if (v.state !== 'running' || v.handle === undefined) continue
      v.lastMetrics = safeMetrics(v.handle)
      for (const [k, x] of Object.entries(v.lastMetrics)) if (Number.isFinite(x)) vsums.set(k, (vsums.get(k) ?? 0) + x)
    }
    fillRow(ts.vehicles ??= {}, vsums, i)
    ts.livePeers.push(live)
    const traffic = emulator.traffic()
    ts.connections.push(traffic.openConnections)
    ts.linkBytes.push(traffic.bytes)
    fillRow(ts.metrics, sums, i)
  }
}

/** Appends row `i` of a table of columns: known names get their value, others null; new names are back-filled with null. */
function fillRow (table: Record<string, Array<number | null>>, values: ReadonlyMap<string, number>, i: number): void {
  for (const [k, v] of values) {
    let arr = table[k]
    if (arr === undefined) { arr = new Array<number | null>(i).fill(null); table[k] = arr }
    arr.push(v)
  }
  for (const arr of Object.values(table)) if (arr.length < i + 1) arr.push(null)
}
