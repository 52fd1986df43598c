/**
 * A connection budget. Every DHT walk (a cell lookup, a provide, kad-dht's
 * own refreshes) dials the peers closest to its key and libp2p never closes
 * them, so within minutes a roadside peer holds a connection to nearly every
 * other: 50 peers in a city grid formed a full mesh. Each connection costs a
 * beats stream, pings and its share of every heartbeat's vectors, so an idle
 * peer's CPU grew with the fleet.
 *
 * Past `maxConnections`, connections this peer dialled that nothing needs are
 * closed, newest first (the oldest are the stable long links that keep the
 * mesh's diameter small). Needed: the nearest neighbours, peers tagged
 * keep-alive by anyone but kad-dht (bootstrap peers: libp2p redials those, so
 * closing them would only churn), and connections carrying a stream other
 * than the always-open ones (identify, ping, beats, the DHT, gossipsub).
 *
 * kad-dht keeps its 20 XOR-closest peers alive. Those are spread over the
 * whole fleet, so with the nearest neighbours they made about 30 connections
 * per peer, each carrying its share of beats and gossip. The DHT dials
 * whoever a query needs anyway, so the budget drops kad-dht's keep-alive tag
 * as soon as kad-dht sets it (it tags a peer again only when the peer
 * re-enters the closest set), and again before closing. Dropping it only when
 * closing was not enough: the other side could still have us tagged, and
 * libp2p there redialled what was closed here. (Discovery keeps the nearest
 * neighbours alive with a tag of its own.) Only outbound connections are
 * pruned: the dialler decides, so two peers never
 * close the same link from both ends; of two connections between one pair, the
 * lower PeerId closes the one it dialled.
 */
import { KEEP_ALIVE, type AbortOptions, type ComponentLogger, type Connection, type Libp2pEvents, type Logger, type PeerId, type PeerStore, type PeerUpdate, type TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager } from '@libp2p/interface-internal'

/** the tag kad-dht keeps its closest peers connected with (@libp2p/kad-dht's KEEP_ALIVE_TAG, not exported) */
const KAD_KEEP_ALIVE_TAG = `${KEEP_ALIVE}-kad-dht`

export interface ConnectionBudgetComponents {
  peerId: PeerId
  connectionManager: Pick<ConnectionManager, 'getConnections'>
  peerStore: Pick<PeerStore, 'get' | 'merge'>
  events: Pick<TypedEventTarget<Libp2pEvents>, 'addEventListener' | 'removeEventListener'>
  logger: ComponentLogger
}

/** how long the budget waits for `beforeClose` (liveness' goodbye) before closing anyway */
const RELEASE_TIMEOUT_MS = 5000
/**
 * How long a graceful close may take before the connection is aborted. An
 * abort resets the streams, and the other side drops what it has not read
 * yet: the goodbye among it, so it would suspect us. On a loaded host (200
 * peers in one process) a close takes longer than the 1 s it had.
 */
const CLOSE_TIMEOUT_MS = 5000

export interface ConnectionBudgetInit {
  maxConnections: number
  intervalMs: number
  /** a connection younger than this is left alone (a dial's first streams are still coming) */
  minAgeMs: number
  /** protocols whose open streams do not make a connection needed */
  idleProtocols: readonly string[]
  /** peers that must stay connected: the nearest neighbours */
  protectedPeers: () => ReadonlySet<string>
  /** runs before a connection is closed: liveness tells the other side it is no death */
  beforeClose?: (connection: Connection, options: AbortOptions) => Promise<void>
}

export interface ConnectionBudgetStats {
  /** connections closed because the budget was exceeded */
  pruned: number
  /** duplicate connections to one peer closed */
  duplicates: number
}

export class ConnectionBudget {
  private readonly components: ConnectionBudgetComponents
  private readonly init: ConnectionBudgetInit
  private readonly log: Logger
  private readonly idle: Set<string>
  private timer?: ReturnType<typeof setInterval>
  private pruning = false
  readonly stats: ConnectionBudgetStats = { pruned: 0, duplicates: 0 }

  constructor (components: ConnectionBudgetComponents, init: ConnectionBudgetInit) {
    this.components = components
    this.init = init
    this.idle = new Set(init.idleProtocols)
    this.log = components.logger.forComponent('ecco:discovery:budget')
  }

