/**
 * A vehicle's route: a polyline of WGS84 points with distances along it, projection of
 * a point onto it (how far ahead along the road is the event), and the two ways a driver
 * gives one (a GPX file, or "lat,lon;lat,lon;...").
 */
import { distanceMetres, type Position } from '../../protocols/index.js'
import { ConfigError } from '../errors.js'

const RAD = Math.PI / 180
const R = 6_371_008.8

export interface Projection {
  /** metres from the route start to the closest point */
  along: number
  /** metres from the point to the route */
  lateral: number
  /** bearing of the route there, degrees from north */
  bearing: number
}

/** Local flat coordinates in metres around `o`: good enough within tens of km. */
function toXY (o: Position, p: Position): [number, number] {
  return [(p.lon - o.lon) * RAD * R * Math.cos(o.lat * RAD), (p.lat - o.lat) * RAD * R]
}

export function bearingDeg (a: Position, b: Position): number {
  const [x, y] = toXY(a, b)
  return ((Math.atan2(x, y) / RAD) + 360) % 360
}

export class Route {
  readonly points: Position[]
  /** cumulative metres at each point */
  readonly at: number[]

  constructor (points: Position[]) {
    if (points.length < 2) throw new ConfigError(`route: needs at least 2 points, got ${points.length}`)
    this.points = points
    this.at = [0]
    for (let i = 1; i < points.length; i++) this.at.push(this.at[i - 1] + distanceMetres(points[i - 1], points[i]))
  }

  get length (): number { return this.at[this.at.length - 1] }

  /** The point `along` metres from the start (clamped to the route). */
  pointAt (along: number): Position {
    const d = Math.max(0, Math.min(this.length, along))
    let i = 1
    while (i < this.at.length - 1 && this.at[i] < d) i++
    const a = this.points[i - 1]
    const b = this.points[i]
    const seg = this.at[i] - this.at[i - 1]
    const t = seg === 0 ? 0 : (d - this.at[i - 1]) / seg
    return { lat: a.lat + (b.lat - a.lat) * t, lon: a.lon + (b.lon - a.lon) * t }
  }

  project (p: Position): Projection {
    let best: Projection = { along: 0, lateral: Infinity, bearing: 0 }
    for (let i = 1; i < this.points.length; i++) {
      const a = this.points[i - 1]
      const [bx, by] = toXY(a, this.points[i])
      const [px, py] = toXY(a, p)
      const len2 = bx * bx + by * by
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / len2))
      const lateral = Math.hypot(px - t * bx, py - t * by)
      if (lateral < best.lateral) best = { along: this.at[i - 1] + t * (this.at[i] - this.at[i - 1]), lateral, bearing: bearingDeg(a, this.points[i]) }
    }
    return best
  }
}

/** "lat,lon;lat,lon;..." (also accepts spaces or '|' between points). */
export function parseRoutePoints (text: string, flag = '--route'): Position[] {
  return text.split(/[;|\s]+/).filter((s) => s !== '').map((pair, i) => {
    const parts = pair.split(',').map(Number)
    if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n)) || Math.abs(parts[0]) > 90 || Math.abs(parts[1]) > 180) {
      throw new ConfigError(`${flag}: point ${i + 1} "${pair}" is not "lat,lon"`)
    }
    return { lat: parts[0], lon: parts[1] }
  })
}

/** Track points, else route points, else waypoints of a GPX 1.1 document, in order. */
export function parseGpx (xml: string, file = 'GPX'): Position[] {
  for (const tag of ['trkpt', 'rtept', 'wpt']) {
    const points: Position[] = []
    const re = new RegExp(`<${tag}\\b([^>]*)>`, 'g')
    for (const m of xml.matchAll(re)) {
      const lat = /\blat\s*=\s*["']([^"']+)["']/.exec(m[1])?.[1]
      const lon = /\blon\s*=\s*["']([^"']+)["']/.exec(m[1])?.[1]
      const p = { lat: Number(lat), lon: Number(lon) }
      if (!Number.isFinite(p.lat) || !Number.isFinite(p.lon) || Math.abs(p.lat) > 90 || Math.abs(p.lon) > 180) {
        throw new ConfigError(`${file}: <${tag}> ${points.length + 1} has no valid lat/lon`)
      }
      points.push(p)
    }
    if (points.length > 0) return points
  }
  throw new ConfigError(`${file}: no <trkpt>, <rtept> or <wpt> points`)
}
