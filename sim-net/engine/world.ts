/**
 * The running peers and vehicles of a scenario: starting them through the
 * factories with shaped transports, crashing and restarting peers with the
 * same data directory, and driving vehicles along their routes.
 */
import { join } from 'node:path'
import { distanceMetres } from '../../protocols/index.js'
import { LISTEN_ADDR } from '../constants.js'
import { ScenarioEventError } from '../errors.js'
import { pointAlong, polylineLength } from '../scenario/geometry.js'
import type { LinkEmulator } from '../link/emulator.js'
import type { ScenarioNode, ScenarioVehicle } from '../scenario/schema.js'
import type { SimCondition, SimFactories, SimPeerHandle, SimRecordFn, SimVehicleHandle } from '../types.js'
import type { AbortOptions } from '@libp2p/interface'

/** Live peers a new or restarted peer bootstraps to: its nearest ones. */
const BOOTSTRAP_PEERS = 3

export interface PeerSlot {
  node: ScenarioNode
  handle?: SimPeerHandle
  peerId: string
  state: 'never-started' | 'live' | 'crashed' | 'stopped' | 'failed'
  startedAtMs?: number
  crashes: number
  restarts: number
  /** metrics at the last sample or just before a crash */
  lastMetrics: Record<string, number>
}

export interface VehicleSlot {
  spec: ScenarioVehicle
  handle?: SimVehicleHandle
  lengthM: number
  state: 'never-started' | 'running' | 'stopped' | 'failed'
  track: Array<{ t: number, position: { lat: number, lon: number } }>
  lastMetrics: Record<string, number>
}

export interface WorldInit {
  factories: SimFactories
  emulator: LinkEmulator
  dataRoot: string
  heartbeatMs: number
  cellPrecision?: number
  now: () => number
  record: SimRecordFn
}

export class World {
  readonly peers = new Map<string, PeerSlot>()
  readonly vehicles = new Map<string, VehicleSlot>()
  /** conditions in force, so (re)started peers learn about them */
  readonly conditions = new Map<string, SimCondition>()
  private readonly init: WorldInit

  constructor (nodes: readonly ScenarioNode[], vehicles: readonly ScenarioVehicle[], init: WorldInit) {
    this.init = init
    for (const node of nodes) this.peers.set(node.name, { node, peerId: '', state: 'never-started', crashes: 0, restarts: 0, lastMetrics: {} })
    for (const spec of vehicles) this.vehicles.set(spec.name, { spec, lengthM: polylineLength(spec.route), state: 'never-started', track: [], lastMetrics: {} })
  }

  live (): Map<string, SimPeerHandle> {
    const out = new Map<string, SimPeerHandle>()
    for (const [name, s] of this.peers) if (s.state === 'live' && s.handle !== undefined) out.set(name, s.handle)
    return out
  }

  /** Multiaddrs of the live peers nearest to a position. */
  bootstrapFor (position: { lat: number, lon: number }, exclude: string): string[] {
    return [...this.peers.values()]
      .filter(s => s.state === 'live' && s.handle !== undefined && s.node.name !== exclude)
      .map(s => ({ s, d: distanceMetres(position, s.node.position) }))
      .sort((a, b) => a.d - b.d || (a.s.node.name < b.s.node.name ? -1 : 1))
      .slice(0, BOOTSTRAP_PEERS)
      .flatMap(({ s }) => s.handle?.multiaddrs.slice(0, 1) ?? [])
  }

  async startPeer (name: string, restart: boolean, options: AbortOptions = {}): Promise<SimPeerHandle> {
    const slot = this.slot(name)
    const n = slot.node
    try {
      const handle = await this.init.factories.peers.createPeer({
        name: n.name,
        position: n.position,
        tier: n.tier,
        sensors: n.sensors,
        radios: n.radios,
        capacity: n.capacity,
        dataDir: join(this.init.dataRoot, 'peers', n.name),
        bootstrap: this.bootstrapFor(n.position, n.name),
        heartbeatMs: this.init.heartbeatMs,
        ...(this.init.cellPrecision === undefined ? {} : { cellPrecision: this.init.cellPrecision }),
        listen: LISTEN_ADDR,
        transportWrapper: this.init.emulator.transportFor(n.name),
        record: this.init.record,
        restart
      }, options)
      this.init.emulator.register(n.name, handle.multiaddrs)
      slot.handle = handle
      slot.peerId = handle.peerId
      slot.state = 'live'
      slot.startedAtMs = this.init.now()
      if (restart) slot.restarts++
      for (const c of this.conditions.values()) await this.init.factories.sensors?.conditionStarted(handle, c, options)
      return handle
    } catch (err) {
      slot.state = 'failed'
      throw err
    }
  }

