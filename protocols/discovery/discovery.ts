/**
 * Neighbour discovery by geohash cell: a peer provides the key of its own
 * cell and looks up its own and the eight surrounding cells. A peer found
 * this way gets a hello carrying the finder's cell, so it learns its finder
 * without a lookup of its own. Bootstrap peers are only an entry point.
 *
 * Why this converges on a slow, loaded machine: a provide (a DHT walk, then
 * the records) runs on its own budget, apart from the lookups, and once it
 * has stored records the peer looks again. Of two neighbours, the one whose
 * record landed second therefore looks after both records are out, finds the
 * other, and its hello tells the other. Lookups cut short by a slow DHT do not
 * count towards backing off; failed provides and hellos are retried.
 */
import { KEEP_ALIVE, TypedEventEmitter, type ComponentLogger, type Connection, type ContentRouting, type IncomingStreamData, type Libp2pEvents, type Logger, type PeerId, type PeerStore, type Startable, type TypedEventTarget } from '@libp2p/interface'
import type { ConnectionManager, Registrar } from '@libp2p/interface-internal'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { anySignal } from 'any-signal'
import { raceSignal } from 'race-signal'
import { cellAndNeighbours, cellCentre, distanceMetres, encodeGeohash, type Position } from '../geo/index.js'
import { InvalidMessageError } from '../wire/index.js'
import { ConnectionBudget } from './budget.js'
import { cellKey } from './cell-key.js'
import {
  DEFAULT_CELL_PRECISION, DEFAULT_HELLO_TIMEOUT_MS, DEFAULT_INTERVAL_MS, DEFAULT_LOOKUP_CONCURRENCY, DEFAULT_LOOKUP_TIMEOUT_MS,
  DEFAULT_IDLE_PROTOCOLS, DEFAULT_KEEP_NEIGHBOURS, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_NEIGHBOURS, DEFAULT_PROVIDE_TIMEOUT_MS, PRUNE_INTERVAL_MS, PRUNE_MIN_AGE_MS, DEFAULT_REPROVIDE_MS, DEFAULT_ROUND_TIMEOUT_MS, FIRST_ROUND_DELAY_MS,
  DEFAULT_REPLICATION, HELLO_MAX_INBOUND_STREAMS, HELLO_MAX_OUTBOUND_STREAMS, HELLO_PROTOCOL, PROVIDE_RETRY_MAX_MS,
  PROVIDE_RETRY_MIN_MS, QUIET_ROUND_MIN_MS, REPROVIDE_ON_GROWTH_MIN_AGE_MS, ROUND_PAUSE_JITTER
} from './constants.js'
import { Greeter } from './greeter.js'
import { answerHello } from './hello.js'
import type { CellDiscovery, CellDiscoveryInit, DiscoveryEvents, DiscoveryStats, Neighbour } from './index.js'

export interface CellDiscoveryComponents {
  peerId: PeerId
  contentRouting: ContentRouting
  connectionManager: ConnectionManager
  events: TypedEventTarget<Libp2pEvents>
  registrar: Registrar
  peerStore: PeerStore
  logger: ComponentLogger
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping the order of results. */
async function mapLimit<T, R> (items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}

/** kad-dht reports each provider record it stored as a peer response to ADD_PROVIDER. */
function isRecordStored (evt: { type: string, detail?: unknown }): boolean {
  if (evt.type !== 'kad-dht:query:peer-response') return false
  const detail = evt.detail
  return typeof detail === 'object' && detail !== null && Reflect.get(detail, 'messageName') === 'ADD_PROVIDER'
}

/** the peer-store tag that keeps the nearest neighbours connected (see keepNearestAlive) */
const NEIGHBOUR_KEEP_ALIVE_TAG = `${KEEP_ALIVE}-ecco-neighbour`

export class DefaultCellDiscovery extends TypedEventEmitter<DiscoveryEvents> implements CellDiscovery, Startable {
  private readonly components: CellDiscoveryComponents
  private readonly log: Logger
  private readonly precision: number
  private readonly intervalMs: number
  private readonly roundTimeoutMs: number
  private readonly lookupTimeoutMs: number
  private readonly provideTimeoutMs: number
  private readonly helloTimeoutMs: number
  private readonly lookupConcurrency: number
  private readonly maxNeighbours: number
  private readonly reprovideMs: number
  private readonly provide: boolean
  private position: Position
  private readonly neighbours = new Map<string, Neighbour>()
  private readonly greeter: Greeter
  private readonly budget?: ConnectionBudget
  private readonly keepNeighbours: number
  private shutdown?: AbortController
  private timer?: ReturnType<typeof setTimeout>
  private round?: Promise<void>
  /** delay after the next quiet round; doubles up to the interval, reset by runNow() */
  private backoffMs: number
  private readonly quietRoundMinMs: number
  /** runNow() was called during a round: run another right after it */
  private again = false
  /** the nearest neighbours tagged keep-alive: libp2p redials them when their connection drops */
  private keptAlive = new Set<string>()
  private readonly learnsNeighbours: boolean
  private readonly replication: number
  /** the next round looks up the whole 3x3 block: something asked for it (runNow) */
  private blockDue = true
  private provideTimer?: ReturnType<typeof setTimeout>
  private providing?: Promise<void>
  private provideFailures = 0
  /** the last provide that stored records: where, on how many peers, when */
  private lastProvide?: { cell: string, stored: number, connections: number, at: number }
  readonly stats: DiscoveryStats = {
    rounds: 0, incompleteRounds: 0, dhtQueries: 0, dhtQueryErrors: 0, provides: 0, provideErrors: 0, dials: 0, dialErrors: 0,
    hellosIn: 0, hellosOut: 0, helloErrors: 0, invalidMessages: 0, learned: 0, safetyNetRounds: 0
  }

