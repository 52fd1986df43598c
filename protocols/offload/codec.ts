/**
 * Bounded decoding of offload messages and the conversions between the wire types and the
 * solver's plain types (OffloadRequest, Assignment). Every check names the bad field.
 */
import { checkEnum, checkVersion, decodeMessage, InvalidMessageError } from '../wire/index.js'
import type { Assignment, OffloadRequest } from '../nimbus/index.js'
import { MAX_ID_LENGTH, MAX_OFFLOAD_FRAME_BYTES, OFFLOAD_LIMITS, OFFLOAD_VERSION } from './constants.js'
import { OffloadMessage, Refusal, Target, type Placement, type Requirements } from './pb/offload.js'

const KINDS = Object.values(OffloadMessage.Kind)
const TARGETS = Object.values(Target)
const REFUSALS = Object.values(Refusal)

/** the field each kind carries */
const FIELD_OF: Record<OffloadMessage.Kind, keyof OffloadMessage> = {
  [OffloadMessage.Kind.ERROR]: 'error',
  [OffloadMessage.Kind.HANDSHAKE]: 'handshake',
  [OffloadMessage.Kind.HANDSHAKE_ACK]: 'handshakeAck',
  [OffloadMessage.Kind.OFFLOAD]: 'version',
  [OffloadMessage.Kind.OFFER]: 'offer',
  [OffloadMessage.Kind.RELEASE]: 'release',
  [OffloadMessage.Kind.RELEASE_ACK]: 'releaseAck',
  [OffloadMessage.Kind.SOLVE]: 'solve',
  [OffloadMessage.Kind.SOLUTION]: 'solution',
  [OffloadMessage.Kind.RESERVE]: 'reserve',
  [OffloadMessage.Kind.RESERVE_REPLY]: 'reserveReply'
}

/** What a mobile device asks for (the handshake), in the solver's units. */
export interface DeviceRequirements {
  device: string
  /** eps_t (ms) = 1000 / FPS */
  epsT: number
  /** eps_b (mJ) = TEC_i */
  epsB: number
  payloadKB: number
  localLatencyMs: number
  localEnergyMJ: number
  lteMbps?: number
  /** the device's own RTT to each cloud, by cloud id */
  cloudRttMs?: Record<string, number>
  /** reservation lease wanted; 0 or absent = the gateway's default */
  leaseMs?: number
}

export type OffloadTargetKind = 'edge' | 'cloud' | 'local'

/** One offloading candidate as the MD sees it. */
export interface OffloadPlacement {
  device: string
  target: OffloadTargetKind
  en?: string
  multiaddrs: string[]
  cloud?: string
  networkMs: number
  inferenceMs: number
  latencyMs: number
  energyMJ: number
  epsT: number
  stage: number
  solver: string
  reserved: boolean
  tier?: number
}

export function encodeOffloadMessage (msg: Omit<OffloadMessage, 'version'>): Uint8Array {
  return OffloadMessage.encode({ ...msg, version: OFFLOAD_VERSION })
}

/** Decode one frame; InvalidMessageError on a bad version, kind, missing body or limit. */
export function decodeOffloadMessage (bytes: Uint8Array, maxBytes = MAX_OFFLOAD_FRAME_BYTES): OffloadMessage {
  const msg = decodeMessage(OffloadMessage, bytes, 'OffloadMessage', { maxBytes, limits: OFFLOAD_LIMITS })
  checkVersion('OffloadMessage', msg.version, OFFLOAD_VERSION)
  checkEnum('OffloadMessage', 'kind', msg.kind, KINDS)
  const field = FIELD_OF[msg.kind]
  if (msg[field] === undefined) throw new InvalidMessageError(`OffloadMessage: kind ${msg.kind} without its ${String(field)} field`)
  for (const p of msg.offer?.candidates ?? msg.solution?.placements ?? []) checkEnum('Placement', 'target', p.target, TARGETS)
  for (const v of msg.reserveReply?.verdicts ?? []) checkEnum('Verdict', 'reason', v.reason, REFUSALS)
  return msg
}

function checkId (v: string, field: string): void {
  if (v === '' || v.length > MAX_ID_LENGTH) throw new InvalidMessageError(`${field}: must be 1-${MAX_ID_LENGTH} characters, got ${v.length}`)
}

function checkNumber (v: number, field: string, min: number, exclusive = false): void {
  if (!Number.isFinite(v) || v < min || (exclusive && v === min)) {
    throw new InvalidMessageError(`${field}: must be a finite number ${exclusive ? '>' : '>='} ${min}, got ${v}`)
  }
}

