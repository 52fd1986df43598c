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
import { ACCURACY_RESERVOIR, BURST_BYTES, MAX_QUEUED_BYTES, MIN_RTO_MS, SEGMENT_BYTES } from '../constants.js'
import { LinkPartitionedError } from '../errors.js'
import { createRng } from '../prng.js'
import { DirectionShaper } from './shaper.js'
import { LinkTable } from './table.js'
import { ShapedConnection } from './connection.js'
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
}

export interface LinkClassStats {
  connections: number
  bytes: number
  /** chunks written to the socket (a libp2p frame or a batch of frames) */
  messages: number
  segments: number
  lostSegments: number
  refusedDials: number
  cutConnections: number
  /** delivery accuracy: actual minus scheduled arrival, ms (the emulator's own error) */
  lateness: { count: number, meanMs: number, p50Ms: number, p95Ms: number, p99Ms: number, maxMs: number }
  /** fraction of sampled chunks whose actual delay was within 10% (or 1 ms) of the scheduled one */
  withinTenPercent: number
}

export interface LinkStats {
  classes: Record<string, LinkClassStats>
  openConnections: number
  partitions: string[]
}

class ClassCounters {
  connections = 0; bytes = 0; messages = 0; segments = 0; lostSegments = 0; refusedDials = 0; cutConnections = 0
  lateCount = 0; lateSum = 0; lateMax = 0; within = 0
  reservoir: number[] = []

  addLateness (late: number, delay: number, rng: Rng): void {
    this.lateCount++
    this.lateSum += late
    if (late > this.lateMax) this.lateMax = late
    if (Math.abs(late) <= Math.max(1, 0.1 * delay)) this.within++
    if (this.reservoir.length < ACCURACY_RESERVOIR) this.reservoir.push(late)
    else {
      const j = Math.floor(rng.next() * this.lateCount)
      if (j < ACCURACY_RESERVOIR) this.reservoir[j] = late
    }
  }

  resetLateness (): void {
    this.lateCount = 0; this.lateSum = 0; this.lateMax = 0; this.within = 0
    this.reservoir = []
  }

  snapshot (): LinkClassStats {
    const s = [...this.reservoir].sort((a, b) => a - b)
    const q = (p: number): number => s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(p * s.length))]
    return {
      connections: this.connections, bytes: this.bytes, messages: this.messages, segments: this.segments,
      lostSegments: this.lostSegments, refusedDials: this.refusedDials, cutConnections: this.cutConnections,
      lateness: { count: this.lateCount, meanMs: this.lateCount === 0 ? 0 : this.lateSum / this.lateCount, p50Ms: q(0.5), p95Ms: q(0.95), p99Ms: q(0.99), maxMs: this.lateMax },
      withinTenPercent: this.lateCount === 0 ? 1 : this.within / this.lateCount
    }
  }
}

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
  private readonly partitions = new Map<string, { a: Set<string>, b: Set<string> }>()
  private readonly open = new Set<ShapedConnection>()
  private readonly counters = new Map<string, ClassCounters>()
  private readonly rng: Rng
  private readonly statsRng: Rng
  private readonly init: Required<Omit<LinkEmulatorInit, 'links' | 'nodes' | 'seed' | 'log'>> & Pick<LinkEmulatorInit, 'log'>
  private nextShaperId = 0

  constructor (init: LinkEmulatorInit = {}) {
    this.table = new LinkTable(init.links, init.nodes)
    this.rng = createRng(init.seed ?? 1).fork('links')
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
    return cut
  }

  heal (id: string | 'all'): void {
    if (id === 'all') this.partitions.clear(); else this.partitions.delete(id)
  }

  degrade (id: string, target: DegradeTarget, params: Partial<LinkParams>): void {
    this.table.degrade(id, target, params)
  }

  restore (id: string): void {
    this.table.restore(id)
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
    const classes: Record<string, LinkClassStats> = {}
    for (const [k, v] of this.counters) classes[k] = v.snapshot()
    return { classes, openConnections: this.open.size, partitions: [...this.partitions.keys()] }
  }

  /** Bytes on all links so far and connections open now: what the progress line and the sampler need, without sorting the accuracy reservoirs. */
  traffic (): { bytes: number, openConnections: number } {
    let bytes = 0
    for (const c of this.counters.values()) bytes += c.bytes
    return { bytes, openConnections: this.open.size }
  }

  /** Forgets the delivery-accuracy samples so far (e.g. after a benchmark's warm-up); traffic counters stay. */
  resetAccuracy (): void {
    for (const c of this.counters.values()) c.resetLateness()
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
    const upgradeOutbound: Upgrader['upgradeOutbound'] = async (maConn, opts) => options.upgrader.upgradeOutbound(this.shape(local, ma, maConn), opts)
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
