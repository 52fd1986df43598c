/**
 * @packageDocumentation
 * A permissioned, hostile-input-proof mesh (issue 9): certificate-bound membership
 * checked after the Noise handshake (`/ecco/cert/1.0.0` plus member announcements on
 * `ecco/v1/members`), a connection gater with bans and per-address-group limits, DHT
 * routing-table admission for certified servers with a diversity limit, a guard in
 * front of every gossip topic (size, per-originator token bucket, membership) and
 * gossipsub peer scoring tuned for a small, low-churn fleet.
 *
 * @example
 * ```ts
 * // node/libp2p.ts
 * const security = securityAssembly({ gater: init.connectionGater })
 * createLibp2p({ connectionGater: security.gater, services: { pubsub: gossipsub({ ...security.gossipsub }), security: security.service } })
 * // node/features.ts: first in DEFAULT_FEATURES
 * export const DEFAULT_FEATURES = [securityFeature, hazardsFeature, ...]
 * ```
 */
export * from './address-group.js'
export * from './assembly.js'
export * from './config.js'
export * from './constants.js'
export * from './dht-admission.js'
export * from './errors.js'
export * from './exchange.js'
export * from './feature.js'
export * from './gater.js'
export * from './membership.js'
export * from './rate-limit.js'
export * from './score.js'
export * from './service.js'
export * from './topic-guard.js'
export { CertRequest, CertResponse, MemberAnnouncement } from './pb/security.js'
