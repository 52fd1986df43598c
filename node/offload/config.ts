/**
 * The `nimbus:` section of a peer's YAML: its presence enables Nimbus offloading on the peer.
 * Every field is optional; defaults are the paper's (tier profiles from tiers.json, alpha 0.7,
 * beta 0.3, kappa 0 = all).
 *
 * ```yaml
 * nimbus:
 *   slice: { by: geohash, precision: 5 }      # or { by: tier } or { by: group, name: north }
 *   tiers:
 *     t1: { tetMs: 22.55, queue: { slopeMs: 23.31, interceptMs: -41.49 }, bandwidthMbps: 300, maxload: 4 }
 *   rtt: { localMs: 1, perKmMs: 0.01, tierMs: { t1: 2, t2: 4, t3: 8 } }
 *   clouds: [{ id: eu-de, rttMs: 29.2, inferenceMs: 5 }]
 *   solver: { alpha: 0.7, beta: 0.3, kappa: 0, lookAheadLoad: true }
 * ```
 */
import { ConfigError } from '../errors.js'
import { asArray, asBoolean, asNumber, asObj, asOneOf, asString, rejectUnknown, type Obj } from '../config/fields.js'
import {
  defaultRttModel, defaultTierProfiles,
  type CloudInfo, type NimbusTier, type RttModel, type SliceRule, type TierProfile, type TierProfiles
} from '../../protocols/index.js'
import {
  DEFAULT_BATCH_WINDOW_MS, DEFAULT_CLOUD, DEFAULT_LEASE_MS, DEFAULT_MAX_BATCH, DEFAULT_MAX_INBOUND_STREAMS, DEFAULT_MAX_LEASE_MS,
  DEFAULT_MAX_RETRIES, DEFAULT_RESERVE_TIMEOUT_MS, DEFAULT_SLICE_PRECISION, DEFAULT_SOLVE_TIMEOUT_MS
} from './constants.js'

/** The solver knobs a deployment may set (NimbusSolverInit, paper mode). */
export interface NimbusSolverConfig {
  /** @default 0.7 */
  alpha?: number
  /** @default 0.3 */
  beta?: number
  /** @default 0 (every compatible EN) */
  kappa?: number
  /** @default true */
  lookAheadLoad?: boolean
}

export interface NimbusConfig {
  /** accept devices' handshakes (a T1 is an augmented AP). @default true on tier 1, false otherwise */
  gateway?: boolean
  /** slice membership rule. @default { by: 'geohash', precision: 5 } */
  slice: SliceRule
  /** what every peer assumes of each tier; this peer's own tier profile drives its `fits`. @default the paper's */
  tiers: TierProfiles
  /** RTT model between an AP and an EN. @default { localMs: 1, perKmMs: 0.01, tierMs: { t1: 2, t2: 4, t3: 8 } } */
  rtt: RttModel
  /** cloud datacenters of the Failover phase. @default [{ id: 'cloud', rttMs: 29.2, inferenceMs: 5 }] */
  clouds: CloudInfo[]
  /** R of the gateway's Wi-Fi (shared R/N). @default 300 */
  apBandwidthMbps: number
  /** @default {} (the paper's values) */
  solver: NimbusSolverConfig
  /** a gateway collects devices for this long before one Solve. @default 20 */
  batchWindowMs: number
  /** a gateway sends at most this many devices per Solve. @default 256 */
  maxBatch: number
  /** re-solves after refused reservations before a device is a leftover. @default 3 */
  maxRetries: number
  /** reservation lease when the device asks for none. @default 900000 */
  leaseMs: number
  /** longest lease a device may ask for. @default 86400000 */
  maxLeaseMs: number
  /** gateway -> solver and stage 1 -> stage 2 deadline. @default 10000 */
  solveTimeoutMs: number
  /** solver -> EN reservation deadline. @default 4000 */
  reserveTimeoutMs: number
  /** offload streams per connection (a device client multiplexes many devices). @default 256 */
  maxInboundStreams: number
  /** how long an EN's own reservation reply outranks the registry's load. @default 2 heartbeats */
  loadFreshMs?: number
}

