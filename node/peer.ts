/**
 * An ECCO peer: the composition of store, identity, libp2p with the ECCO
 * services, the persisted registry and the status API. The CLI and sim-net
 * both start peers through `createEccoPeer`.
 */
import { TypedEventEmitter, type ConnectionGater, type PeerId, type Transport } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createHash } from 'node:crypto'
import { encodeGeohash, distanceMetres, PeerState, type RegistryEntry } from '../protocols/index.js'
import type { PeerConfig } from './config/schema.js'
import { startStatusServer, type StatusServer } from './http.js'
import { loadOrCreateIdentity } from './identity.js'
import { createEccoLibp2p, type EccoLibp2p } from './libp2p.js'
import { createLogger, type Log } from './logger.js'
import { collectPeerMetrics } from './peer-metrics.js'
import { renderPrometheus } from './metrics.js'
import { LoadSampler } from './load.js'
import { openRegistryMap, type PersistentRegistry } from './registry.js'
import { learnNeighboursFromRegistry } from './registry-neighbours.js'
import { openPeerStore, type PeerStore } from './store.js'
import { DEFAULT_FEATURES, type PeerFeature, type PeerFeatureFactory } from './features.js'
import type { SecurityConfig } from './security/index.js'

const BOOTSTRAP_DIAL_TIMEOUT_MS = 10_000
/** after the last connection closed: a restarting neighbour or a reconnect under way may come first */
const REJOIN_DELAY_MS = 2000

export interface EccoPeerInit {
  config: PeerConfig
  log?: Log
  /** sim-net shapes links by replacing the transport */
  transports?: Array<(components: any) => Transport>
  /** deployments gate by certificate; tests and sim-net partition with it */
  connectionGater?: ConnectionGater
  /**
   * Capabilities composed onto the peer.
   * @default DEFAULT_FEATURES
   */
  features?: PeerFeatureFactory[]
  /**
   * Publish this process' CPU and memory as the peer's load. Peers sharing one
   * process (sim-net's one-process mode, benchmarks) would all report the same
   * process-wide figures, and all republish whenever its heap grows.
   * @default true
   */
  processLoad?: boolean
}

export interface NeighbourView {
  peerId: string
  cell: string
  connected: boolean
  live: boolean
  distanceM?: number
}

export interface PeerStatus {
  peerId: string
  name?: string
  multiaddrs: string[]
  position: { lat: number, lon: number }
  cell: string
  tier: number
  uptimeS: number
  connections: number
  registryDigest: string
}

export interface EccoPeerEvents {
  'peer:live': CustomEvent<{ peerId: string }>
  'peer:gone': CustomEvent<{ peerId: string }>
  'registry:change': CustomEvent<{ peerIds: string[] }>
}

export class EccoPeer extends TypedEventEmitter<EccoPeerEvents> {
  readonly config: PeerConfig
  readonly libp2p: EccoLibp2p
  readonly store: PeerStore
  readonly log: Log
  private readonly registryMap: PersistentRegistry
  private readonly load?: LoadSampler
  private readonly startedAt = Date.now()
  private http?: StatusServer
  private stopping?: Promise<void>
  private readonly featureFactories: PeerFeatureFactory[]
  /** started features, by name */
  readonly features = new Map<string, PeerFeature>()
  /** pubsub messages seen on any topic, for /metrics */
  readonly traffic = { messagesIn: 0 }

  constructor (config: PeerConfig, libp2p: EccoLibp2p, store: PeerStore, registry: PersistentRegistry, log: Log, features: PeerFeatureFactory[], processLoad: boolean) {
    super()
    this.featureFactories = features
    this.config = config
    this.libp2p = libp2p
    this.store = store
    this.registryMap = registry
    this.log = log
    if (processLoad) this.load = new LoadSampler(config.capacity.cpuCores)
  }

  get peerId (): PeerId { return this.libp2p.peerId }
  get httpPort (): number | undefined { return this.http?.port }