  start (): void {
    this.timer = setInterval(() => { void this.prune() }, this.init.intervalMs)
    this.components.events.addEventListener('peer:update', this.onPeerUpdate)
  }

  stop (): void {
    clearInterval(this.timer)
    this.components.events.removeEventListener('peer:update', this.onPeerUpdate)
  }

  /** kad-dht's keep-alive is dropped as soon as it is set (see the header). */
  private readonly onPeerUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const { peer, previous } = evt.detail
    if (!peer.tags.has(KAD_KEEP_ALIVE_TAG) || previous?.tags.has(KAD_KEEP_ALIVE_TAG) === true) return
    this.components.peerStore.merge(peer.id, { tags: { [KAD_KEEP_ALIVE_TAG]: undefined } }).catch((err) => {
      this.log('dropping kad-dht keep-alive of %p failed: %e', peer.id, err)
    })
  }

  /** One pass: duplicates first, then the newest unneeded outbound connections past the budget. */
  async prune (): Promise<number> {
    if (this.pruning) return 0
    this.pruning = true
    try {
      const now = Date.now()
      const all = this.components.connectionManager.getConnections().filter((c) => c.status === 'open')
      const closing = new Set<Connection>(this.duplicates(all, now))
      this.stats.duplicates += closing.size
      let surplus = all.length - closing.size - this.init.maxConnections
      if (surplus > 0) {
        const keep = this.init.protectedPeers()
        const candidates = all
          .filter((c) => !closing.has(c) && c.direction === 'outbound' && now - c.timeline.open >= this.init.minAgeMs && !keep.has(c.remotePeer.toString()) && this.unused(c))
          .sort((a, b) => b.timeline.open - a.timeline.open)
        for (const c of candidates) {
          if (surplus <= 0) break
          if (!await this.releasable(c.remotePeer)) continue
          closing.add(c)
          this.stats.pruned++
          surplus--
        }
      }
      await Promise.all([...closing].map(async (c) => {
        this.log('closing connection %s to %p', c.id, c.remotePeer)
        try {
          // on a loaded host the goodbye may wait behind other frames: it gets longer than the close
          await this.init.beforeClose?.(c, { signal: AbortSignal.timeout(RELEASE_TIMEOUT_MS) })
          await c.close({ signal: AbortSignal.timeout(CLOSE_TIMEOUT_MS) })
        } catch (err) { c.abort(err as Error) }
      }))
      return closing.size
    } finally {
      this.pruning = false
    }
  }

  /** Our newer outbound connections to a peer we also reach another way, when our PeerId is the lower. */
  private duplicates (all: Connection[], now: number): Connection[] {
    const self = this.components.peerId.toString()
    const byPeer = new Map<string, Connection[]>()
    for (const c of all) {
      const k = c.remotePeer.toString()
      const list = byPeer.get(k)
      if (list === undefined) byPeer.set(k, [c])
      else list.push(c)
    }
    const out: Connection[] = []
    for (const [peer, conns] of byPeer) {
      if (conns.length < 2 || self > peer) continue
      const oldest = conns.reduce((a, b) => (a.timeline.open <= b.timeline.open ? a : b))
      for (const c of conns) if (c !== oldest && c.direction === 'outbound' && now - c.timeline.open >= this.init.minAgeMs && this.unused(c)) out.push(c)
    }
    return out
  }

  /** A stream still negotiating has no protocol yet: it counts as in use, whatever it becomes. */
  private unused (c: Connection): boolean {
    return c.streams.every((s) => s.protocol !== undefined && this.idle.has(s.protocol))
  }

  /** False when someone other than kad-dht keeps the peer alive; drops kad-dht's tag otherwise. */
  private async releasable (peer: PeerId): Promise<boolean> {
    let tags: string[]
    try {
      tags = [...(await this.components.peerStore.get(peer)).tags.keys()].filter((name) => name.startsWith(KEEP_ALIVE))
    } catch {
      return true
    }
    if (tags.some((name) => name !== KAD_KEEP_ALIVE_TAG)) return false
    if (tags.length > 0) await this.components.peerStore.merge(peer, { tags: { [KAD_KEEP_ALIVE_TAG]: undefined } })
    return true
  }
}
