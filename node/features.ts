/**
 * A peer feature is one capability (pipelines, hazards, checkpoints, Nimbus
 * offload, ...) composed onto a running peer, the way Helia composes
 * `withBitswap(withLibp2p(...))`: it starts after libp2p, stops before it,
 * and may add HTTP routes and metrics. Features get the peer itself, so each
 * one reads the config, store, registry and libp2p services it needs.
 */
import type { EccoPeer } from './peer.js'
import type { MetricFamily } from './metrics.js'
import { hazardsFeature } from './hazards/feature.js'
import { nimbusOffload } from './offload/index.js'
import { checkpointsFeature } from './checkpoints/index.js'
import { pipelinesFeature } from './pipelines/feature.js'
import { securityFeature } from './security/feature.js'

export interface PeerFeature {
  readonly name: string
  start: (peer: EccoPeer) => Promise<void> | void
  stop: () => Promise<void> | void
  /** extra read-only JSON routes for the status API, e.g. { '/pipelines': () => ... } */
  routes?: () => Record<string, () => unknown>
  metrics?: () => MetricFamily[]
}

export type PeerFeatureFactory = (peer: EccoPeer) => PeerFeature | undefined

/**
 * The features every peer gets, in start order. A factory returns undefined
 * when the peer's config does not enable it. Add new capabilities here.
 */
export const DEFAULT_FEATURES: PeerFeatureFactory[] = [securityFeature, hazardsFeature, nimbusOffload, checkpointsFeature, pipelinesFeature]
