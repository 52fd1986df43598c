/**
 * The link emulator: shapes real libp2p connections between named nodes.
 *
 * Each node's transport is wrapped (`transportFor(name)`); on dial, the raw
 * MultiaddrConnection is shaped before Noise and Yamux see it, so every byte
 * of every protocol pays the emulated delay, bandwidth and loss. Only the
 * dialing side shapes, in both directions: the dialer knows the remote node
 * from the dialled address (the listener only sees an ephemeral port), and
 * shaping once per connection keeps each direction delayed exactly once.
 *
 * Partitions refuse dials between the two groups and cut the open
 * connections between them; heal lifts the refusal and lets discovery
 * reconnect.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { BURST_BYTES, MAX_QUEUED_BYTES, MIN_RTO_MS, SEGMENT_BYTES } from '../constants.js'
import { LinkPartitionedError } from '../errors.js'
import { createRng } from '../prng.js'
import { DirectionShaper } from './shaper.js'
import { LinkTable } from './table.js'
import { ShapedConnection } from './connection.js'
import { ClassCounters } from './counters.js'
import type { LinkClassStats, RawClassCounters } from './counters.js'
import type { LinkNode } from './table.js'
import type { DegradeTarget, ScenarioLinks } from '../scenario/schema.js'
import type { Rng } from '../prng.js'
import type { LinkParams, SimTransportWrapper } from '../types.js'
import type { MultiaddrConnection, Transport, DialTransportOptions, Upgrader } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface LinkEmulatorInit {
  /** link classes, rules, pairs and RTT matrix of the scenario @default one default link of 1 ms */
  links?: ScenarioLinks
  /** nodes with tier and position, for class rules by tier and distance @default [] */
  nodes?: LinkNode[]
  /** seed of the jitter and loss draws @default 1 */
  seed?: number
  /** token bucket depth in bytes @default 16384 */
  burstBytes?: number
  /** minimum retransmission timeout added to the RTT for a lost segment @default 200 */
  minRtoMs?: number
  /** bytes in flight per direction before the writer is held back @default 1048576 */
  maxQueuedBytes?: number
  /** segment size for loss @default 1460 */
  segmentBytes?: number
  /** clock in ms @default performance.now */
  now?: () => number
  log?: (msg: string, fields?: Record<string, unknown>) => void
  /** label of this emulator's jitter and loss stream; emulators of one run in several processes need distinct ones @default 'links' */
  streamLabel?: string
}

export type { LinkClassStats, RawClassCounters }

export interface LinkStats {
  classes: Record<string, LinkClassStats>
  openConnections: number
  partitions: string[]
}

/**
 * A change to the emulated network, as plain data: multi-process mode sends
 * these to every peer process so their emulators agree with the orchestrator's.
 */
export type LinkUpdate =
  | { op: 'register', name: string, multiaddrs: string[] }
  | { op: 'partition', id: string, a: string[], b: string[] }
  | { op: 'heal', id: string }
  | { op: 'degrade', id: string, target: DegradeTarget, params: Partial<LinkParams> }
  | { op: 'restore', id: string }
  /** delivery accuracy counts from now on (a benchmark's window starts) */
  | { op: 'reset-accuracy' }

function addrKey (ma: Multiaddr): string | undefined {
  try {
    const o = ma.toOptions()
    return `${o.host}:${o.port}`
  } catch {
    return undefined
  }
}

/** Overrides one method of an object without copying it (class instances keep their private state). */
function override<T extends object, K extends keyof T> (target: T, key: K, value: T[K]): T {
  return new Proxy(target, {
    get: (t, p) => {
      if (p === key) return value
      const v: unknown = Reflect.get(t, p, t)
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v
    }
  })
}

