/**
 * Plain-data types of the Nimbus solver. Everything here is structured-cloneable so a
 * snapshot can be posted to a worker thread (MT) or, later, encoded for the mesh.
 * Units: ms, Mbps, KB, mJ.
 */

/** Edge tier (T1 = augmented AP, T2 = micro-server, T3 = GPU server). */
export type NimbusTier = 't1' | 't2' | 't3'

/** Which algorithm to run: the paper's (sections 4-5) or the published simulator's. */
export type NimbusMode = 'paper' | 'reference'

/** Linear queue-time curve q(n) = max(0, slopeMs * n + interceptMs), n = clients incl. the new one. */
export interface QueueCurve {
  slopeMs: number
  interceptMs: number
}

/** A device already served by an edge node: what the EN needs to protect its deadline. */
export interface ServedDevice {
  device: string
  /** eps_t of the device */
  epsT: number
  /** Lt = d/BW + RTT of the device to this EN */
  networkMs: number
}

export interface EdgeNodeInfo {
  id: string
  tier: NimbusTier
  /** the access point this node is co-located with (T1 only) */
  ap?: string
  /** link bandwidth of the node */
  bandwidthMbps: number
  /** TET_j: task execution (inference) time */
  tetMs: number
  queue: QueueCurve
  /** hard cap on served devices (a peer's configured capacity); unlimited when absent */
  capacity?: number
  /** devices the node already serves before this batch (e.g. from the load registry) */
  served?: ServedDevice[]
}

export interface AccessPointInfo {
  id: string
  /** N of the R/N share: devices attached to this AP */
  users: number
  /** R: nominal Wi-Fi data rate of the AP */
  bandwidthMbps: number
  /** RTT from this AP to every edge node, aligned with `InfrastructureSnapshot.ens` */
  rttMs: number[]
}

export interface CloudInfo {
  id: string
  /** RTT used when a device does not report its own */
  rttMs: number
  /** constant execution latency in the cloud (no queue) */
  inferenceMs: number
}

export interface InfrastructureSnapshot {
  ens: EdgeNodeInfo[]
  aps: AccessPointInfo[]
  clouds: CloudInfo[]
}

/** One offload request (the handshake: requirements and benchmark of the device). */
export interface OffloadRequest {
  device: string
  /** id of the AP the device is attached to */
  ap: string
  /** eps_t: latency threshold, 1000 / FPS */
  epsT: number
  /** eps_b = TEC_i: energy of running the task locally */
  epsB: number
  /** d_i */
  payloadKB: number
  /** local inference latency of the device */
  localLatencyMs: number
  /** local energy (also the budget eps_b in the paper model) */
  localEnergyMJ: number
  /** cellular uplink, for the cloud-over-4G baseline */
  lteMbps?: number
  /** RTT the device measured to each cloud, by cloud id (signed, as sampled) */
  cloudRttMs?: Record<string, number>
}

export type NimbusTarget = 'edge' | 'cloud' | 'local'

export interface Assignment {
  device: string
  target: NimbusTarget
  /** edge node id when target is edge */
  en?: string
  /** cloud id when target is cloud */
  cloud?: string
  /** Lt (0 for local) */
  networkMs: number
  /** Le, or local inference latency */
  inferenceMs: number
  /** L = networkMs + inferenceMs; for edge devices this is the final value after the whole batch */
  latencyMs: number
  /** B: energy spent by the device (local energy when local) */
  energyMJ: number
  /** eps_t of the device, so results can be checked without the request */
  epsT: number
  /** reference mode only: edge infeasible, cloud feasible, and nothing was done (REFERENCE-ALGORITHM 9.1) */
  unassigned?: boolean
  /** solver stage that placed it (2PMT: 1 or 2) */
  stage?: number
}

export interface SolveStats {
  /** wall-clock time of the device loop */
  solveMs: number
  /** candidate ENs scored in the core phase */
  evaluated: number
}

export interface SolveResult {
  assignments: Assignment[]
  /** devices not placed on the edge (cloud or local): the input of a second stage */
  leftovers: string[]
  stats: SolveStats
}
