/**
 * The `security:` config section. `open` (the default) is for labs: anyone may join,
 * and the peer says so loudly at start. `permissioned` binds membership to operator
 * certificates: see DESIGN.md and issue 9.
 *
 * ```yaml
 * security:
 *   mode: permissioned
 *   operatorKeys: [/etc/ecco/operator.pub]      # default: hazards.operatorKeys
 *   certificate: /etc/ecco/lamppost-17.cert     # default: hazards.certificate
 *   allowClients: true                          # vehicles stay connected as clients
 *   addressGroup: ip                            # or prefix24 (IPv4 /24, IPv6 /48)
 *   maxRoutingPeersPerGroup: 4
 * ```
 */
import { asArray, asBoolean, asNumber, asObj, asOneOf, asString, rejectUnknown } from '../config/fields.js'
import {
  DEFAULT_ADDRESS_GROUP, DEFAULT_ALLOW_CLIENTS, DEFAULT_ANNOUNCE_INTERVAL_MS, DEFAULT_ANNOUNCEMENT_MAX_AGE_MS, DEFAULT_BAN_MS,
  DEFAULT_CERT_TIMEOUT_MS, DEFAULT_EXEMPT_LOOPBACK, DEFAULT_FLOOD_REJECT_AFTER, DEFAULT_MAX_CLOCK_SKEW_MS,
  DEFAULT_MAX_INBOUND_CONNECTIONS_PER_GROUP, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_ROUTING_PEERS_PER_GROUP,
  DEFAULT_MESSAGE_BURST, DEFAULT_MESSAGES_PER_SECOND, DEFAULT_MODE, DEFAULT_RECHECK_INTERVAL_MS
} from './constants.js'

export type SecurityMode = 'open' | 'permissioned'
export const SECURITY_MODES: readonly SecurityMode[] = ['open', 'permissioned']
/** `ip`: one group per address; `prefix24`: per IPv4 /24 (IPv6 /48) */
export type AddressGroupBy = 'ip' | 'prefix24'
export const ADDRESS_GROUPS: readonly AddressGroupBy[] = ['ip', 'prefix24']

/** The tunables shared by the YAML section and the runtime (`SecurityService.configure`). */
export interface SecurityLimits {
  /** @default 'open' */
  mode: SecurityMode
  /** permissioned: uncertified peers (vehicles) may stay connected as clients @default true */
  allowClients: boolean
  /** how long the remote has to answer the certificate request; retried twice with 2x and 3x this @default 5000 */
  certTimeoutMs: number
  /** a refused peer is not let back in for this long @default 60000 */
  banMs: number
  /** a certified peer re-announces its certificate on the members topic this often @default 10000 */
  announceIntervalMs: number
  /** connected members are re-checked for expiry and revocation this often @default 5000 */
  recheckIntervalMs: number
  /** a member announcement from further ahead than this is refused @default 30000 */
  maxClockSkewMs: number
  /** a member announcement older than this is refused (replay) @default 120000 */
  announcementMaxAgeMs: number
  /** @default 'ip' */
  addressGroup: AddressGroupBy
  /** DHT routing-table peers admitted per address group @default 4 */
  maxRoutingPeersPerGroup: number
  /** inbound connections at once per address group @default 32 */
  maxInboundConnectionsPerGroup: number
  /** loopback addresses are one group per port instead (many test peers on one host) @default true */
  exemptLoopback: boolean
  /** gossip messages larger than this are rejected (every mode) @default 2101248 */
  maxMessageBytes: number
  /** permissioned: sustained messages per originator and topic @default 20 */
  messagesPerSecond: number
  /** permissioned: burst per originator and topic @default 100 */
  messageBurst: number
  /** messages over the limit a direct sender may send before they are rejected (and scored), not just ignored @default 50 */
  floodRejectAfter: number
}

export interface SecurityConfig extends SecurityLimits {
  /** operator public key files; default the hazards section's */
  operatorKeys?: string[]
  /** this peer's roadside certificate file; default the hazards section's */
  certificate?: string
}

