/**
 * The outcome of a crash for the service: did the vehicles keep receiving
 * warnings while a peer was down? Read from the vehicles' sampled metrics
 * (SIM_VEHICLE_METRICS): messages received in the window after the crash,
 * and warnings on display at its end.
 */
import { OUTCOME_WINDOW_MS } from '../constants.js'
import { SIM_VEHICLE_METRICS } from '../types.js'
import type { FaultOutcome, FaultRecord, TimeSeries } from './results.js'

/** The last non-null value of `col` at or before time `t` (0 if none). */
function valueAt (ts: TimeSeries, col: Array<number | null> | undefined, t: number): number {
  if (col === undefined) return 0
  let v = 0
  for (let i = 0; i < ts.t.length && ts.t[i] <= t; i++) v = col[i] ?? v
  return v
}

export function crashOutcome (ts: TimeSeries, fault: FaultRecord, windowMs = OUTCOME_WINDOW_MS): FaultOutcome | undefined {
  const received = ts.vehicles?.[SIM_VEHICLE_METRICS.received]
  const onDisplay = ts.vehicles?.[SIM_VEHICLE_METRICS.onDisplay]
  if (received === undefined) return undefined
  const end = fault.atMs + windowMs
  // the window must have been sampled to the end, or the outcome is unknown
  if (ts.t.length === 0 || ts.t[ts.t.length - 1] < end) return undefined
  const vehicleMessages = valueAt(ts, received, end) - valueAt(ts, received, fault.atMs)
  const warningsOnDisplay = valueAt(ts, onDisplay, end)
  const warningsBefore = valueAt(ts, onDisplay, fault.atMs)
  return { vehicleMessages, warningsBefore, warningsOnDisplay, windowMs, survived: warningsBefore === 0 || (vehicleMessages > 0 && warningsOnDisplay > 0) }
}

/** Adds the outcome to every successful crash of the run. */
export function addOutcomes (ts: TimeSeries, faults: FaultRecord[]): void {
  for (const f of faults) {
    if (f.type !== 'crash' || !f.ok) continue
    const o = crashOutcome(ts, f)
    if (o !== undefined) f.outcome = o
  }
}
