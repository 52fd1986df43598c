/**
 * Polylines for roads and routes: length, the point at a distance along
 * them, and the heading there. Distances are haversine metres from
 * protocols/geo, good enough for roads of a few kilometres.
 */
import { distanceMetres, offsetMetres } from '../../protocols/index.js'
import type { Position } from '../../protocols/index.js'

export function polylineLength (path: readonly Position[]): number {
  let total = 0
  for (let i = 1; i < path.length; i++) total += distanceMetres(path[i - 1], path[i])
  return total
}

export interface PointOnPath {
  position: Position
  /** degrees clockwise from north */
  headingDeg: number
}

/** The point `m` metres along the path (clamped to its ends). */
export function pointAlong (path: readonly Position[], m: number): PointOnPath {
  if (path.length === 1) return { position: path[0], headingDeg: 0 }
  let left = Math.max(0, m)
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1]
    const b = path[i]
    const seg = distanceMetres(a, b)
    if (left <= seg || i === path.length - 1) {
      const f = seg === 0 ? 0 : Math.min(1, left / seg)
      return {
        position: { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f },
        headingDeg: heading(a, b)
      }
    }
    left -= seg
  }
  return { position: path[path.length - 1], headingDeg: 0 }
}

export function heading (a: Position, b: Position): number {
  const rad = Math.PI / 180
  const y = Math.sin((b.lon - a.lon) * rad) * Math.cos(b.lat * rad)
  const x = Math.cos(a.lat * rad) * Math.sin(b.lat * rad) - Math.sin(a.lat * rad) * Math.cos(b.lat * rad) * Math.cos((b.lon - a.lon) * rad)
  return ((Math.atan2(y, x) / rad) + 360) % 360
}

/** The sub-path between two distances along the path. */
export function slicePath (path: readonly Position[], fromM: number, toM: number): Position[] {
  const lo = Math.min(fromM, toM)
  const hi = Math.max(fromM, toM)
  const out: Position[] = [pointAlong(path, lo).position]
  let acc = 0
  for (let i = 1; i < path.length; i++) {
    acc += distanceMetres(path[i - 1], path[i])
    if (acc > lo && acc < hi) out.push(path[i])
  }
  out.push(pointAlong(path, hi).position)
  return fromM <= toM ? out : out.reverse()
}

/** Row-major grid of `rows x cols` points `spacingM` apart, origin at the south-west corner. */
export function gridPoints (origin: Position, rows: number, cols: number, spacingM: number): Position[] {
  const out: Position[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out.push(offsetMetres(origin, r * spacingM, c * spacingM))
  }
  return out
}

/** A uniform random point in a disc, from two uniform draws in [0, 1). */
export function pointInDisc (centre: Position, radiusM: number, u1: number, u2: number): Position {
  const r = radiusM * Math.sqrt(u1)
  const theta = 2 * Math.PI * u2
  return offsetMetres(centre, r * Math.cos(theta), r * Math.sin(theta))
}
