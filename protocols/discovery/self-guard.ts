/**
 * Keeps a peer out of its own Kademlia routing table.
 *
 * kad-dht 15 offers every peer named in a DHT answer to its routing table,
 * which pings a contact before adding it. A GET_PROVIDERS answer names the
 * asker itself: the answering peer does not exclude the asker from its closer
 * peers, and the asker is a provider of its own cell. So every cell lookup
 * made a peer ping itself about once per answering peer (about 100 failed
 * self-dials a second in a 12-peer mesh), each ping holding up the query that
 * offered it. The peer-info mapper cannot help (it is not applied on the
 * query path), so the routing table's `add` is guarded instead.
 */
import type { AbortOptions, PeerId } from '@libp2p/interface'
import type { KadDHT, KadDHTComponents } from '@libp2p/kad-dht'

interface RoutingTableAdd { add: (peer: PeerId, options?: AbortOptions) => Promise<void> }

function routingTableOf (dht: object): RoutingTableAdd | undefined {
  const rt: unknown = Reflect.get(dht, 'routingTable')
  if (typeof rt !== 'object' || rt === null) return undefined
  const add: unknown = Reflect.get(rt, 'add')
  return typeof add === 'function' ? rt as RoutingTableAdd : undefined
}

/**
 * Wraps a kad-dht service factory so the service never offers its own peer
 * to its routing table.
 *
 * @example
 * ```ts
 * services: { dht: withoutSelfInRoutingTable(kadDHT({ protocol: '/ecco/kad/1.0.0' })) }
 * ```
 */
export function withoutSelfInRoutingTable (factory: (components: KadDHTComponents) => KadDHT): (components: KadDHTComponents) => KadDHT {
  return (components) => {
    const dht = factory(components)
    const rt = routingTableOf(dht)
    if (rt !== undefined) {
      const add = rt.add.bind(rt)
      rt.add = async (peer, options) => {
        if (peer.equals(components.peerId)) return
        await add(peer, options)
      }
    }
    return dht
  }
}