  async crash (name: string): Promise<void> {
    const slot = this.slot(name)
    if (slot.state !== 'live' || slot.handle === undefined) throw new ScenarioEventError(`cannot crash "${name}": it is ${slot.state}`)
    slot.lastMetrics = safeMetrics(slot.handle)
    slot.state = 'crashed'
    slot.crashes++
    await slot.handle.kill()
  }

  /** The peer went down without a crash event (its process died): it counts as crashed and may be restarted. */
  lost (name: string, peerId: string): boolean {
    const slot = this.peers.get(name)
    if (slot === undefined || slot.state !== 'live' || slot.peerId !== peerId) return false
    slot.state = 'crashed'
    slot.crashes++
    return true
  }

  async restart (name: string, options: AbortOptions = {}): Promise<void> {
    const slot = this.slot(name)
    if (slot.state !== 'crashed') throw new ScenarioEventError(`cannot restart "${name}": it is ${slot.state}, not crashed`)
    await this.startPeer(name, true, options)
  }

  async startVehicle (name: string, options: AbortOptions = {}): Promise<void> {
    const v = this.vehicles.get(name)
    const factory = this.init.factories.vehicles
    if (v === undefined || factory === undefined) throw new ScenarioEventError(`cannot start vehicle "${name}"`)
    const position = v.spec.route[0]
    try {
      v.handle = await factory.createVehicle({
        name,
        position,
        route: v.spec.route,
        speedKmh: v.spec.speedKmh,
        dataDir: join(this.init.dataRoot, 'vehicles', name),
        bootstrap: this.bootstrapFor(position, name),
        listen: LISTEN_ADDR,
        transportWrapper: this.init.emulator.transportFor(name),
        record: this.init.record
      }, options)
      this.init.emulator.register(name, v.handle.multiaddrs)
      v.state = 'running'
    } catch (err) {
      v.state = 'failed'
      throw err
    }
  }

  /** Moves every running vehicle to where its speed has taken it along its route. */
  moveVehicles (nowMs: number, sample: boolean): void {
    for (const v of this.vehicles.values()) {
      if (v.state !== 'running' || v.handle === undefined) continue
      let m = (nowMs - v.spec.startAtMs) / 3_600_000 * v.spec.speedKmh * 1000
      if (v.spec.loop && v.lengthM > 0) m %= v.lengthM
      const p = pointAlong(v.spec.route, Math.min(m, v.lengthM))
      v.handle.moveTo(p.position, p.headingDeg)
      if (sample) v.track.push({ t: nowMs, position: p.position })
    }
  }

  async conditionStarted (c: SimCondition, options: AbortOptions = {}): Promise<number> {
    // one wall-clock start for every peer, whichever process it runs in and whenever it (re)starts
    c.startedAt ??= Date.now()
    this.conditions.set(c.id, c)
    const live = [...this.live().values()]
    await Promise.all(live.map(async h => this.init.factories.sensors?.conditionStarted(h, c, options)))
    return live.length
  }

  async conditionEnded (id: string, options: AbortOptions = {}): Promise<number> {
    this.conditions.delete(id)
    const live = [...this.live().values()]
    await Promise.all(live.map(async h => this.init.factories.sensors?.conditionEnded(h, id, options)))
    return live.length
  }

  /** Graceful stop of everything still running; errors are collected, not thrown. */
  async stopAll (): Promise<Error[]> {
    const errors: Error[] = []
    const stop = async (what: string, fn: () => Promise<void>): Promise<void> => {
      try { await fn() } catch (err) { errors.push(new ScenarioEventError(`stopping ${what}: ${(err as Error).message}`)) }
    }
    await Promise.all([...this.vehicles.values()].map(async v => {
      if (v.state !== 'running' || v.handle === undefined) return
      const h = v.handle
      v.lastMetrics = safeMetrics(h)
      v.state = 'stopped'
      await stop(v.spec.name, async () => h.stop())
    }))
    await Promise.all([...this.peers.values()].map(async s => {
      if (s.state !== 'live' || s.handle === undefined) return
      const h = s.handle
      s.lastMetrics = safeMetrics(h)
      s.state = 'stopped'
      await stop(s.node.name, async () => h.stop())
    }))
    return errors
  }

  private slot (name: string): PeerSlot {
    const s = this.peers.get(name)
    if (s === undefined) throw new ScenarioEventError(`unknown node "${name}"`)
    return s
  }
}

export function safeMetrics (h: { metrics: () => Record<string, number> }): Record<string, number> {
  try {
    return h.metrics()
  } catch {
    return {}
  }
}