export function defaultNimbusConfig (): NimbusConfig {
  return {
    slice: { by: 'geohash', precision: DEFAULT_SLICE_PRECISION },
    tiers: defaultTierProfiles(),
    rtt: defaultRttModel(),
    clouds: [{ ...DEFAULT_CLOUD }],
    apBandwidthMbps: 300,
    solver: {},
    batchWindowMs: DEFAULT_BATCH_WINDOW_MS,
    maxBatch: DEFAULT_MAX_BATCH,
    maxRetries: DEFAULT_MAX_RETRIES,
    leaseMs: DEFAULT_LEASE_MS,
    maxLeaseMs: DEFAULT_MAX_LEASE_MS,
    solveTimeoutMs: DEFAULT_SOLVE_TIMEOUT_MS,
    reserveTimeoutMs: DEFAULT_RESERVE_TIMEOUT_MS,
    maxInboundStreams: DEFAULT_MAX_INBOUND_STREAMS
  }
}

const TIERS: readonly NimbusTier[] = ['t1', 't2', 't3']
const TOP = ['gateway', 'slice', 'tiers', 'rtt', 'clouds', 'apBandwidthMbps', 'solver', 'batchWindowMs', 'maxBatch', 'maxRetries',
  'leaseMs', 'maxLeaseMs', 'solveTimeoutMs', 'reserveTimeoutMs', 'maxInboundStreams', 'loadFreshMs'] as const

function sliceRule (v: unknown, path: string): SliceRule {
  const o = asObj(v, path)
  const by = asOneOf(o.by, ['geohash', 'tier', 'group'] as const, `${path}.by`)
  if (by === 'tier') { rejectUnknown(o, ['by'], path); return { by } }
  if (by === 'group') {
    rejectUnknown(o, ['by', 'name'], path)
    const name = asString(o.name, `${path}.name`)
    if (/\s/.test(name)) throw new ConfigError(`${path}.name: must not contain spaces, got "${name}"`)
    return { by, name }
  }
  rejectUnknown(o, ['by', 'precision'], path)
  return { by, precision: o.precision === undefined ? DEFAULT_SLICE_PRECISION : asNumber(o.precision, `${path}.precision`, { min: 1, max: 9, integer: true }) }
}

function tierProfile (v: unknown, path: string, base: TierProfile): TierProfile {
  const o = asObj(v, path)
  rejectUnknown(o, ['tetMs', 'queue', 'bandwidthMbps', 'maxload'], path)
  const out: TierProfile = { ...base, queue: { ...base.queue } }
  if (o.tetMs !== undefined) out.tetMs = asNumber(o.tetMs, `${path}.tetMs`, { min: 0 })
  if (o.bandwidthMbps !== undefined) out.bandwidthMbps = asNumber(o.bandwidthMbps, `${path}.bandwidthMbps`, { min: 0.001 })
  if (o.maxload !== undefined) out.maxload = asNumber(o.maxload, `${path}.maxload`, { min: 0, max: 1_000_000, integer: true })
  if (o.queue !== undefined) {
    const q = asObj(o.queue, `${path}.queue`)
    rejectUnknown(q, ['slopeMs', 'interceptMs'], `${path}.queue`)
    if (q.slopeMs !== undefined) out.queue.slopeMs = asNumber(q.slopeMs, `${path}.queue.slopeMs`, { min: 0 })
    if (q.interceptMs !== undefined) out.queue.interceptMs = asNumber(q.interceptMs, `${path}.queue.interceptMs`)
  }
  return out
}

function tiers (v: unknown, path: string): TierProfiles {
  const o = asObj(v, path)
  rejectUnknown(o, TIERS, path)
  const out = defaultTierProfiles()
  for (const t of TIERS) if (o[t] !== undefined) out[t] = tierProfile(o[t], `${path}.${t}`, out[t])
  return out
}

function rtt (v: unknown, path: string): RttModel {
  const o = asObj(v, path)
  rejectUnknown(o, ['localMs', 'perKmMs', 'tierMs'], path)
  const out = defaultRttModel()
  if (o.localMs !== undefined) out.localMs = asNumber(o.localMs, `${path}.localMs`, { min: 0 })
  if (o.perKmMs !== undefined) out.perKmMs = asNumber(o.perKmMs, `${path}.perKmMs`, { min: 0 })
  if (o.tierMs !== undefined) {
    const t = asObj(o.tierMs, `${path}.tierMs`)
    rejectUnknown(t, TIERS, `${path}.tierMs`)
    for (const k of TIERS) if (t[k] !== undefined) out.tierMs[k] = asNumber(t[k], `${path}.tierMs.${k}`, { min: 0 })
  }
  return out
}

