/**
 * The mesh's view of the infrastructure as a Nimbus `InfrastructureSnapshot`: ENs are live
 * registry members, a T1 gateway is also the access point of its devices, RTTs come from a
 * distance model over the registry positions, and the load of each EN is the best knowledge a
 * solver has (the EN's own last reservation reply when fresh, else the registry's
 * `offloadClients`).
 */
import { distanceMetres } from '../geo/index.js'
import {
  DEFAULT_AP_BANDWIDTH_MBPS, DEFAULT_QUEUE_CURVES, DEFAULT_TET_MS,
  type CloudInfo, type EdgeNodeInfo, type InfrastructureSnapshot, type NimbusTier, type QueueCurve, type ServedDevice
} from '../nimbus/index.js'
import { DEFAULT_RTT_LOCAL_MS, DEFAULT_RTT_PER_KM_MS, DEFAULT_RTT_TIER_MS } from './constants.js'
import type { NimbusMember } from './election.js'

/** What every peer assumes of the ENs of a tier (the paper's tiers.json). */
export interface TierProfile {
  /** TET_j: inference time */
  tetMs: number
  /** q(n) fitted to the tier's benchmark */
  queue: QueueCurve
  /** link bandwidth of the EN */
  bandwidthMbps: number
  /** hard cap on served devices; absent = only the queue curve and the deadlines limit it */
  maxload?: number
}

export type TierProfiles = Record<NimbusTier, TierProfile>

/** The paper's tier defaults: TET and queue curves from the Triton benchmarks, 300/1000/5000 Mbps links. */
export function defaultTierProfiles (): TierProfiles {
  return {
    t1: { tetMs: DEFAULT_TET_MS.t1, queue: { ...DEFAULT_QUEUE_CURVES.t1 }, bandwidthMbps: 300 },
    t2: { tetMs: DEFAULT_TET_MS.t2, queue: { ...DEFAULT_QUEUE_CURVES.t2 }, bandwidthMbps: 1000 },
    t3: { tetMs: DEFAULT_TET_MS.t3, queue: { ...DEFAULT_QUEUE_CURVES.t3 }, bandwidthMbps: 5000 }
  }
}

/** RTT between an AP and an EN: `localMs` on the same peer, else `tierMs[tier of EN] + km * perKmMs`. */
export interface RttModel {
  localMs: number
  perKmMs: number
  tierMs: Record<NimbusTier, number>
}

export function defaultRttModel (): RttModel {
  return { localMs: DEFAULT_RTT_LOCAL_MS, perKmMs: DEFAULT_RTT_PER_KM_MS, tierMs: { ...DEFAULT_RTT_TIER_MS } }
}

/** Registry tier 1/2/3 as a Nimbus tier. */
export function tierName (tier: number): NimbusTier {
  return tier <= 1 ? 't1' : tier === 2 ? 't2' : 't3'
}

export interface Located { peerId: string, lat: number, lon: number }

export function modelRttMs (model: RttModel, ap: Located, en: Located & { tier: number }): number {
  if (ap.peerId === en.peerId) return model.localMs
  return model.tierMs[tierName(en.tier)] + distanceMetres(ap, en) / 1000 * model.perKmMs
}

/** The per-EN state a solver needs (one EN's AllocationState), as an EN reports it. */
export interface EnLoadSummary {
  count: number
  /** highest network latency among served devices, and that device's eps_t */
  maxNetworkMs: number
  maxNetworkEpsT: number
  /** min over served devices of eps_t - Lt */
  minSlackMs: number
}

/**
 * Served devices that reproduce `s` exactly in the solver's AllocationState (count, the device of
 * highest Lt, the least slack), so LookAheadLoad and the served-deadline check see what the EN sees.
 */
export function servedFromSummary (s: EnLoadSummary): ServedDevice[] {
  if (s.count <= 0) return []
  const out: ServedDevice[] = [{ device: '~worst', networkMs: s.maxNetworkMs, epsT: s.maxNetworkEpsT }]
  if (s.count >= 2 && s.minSlackMs < s.maxNetworkEpsT - s.maxNetworkMs) out.push({ device: '~tightest', networkMs: 0, epsT: s.minSlackMs })
  while (out.length < s.count) out.push({ device: `~served-${out.length}`, networkMs: 0, epsT: Number.POSITIVE_INFINITY })
  return out
}

/** `count` devices of unknown deadline (the registry only publishes how many): the EN's reply corrects it. */
export function servedFromCount (count: number): ServedDevice[] {
  return Array.from({ length: count }, (_, i) => ({ device: `~served-${i}`, networkMs: 0, epsT: Number.POSITIVE_INFINITY }))
}

export function enInfo (id: string, tier: number, profile: TierProfile, served: ServedDevice[] = []): EdgeNodeInfo {
  const info: EdgeNodeInfo = {
    id,
    tier: tierName(tier),
    bandwidthMbps: profile.bandwidthMbps,
    tetMs: profile.tetMs,
    queue: profile.queue,
    served
  }
  if (tier <= 1) info.ap = id
  if (profile.maxload !== undefined) info.capacity = profile.maxload
  return info
}

/** An access point of a batch: a T1 gateway, its attached devices and its Wi-Fi rate. */
export interface SnapshotAp {
  id: string
  users: number
  bandwidthMbps?: number
  lat: number
  lon: number
}

export interface SnapshotInit {
  ens: readonly NimbusMember[]
  aps: readonly SnapshotAp[]
  profiles: TierProfiles
  rtt: RttModel
  clouds: CloudInfo[]
  /** the served devices the solver should assume on an EN */
  served: (en: NimbusMember) => ServedDevice[]
}

export function buildSnapshot (init: SnapshotInit): InfrastructureSnapshot {
  const ens = init.ens.map((m) => enInfo(m.peerId, m.tier, init.profiles[tierName(m.tier)], init.served(m)))
  const aps = init.aps.map((ap) => ({
    id: ap.id,
    users: ap.users,
    bandwidthMbps: ap.bandwidthMbps ?? DEFAULT_AP_BANDWIDTH_MBPS,
    rttMs: init.ens.map((m) => modelRttMs(init.rtt, { peerId: ap.id, lat: ap.lat, lon: ap.lon }, m))
  }))
  return { ens, aps, clouds: init.clouds }
}
