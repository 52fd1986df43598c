/**
 * Geohash cells (base32, Niemeyer 2008) and WGS84 distances. Discovery keys,
 * hazard topics and sim-net maps all speak in cells of this encoding.
 */
import { InvalidPositionError } from './errors.js'

const BASE32 = '0123456789bcdefghjkmnpqrstuvwxyz'
const DECODE = new Map([...BASE32].map((c, i) => [c, i]))

/** Mean Earth radius used by the haversine distance (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8

export interface Position {
  /** degrees, -90..90 */
  lat: number
  /** degrees, -180..180 */
  lon: number
}

export interface CellBounds {
  minLat: number
  maxLat: number
  minLon: number
  maxLon: number
}

export function assertPosition (p: Position, field = 'position'): void {
  if (!Number.isFinite(p.lat) || p.lat < -90 || p.lat > 90) {
    throw new InvalidPositionError(`${field}.lat: must be a number in [-90, 90], got ${String(p.lat)}`)
  }
  if (!Number.isFinite(p.lon) || p.lon < -180 || p.lon > 180) {
    throw new InvalidPositionError(`${field}.lon: must be a number in [-180, 180], got ${String(p.lon)}`)
  }
}

export function encodeGeohash (p: Position, precision: number): string {
  assertPosition(p)
  let latLo = -90; let latHi = 90; let lonLo = -180; let lonHi = 180
  let out = ''
  let bits = 0; let ch = 0; let even = true
  while (out.length < precision) {
    if (even) {
      const mid = (lonLo + lonHi) / 2
      if (p.lon >= mid) { ch = (ch << 1) | 1; lonLo = mid } else { ch <<= 1; lonHi = mid }
    } else {
      const mid = (latLo + latHi) / 2
      if (p.lat >= mid) { ch = (ch << 1) | 1; latLo = mid } else { ch <<= 1; latHi = mid }
    }
    even = !even
    if (++bits === 5) { out += BASE32[ch]; bits = 0; ch = 0 }
  }
  return out
}

export function decodeGeohash (hash: string): CellBounds {
  let latLo = -90; let latHi = 90; let lonLo = -180; let lonHi = 180
  let even = true
  for (const c of hash) {
    const v = DECODE.get(c)
    if (v === undefined) throw new InvalidPositionError(`invalid geohash character "${c}" in "${hash}"`)
    for (let b = 4; b >= 0; b--) {
      const bit = (v >> b) & 1
      if (even) {
        const mid = (lonLo + lonHi) / 2
        if (bit === 1) lonLo = mid; else lonHi = mid
      } else {
        const mid = (latLo + latHi) / 2
        if (bit === 1) latLo = mid; else latHi = mid
      }
      even = !even
    }
  }
  return { minLat: latLo, maxLat: latHi, minLon: lonLo, maxLon: lonHi }
}

export function cellCentre (hash: string): Position {
  const b = decodeGeohash(hash)
  return { lat: (b.minLat + b.maxLat) / 2, lon: (b.minLon + b.maxLon) / 2 }
}

/** The cell and its eight neighbours (fewer at the poles), own cell first. */
export function cellAndNeighbours (hash: string): string[] {
  const b = decodeGeohash(hash)
  const dLat = b.maxLat - b.minLat
  const dLon = b.maxLon - b.minLon
  const c = cellCentre(hash)
  const out = [hash]
  for (const dy of [-1, 0, 1]) {
    for (const dx of [-1, 0, 1]) {
      if (dx === 0 && dy === 0) continue
      const lat = c.lat + dy * dLat
      if (lat > 90 || lat < -90) continue
      let lon = c.lon + dx * dLon
      if (lon > 180) lon -= 360
      if (lon < -180) lon += 360
      const h = encodeGeohash({ lat, lon }, hash.length)
      if (!out.includes(h)) out.push(h)
    }
  }
  return out
}

/** Great-circle distance in metres (haversine). */
export function distanceMetres (a: Position, b: Position): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLon = (b.lon - a.lon) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** Shortest distance from a point to a cell's rectangle (0 inside it). */
export function distanceToCell (p: Position, hash: string): number {
  const b = decodeGeohash(hash)
  const lat = Math.min(Math.max(p.lat, b.minLat), b.maxLat)
  const lon = Math.min(Math.max(p.lon, b.minLon), b.maxLon)
  return distanceMetres(p, { lat, lon })
}

/**
 * Every cell of the given precision whose rectangle lies within `radiusM` of
 * `p`. Walks outward ring by ring from the centre cell, so the cost is the
 * number of cells covered, not a scan of a bounding box at fine precision.
 */
export function cellsWithin (p: Position, radiusM: number, precision: number): string[] {
  const start = encodeGeohash(p, precision)
  const seen = new Set([start])
  const out = [start]
  let frontier = [start]
  while (frontier.length > 0) {
    const next: string[] = []
    for (const cell of frontier) {
      for (const n of cellAndNeighbours(cell)) {
        if (seen.has(n)) continue
        seen.add(n)
        if (distanceToCell(p, n) <= radiusM) { out.push(n); next.push(n) }
      }
    }
    frontier = next
  }
  return out
}

/** Moves `p` by metres north and east (small-distance approximation). */
export function offsetMetres (p: Position, northM: number, eastM: number): Position {
  const rad = Math.PI / 180
  const lat = p.lat + (northM / EARTH_RADIUS_M) / rad
  const lon = p.lon + (eastM / (EARTH_RADIUS_M * Math.cos(p.lat * rad))) / rad
  return { lat, lon }
}
