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
