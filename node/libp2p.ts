/**
 * The libp2p assembly of a peer: TCP, Noise, Yamux, identify, ping, a
 * Kademlia DHT under `/ecco`, gossipsub with StrictSign, and the ECCO
 * services that need a libp2p component bag.
 */
import { createHash } from 'node:crypto'
import { gossipsub } from '@chainsafe/libp2p-gossipsub'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper, type KadDHT } from '@libp2p/kad-dht'
import { ping, type PingService } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p, type Libp2p } from 'libp2p'
import type { ComponentLogger, ConnectionGater, PrivateKey, PubSub, Transport } from '@libp2p/interface'
import type { GossipsubEvents } from '@chainsafe/libp2p-gossipsub'
import {
  antiEntropy, BEATS_PROTOCOL, cellDiscovery, stateGossip, withoutSelfInRoutingTable,
  type AntiEntropy, type CellDiscovery, type PeerStateInput, type Position, type ReplicatedMap, type StateGossip
} from '../protocols/index.js'
import { securityAssembly, type SecurityService } from './security/index.js'

export const DHT_PROTOCOL = '/ecco/kad/1.0.0'
/**
 * kad-dht's k: how many peers hold a provider record, and how many of the
 * closest a walk starts from. libp2p's 20 suits a public network of many
 * thousands with churn. A walk queries about k peers and a roadside peer keeps
 * about 20 connections, so it dials most of them: at 200 peers, k = 20 had each
 * walk dial a tenth of the fleet, and the budget closed those connections again.
 * Roadside peers are fixed and rarely churn; 10 replicas are plenty.
 */
export const DHT_K = 10
const INBOUND_CONNECTIONS_PER_HOST_PER_SECOND = 100
const DIAL_TIMEOUT_MS = 10_000

// a type alias, not an interface: libp2p's ServiceMap needs an index signature
export type EccoServices = {
  identify: ReturnType<ReturnType<typeof identify>>
  ping: PingService
  dht: KadDHT
  pubsub: PubSub<GossipsubEvents>
  sync: AntiEntropy
  discovery: CellDiscovery
  state: StateGossip
  /** membership, topic guard and DHT admission (node/security) */
  security: SecurityService
}

export type EccoLibp2p = Libp2p<EccoServices>

export interface EccoLibp2pInit {
  privateKey: PrivateKey
  listen: string[]
  position: Position
  cellPrecision: number
  discoveryIntervalMs: number
  /** neighbours also come from the registry (node/registry-neighbours.ts): DHT rounds can back off sooner */
  neighboursFromRegistry?: boolean
  /** connection budget of discovery (protocols/discovery/budget.ts); 0 turns it off */
  maxConnections?: number
  heartbeatMs: number
  goneAfterHeartbeats: number
  /** members only; vehicles send no beats */
  beatFanout?: number
  /** the local registry entry; node/ refreshes load through the state service */
  state: PeerStateInput
  /** the registry's replicated map (persisted by node/) */
  registry: ReplicatedMap
  /** vehicles: DHT client mode, no cell provided, not a registry member */
  client?: boolean
  /** sim-net wraps or replaces the transport to shape links */
  transports?: Array<(components: any) => Transport>
  connectionGater?: ConnectionGater
  logger?: ComponentLogger
  /** permissioned mode (node/security): tuned gossipsub peer scoring @default false */
  permissioned?: boolean
}

/**
 * Gossipsub verifies the signature of every copy it receives before its
 * seen-cache check; this id lets it drop the copies of a message it already
 * has first. The signature is part of the id, so a forged copy sent ahead of
 * the genuine one cannot suppress it.
 */
function fastMsgIdFn (msg: { from?: Uint8Array, seqno?: Uint8Array, topic: string, data?: Uint8Array, signature?: Uint8Array }): string {
  const h = createHash('sha256')
  for (const part of [msg.from, msg.seqno, msg.data, msg.signature]) {
    h.update(String(part?.byteLength ?? -1))
    if (part !== undefined) h.update(part)
  }
  return h.update(msg.topic).digest('base64')
}

/**
 * Gossipsub's defaults (D 6, Dhi 12, Dlazy 6) size a mesh for thousands of
 * anonymous peers. Roadside peers are a certified fleet whose neighbours are
 * all connected, so every state heartbeat was received 6-12 times: a smaller
 * mesh carries each message about half as often (measured: wire bytes per idle
 * peer -30 % at 20 peers) and lazy gossip still repairs a lost copy.
 */
