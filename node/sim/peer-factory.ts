/**
 * sim-net's SimPeerFactory implemented with the real peer: every emulated
 * roadside unit is a createEccoPeer() over a shaped TCP transport. With
 * `roadside`, each peer also gets a roadside certificate from the run's
 * operator key (hazards feature: relays, validates, originates warnings) and
 * the pipelines feature trusting the run's issuer key, and reports pipeline
 * measurements through the spec's `record`.
 */
import { tcp } from '@libp2p/tcp'
import type { SimPeerFactory, SimPeerHandle, SimPeerSpec } from '../../sim-net/index.js'
import { decodeHazard } from '../../unikernels/index.js'
import { defaultConfig } from '../config/parse.js'
import { SENSOR_TYPES, RADIO_TYPES, type PeerConfig, type RadioType, type SensorType } from '../config/schema.js'
import { parseHazardsSection } from '../hazards/index.js'
import { createLogger } from '../logger.js'
import { createEccoPeer, type EccoPeer } from '../peer.js'
import { DEFAULT_PIPELINES_CONFIG, type PipelinesConfig, type PipelinesFeature } from '../pipelines/index.js'
import type { PeerFeatureFactory } from '../features.js'
import { DEFAULT_CLEAR_AFTER_MS, DEFAULT_TRANSMISSION_INTERVAL_MS, SERIES, WORKER_ROLE } from './constants.js'
import { runOf, type SimNodeState } from './state.js'

export interface SimRoadsideInit {
  state: SimNodeState
  /** called once a roadside peer runs (the sensor hook applies its baseline here) */
  onStarted?: (peer: EccoPeer) => void
  /** @default 1000 */
  transmissionIntervalMs?: number
  /** @default 5000 */
  clearAfterMs?: number
}

export interface SimPeerFactoryInit {
  /** features every simulated peer runs; defaults to the peer's defaults */
  features?: PeerFeatureFactory[]
  /** extra config applied to every peer (e.g. feature sections) */
  config?: Partial<PeerConfig>
  /** certificates, hazards and pipelines for every peer @default off (registry-only peers) */
  roadside?: SimRoadsideInit
  /** one peer per process (multi-process mode): its process' load is its own @default false */
  ownProcess?: boolean
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
    ...(spec.cellPrecision === undefined ? {} : { cellPrecision: spec.cellPrecision }),
    logLevel: 'error',
    ...extra
  }
}

/** The hazards and pipelines sections of a roadside peer, with its certificate written to its data dir. */
async function roadsideSections (spec: SimPeerSpec, r: SimRoadsideInit): Promise<Record<string, unknown>> {
  const trust = await r.state.trust.forDataDir(spec.dataDir)
  const certificate = await r.state.trust.certify(spec.dataDir, spec.name, spec.position)
  const hazards = parseHazardsSection({
    operatorKeys: [trust.operatorFile],
    certificate,
    transmissionIntervalMs: r.transmissionIntervalMs ?? DEFAULT_TRANSMISSION_INTERVAL_MS,
    clearAfterMs: r.clearAfterMs ?? DEFAULT_CLEAR_AFTER_MS
  }, 'hazards')
  const pipelines: PipelinesConfig = {
    ...DEFAULT_PIPELINES_CONFIG,
    trustedIssuers: [trust.trustedIssuer],
    roles: spec.tier >= 2 ? [WORKER_ROLE] : [],
    // workers are spawned when a stage is placed, not kept idle on every peer of a large scenario
    idleWorkers: 0
  }
  return { hazards, pipelines }
}

/** Pipeline completions, placements and first detections reported through the spec's `record`. */
function recordPipelines (peer: EccoPeer, spec: SimPeerSpec, state: SimNodeState): void {
  const f = peer.features.get('pipelines') as PipelinesFeature | undefined
  if (f === undefined) return
  const placed = new Set<string>()
  const run = runOf(spec.dataDir)
  f.addEventListener('pipeline:run', (e) => {
    const d = e.detail
    spec.record(SERIES.pipelineRun, Date.now() - d.trace.startedAtMs, { pipeline: d.pipelineId, stage: d.stage, peer: spec.name, run: Number(d.run), partial: d.partial ? 1 : 0, degraded: d.degraded ? 1 : 0 })
  })
  f.addEventListener('pipeline:placed', (e) => {
    const at = state.submitted.get(e.detail.pipelineId)
    if (at === undefined || placed.has(e.detail.pipelineId)) return
    placed.add(e.detail.pipelineId)
    spec.record(SERIES.pipelinePlaced, Date.now() - at, { pipeline: e.detail.pipelineId, peer: spec.name })
  })
  f.addEventListener('pipeline:output', (e) => {
    let detected: number
    try { detected = decodeHazard(e.detail.bytes).detectionTime } catch { return }
    const c = state.conditionNear(run, peer.config.position)
    if (c === undefined || c.detectedAt !== undefined || c.endedAt !== undefined) return
    // the detector's reading time, carried through fusion in the hazard record
    c.detectedAt = detected > 0 ? detected : Date.now()
    spec.record(SERIES.detectionAfterCondition, c.detectedAt - c.startedAt, { condition: c.condition.id, finale: spec.name, pipeline: e.detail.pipelineId, outputAfterConditionMs: Date.now() - c.startedAt })
  })
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
  const peers = init.roadside?.state.peers ?? new Map<string, EccoPeer>()
  return {
    peers,
    createPeer: async (spec) => {
      const wrap = spec.transportWrapper
      const extra: Partial<PeerConfig> = { ...init.config }
      if (init.roadside !== undefined) extra.sections = { ...extra.sections, ...await roadsideSections(spec, init.roadside) }
      const peer = await createEccoPeer({
        config: toConfig(spec, extra),
        log: createLogger({ level: 'error', base: { peer: spec.name } }),
        transports: [wrap === undefined ? tcp() : wrap(tcp())],
        processLoad: init.ownProcess ?? false,
        ...(init.features === undefined ? {} : { features: init.features })
      })
      await peer.start()
      peers.set(spec.name, peer)
      if (init.roadside !== undefined) {
        recordPipelines(peer, spec, init.roadside.state)
        init.roadside.onStarted?.(peer)
      }
      return handleFor(peer, spec.name)
    }
  }
}
