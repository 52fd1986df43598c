/**
 * One seeded simulation instance: the synthetic occupancy snapshot of REFERENCE-ALGORITHM.md
 * section 0 (the LRZ counts are not published), the MDs of section 2, the three-tier ENs and the
 * RTT matrix of section 4.
 */
import {
  DEFAULT_AP_BANDWIDTH_MBPS, DEFAULT_CLOUD_INFERENCE_MS, DEFAULT_FRAME_SIZE_KB, MOBILE_PROFILES,
  type EdgeNodeInfo, type InfrastructureSnapshot, type NimbusRng, type NimbusTier, type OffloadRequest
} from '../../protocols/index.js'
import type { GaussianMixture, NimbusData } from './data.js'

/** active APs at the authors' sampled timestamps (section 0) */
const ACTIVE_APS: Array<[number, number]> = [[500, 294], [1000, 610], [2000, 995], [4000, 1782]]

export const CLOUD_ID = 'cloud-eu-de'
/** RTT of an AP to its co-located T1 */
export const COLOCATED_RTT_MS = 1
/** the weight override of the MT and kappa notebooks */
export const MT_GMM_WEIGHTS = [0.2, 0.2, 0.6]

/** n_AP for N MDs: the table of section 0, linear in between, proportional outside */
export function activeApCount (mds: number): number {
  const first = ACTIVE_APS[0]
  const last = ACTIVE_APS[ACTIVE_APS.length - 1]
  if (mds <= first[0]) return Math.max(1, Math.round(mds * first[1] / first[0]))
  if (mds >= last[0]) return Math.round(mds * last[1] / last[0])
  for (let i = 1; i < ACTIVE_APS.length; i++) {
    const [x1, y1] = ACTIVE_APS[i]
    const [x0, y0] = ACTIVE_APS[i - 1]
    if (mds <= x1) return Math.round(y0 + (y1 - y0) * (mds - x0) / (x1 - x0))
  }
  return last[1]
}

export interface InstanceParams {
  mds: number
  t1: number
  t2: number
  t3: number
  /** mean of the FPS pool (15 in Table 4-A, 10 elsewhere) */
  fpsMean: number
  /** override of the Seattle mixture weights */
  gmmWeights?: number[]
}

export interface Instance {
  snapshot: InfrastructureSnapshot
  requests: OffloadRequest[]
  /** profile name of every device, for the energy figure */
  profiles: Map<string, keyof typeof MOBILE_PROFILES>
}

function gmmSample (rng: NimbusRng, g: GaussianMixture, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0)
  let u = rng.next() * total
  let k = 0
  while (k < weights.length - 1 && u >= weights[k]) { u -= weights[k]; k++ }
  return Math.abs(rng.normal(g.meansMs[k], g.sdMs[k]))
}

/** users per active AP: one each, the rest multinomial with log-normal(0, 1) popularity */
function occupancy (rng: NimbusRng, mds: number, aps: number): number[] {
  const users = new Array<number>(aps).fill(1)
  const cum = new Float64Array(aps)
  let acc = 0
  for (let a = 0; a < aps; a++) { acc += Math.exp(rng.normal(0, 1)); cum[a] = acc }
  for (let m = aps; m < mds; m++) {
    const u = rng.next() * acc
    let lo = 0; let hi = aps - 1
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] > u) hi = mid; else lo = mid + 1 }
    users[lo]++
  }
  return users
}

function pool (rng: NimbusRng, n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, () => rng.normal(mean, sd))
}

function edgeNodes (rng: NimbusRng, data: NimbusData, p: InstanceParams, apIds: string[]): EdgeNodeInfo[] {
  const bw = { t1: pool(rng, 100, 300, 10), t2: pool(rng, 100, 1000, 10), t3: pool(rng, 100, 5000, 10) }
  const make = (tier: NimbusTier, i: number, ap?: string): EdgeNodeInfo => ({
    id: `${tier}-${i}`,
    tier,
    ap,
    bandwidthMbps: Math.abs(rng.choice(bw[tier])),
    // TET_j of the paper: one measured inference time per EN
    tetMs: Math.abs(rng.choice(data.computeSamplesMs[tier])),
    queue: data.queue[tier]
  })
  const t1 = Math.min(p.t1, apIds.length)
  const ens: EdgeNodeInfo[] = []
  // T1s spread evenly over the active APs so that contiguous AP slices each get their share
  for (let i = 0; i < t1; i++) ens.push(make('t1', i, apIds[Math.floor(i * apIds.length / t1)]))
  for (let i = 0; i < p.t2; i++) ens.push(make('t2', i))
  for (let i = 0; i < p.t3; i++) ens.push(make('t3', i))
  return ens
}

/** Generate one instance; every draw comes from `rng`. */
export function generateInstance (data: NimbusData, p: InstanceParams, rng: NimbusRng): Instance {
  const nAp = Math.min(activeApCount(p.mds), data.apNames.length, p.mds)
  const chosen = rng.sample(data.apNames.map((_, i) => i), nAp).sort((a, b) => a - b)
  const apIds = chosen.map((i) => data.apNames[i])
  const users = occupancy(rng, p.mds, nAp)
  const ens = edgeNodes(rng, data, p, apIds)
  const t1At = new Map<string, number>()
  ens.forEach((e, j) => { if (e.ap !== undefined) t1At.set(e.ap, j) })
  const gmm = data.rttMixtures.Seattle
  const weights = p.gmmWeights ?? gmm.weights
  const apBw = pool(rng, 100, DEFAULT_AP_BANDWIDTH_MBPS, 10)
  const aps = apIds.map((id, a) => {
    const rttMs = ens.map(() => gmmSample(rng, gmm, weights))
    const j = t1At.get(id)
    if (j !== undefined) rttMs[j] = COLOCATED_RTT_MS
    return { id, users: users[a], bandwidthMbps: Math.abs(rng.choice(apBw)), rttMs }
  })
  const fpsPool = pool(rng, 50, p.fpsMean, 2)
  const ltePool = pool(rng, 100, 5.64, 1)
  const names = Object.keys(MOBILE_PROFILES) as Array<keyof typeof MOBILE_PROFILES>
  const requests: OffloadRequest[] = []
  const profiles = new Map<string, keyof typeof MOBILE_PROFILES>()
  aps.forEach((ap) => {
    for (let u = 0; u < ap.users; u++) {
      const name = names[rng.int(3)]
      const prof = MOBILE_PROFILES[name]
      const fps = Math.abs(rng.choice(fpsPool))
      const device = `md-${requests.length}`
      const localEnergyMJ = prof.energyPerFrameMJ * fps
      profiles.set(device, name)
      requests.push({
        device,
        ap: ap.id,
        epsT: 1000 / fps,
        epsB: localEnergyMJ,
        payloadKB: DEFAULT_FRAME_SIZE_KB * fps,
        localLatencyMs: prof.localLatencyMs,
        localEnergyMJ,
        lteMbps: Math.abs(rng.choice(ltePool)),
        cloudRttMs: { [CLOUD_ID]: rng.choice(data.cloudRttSamplesMs) }
      })
    }
  })
  const mean = data.cloudRttSamplesMs.reduce((s, x) => s + x, 0) / data.cloudRttSamplesMs.length
  return {
    snapshot: { ens, aps, clouds: [{ id: CLOUD_ID, rttMs: mean, inferenceMs: DEFAULT_CLOUD_INFERENCE_MS }] },
    requests,
    profiles
  }
}
