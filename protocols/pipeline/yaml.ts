/**
 * YAML descriptors for people: parsed field by field into the protobuf
 * PipelineDescriptor (unsigned, issuer empty). Every error names the path of
 * the bad field. Graph rules (cycles, roles, ...) are in validate.ts.
 */
import { showValue } from '../wire/index.js'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { DEFAULT_BID_WINDOW_MS, PIPELINE_VERSION } from './constants.js'
import { DescriptorSyntaxError } from './errors.js'
import { Execution, InputSource, OutputTarget, Role, type Needs, type PipelineDescriptor, type Stage } from './pb/pipeline.js'

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function obj (v: unknown, path: string): Obj {
  if (!isObj(v)) throw new DescriptorSyntaxError(path, 'must be a mapping')
  return v
}

function known (o: Obj, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new DescriptorSyntaxError(path === '' ? k : `${path}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`)
  }
}

function str (v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw new DescriptorSyntaxError(path, `must be a non-empty string, got ${showValue(v)}`)
  return v
}

function num (v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new DescriptorSyntaxError(path, `must be an integer, got ${showValue(v)}`)
  if (v < min || v > max) throw new DescriptorSyntaxError(path, `must be between ${min} and ${max}, got ${v}`)
  return v
}

function float (v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new DescriptorSyntaxError(path, `must be a number, got ${showValue(v)}`)
  return v
}

function strings (v: unknown, path: string): string[] {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw new DescriptorSyntaxError(path, 'must be a list')
  return v.map((s, i) => str(s, `${path}[${i}]`))
}

function oneOf<T> (v: unknown, table: Record<string, T>, path: string): T {
  if (typeof v !== 'string' || !Object.hasOwn(table, v)) {
    throw new DescriptorSyntaxError(path, `must be one of ${Object.keys(table).join(', ')}, got ${showValue(v)}`)
  }
  return table[v]
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** A time: ms since epoch, an ISO date, or a duration ("2h") after `issuedAt`. */
export function parseTime (v: unknown, path: string, issuedAt: number): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v
  if (v instanceof Date) return v.getTime()
  if (typeof v === 'string') {
    const d = DURATION.exec(v.trim())
    if (d !== null) return issuedAt + Number(d[1]) * UNIT_MS[d[2]]
    const t = Date.parse(v)
    if (Number.isFinite(t)) return t
  }
  throw new DescriptorSyntaxError(path, `must be a date, ms since epoch or a duration like "2h", got ${showValue(v)}`)
}

export const ROLES: Record<string, Role> = { start: Role.ROLE_START, midsection: Role.ROLE_MIDSECTION, finale: Role.ROLE_FINALE }
export const EXECUTIONS: Record<string, Execution> = { automatic: Execution.EXECUTION_AUTOMATIC, 'on-demand': Execution.EXECUTION_ON_DEMAND }
const SOURCES: Record<string, InputSource> = { sensors: InputSource.INPUT_SENSORS, upstream: InputSource.INPUT_UPSTREAM, trigger: InputSource.INPUT_TRIGGER }
const TARGETS: Record<string, OutputTarget> = { next: OutputTarget.OUTPUT_NEXT, sink: OutputTarget.OUTPUT_SINK, local: OutputTarget.OUTPUT_LOCAL }

function needs (v: unknown, path: string): Needs {
  const o = v === undefined ? {} : obj(v, path)
  known(o, ['sensors', 'radios', 'minTier', 'maxTier', 'accelerator', 'roles', 'memoryMb'], path)
  return {
    sensors: strings(o.sensors, `${path}.sensors`),
    radios: strings(o.radios, `${path}.radios`),
    minTier: o.minTier === undefined ? 0 : num(o.minTier, `${path}.minTier`, 1, 3),
    maxTier: o.maxTier === undefined ? 0 : num(o.maxTier, `${path}.maxTier`, 1, 3),
    accelerator: o.accelerator === undefined ? '' : str(o.accelerator, `${path}.accelerator`),
    roles: strings(o.roles, `${path}.roles`),
    memoryMb: o.memoryMb === undefined ? 0 : num(o.memoryMb, `${path}.memoryMb`, 1, 16_777_216)
  }
}