  constructor (components: CellDiscoveryComponents, init: CellDiscoveryInit) {
    super()
    this.components = components
    this.log = components.logger.forComponent('ecco:discovery')
    this.position = init.position
    this.precision = init.precision ?? DEFAULT_CELL_PRECISION
    this.intervalMs = init.intervalMs ?? DEFAULT_INTERVAL_MS
    this.roundTimeoutMs = init.roundTimeoutMs ?? DEFAULT_ROUND_TIMEOUT_MS
    this.lookupTimeoutMs = init.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS
    this.provideTimeoutMs = init.provideTimeoutMs ?? DEFAULT_PROVIDE_TIMEOUT_MS
    this.helloTimeoutMs = init.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS
    this.lookupConcurrency = init.lookupConcurrency ?? DEFAULT_LOOKUP_CONCURRENCY
    this.maxNeighbours = init.maxNeighbours ?? DEFAULT_MAX_NEIGHBOURS
    this.reprovideMs = init.reprovideMs ?? DEFAULT_REPROVIDE_MS
    this.provide = init.provide ?? true
    this.learnsNeighbours = init.learnsNeighbours ?? false
    this.replication = init.replication ?? DEFAULT_REPLICATION
    this.quietRoundMinMs = Math.min(init.quietRoundMinMs ?? (this.learnsNeighbours ? this.intervalMs : QUIET_ROUND_MIN_MS), this.intervalMs)
    this.backoffMs = this.quietRoundMinMs
    this.greeter = new Greeter({
      connectionManager: components.connectionManager,
      log: this.log,
      stats: this.stats,
      timeoutMs: this.helloTimeoutMs,
      cell: () => this.cell,
      onAnswer: (peer, cell) => { this.heard(peer, cell) }
    })
    this.keepNeighbours = init.keepNeighbours ?? DEFAULT_KEEP_NEIGHBOURS
    const maxConnections = init.maxConnections ?? DEFAULT_MAX_CONNECTIONS
    if (maxConnections > 0) {
      this.budget = new ConnectionBudget(components, {
        maxConnections,
        intervalMs: PRUNE_INTERVAL_MS,
        minAgeMs: PRUNE_MIN_AGE_MS,
        idleProtocols: [...DEFAULT_IDLE_PROTOCOLS, ...(init.idleProtocols ?? [])],
        protectedPeers: () => this.nearest(),
        ...(init.beforeClose === undefined ? {} : { beforeClose: init.beforeClose })
      })
    }
  }

  /** The neighbours a connection budget never closes: the nearest `keepNeighbours` by cell centre. */
  private nearest (): Set<string> {
    const at = (n: Neighbour): number => distanceMetres(this.position, cellCentre(n.cell))
    return new Set([...this.neighbours.values()].sort((a, b) => at(a) - at(b)).slice(0, this.keepNeighbours).map((n) => n.peerId))
  }

  get budgetStats (): ConnectionBudget['stats'] | undefined { return this.budget?.stats }

  readonly [Symbol.toStringTag] = 'ecco/cell-discovery'

  get cell (): string { return encodeGeohash(this.position, this.precision) }

  isStarted (): boolean { return this.shutdown !== undefined }

