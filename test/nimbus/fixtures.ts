/** Small hand-made snapshots and a seeded random-instance generator for the Nimbus tests. */
import { createNimbusRng, type EdgeNodeInfo, type InfrastructureSnapshot, type OffloadRequest } from '../../protocols/index.js'

/** payload 100 KB over 800 Mbps: d/BW = 1 ms */
export function req (device: string, over: Partial<OffloadRequest> = {}): OffloadRequest {
  return { device, ap: 'ap0', epsT: 50, epsB: 1000, payloadKB: 100, localLatencyMs: 154, localEnergyMJ: 1000, ...over }
}

export function en (id: string, over: Partial<EdgeNodeInfo> = {}): EdgeNodeInfo {
  return { id, tier: 't1', bandwidthMbps: 1000, tetMs: 10, queue: { slopeMs: 10, interceptMs: -10 }, ...over }
}

/**
 * e1: TET 10, q(n) = max(0, 10n - 10), RTT 5; e2: TET 5, q(n) = n, RTT `e2Rtt`.
 * One AP of 800 Mbps with one user; one cloud at RTT 40 ms (Wi-Fi: 1 + 1.2 * 40 = 49 ms).
 */
export function twoEns (e1: Partial<EdgeNodeInfo> = {}, e2: Partial<EdgeNodeInfo> = {}, e2Rtt = 20): InfrastructureSnapshot {
  return {
    ens: [en('e1', e1), en('e2', { tier: 't2', tetMs: 5, queue: { slopeMs: 1, interceptMs: 0 }, ...e2 })],
    aps: [{ id: 'ap0', users: 1, bandwidthMbps: 800, rttMs: [5, e2Rtt] }],
    clouds: [{ id: 'c1', rttMs: 40, inferenceMs: 5 }]
  }
}

export interface RandomInstance {
  snapshot: InfrastructureSnapshot
  requests: OffloadRequest[]
}

/** a random three-tier instance: `aps` APs, `ens` ENs, `mds` devices; RTTs 1-150 ms */
export function randomInstance (seed: number, aps = 12, ens = 10, mds = 80): RandomInstance {
  const rng = createNimbusRng(seed)
  const tiers = ['t1', 't2', 't3'] as const
  const curves = { t1: { slopeMs: 23.3, interceptMs: -41.5 }, t2: { slopeMs: 7.1, interceptMs: -11.6 }, t3: { slopeMs: 0.66, interceptMs: -11.9 } }
  const tet = { t1: 22.5, t2: 7.2, t3: 5.2 }
  const enList: EdgeNodeInfo[] = Array.from({ length: ens }, (_, j) => {
    const tier = tiers[rng.int(3)]
    return {
      id: `en${j}`,
      tier,
      ap: tier === 't1' && j < aps ? `ap${j}` : undefined,
      bandwidthMbps: [300, 1000, 5000][tiers.indexOf(tier)],
      tetMs: tet[tier] * (0.9 + 0.2 * rng.next()),
      queue: curves[tier],
      capacity: rng.next() < 0.3 ? 1 + rng.int(6) : undefined
    }
  })
  const users = new Array<number>(aps).fill(0)
  const requests: OffloadRequest[] = Array.from({ length: mds }, (_, i) => {
    const a = rng.int(aps)
    users[a]++
    const fps = 8 + rng.next() * 10
    const local = [182, 318, 268][rng.int(3)] * fps
    return {
      device: `md${i}`,
      ap: `ap${a}`,
      epsT: 1000 / fps,
      epsB: rng.next() < 0.1 ? 20 + rng.next() * 60 : local,
      payloadKB: 33 * fps,
      localLatencyMs: [154, 116, 190][rng.int(3)],
      localEnergyMJ: local,
      lteMbps: 5 + rng.next(),
      cloudRttMs: { cloud: rng.normal(29, 28) }
    }
  })
  const snapshot: InfrastructureSnapshot = {
    ens: enList,
    aps: users.map((u, a) => ({
      id: `ap${a}`,
      users: u,
      bandwidthMbps: 300,
      rttMs: enList.map((e) => e.ap === `ap${a}` ? 1 : 1 + rng.next() * 149)
    })),
    clouds: [{ id: 'cloud', rttMs: 29, inferenceMs: 5 }]
  }
  return { snapshot, requests }
}
