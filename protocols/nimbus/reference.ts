/**
 * Compatibility mode: the published simulator's `algorithm_v3` and `algorithm_p2`
 * (shared/data/nimbus/REFERENCE-ALGORITHM.md sections 5 and 7), quirks included, so results can
 * be checked against it. protocols/nimbus/README.md lists every difference from the paper mode.
 */
import { findClosestCloud, wifiCloudOption, type CloudOption } from './cloud.js'
import { pathTxMs, queueMs, referenceMaxload } from './model.js'
import type { ResolvedOptions } from './options.js'
import type { NimbusRng } from './rng.js'
import type { PassResult } from './paper.js'
import type { AllocationState, PreparedSnapshot } from './state.js'
import type { Assignment, OffloadRequest } from './types.js'

interface RefEdge { j: number, networkMs: number, inferenceMs: number, latencyMs: number }

/** c_tau: a fresh |choice(samples)| per estimate, or the EN's fixed TET */
function computeSample (p: PreparedSnapshot, o: ResolvedOptions, rng: NimbusRng, j: number): number {
  const en = p.snapshot.ens[j]
  const samples = o.tetSamples?.[en.tier]
  return samples !== undefined && samples.length > 0 ? Math.abs(rng.choice(samples)) : en.tetMs
}

/** locate_edge_nodes: RTT filter (<=), look-ahead on the first device, kappa as a random subset */
function locate (p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, rng: NimbusRng, req: OffloadRequest, a: number): number[] {
  const rtt = p.rtt[a]
  const allowed = p.allowedEns()
  if (o.greedy) {
    let best = -1
    for (const j of allowed) if (rtt[j] <= req.epsT && (best < 0 || rtt[j] < rtt[best])) best = j
    return best < 0 ? [] : [best]
  }
  const out: number[] = []
  for (const j of allowed) {
    if (rtt[j] > req.epsT) continue
    const n = st.count[j]
    if (o.lookAheadLoad && n > 0) {
      const inf = computeSample(p, o, rng, j) + queueMs(p.snapshot.ens[j].queue, n + 1)
      if (!(st.refWorstNetworkMs[j] + inf <= st.refWorstEpsT[j])) continue
    }
    out.push(j)
  }
  return o.kappa > 0 ? rng.sample(out, o.kappa) : out
}

/** fair_allocation: argmin of the score with strict <; no deadline check */
function score (p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, rng: NimbusRng, req: OffloadRequest, a: number, cands: number[]): RefEdge | undefined {
  const rtt = p.rtt[a]
  let best: RefEdge | undefined
  let bestObj = Number.POSITIVE_INFINITY
  for (const j of cands) {
    const en = p.snapshot.ens[j]
    const n = st.count[j]
    const networkMs = pathTxMs(req.payloadKB, p.apShareMbps[a], p.enMbps[j], o.pathBandwidth) + rtt[j]
    const inferenceMs = computeSample(p, o, rng, j) + queueMs(en.queue, n + 1)
    const latencyMs = networkMs + inferenceMs
    const obj = o.alpha * latencyMs / req.epsT + o.beta * n / referenceMaxload(en.queue, req.epsT)
    if (obj < bestObj) {
      bestObj = obj
      best = { j, networkMs, inferenceMs, latencyMs }
    }
  }
  return best
}

function cloudFor (p: PreparedSnapshot, o: ResolvedOptions, req: OffloadRequest, a: number): CloudOption | undefined {
  const cloud = findClosestCloud(p.snapshot.clouds, req)
  return cloud === undefined ? undefined : wifiCloudOption(req, cloud, p.apShareMbps[a], o)
}

function base (req: OffloadRequest, stage: number): Assignment {
  return { device: req.device, target: 'local', networkMs: 0, inferenceMs: req.localLatencyMs, latencyMs: req.localLatencyMs, energyMJ: req.localEnergyMJ, epsT: req.epsT, stage }
}

function edgeAssignment (p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, req: OffloadRequest, e: RefEdge, stage: number): Assignment {
  st.add(e.j, { device: req.device, epsT: req.epsT, networkMs: e.networkMs }, e.inferenceMs)
  return {
    device: req.device, target: 'edge', en: p.snapshot.ens[e.j].id, networkMs: e.networkMs, inferenceMs: e.inferenceMs,
    latencyMs: e.latencyMs, energyMJ: e.networkMs * o.wifiEnergyPerMs, epsT: req.epsT, stage
  }
}