  async start (): Promise<void> {
    this.shutdown = new AbortController()
    this.greeter.start()
    this.budget?.start()
    this.components.events.addEventListener('connection:open', this.onConnection)
    // only peers that provide a cell are found, so only they are greeted
    if (this.provide) {
      await this.components.registrar.handle(HELLO_PROTOCOL, this.onHelloStream, {
        maxInboundStreams: HELLO_MAX_INBOUND_STREAMS, maxOutboundStreams: HELLO_MAX_OUTBOUND_STREAMS
      })
    }
  }

  /** The DHT needs a peer to query; the first connection starts the first round. */
  afterStart (): void {
    if (this.components.connectionManager.getConnections().length > 0) this.kick()
  }

  async stop (): Promise<void> {
    this.components.events.removeEventListener('connection:open', this.onConnection)
    this.budget?.stop()
    if (this.provide) await this.components.registrar.unhandle(HELLO_PROTOCOL)
    this.shutdown?.abort()
    this.shutdown = undefined
    clearTimeout(this.timer)
    clearTimeout(this.provideTimer)
    await Promise.allSettled([this.round, this.providing, this.greeter.stop()])
  }

  getNeighbours (): Neighbour[] { return [...this.neighbours.values()] }

  /** Vehicles move: a new position changes the cell provided and the cells looked up. */
  setPosition (position: Position): void {
    const before = this.cell
    this.position = position
    if (this.cell !== before) this.kick()
  }

  /**
   * Provides our cell when due and looks up the 3x3 block: a peer joining a
   * settled mesh finds (and greets) its neighbours at once, and looks again
   * once its own record is out.
   */
  private kick (): void {
    if (this.shouldProvide()) this.provideSoon(0)
    this.runNow()
  }

  /**
   * Runs a lookup round soon, or right after the current one, and resets the
   * back-off: something changed that may have made new records findable.
   */
  runNow (delayMs = FIRST_ROUND_DELAY_MS): void {
    if (this.shutdown === undefined) return
    this.backoffMs = this.quietRoundMinMs
    this.blockDue = true
    if (this.round !== undefined) { this.again = true; return }
    this.schedule(delayMs)
  }

  /** A peer that has had no connection before (or lost them all) can start now. */
  private readonly onConnection = (_evt: CustomEvent<Connection>): void => {
    if (this.components.connectionManager.getConnections().length === 1) this.kick()
  }

