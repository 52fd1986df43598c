/**
 * sim-net's SimPeerFactory implemented with the real peer: every emulated
 * roadside unit is a createEccoPeer() over a shaped TCP transport.
 */
import { tcp } from '@libp2p/tcp'
import type { SimPeerFactory, SimPeerHandle, SimPeerSpec } from '../../sim-net/index.js'
import { defaultConfig } from '../config/parse.js'
import { SENSOR_TYPES, RADIO_TYPES, type PeerConfig, type RadioType, type SensorType } from '../config/schema.js'
import { createLogger } from '../logger.js'
import { createEccoPeer, type EccoPeer } from '../peer.js'
import type { PeerFeatureFactory } from '../features.js'

export interface SimPeerFactoryInit {
  /** features every simulated peer runs; defaults to the peer's defaults */
  features?: PeerFeatureFactory[]
  /** extra config applied to every peer (e.g. feature sections) */
  config?: Partial<PeerConfig>
}

function toConfig (spec: SimPeerSpec, extra: Partial<PeerConfig>): PeerConfig {
  const sensors = spec.sensors.filter((s): s is SensorType => (SENSOR_TYPES as readonly string[]).includes(s))
  const radios = spec.radios.filter((r): r is RadioType => (RADIO_TYPES as readonly string[]).includes(r))
  return {
    ...defaultConfig(spec.dataDir),
    name: spec.name,
    position: spec.position,
    tier: spec.tier,
    sensors: sensors.map((type) => ({ id: type, type, driver: 'emulated' })),
    radios: radios.map((type) => ({ type })),
    capacity: { ...spec.capacity },
    listen: [spec.listen],
    bootstrap: spec.bootstrap,
    bootstrapMode: spec.bootstrap.length === 0,
    heartbeatMs: spec.heartbeatMs,
    logLevel: 'error',
    ...extra
  }
}

export function handleFor (peer: EccoPeer, name: string): SimPeerHandle {
  return {
    name,
    peerId: peer.peerId.toString(),
    multiaddrs: peer.multiaddrs(),
    stop: async () => { await peer.stop() },
    kill: async () => { await peer.kill() },
    metrics: () => peer.flatMetrics(),
    registryDigest: () => peer.membershipDigest(),
    registryMembers: () => peer.libp2p.services.state.livePeers(),
    liveNeighbours: () => [...new Set(peer.libp2p.getConnections().map((c) => c.remotePeer.toString()))]
  }
}

export function createSimPeerFactory (init: SimPeerFactoryInit = {}): SimPeerFactory & { peers: Map<string, EccoPeer> } {
  const peers = new Map<string, EccoPeer>()
  return {
    peers,
    createPeer: async (spec) => {
      const wrap = spec.transportWrapper
      const peer = await createEccoPeer({
        config: toConfig(spec, init.config ?? {}),
        log: createLogger({ level: 'error', base: { peer: spec.name } }),
        transports: [wrap === undefined ? tcp() : wrap(tcp())],
        ...(init.features === undefined ? {} : { features: init.features })
      })
      await peer.start()
      peers.set(spec.name, peer)
      return handleFor(peer, spec.name)
    }
  }
}
