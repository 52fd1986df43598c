/**
 * Stream protocol of checkpoint replication, output commit and migration. Version 3:
 * one session stream per peer and direction with request ids; checkpoints in the compact
 * unikernels format 3 (short image reference, names by index into the descriptor's
 * table, no clock), deltas packed.
 */
export const CHECKPOINT_PROTOCOL = '/ecco/checkpoint/3.0.0'
export const CHECKPOINT_WIRE_VERSION = 3
/** Gossip topic for deltas of the holders CRDT (anti-entropy repairs what it misses). */
export const CHECKPOINT_TOPIC = 'ecco/v1/checkpoints'
/** Anti-entropy document name of the holders CRDT. */
export const HOLDERS_DOCUMENT = 'checkpoint-holders'
/** Registry role of peers that store checkpoints and can resume EFs. */
export const CHECKPOINT_ROLE = 'checkpoints'

/** @see {@link CheckpointNetworkInit.maxFrameBytes}: a 100 KB Unimem plus a full outbox is about 135 KB */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024
export const DEFAULT_TIMEOUT_MS = 5_000
/** @see {@link CheckpointNetworkInit.readTimeoutMs} */
export const DEFAULT_READ_TIMEOUT_MS = 10_000
/** @see {@link CheckpointNetworkInit.maxPending} */
export const DEFAULT_MAX_PENDING = 32
/** A peer needs one session stream to us; the rest is slack for reconnects. */
export const DEFAULT_MAX_INBOUND_STREAMS = 16
export const DEFAULT_MAX_OUTBOUND_STREAMS = 16
/** Limits on repeated fields of an inbound message. */
export const MAX_OUTPUTS_PER_MESSAGE = 4096
export const MAX_STATE_ENTRIES = 4096
export const MAX_REPLICA_SET = 16
/** Input ranges and recent inputs (with their outputs) of a pipeline stage's marks. */
export const MAX_STAGE_RANGES = 256
export const MAX_STAGE_RECENT = 64
export const MAX_OUTPUTS_PER_INPUT = 256
export const MAX_INSTANCE_LENGTH = 128
/** Name table of a descriptor (Unimem keys and step names named by index in checkpoints). */
export const MAX_DESCRIPTOR_NAMES = 64
export const MAX_NAME_LENGTH = 256
/** Default replica count k and output quorum. */
export const DEFAULT_REPLICAS = 2
export const DEFAULT_QUORUM = 1
