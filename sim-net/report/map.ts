/**
 * The scenario map: roads, nodes coloured by tier (crashed ones crossed),
 * vehicle routes and sampled tracks, and the sensor conditions (hazards) as
 * circles of their radius. Equirectangular projection around the centre,
 * which is exact enough for a few kilometres.
 */
import { SIM_SERIES } from '../types.js'
import { esc, fmtNum } from './svg.js'
import type { Position } from '../../protocols/index.js'
import type { SimResults } from '../engine/results.js'

const TIER_COLOUR: Record<number, string> = { 1: '#2ca02c', 2: '#1f77b4', 3: '#9467bd' }

interface Projection { x: (p: Position) => number, y: (p: Position) => number, metresPerPx: number }

function project (points: readonly Position[], w: number, h: number, pad: number): Projection {
  const lats = points.map(p => p.lat); const lons = points.map(p => p.lon)
  const minLat = Math.min(...lats); const maxLat = Math.max(...lats)
  const minLon = Math.min(...lons); const maxLon = Math.max(...lons)
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180)
  const spanX = Math.max((maxLon - minLon) * k, 1e-6)
  const spanY = Math.max(maxLat - minLat, 1e-6)
  const scale = Math.min((w - 2 * pad) / spanX, (h - 2 * pad) / spanY)
  const offX = (w - spanX * scale) / 2; const offY = (h - spanY * scale) / 2
  return {
    x: p => offX + (p.lon - minLon) * k * scale,
    y: p => h - offY - (p.lat - minLat) * scale,
    metresPerPx: 111_320 / scale
  }
}

function polyline (pts: readonly Position[], pr: Projection): string {
  return pts.map(p => `${pr.x(p).toFixed(1)},${pr.y(p).toFixed(1)}`).join(' ')
}

/** A scale bar of a round number of metres. */
function scaleBar (pr: Projection, h: number): string {
  const target = pr.metresPerPx * 120
  const pow = 10 ** Math.floor(Math.log10(target))
  const m = [1, 2, 5].map(x => x * pow).reverse().find(x => x <= target) ?? pow
  const px = m / pr.metresPerPx
  return `<line x1="12" x2="${(12 + px).toFixed(1)}" y1="${h - 12}" y2="${h - 12}" stroke="#333" stroke-width="2"/><text x="12" y="${h - 16}">${m >= 1000 ? `${fmtNum(m / 1000)} km` : `${fmtNum(m)} m`}</text>`
}

/** Simulated time at which a vehicle first showed a warning (SIM_SERIES.warningLatency samples). */
function firstWarning (r: SimResults, vehicle: string): number | undefined {
  return r.series[SIM_SERIES.warningLatency]?.samples.find(s => s.f?.vehicle === vehicle)?.t
}

export function mapSvg (r: SimResults, w = 760, h = 420): string {
  const pts: Position[] = [...r.nodes.map(n => n.position), ...Object.values(r.roads).flat(), ...r.vehicles.flatMap(v => v.route), ...r.conditions.map(c => c.position)]
  if (pts.length === 0) return '<p>No positions to draw.</p>'
  const pr = project(pts, w, h, 24)
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="map of nodes, vehicles and hazards"><rect width="${w}" height="${h}" fill="#fafaf7" stroke="#ccc"/>`]
  for (const [name, path] of Object.entries(r.roads)) {
    out.push(`<polyline points="${polyline(path, pr)}" fill="none" stroke="#bbb" stroke-width="6" stroke-linecap="round"><title>road ${esc(name)}</title></polyline>`)
  }
  for (const c of r.conditions) {
    const rad = Math.max(4, c.radiusM / pr.metresPerPx)
    out.push(`<circle cx="${pr.x(c.position).toFixed(1)}" cy="${pr.y(c.position).toFixed(1)}" r="${rad.toFixed(1)}" fill="#d62728" fill-opacity="0.18" stroke="#d62728" stroke-dasharray="3 2"><title>${esc(c.condition)} (${esc(c.id)}) r=${fmtNum(c.radiusM)} m, from ${fmtNum(c.startMs / 1000)} s${c.endMs === undefined ? '' : ` to ${fmtNum(c.endMs / 1000)} s`}</title></circle>`)
  }
  for (const v of r.vehicles) {
    out.push(`<polyline points="${polyline(v.route, pr)}" fill="none" stroke="#ff7f0e" stroke-width="1" stroke-dasharray="4 3"/>`)
    const last = v.track[v.track.length - 1]
    if (last !== undefined) {
      out.push(`<polyline points="${polyline(v.track.map(t => t.position), pr)}" fill="none" stroke="#ff7f0e" stroke-width="2"/>`)
      const x = pr.x(last.position); const y = pr.y(last.position)
      out.push(`<path d="M${x.toFixed(1)},${(y - 6).toFixed(1)}l5,10h-10z" fill="#ff7f0e"><title>vehicle ${esc(v.name)} at ${fmtNum(last.t / 1000)} s</title></path>`)
    }
    const warned = firstWarning(r, v.name)
    const at = warned === undefined ? undefined : v.track.find(t => t.t >= warned) ?? last
    if (warned !== undefined && at !== undefined) {
      out.push(`<circle cx="${pr.x(at.position).toFixed(1)}" cy="${pr.y(at.position).toFixed(1)}" r="6" fill="none" stroke="#d62728" stroke-width="2"><title>${esc(v.name)} shows its first warning at ${fmtNum(warned / 1000)} s</title></circle>`)
    }
  }
  for (const n of r.nodes) {
    const x = pr.x(n.position).toFixed(1); const y = pr.y(n.position).toFixed(1)
    const down = n.state === 'crashed' || n.state === 'failed'
    out.push(`<circle cx="${x}" cy="${y}" r="4" fill="${down ? '#fff' : TIER_COLOUR[n.tier]}" stroke="${TIER_COLOUR[n.tier]}" stroke-width="1.5"><title>${esc(n.name)} tier ${n.tier} ${n.state} (crashes ${n.crashes}, restarts ${n.restarts})</title></circle>`)
    if (down) out.push(`<path d="M${Number(x) - 4},${Number(y) - 4}l8,8m0,-8l-8,8" stroke="#d62728" stroke-width="1.5"/>`)
  }
  out.push(scaleBar(pr, h))
  const legend = [['#2ca02c', 'tier 1 (roadside)'], ['#1f77b4', 'tier 2 (edge site)'], ['#9467bd', 'tier 3 (cloud)'], ['#ff7f0e', 'vehicle / route'], ['#d62728', 'hazard condition / crashed'], ['#d62728', 'ring: vehicle first warned']]
  legend.forEach(([c, t], i) => { out.push(`<rect x="${w - 170}" y="${10 + i * 15}" width="10" height="10" fill="${c}"/><text x="${w - 155}" y="${19 + i * 15}">${esc(t)}</text>`) })
  out.push('</svg>')
  return out.join('')
}