export class LinkEmulator {
  readonly table: LinkTable
  private readonly addrs = new Map<string, string>()
  /** listen addresses by node, as registered */
  private readonly registered = new Map<string, string[]>()
  private readonly partitions = new Map<string, { a: Set<string>, b: Set<string> }>()
  private readonly open = new Set<ShapedConnection>()
  private readonly counters = new Map<string, ClassCounters>()
  private readonly rng: Rng
  private readonly statsRng: Rng
  private readonly init: Required<Omit<LinkEmulatorInit, 'links' | 'nodes' | 'seed' | 'log' | 'streamLabel'>> & Pick<LinkEmulatorInit, 'log'>
  private nextShaperId = 0
  private readonly listeners = new Set<(u: LinkUpdate) => void>()
  /** counters of other processes' emulators, by source (multi-process mode) */
  private readonly remote = new Map<string, { classes: Map<string, RawClassCounters>, open: number }>()

  constructor (init: LinkEmulatorInit = {}) {
    this.table = new LinkTable(init.links, init.nodes)
    this.rng = createRng(init.seed ?? 1).fork(init.streamLabel ?? 'links')
    this.statsRng = createRng(init.seed ?? 1).fork('link-stats')
    this.init = {
      burstBytes: init.burstBytes ?? BURST_BYTES,
      minRtoMs: init.minRtoMs ?? MIN_RTO_MS,
      maxQueuedBytes: init.maxQueuedBytes ?? MAX_QUEUED_BYTES,
      segmentBytes: init.segmentBytes ?? SEGMENT_BYTES,
      now: init.now ?? (() => performance.now()),
      log: init.log
    }
  }

  /** Maps a node's listen addresses to its name, so dials to them are shaped as links to it. */
  register (name: string, multiaddrs: readonly string[]): void {
    for (const [k, v] of this.addrs) if (v === name) this.addrs.delete(k)
    for (const s of multiaddrs) {
      const key = addrKey(multiaddr(s))
      if (key !== undefined) this.addrs.set(key, name)
    }
    this.registered.set(name, [...multiaddrs])
    this.emit({ op: 'register', name, multiaddrs: [...multiaddrs] })
  }

  /** Calls `fn` with every change (register, partition, heal, degrade, restore, reset-accuracy); returns the unsubscribe function. */
  onUpdate (fn: (u: LinkUpdate) => void): () => void {
    this.listeners.add(fn)
    return () => { this.listeners.delete(fn) }
  }

  /** Applies a change made by another process' emulator; returns the connections it cut. */
  apply (u: LinkUpdate): number {
    switch (u.op) {
      case 'register': this.register(u.name, u.multiaddrs); return 0
      case 'partition': return this.partition(u.id, u.a, u.b)
      case 'heal': this.heal(u.id); return 0
      case 'degrade': this.degrade(u.id, u.target, u.params); return 0
      case 'restore': this.restore(u.id); return 0
      case 'reset-accuracy': this.resetAccuracy(); return 0
    }
  }

  /** The changes that bring a fresh emulator with the same links to this one's state. */
  updates (): LinkUpdate[] {
    return [
      ...[...this.registered].map(([name, multiaddrs]): LinkUpdate => ({ op: 'register', name, multiaddrs })),
      ...[...this.partitions].map(([id, p]): LinkUpdate => ({ op: 'partition', id, a: [...p.a], b: [...p.b] })),
      ...this.table.degradations().map((d): LinkUpdate => ({ op: 'degrade', ...d }))
    ]
  }

  /** Counters of this emulator by class, for another process to merge (multi-process mode). */
  rawCounters (withReservoir: boolean): Record<string, RawClassCounters> {
    const out: Record<string, RawClassCounters> = {}
    for (const [k, v] of this.counters) out[k] = v.raw(withReservoir)
    return out
  }