function stage (v: unknown, path: string): Stage {
  const o = obj(v, path)
  known(o, ['name', 'image', 'role', 'after', 'replicas', 'needs', 'input', 'output'], path)
  let image: { name: string, hash: string }
  if (typeof o.image === 'string') {
    const [name, hash] = o.image.split('@')
    image = { name: str(name, `${path}.image`), hash: hash ?? '' }
  } else {
    const io = obj(o.image, `${path}.image`)
    known(io, ['name', 'hash'], `${path}.image`)
    image = { name: str(io.name, `${path}.image.name`), hash: io.hash === undefined ? '' : str(io.hash, `${path}.image.hash`) }
  }
  const every = o.replicas === 'every'
  const input = o.input === undefined ? {} : obj(o.input, `${path}.input`)
  known(input, ['source', 'intervalMs', 'joinTimeoutMs'], `${path}.input`)
  const output = o.output === undefined ? {} : obj(o.output, `${path}.output`)
  known(output, ['target'], `${path}.output`)
  const role = oneOf(o.role, ROLES, `${path}.role`)
  const after = strings(o.after, `${path}.after`)
  return {
    name: str(o.name, `${path}.name`),
    image,
    role,
    after,
    replicas: every ? 0 : o.replicas === undefined ? 1 : num(o.replicas, `${path}.replicas`, 1, 1_000_000),
    everyCapable: every,
    needs: needs(o.needs, `${path}.needs`),
    input: {
      source: input.source === undefined ? (after.length === 0 ? InputSource.INPUT_SENSORS : InputSource.INPUT_UPSTREAM) : oneOf(input.source, SOURCES, `${path}.input.source`),
      intervalMs: input.intervalMs === undefined ? 0 : num(input.intervalMs, `${path}.input.intervalMs`, 0, 86_400_000),
      joinTimeoutMs: input.joinTimeoutMs === undefined ? 0 : num(input.joinTimeoutMs, `${path}.input.joinTimeoutMs`, 0, 3_600_000)
    },
    output: { target: output.target === undefined ? (role === Role.ROLE_FINALE ? OutputTarget.OUTPUT_SINK : OutputTarget.OUTPUT_NEXT) : oneOf(output.target, TARGETS, `${path}.output.target`) }
  }
}

export interface ParseDescriptorOptions {
  /** issue time (ms) for durations and `issuedAtMs` @default Date.now() */
  now?: number
}

/** Turns a parsed YAML document into an unsigned descriptor. */
export function descriptorFromObject (doc: unknown, options: ParseDescriptorOptions = {}): PipelineDescriptor {
  const now = options.now ?? Date.now()
  const o = obj(doc, '')
  known(o, ['id', 'description', 'priority', 'execution', 'deadline', 'window', 'area', 'bidWindowMs', 'stages'], '')
  const area = obj(o.area, 'area')
  known(area, ['lat', 'lon', 'radiusM'], 'area')
  if (!Array.isArray(o.stages)) throw new DescriptorSyntaxError('stages', 'must be a list')
  const d: PipelineDescriptor = {
    version: PIPELINE_VERSION,
    id: str(o.id, 'id'),
    issuer: new Uint8Array(0),
    priority: o.priority === undefined ? 0 : num(o.priority, 'priority', 0, 1000),
    execution: o.execution === undefined ? Execution.EXECUTION_AUTOMATIC : oneOf(o.execution, EXECUTIONS, 'execution'),
    deadlineMs: o.deadline === undefined || o.deadline === 'none' ? 0n : BigInt(parseTime(o.deadline, 'deadline', now)),
    area: { lat: float(area.lat, 'area.lat'), lon: float(area.lon, 'area.lon'), radiusM: num(area.radiusM, 'area.radiusM', 0, 4_294_967_295) },
    stages: o.stages.map((s, i) => stage(s, `stages[${i}]`)),
    issuedAtMs: BigInt(now),
    bidWindowMs: o.bidWindowMs === undefined ? DEFAULT_BID_WINDOW_MS : num(o.bidWindowMs, 'bidWindowMs', 0, 600_000),
    description: o.description === undefined ? '' : str(o.description, 'description')
  }
  if (o.window !== undefined) {
    const w = obj(o.window, 'window')
    known(w, ['start', 'end'], 'window')
    d.window = { startMs: BigInt(parseTime(w.start, 'window.start', now)), endMs: BigInt(parseTime(w.end, 'window.end', now)) }
  }
  return d
}

/** Parses YAML text (`file` names it in errors). */
export function parseDescriptorYaml (text: string, file = 'descriptor', options: ParseDescriptorOptions = {}): PipelineDescriptor {
  let doc: unknown
  try {
    doc = parseYaml(text, { prettyErrors: false })
  } catch (err) {
    const line = err instanceof YAMLParseError ? ` at line ${err.linePos?.[0]?.line ?? '?'}` : ''
    throw new DescriptorSyntaxError('', `${file}: invalid YAML${line}: ${(err as Error).message.split('\n')[0]}`)
  }
  return descriptorFromObject(doc, options)
}
