/**
 * Scenario validation: from a parsed YAML document (plain data) to a
 * `Scenario` with every default applied. Pure apart from path resolution;
 * files (RTT matrix, pipelines) are read by `loadScenario` and the engine.
 */
import { resolve } from 'node:path'
import { DEFAULT_CONVERGENCE_TIMEOUT_MS, DEFAULT_HEARTBEAT_MS, DEFAULT_SAMPLE_MS, DEFAULT_SEED } from '../constants.js'
import { createRng } from '../prng.js'
import { NAME_RE, NAME_TEXT, readPath, readRoadName, resolveFile, resolveSelector } from './common.js'
import { readEvents } from './events.js'
import { fail, join, optDuration, optNumber, optString, readBoolean, readDuration, readList, readMap, readNumber, readObject, readString, readStringList } from './fields.js'
import { polylineLength, slicePath } from './geometry.js'
import { readLinks } from './links.js'
import { readNodes } from './nodes.js'
import type { Ctx } from './common.js'
import type { Scenario, ScenarioPipeline, ScenarioVehicle, ScenarioWorkload } from './schema.js'
import type { Position } from '../../protocols/index.js'

const TOP_FIELDS = [
  'name', 'description', 'seed', 'duration', 'heartbeat', 'cellPrecision', 'sample', 'convergenceTimeout', 'requires',
  'roads', 'nodes', 'links', 'vehicles', 'pipelines', 'workloads', 'events'
] as const

export interface ValidateOptions {
  /** folder that relative paths in the scenario resolve against @default process.cwd() */
  baseDir?: string
  /** what `{data}` in a path expands to @default `<cwd>/../shared/data` */
  dataRoot?: string
  /** override the scenario's seed (the CLI's --seed) */
  seed?: number
}

function readRoads (v: unknown): Record<string, Position[]> {
  const roads: Record<string, Position[]> = {}
  if (v === undefined) return roads
  const o = readMap(v, 'roads')
  for (const [name, raw] of Object.entries(o)) {
    const p = join('roads', name)
    if (!NAME_RE.test(name)) fail(p, `road name must be ${NAME_TEXT}`)
    const r = readObject(raw, p, ['path'])
    roads[name] = readPath(r.path, join(p, 'path'), { roads: {} })
  }
  return roads
}

function readRoute (v: unknown, path: string, ctx: Ctx): Position[] {
  const o = readObject(v, path, ['road', 'fromKm', 'toKm', 'path'])
  if ((o.road === undefined) === (o.path === undefined)) fail(path, 'needs exactly one of road or path')
  if (o.path !== undefined) return readPath(o.path, join(path, 'path'), ctx)
  const road = readRoadName(o.road, join(path, 'road'), ctx)
  const lengthKm = polylineLength(ctx.roads[road]) / 1000
  const fromKm = optNumber(o.fromKm, join(path, 'fromKm'), { min: 0, max: lengthKm }, 0)
  const toKm = optNumber(o.toKm, join(path, 'toKm'), { min: 0, max: lengthKm }, lengthKm)
  if (fromKm === toKm) fail(join(path, 'toKm'), `must differ from fromKm (${fromKm})`)
  return slicePath(ctx.roads[road], fromKm * 1000, toKm * 1000)
}

function readVehicles (v: unknown, ctx: Ctx, taken: Set<string>): ScenarioVehicle[] {
  if (v === undefined) return []
  const out: ScenarioVehicle[] = []
  readList(v, 'vehicles').forEach((raw, i) => {
    const p = join('vehicles', i)
    const o = readObject(raw, p, ['name', 'count', 'route', 'speedKmh', 'startAt', 'every', 'loop'])
    const group = readString(o.name, join(p, 'name'), NAME_RE, NAME_TEXT)
    const count = optNumber(o.count, join(p, 'count'), { min: 1, max: 10_000, integer: true }, 1)
    const route = readRoute(o.route, join(p, 'route'), ctx)
    const speedKmh = readNumber(o.speedKmh, join(p, 'speedKmh'), { min: 0, exclusiveMin: true, max: 500 })
    const startAtMs = optDuration(o.startAt, join(p, 'startAt'), 0)
    const everyMs = optDuration(o.every, join(p, 'every'), 0)
    const loop = readBoolean(o.loop, join(p, 'loop'), false)
    const width = Math.max(2, String(count).length)
    for (let k = 0; k < count; k++) {
      const name = count === 1 ? group : `${group}-${String(k + 1).padStart(width, '0')}`
      if (taken.has(name)) fail(join(p, 'name'), `name "${name}" is already used by a node or vehicle`)
      taken.add(name)
      const at = startAtMs + k * everyMs
      if (at >= ctx.durationMs) fail(join(p, count === 1 ? 'startAt' : 'every'), `vehicle "${name}" would start at ${at} ms, after the end of the scenario`)
      out.push({ name, route, speedKmh, startAtMs: at, loop })
    }
  })
  return out
}

