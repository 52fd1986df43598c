/** Defaults of the `nimbus:` config section and the offload feature. */
import { DEFAULT_CLOUD_INFERENCE_MS } from '../../protocols/index.js'

/** @see {@link NimbusConfig.batchWindowMs} */
export const DEFAULT_BATCH_WINDOW_MS = 20
/** @see {@link NimbusConfig.maxBatch} */
export const DEFAULT_MAX_BATCH = 256
/** @see {@link NimbusConfig.maxRetries} */
export const DEFAULT_MAX_RETRIES = 3
/** the paper's MD batches are 15-minute slices of the LRZ data: a reservation lasts one */
export const DEFAULT_LEASE_MS = 15 * 60_000
export const DEFAULT_MAX_LEASE_MS = 24 * 3600_000
/** @see {@link NimbusConfig.solveTimeoutMs} */
export const DEFAULT_SOLVE_TIMEOUT_MS = 10_000
/** @see {@link NimbusConfig.reserveTimeoutMs} */
export const DEFAULT_RESERVE_TIMEOUT_MS = 4_000
/** @see {@link NimbusConfig.maxInboundStreams} */
export const DEFAULT_MAX_INBOUND_STREAMS = 256
export const DEFAULT_MAX_OUTBOUND_STREAMS = 256
/** devices a gateway keeps waiting for a batch before it refuses new handshakes */
export const DEFAULT_MAX_PENDING = 2048
/** @see {@link NimbusConfig.slice} */
export const DEFAULT_SLICE_PRECISION = 5
/** mean of the published Europe/DE cloud RTT samples (shared/data/nimbus/cloud_rtt_summary.json) */
export const DEFAULT_CLOUD = { id: 'cloud', rttMs: 29.2, inferenceMs: DEFAULT_CLOUD_INFERENCE_MS }
/** role recomputation is debounced: registry changes arrive every heartbeat from every peer */
export const ROLE_DEBOUNCE_MS = 100
/** sublevel of the peer's LevelDB holding the reservation table */
export const RESERVATION_SUBLEVEL = 'offload'
