/** Defaults of the `security:` section and the membership protocol. */
import { HAZARD_TOPIC_PREFIX, PARKING_TOPIC_PREFIX, REVOCATIONS_TOPIC } from '../../protocols/index.js'

export const SECURITY_SECTION = 'security'
export const CERT_PROTOCOL = '/ecco/cert/1.0.0'
export const MEMBERS_TOPIC = 'ecco/v1/members'
export const SECURITY_VERSION = 1

/** A CertResponse carries one SignedCertificate (protocols/certs: at most 4 KiB) and a little framing. */
export const MAX_CERT_FRAME_BYTES = 8 * 1024
export const MAX_ANNOUNCEMENT_BYTES = 8 * 1024

/** @see {@link SecurityConfig.mode} */
export const DEFAULT_MODE = 'open'
/** @see {@link SecurityConfig.allowClients} */
export const DEFAULT_ALLOW_CLIENTS = true
/** @see {@link SecurityConfig.certTimeoutMs} */
export const DEFAULT_CERT_TIMEOUT_MS = 5000
/** @see {@link SecurityConfig.banMs} */
export const DEFAULT_BAN_MS = 60_000
/** @see {@link SecurityConfig.announceIntervalMs} */
export const DEFAULT_ANNOUNCE_INTERVAL_MS = 10_000
/** @see {@link SecurityConfig.recheckIntervalMs} */
export const DEFAULT_RECHECK_INTERVAL_MS = 5000
/** @see {@link SecurityConfig.maxClockSkewMs} */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 30_000
/** @see {@link SecurityConfig.announcementMaxAgeMs} */
export const DEFAULT_ANNOUNCEMENT_MAX_AGE_MS = 120_000
/** @see {@link SecurityConfig.addressGroup} */
/** per IP: a roadside network puts many cabinets in one /24, but rarely more than a few peers on one host */
export const DEFAULT_ADDRESS_GROUP = 'ip'
/** @see {@link SecurityConfig.maxRoutingPeersPerGroup} */
export const DEFAULT_MAX_ROUTING_PEERS_PER_GROUP = 4
/** @see {@link SecurityConfig.maxInboundConnectionsPerGroup} */
export const DEFAULT_MAX_INBOUND_CONNECTIONS_PER_GROUP = 32
/** @see {@link SecurityConfig.exemptLoopback} */
export const DEFAULT_EXEMPT_LOOPBACK = true
/** @see {@link SecurityConfig.maxMessageBytes} */
/** the largest legitimate gossip message: a pipelines document (protocols/pipeline MAX_GOSSIP_BYTES, 2 MiB); each topic's own validator applies its tighter limit */
export const DEFAULT_MAX_MESSAGE_BYTES = 2 * 1024 * 1024 + 4096
/** @see {@link SecurityConfig.messagesPerSecond} */
export const DEFAULT_MESSAGES_PER_SECOND = 20
/** @see {@link SecurityConfig.messageBurst} */
export const DEFAULT_MESSAGE_BURST = 100
/** @see {@link SecurityConfig.floodRejectAfter} */
export const DEFAULT_FLOOD_REJECT_AFTER = 50
/** rate-limit buckets kept at most (one per originator and topic); the least recently used go first */
export const MAX_RATE_BUCKETS = 4096
/** verified member certificates cached at most */
export const MAX_MEMBERS = 4096
/** gossipsub's largest RPC frame (its own default): room for one largest message and control data */
export const MAX_GOSSIP_RPC_BYTES = 4 * 1024 * 1024

/**
 * Topics whose messages carry their own proof (an operator-signed certificate or
 * revocation) and are checked by their own validator: relayed from any peer, vehicles
 * included, without the membership rule.
 */
export const SELF_CERTIFIED_TOPIC_PREFIXES: readonly string[] = [HAZARD_TOPIC_PREFIX, PARKING_TOPIC_PREFIX, REVOCATIONS_TOPIC, MEMBERS_TOPIC]
