/**
 * Small inline-SVG plots for the report: line charts, ECDFs and axes with
 * readable ticks. Output is a string; no external assets, no scripts.
 */

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22']

export function esc (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

/** Compact number for labels: 1234567 -> 1.23M, 0.000123 -> 1.23e-4. */
export function fmtNum (v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v)
  const a = Math.abs(v)
  if (a === 0) return '0'
  if (a >= 1e9) return `${(v / 1e9).toPrecision(digits)}G`
  if (a >= 1e6) return `${(v / 1e6).toPrecision(digits)}M`
  if (a >= 1e4) return `${(v / 1e3).toPrecision(digits)}k`
  if (a >= 1) {
    // keep every integer digit; decimals only up to `digits` significant ones
    const decimals = Math.max(0, digits - String(Math.floor(a)).length)
    return String(Number(v.toFixed(decimals)))
  }
  if (a >= 1e-3) return String(Number(v.toPrecision(digits)))
  return v.toExponential(digits - 1)
}

/** Tick positions at 1, 2 or 5 times a power of ten, about `count` of them. */
export function ticks (min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min]
  const raw = (max - min) / count
  const pow = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map(m => m * pow).find(s => s >= raw) ?? 10 * pow
  const out: number[] = []
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)))
  return out
}

export interface PlotSeries {
  name: string
  points: Array<[number, number | null]>
  /** draw as a step function (ECDF) */
  step?: boolean
}

export interface PlotOptions {
  title: string
  xLabel: string
  yLabel: string
  width?: number
  height?: number
  /** fixed y range, e.g. [0, 1] for ECDFs */
  yRange?: [number, number]
}

const M = { left: 62, right: 16, top: 28, bottom: 42 }

function extent (series: readonly PlotSeries[], axis: 0 | 1): [number, number] {
  let lo = Infinity; let hi = -Infinity
  for (const s of series) {
    for (const p of s.points) {
      const v = p[axis]
      if (v === null || !Number.isFinite(v)) continue
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  if (lo === Infinity) return [0, 1]
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1
    return [lo - pad, hi + pad]
  }
  return [lo, hi]
}

function pathFor (s: PlotSeries, sx: (v: number) => number, sy: (v: number) => number): string {
  let d = ''
  let pen = false
  let prevY: number | undefined
  for (const [x, y] of s.points) {
    if (y === null || !Number.isFinite(y)) { pen = false; continue }
    const X = sx(x).toFixed(1); const Y = sy(y).toFixed(1)
    if (!pen) d += `M${X},${Y}`
    else if (s.step === true && prevY !== undefined) d += `H${X}V${Y}`
    else d += `L${X},${Y}`
    pen = true
    prevY = y
  }
  return d
}

/** A line chart of one or more series with axes, ticks and a legend. */
export function linePlot (series: readonly PlotSeries[], o: PlotOptions): string {
  const W = o.width ?? 560; const H = o.height ?? 260
  const [x0, x1] = extent(series, 0)
  const [ylo, yhi] = o.yRange ?? extent(series, 1)
  const y0 = o.yRange === undefined ? Math.min(0, ylo) : ylo
  const pw = W - M.left - M.right; const ph = H - M.top - M.bottom
  const sx = (v: number): number => M.left + (x1 === x0 ? 0 : (v - x0) / (x1 - x0) * pw)
  const sy = (v: number): number => M.top + ph - (yhi === y0 ? 0 : (v - y0) / (yhi - y0) * ph)
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(o.title)}">`,
    `<text x="${W / 2}" y="16" text-anchor="middle" class="t">${esc(o.title)}</text>`,
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" class="frame"/>`]
  for (const t of ticks(x0, x1)) parts.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${M.top}" y2="${M.top + ph}" class="grid"/><text x="${sx(t).toFixed(1)}" y="${M.top + ph + 14}" text-anchor="middle">${fmtNum(t)}</text>`)
  for (const t of ticks(y0, yhi)) parts.push(`<line x1="${M.left}" x2="${M.left + pw}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/><text x="${M.left - 4}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end">${fmtNum(t)}</text>`)
  parts.push(`<text x="${M.left + pw / 2}" y="${H - 6}" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(12,${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`)
  series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length]
    parts.push(`<path d="${pathFor(s, sx, sy)}" fill="none" stroke="${c}" stroke-width="1.6"/>`)
    if (series.length > 1 || s.name !== '') parts.push(`<rect x="${M.left + 8}" y="${M.top + 6 + i * 14}" width="10" height="3" fill="${c}"/><text x="${M.left + 22}" y="${M.top + 10 + i * 14}">${esc(s.name)}</text>`)
  })
  parts.push('</svg>')
  return parts.join('')
}

/** Empirical CDF of each value set. */
export function ecdfPlot (sets: ReadonlyArray<{ name: string, values: readonly number[] }>, o: Omit<PlotOptions, 'yLabel' | 'yRange'>): string {
  const series: PlotSeries[] = sets.map(s => {
    const v = [...s.values].filter(Number.isFinite).sort((a, b) => a - b)
    const pts: Array<[number, number]> = v.length === 0 ? [] : [[v[0], 0]]
    v.forEach((x, i) => { pts.push([x, (i + 1) / v.length]) })
    return { name: `${s.name} (n=${v.length})`, points: pts, step: true }
  })
  return linePlot(series, { ...o, yLabel: 'fraction ≤ x', yRange: [0, 1] })
}

export const SVG_STYLE = 'svg text{font:11px system-ui,sans-serif;fill:#333}svg .t{font-weight:600;font-size:12px}svg .frame{fill:#fff;stroke:#999}svg .grid{stroke:#eee}'
