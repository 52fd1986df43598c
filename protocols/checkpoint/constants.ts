/**
 * Stream protocol of checkpoint replication, output commit and migration. Version 2:
 * checkpoints in the unikernels format 2 with a short image reference, deltas packed.
 */
export const CHECKPOINT_PROTOCOL = '/ecco/checkpoint/2.0.0'
export const CHECKPOINT_WIRE_VERSION = 2
/** Gossip topic for deltas of the holders CRDT (anti-entropy repairs what it misses). */
export const CHECKPOINT_TOPIC = 'ecco/v1/checkpoints'
/** Anti-entropy document name of the holders CRDT. */
export const HOLDERS_DOCUMENT = 'checkpoint-holders'
/** Registry role of peers that store checkpoints and can resume EFs. */
export const CHECKPOINT_ROLE = 'checkpoints'

/** @see {@link CheckpointNetworkInit.maxFrameBytes}: a 100 KB Unimem plus outputs fits many times */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024
export const DEFAULT_TIMEOUT_MS = 5_000
export const DEFAULT_MAX_INBOUND_STREAMS = 256
export const DEFAULT_MAX_OUTBOUND_STREAMS = 256
/** Limits on repeated fields of an inbound message. */
export const MAX_OUTPUTS_PER_MESSAGE = 4096
export const MAX_STATE_ENTRIES = 4096
export const MAX_REPLICA_SET = 16
/** Input ranges and recent inputs (with their outputs) of a pipeline stage's marks. */
export const MAX_STAGE_RANGES = 256
export const MAX_STAGE_RECENT = 64
export const MAX_OUTPUTS_PER_INPUT = 256
export const MAX_INSTANCE_LENGTH = 128
/** Default replica count k and output quorum. */
export const DEFAULT_REPLICAS = 2
export const DEFAULT_QUORUM = 1
