/**
 * The rules a descriptor must keep, checked in the same order everywhere (CLI
 * validate, submit, and every peer on receipt). Errors name the field path.
 */
import {
  HASH_PATTERN, KNOWN_RADIOS, KNOWN_SENSORS, MAX_AFTER, MAX_PRIORITY, MAX_REPLICAS, MAX_STAGES, NAME_PATTERN, PIPELINE_VERSION
} from './constants.js'
import { PipelineCycleError, PipelineValidationError, UnknownImageError, UnmeetableNeedsError } from './errors.js'
import { Execution, InputSource, OutputTarget, Role, type Needs, type PipelineDescriptor, type Stage } from './pb/pipeline.js'

/** What a host offers, as the placement rule sees it (from the registry). */
export interface HostCapabilities {
  peerId: string
  sensors: string[]
  radios: string[]
  tier: number
  accelerator: string
  roles: string[]
  memoryMb: number
  lat: number
  lon: number
}

export interface ValidationContext {
  /** the image catalogue: hash of each image by name (absent: images are not checked) */
  images?: ReadonlyMap<string, string>
  /** known hosts (absent: needs are checked against the capability vocabulary only) */
  hosts?: HostCapabilities[]
}

/** True when `host` meets every need of a stage. */
export function meetsNeeds (host: HostCapabilities, needs: Needs | undefined): boolean {
  if (needs === undefined) return true
  if (!needs.sensors.every((s) => host.sensors.includes(s))) return false
  if (!needs.radios.every((r) => host.radios.includes(r))) return false
  if (needs.minTier > 0 && host.tier < needs.minTier) return false
  if (needs.maxTier > 0 && host.tier > needs.maxTier) return false
  if (needs.accelerator !== '' && host.accelerator !== needs.accelerator) return false
  if (!needs.roles.every((r) => host.roles.includes(r))) return false
  return needs.memoryMb === 0 || host.memoryMb >= needs.memoryMb
}

function checkName (v: string, path: string): void {
  if (!NAME_PATTERN.test(v)) throw new PipelineValidationError(path, `"${v}" must match ${NAME_PATTERN.source}`)
}

function checkHeader (d: PipelineDescriptor): void {
  if (d.version !== PIPELINE_VERSION) throw new PipelineValidationError('version', `unsupported version ${d.version} (expected ${PIPELINE_VERSION})`)
  checkName(d.id, 'id')
  if (d.priority > MAX_PRIORITY) throw new PipelineValidationError('priority', `must be between 0 and ${MAX_PRIORITY}, got ${d.priority}`)
  if (d.area === undefined) throw new PipelineValidationError('area', 'is required')
  if (!(d.area.lat >= -90 && d.area.lat <= 90)) throw new PipelineValidationError('area.lat', `must be in [-90, 90], got ${d.area.lat}`)
  if (!(d.area.lon >= -180 && d.area.lon <= 180)) throw new PipelineValidationError('area.lon', `must be in [-180, 180], got ${d.area.lon}`)
  if (d.area.radiusM <= 0) throw new PipelineValidationError('area.radiusM', `must be > 0, got ${d.area.radiusM}`)
  if (d.deadlineMs !== 0n && d.deadlineMs <= d.issuedAtMs) throw new PipelineValidationError('deadline', 'is not after the issue time')
  if (d.window !== undefined) {
    if (d.execution !== Execution.EXECUTION_ON_DEMAND) throw new PipelineValidationError('window', 'only on-demand pipelines have a time window')
    if (d.window.endMs <= d.window.startMs) throw new PipelineValidationError('window.end', 'must be after window.start')
  }
  if (d.stages.length === 0) throw new PipelineValidationError('stages', 'must list at least one stage')
  if (d.stages.length > MAX_STAGES) throw new PipelineValidationError('stages', `${d.stages.length} stages, at most ${MAX_STAGES}`)
}

