/**
 * Readers shared by the scenario sections: positions (coordinates or a point
 * along a named road), node selectors, link parameters.
 */
import { fail, join, readList, readNumber, readObject, readString } from './fields.js'
import { pointAlong, polylineLength } from './geometry.js'
import type { Position } from '../../protocols/index.js'
import type { LinkParams } from '../types.js'

export interface Ctx {
  roads: Record<string, Position[]>
  /** node names in scenario order */
  names: string[]
  durationMs: number
  /** folder that relative file paths resolve against */
  baseDir: string
  /** what `{data}` in a path expands to */
  dataRoot: string
}

export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/
export const NAME_TEXT = 'a name of letters, digits, "_", "." or "-"'

function readLatLon (lat: unknown, lon: unknown, latPath: string, lonPath: string): Position {
  return {
    lat: readNumber(lat, latPath, { min: -90, max: 90 }),
    lon: readNumber(lon, lonPath, { min: -180, max: 180 })
  }
}

/** `{ lat, lon }`, `[lat, lon]`, or `{ road, km }` (a point along a declared road). */
export function readPosition (v: unknown, path: string, ctx: Pick<Ctx, 'roads'>): Position {
  if (Array.isArray(v)) {
    if (v.length !== 2) fail(path, `must be [lat, lon], got a list of ${v.length}`)
    return readLatLon(v[0], v[1], join(path, 0), join(path, 1))
  }
  const o = readObject(v, path, ['lat', 'lon', 'road', 'km'])
  if (o.road !== undefined) {
    if (o.lat !== undefined || o.lon !== undefined) fail(path, 'give either lat/lon or road/km, not both')
    const road = readRoadName(o.road, join(path, 'road'), ctx)
    const length = polylineLength(ctx.roads[road])
    const km = readNumber(o.km, join(path, 'km'), { min: 0, max: length / 1000 })
    return pointAlong(ctx.roads[road], km * 1000).position
  }
  return readLatLon(o.lat, o.lon, join(path, 'lat'), join(path, 'lon'))
}

export function readRoadName (v: unknown, path: string, ctx: Pick<Ctx, 'roads'>): string {
  const road = readString(v, path)
  if (ctx.roads[road] === undefined) {
    const known = Object.keys(ctx.roads)
    fail(path, `unknown road "${road}" (declared roads: ${known.length === 0 ? 'none' : known.join(', ')})`)
  }
  return road
}

export function readPath (v: unknown, path: string, ctx: Pick<Ctx, 'roads'>): Position[] {
  return readList(v, path, { min: 2 }).map((p, i) => readPosition(p, join(path, i), ctx))
}

function globToRegExp (glob: string): RegExp {
  const esc = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
  return new RegExp(`^${esc}$`)
}

/** A node name, or a glob with `*` (e.g. `lamp-1*`); must match at least one node. */
export function resolveSelector (v: unknown, path: string, names: readonly string[]): string[] {
  const sel = readString(v, path)
  if (!sel.includes('*')) {
    if (!names.includes(sel)) fail(path, `unknown node "${sel}"`)
    return [sel]
  }
  const re = globToRegExp(sel)
  const hit = names.filter(n => re.test(n))
  if (hit.length === 0) fail(path, `"${sel}" matches no node`)
  return hit
}

/** A selector or a list of selectors, flattened and de-duplicated in scenario order. */
export function resolveGroup (v: unknown, path: string, names: readonly string[]): string[] {
  const items = Array.isArray(v) ? v : [v]
  if (items.length === 0) fail(path, 'must name at least one node')
  const set = new Set<string>()
  items.forEach((s, i) => { for (const n of resolveSelector(s, Array.isArray(v) ? join(path, i) : path, names)) set.add(n) })
  return names.filter(n => set.has(n))
}

export const LINK_FIELDS = ['latencyMs', 'jitterMs', 'bandwidthMbps', 'loss'] as const

/** Link parameters; missing ones come from `base`. */
export function readLinkParams (o: Record<string, unknown>, path: string, base: LinkParams): LinkParams {
  const p = readLinkPatch(o, path)
  return { ...base, ...p }
}

export function readLinkPatch (o: Record<string, unknown>, path: string): Partial<LinkParams> {
  const out: Partial<LinkParams> = {}
  if (o.latencyMs !== undefined) out.latencyMs = readNumber(o.latencyMs, join(path, 'latencyMs'), { min: 0, max: 60_000 })
  if (o.jitterMs !== undefined) out.jitterMs = readNumber(o.jitterMs, join(path, 'jitterMs'), { min: 0, max: 60_000 })
  if (o.bandwidthMbps !== undefined) out.bandwidthMbps = readNumber(o.bandwidthMbps, join(path, 'bandwidthMbps'), { min: 0, exclusiveMin: true, max: 100_000 })
  if (o.loss !== undefined) out.loss = readNumber(o.loss, join(path, 'loss'), { min: 0, max: 0.5 })
  return out
}

/** Expands `{data}` and resolves relative paths against the scenario's folder. */
export function resolveFile (file: string, ctx: Pick<Ctx, 'baseDir' | 'dataRoot'>, resolve: (...p: string[]) => string): string {
  if (file.startsWith('{data}')) return resolve(ctx.dataRoot, '.' + file.slice('{data}'.length))
  return resolve(ctx.baseDir, file)
}
