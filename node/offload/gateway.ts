/**
 * The T1 gateway role: devices attach to this peer (it is their AP in the model). Devices that
 * complete a handshake within `batchWindowMs` form one batch (the paper's MD batch), sent as
 * one Solve to the slice's stage-1 solver. The gateway answers each device with its candidate
 * list: the reserved target first, then the cloud when it meets both constraints as a fallback.
 */
import {
  findClosestCloud, resolveOptions, toOffloadRequest, wifiCloudOption, wifiShareMbps,
  type DeviceRequirements, type OffloadPlacement
} from '../../protocols/index.js'
import type { NimbusConfig } from './config.js'
import type { SolveInput, SolveOutput } from './solver.js'

export interface GatewayDeps {
  self: string
  position: { lat: number, lon: number }
  config: NimbusConfig
  /** route a stage-1 Solve to the slice's solver (with failover) */
  solve: (input: SolveInput, signal?: AbortSignal) => Promise<SolveOutput>
}

interface Waiter {
  req: DeviceRequirements
  client: string
  resolve: (candidates: OffloadPlacement[]) => void
  reject: (err: Error) => void
}

/** A device attached through this gateway: who it is and where its reservation is. */
export interface Attachment {
  client: string
  placement: OffloadPlacement
  /** ms since epoch: the reservation's lease ends then, and so does the attachment */
  expiresAt: number
}

export class GatewayBatcher {
  private readonly deps: GatewayDeps
  private waiting: Waiter[] = []
  private timer?: ReturnType<typeof setTimeout>
  private readonly inFlight = new Set<Promise<void>>()
  private readonly controller = new AbortController()
  /** devices holding a placement made through this gateway, by device id */
  readonly attached = new Map<string, Attachment>()
  readonly stats = { batches: 0, devices: 0, failures: 0 }

  constructor (deps: GatewayDeps) {
    this.deps = deps
  }

  get pending (): number { return this.waiting.length }

  /** Queue a device for the next batch; resolves with its candidate list. */
  async submit (req: DeviceRequirements, client: string): Promise<OffloadPlacement[]> {
    return await new Promise<OffloadPlacement[]>((resolve, reject) => {
      this.waiting.push({ req, client, resolve, reject })
      if (this.waiting.length >= this.deps.config.maxBatch) this.flush()
      else this.timer ??= setTimeout(() => { this.flush() }, this.deps.config.batchWindowMs)
    })
  }

  /** N of R/N: devices attached now plus the new ones of this batch */
  private users (batch: readonly Waiter[]): number {
    return this.attached.size + batch.filter((w) => !this.attached.has(w.req.device)).length
  }

  private flush (): void {
    clearTimeout(this.timer)
    this.timer = undefined
    const batch = this.waiting.splice(0, this.deps.config.maxBatch)
    if (this.waiting.length > 0) this.timer = setTimeout(() => { this.flush() }, this.deps.config.batchWindowMs)
    if (batch.length === 0) return
    const p = this.run(batch).finally(() => this.inFlight.delete(p))
    this.inFlight.add(p)
  }

  private async run (batch: Waiter[]): Promise<void> {
    const { self, position, config } = this.deps
    const users = this.users(batch)
    const input: SolveInput = {
      stage: 1,
      slice: '',
      aps: [{ id: self, users, bandwidthMbps: config.apBandwidthMbps, lat: position.lat, lon: position.lon }],
      items: batch.map((w) => ({ req: w.req, ap: self }))
    }
    this.stats.batches++
    this.stats.devices += batch.length
    try {
      const out = await this.deps.solve(input, this.controller.signal)
      const byDevice = new Map(out.placements.map((p) => [p.device, p]))
      for (const w of batch) {
        const p = byDevice.get(w.req.device)
        if (p === undefined) { w.reject(new Error(`no placement for ${w.req.device}`)); continue }
        const lease = Math.min(w.req.leaseMs !== undefined && w.req.leaseMs > 0 ? w.req.leaseMs : config.leaseMs, config.maxLeaseMs)
        if (p.target !== 'local') this.attached.set(w.req.device, { client: w.client, placement: p, expiresAt: Date.now() + lease })
        w.resolve(this.candidates(w.req, p, users))
      }
    } catch (err) {
      this.stats.failures++
      for (const w of batch) w.reject(err instanceof Error ? err : new Error(String(err)))
    }
  }

  /** the placement, then the cloud as a fallback candidate when it meets eps_t and eps_b */
  private candidates (req: DeviceRequirements, p: OffloadPlacement, users: number): OffloadPlacement[] {
    if (p.target !== 'edge') return [p]
    const { config, self } = this.deps
    const request = toOffloadRequest(req, self)
    const cloud = findClosestCloud(config.clouds, request)
    if (cloud === undefined) return [p]
    const c = wifiCloudOption(request, cloud, wifiShareMbps(config.apBandwidthMbps, users, 'attached'), resolveOptions(config.solver))
    if (c.latencyMs > req.epsT || c.energyMJ > req.epsB) return [p]
    return [p, {
      device: req.device, target: 'cloud', cloud: cloud.id, multiaddrs: [], networkMs: c.networkMs, inferenceMs: cloud.inferenceMs,
      latencyMs: c.latencyMs, energyMJ: c.energyMJ, epsT: req.epsT, stage: p.stage, solver: p.solver, reserved: false
    }]
  }

  /** Release phase at the gateway: forget the device if `client` attached it. */
  detach (device: string, client: string): Attachment | undefined {
    const a = this.attached.get(device)
    if (a === undefined || a.client !== client) return undefined
    this.attached.delete(device)
    return a
  }

  /** forget attachments whose lease ended (their ENs dropped the reservations too) */
  expire (now = Date.now()): number {
    let n = 0
    for (const [device, a] of this.attached) if (a.expiresAt <= now) { this.attached.delete(device); n++ }
    return n
  }

  async stop (): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    const err = new Error('gateway stopping')
    for (const w of this.waiting.splice(0)) w.reject(err)
    this.controller.abort(err)
    await Promise.allSettled([...this.inFlight])
  }
}
