/**
 * Indexed views of a snapshot (PreparedSnapshot) and the per-EN bookkeeping of an allocation
 * (AllocationState). Both are internal to the solvers but exported for the mesh, which keeps one
 * state per slice and merges them for stage 2.
 */
import { InvalidNimbusInputError } from './errors.js'
import { wifiShareMbps } from './model.js'
import type { ResolvedOptions } from './options.js'
import type { InfrastructureSnapshot, OffloadRequest, ServedDevice } from './types.js'

export class PreparedSnapshot {
  readonly snapshot: InfrastructureSnapshot
  readonly enIndex = new Map<string, number>()
  readonly apIndex = new Map<string, number>()
  /** R/N of every AP */
  readonly apShareMbps: Float64Array
  /**
   * every AP's RTT row as a typed array: rows that crossed a worker boundary (structured clone)
   * come back as arrays of boxed numbers, which the solver loops read several times slower
   */
  readonly rtt: Float64Array[]
  /** the EN's own rate on the path: its link, or (published simulator) its AP's R/(N+1) */
  readonly enMbps: Float64Array
  /** ENs the solver may use */
  readonly allowed: Uint8Array
  private readonly allowedList: Int32Array

  constructor (snapshot: InfrastructureSnapshot, options: Pick<ResolvedOptions, 'wifiShare' | 'pathBandwidth' | 'slice'>) {
    this.snapshot = snapshot
    const { ens, aps } = snapshot
    ens.forEach((en, j) => {
      if (this.enIndex.has(en.id)) throw new InvalidNimbusInputError(`ens[${j}].id: duplicate id ${en.id}`)
      if (!(en.bandwidthMbps > 0)) throw new InvalidNimbusInputError(`ens[${j}].bandwidthMbps: must be > 0, got ${en.bandwidthMbps}`)
      if (!(en.tetMs >= 0)) throw new InvalidNimbusInputError(`ens[${j}].tetMs: must be >= 0, got ${en.tetMs}`)
      this.enIndex.set(en.id, j)
    })
    this.apShareMbps = new Float64Array(aps.length)
    this.rtt = aps.map((ap) => Float64Array.from(ap.rttMs))
    aps.forEach((ap, a) => {
      if (this.apIndex.has(ap.id)) throw new InvalidNimbusInputError(`aps[${a}].id: duplicate id ${ap.id}`)
      if (ap.rttMs.length !== ens.length) throw new InvalidNimbusInputError(`aps[${a}].rttMs: has ${ap.rttMs.length} entries, expected ${ens.length} (one per EN)`)
      if (!(ap.bandwidthMbps > 0)) throw new InvalidNimbusInputError(`aps[${a}].bandwidthMbps: must be > 0, got ${ap.bandwidthMbps}`)
      this.apIndex.set(ap.id, a)
      this.apShareMbps[a] = wifiShareMbps(ap.bandwidthMbps, ap.users, options.wifiShare)
    })
    this.enMbps = new Float64Array(ens.length)
    ens.forEach((en, j) => {
      const a = en.ap === undefined ? undefined : this.apIndex.get(en.ap)
      this.enMbps[j] = options.pathBandwidth === 'fastest' && a !== undefined
        ? wifiShareMbps(en.bandwidthMbps, aps[a].users, options.wifiShare)
        : en.bandwidthMbps
    })
    this.allowed = new Uint8Array(ens.length)
    if (options.slice === undefined) {
      this.allowed.fill(1)
    } else {
      for (const id of options.slice) {
        const j = this.enIndex.get(id)
        if (j === undefined) throw new InvalidNimbusInputError(`slice: unknown EN id ${id}`)
        this.allowed[j] = 1
      }
    }
    const list: number[] = []
    this.allowed.forEach((ok, j) => { if (ok === 1) list.push(j) })
    this.allowedList = Int32Array.from(list)
  }

  /** allowed EN indices in snapshot order */
  allowedEns (): Int32Array {
    return this.allowedList
  }

  requestAp (req: OffloadRequest, i: number): number {
    const a = this.apIndex.get(req.ap)
    if (a === undefined) throw new InvalidNimbusInputError(`requests[${i}].ap: unknown AP ${req.ap} (device ${req.device})`)
    if (!(req.epsT > 0)) throw new InvalidNimbusInputError(`requests[${i}].epsT: must be > 0, got ${req.epsT}`)
    if (!(req.payloadKB >= 0)) throw new InvalidNimbusInputError(`requests[${i}].payloadKB: must be >= 0, got ${req.payloadKB}`)
    return a
  }
}

/** Summary of one EN's served devices: all the solvers need to check the next assignment. */
export interface EnLoad {
  count: number
  /** highest network latency among served devices, and that device's eps_t (LookAheadLoad) */
  maxNetworkMs: number
  maxNetworkEpsT: number
  /** min over served devices of eps_t - Lt: the largest Le the EN may reach */
  minSlackMs: number
  /** published simulator: the `worst_agent` (REFERENCE-ALGORITHM 9.3) and the last inference estimate */
  refWorstNetworkMs: number
  refWorstEpsT: number
  refLastInferenceMs: number
}

export class AllocationState {
  readonly count: Int32Array
  readonly maxNetworkMs: Float64Array
  readonly maxNetworkEpsT: Float64Array
  readonly minSlackMs: Float64Array
  readonly refWorstNetworkMs: Float64Array
  readonly refWorstEpsT: Float64Array
  readonly refLastInferenceMs: Float64Array

  constructor (snapshot: InfrastructureSnapshot) {
    const m = snapshot.ens.length
    this.count = new Int32Array(m)
    this.maxNetworkMs = new Float64Array(m).fill(Number.NEGATIVE_INFINITY)
    this.maxNetworkEpsT = new Float64Array(m).fill(Number.POSITIVE_INFINITY)
    this.minSlackMs = new Float64Array(m).fill(Number.POSITIVE_INFINITY)
    this.refWorstNetworkMs = new Float64Array(m).fill(Number.NaN)
    this.refWorstEpsT = new Float64Array(m).fill(Number.NaN)
    this.refLastInferenceMs = new Float64Array(m).fill(Number.NaN)
    snapshot.ens.forEach((en, j) => {
      for (const s of en.served ?? []) this.add(j, s, Number.NaN)
    })
  }

  /** record that EN j now serves `device`; `inferenceMs` is the published simulator's estimate */
  add (j: number, device: ServedDevice, inferenceMs: number): void {
    if (this.count[j] === 0) {
      this.refWorstNetworkMs[j] = device.networkMs
      this.refWorstEpsT[j] = device.epsT
    }
    this.count[j]++
    if (device.networkMs > this.maxNetworkMs[j]) {
      this.maxNetworkMs[j] = device.networkMs
      this.maxNetworkEpsT[j] = device.epsT
    }
    const slack = device.epsT - device.networkMs
    if (slack < this.minSlackMs[j]) this.minSlackMs[j] = slack
    if (!Number.isNaN(inferenceMs)) this.refLastInferenceMs[j] = inferenceMs
  }

  exportEn (j: number): EnLoad {
    return {
      count: this.count[j],
      maxNetworkMs: this.maxNetworkMs[j],
      maxNetworkEpsT: this.maxNetworkEpsT[j],
      minSlackMs: this.minSlackMs[j],
      refWorstNetworkMs: this.refWorstNetworkMs[j],
      refWorstEpsT: this.refWorstEpsT[j],
      refLastInferenceMs: this.refLastInferenceMs[j]
    }
  }
}
