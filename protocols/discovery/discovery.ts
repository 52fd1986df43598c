/**
 * Neighbour discovery by geohash cell: a peer provides the key of its own
 * cell and looks up its own and the eight surrounding cells, dialling the
 * providers. Bootstrap peers are only an entry point into the DHT.
 */
import { TypedEventEmitter, type ComponentLogger, type Connection, type ContentRouting, type Libp2pEvents, type Logger, type PeerId, type PeerStore, type Startable, type TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { anySignal } from 'any-signal'
import { raceSignal } from 'race-signal'
import { cellAndNeighbours, encodeGeohash, type Position } from '../geo/index.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import { cellKey } from './cell-key.js'
import {
  DEFAULT_CELL_PRECISION, DEFAULT_INTERVAL_MS, DEFAULT_MAX_NEIGHBOURS, DEFAULT_REPROVIDE_MS, DEFAULT_ROUND_TIMEOUT_MS, FIRST_ROUND_DELAY_MS, HELLO_MIN_INTERVAL_MS, HELLO_PROTOCOL, MAX_SEEN_INBOUND, NEWCOMER_DELAY_MS, WARMUP_MAX_DELAY_MS, WARMUP_MS
} from './constants.js'
import type { CellDiscovery, CellDiscoveryInit, DiscoveryEvents, DiscoveryStats, Neighbour } from './index.js'

export interface CellDiscoveryComponents {
  peerId: PeerId
  contentRouting: ContentRouting
  connectionManager: ConnectionManager
  peerStore: PeerStore
  events: TypedEventTarget<Libp2pEvents>
  registrar: Registrar
  logger: ComponentLogger
}

export class DefaultCellDiscovery extends TypedEventEmitter<DiscoveryEvents> implements CellDiscovery, Startable {
  private readonly components: CellDiscoveryComponents
  private readonly log: Logger
  private readonly precision: number
  private readonly intervalMs: number
  private readonly roundTimeoutMs: number
  private readonly maxNeighbours: number
  private readonly provide: boolean
  private position: Position
  private readonly neighbours = new Map<string, Neighbour>()
  private shutdown?: AbortController
  private timer?: ReturnType<typeof setTimeout>
  private round?: Promise<void>
  /** delay before the next round; reset to the minimum whenever the neighbourhood changes */
  private backoffMs = FIRST_ROUND_DELAY_MS
  private again = false
  private foundThisRound = 0
  private lastHelloRound = 0
  private startedAt = 0
  private readonly seenInbound = new Set<string>()
  private lastProvide?: { cell: string, connections: number, at: number }
  private readonly reprovideMs: number
  readonly stats: DiscoveryStats = { rounds: 0, dhtQueries: 0, dhtQueryErrors: 0, dials: 0, dialErrors: 0, hellosIn: 0, hellosOut: 0 }

  constructor (components: CellDiscoveryComponents, init: CellDiscoveryInit) {
    super()
    this.components = components
    this.log = components.logger.forComponent('ecco:discovery')
    this.position = init.position
    this.precision = init.precision ?? DEFAULT_CELL_PRECISION
    this.intervalMs = init.intervalMs ?? DEFAULT_INTERVAL_MS
    this.roundTimeoutMs = init.roundTimeoutMs ?? DEFAULT_ROUND_TIMEOUT_MS
    this.maxNeighbours = init.maxNeighbours ?? DEFAULT_MAX_NEIGHBOURS
    this.provide = init.provide ?? true
    this.reprovideMs = init.reprovideMs ?? DEFAULT_REPROVIDE_MS
  }

  readonly [Symbol.toStringTag] = 'ecco/cell-discovery'

  get cell (): string { return encodeGeohash(this.position, this.precision) }

  isStarted (): boolean { return this.shutdown !== undefined }

  /**
   * While the mesh around a freshly started peer is still forming, records
   * land on few peers and neighbours appear late: look (and provide) often.
   */
  private warmingUp (): boolean {
    return Date.now() - this.startedAt < WARMUP_MS
  }

  async start (): Promise<void> {
    this.startedAt = Date.now()
    this.shutdown = new AbortController()
    this.components.events.addEventListener('connection:open', this.onConnection)
    await this.components.registrar.handle(HELLO_PROTOCOL, ({ stream }) => {
      // a hello carries nothing: it only says "look me up now"; close at once
      stream.abort(new Error('hello'))
      this.onHello()
    }, { maxInboundStreams: 2, maxOutboundStreams: 2 })
  }

  /** The DHT needs a peer to query; the first connection starts the first round. */
  afterStart (): void {
    if (this.components.connectionManager.getConnections().length > 0) this.runNow()
  }

  async stop (): Promise<void> {
    this.components.events.removeEventListener('connection:open', this.onConnection)
    await this.components.registrar.unhandle(HELLO_PROTOCOL)
    this.shutdown?.abort()
    this.shutdown = undefined
    clearTimeout(this.timer)
    await this.round?.catch(() => {})
  }

  getNeighbours (): Neighbour[] { return [...this.neighbours.values()] }

  /** Vehicles move: a new position changes the cells looked up next round. */
  setPosition (position: Position): void {
    const before = this.cell
    this.position = position
    if (this.cell !== before) this.runNow()
  }

  /**
   * Runs a round soon, or right after the current one. Called on the first
   * connection and when an unknown peer dials us: it has most likely just
   * provided a cell near ours.
   */
  runNow (delayMs = FIRST_ROUND_DELAY_MS): void {
    if (this.shutdown === undefined) return
    this.backoffMs = FIRST_ROUND_DELAY_MS
    if (this.round !== undefined) { this.again = true; return }
    this.schedule(delayMs)
  }

  private readonly onConnection = (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail
    const id = conn.remotePeer.toString()
    const first = this.components.connectionManager.getConnections().length === 1
    // only a peer's first-ever inbound connection counts: DHT queries connect
    // far-away peers all the time, and reacting to each would loop the mesh
    const newcomer = conn.direction === 'inbound' && !this.neighbours.has(id) && !this.seenInbound.has(id)
    if (conn.direction === 'inbound') this.remember(id)
    if (first) this.runNow()
    else if (newcomer) this.runNow(NEWCOMER_DELAY_MS)
  }

  /**
   * A hello from a peer that has just found us through the DHT: it provided
   * its cell before looking us up, so a lookup now finds it. At most one
   * hello-triggered round per HELLO_MIN_INTERVAL_MS, so hellos cannot flood.
   */
  private onHello (): void {
    this.stats.hellosIn++
    const now = Date.now()
    if (now - this.lastHelloRound < HELLO_MIN_INTERVAL_MS) { this.again = this.round !== undefined || this.again; return }
    this.lastHelloRound = now
    this.runNow()
  }

  private async sayHello (id: PeerId, signal: AbortSignal): Promise<void> {
    try {
      const stream = await this.components.connectionManager.openConnection(id, { signal })
        .then(async (conn) => await conn.newStream(HELLO_PROTOCOL, { signal }))
      await stream.close({ signal })
      this.stats.hellosOut++
    } catch (err) {
      this.stats.dialErrors++
      this.log('hello to %p failed: %e', id, err)
    }
  }

  private remember (id: string): void {
    if (this.seenInbound.size >= MAX_SEEN_INBOUND) this.seenInbound.delete(this.seenInbound.values().next().value as string)
    this.seenInbound.add(id)
  }

  private schedule (delay: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.foundThisRound = 0
      this.round = this.discover().finally(() => {
        this.round = undefined
        if (this.shutdown === undefined) return
        // a changing neighbourhood is looked at again quickly; a quiet one backs off
        if (this.foundThisRound > 0 || this.again) this.backoffMs = FIRST_ROUND_DELAY_MS
        else this.backoffMs = Math.min(this.backoffMs * 2, this.warmingUp() ? WARMUP_MAX_DELAY_MS : this.intervalMs)
        this.again = false
        this.schedule(this.backoffMs)
      })
    }, delay)
    this.timer.unref?.()
  }

  /** One round: provide our cell, look up the 3x3 block, dial what we find. */
  async discover (): Promise<void> {
    const shutdown = this.shutdown
    if (shutdown === undefined) return
    const signal = anySignal([shutdown.signal, AbortSignal.timeout(this.roundTimeoutMs)])
    this.stats.rounds++
    try {
      const own = this.cell
      const cells = cellAndNeighbours(own)
      // provide before looking up: the neighbours we dial next look us up when
      // we first connect, and must find our record already stored
      const round = async (): Promise<void> => {
        if (this.provide && this.shouldProvide(own)) await this.provideCell(own, signal)
        await Promise.all(cells.map(async (cell) => { await this.lookup(cell, signal) }))
      }
      // a DHT query that ignores the signal must not hold up the next round
      await raceSignal(round(), signal).catch(() => {})
    } finally {
      signal.clear()
    }
  }

  /**
   * A provider record lands on the peers closest to the key that we can see.
   * Provide again when the cell changed, when our view of the network has
   * doubled since (the closest set may have moved), or when records near expiry.
   */
  private shouldProvide (cell: string): boolean {
    const last = this.lastProvide
    if (last === undefined || last.cell !== cell) return true
    if (this.warmingUp() && Date.now() - last.at >= WARMUP_MAX_DELAY_MS) return true
    const conns = this.components.connectionManager.getConnections().length
    return conns >= 2 * Math.max(1, last.connections) || Date.now() - last.at >= this.reprovideMs
  }

  private async provideCell (cell: string, signal: AbortSignal): Promise<void> {
    this.stats.dhtQueries++
    const start = Date.now()
    const connections = this.components.connectionManager.getConnections().length
    try {
      await this.components.contentRouting.provide(await cellKey(cell), { signal })
      this.lastProvide = { cell, connections, at: Date.now() }
      this.log('provided %s in %d ms', cell, Date.now() - start)
    } catch (err) {
      this.stats.dhtQueryErrors++
      this.log('provide %s failed: %e', cell, err)
    }
  }

  private async lookup (cell: string, signal: AbortSignal): Promise<void> {
    this.stats.dhtQueries++
    const self = this.components.peerId
    const start = Date.now()
    try {
      for await (const prov of this.components.contentRouting.findProviders(await cellKey(cell), { signal })) {
        if (prov.id.equals(self)) continue
        await this.found(prov.id, prov.multiaddrs, cell, signal)
      }
      this.log('looked up %s in %d ms', cell, Date.now() - start)
    } catch (err) {
      if (signal.aborted) return
      this.stats.dhtQueryErrors++
      this.log('findProviders %s failed: %e', cell, err)
    }
  }

  private async found (id: PeerId, addrs: Multiaddr[], cell: string, signal: AbortSignal): Promise<void> {
    const key = id.toString()
    const known = this.neighbours.get(key)
    const now = Date.now()
    if (known !== undefined) {
      known.lastSeen = now
      known.cell = cell
      if (this.components.connectionManager.getConnections(id).length > 0) return
    } else {
      if (this.neighbours.size >= this.maxNeighbours) return
      this.neighbours.set(key, { peerId: key, cell, firstSeen: now, lastSeen: now })
      this.foundThisRound++
      this.safeDispatch('neighbour:found', { peerId: id, cell })
    }
    if (addrs.length > 0) await this.components.peerStore.merge(id, { multiaddrs: addrs }).catch(() => {})
    this.stats.dials++
    // a new neighbour gets a hello (which dials it): we provided before this
    // lookup, so it finds us when it looks now
    if (known === undefined && this.provide) {
      void this.sayHello(id, signal)
      return
    }
    try {
      await this.components.connectionManager.openConnection(id, { signal })
    } catch (err) {
      this.stats.dialErrors++
      this.log('dial %p failed: %e', id, err)
    }
  }

  private safeDispatch (type: 'neighbour:found', detail: DiscoveryEvents['neighbour:found']['detail']): void {
    try { this.safeDispatchEvent(type, { detail }) } catch (err) { this.log.error('listener failed: %e', err) }
  }
}
