/**
 * node/'s factories for sim-net's multi-process mode: every roadside peer
 * runs in its own OS process (node/bin/sim-peer.ts, forked by sim-net's
 * process runtime) with the same factories as one-process mode, while the
 * vehicles stay in the orchestrator's process: they are light clients, and
 * there they share the run's trust and condition book with the hooks below.
 * With `shards` the same holds for worker threads of this process, each
 * hosting many peers (node/bin/sim-shard.ts, sim-net's shard runtime).
 *
 * What one-process mode shares through SimNodeState crosses the process
 * boundary explicitly: the run's key files are created here before the first
 * peer process starts; a condition's start is the engine's wall-clock start
 * in every process; a pipeline submission's time is broadcast to every peer
 * process so whichever places its stages can report the placement delay.
 */
import { fileURLToPath } from 'node:url'
import { createProcessRuntime, createShardRuntime, type SimChildFactories, type SimNetFactories, type SimRecordFn } from '../../sim-net/index.js'
import type { PeerConfig } from '../config/schema.js'
import { loadDescriptor } from '../cli/pipeline.js'
import { SERIES } from './constants.js'
import { simFactories, type SimFactoriesInit } from './factories.js'
import { createSimPeerFactory } from './peer-factory.js'
import { runOf, SimNodeState } from './state.js'
import { createSimVehicleFactory } from './vehicles.js'

/** Broadcast kind: a pipeline was submitted (payload `{ id, at }`, `at` a Date.now()). */
const PIPELINE_SUBMITTED = 'pipeline-submitted'

export interface SimProcessFactoriesInit extends SimFactoriesInit {
  /** the compiled peer-process (or shard) entry @default dist/node/bin/sim-peer.js (sim-shard.js) next to this module */
  entry?: string
  /** how often a peer process (a shard) reports its metrics and registry views, ms @default the runtime's */
  snapshotMs?: number
  /**
   * One-process mode over this many worker threads of this process instead
   * of one OS process per peer (sim-net's shard runtime) @default undefined
   */
  shards?: number
  /** registry-only peers with this extra config (no certificates, hazards or pipelines), as bench:sim runs them @default undefined */
  registryOnly?: Partial<PeerConfig>
}

/** What the orchestrator hands each peer process or shard (structured clone). */
interface ChildInit { baselineSurfaceC: number | null, transmissionIntervalMs?: number, catalogueDir?: string, shared?: boolean, registryOnly?: Partial<PeerConfig> }

