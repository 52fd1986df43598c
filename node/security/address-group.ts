/**
 * Address groups for diversity limits: a Sybil attacker or one misconfigured cabinet
 * with many PeerIds usually sits behind few addresses, so limiting peers per group
 * keeps it from filling a routing table or the inbound slots (eclipse).
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { AddressGroupBy } from './config.js'

export interface GroupRule {
  addressGroup: AddressGroupBy
  /** loopback: one group per ip and port, so many test peers on one host stay distinct */
  exemptLoopback: boolean
}

function isLoopback (host: string): boolean {
  return host.startsWith('127.') || host === '::1'
}

/** The group of an address, or undefined for an address without an IP (e.g. a relay). */
export function addressGroup (addr: Multiaddr, rule: GroupRule): string | undefined {
  let host: string
  let port: string
  try {
    const o = addr.toOptions()
    host = o.host
    port = String(o.port)
  } catch {
    return undefined
  }
  if (rule.exemptLoopback && isLoopback(host)) return `${host}:${port}`
  if (rule.addressGroup === 'ip') return host
  if (host.includes(':')) return `${host.split(':').slice(0, 3).join(':')}::/48`
  return `${host.split('.').slice(0, 3).join('.')}.0/24`
}
