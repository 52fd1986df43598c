import type { LinkParams, SimCapacity } from './types.js'

/** Link used when a scenario names none: a switched LAN. */
export const DEFAULT_LINK: LinkParams = { latencyMs: 1, jitterMs: 0, loss: 0 }

export const DEFAULT_CAPACITY: SimCapacity = { cpuCores: 2, memoryMb: 2048, maxEdgeFunctions: 8 }

/** node/'s default heartbeat; the issue's benchmark is stated for it. */
export const DEFAULT_HEARTBEAT_MS = 1000
export const DEFAULT_SAMPLE_MS = 1000
export const DEFAULT_CONVERGENCE_TIMEOUT_MS = 60_000
export const DEFAULT_SEED = 1
export const DEFAULT_CONDITION_RADIUS_M = 50

/** TCP maximum segment size on Ethernet; the unit of emulated loss. */
export const SEGMENT_BYTES = 1460
/** Linux' minimum retransmission timeout (TCP_RTO_MIN). */
export const MIN_RTO_MS = 200
/** Token bucket depth: about ten segments, small enough not to hide the configured rate. */
export const BURST_BYTES = 16 * 1024
/** Bytes a shaped direction reads ahead of delivery before it stops reading (a socket buffer). */
export const MAX_QUEUED_BYTES = 1024 * 1024
/** Delivery-lateness samples kept per link class for accuracy statistics. */
export const ACCURACY_RESERVOIR = 4096

/** How often the engine checks registry convergence and moves vehicles. */
export const CONVERGENCE_POLL_MS = 250
export const VEHICLE_TICK_MS = 250
/** How often progress is reported. */
export const PROGRESS_MS = 500

/** Listen address handed to peers: loopback with an OS-chosen port. */
export const LISTEN_ADDR = '/ip4/127.0.0.1/tcp/0'

/** After a crash, how long vehicles are watched for warnings still arriving (the crash's outcome). */
export const OUTCOME_WINDOW_MS = 10_000
