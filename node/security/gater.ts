/**
 * The connection gater of a peer: the deployment's (or a test's) gater first, then
 * bans of peers that failed membership (checked after the Noise handshake, when the
 * PeerId is known) and a limit on inbound connections per address group.
 */
import type { ConnectionGater, MultiaddrConnection, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { addressGroup, type GroupRule } from './address-group.js'
import { DEFAULT_BAN_MS, DEFAULT_MAX_INBOUND_CONNECTIONS_PER_GROUP } from './constants.js'

export interface SecurityGaterInit extends GroupRule {
  /** @default 32 */
  maxInboundConnectionsPerGroup?: number
  /** Unix ms @default Date.now */
  now?: () => number
}

export interface GaterStats { deniedBanned: number, deniedGroupFull: number }

export class SecurityGater implements ConnectionGater {
  readonly stats: GaterStats = { deniedBanned: 0, deniedGroupFull: 0 }
  rule: Required<Omit<SecurityGaterInit, 'now'>>
  private readonly inner: ConnectionGater
  private readonly bans = new Map<string, number>()
  /** inbound raw connections not yet closed, with their address group */
  private readonly inbound = new Map<MultiaddrConnection, string>()
  private readonly now: () => number

  constructor (inner: ConnectionGater = {}, init: Partial<SecurityGaterInit> = {}) {
    this.inner = inner
    this.now = init.now ?? Date.now
    this.rule = {
      addressGroup: init.addressGroup ?? 'ip',
      exemptLoopback: init.exemptLoopback ?? true,
      maxInboundConnectionsPerGroup: init.maxInboundConnectionsPerGroup ?? DEFAULT_MAX_INBOUND_CONNECTIONS_PER_GROUP
    }
  }

  ban (peer: string, ms = DEFAULT_BAN_MS): void {
    if (ms <= 0) return
    this.bans.set(peer, this.now() + ms)
  }

  unban (peer: string): void { this.bans.delete(peer) }

  isBanned (peer: string): boolean {
    const until = this.bans.get(peer)
    if (until === undefined) return false
    if (until > this.now()) return true
    this.bans.delete(peer)
    return false
  }

  private banned (peer: PeerId): boolean {
    if (!this.isBanned(peer.toString())) return false
    this.stats.deniedBanned++
    return true
  }

  denyDialPeer = async (peer: PeerId): Promise<boolean> => await this.inner.denyDialPeer?.(peer) === true || this.banned(peer)
  denyDialMultiaddr = async (ma: Multiaddr): Promise<boolean> => await this.inner.denyDialMultiaddr?.(ma) === true
  denyOutboundConnection = async (peer: PeerId, c: MultiaddrConnection): Promise<boolean> => await this.inner.denyOutboundConnection?.(peer, c) === true

  denyInboundConnection = async (c: MultiaddrConnection): Promise<boolean> => {
    if (await this.inner.denyInboundConnection?.(c) === true) return true
    const group = addressGroup(c.remoteAddr, this.rule)
    if (group === undefined) return false
    // counted from the raw connections, so that parallel dials still being upgraded count too
    let n = 0
    for (const [conn, g] of this.inbound) {
      if (conn.timeline.close !== undefined) this.inbound.delete(conn)
      else if (g === group) n++
    }
    if (n >= this.rule.maxInboundConnectionsPerGroup) {
      this.stats.deniedGroupFull++
      return true
    }
    this.inbound.set(c, group)
    return false
  }

  denyInboundEncryptedConnection = async (peer: PeerId, c: MultiaddrConnection): Promise<boolean> =>
    await this.inner.denyInboundEncryptedConnection?.(peer, c) === true || this.banned(peer)

  denyOutboundEncryptedConnection = async (peer: PeerId, c: MultiaddrConnection): Promise<boolean> =>
    await this.inner.denyOutboundEncryptedConnection?.(peer, c) === true || this.banned(peer)

  denyInboundUpgradedConnection = async (peer: PeerId, c: MultiaddrConnection): Promise<boolean> => await this.inner.denyInboundUpgradedConnection?.(peer, c) === true
  denyOutboundUpgradedConnection = async (peer: PeerId, c: MultiaddrConnection): Promise<boolean> => await this.inner.denyOutboundUpgradedConnection?.(peer, c) === true
  filterMultiaddrForPeer = async (peer: PeerId, ma: Multiaddr): Promise<boolean> => this.inner.filterMultiaddrForPeer === undefined ? true : await this.inner.filterMultiaddrForPeer(peer, ma)
}
