/** Cloud paths: the Failover phase's FindClosest and the cloud-only baselines. */
import { txMs } from './model.js'
import type { ResolvedOptions } from './options.js'
import type { CloudInfo, OffloadRequest } from './types.js'

export interface CloudOption {
  cloud: CloudInfo
  networkMs: number
  latencyMs: number
  energyMJ: number
}

/** the device's RTT to a cloud: its own measurement when it sent one */
export function cloudRtt (req: OffloadRequest, cloud: CloudInfo): number {
  return req.cloudRttMs?.[cloud.id] ?? cloud.rttMs
}

/** FindClosest: the cloud with the lowest |RTT| from this device (first on ties) */
export function findClosestCloud (clouds: readonly CloudInfo[], req: OffloadRequest): CloudInfo | undefined {
  let best: CloudInfo | undefined
  let bestRtt = Number.POSITIVE_INFINITY
  for (const c of clouds) {
    const r = Math.abs(cloudRtt(req, c))
    if (r < bestRtt) { best = c; bestRtt = r }
  }
  return best
}

/** cloud over Wi-Fi: d / (R/N) + factor * |RTT| + cloud inference */
export function wifiCloudOption (req: OffloadRequest, cloud: CloudInfo, apShareMbps: number, o: ResolvedOptions): CloudOption {
  const networkMs = txMs(req.payloadKB, apShareMbps) + o.cloudWifiRttFactor * Math.abs(cloudRtt(req, cloud))
  return { cloud, networkMs, latencyMs: networkMs + cloud.inferenceMs, energyMJ: networkMs * o.wifiEnergyPerMs }
}

/**
 * cloud over 4G: d / LTE + RTT + cloud inference. The published simulator adds the signed sample
 * (it can be negative); the paper mode uses |RTT|.
 */
export function lteCloudOption (req: OffloadRequest, cloud: CloudInfo, o: ResolvedOptions): CloudOption {
  const lte = req.lteMbps
  const rtt = cloudRtt(req, cloud)
  const tx = lte !== undefined && lte > 0 ? txMs(req.payloadKB, lte) : Number.POSITIVE_INFINITY
  const networkMs = tx + (o.mode === 'reference' ? rtt : Math.abs(rtt))
  return { cloud, networkMs, latencyMs: networkMs + cloud.inferenceMs, energyMJ: networkMs * o.lteEnergyPerMs }
}