export function simProcessFactories (init: SimProcessFactoriesInit = {}): SimNetFactories {
  const state = new SimNodeState()
  /** peer name -> data dir, for the run a condition belongs to */
  const dataDirs = new Map<string, string>()
  const childInit: ChildInit = {
    baselineSurfaceC: init.baselineSurfaceC === undefined ? 6 : init.baselineSurfaceC,
    ...(init.transmissionIntervalMs === undefined ? {} : { transmissionIntervalMs: init.transmissionIntervalMs }),
    ...(init.catalogueDir === undefined ? {} : { catalogueDir: init.catalogueDir }),
    ...(init.shards === undefined ? {} : { shared: true }),
    ...(init.registryOnly === undefined ? {} : { registryOnly: init.registryOnly })
  }
  const common = {
    childInit,
    ...(init.snapshotMs === undefined ? {} : { snapshotMs: init.snapshotMs }),
    // the run's operator and issuer keys exist before any peer process reads them
    beforeStart: async (spec: { name: string, dataDir: string }) => {
      dataDirs.set(spec.name, spec.dataDir)
      if (init.registryOnly === undefined) await state.trust.forDataDir(spec.dataDir)
    }
  }
  const runtime = init.shards === undefined
    ? createProcessRuntime({ ...common, entry: init.entry ?? fileURLToPath(new URL('../bin/sim-peer.js', import.meta.url)) })
    : createShardRuntime({ ...common, shards: init.shards, entry: init.entry ?? fileURLToPath(new URL('../bin/sim-shard.js', import.meta.url)) })
  if (init.registryOnly !== undefined) return { peers: runtime.peers, runtime }
  const runOfPeer = (name: string): string | undefined => {
    const dir = dataDirs.get(name)
    return dir === undefined ? undefined : runOf(dir)
  }
  const detected = new Set<string>()
  return {
    peers: { createPeer: async (spec, options) => await runtime.peers.createPeer({ ...spec, record: firstDetectionOnly(spec.record, runOf(spec.dataDir), detected) }, options) },
    vehicles: createSimVehicleFactory({ state, ...(init.lookaheadM === undefined ? {} : { lookaheadM: init.lookaheadM }) }),
    pipelines: {
      submit: async (via, file, options) => {
        const descriptor = await loadDescriptor(file, init.catalogueDir)
        runtime.broadcast(PIPELINE_SUBMITTED, { id: descriptor.id, at: Date.now() })
        return await runtime.pipelines.submit(via, file, options)
      }
    },
    sensors: {
      // the vehicles here measure warnings from the condition's start
      conditionStarted: async (h, c, options) => {
        const run = runOfPeer(h.name)
        if (run !== undefined) state.conditionStarted(run, c)
        await runtime.sensors.conditionStarted(h, c, options)
      },
      conditionEnded: async (h, id, options) => {
        const run = runOfPeer(h.name)
        if (run !== undefined) state.conditionEnded(run, id)
        await runtime.sensors.conditionEnded(h, id, options)
      }
    },
    runtime
  }
}

/**
 * One-process mode reports a condition's first detection once, from the
 * shared condition book; here every finale's process has its own book, so the
 * orchestrator keeps the first report per condition and run.
 */
function firstDetectionOnly (record: SimRecordFn, run: string, seen: Set<string>): SimRecordFn {
  return (series, value, fields) => {
    if (series === SERIES.detectionAfterCondition) {
      const key = `${run}|${String(fields?.condition)}`
      if (seen.has(key)) return
      seen.add(key)
    }
    record(series, value, fields)
  }
}

function isChildInit (v: unknown): v is ChildInit {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return (o.baselineSurfaceC === null || typeof o.baselineSurfaceC === 'number') &&
    (o.transmissionIntervalMs === undefined || typeof o.transmissionIntervalMs === 'number') &&
    (o.catalogueDir === undefined || typeof o.catalogueDir === 'string') &&
    (o.shared === undefined || typeof o.shared === 'boolean') &&
    (o.registryOnly === undefined || (typeof o.registryOnly === 'object' && o.registryOnly !== null))
}

/**
 * The factories of one peer process (node/bin/sim-peer.ts) or shard
 * (node/bin/sim-shard.ts): one-process mode's, plus the submission broadcasts.
 */
export function simChildFactories (childInit: unknown): SimChildFactories {
  const { shared = false, registryOnly, ...init }: ChildInit | Partial<ChildInit> = isChildInit(childInit) ? childInit : {}
  // a peer process' load is its own peer's; a shard's threads share the process
  if (registryOnly !== undefined) return { peers: createSimPeerFactory({ config: registryOnly, ownProcess: !shared }) }
  const state = new SimNodeState()
  const f = simFactories({ ...init, ownProcess: !shared }, state)
  return {
    peers: f.peers,
    ...(f.sensors === undefined ? {} : { sensors: f.sensors }),
    ...(f.pipelines === undefined ? {} : { pipelines: f.pipelines }),
    onBroadcast: (kind, payload) => {
      if (kind !== PIPELINE_SUBMITTED || typeof payload !== 'object' || payload === null) return
      const { id, at } = payload as { id?: unknown, at?: unknown }
      if (typeof id === 'string' && typeof at === 'number') state.submitted.set(id, at)
    }
  }
}