function checkNeeds (n: Needs | undefined, path: string): void {
  if (n === undefined) return
  n.sensors.forEach((s, i) => {
    if (!(KNOWN_SENSORS as readonly string[]).includes(s)) throw new UnmeetableNeedsError(`${path}.sensors[${i}]`, `no peer can have sensor "${s}" (known: ${KNOWN_SENSORS.join(', ')})`)
  })
  n.radios.forEach((r, i) => {
    if (!(KNOWN_RADIOS as readonly string[]).includes(r)) throw new UnmeetableNeedsError(`${path}.radios[${i}]`, `no peer can have radio "${r}" (known: ${KNOWN_RADIOS.join(', ')})`)
  })
  if (n.minTier > 3) throw new UnmeetableNeedsError(`${path}.minTier`, `tier ${n.minTier} does not exist (1-3)`)
  if (n.minTier > 0 && n.maxTier > 0 && n.minTier > n.maxTier) throw new UnmeetableNeedsError(`${path}.maxTier`, `${n.maxTier} is below minTier ${n.minTier}`)
}

function checkStage (s: Stage, i: number, names: Set<string>, ctx: ValidationContext): void {
  const p = `stages[${i}]`
  checkName(s.name, `${p}.name`)
  if (names.has(s.name)) throw new PipelineValidationError(`${p}.name`, `duplicate stage "${s.name}"`)
  names.add(s.name)
  if (s.image === undefined || s.image.name === '') throw new PipelineValidationError(`${p}.image`, 'is required')
  if (s.image.hash !== '' && !HASH_PATTERN.test(s.image.hash)) throw new PipelineValidationError(`${p}.image.hash`, 'must be 64 lowercase hex digits')
  if (ctx.images !== undefined) {
    const hash = ctx.images.get(s.image.name)
    if (hash === undefined) throw new UnknownImageError(`${p}.image`, `unknown image "${s.image.name}" (catalogue has: ${[...ctx.images.keys()].join(', ')})`)
    if (s.image.hash !== '' && s.image.hash !== hash) throw new UnknownImageError(`${p}.image.hash`, `image "${s.image.name}" has hash ${hash}, descriptor names ${s.image.hash}`)
  }
  if (!s.everyCapable && (s.replicas < 1 || s.replicas > MAX_REPLICAS)) throw new PipelineValidationError(`${p}.replicas`, `must be 1-${MAX_REPLICAS} or "every", got ${s.replicas}`)
  if (s.after.length > MAX_AFTER) throw new PipelineValidationError(`${p}.after`, `at most ${MAX_AFTER} predecessors`)
  checkNeeds(s.needs, `${p}.needs`)
}

function checkGraph (d: PipelineDescriptor): Map<string, string[]> {
  const index = new Map(d.stages.map((s, i) => [s.name, i]))
  const next = new Map<string, string[]>(d.stages.map((s) => [s.name, []]))
  d.stages.forEach((s, i) => {
    const seen = new Set<string>()
    s.after.forEach((a, j) => {
      const p = `stages[${i}].after[${j}]`
      if (a === s.name) throw new PipelineCycleError(p, `stage "${s.name}" follows itself`)
      if (!index.has(a)) throw new PipelineValidationError(p, `unknown stage "${a}"`)
      if (seen.has(a)) throw new PipelineValidationError(p, `"${a}" listed twice`)
      seen.add(a)
      next.get(a)?.push(s.name)
    })
  })
  // depth-first search for a back edge; the reported path is the cycle itself
  const state = new Map<string, 1 | 2>()
  const visit = (name: string, trail: string[]): void => {
    state.set(name, 1)
    for (const n of next.get(name) ?? []) {
      if (state.get(n) === 1) {
        const cycle = [...trail.slice(trail.indexOf(n)), name, n]
        throw new PipelineCycleError(`stages[${index.get(n) ?? 0}].after`, `cycle ${cycle.join(' -> ')}`)
      }
      if (state.get(n) === undefined) visit(n, [...trail, name])
    }
    state.set(name, 2)
  }
  for (const s of d.stages) if (state.get(s.name) === undefined) visit(s.name, [])
  return next
}

