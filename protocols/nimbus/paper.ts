/**
 * Algorithm 1 of the paper (Warmup, Core, Failover) with Algorithm 2 (LookAheadLoad), applied to
 * the devices of a batch once, in batch order. The corrections the issue asks for are here:
 * Failover to the closest cloud whenever the edge cannot serve, LookAheadLoad from the served
 * device with the highest network latency, and no assignment that pushes a served device past
 * its deadline.
 */
import { findClosestCloud, wifiCloudOption } from './cloud.js'
import { EPSILON_MS } from './constants.js'
import { executionMs, maxServableDevices, pathTxMs, queueMs, txMs } from './model.js'
import type { ResolvedOptions } from './options.js'
import type { AllocationState, PreparedSnapshot } from './state.js'
import type { Assignment, EdgeNodeInfo, OffloadRequest } from './types.js'

export interface PassResult {
  assignments: Assignment[]
  leftovers: string[]
  /** devices this pass could not settle (paper 2PMT stage 1): stage 2 must revisit them */
  undecided?: string[]
  evaluated: number
}

interface EdgeChoice { j: number, networkMs: number }

/**
 * ENs still worth looking at in this pass. LookAheadLoad's verdict, a full capacity and a
 * served device with no slack left for one more client do not depend on the device and only
 * harden as an EN fills (count and the highest network latency only grow, the least slack only
 * shrinks), so an EN refused once is dropped for the rest of the pass: a late pass over a loaded
 * infrastructure (2PMT's stage 2) then scans only the ENs with room. `passedAt` remembers the
 * load at which an EN last passed those checks, so they run once per change of its load.
 */
export class OpenEns {
  readonly list: Int32Array
  readonly passedAt: Int32Array
  size: number
  constructor (allowed: Int32Array, ens: number) {
    this.list = Int32Array.from(allowed)
    this.size = allowed.length
    this.passedAt = new Int32Array(ens).fill(-1)
  }

  close (at: number): void {
    this.list[at] = this.list[--this.size]
  }
}

/**
 * true when no further device can go to EN j in this pass, whoever it is. The core's own refusals
 * (full capacity, no slack left) close an EN here only with kappa = 0: with kappa > 0 such an EN
 * still takes a place in the kappa window of the Warmup, as in Algorithm 1.
 */
function closedForAll (en: EdgeNodeInfo, st: AllocationState, o: ResolvedOptions, j: number, c: number): boolean {
  const core = o.kappa === 0
  if (core && en.capacity !== undefined && c + 1 > en.capacity) return true
  if (c === 0) return false
  // LookAheadLoad: one more client must keep the served device of highest network latency in time
  if (o.lookAheadLoad && !(c < maxServableDevices(en, st.maxNetworkEpsT[j] - st.maxNetworkMs[j]))) return true
  // the core would refuse any newcomer: one more client breaks a served device's deadline
  return core && o.protectServed && executionMs(en, c + 1) > st.minSlackMs[j] + EPSILON_MS
}

/** Warmup: FilterAndMinimize + LookAheadLoad; the compatible ENs go to `out`, their count is returned */
function warmup (p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, req: OffloadRequest, a: number, open: OpenEns, out: Int32Array): number {
  const { ens, aps } = p.snapshot
  const rtt = p.rtt[a]
  let n = 0
  for (let i = 0; i < open.size; i++) {
    const j = open.list[i]
    // FilterAndMinimize: reachable within eps_t. Tested first, as most ENs fail it; an EN this
    // device cannot reach is closed later by a device that can (the verdict is the same)
    if (!(rtt[j] < req.epsT)) continue
    const en = ens[j]
    const c = st.count[j]
    if (open.passedAt[j] !== c) {
      if (closedForAll(en, st, o, j, c)) {
        open.close(i--)
        continue
      }
      open.passedAt[j] = c
    }
    // greedy ignores the current load (paper 7(C)): no queue filter, no LookAheadLoad
    if (!o.greedy && queueMs(en.queue, c) >= req.epsT) continue
    out[n++] = j
  }
  return o.kappa > 0 && n > o.kappa ? keepNearest(out, n, o.kappa, rtt) : n
}

/** keep in out[0..k) the k entries of out[0..n) with the lowest RTT (ties: snapshot order), by insertion */
function keepNearest (out: Int32Array, n: number, k: number, rtt: Float64Array): number {
  const before = (x: number, y: number): boolean => rtt[x] < rtt[y] || (rtt[x] === rtt[y] && x < y)
  let size = 0
  for (let i = 0; i < n; i++) {
    const j = out[i]
    if (size === k && !before(j, out[k - 1])) continue
    let pos = size < k ? size++ : k - 1
    while (pos > 0 && before(j, out[pos - 1])) { out[pos] = out[pos - 1]; pos-- }
    out[pos] = j
  }
  return size
}