function clouds (v: unknown, path: string): CloudInfo[] {
  const ids = new Set<string>()
  return asArray(v, path).map((c, i) => {
    const p = `${path}[${i}]`
    const o = asObj(c, p)
    rejectUnknown(o, ['id', 'rttMs', 'inferenceMs'], p)
    const id = asString(o.id, `${p}.id`)
    if (ids.has(id)) throw new ConfigError(`${p}.id: duplicate cloud id "${id}"`)
    ids.add(id)
    return { id, rttMs: asNumber(o.rttMs, `${p}.rttMs`, { min: 0 }), inferenceMs: o.inferenceMs === undefined ? DEFAULT_CLOUD.inferenceMs : asNumber(o.inferenceMs, `${p}.inferenceMs`, { min: 0 }) }
  })
}

function solver (v: unknown, path: string): NimbusSolverConfig {
  const o = asObj(v, path)
  rejectUnknown(o, ['alpha', 'beta', 'kappa', 'lookAheadLoad'], path)
  const out: NimbusSolverConfig = {}
  if (o.alpha !== undefined) out.alpha = asNumber(o.alpha, `${path}.alpha`, { min: 0 })
  if (o.beta !== undefined) out.beta = asNumber(o.beta, `${path}.beta`, { min: 0 })
  if (o.kappa !== undefined) out.kappa = asNumber(o.kappa, `${path}.kappa`, { min: 0, integer: true })
  if (o.lookAheadLoad !== undefined) out.lookAheadLoad = asBoolean(o.lookAheadLoad, `${path}.lookAheadLoad`)
  return out
}

const ms = (o: Obj, k: string, path: string, min: number, max: number): number | undefined =>
  o[k] === undefined ? undefined : asNumber(o[k], `${path}.${k}`, { min, max, integer: true })

/** The CONFIG_SECTIONS parser of `nimbus:`; `null` or `{}` enables Nimbus with every default. */
export function parseNimbusSection (value: unknown, path: string): NimbusConfig {
  const c = defaultNimbusConfig()
  if (value === null || value === true) return c
  const o = asObj(value, path)
  rejectUnknown(o, TOP, path)
  if (o.gateway !== undefined) c.gateway = asBoolean(o.gateway, `${path}.gateway`)
  if (o.slice !== undefined) c.slice = sliceRule(o.slice, `${path}.slice`)
  if (o.tiers !== undefined) c.tiers = tiers(o.tiers, `${path}.tiers`)
  if (o.rtt !== undefined) c.rtt = rtt(o.rtt, `${path}.rtt`)
  if (o.clouds !== undefined) c.clouds = clouds(o.clouds, `${path}.clouds`)
  if (o.apBandwidthMbps !== undefined) c.apBandwidthMbps = asNumber(o.apBandwidthMbps, `${path}.apBandwidthMbps`, { min: 0.001 })
  if (o.solver !== undefined) c.solver = solver(o.solver, `${path}.solver`)
  c.batchWindowMs = ms(o, 'batchWindowMs', path, 0, 60_000) ?? c.batchWindowMs
  c.maxBatch = ms(o, 'maxBatch', path, 1, 1024) ?? c.maxBatch
  c.maxRetries = ms(o, 'maxRetries', path, 0, 100) ?? c.maxRetries
  c.leaseMs = ms(o, 'leaseMs', path, 1000, 7 * 86_400_000) ?? c.leaseMs
  c.maxLeaseMs = ms(o, 'maxLeaseMs', path, 1000, 30 * 86_400_000) ?? c.maxLeaseMs
  c.solveTimeoutMs = ms(o, 'solveTimeoutMs', path, 100, 600_000) ?? c.solveTimeoutMs
  c.reserveTimeoutMs = ms(o, 'reserveTimeoutMs', path, 100, 600_000) ?? c.reserveTimeoutMs
  c.maxInboundStreams = ms(o, 'maxInboundStreams', path, 1, 4096) ?? c.maxInboundStreams
  const fresh = ms(o, 'loadFreshMs', path, 0, 600_000)
  if (fresh !== undefined) c.loadFreshMs = fresh
  if (c.leaseMs > c.maxLeaseMs) throw new ConfigError(`${path}.leaseMs: ${c.leaseMs} exceeds maxLeaseMs ${c.maxLeaseMs}`)
  return c
}