function checkRoles (d: PipelineDescriptor, next: Map<string, string[]>): void {
  d.stages.forEach((s, i) => {
    const p = `stages[${i}]`
    const followers = next.get(s.name) ?? []
    const src = s.input?.source ?? InputSource.INPUT_UPSTREAM
    const target = s.output?.target ?? OutputTarget.OUTPUT_NEXT
    if (s.role === Role.ROLE_START && s.after.length > 0) throw new PipelineValidationError(`${p}.role`, `start stage "${s.name}" must not follow other stages (after: ${s.after.join(', ')})`)
    if (s.role !== Role.ROLE_START && s.after.length === 0) throw new PipelineValidationError(`${p}.role`, `stage "${s.name}" follows no stage, so its role must be start`)
    if (s.role === Role.ROLE_FINALE && followers.length > 0) throw new PipelineValidationError(`${p}.role`, `finale "${s.name}" is followed by ${followers.join(', ')}`)
    // a one-stage pipeline: its start is also where the data flow ends
    const single = s.role === Role.ROLE_START && followers.length === 0 && target !== OutputTarget.OUTPUT_NEXT
    if (s.role !== Role.ROLE_FINALE && followers.length === 0 && !single) throw new PipelineValidationError(`${p}.role`, `no stage follows "${s.name}", so its role must be finale`)
    if (s.role === Role.ROLE_START && src === InputSource.INPUT_UPSTREAM) throw new PipelineValidationError(`${p}.input.source`, 'a start stage has no upstream: use sensors or trigger')
    if (s.role !== Role.ROLE_START && src !== InputSource.INPUT_UPSTREAM) throw new PipelineValidationError(`${p}.input.source`, 'only start stages read sensors or triggers')
    if (s.role === Role.ROLE_FINALE && target === OutputTarget.OUTPUT_NEXT) throw new PipelineValidationError(`${p}.output.target`, 'a finale has no next stage: use sink or local')
    if (s.role !== Role.ROLE_FINALE && !single && target !== OutputTarget.OUTPUT_NEXT) throw new PipelineValidationError(`${p}.output.target`, 'only a finale ends the data flow')
    const auto = d.execution === Execution.EXECUTION_AUTOMATIC
    if (s.role === Role.ROLE_START && auto && src === InputSource.INPUT_SENSORS && (s.input?.intervalMs ?? 0) < 10) {
      throw new PipelineValidationError(`${p}.input.intervalMs`, 'an automatic start stage needs an interval of at least 10 ms')
    }
  })
}

function checkHosts (d: PipelineDescriptor, hosts: HostCapabilities[]): void {
  d.stages.forEach((s, i) => {
    if (!hosts.some((h) => meetsNeeds(h, s.needs))) {
      throw new UnmeetableNeedsError(`stages[${i}].needs`, `no known peer (of ${hosts.length}) can host "${s.name}"`)
    }
  })
}

/** Throws the first broken rule as a PipelineValidationError (or subclass) naming its path. */
export function validateDescriptor (d: PipelineDescriptor, ctx: ValidationContext = {}): void {
  checkHeader(d)
  const names = new Set<string>()
  d.stages.forEach((s, i) => { checkStage(s, i, names, ctx) })
  const next = checkGraph(d)
  checkRoles(d, next)
  if (ctx.hosts !== undefined) checkHosts(d, ctx.hosts)
}

/** Stages in topological order (validated descriptors only). */
export function topologicalOrder (d: PipelineDescriptor): Stage[] {
  const done = new Set<string>()
  const out: Stage[] = []
  while (out.length < d.stages.length) {
    const before = out.length
    for (const s of d.stages) {
      if (!done.has(s.name) && s.after.every((a) => done.has(a))) { out.push(s); done.add(s.name) }
    }
    if (out.length === before) throw new PipelineCycleError('stages', 'cycle')
  }
  return out
}

/** The stages that follow `stage`. */
export function followersOf (d: PipelineDescriptor, stage: string): Stage[] {
  return d.stages.filter((s) => s.after.includes(stage))
}