/** Warmup + Core for one device: the best EN (ties: lower RTT, then snapshot order), or undefined */
export function paperChooseEdge (
  p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, req: OffloadRequest, a: number, counter: { evaluated: number },
  open: OpenEns, scratch: Int32Array
): EdgeChoice | undefined {
  const n = warmup(p, st, o, req, a, open, scratch)
  counter.evaluated += n
  const ens = p.snapshot.ens
  const rtt = p.rtt[a]
  const share = p.apShareMbps[a]
  const w = o.wifiEnergyPerMs
  let best: EdgeChoice | undefined
  let bestScore = Number.POSITIVE_INFINITY
  for (let k = 0; k < n; k++) {
    const j = scratch[k]
    const en = ens[j]
    const c = st.count[j]
    // Core: eq. 4.1, 4.2 and the drop rule of Algorithm 1 line 6
    const networkMs = pathTxMs(req.payloadKB, share, p.enMbps[j], o.pathBandwidth) + rtt[j]
    const le = executionMs(en, c + 1)
    const latency = networkMs + le
    if (!(latency < req.epsT) || !(networkMs * w < req.epsB)) continue
    if (en.capacity !== undefined && c + 1 > en.capacity) continue
    if (o.protectServed && le > st.minSlackMs[j] + EPSILON_MS) continue
    const maxload = maxServableDevices(en, req.epsT)
    const score = o.alpha * latency / req.epsT + o.beta * (maxload > 0 ? c / maxload : Number.POSITIVE_INFINITY)
    if (score < bestScore || (score === bestScore && best !== undefined && (rtt[j] < rtt[best.j] || (rtt[j] === rtt[best.j] && j < best.j)))) {
      bestScore = score
      best = { j, networkMs }
    }
  }
  return best
}

function localAssignment (req: OffloadRequest, stage: number): Assignment {
  return {
    device: req.device,
    target: 'local',
    networkMs: 0,
    inferenceMs: req.localLatencyMs,
    latencyMs: req.localLatencyMs,
    energyMJ: req.localEnergyMJ,
    epsT: req.epsT,
    stage
  }
}

/**
 * One pass of the paper's algorithm over `requests`, mutating `st`. Without Failover (2PMT stage
 * 1) a device not placed on the edge is settled here only when `hiddenFloorMs` (by AP index)
 * shows that the whole-infrastructure pass would decide the same: no EN outside this pass can
 * meet its eps_t (Failover to the cloud or local is final), or its feasible cloud is faster than
 * any such EN could be. Every other one is left local and listed in `undecided` for stage 2.
 */
export function paperPass (
  p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, requests: readonly OffloadRequest[], stage: number,
  hiddenFloorMs?: Float64Array
): PassResult {
  const assignments: Assignment[] = []
  const leftovers: string[] = []
  const undecided: string[] = []
  const counter = { evaluated: 0 }
  const w = o.wifiEnergyPerMs
  const scratch = new Int32Array(p.snapshot.ens.length)
  const open = new OpenEns(p.allowedEns(), p.snapshot.ens.length)
  requests.forEach((req, i) => {
    const a = p.requestAp(req, i)
    let edge = paperChooseEdge(p, st, o, req, a, counter, open, scratch)
    const cloud = findClosestCloud(p.snapshot.clouds, req)
    const c = cloud === undefined ? undefined : wifiCloudOption(req, cloud, p.apShareMbps[a], o)
    const cloudOk = c !== undefined && c.latencyMs <= req.epsT && c.energyMJ <= req.epsB
    const edgeMs = edge === undefined ? Number.POSITIVE_INFINITY : edge.networkMs + executionMs(p.snapshot.ens[edge.j], st.count[edge.j] + 1)
    if (o.cloudWhenFaster && cloudOk && c.latencyMs < edgeMs) edge = undefined
    if (edge !== undefined) {
      st.add(edge.j, { device: req.device, epsT: req.epsT, networkMs: edge.networkMs }, Number.NaN)
      assignments.push({
        device: req.device,
        target: 'edge',
        en: p.snapshot.ens[edge.j].id,
        networkMs: edge.networkMs,
        inferenceMs: 0, // final value set by finalizePaper once the batch is done
        latencyMs: 0,
        energyMJ: edge.networkMs * w,
        epsT: req.epsT,
        stage
      })
      return
    }
    leftovers.push(req.device)
    // settled: no EN hidden from this pass can serve the device, so Failover is final here;
    // or the cloud is faster than any hidden EN could be
    const hidden = hiddenEdgeFloor(p, o, req, a, hiddenFloorMs)
    const settled = o.cloudFailover || hidden >= req.epsT
    if (cloudOk && c !== undefined && (settled || (o.cloudWhenFaster && c.latencyMs < hidden))) {
      assignments.push({
        device: req.device, target: 'cloud', cloud: c.cloud.id, networkMs: c.networkMs, inferenceMs: c.cloud.inferenceMs,
        latencyMs: c.latencyMs, energyMJ: c.energyMJ, epsT: req.epsT, stage
      })
      return
    }
    assignments.push(localAssignment(req, stage))
    if (!settled) undecided.push(req.device)
  })
  return { assignments, leftovers, undecided, evaluated: counter.evaluated }
}

/**
 * Lowest latency any EN hidden from this pass could offer: its floor plus d/BW, which in the
 * bottleneck model is at least d/(R/N) (the cloud's transmission too); 0 in the 'fastest' model.
 */
function hiddenEdgeFloor (p: PreparedSnapshot, o: ResolvedOptions, req: OffloadRequest, a: number, floors?: Float64Array): number {
  if (floors === undefined) return Number.NEGATIVE_INFINITY
  return floors[a] + (o.pathBandwidth === 'bottleneck' ? txMs(req.payloadKB, p.apShareMbps[a]) : 0)
}

/** Edge devices all see Le = TET + q(|S|) of their EN once the batch is allocated. */
export function finalizePaper (p: PreparedSnapshot, st: AllocationState, assignments: Assignment[]): void {
  for (const x of assignments) {
    if (x.target !== 'edge' || x.en === undefined) continue
    const j = p.enIndex.get(x.en)
    if (j === undefined) continue
    x.inferenceMs = executionMs(p.snapshot.ens[j], st.count[j])
    x.latencyMs = x.networkMs + x.inferenceMs
  }
}