export const DEFAULT_SECURITY_LIMITS: SecurityLimits = {
  mode: DEFAULT_MODE,
  allowClients: DEFAULT_ALLOW_CLIENTS,
  certTimeoutMs: DEFAULT_CERT_TIMEOUT_MS,
  banMs: DEFAULT_BAN_MS,
  announceIntervalMs: DEFAULT_ANNOUNCE_INTERVAL_MS,
  recheckIntervalMs: DEFAULT_RECHECK_INTERVAL_MS,
  maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS,
  announcementMaxAgeMs: DEFAULT_ANNOUNCEMENT_MAX_AGE_MS,
  addressGroup: DEFAULT_ADDRESS_GROUP,
  maxRoutingPeersPerGroup: DEFAULT_MAX_ROUTING_PEERS_PER_GROUP,
  maxInboundConnectionsPerGroup: DEFAULT_MAX_INBOUND_CONNECTIONS_PER_GROUP,
  exemptLoopback: DEFAULT_EXEMPT_LOOPBACK,
  maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES,
  messagesPerSecond: DEFAULT_MESSAGES_PER_SECOND,
  messageBurst: DEFAULT_MESSAGE_BURST,
  floodRejectAfter: DEFAULT_FLOOD_REJECT_AFTER
}

type NumberKey = { [K in keyof SecurityLimits]: SecurityLimits[K] extends number ? K : never }[keyof SecurityLimits]

const NUMBERS: Record<NumberKey, { min: number, max: number }> = {
  certTimeoutMs: { min: 100, max: 120_000 },
  banMs: { min: 0, max: 86_400_000 },
  announceIntervalMs: { min: 100, max: 3_600_000 },
  recheckIntervalMs: { min: 100, max: 3_600_000 },
  maxClockSkewMs: { min: 0, max: 3_600_000 },
  announcementMaxAgeMs: { min: 1000, max: 86_400_000 },
  maxRoutingPeersPerGroup: { min: 1, max: 10_000 },
  maxInboundConnectionsPerGroup: { min: 1, max: 100_000 },
  maxMessageBytes: { min: 256, max: 16 * 1024 * 1024 },
  messagesPerSecond: { min: 0.01, max: 1_000_000 },
  messageBurst: { min: 1, max: 1_000_000 },
  floodRejectAfter: { min: 0, max: 1_000_000 }
}

const FIELDS = ['mode', 'operatorKeys', 'certificate', 'allowClients', 'addressGroup', 'exemptLoopback', ...Object.keys(NUMBERS)]

export function parseSecuritySection (value: unknown, path: string): SecurityConfig {
  const o = asObj(value ?? {}, path)
  rejectUnknown(o, FIELDS, path)
  const c: SecurityConfig = { ...DEFAULT_SECURITY_LIMITS }
  if (o.mode !== undefined) c.mode = asOneOf(o.mode, SECURITY_MODES, `${path}.mode`)
  if (o.allowClients !== undefined) c.allowClients = asBoolean(o.allowClients, `${path}.allowClients`)
  if (o.exemptLoopback !== undefined) c.exemptLoopback = asBoolean(o.exemptLoopback, `${path}.exemptLoopback`)
  if (o.addressGroup !== undefined) c.addressGroup = asOneOf(o.addressGroup, ADDRESS_GROUPS, `${path}.addressGroup`)
  for (const [key, rule] of Object.entries(NUMBERS) as Array<[NumberKey, { min: number, max: number }]>) {
    if (o[key] !== undefined) c[key] = asNumber(o[key], `${path}.${key}`, { ...rule, integer: key !== 'messagesPerSecond' })
  }
  if (o.operatorKeys !== undefined) c.operatorKeys = asArray(o.operatorKeys, `${path}.operatorKeys`).map((k, i) => asString(k, `${path}.operatorKeys[${i}]`))
  if (o.certificate !== undefined) c.certificate = asString(o.certificate, `${path}.certificate`)
  return c
}