const FLEET_MESH = { D: 4, Dlo: 3, Dhi: 6, Dout: 2, Dscore: 2, Dlazy: 3 }

export async function createEccoLibp2p (init: EccoLibp2pInit): Promise<EccoLibp2p> {
  const client = init.client ?? false
  // the gater and score function must exist before libp2p; the security feature configures them
  const security = securityAssembly({ gater: init.connectionGater ?? { denyDialMultiaddr: () => false }, scoring: init.permissioned === true })
  // the budget (in discovery) closes connections that liveness (in state) must hear of first
  const node: EccoLibp2p = await createLibp2p({
    privateKey: init.privateKey,
    addresses: { listen: init.listen },
    transports: init.transports ?? [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: security.gater,
    connectionManager: {
      // a roadside cabinet or sim-net host may run many peers behind one address
      inboundConnectionThreshold: INBOUND_CONNECTIONS_PER_HOST_PER_SECOND,
      dialTimeout: DIAL_TIMEOUT_MS,
      // libp2p 2.9 leaves these undefined, which gives p-retry a NaN timeout
      reconnectRetryInterval: 1000,
      reconnectBackoffFactor: 2
    },
    // Off. On a saturated event loop (many peers in one process, a loaded
    // machine) its pings timed out, or collided with the DHT's contact pings,
    // on healthy connections, and aborting them cost redials that loaded the
    // loop further until discovery stalled. Without aborting, its pings only
    // refreshed an RTT nothing here reads, at the price of a new stream per
    // connection per interval. Dead connections end on socket errors, and the
    // registry marks silent peers gone by their heartbeat.
    connectionMonitor: { enabled: false },
    ...(init.logger === undefined ? {} : { logger: init.logger }),
    start: false,
    services: {
      identify: identify(),
      // the DHT's contact checks ping; with one outbound ping stream a collision
      // (then with the connection monitor's) failed a check, and the peer never
      // entered the routing table (a late joiner stayed alone)
      ping: ping({ maxOutboundStreams: 2 }),
      // GET_PROVIDERS answers name the asker: without the guard each lookup pings itself
      dht: withoutSelfInRoutingTable(kadDHT({
        protocol: DHT_PROTOCOL,
        kBucketSize: DHT_K,
        clientMode: client,
        // roadside networks are private address space: keep every address
        peerInfoMapper: passthroughMapper,
        initialQuerySelfInterval: 250,
        logPrefix: 'ecco:dht',
        datastorePrefix: '/ecco-dht'
      })),
      pubsub: gossipsub({
        globalSignaturePolicy: 'StrictSign',
        fastMsgIdFn,
        // scoring tuned for a small fleet (node/security/score.ts); loopback is
        // exempt from the per-IP penalty: one machine running many peers on purpose
        ...security.gossipsub,
        ...FLEET_MESH,
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        fallbackToFloodsub: false
      }),
      sync: antiEntropy(),
      discovery: cellDiscovery({
        position: init.position,
        precision: init.cellPrecision,
        intervalMs: init.discoveryIntervalMs,
        // the registry names new neighbours between rounds: after the first
        // rounds the DHT is only the safety net, one walk an interval. Each
        // walk dials peers across the fleet that the budget closes again: at
        // 200 peers the periodic rounds of nine lookups kept every peer
        // dialling (at 50, they were a fifth of an idle fleet's CPU)
        learnsNeighbours: init.neighboursFromRegistry === true,
        replication: DHT_K,
        provide: !client,
        ...(init.maxConnections === undefined ? {} : { maxConnections: init.maxConnections }),
        // open on every connection of a member: they do not make one needed
        idleProtocols: [DHT_PROTOCOL, BEATS_PROTOCOL],
        beforeClose: async (connection, options) => { await node.services.state.release(connection, options) }
      }),
      state: stateGossip({
        state: init.state,
        registry: init.registry,
        heartbeatMs: init.heartbeatMs,
        goneAfterHeartbeats: init.goneAfterHeartbeats,
        ...(init.beatFanout === undefined ? {} : { beatFanout: init.beatFanout }),
        member: !client
      }),
      security: security.service
    }
  }) as EccoLibp2p
  return node
}