  async start (): Promise<void> {
    const { state, pubsub } = this.libp2p.services
    for (const type of ['peer:live', 'peer:gone', 'registry:change'] as const) {
      state.addEventListener(type, (evt) => { this.safeDispatchEvent(type, { detail: evt.detail }) })
    }
    state.addEventListener('peer:gone', (evt) => { this.log.info('peer gone', { peer: evt.detail.peerId }) })
    state.addEventListener('peer:live', (evt) => { this.log.info('peer live', { peer: evt.detail.peerId }) })
    pubsub.addEventListener('message', () => { this.traffic.messagesIn++ })
    await this.libp2p.start()
    if (this.config.neighboursFromRegistry) this.unlearn = learnNeighboursFromRegistry(state, this.libp2p.services.discovery, this.log)
    state.updateState({ multiaddrs: this.multiaddrs() })
    const sampler = this.load
    if (sampler !== undefined) {
      this.loadTimer = setInterval(() => {
        const load = sampler.sample()
        if (load !== undefined) state.updateLoad(load)
      }, this.config.heartbeatMs)
      this.loadTimer.unref?.()
    }
    for (const factory of this.featureFactories) {
      const feature = factory(this)
      if (feature === undefined) continue
      await feature.start(this)
      this.features.set(feature.name, feature)
    }
    if (this.config.httpPort !== undefined) {
      const routes: Record<string, () => unknown> = {
        '/status': () => this.status(),
        '/neighbours': () => this.neighbours(),
        '/registry': () => this.registry()
      }
      for (const f of this.features.values()) Object.assign(routes, f.routes?.())
      this.http = await startStatusServer(routes, () => this.metricsText(), this.config.httpPort, this.config.httpHost)
    }
    this.libp2p.addEventListener('connection:close', this.onConnectionClose)
    this.joinMesh()
  }

  private loadTimer?: ReturnType<typeof setInterval>
  private unlearn?: () => void
  private joinTimer?: ReturnType<typeof setTimeout>
  /** the last membershipDigest() and the registry digest and live set it was computed from */
  private membership?: { registry: string, live: readonly string[], digest: string }

  /**
   * Dials the bootstrap addresses until one answers: a bootstrap peer that is
   * down or slow at our start must not leave us alone for good. Nor must
   * losing every connection later (onConnectionClose).
   */
  private joinMesh (attempt = 0): void {
    clearTimeout(this.joinTimer)
    if (this.config.bootstrap.length === 0 || this.stopping !== undefined) return
    if (this.libp2p.getConnections().length > 0) return
    Promise.any(this.config.bootstrap.map(async (addr) => {
      await this.libp2p.dial(multiaddr(addr), { signal: AbortSignal.timeout(BOOTSTRAP_DIAL_TIMEOUT_MS) })
    })).catch((err: AggregateError) => {
      this.log.warn('bootstrap dial failed', { attempt, addrs: this.config.bootstrap, error: err.errors[0] })
      this.joinTimer = setTimeout(() => { this.joinMesh(attempt + 1) }, Math.min(30_000, 1000 * 2 ** attempt))
      this.joinTimer.unref?.()
    })
  }

  /**
   * The last connection closed: join again. Discovery redials neighbours it
   * knows, but a peer that lost its connections before it learnt anyone (200
   * peers starting in one process: a few joined, then sat alone for good)
   * knows nobody but its bootstrap peers.
   */
  private readonly onConnectionClose = (): void => {
    if (this.stopping !== undefined || this.libp2p.getConnections().length > 0) return
    clearTimeout(this.joinTimer)
    this.joinTimer = setTimeout(() => { this.joinMesh() }, REJOIN_DELAY_MS)
    this.joinTimer.unref?.()
  }

  multiaddrs (): string[] {
    return this.libp2p.getMultiaddrs().map((ma) => ma.toString())
  }

  status (): PeerStatus {
    const s: PeerStatus = {
      peerId: this.peerId.toString(),
      multiaddrs: this.multiaddrs(),
      position: this.config.position,
      cell: encodeGeohash(this.config.position, this.config.cellPrecision),
      tier: this.config.tier,
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      connections: this.libp2p.getConnections().length,
      registryDigest: this.libp2p.services.state.digest()
    }
    if (this.config.name !== undefined) s.name = this.config.name
    return s
  }

  neighbours (): NeighbourView[] {
    const { discovery, state } = this.libp2p.services
    return discovery.getNeighbours().map((n) => {
      const entry = state.getEntry(n.peerId)
      const v: NeighbourView = {
        peerId: n.peerId,
        cell: n.cell,
        connected: this.libp2p.getConnections().some((c) => c.remotePeer.toString() === n.peerId),
        live: state.isLive(n.peerId)
      }
      if (entry !== undefined) v.distanceM = Math.round(distanceMetres(this.config.position, { lat: entry.state.lat, lon: entry.state.lon }))
      return v
    })
  }

  registry (): RegistryEntry[] {
    return this.libp2p.services.state.getRegistry()
  }

  metricsText (): string {
    return renderPrometheus([...collectPeerMetrics(this, this.startedAt), ...[...this.features.values()].flatMap((f) => f.metrics?.() ?? [])])
  }

  /**
   * The registry view without load or stamps: equal on peers that agree on
   * who is in the mesh and what each can do (sim-net's convergence measure).
   */
  membershipDigest (): string {
    // sim-net asks every peer every snapshot; decoding the registry each time made
    // the snapshots of a shard grow with the square of the fleet
    const state = this.libp2p.services.state
    const registry = state.digest()
    const live = state.livePeers() // the same array while the live set is unchanged
    if (this.membership?.registry === registry && this.membership.live === live) return this.membership.digest
    const h = createHash('sha256')
    for (const e of this.registry()) {
      if (!e.live) continue
      const { load: _load, ...rest } = e.state
      h.update(e.peerId).update(PeerState.encode({ ...rest, version: 1 }))
    }
    this.membership = { registry, live, digest: h.digest('hex') }
    return this.membership.digest
  }

