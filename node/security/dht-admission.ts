/**
 * Routing-table admission for the Kademlia DHT. kad-dht 15 has no admission hook: peers
 * enter its table through `routingTable.add` (on connect, from query responses, from
 * refreshes), so the service wraps that one method. Admitted: (permissioned) certified
 * members only, and at most `maxPerGroup` peers per address group, so many PeerIds
 * behind one address cannot surround a key (eclipse, Sybil placement).
 */
import type { AbortOptions, PeerId, PeerStore } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { addressGroup, type GroupRule } from './address-group.js'

export interface RoutingTableLike {
  add: (peerId: PeerId, options?: AbortOptions) => Promise<void>
  remove: (peerId: PeerId, options?: AbortOptions) => Promise<void>
  addEventListener: (type: 'peer:add' | 'peer:remove', fn: (evt: CustomEvent<PeerId>) => void) => void
  removeEventListener: (type: 'peer:add' | 'peer:remove', fn: (evt: CustomEvent<PeerId>) => void) => void
}

export interface AdmissionRule extends GroupRule {
  /** permissioned: only members enter */
  membersOnly: boolean
  maxPerGroup: number
}

export interface AdmissionStats { admitted: number, refusedNonMember: number, refusedGroupFull: number, deferred: number }

export function routingTableOf (dht: unknown): RoutingTableLike | undefined {
  if (typeof dht !== 'object' || dht === null || !('routingTable' in dht)) return undefined
  const rt = (dht as { routingTable: unknown }).routingTable
  return typeof rt === 'object' && rt !== null && typeof (rt as RoutingTableLike).add === 'function' ? rt as RoutingTableLike : undefined
}

export class DhtAdmission {
  readonly stats: AdmissionStats = { admitted: 0, refusedNonMember: 0, refusedGroupFull: 0, deferred: 0 }
  rule: AdmissionRule
  private readonly isMember: (peer: string) => boolean
  private readonly addresses: (peer: PeerId) => Promise<Multiaddr[]>
  /** peers in the table, by group */
  private readonly inTable = new Map<string, string | undefined>()
  /** peers the DHT wanted to add before they proved membership: added once they do */
  private readonly deferred = new Map<string, PeerId>()
  private table?: RoutingTableLike
  private originalAdd?: RoutingTableLike['add']

  /** this peer: kad-dht offers it too (discovery's self guard drops it), it must not use a group slot */
  private readonly self: string

  constructor (rule: AdmissionRule, isMember: (peer: string) => boolean, addresses: (peer: PeerId) => Promise<Multiaddr[]>, self: string) {
    this.self = self
    this.rule = rule
    this.isMember = isMember
    this.addresses = addresses
  }

  /** Addresses a peer is reached at, for its group: the peer store's, which are what the DHT hands out. */
  static peerStoreAddresses (peerStore: PeerStore): (peer: PeerId) => Promise<Multiaddr[]> {
    return async (peer) => {
      try {
        return (await peerStore.get(peer)).addresses.map((a) => a.multiaddr)
      } catch {
        return []
      }
    }
  }

  install (table: RoutingTableLike): void {
    this.table = table
    const add = table.add.bind(table)
    this.originalAdd = add
    table.add = async (peerId, options) => { await this.add(peerId, options) }
    table.addEventListener('peer:add', this.onAdd)
    table.addEventListener('peer:remove', this.onRemove)
  }

  uninstall (): void {
    if (this.table === undefined || this.originalAdd === undefined) return
    this.table.add = this.originalAdd
    this.table.removeEventListener('peer:add', this.onAdd)
    this.table.removeEventListener('peer:remove', this.onRemove)
    this.table = undefined
  }

  private readonly onAdd = (evt: CustomEvent<PeerId>): void => {
    const id = evt.detail.toString()
    if (!this.inTable.has(id)) this.inTable.set(id, undefined)
    void this.groupOf(evt.detail).then((g) => { if (this.inTable.has(id)) this.inTable.set(id, g) })
  }

  private readonly onRemove = (evt: CustomEvent<PeerId>): void => { this.inTable.delete(evt.detail.toString()) }

  private async groupOf (peer: PeerId): Promise<string | undefined> {
    for (const a of await this.addresses(peer)) {
      const g = addressGroup(a, this.rule)
      if (g !== undefined) return g
    }
    return undefined
  }

  private async add (peerId: PeerId, options?: AbortOptions): Promise<void> {
    const id = peerId.toString()
    if (id === this.self) return
    if (this.inTable.has(id)) { await this.originalAdd?.(peerId, options); return }
    if (this.rule.membersOnly && !this.isMember(id)) {
      this.stats.refusedNonMember++
      if (this.deferred.size < 1024) this.deferred.set(id, peerId)
      return
    }
    const group = await this.groupOf(peerId)
    if (group !== undefined) {
      let n = 0
      for (const g of this.inTable.values()) if (g === group) n++
      if (n >= this.rule.maxPerGroup) { this.stats.refusedGroupFull++; return }
    }
    this.inTable.set(id, group)
    this.stats.admitted++
    await this.originalAdd?.(peerId, options)
  }

  /** A peer proved membership: if the DHT asked for it earlier, let it in now. */
  async memberConfirmed (peerId: PeerId): Promise<void> {
    if (!this.deferred.delete(peerId.toString())) return
    this.stats.deferred++
    await this.add(peerId).catch(() => {})
  }

  /** A peer lost membership (revoked, expired, refused): out of the table. */
  async evict (peerId: PeerId): Promise<void> {
    this.deferred.delete(peerId.toString())
    if (!this.inTable.delete(peerId.toString())) return
    await this.table?.remove(peerId).catch(() => {})
  }

  /** Groups and their peer counts in the routing table. */
  groups (): Record<string, number> {
    const out: Record<string, number> = {}
    for (const g of this.inTable.values()) out[g ?? '?'] = (out[g ?? '?'] ?? 0) + 1
    return out
  }
}
