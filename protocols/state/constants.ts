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
/** @see {@link StateGossipInit.beatFanout} */
export const DEFAULT_BEAT_FANOUT = 8
/**
 * Every beats stream gets a vector within one goneAfter period, so a direct
 * neighbour never depends on relays alone. A Monte Carlo of the exchange
 * (full mesh of 6-100 members, fanout 4-8, deliveries up to 0.3 heartbeat
 * late) never let a view go staler than 2.8 heartbeats this way; with twice
 * the period, 13 checks in a million wrongly declared a live peer gone.
 */
export const BEAT_ROTATION_GONE_PERIODS = 1
/**
 * A beats stream silent this many goneAfter periods is dropped. Generous: on a
 * saturated event loop heartbeats run late, and a dropped stream costs a new
 * one that re-introduces every peer; one silent stream per connection is cheap.
 */
export const BEAT_IDLE_GONE_PERIODS = 10
/** a vector names at most this many peers, and a stream introduces at most this many */
export const MAX_BEAT_ENTRIES = 4096
export const MAX_BEAT_VECTOR_BYTES = 64 * 1024
/** beats later than our clock plus this are refused */
export const MAX_BEAT_CLOCK_SKEW_MS = 30_000
/** hex characters of the registry digest a vector carries */
export const DIGEST_PREFIX_CHARS = 16