/** Validate a handshake; `what` prefixes the field names (e.g. `Solve.items[3].req`). */
export function checkRequirements (r: Requirements, what = 'Requirements'): void {
  checkId(r.device, `${what}.device`)
  checkNumber(r.epsT, `${what}.epsT`, 0, true)
  checkNumber(r.epsB, `${what}.epsB`, 0, true)
  checkNumber(r.payloadKB, `${what}.payloadKB`, 0)
  checkNumber(r.localLatencyMs, `${what}.localLatencyMs`, 0)
  checkNumber(r.localEnergyMJ, `${what}.localEnergyMJ`, 0)
  if (r.lteMbps !== undefined) checkNumber(r.lteMbps, `${what}.lteMbps`, 0)
  r.cloudRtt.forEach((c, i) => {
    checkId(c.cloud, `${what}.cloudRtt[${i}].cloud`)
    if (!Number.isFinite(c.rttMs)) throw new InvalidMessageError(`${what}.cloudRtt[${i}].rttMs: must be finite, got ${c.rttMs}`)
  })
}

export function requirementsToWire (r: DeviceRequirements): Requirements {
  const out: Requirements = {
    device: r.device,
    epsT: r.epsT,
    epsB: r.epsB,
    payloadKB: r.payloadKB,
    localLatencyMs: r.localLatencyMs,
    localEnergyMJ: r.localEnergyMJ,
    cloudRtt: Object.entries(r.cloudRttMs ?? {}).map(([cloud, rttMs]) => ({ cloud, rttMs })),
    leaseMs: r.leaseMs ?? 0
  }
  if (r.lteMbps !== undefined) out.lteMbps = r.lteMbps
  return out
}

export function requirementsFromWire (r: Requirements): DeviceRequirements {
  const out: DeviceRequirements = {
    device: r.device,
    epsT: r.epsT,
    epsB: r.epsB,
    payloadKB: r.payloadKB,
    localLatencyMs: r.localLatencyMs,
    localEnergyMJ: r.localEnergyMJ,
    leaseMs: r.leaseMs
  }
  if (r.lteMbps !== undefined) out.lteMbps = r.lteMbps
  if (r.cloudRtt.length > 0) out.cloudRttMs = Object.fromEntries(r.cloudRtt.map((c) => [c.cloud, c.rttMs]))
  return out
}

/** The solver's request for a device attached to access point `ap`. */
export function toOffloadRequest (r: DeviceRequirements, ap: string): OffloadRequest {
  const out: OffloadRequest = {
    device: r.device,
    ap,
    epsT: r.epsT,
    epsB: r.epsB,
    payloadKB: r.payloadKB,
    localLatencyMs: r.localLatencyMs,
    localEnergyMJ: r.localEnergyMJ
  }
  if (r.lteMbps !== undefined) out.lteMbps = r.lteMbps
  if (r.cloudRttMs !== undefined) out.cloudRttMs = r.cloudRttMs
  return out
}

const TARGET_TO_WIRE: Record<OffloadTargetKind, Target> = { edge: Target.EDGE, cloud: Target.CLOUD, local: Target.LOCAL }
const TARGET_FROM_WIRE: Record<Target, OffloadTargetKind> = { [Target.EDGE]: 'edge', [Target.CLOUD]: 'cloud', [Target.LOCAL]: 'local' }

export function placementToWire (p: OffloadPlacement): Placement {
  return {
    device: p.device,
    target: TARGET_TO_WIRE[p.target],
    en: p.en ?? '',
    multiaddrs: p.multiaddrs,
    cloud: p.cloud ?? '',
    networkMs: p.networkMs,
    inferenceMs: p.inferenceMs,
    latencyMs: p.latencyMs,
    energyMJ: p.energyMJ,
    epsT: p.epsT,
    stage: p.stage,
    solver: p.solver,
    reserved: p.reserved,
    tier: p.tier ?? 0
  }
}

export function placementFromWire (p: Placement): OffloadPlacement {
  const out: OffloadPlacement = {
    device: p.device,
    target: TARGET_FROM_WIRE[p.target],
    multiaddrs: p.multiaddrs,
    networkMs: p.networkMs,
    inferenceMs: p.inferenceMs,
    latencyMs: p.latencyMs,
    energyMJ: p.energyMJ,
    epsT: p.epsT,
    stage: p.stage,
    solver: p.solver,
    reserved: p.reserved
  }
  if (p.en !== '') out.en = p.en
  if (p.cloud !== '') out.cloud = p.cloud
  if (p.tier !== 0) out.tier = p.tier
  return out
}

/** A solver Assignment as a placement (not yet reserved). */
export function placementFromAssignment (a: Assignment, solver: string): OffloadPlacement {
  const out: OffloadPlacement = {
    device: a.device,
    target: a.target,
    multiaddrs: [],
    networkMs: a.networkMs,
    inferenceMs: a.inferenceMs,
    latencyMs: a.latencyMs,
    energyMJ: a.energyMJ,
    epsT: a.epsT,
    stage: a.stage ?? 1,
    solver,
    reserved: false
  }
  if (a.en !== undefined) out.en = a.en
  if (a.cloud !== undefined) out.cloud = a.cloud
  return out
}
