/**
 * Roadside peers with operator certificates and vehicles, all real libp2p nodes on
 * loopback, for the hazard tests and the benchmark.
 */
import type { PrivateKey } from '@libp2p/interface'
import { getHazards, parseHazardsSection, type HazardsFeature } from '../../node/hazards/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { createVehicle, type Vehicle, type VehicleInit } from '../../node/vehicle/index.js'
import type { Position } from '../../protocols/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { pipelinesOf } from '../pipelines/helpers.js'
import { createOperator, roadsideIdentity } from '../helpers/operator.js'
import type { PeerConfig, RadioConfig, SensorConfig } from '../../node/config/schema.js'
import { DEFAULT_PIPELINES_CONFIG, type PipelinesConfig } from '../../node/pipelines/index.js'

/** The peer config fields a pipelines roadside needs (sensors, radios, capacity); also used by bench/chaos. */
export function pipelinesConfig (p: RoadsidePipelines | undefined): Partial<PeerConfig> {
  if (p === undefined) return {}
  return {
    sensors: (p.sensors ?? []).map((type) => ({ id: type, type, driver: 'emulated' })),
    radios: (p.radios ?? []).map((type) => ({ type })),
    capacity: { cpuCores: 2, memoryMb: 2048, maxEdgeFunctions: 16 }
  }
}

/** The `pipelines:` section of such a roadside; also used by bench/chaos. */
export function pipelinesSection (p: RoadsidePipelines | undefined): { pipelines?: PipelinesConfig } {
  if (p === undefined) return {}
  return { pipelines: { ...DEFAULT_PIPELINES_CONFIG, trustedIssuers: p.trusted, roles: p.roles ?? [], idleWorkers: p.idleWorkers ?? 0 } }
}

export interface RoadsideOptions {
  name: string
  position: Position
  bootstrap?: string[]
  /** @default [6, 97] */
  causes?: number[]
  /** @default 5000 around the position */
  radiusM?: number
  /** no certificate: relay only */
  uncertified?: boolean
  transmissionIntervalMs?: number
  clearAfterMs?: number
  heartbeatMs?: number
  /** DHT neighbour discovery rounds @default 5000 */
  discoveryIntervalMs?: number
  /** also run the pipelines feature (DEFAULT_FEATURES wires its finale outputs to hazards) */
  pipelines?: RoadsidePipelines
}

export interface RoadsidePipelines {
  /** formatIssuer form of the trusted descriptor issuers */
  trusted: string[]
  sensors?: Array<SensorConfig['type']>
  radios?: Array<RadioConfig['type']>
  roles?: string[]
  /** @default 0: only stage hosts boot EFs */
  idleWorkers?: number
}

export class HazardMesh {
  readonly mesh = new TestMesh()
  readonly vehicles: Vehicle[] = []
  operator!: PrivateKey
  operatorFile = ''

  async init (): Promise<void> {
    const { key, file } = await createOperator(this.mesh)
    this.operator = key
    this.operatorFile = file
  }

  async roadside (o: RoadsideOptions): Promise<{ peer: EccoPeer, hazards: HazardsFeature }> {
    const { dataDir, hazards: section } = await roadsideIdentity(this.mesh, { key: this.operator, file: this.operatorFile }, {
      name: o.name, position: o.position,
      ...(o.uncertified === undefined ? {} : { uncertified: o.uncertified }),
      ...(o.causes === undefined ? {} : { causes: o.causes }),
      ...(o.radiusM === undefined ? {} : { radiusM: o.radiusM })
    })
    if (o.transmissionIntervalMs !== undefined) section.transmissionIntervalMs = o.transmissionIntervalMs
    if (o.clearAfterMs !== undefined) section.clearAfterMs = o.clearAfterMs
    const peer = await this.mesh.add({
      name: o.name,
      position: o.position,
      dataDir,
      ...(o.bootstrap === undefined ? {} : { bootstrap: o.bootstrap }),
      ...(o.heartbeatMs === undefined ? {} : { heartbeatMs: o.heartbeatMs }),
      config: { ...pipelinesConfig(o.pipelines), sections: { hazards: parseHazardsSection(section, 'hazards'), ...pipelinesSection(o.pipelines) }, discoveryIntervalMs: o.discoveryIntervalMs ?? 5000 }
    })
    const hazards = getHazards(peer)
    if (hazards === undefined) throw new Error(`${o.name}: hazards feature did not start`)
    return { peer, hazards }
  }

  async vehicle (init: Omit<VehicleInit, 'operatorKeys' | 'listen'> & { operatorKeys?: VehicleInit['operatorKeys'] }): Promise<Vehicle> {
    const car = await createVehicle({ operatorKeys: [this.operator.publicKey], listen: ['/ip4/127.0.0.1/tcp/0'], ...init })
    await car.start()
    this.vehicles.push(car)
    return car
  }

  addrOf (peer: EccoPeer): string { return this.mesh.addrOf(peer) }

  async stop (): Promise<void> {
    await Promise.allSettled(this.vehicles.map(async (v) => { await v.stop() }))
    await this.mesh.stop()
  }
}

const HOUR_MS = 3_600_000

/**
 * Road weather at the detector stations, through each peer's SAC: icy (an ice condition)
 * or dry (surface 8 °C, air 12 °C, 60 % humidity), replacing what was set before.
 */
export function stationWeather (peerOf: (i: number) => EccoPeer): (i: number, icy: boolean) => void {
  const conditions = new Map<number, string[]>()
  return (i, icy) => {
    const sac = pipelinesOf(peerOf(i)).sac
    for (const id of conditions.get(i) ?? []) sac.clear(id)
    const now = Date.now()
    conditions.set(i, icy
      ? [sac.inject({ kind: 'ice', from: now - 1000, to: now + HOUR_MS })]
      : ([['road-surface-temperature', 8], ['air-temperature', 12], ['humidity', 60]] as const).map(([sensor, value]) => sac.inject({ kind: 'override', sensor, value, from: now - HOUR_MS, to: now + HOUR_MS })))
  }
}