/** algorithm_v3 over the batch, in order (section 5 (a)-(d)) */
export function referencePass (
  p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, rng: NimbusRng, requests: readonly OffloadRequest[], stage: number
): PassResult {
  const assignments: Assignment[] = []
  const leftovers: string[] = []
  let evaluated = 0
  requests.forEach((req, i) => {
    const a = p.requestAp(req, i)
    const cands = locate(p, st, o, rng, req, a)
    evaluated += cands.length
    const edge = score(p, st, o, rng, req, a, cands)
    const lEdge = edge?.latencyMs ?? Number.POSITIVE_INFINITY
    const cloud = cloudFor(p, o, req, a)
    const lCloud = cloud?.latencyMs ?? Number.POSITIVE_INFINITY
    if (lEdge > req.epsT) {
      if (lCloud > req.epsT) {
        assignments.push(base(req, stage))
        leftovers.push(req.device)
      } else {
        // 9.1: the cloud would do, but nothing happens; the device stays local and is never revisited
        assignments.push({ ...base(req, stage), unassigned: true })
      }
      return
    }
    if (edge !== undefined && lEdge <= lCloud) {
      if (o.wifiEnergyPerMs * edge.networkMs <= req.localEnergyMJ) assignments.push(edgeAssignment(p, st, o, req, edge, stage))
      else assignments.push({ ...base(req, stage), unassigned: true })
      return
    }
    if (cloud !== undefined && cloud.energyMJ <= req.localEnergyMJ) {
      assignments.push({
        device: req.device, target: 'cloud', cloud: cloud.cloud.id, networkMs: cloud.networkMs, inferenceMs: cloud.cloud.inferenceMs,
        latencyMs: cloud.latencyMs, energyMJ: cloud.energyMJ, epsT: req.epsT, stage
      })
      leftovers.push(req.device)
    } else {
      assignments.push({ ...base(req, stage), unassigned: true })
    }
  })
  return { assignments, leftovers, evaluated }
}

/**
 * algorithm_p2: a leftover moves to the best EN over the whole infrastructure when that beats its
 * current latency; there is no deadline test beyond the RTT filter and look-ahead (section 7).
 */
export function referenceSecondPass (
  p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, rng: NimbusRng,
  requests: readonly OffloadRequest[], current: ReadonlyMap<string, Assignment>, stage: number
): PassResult {
  const assignments: Assignment[] = []
  let evaluated = 0
  requests.forEach((req, i) => {
    const a = p.requestAp(req, i)
    const prev = current.get(req.device) ?? base(req, stage)
    const cands = locate(p, st, o, rng, req, a)
    evaluated += cands.length
    const edge = score(p, st, o, rng, req, a, cands)
    if (edge === undefined || !(edge.latencyMs < prev.latencyMs) || o.wifiEnergyPerMs * edge.networkMs > req.localEnergyMJ) {
      assignments.push(prev)
      return
    }
    const worstBefore = st.count[edge.j] > 0 ? st.refWorstNetworkMs[edge.j] : Number.NEGATIVE_INFINITY
    assignments.push(edgeAssignment(p, st, o, req, edge, stage))
    // add_agent compares the mover's old (non-zero for cloud) latency with the worst agent's
    if (prev.networkMs > worstBefore) {
      st.refWorstNetworkMs[edge.j] = edge.networkMs
      st.refWorstEpsT[edge.j] = req.epsT
    }
  })
  return { assignments, leftovers: [], evaluated }
}

/** every device on an EN ends with the inference estimate of the last device assigned to it (9.4) */
export function finalizeReference (p: PreparedSnapshot, st: AllocationState, assignments: Assignment[]): void {
  for (const x of assignments) {
    if (x.target !== 'edge' || x.en === undefined) continue
    const j = p.enIndex.get(x.en)
    if (j === undefined) continue
    const inf = st.refLastInferenceMs[j]
    if (!Number.isNaN(inf)) x.inferenceMs = inf
    x.latencyMs = x.networkMs + x.inferenceMs
  }
}
