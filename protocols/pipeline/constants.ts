/** Wire and placement constants of ECCO pipelines. */

/** Version of every pipeline message (descriptor, command, bid, gossip, control). */
export const PIPELINE_VERSION = 1

/** Gossip topic for descriptors, commands and bid deltas (DESIGN.md "Topics"). */
export const PIPELINE_TOPIC = 'ecco/v1/pipelines'

/** Control stream used by `ecco-peer pipeline submit|status|trigger|stop`. */
export const PIPELINE_CONTROL_PROTOCOL = '/ecco/pipeline/1.0.0'

/** Anti-entropy documents: signed descriptors and stop orders, and the bids. */
export const DESCRIPTOR_DOCUMENT = 'pipelines'
export const BID_DOCUMENT = 'pipeline-bids'

export const MAX_DESCRIPTOR_BYTES = 64 * 1024
export const MAX_COMMAND_BYTES = 1024 * 1024
export const MAX_STAGES = 64
export const MAX_AFTER = 16
export const MAX_REPLICAS = 64
export const MAX_PRIORITY = 10
export const MAX_GOSSIP_BYTES = 2 * 1024 * 1024
export const MAX_CONTROL_BYTES = 2 * 1024 * 1024

/** Bounds on repeated fields when decoding untrusted pipeline messages. */
export const DESCRIPTOR_LIMITS = {
  stages: MAX_STAGES,
  stages$: { after: MAX_AFTER, needs: { sensors: 16, radios: 16, roles: 16 } }
}
export const CONTROL_LIMITS = { status: 1024 }

/** Identifiers (pipeline ids, stage names) safe in CRDT and queue keys. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/
export const HASH_PATTERN = /^[0-9a-f]{64}$/

/** @default bid window when a descriptor does not set one */
export const DEFAULT_BID_WINDOW_MS = 1500
/** @default join timeout when a join stage does not set one */
export const DEFAULT_JOIN_TIMEOUT_MS = 3000

/**
 * The capability vocabulary of peer configs (node/config/schema.ts SENSOR_TYPES and
 * RADIO_TYPES): a need outside it can never be met by any peer.
 */
export const KNOWN_SENSORS = [
  'road-surface-temperature', 'air-temperature', 'humidity', 'camera',
  'occupancy', 'accelerometer', 'speed', 'radar', 'lidar'
] as const
export const KNOWN_RADIOS = ['its-g5', 'lte-v2x', 'lorawan', 'wifi', 'cellular', 'ethernet'] as const

/** Placement cost weights: 1 km of distance costs as much as a fully loaded host. */
export const COST_PER_KM = 1
export const COST_PER_LOAD = 1
