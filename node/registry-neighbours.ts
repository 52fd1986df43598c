/**
 * Feeds discovery from the registry: every live member's entry names its cell
 * and addresses, so a neighbour is known as soon as the registry is, without
 * waiting for the DHT lookups (which still run, for what the registry lacks).
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { CellDiscovery, StateGossip } from '../protocols/index.js'
import type { Log } from './logger.js'

export function learnNeighboursFromRegistry (state: StateGossip, discovery: CellDiscovery, log: Log): () => void {
  const learn = (peerId: string): void => {
    const entry = state.getEntry(peerId)
    if (entry?.live !== true || entry.state.cell === '') return
    try {
      const addrs: Multiaddr[] = []
      for (const a of entry.state.multiaddrs) {
        try { addrs.push(multiaddr(a)) } catch { /* a bad address of a replica's entry: the others may do */ }
      }
      discovery.learn(peerIdFromString(peerId), entry.state.cell, addrs)
    } catch (err) {
      log.debug('registry entry names no usable peer', { peer: peerId, error: (err as Error).message })
    }
  }
  const onLive = (evt: CustomEvent<{ peerId: string }>): void => { learn(evt.detail.peerId) }
  const onChange = (evt: CustomEvent<{ peerIds: string[] }>): void => { evt.detail.peerIds.forEach(learn) }
  state.addEventListener('peer:live', onLive)
  state.addEventListener('registry:change', onChange)
  return () => {
    state.removeEventListener('peer:live', onLive)
    state.removeEventListener('registry:change', onChange)
  }
}
