/** CSV and SVG outputs of an experiment. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ExperimentResult, RunRow } from './experiments.js'
import { meanMetrics, medianOf, quantile, type RunMetrics } from './metrics.js'
import { barChart, boxPlot, COLORS, PALETTE, stackedBarChart, type Box } from './svg.js'

export interface GroupSummary {
  experiment: string
  mode: string
  group: string
  runs: number
  mean: RunMetrics
  convergenceMedianMs: number
  /** mean wall-clock time of worker-pool runs (NaN when slices ran inline) */
  wallMeanMs: number
  latency: Box
}

const FASTEST_LOCAL_MS = 116

function csvCell (v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : ''
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv (rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return ''
  const cols = Object.keys(rows[0])
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n'
}

function meanMetricsWall (runs: readonly RunRow[]): number {
  const v = runs.map((r) => r.wallMs).filter((x) => !Number.isNaN(x))
  return v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length
}

/** one summary per mode and group, in first-seen order */
export function summarize (result: ExperimentResult): GroupSummary[] {
  const byKey = new Map<string, RunRow[]>()
  for (const r of result.rows) {
    const k = `${r.mode}|${r.group}`
    const list = byKey.get(k) ?? []
    list.push(r)
    byKey.set(k, list)
  }
  return [...byKey.entries()].map(([k, runs]) => {
    const lat = (result.latencies.get(k) ?? []).slice().sort((a, b) => a - b)
    return {
      experiment: result.name,
      mode: runs[0].mode,
      group: runs[0].group,
      runs: runs.length,
      mean: meanMetrics(runs),
      convergenceMedianMs: medianOf(runs.map((r) => r.convergenceMs)),
      wallMeanMs: meanMetricsWall(runs),
      latency: { p5: quantile(lat, 0.05), p25: quantile(lat, 0.25), p50: quantile(lat, 0.5), p75: quantile(lat, 0.75), p95: quantile(lat, 0.95) }
    }
  })
}

function summaryRow (s: GroupSummary): Record<string, unknown> {
  const m = s.mean
  const n = m.mds > 0 ? m.mds : 1
  return {
    experiment: s.experiment,
    mode: s.mode,
    group: s.group,
    runs: s.runs,
    mds: m.mds,
    frac_edge: m.edge / n,
    frac_cloud: m.cloud / n,
    frac_local: m.local / n,
    frac_local_unassigned: m.unassigned / n,
    frac_edge_t1: m.edgeT1 / n,
    frac_edge_t2: m.edgeT2 / n,
    frac_edge_t3: m.edgeT3 / n,
    past_deadline: m.pastDeadline,
    latency_offloaded_mean_ms: m.offloadedLatencyMean,
    latency_p5_ms: s.latency.p5,
    latency_p25_ms: s.latency.p25,
    latency_median_ms: s.latency.p50,
    latency_p75_ms: s.latency.p75,
    latency_p95_ms: s.latency.p95,
    latency_all_mean_ms: m.allLatencyMean,
    energy_saved_frac: m.energySavedFrac,
    energy_saved_frac_mobile_b: m.energySavedFracMobileB,
    energy_saved_offloaded_frac_mobile_b: m.energySavedOffloadedFracMobileB,
    energy_saved_per_frame_mobile_b: m.energySavedPerFrameMobileB,
    energy_saved_mean_mj: m.energySavedMeanMJ,
    convergence_median_ms: s.convergenceMedianMs,
    convergence_mean_ms: m.convergenceMs,
    wall_mean_ms: s.wallMeanMs
  }
}

export function summaryRows (summaries: readonly GroupSummary[]): Array<Record<string, unknown>> {
  return summaries.map(summaryRow)
}

function plots (name: string, mode: string, ss: readonly GroupSummary[]): Record<string, string> {
  const groups = ss.map((s) => s.group)
  const frac = (f: (m: RunMetrics) => number): number[] => ss.map((s) => f(s.mean) / Math.max(1, s.mean.mds))
  const title = (what: string): string => `Nimbus ${name} (${mode} mode): ${what}`
  return {
    served: stackedBarChart(title('MDs served by edge / cloud / local'), 'fraction of MDs', groups, [
      { name: 'edge', color: COLORS.edge, values: frac((m) => m.edge) },
      { name: 'cloud', color: COLORS.cloud, values: frac((m) => m.cloud) },
      { name: 'local', color: COLORS.local, values: frac((m) => m.local - m.unassigned) },
      { name: 'local (left unassigned)', color: COLORS.unassigned, values: frac((m) => m.unassigned) }
    ]),
    latency: boxPlot(title('task latency of offloaded MDs (p5-p95)'), 'latency (ms)', groups, ss.map((s) => s.latency),
      [{ value: FASTEST_LOCAL_MS, label: 'fastest local MD (116 ms)' }]),
    energy: barChart(title('energy saved vs local execution'), 'saved (% of local energy)', groups, [
      { name: 'all MDs', color: PALETTE[2], values: ss.map((s) => 100 * s.mean.energySavedFrac) },
      { name: 'Mobile_B (most power-hungry)', color: PALETTE[1], values: ss.map((s) => 100 * s.mean.energySavedFracMobileB) },
      { name: 'Mobile_B offloaded, per frame, w x L', color: PALETTE[3], values: ss.map((s) => 100 * s.mean.energySavedPerFrameMobileB) }
    ]),
    convergence: barChart(title('solver convergence time (median)'), 'ms', groups, [
      { name: 'convergence', color: PALETTE[0], values: ss.map((s) => s.convergenceMedianMs) }
    ])
  }
}

/** write `<name>.csv` (every run), `<name>-summary.csv` and the SVG plots; returns the files */
export function writeExperiment (outDir: string, result: ExperimentResult): { files: string[], summaries: GroupSummary[] } {
  mkdirSync(outDir, { recursive: true })
  const files: string[] = []
  const put = (file: string, text: string): void => {
    writeFileSync(join(outDir, file), text)
    files.push(join(outDir, file))
  }
  put(`${result.name}.csv`, toCsv(result.rows as unknown as Array<Record<string, unknown>>))
  const summaries = summarize(result)
  put(`${result.name}-summary.csv`, toCsv(summaryRows(summaries)))
  for (const mode of [...new Set(summaries.map((s) => s.mode))]) {
    const ss = summaries.filter((s) => s.mode === mode)
    for (const [kind, svg] of Object.entries(plots(result.name, mode, ss))) put(`${result.name}-${mode}-${kind}.svg`, svg)
  }
  return { files, summaries }
}
