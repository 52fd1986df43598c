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
export const BEATS_PROTOCOL = '/ecco/state/beats/2.0.0'
export const BEATS_VERSION = 2
/** @see {@link StateGossipInit.beatFanout} */
export const DEFAULT_BEAT_FANOUT = 8
/**
 * Every beats stream gets a vector within one goneAfter period: a member
 * silent for a heartbeat longer is suspected (liveness.ts).
 */
export const BEAT_ROTATION_GONE_PERIODS = 1
/**
 * A suspicion stands this many goneAfter periods before the peer counts as
 * gone: time for the suspect, if alive, to hear of it and for its refutation
 * to cross the fleet. The budget's closes say they are no death (`release`),
 * so what is left is mostly real.
 */
export const BEAT_SUSPECT_GONE_PERIODS = 1
/** every peer's beat crosses the fleet once per this many heartbeats */
export const BEAT_REFRESH_HEARTBEATS = 10
/** a peer no refresh reached for this many refresh periods (plus a goneAfter period) is gone */
export const BEAT_STALE_REFRESHES = 2
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