  /**
   * Records the latest counters of another process' emulator: `stats()` and
   * `traffic()` include them. A snapshot without reservoirs keeps the last ones.
   */
  setRemote (source: string, classes: Record<string, RawClassCounters>, openConnections: number): void {
    const prev = this.remote.get(source)
    const next = new Map<string, RawClassCounters>()
    for (const [k, v] of Object.entries(classes)) {
      const kept = prev?.classes.get(k)?.reservoir
      next.set(k, v.reservoir === undefined && kept !== undefined ? { ...v, reservoir: kept } : v)
    }
    this.remote.set(source, { classes: next, open: openConnections })
  }

  /** A remote process is gone: its connections are no longer open (its traffic still counts). */
  remoteClosed (source: string): void {
    const r = this.remote.get(source)
    if (r !== undefined) r.open = 0
  }

  private emit (u: LinkUpdate): void {
    for (const fn of this.listeners) fn(u)
  }

  nameOf (ma: Multiaddr): string | undefined {
    const key = addrKey(ma)
    return key === undefined ? undefined : this.addrs.get(key)
  }

  /** The partition (if any) that separates two nodes. */
  cutBetween (a: string, b: string): string | undefined {
    for (const [id, p] of this.partitions) {
      if ((p.a.has(a) && p.b.has(b)) || (p.a.has(b) && p.b.has(a))) return id
    }
    return undefined
  }

  /** Separates two groups; returns how many open connections were cut. */
  partition (id: string, a: readonly string[], b: readonly string[]): number {
    this.partitions.set(id, { a: new Set(a), b: new Set(b) })
    let cut = 0
    for (const c of [...this.open]) {
      const remote = c.remoteName()
      if (remote === undefined || this.cutBetween(c.local, remote) === undefined) continue
      this.countersFor(c.linkClass()).cutConnections++
      c.abort(new LinkPartitionedError(`connection ${c.local} -> ${remote} cut by partition "${id}"`))
      cut++
    }
    this.init.log?.('partition', { id, a: a.length, b: b.length, cut })
    this.emit({ op: 'partition', id, a: [...a], b: [...b] })
    return cut
  }

  heal (id: string | 'all'): void {
    if (id === 'all') this.partitions.clear(); else this.partitions.delete(id)
    this.emit({ op: 'heal', id })
  }

  degrade (id: string, target: DegradeTarget, params: Partial<LinkParams>): void {
    this.table.degrade(id, target, params)
    this.emit({ op: 'degrade', id, target, params })
  }

  restore (id: string): void {
    this.table.restore(id)
    this.emit({ op: 'restore', id })
  }

  /** The transport wrapper for node `name` (give it to the peer factory). */
  transportFor (name: string): SimTransportWrapper {
    return <C>(factory: (components: C) => Transport) => (components: C) => {
      const inner = factory(components)
      const dial: Transport['dial'] = async (ma, options) => this.dial(name, inner, ma, options)
      return override(inner, 'dial', dial)
    }
  }

  stats (): LinkStats {
    const merged = new Map<string, ClassCounters>()
    const into = (k: string): ClassCounters => {
      let c = merged.get(k)
      if (c === undefined) { c = new ClassCounters(); merged.set(k, c) }
      return c
    }
    for (const [k, v] of this.counters) into(k).add(v.raw(true))
    for (const r of this.remote.values()) for (const [k, v] of r.classes) into(k).add(v)
    const classes: Record<string, LinkClassStats> = {}
    for (const [k, v] of merged) classes[k] = v.snapshot()
    return { classes, openConnections: this.traffic().openConnections, partitions: [...this.partitions.keys()] }
  }

  /** Bytes on all links so far and connections open now: what the progress line and the sampler need, without sorting the accuracy reservoirs. */
  traffic (): { bytes: number, openConnections: number } {
    let bytes = 0
    let open = this.open.size
    for (const c of this.counters.values()) bytes += c.bytes
    for (const r of this.remote.values()) {
      open += r.open
      for (const c of r.classes.values()) bytes += c.bytes
    }
    return { bytes, openConnections: open }
  }