  private schedule (delay: number): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.round = this.lookupRound().then((complete) => {
        if (this.shutdown === undefined) return
        // rounds cost every peer of the mesh DHT work, so a quiet neighbourhood
        // backs off (a neighbour found late greets us, it needs no round of
        // ours); a round a slow DHT cut short is tried again at the same pace
        let next = jitteredPause(this.backoffMs)
        if (this.again) next = FIRST_ROUND_DELAY_MS
        else if (complete) this.backoffMs = Math.min(this.backoffMs * 2, this.intervalMs)
        this.again = false
        if (this.shouldProvide()) this.provideSoon(0)
        this.schedule(Math.min(next, this.intervalMs))
      }).finally(() => { this.round = undefined })
    }, delay)
    this.timer.unref?.()
  }

  /** One round of lookups; kept public for callers that want a round now. */
  async discover (): Promise<void> {
    await this.lookupRound()
  }

  /**
   * Looks up the 3x3 block (or, as a safety net, the own cell), each cell on
   * its own budget; true when every lookup ran to its end.
   */
  private async lookupRound (): Promise<boolean> {
    const shutdown = this.shutdown
    if (shutdown === undefined) return false
    const signal = anySignal([shutdown.signal, AbortSignal.timeout(this.roundTimeoutMs)])
    const block = this.blockDue || !this.learnsNeighbours
    this.blockDue = false
    this.stats.rounds++
    if (!block) this.stats.safetyNetRounds++
    try {
      const cells = block ? cellAndNeighbours(this.cell) : [this.cell]
      const lookups = mapLimit(cells, this.lookupConcurrency, async (cell) => {
        const budget = anySignal([signal, AbortSignal.timeout(this.lookupTimeoutMs)])
        try { return await this.lookup(cell, budget) } finally { budget.clear() }
      })
      // a DHT query that ignores the signal must not hold up the next round
      const done = await raceSignal(lookups, signal).catch(() => [false])
      const complete = done.every(Boolean)
      if (!complete) this.stats.incompleteRounds++
      // a block a slow DHT cut short is still owed
      if (!complete && block) this.blockDue = true
      return complete
    } finally {
      signal.clear()
    }
  }

  /**
   * A provider record lands on the peers closest to the key that we can see.
   * Provide again when the cell changed, when our record is on fewer than a
   * full replica set and our view of the network has doubled since it landed
   * (the closest set may have moved), or when records near expiry.
   */
  private shouldProvide (): boolean {
    if (!this.provide || this.providing !== undefined || this.provideTimer !== undefined) return false
    const last = this.lastProvide
    if (last === undefined || last.cell !== this.cell) return true
    const age = Date.now() - last.at
    const grown = last.stored < this.replication && this.components.connectionManager.getConnections().length >= 2 * Math.max(1, last.connections)
    return (grown && age >= REPROVIDE_ON_GROWTH_MIN_AGE_MS) || age >= this.reprovideMs
  }

  private provideSoon (delayMs: number): void {
    if (this.shutdown === undefined || this.providing !== undefined) return
    clearTimeout(this.provideTimer)
    this.provideTimer = setTimeout(() => {
      this.provideTimer = undefined
      this.providing = this.provideCell().finally(() => { this.providing = undefined })
    }, delayMs)
    this.provideTimer.unref?.()
  }

  /**
   * Provides our cell on its own budget: the DHT walk before the records are
   * sent can take longer than a lookup round when the machine is loaded.
   */
  private async provideCell (): Promise<void> {
    const shutdown = this.shutdown
    if (shutdown === undefined) return
    const cell = this.cell
    const signal = anySignal([shutdown.signal, AbortSignal.timeout(this.provideTimeoutMs)])
    const start = Date.now()
    let stored = 0
    this.stats.dhtQueries++
    this.stats.provides++
    try {
      const provided = this.components.contentRouting.provide(await cellKey(cell), {
        signal, onProgress: (evt) => { if (isRecordStored(evt)) stored++ }
      })
      await raceSignal(provided, signal)
      // a walk that reached nobody stored nothing: as good as a failure
      if (stored === 0) throw new Error('no peer stored the provider record')
      const before = this.lastProvide?.cell
      this.lastProvide = { cell, stored, connections: this.components.connectionManager.getConnections().length, at: Date.now() }
      // moved: the DHT would otherwise keep announcing us in the old cell for two days
      if (before !== undefined && before !== cell) await this.components.contentRouting.cancelReprovide(await cellKey(before)).catch(() => {})
      this.provideFailures = 0
      this.log('provided %s to %d peers in %d ms', cell, stored, Date.now() - start)
      // our record is out: every neighbour whose record landed before ours is findable now
      // (a refreshed record finds nobody new the registry would not name)
      if (!this.learnsNeighbours || before !== cell) this.runNow()
    } catch (err) {
      if (shutdown.signal.aborted) return
      this.stats.dhtQueryErrors++
      this.stats.provideErrors++
      this.provideFailures++
      this.log('provide %s failed after %d ms (%d records stored): %e', cell, Date.now() - start, stored, err)
      this.provideSoon(Math.min(PROVIDE_RETRY_MAX_MS, PROVIDE_RETRY_MIN_MS * 2 ** (this.provideFailures - 1)))
    } finally {
      signal.clear()
    }
  }

  /** True when the walk for `cell` ran to its end (not cut short, no error). */
  private async lookup (cell: string, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false
    this.stats.dhtQueries++
    const self = this.components.peerId
    const start = Date.now()
    try {
      for await (const prov of this.components.contentRouting.findProviders(await cellKey(cell), { signal })) {
        if (prov.id.equals(self)) continue
        await this.found(prov.id, cell, signal)
      }
      this.log('looked up %s in %d ms', cell, Date.now() - start)
      return !signal.aborted
    } catch (err) {
      if (signal.aborted) return false
      this.stats.dhtQueryErrors++
      this.log('findProviders %s failed: %e', cell, err)
      return false
    }
  }

  private addNeighbour (id: PeerId, cell: string): Neighbour | undefined {
    const key = id.toString()
    const now = Date.now()
    const known = this.neighbours.get(key)
    if (known !== undefined) {
      known.lastSeen = now
      if (known.cell !== cell) { known.cell = cell; this.keepNearestAlive() }
      return known
    }
    if (this.neighbours.size >= this.maxNeighbours) return undefined
    const n: Neighbour = { peerId: key, cell, firstSeen: now, lastSeen: now }
    this.neighbours.set(key, n)
    this.keepNearestAlive()
    this.safeDispatch('neighbour:found', { peerId: id, cell })
    return n
  }

  /**
   * The nearest neighbours are the links a roadside peer must not lose: they
   * carry its warnings and its checkpoints. libp2p redials a peer tagged
   * keep-alive when its connection drops (a restart, a healed partition), with
   * retries; kad-dht's own keep-alive, which did that by accident for some
   * neighbours, is dropped by the budget. Vehicles move on: they keep none.
   */
  private keepNearestAlive (): void {
    if (!this.provide) return
    const nearest = this.nearest()
    const tag = (peer: string, value: { value: number } | undefined): void => {
      this.components.peerStore.merge(peerIdFromString(peer), { tags: { [NEIGHBOUR_KEEP_ALIVE_TAG]: value } }).catch((err) => {
        this.log('keep-alive tag of %s not updated: %e', peer, err)
      })
    }
    for (const peer of nearest) if (!this.keptAlive.has(peer)) tag(peer, { value: 1 })
    for (const peer of this.keptAlive) if (!nearest.has(peer)) tag(peer, undefined)
    this.keptAlive = nearest
  }

  /**
   * A neighbour named by another source: the replicated registry carries every
   * member's cell and addresses, and converges in a few heartbeats, long
   * before a loaded DHT answers nine lookups. The DHT stays the source for
   * peers the registry does not hold (a joiner before its first sync, a
   * vehicle); a peer learnt here is remembered if its cell is in our block and
   * dialled if we have no connection to it.
   */
  learn (id: PeerId, cell: string, multiaddrs: Multiaddr[] = []): boolean {
    const shutdown = this.shutdown
    if (shutdown === undefined || id.equals(this.components.peerId) || !cellAndNeighbours(this.cell).includes(cell)) return false
    const known = this.neighbours.has(id.toString())
    if (this.addNeighbour(id, cell) === undefined) return false
    if (!known) this.stats.learned++
    // both sides learn each other from the same registry: one dials (the
    // lower PeerId), or every pair would open two connections at once. A
    // known neighbour that is not connected (it came back: the registry tells
    // of it live again) is dialled again if it is one of the nearest, kept
    // alive (keepNearestAlive): another the budget would close again
    const lower = this.components.peerId.toString() < id.toString()
    if (lower && this.components.connectionManager.getConnections(id).length === 0 && (!known || this.keptAlive.has(id.toString()))) {
      this.stats.dials++
      const own = multiaddrs.filter((ma) => ma.getPeerId() === id.toString())
      this.components.connectionManager.openConnection(own.length > 0 ? own : id, { signal: shutdown.signal }).catch((err) => {
        this.stats.dialErrors++
        this.log('dial of learnt neighbour %p failed: %e', id, err)
      })
    }
    return true
  }

  /** libp2p has stored the provider's addresses before handing it to us. */
  private async found (id: PeerId, cell: string, signal: AbortSignal): Promise<void> {
    if (this.addNeighbour(id, cell) === undefined) return
    // a neighbour that does not know us yet gets a hello (which dials it)
    if (this.provide && !this.greeter.knowsUs(id)) {
      this.greeter.greet(id)
      return
    }
    if (this.components.connectionManager.getConnections(id).length > 0) return
    this.stats.dials++
    try {
      await this.components.connectionManager.openConnection(id, { signal })
    } catch (err) {
      this.stats.dialErrors++
      this.log('dial %p failed: %e', id, err)
    }
  }

  /** A hello (or the answer to ours) from `id`: a neighbour if its cell is in our block. */
  private heard (id: PeerId, cell: string): boolean {
    if (!cellAndNeighbours(this.cell).includes(cell)) return false
    return this.addNeighbour(id, cell) !== undefined
  }

  private readonly onHelloStream = ({ stream, connection }: IncomingStreamData): void => {
    const shutdown = this.shutdown
    if (shutdown === undefined) { stream.abort(new Error('discovery stopped')); return }
    answerHello(stream, this.cell, { timeoutMs: this.helloTimeoutMs, signal: shutdown.signal })
      .then((hello) => {
        this.stats.hellosIn++
        // it found us, so it knows us: our hello would tell it nothing (only
        // neighbours are remembered, so hellos from many PeerIds cost no memory)
        if (this.heard(connection.remotePeer, hello.cell)) this.greeter.greetedBy(connection.remotePeer)
      })
      .catch((err: Error) => {
        if (err instanceof InvalidMessageError) this.stats.invalidMessages++
        this.log('hello from %p dropped: %e', connection.remotePeer, err)
      })
  }

  private safeDispatch (type: 'neighbour:found', detail: DiscoveryEvents['neighbour:found']['detail']): void {
    try { this.safeDispatchEvent(type, { detail }) } catch (err) { this.log.error('listener failed: %e', err) }
  }
}

/** A pause between lookup rounds, shortened by up to ROUND_PAUSE_JITTER so fleets started together drift apart. */
export function jitteredPause (ms: number, random: () => number = Math.random): number {
  return Math.round(ms * (1 - ROUND_PAUSE_JITTER * random()))
}
