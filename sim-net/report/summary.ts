/**
 * The few lines the CLI prints after a run with vehicles: when each vehicle
 * first showed a warning, and what each crash did to the warnings.
 */
import { SIM_SERIES, SIM_VEHICLE_METRICS } from '../types.js'
import { fmtNum } from './svg.js'
import type { SimResults } from '../engine/results.js'

const s = (ms: number): string => `${fmtNum(ms / 1000)} s`

export function warningSummary (r: SimResults): string[] {
  if (r.vehicles.length === 0) return []
  const out: string[] = []
  const det = r.series[SIM_SERIES.detectionAfterCondition]?.samples[0]
  if (det !== undefined) out.push(`detection: ${s(det.v)} after the condition started; first hazard out of the pipeline at ${s(det.t)} (finale on ${String(det.f?.finale ?? '?')})`)
  const first = new Map<string, { t: number, after?: number, latency: number }>()
  for (const x of r.series[SIM_SERIES.warningLatency]?.samples ?? []) {
    const name = x.f?.vehicle
    if (typeof name === 'string' && !first.has(name)) first.set(name, { t: x.t, latency: x.v })
  }
  for (const x of r.series[SIM_SERIES.warningAfterCondition]?.samples ?? []) {
    const f = first.get(String(x.f?.vehicle))
    if (f !== undefined && f.after === undefined) f.after = x.v
  }
  for (const v of r.vehicles) {
    const f = first.get(v.name)
    const shown = v.metrics[SIM_VEHICLE_METRICS.shown] ?? 0
    out.push(f === undefined
      ? `${v.name}: NO warning shown`
      : `${v.name}: first warning at ${s(f.t)}, ${f.after === undefined ? '' : `${s(f.after)} after the condition started, `}${s(f.latency)} after detection; ${shown} warnings shown, ${v.metrics[SIM_VEHICLE_METRICS.received] ?? 0} messages received`)
  }
  for (const f of r.faults) {
    if (f.type !== 'crash' || f.outcome === undefined) continue
    const o = f.outcome
    out.push(`crash ${f.target} at ${s(f.atMs)}: ${o.survived ? 'survived' : 'WARNINGS LOST'}: ${o.vehicleMessages} warning messages reached the vehicles in the ${s(o.windowMs)} after, ${o.warningsOnDisplay} warnings on display (${o.warningsBefore} before)`)
  }
  return out
}
