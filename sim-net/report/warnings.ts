/**
 * The report's hazard-warning section: how fast warnings reached each vehicle
 * (ECDFs from detection and from the condition's start), what each vehicle
 * saw, how the pipelines performed, and whether vehicles kept receiving
 * warnings through each crash. Empty when the run had no vehicles.
 */
import { SIM_SERIES, SIM_VEHICLE_METRICS } from '../types.js'
import { ecdfPlot, esc, fmtNum, linePlot } from './svg.js'
import type { SimResults, Summary } from '../engine/results.js'

function ms (v: number | undefined): string {
  return v === undefined ? '–' : v >= 10_000 ? `${fmtNum(v / 1000)} s` : `${fmtNum(v)} ms`
}

function values (r: SimResults, series: string): number[] {
  return r.series[series]?.samples.map(s => s.v) ?? []
}

function summary (r: SimResults, series: string): Summary | undefined {
  const s = r.series[series]?.summary
  return s === undefined || s.count === 0 ? undefined : s
}

/** First sample of `series` per vehicle (by the `vehicle` field). */
function firstByVehicle (r: SimResults, series: string): Map<string, { t: number, v: number }> {
  const out = new Map<string, { t: number, v: number }>()
  for (const s of r.series[series]?.samples ?? []) {
    const name = s.f?.vehicle
    if (typeof name === 'string' && !out.has(name)) out.set(name, { t: s.t, v: s.v })
  }
  return out
}

function vehicleTable (r: SimResults): string {
  const first = firstByVehicle(r, SIM_SERIES.warningAfterCondition)
  const firstLatency = firstByVehicle(r, SIM_SERIES.warningLatency)
  const rows = r.vehicles.map(v => {
    const f = first.get(v.name)
    const rejected = Object.entries(v.metrics).filter(([k]) => k.startsWith('hazard_messages_rejected_')).reduce((a, [, x]) => a + x, 0)
    return `<tr><td class="l">${esc(v.name)}</td><td>${ms(v.startAtMs)}</td><td>${f === undefined ? '<span class="bad">none</span>' : ms(f.t)}</td><td>${ms(f?.v)}</td><td>${ms(firstLatency.get(v.name)?.v)}</td>` +
      `<td>${fmtNum(v.metrics[SIM_VEHICLE_METRICS.shown] ?? 0)}</td><td>${fmtNum(v.metrics[SIM_VEHICLE_METRICS.received] ?? 0)}</td><td>${fmtNum(rejected)}</td><td>${fmtNum(v.metrics[SIM_VEHICLE_METRICS.onDisplay] ?? 0)}</td></tr>`
  })
  return `<table><thead><tr><th class="l">vehicle</th><th>started</th><th>first warning at</th><th>after condition start</th><th>after detection</th><th>warnings shown</th><th>messages received</th><th>rejected</th><th>on display at end</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function crashTable (r: SimResults): string {
  const rows = r.faults.filter(f => f.type === 'crash').map(f => {
    const o = f.outcome
    const verdict = o === undefined ? '<span class="muted">not measured</span>' : o.survived ? '<span class="ok">warnings kept arriving</span>' : '<span class="bad">warnings lost</span>'
    return `<tr><td>${ms(f.atMs)}</td><td class="l">${esc(f.target)}</td><td>${o === undefined ? '–' : fmtNum(o.warningsBefore)}</td><td>${o === undefined ? '–' : fmtNum(o.vehicleMessages)}</td><td>${o === undefined ? '–' : fmtNum(o.warningsOnDisplay)}</td><td class="l">${verdict}</td></tr>`
  })
  if (rows.length === 0) return ''
  const w = r.faults.find(f => f.outcome !== undefined)?.outcome?.windowMs ?? 10_000
  return `<h3>Crashes and the warnings</h3><table><thead><tr><th>at</th><th class="l">node</th><th>on display before</th><th>messages in the ${ms(w)} after</th><th>on display after</th><th class="l">outcome</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function cards (r: SimResults): string {
  const card = (label: string, value: string): string => `<div class="card"><span class="muted">${esc(label)}</span><b>${value}</b></div>`
  const warned = new Set(firstByVehicle(r, SIM_SERIES.warningLatency).keys()).size
  const lat = summary(r, SIM_SERIES.warningLatency)
  const after = summary(r, SIM_SERIES.warningAfterCondition)
  const det = summary(r, SIM_SERIES.detectionAfterCondition)
  const run = summary(r, SIM_SERIES.pipelineRun)
  return `<div class="cards">${card('vehicles warned', `${warned}/${r.vehicles.length}`)}${card('detection after condition', ms(det?.min))}${card('warning after detection p50', ms(lat?.p50))}${card('warning after detection p95', ms(lat?.p95))}${card('first warning after condition', ms(after?.min))}${card('pipeline run p50', ms(run?.p50))}</div>`
}

function vehiclePlot (r: SimResults): string {
  const ts = r.timeSeries
  const rec = ts.vehicles?.[SIM_VEHICLE_METRICS.received]
  const disp = ts.vehicles?.[SIM_VEHICLE_METRICS.onDisplay]
  if (rec === undefined) return ''
  const x = ts.t.map(t => t / 1000)
  const rate: Array<[number, number | null]> = x.map((t, i) => {
    const a = rec[i]; const b = i === 0 ? null : rec[i - 1]
    return [t, a === null || b === null || b === undefined ? null : (a - b) / Math.max(1e-9, (ts.t[i] - ts.t[i - 1]) / 1000)]
  })
  return linePlot([{ name: 'messages/s received', points: rate }, { name: 'warnings on display', points: x.map((t, i) => [t, disp?.[i] ?? null]) }], { title: 'Warnings at the vehicles (all vehicles)', xLabel: 'simulated time (s)', yLabel: 'count' })
}

/** The warnings section, or '' when the run had no vehicles. */
export function warningsSection (r: SimResults): string {
  if (r.vehicles.length === 0) return ''
  const sets = [
    { name: 'detection → display', values: values(r, SIM_SERIES.warningLatency) },
    { name: 'condition start → display', values: values(r, SIM_SERIES.warningAfterCondition) }
  ].filter(s => s.values.length > 0)
  const plots = [
    sets.length === 0 ? '<p class="bad">No vehicle showed a warning in this run.</p>' : ecdfPlot(sets, { title: 'Warning latency at the vehicles (ECDF, every shown warning)', xLabel: 'ms' }),
    vehiclePlot(r)
  ]
  const runs = values(r, SIM_SERIES.pipelineRun)
  if (runs.length > 0) plots.push(ecdfPlot([{ name: 'pipeline run', values: runs }, { name: 'placement after submission', values: values(r, SIM_SERIES.pipelinePlaced) }], { title: 'Pipelines: run completion and placement (ECDF)', xLabel: 'ms' }))
  return `<h2>Hazard warnings at the vehicles</h2>
<p class="muted">Latency is measured at each vehicle when it shows a warning: from the warning's detection time (set by the detecting peer), and from the start of the scenario condition it is about. Every broadcaster originates its own warning (its own actionId), so a vehicle may show several for one hazard.</p>
${cards(r)}
${vehicleTable(r)}
${crashTable(r)}
<div class="grid">${plots.join('')}</div>`
}
