/**
 * The paper's cost model (equations 4.1 and 4.2) as pure functions, and `fits`, the reservation
 * check an edge node runs before it accepts a device.
 */
import { DEFAULT_WIFI_ENERGY_PER_MS, EPSILON_MS } from './constants.js'
import type { PathBandwidth, WifiShare } from './options.js'
import type { AccessPointInfo, EdgeNodeInfo, QueueCurve, ServedDevice } from './types.js'

/** d/BW in ms for a payload in KB over a link in Mbps. */
export function txMs (payloadKB: number, mbps: number): number {
  return payloadKB * 8 / mbps
}

/** q(n) = max(0, slope * n + intercept), n = clients including the new one. */
export function queueMs (curve: QueueCurve, clients: number): number {
  const q = curve.slopeMs * clients + curve.interceptMs
  return q > 0 ? q : 0
}

/** Le = TET + q(n) for an EN that serves n devices (the newcomer included). */
export function executionMs (en: EdgeNodeInfo, clients: number): number {
  return en.tetMs + queueMs(en.queue, clients)
}

/** R/N share of an AP; N = attached devices (paper) or attached + 1 (published simulator). */
export function wifiShareMbps (bandwidthMbps: number, users: number, share: WifiShare): number {
  const n = share === 'attached' ? Math.max(1, users) : users + 1
  return bandwidthMbps / n
}

/**
 * d/BW from a device on `ap` to an EN whose own effective bandwidth is `enMbps`.
 * 'bottleneck': the path rate is the slower of the two hops (the paper's BW_ij).
 * 'fastest': the published simulator's min over the two transmission times.
 */
export function pathTxMs (payloadKB: number, apShareMbps: number, enMbps: number, mode: PathBandwidth): number {
  const bw = mode === 'bottleneck' ? Math.min(apShareMbps, enMbps) : Math.max(apShareMbps, enMbps)
  return txMs(payloadKB, bw)
}

/**
 * maxServableDevices_j(budget): the largest n with TET_j + q_j(n) <= budget (the inverse of the
 * queue curve), capped by the EN's capacity. 0 when even one device does not fit.
 */
export function maxServableDevices (en: EdgeNodeInfo, budgetMs: number): number {
  const cap = en.capacity ?? Number.POSITIVE_INFINITY
  const room = budgetMs - en.tetMs
  if (room < -EPSILON_MS) return 0
  const { slopeMs, interceptMs } = en.queue
  if (slopeMs <= 0) return queueMs(en.queue, 1) <= room + EPSILON_MS ? cap : 0
  const n = Math.floor((room - interceptMs) / slopeMs + EPSILON_MS)
  return Math.max(0, Math.min(cap, n))
}

/** The published simulator's maxload: (eps_t - intercept) / slope, real-valued, TET ignored. */
export function referenceMaxload (curve: QueueCurve, epsT: number): number {
  return (epsT - curve.interceptMs) / curve.slopeMs
}

/** Network latency Lt of a device on `ap` to EN number `enIndex` of the snapshot. */
export function edgeNetworkMs (
  payloadKB: number, ap: AccessPointInfo, apShareMbps: number, enMbps: number, enIndex: number, mode: PathBandwidth
): number {
  return pathTxMs(payloadKB, apShareMbps, enMbps, mode) + ap.rttMs[enIndex]
}

export interface FitCandidate extends ServedDevice {
  /** eps_b of the device */
  epsB: number
}

export interface FitInit {
  /** check the deadlines of the devices already served. @default true */
  protectServed?: boolean
  /** w (mJ per ms of network latency). @default 1.21 */
  energyPerMs?: number
}

export type FitRefusal = 'deadline' | 'energy' | 'capacity' | 'served-deadline'

export type FitResult =
  | { ok: true, inferenceMs: number, latencyMs: number, energyMJ: number }
  | { ok: false, reason: FitRefusal, message: string }

/**
 * The reservation check an EN runs: can it take `candidate` on top of `served` without
 * breaking eps_t (strict, Algorithm 1 line 6) or eps_b of the newcomer, its capacity, or the
 * deadline of a device it already serves (Le rises for everyone when one more device is served)?
 */
export function fits (en: EdgeNodeInfo, candidate: FitCandidate, served: readonly ServedDevice[], init: FitInit = {}): FitResult {
  const clients = served.length + 1
  if (en.capacity !== undefined && clients > en.capacity) {
    return { ok: false, reason: 'capacity', message: `${en.id} serves ${served.length} of capacity ${en.capacity}` }
  }
  const inferenceMs = executionMs(en, clients)
  const latencyMs = candidate.networkMs + inferenceMs
  const energyMJ = candidate.networkMs * (init.energyPerMs ?? DEFAULT_WIFI_ENERGY_PER_MS)
  if (latencyMs >= candidate.epsT) {
    return { ok: false, reason: 'deadline', message: `L=${latencyMs.toFixed(3)} ms >= eps_t=${candidate.epsT} ms on ${en.id}` }
  }
  if (energyMJ >= candidate.epsB) {
    return { ok: false, reason: 'energy', message: `B=${energyMJ.toFixed(3)} mJ >= eps_b=${candidate.epsB} mJ on ${en.id}` }
  }
  if (init.protectServed ?? true) {
    for (const s of served) {
      if (s.networkMs + inferenceMs > s.epsT + EPSILON_MS) {
        return { ok: false, reason: 'served-deadline', message: `${s.device} on ${en.id} would reach ${(s.networkMs + inferenceMs).toFixed(3)} ms > eps_t=${s.epsT} ms` }
      }
    }
  }
  return { ok: true, inferenceMs, latencyMs, energyMJ }
}
