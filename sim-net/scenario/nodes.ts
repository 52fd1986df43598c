/**
 * `nodes:` entries. Each entry is a group placed one of four ways: a single
 * `position`, `count` nodes along a `road` at a spacing, on a `grid`, or
 * scattered in an `area` (seeded). Groups of more than one node are named
 * `<name>-<n>` with n zero-padded, so `lamp-07` sorts before `lamp-10`.
 */
import { DEFAULT_CAPACITY } from '../constants.js'
import { NAME_RE, NAME_TEXT, readPosition, readRoadName } from './common.js'
import { fail, join, optDuration, optNumber, readEnum, readList, readNumber, readObject, readString, readStringList } from './fields.js'
import { gridPoints, pointAlong, pointInDisc, polylineLength } from './geometry.js'
import type { Ctx } from './common.js'
import type { ScenarioNode } from './schema.js'
import type { Position } from '../../protocols/index.js'
import type { Rng } from '../prng.js'
import type { SimCapacity, Tier } from '../types.js'

const NODE_FIELDS = ['name', 'count', 'tier', 'sensors', 'radios', 'capacity', 'startAt', 'position', 'road', 'grid', 'area'] as const
const PLACEMENTS = ['position', 'road', 'grid', 'area'] as const
const SENSOR_RE = /^[a-z][a-z0-9-]*$/
const TIERS: readonly Tier[] = [1, 2, 3]

function readCapacity (v: unknown, path: string): SimCapacity {
  if (v === undefined) return { ...DEFAULT_CAPACITY }
  const o = readObject(v, path, ['cpuCores', 'memoryMb', 'maxEdgeFunctions', 'accelerator'])
  const cap: SimCapacity = {
    cpuCores: optNumber(o.cpuCores, join(path, 'cpuCores'), { min: 1, max: 1024, integer: true }, DEFAULT_CAPACITY.cpuCores),
    memoryMb: optNumber(o.memoryMb, join(path, 'memoryMb'), { min: 16, max: 16_777_216, integer: true }, DEFAULT_CAPACITY.memoryMb),
    maxEdgeFunctions: optNumber(o.maxEdgeFunctions, join(path, 'maxEdgeFunctions'), { min: 0, max: 10_000, integer: true }, DEFAULT_CAPACITY.maxEdgeFunctions)
  }
  if (o.accelerator !== undefined) cap.accelerator = readString(o.accelerator, join(path, 'accelerator'))
  return cap
}

function readTags (v: unknown, path: string): string[] {
  if (v === undefined) return []
  const tags = readStringList(v, path)
  tags.forEach((t, i) => { if (!SENSOR_RE.test(t)) fail(join(path, i), `must be a kebab-case type name such as "road-surface-temperature", got "${t}"`) })
  return tags
}

function roadPlacement (o: Record<string, unknown>, path: string, count: number | undefined, ctx: Ctx): Position[] {
  const r = readObject(o.road, join(path, 'road'), ['name', 'fromKm', 'spacingM'])
  const road = readRoadName(r.name, join(path, 'road.name'), ctx)
  const length = polylineLength(ctx.roads[road])
  const fromM = optNumber(r.fromKm, join(path, 'road.fromKm'), { min: 0, max: length / 1000 }, 0) * 1000
  const spacingM = readNumber(r.spacingM, join(path, 'road.spacingM'), { min: 0, exclusiveMin: true })
  const fits = Math.floor((length - fromM) / spacingM + 1e-9) + 1
  const n = count ?? fits
  if (n > fits) fail(join(path, 'count'), `${n} nodes at ${spacingM} m from km ${fromM / 1000} do not fit on road "${road}" (${Math.round(length)} m long; at most ${fits})`)
  return Array.from({ length: n }, (_, i) => pointAlong(ctx.roads[road], fromM + i * spacingM).position)
}

