/** Minimal, self-contained SVG charts (no external assets) for the Nimbus experiments. */

export interface Box { p5: number, p25: number, p50: number, p75: number, p95: number }
export interface Series { name: string, color: string, values: number[] }
export interface RefLine { value: number, label: string }

interface Frame { width: number, height: number, left: number, top: number, plotW: number, plotH: number, slot: number }

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f']
export const COLORS = { edge: '#2ca02c', cloud: '#1f77b4', local: '#d62728', unassigned: '#ff9896' }

function esc (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function fmt (v: number): string {
  if (!Number.isFinite(v)) return 'n/a'
  const a = Math.abs(v)
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2)
}

function frame (groups: number, legendRows: number): Frame {
  const slot = Math.max(28, Math.min(64, 640 / Math.max(1, groups)))
  const left = 64
  const top = 36 + legendRows * 16
  const plotW = slot * groups
  const plotH = 260
  return { width: left + plotW + 24, height: top + plotH + 110, left, top, plotW, plotH, slot }
}

function niceMax (v: number): number {
  if (!(v > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

/** axes, y grid, x labels (rotated), title and legend */
function chrome (f: Frame, title: string, yLabel: string, yMax: number, groups: readonly string[], legend: ReadonlyArray<[string, string]>): string[] {
  const out: string[] = []
  out.push(`<text x="${f.width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`)
  legend.forEach(([name, color], i) => {
    const x = f.left + (i % 4) * 150
    const y = 30 + Math.floor(i / 4) * 16
    out.push(`<rect x="${x}" y="${y - 9}" width="10" height="10" fill="${color}"/><text x="${x + 14}" y="${y}" font-size="11">${esc(name)}</text>`)
  })
  for (let k = 0; k <= 5; k++) {
    const v = yMax * k / 5
    const y = f.top + f.plotH - f.plotH * k / 5
    out.push(`<line x1="${f.left}" x2="${f.left + f.plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`)
    out.push(`<text x="${f.left - 6}" y="${y + 4}" text-anchor="end" font-size="10">${fmt(v)}</text>`)
  }
  out.push(`<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.top + f.plotH}" stroke="#000"/>`)
  out.push(`<line x1="${f.left}" x2="${f.left + f.plotW}" y1="${f.top + f.plotH}" y2="${f.top + f.plotH}" stroke="#000"/>`)
  out.push(`<text transform="translate(14 ${f.top + f.plotH / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(yLabel)}</text>`)
  groups.forEach((g, i) => {
    const x = f.left + f.slot * (i + 0.5)
    out.push(`<text transform="translate(${x} ${f.top + f.plotH + 10}) rotate(45)" font-size="10">${esc(g)}</text>`)
  })
  return out
}

function wrap (f: Frame, body: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${body.join('\n')}\n</svg>\n`
}

/** stacked bars, e.g. fraction of MDs served by edge / cloud / local per group */
export function stackedBarChart (title: string, yLabel: string, groups: readonly string[], series: readonly Series[], yMax = 1): string {
  const f = frame(groups.length, Math.ceil(series.length / 4))
  const body = chrome(f, title, yLabel, yMax, groups, series.map((s) => [s.name, s.color]))
  groups.forEach((g, i) => {
    let acc = 0
    const x = f.left + f.slot * i + f.slot * 0.15
    for (const s of series) {
      const v = s.values[i] ?? 0
      const h = f.plotH * v / yMax
      const y = f.top + f.plotH - f.plotH * (acc + v) / yMax
      body.push(`<rect x="${x}" y="${y}" width="${f.slot * 0.7}" height="${Math.max(0, h)}" fill="${s.color}"><title>${esc(`${g} ${s.name}: ${fmt(v)}`)}</title></rect>`)
      acc += v
    }
  })
  return wrap(f, body)
}

/** grouped bars with optional error bars (one value per series per group) */
export function barChart (title: string, yLabel: string, groups: readonly string[], series: readonly Series[], errors?: readonly number[][]): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s, k) => s.values.map((v, i) => v + (errors?.[k]?.[i] ?? 0))).filter(Number.isFinite)))
  const f = frame(groups.length, series.length > 1 ? Math.ceil(series.length / 4) : 0)
  const body = chrome(f, title, yLabel, max, groups, series.length > 1 ? series.map((s) => [s.name, s.color]) : [])
  const w = f.slot * 0.7 / series.length
  groups.forEach((g, i) => {
    series.forEach((s, k) => {
      const v = s.values[i]
      if (!Number.isFinite(v)) return
      const x = f.left + f.slot * i + f.slot * 0.15 + w * k
      const y = f.top + f.plotH - f.plotH * v / max
      body.push(`<rect x="${x}" y="${y}" width="${w}" height="${f.top + f.plotH - y}" fill="${s.color}"><title>${esc(`${g} ${s.name}: ${fmt(v)}`)}</title></rect>`)
      const e = errors?.[k]?.[i]
      if (e !== undefined && e > 0) {
        const cx = x + w / 2
        const y1 = f.top + f.plotH - f.plotH * Math.max(0, v - e) / max
        const y2 = f.top + f.plotH - f.plotH * (v + e) / max
        body.push(`<line x1="${cx}" x2="${cx}" y1="${y1}" y2="${y2}" stroke="#000"/>`)
      }
    })
  })
  return wrap(f, body)
}

/** box plots (whiskers p5..p95, box p25..p75, median line) with optional reference lines */
export function boxPlot (title: string, yLabel: string, groups: readonly string[], boxes: readonly Box[], refs: readonly RefLine[] = []): string {
  const max = niceMax(Math.max(0, ...boxes.map((b) => b.p95).filter(Number.isFinite), ...refs.map((r) => r.value)))
  const f = frame(groups.length, refs.length > 0 ? 1 : 0)
  const body = chrome(f, title, yLabel, max, groups, refs.map((r, i) => [r.label, PALETTE[(i + 3) % PALETTE.length]]))
  const y = (v: number): number => f.top + f.plotH - f.plotH * Math.min(v, max) / max
  refs.forEach((r, i) => {
    body.push(`<line x1="${f.left}" x2="${f.left + f.plotW}" y1="${y(r.value)}" y2="${y(r.value)}" stroke="${PALETTE[(i + 3) % PALETTE.length]}" stroke-dasharray="4 3"/>`)
  })
  groups.forEach((g, i) => {
    const b = boxes[i]
    if (b === undefined || !Number.isFinite(b.p50)) return
    const cx = f.left + f.slot * (i + 0.5)
    const hw = f.slot * 0.3
    body.push(`<g><title>${esc(`${g}: p5 ${fmt(b.p5)} p25 ${fmt(b.p25)} median ${fmt(b.p50)} p75 ${fmt(b.p75)} p95 ${fmt(b.p95)}`)}</title>`)
    body.push(`<line x1="${cx}" x2="${cx}" y1="${y(b.p5)}" y2="${y(b.p95)}" stroke="#333"/>`)
    body.push(`<rect x="${cx - hw}" y="${y(b.p75)}" width="${2 * hw}" height="${Math.max(1, y(b.p25) - y(b.p75))}" fill="${PALETTE[0]}" fill-opacity="0.5" stroke="#333"/>`)
    body.push(`<line x1="${cx - hw}" x2="${cx + hw}" y1="${y(b.p50)}" y2="${y(b.p50)}" stroke="#000" stroke-width="2"/></g>`)
  })
  return wrap(f, body)
}

export { PALETTE }