  /**
   * Forgets the delivery-accuracy samples so far (e.g. after a benchmark's
   * warm-up), here and in the processes or shards that shape connections
   * for this one; traffic counters stay.
   */
  resetAccuracy (): void {
    for (const c of this.counters.values()) c.resetLateness()
    // their next snapshots count from the reset; until then, nothing of before it
    for (const r of this.remote.values()) {
      for (const [k, v] of r.classes) r.classes.set(k, { ...v, lateCount: 0, lateSum: 0, lateMax: 0, within: 0, reservoir: [] })
    }
    this.emit({ op: 'reset-accuracy' })
  }

  /** Connections open now, as (dialer, remote, class). */
  connections (): Array<{ from: string, to: string | undefined, class: string }> {
    return [...this.open].map(c => ({ from: c.local, to: c.remoteName(), class: c.linkClass() }))
  }

  /** Cuts every shaped connection (end of a run). */
  close (): void {
    for (const c of [...this.open]) c.abort(new LinkPartitionedError('link emulator closed'))
    this.open.clear()
  }

  private countersFor (cls: string): ClassCounters {
    let c = this.counters.get(cls)
    if (c === undefined) { c = new ClassCounters(); this.counters.set(cls, c) }
    return c
  }

  private async dial (local: string, inner: Transport, ma: Multiaddr, options: DialTransportOptions): Promise<Awaited<ReturnType<Transport['dial']>>> {
    const remote = this.nameOf(ma)
    const cut = remote === undefined ? undefined : this.cutBetween(local, remote)
    if (cut !== undefined && remote !== undefined) {
      this.countersFor(this.table.resolve(local, remote).class).refusedDials++
      throw new LinkPartitionedError(`dial ${local} -> ${remote} refused by partition "${cut}"`)
    }
    const upgradeOutbound: Upgrader['upgradeOutbound'] = async (maConn, opts) => {
      // a partition may have started while the TCP connect was in flight (or the address was not known yet)
      const to = this.nameOf(ma)
      const cutNow = to === undefined ? undefined : this.cutBetween(local, to)
      if (cutNow !== undefined && to !== undefined) {
        this.countersFor(this.table.resolve(local, to).class).refusedDials++
        const err = new LinkPartitionedError(`dial ${local} -> ${to} cut by partition "${cutNow}" while connecting`)
        maConn.abort(err)
        throw err
      }
      return await options.upgrader.upgradeOutbound(this.shape(local, ma, maConn), opts)
    }
    return inner.dial(ma, { ...options, upgrader: override(options.upgrader, 'upgradeOutbound', upgradeOutbound) })
  }

  private shape (local: string, remoteAddr: Multiaddr, maConn: MultiaddrConnection): MultiaddrConnection {
    const shaperOpts = { burstBytes: this.init.burstBytes, minRtoMs: this.init.minRtoMs, segmentBytes: this.init.segmentBytes }
    const id = this.nextShaperId++
    const conn = new ShapedConnection({
      local,
      inner: maConn,
      remoteName: () => this.nameOf(remoteAddr),
      link: (remote) => this.table.resolve(local, remote),
      shapers: [new DirectionShaper(this.rng.fork(`c${id}:out`), shaperOpts), new DirectionShaper(this.rng.fork(`c${id}:in`), shaperOpts)],
      now: this.init.now,
      maxQueuedBytes: this.init.maxQueuedBytes,
      onChunk: (cls, bytes, segments, lost) => {
        const c = this.countersFor(cls)
        c.bytes += bytes; c.messages++; c.segments += segments; c.lostSegments += lost
      },
      onDelivered: (cls, late, delay) => { this.countersFor(cls).addLateness(late, delay, this.statsRng) },
      onClosed: () => { this.open.delete(conn) }
    })
    this.open.add(conn)
    this.countersFor(conn.linkClass()).connections++
    return conn.maConn
  }
}

/** Creates a link emulator for a set of nodes and link settings. */
export function createLinkEmulator (init: LinkEmulatorInit = {}): LinkEmulator {
  return new LinkEmulator(init)
}