  /** /metrics as flat names (`ecco_registry_peers{state="live"}` becomes `ecco_registry_peers_live`). */
  flatMetrics (): Record<string, number> {
    const out: Record<string, number> = {}
    for (const f of collectPeerMetrics(this, this.startedAt)) {
      for (const s of f.samples) out[[f.name, ...Object.values(s.labels ?? {})].join('_')] = s.value
    }
    return out
  }

  /**
   * Like kill -9 as far as the mesh can tell: connections are torn down
   * without a goodbye and no final announcement is made. The process lives
   * on, so its store is closed to free the LevelDB lock for a restart.
   */
  async kill (): Promise<void> {
    this.stopping ??= (async () => {
      this.quiesce()
      for (const c of this.libp2p.getConnections()) c.abort(new Error('killed'))
      await this.http?.close()
      for (const f of [...this.features.values()].reverse()) {
        try { await f.stop() } catch {}
      }
      try { await this.libp2p.stop() } catch {}
      await this.store.close()
    })()
    return this.stopping
  }

  /** Where stop and kill both begin: no more timers, rejoins or learning from the registry. */
  private quiesce (): void {
    clearInterval(this.loadTimer)
    clearTimeout(this.joinTimer)
    this.libp2p.removeEventListener('connection:close', this.onConnectionClose)
    this.unlearn?.()
  }

  /** Clean shutdown: stop announcing, close libp2p, flush and close the store. */
  async stop (): Promise<void> {
    this.stopping ??= (async () => {
      this.quiesce()
      await this.http?.close()
      for (const f of [...this.features.values()].reverse()) {
        try { await f.stop() } catch (err) { this.log.error('feature stop failed', { feature: f.name, error: err }) }
      }
      await this.libp2p.stop()
      await this.registryMap.flush()
      await this.store.close()
    })()
    return this.stopping
  }
}

export async function createEccoPeer (init: EccoPeerInit): Promise<EccoPeer> {
  const { config } = init
  const log = init.log ?? createLogger({ level: config.logLevel, base: config.name === undefined ? undefined : { peer: config.name } })
  const store = await openPeerStore(config.dataDir)
  try {
    const { key, created } = await loadOrCreateIdentity(config.dataDir)
    const registry = await openRegistryMap(store.sub('crdt'), peerIdFromPrivateKey(key).toString(), (err) => { log.error('registry save failed', { error: err }) })
    const libp2p = await createEccoLibp2p({
      privateKey: key,
      listen: config.listen,
      position: config.position,
      cellPrecision: config.cellPrecision,
      discoveryIntervalMs: config.discoveryIntervalMs,
      neighboursFromRegistry: config.neighboursFromRegistry,
      maxConnections: config.maxConnections,
      heartbeatMs: config.heartbeatMs,
      goneAfterHeartbeats: config.goneAfterHeartbeats,
      beatFanout: config.beatFanout,
      registry: registry.map,
      state: initialState(config),
      permissioned: (config.sections.security as SecurityConfig | undefined)?.mode === 'permissioned',
      ...(init.transports === undefined ? {} : { transports: init.transports }),
      ...(init.connectionGater === undefined ? {} : { connectionGater: init.connectionGater })
    })
    await store.sub('identity').put('peer-id', new TextEncoder().encode(libp2p.peerId.toString()))
    log.info(created ? 'created identity' : 'loaded identity', { peerId: libp2p.peerId.toString() })
    return new EccoPeer(config, libp2p, store, registry, log.child('peer'), init.features ?? DEFAULT_FEATURES, init.processLoad ?? true)
  } catch (err) {
    await store.close()
    throw err
  }
}

function initialState (c: PeerConfig): import('../protocols/index.js').PeerStateInput {
  return {
    name: c.name ?? '',
    lat: c.position.lat,
    lon: c.position.lon,
    cell: encodeGeohash(c.position, c.cellPrecision),
    tier: c.tier,
    sensors: c.sensors.map((s) => ({ id: s.id, type: s.type, unit: s.unit ?? '' })),
    radios: c.radios.map((r) => ({ type: r.type, rangeM: r.rangeM ?? 0 })),
    capacity: { cpuCores: c.capacity.cpuCores, memoryMb: c.capacity.memoryMb, accelerator: c.capacity.accelerator ?? '', maxEdgeFunctions: c.capacity.maxEdgeFunctions },
    multiaddrs: [],
    startedAt: BigInt(Date.now()),
    roles: ['roadside']
  }
}