function gridPlacement (o: Record<string, unknown>, path: string, count: number | undefined, ctx: Ctx): Position[] {
  const g = readObject(o.grid, join(path, 'grid'), ['origin', 'rows', 'cols', 'spacingM'])
  const origin = readPosition(g.origin, join(path, 'grid.origin'), ctx)
  const rows = readNumber(g.rows, join(path, 'grid.rows'), { min: 1, max: 1000, integer: true })
  const cols = readNumber(g.cols, join(path, 'grid.cols'), { min: 1, max: 1000, integer: true })
  const spacingM = readNumber(g.spacingM, join(path, 'grid.spacingM'), { min: 0, exclusiveMin: true })
  const n = count ?? rows * cols
  if (n > rows * cols) fail(join(path, 'count'), `${n} nodes do not fit on a ${rows}x${cols} grid`)
  return gridPoints(origin, rows, cols, spacingM).slice(0, n)
}

function areaPlacement (o: Record<string, unknown>, path: string, count: number | undefined, ctx: Ctx, rng: Rng): Position[] {
  const a = readObject(o.area, join(path, 'area'), ['centre', 'radiusM'])
  const centre = readPosition(a.centre, join(path, 'area.centre'), ctx)
  const radiusM = readNumber(a.radiusM, join(path, 'area.radiusM'), { min: 0 })
  if (count === undefined) fail(join(path, 'count'), 'is required with an area placement')
  return Array.from({ length: count }, () => pointInDisc(centre, radiusM, rng.next(), rng.next()))
}

function place (o: Record<string, unknown>, path: string, count: number | undefined, ctx: Ctx, rng: Rng): Position[] {
  const given = PLACEMENTS.filter(k => o[k] !== undefined)
  if (given.length !== 1) fail(path, `needs exactly one placement of ${PLACEMENTS.join(', ')}${given.length > 1 ? `, got ${given.join(' and ')}` : ''}`)
  switch (given[0]) {
    case 'position': {
      if (count !== undefined && count !== 1) fail(join(path, 'count'), 'must be 1 (or absent) with a single position; use road, grid or area for more nodes')
      return [readPosition(o.position, join(path, 'position'), ctx)]
    }
    case 'road': return roadPlacement(o, path, count, ctx)
    case 'grid': return gridPlacement(o, path, count, ctx)
    default: return areaPlacement(o, path, count, ctx, rng)
  }
}

/** Expands `nodes:` into one ScenarioNode per node; names must be unique. */
export function readNodes (v: unknown, ctx: Ctx, rng: Rng): ScenarioNode[] {
  const out: ScenarioNode[] = []
  const seen = new Map<string, string>()
  readList(v, 'nodes', { min: 1 }).forEach((raw, i) => {
    const path = join('nodes', i)
    const o = readObject(raw, path, NODE_FIELDS)
    const group = readString(o.name, join(path, 'name'), NAME_RE, NAME_TEXT)
    const count = o.count === undefined ? undefined : readNumber(o.count, join(path, 'count'), { min: 1, max: 10_000, integer: true })
    const positions = place(o, path, count, ctx, rng)
    const tier = o.tier === undefined ? 1 : readEnum(o.tier, join(path, 'tier'), TIERS)
    const sensors = readTags(o.sensors, join(path, 'sensors'))
    const radios = readTags(o.radios, join(path, 'radios'))
    const capacity = readCapacity(o.capacity, join(path, 'capacity'))
    const startAtMs = optDuration(o.startAt, join(path, 'startAt'), 0)
    if (startAtMs >= ctx.durationMs) fail(join(path, 'startAt'), `must be before the end of the scenario (${ctx.durationMs} ms)`)
    const single = o.position !== undefined
    const width = Math.max(2, String(positions.length).length)
    positions.forEach((position, k) => {
      const name = single ? group : `${group}-${String(k + 1).padStart(width, '0')}`
      const prev = seen.get(name)
      if (prev !== undefined) fail(join(path, 'name'), `node name "${name}" is already used by ${prev}`)
      seen.set(name, path)
      out.push({ name, group, position, tier, sensors: [...sensors], radios: [...radios], capacity: { ...capacity }, startAtMs })
    })
  })
  return out
}