function readPipelines (v: unknown, ctx: Ctx): ScenarioPipeline[] {
  if (v === undefined) return []
  return readList(v, 'pipelines').map((raw, i) => {
    const p = join('pipelines', i)
    const o = readObject(raw, p, ['file', 'via', 'at'])
    const file = resolveFile(readString(o.file, join(p, 'file')), ctx, resolve)
    const via = resolveSelector(o.via, join(p, 'via'), ctx.names)
    if (via.length !== 1) fail(join(p, 'via'), 'must name one node')
    const atMs = optDuration(o.at, join(p, 'at'), 0)
    if (atMs >= ctx.durationMs) fail(join(p, 'at'), 'must be before the end of the scenario')
    return { file, via: via[0], atMs }
  })
}

function readWorkloads (v: unknown, ctx: Ctx): ScenarioWorkload[] {
  if (v === undefined) return []
  return readList(v, 'workloads').map((raw, i) => {
    const p = join('workloads', i)
    const o = readObject(raw, p, ['type', 'at', 'params'])
    const type = readString(o.type, join(p, 'type'), /^[a-z][a-z0-9/-]*$/, 'a kebab-case workload type such as "nimbus-offload"')
    const atMs = optDuration(o.at, join(p, 'at'), 0)
    if (atMs >= ctx.durationMs) fail(join(p, 'at'), 'must be before the end of the scenario')
    const params = o.params === undefined ? {} : readMap(o.params, join(p, 'params'))
    return { type, atMs, params: { ...params } }
  })
}

/** Validates a parsed scenario document; throws ScenarioError naming the bad field. */
export function validateScenario (doc: unknown, opts: ValidateOptions = {}): Scenario {
  const o = readObject(doc, '', TOP_FIELDS)
  const name = readString(o.name, 'name', NAME_RE, NAME_TEXT)
  const durationMs = readDuration(o.duration, 'duration', { min: 1000 })
  const seed = opts.seed ?? optNumber(o.seed, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }, DEFAULT_SEED)
  const rng = createRng(seed).fork('placement')
  const ctx: Ctx = {
    roads: readRoads(o.roads),
    names: [],
    durationMs,
    baseDir: opts.baseDir ?? process.cwd(),
    dataRoot: opts.dataRoot ?? resolve(process.cwd(), '../shared/data')
  }
  const nodes = readNodes(o.nodes, ctx, rng)
  ctx.names = nodes.map(n => n.name)
  const links = readLinks(o.links, ctx)
  const vehicles = readVehicles(o.vehicles, ctx, new Set(ctx.names))
  const events = readEvents(o.events, ctx, nodes, ['default', ...Object.keys(links.classes)])
  const conditionIds = new Set<string>()
  for (const [i, ev] of events.entries()) {
    if (ev.type !== 'condition') continue
    if (conditionIds.has(ev.id)) fail(`events (condition #${i + 1} in time order)`, `condition id "${ev.id}" is used twice`)
    conditionIds.add(ev.id)
  }
  const scenario: Scenario = {
    name,
    description: optString(o.description, 'description', ''),
    seed,
    durationMs,
    heartbeatMs: optDuration(o.heartbeat, 'heartbeat', DEFAULT_HEARTBEAT_MS, { min: 10 }),
    ...(o.cellPrecision === undefined ? {} : { cellPrecision: readNumber(o.cellPrecision, 'cellPrecision', { integer: true, min: 1, max: 12 }) }),
    sampleMs: optDuration(o.sample, 'sample', DEFAULT_SAMPLE_MS, { min: 50 }),
    convergenceTimeoutMs: optDuration(o.convergenceTimeout, 'convergenceTimeout', DEFAULT_CONVERGENCE_TIMEOUT_MS, { min: 100 }),
    requires: o.requires === undefined ? [] : readStringList(o.requires, 'requires'),
    roads: ctx.roads,
    nodes,
    links,
    vehicles,
    pipelines: readPipelines(o.pipelines, ctx),
    workloads: readWorkloads(o.workloads, ctx),
    events
  }
  return scenario
}
