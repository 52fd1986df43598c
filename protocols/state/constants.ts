export const STATE_TOPIC = 'ecco/v1/state'
export const STATE_VERSION = 1
export const REGISTRY_DOCUMENT = 'registry'
/** @see {@link StateGossipInit.heartbeatMs} */
export const DEFAULT_HEARTBEAT_MS = 1000
/** @see {@link StateGossipInit.goneAfterHeartbeats} */
export const DEFAULT_GONE_AFTER_HEARTBEATS = 3
/** heartbeats with a differing digest from a connected peer before anti-entropy runs */
export const DIGEST_MISMATCH_SYNC_AFTER = 2
export const MAX_ANNOUNCEMENT_BYTES = 64 * 1024
export const MAX_PEER_STATE_BYTES = 16 * 1024
/** protons limits for repeated fields of a PeerState */
export const PEER_STATE_LIMITS = { sensors: 64, radios: 16, multiaddrs: 32, roles: 32 }
/** liveness: one long-lived stream per connection carrying beat vectors (beats.ts) */
export const BEATS_PROTOCOL = '/ecco/state/beats/1.0.0'
export const BEATS_VERSION = 1
/** a vector names at most this many peers, and a stream introduces at most this many */
export const MAX_BEAT_ENTRIES = 4096
export const MAX_BEAT_VECTOR_BYTES = 64 * 1024
/** vectors queued for a peer that does not read them before we stop adding more */
export const MAX_QUEUED_VECTORS = 4
/** beats later than our clock plus this are refused */
export const MAX_BEAT_CLOCK_SKEW_MS = 30_000
/** hex characters of the registry digest a vector carries */
export const DIGEST_PREFIX_CHARS = 16
