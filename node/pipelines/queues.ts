/**
 * The network module's persisted queues (thesis: inbound/outbound bundle
 * queues, hot restart) in the peer's `queues` sublevel:
 *   i/<bundleKey>            inbound, received and not yet consumed by an EF
 *   o/<peer>/<bundleKey>     outbound, not yet acknowledged by <peer>
 *   s/<peer>/<bundleKey>     sent and acked, retained for resending to a substitute
 *   d/<bundleKey>            seen (dedup), with the time it was seen
 *   f/<bundleKey>            handed on to the slot's host (no copy here): a forwarded copy may come back
 *   j/<pipeline>/<stage>/<run>  a join that fired (late bundles are dropped)
 * Every change is one LevelDB batch, so kill -9 leaves each step done or not done.
 * The keys of each target's outbound queue are also held in memory once listed, so the
 * pump finds what to send without a LevelDB scan; level stays the truth after a restart.
 */
import type { Sublevel } from '../store.js'

export interface OutboundEntry { target: string, key: string, bytes: Uint8Array }
export interface InboundEntry { key: string, bytes: Uint8Array }

type Op = { type: 'put', key: string, value: Uint8Array } | { type: 'del', key: string }

const stamp = (now: number): Uint8Array => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setFloat64(0, now)
  return b
}
const readStamp = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0)
const range = (prefix: string): { gte: string, lt: string } => ({ gte: prefix, lt: prefix + '\xff' })

/** Bytes of unacked outbound bundles also kept in memory (the level copy is for restarts). */
const MAX_CACHED_BYTES = 32 * 1024 * 1024
/** Outbound keys of one target held in memory; a longer queue (a peer long gone) is scanned from level. */
const MAX_LISTED_KEYS = 16_384

export class BundleQueues {
  private readonly db: Sublevel
  /** keys being accepted right now: a concurrent duplicate must not pass the check */
  private readonly accepting = new Set<string>()
  /**
   * `o/<peer>/<key>` -> bytes of outbound bundles written by this process: the pump
   * lists keys only and takes the bytes from here (reading 250 KB values back from
   * level cost more than the write; after a restart they come from level).
   */
  private readonly cache = new Map<string, Uint8Array>()
  private cachedBytes = 0
  /**
   * target -> keys of `o/<target>/` in level, in sending order (listed once, then kept
   * exact by every write here); absent: not listed yet, or in `tooLong`
   */
  private readonly lists = new Map<string, Set<string>>()
  private readonly listing = new Map<string, Promise<void>>()
  /** targets whose queue was too long to list: the pump scans level for them */
  private readonly tooLong = new Set<string>()

  constructor (db: Sublevel) { this.db = db }

  private cachePut (k: string, bytes: Uint8Array): void {
    if (this.cache.has(k) || this.cachedBytes + bytes.byteLength > MAX_CACHED_BYTES) return
    this.cache.set(k, bytes)
    this.cachedBytes += bytes.byteLength
  }

  private cacheDrop (k: string): void {
    const b = this.cache.get(k)
    if (b === undefined) return
    this.cache.delete(k)
    this.cachedBytes -= b.byteLength
  }

  /**
   * Persists an inbound bundle unless seen before; false = duplicate. A `forwarded` copy of a
   * bundle this peer handed on itself (`f/`) is taken back: peers whose placements disagree
   * pass it to each other until they agree, and neither may drop the only copy as seen.
   */
  async acceptInbound (key: string, bytes: Uint8Array, now = Date.now(), forwarded = false): Promise<boolean> {
    if (this.accepting.has(key)) return false
    this.accepting.add(key)
    try {
      const ops: Op[] = [{ type: 'put', key: `d/${key}`, value: stamp(now) }, { type: 'put', key: `i/${key}`, value: bytes }]
      if (await this.db.get(`d/${key}`) !== undefined) {
        if (!forwarded || await this.db.get(`f/${key}`) === undefined) return false
        ops.push({ type: 'del', key: `f/${key}` })
      }
      await this.db.batch(ops)
      return true
    } finally {
      this.accepting.delete(key)
    }
  }

  /**
   * Hands inbound bundles this peer does not host on to their slot's host, in one batch:
   * each leaves `i/` and enters the target's outbound queue (the pump sends it, acks and
   * retains it as any other), marked `f/` so a copy forwarded back is accepted. Entries no
   * longer inbound (consumed meanwhile) are skipped; returns the ones moved.
   */
  async forward (moves: OutboundEntry[], now = Date.now()): Promise<OutboundEntry[]> {
    const ops: Op[] = []
    const moved: OutboundEntry[] = []
    for (const m of moves) {
      if (await this.db.get(`i/${m.key}`) === undefined) continue
      ops.push({ type: 'del', key: `i/${m.key}` }, { type: 'put', key: `o/${m.target}/${m.key}`, value: m.bytes }, { type: 'put', key: `f/${m.key}`, value: stamp(now) })
      moved.push(m)
    }
    if (ops.length > 0) await this.db.batch(ops)
    for (const m of moved) {
      this.cachePut(`o/${m.target}/${m.key}`, m.bytes)
      this.listAdd(m.target, m.key)
    }
    return moved
  }

  async inbound (pipelineId: string): Promise<InboundEntry[]> {
    const out: InboundEntry[] = []
    for await (const [k, v] of this.db.iterator(range(`i/${pipelineId}/`))) out.push({ key: k.slice(2), bytes: v })
    return out
  }

  /** The next `limit` bundles queued for `target` (bytes from memory when this process wrote them). */
  async outbound (target: string, limit = 64): Promise<OutboundEntry[]> {
    const keys = await this.listed(target)
    if (keys === undefined) return await this.scan(target, limit)
    const out: OutboundEntry[] = []
    for (const key of keys) {
      if (out.length >= limit) break
      const k = `o/${target}/${key}`
      const bytes = this.cache.get(k) ?? await this.db.get(k)
      // a listing that raced a delete can hold a key that is gone
      if (bytes === undefined) keys.delete(key)
      else out.push({ target, key, bytes })
    }
    return out
  }

  private async scan (target: string, limit: number): Promise<OutboundEntry[]> {
    const out: OutboundEntry[] = []
    for await (const k of this.db.keys({ ...range(`o/${target}/`), limit })) {
      const bytes = this.cache.get(k) ?? await this.db.get(k)
      if (bytes !== undefined) out.push({ target, key: k.slice(3 + target.length), bytes })
    }
    // short enough again: the next call lists it
    if (out.length < limit) this.tooLong.delete(target)
    return out
  }

  /** The queued keys of `target`, listed from level on first use; undefined when too many to hold. */
  private async listed (target: string): Promise<Set<string> | undefined> {
    if (this.tooLong.has(target)) return undefined
    if (this.lists.has(target)) {
      await this.listing.get(target)
      return this.lists.get(target)
    }
    // in the map before the scan starts: commits meanwhile add to it, the scan fills in the rest
    const keys = new Set<string>()
    this.lists.set(target, keys)
    const prefix = `o/${target}/`
    const scan = (async () => {
      for await (const k of this.db.keys({ ...range(prefix), limit: MAX_LISTED_KEYS })) keys.add(k.slice(prefix.length))
    })()
    this.listing.set(target, scan)
    try {
      await scan
    } catch (err) {
      this.lists.delete(target)
      throw err
    } finally {
      this.listing.delete(target)
    }
    if (keys.size >= MAX_LISTED_KEYS) this.unlist(target)
    return this.lists.get(target)
  }

  private unlist (target: string): void {
    this.lists.delete(target)
    this.tooLong.add(target)
  }

  private listAdd (target: string, key: string): void {
    const keys = this.lists.get(target)
    if (keys === undefined) return
    keys.add(key)
    if (keys.size > MAX_LISTED_KEYS) this.unlist(target)
  }

  /** Targets with pending outbound bundles (for resuming after a restart). */
  async targets (): Promise<string[]> {
    const out = new Set<string>()
    for await (const k of this.db.keys(range('o/'))) out.add(k.slice(2, k.indexOf('/', 2)))
    return [...out]
  }

  async countOutbound (): Promise<number> {
    let n = 0
    for await (const _ of this.db.keys(range('o/'))) n++
    return n
  }

  /**
   * One step of a stage instance, atomically: the inputs it consumed leave the
   * inbound queue, its outputs enter the outbound queues (remote targets) or
   * the inbound queue (stages on this peer), and a join's firing is recorded.
   */
  async commit (step: { consumed: string[], outbound: OutboundEntry[], local: InboundEntry[], joined?: string }, now = Date.now()): Promise<InboundEntry[]> {
    const ops: Op[] = step.consumed.map((k) => ({ type: 'del', key: `i/${k}` }))
    for (const o of step.outbound) ops.push({ type: 'put', key: `o/${o.target}/${o.key}`, value: o.bytes })
    const fresh: InboundEntry[] = []
    for (const l of step.local) {
      // a re-run after a crash recreates the same keys: keep the first copy only
      if (await this.db.get(`d/${l.key}`) !== undefined) continue
      ops.push({ type: 'put', key: `d/${l.key}`, value: stamp(now) }, { type: 'put', key: `i/${l.key}`, value: l.bytes })
      fresh.push(l)
    }
    if (step.joined !== undefined) ops.push({ type: 'put', key: `j/${step.joined}`, value: stamp(now) })
    if (ops.length > 0) await this.db.batch(ops)
    for (const o of step.outbound) {
      this.cachePut(`o/${o.target}/${o.key}`, o.bytes)
      this.listAdd(o.target, o.key)
    }
    return fresh
  }

  async joined (key: string): Promise<boolean> {
    return await this.db.get(`j/${key}`) !== undefined
  }

  /** The receiver has it: drop from outbound, retain a copy for a possible substitute. */
  async acked (target: string, keys: Array<{ key: string, bytes: Uint8Array }>, retain: boolean, now = Date.now()): Promise<void> {
    const ops: Op[] = []
    for (const { key, bytes } of keys) {
      ops.push({ type: 'del', key: `o/${target}/${key}` })
      if (retain) {
        const v = new Uint8Array(8 + bytes.byteLength)
        v.set(stamp(now))
        v.set(bytes, 8)
        ops.push({ type: 'put', key: `s/${target}/${key}`, value: v })
      }
    }
    await this.db.batch(ops)
    // only once level agrees: a failed batch leaves them queued and listed
    const listed = this.lists.get(target)
    for (const { key } of keys) {
      this.cacheDrop(`o/${target}/${key}`)
      listed?.delete(key)
    }
  }

  /**
   * Moves every queued (and retained) bundle of `pipelineId` for `toStage` from
   * `from` to `to`: the upstream half of a failover or migration.
   */
  async retarget (pipelineId: string, toStage: string, from: string, to: string): Promise<number> {
    const ops: Op[] = []
    const matches = (key: string): boolean => key.split('/')[3] === toStage
    const moved: string[] = []
    for await (const [k, v] of this.db.iterator(range(`o/${from}/${pipelineId}/`))) {
      const key = k.slice(3 + from.length)
      if (!matches(key)) continue
      ops.push({ type: 'del', key: k }, { type: 'put', key: `o/${to}/${key}`, value: v })
      this.cacheDrop(k)
      moved.push(key)
    }
    for await (const [k, v] of this.db.iterator(range(`s/${from}/${pipelineId}/`))) {
      const key = k.slice(3 + from.length)
      if (!matches(key)) continue
      ops.push({ type: 'del', key: k }, { type: 'put', key: `o/${to}/${key}`, value: v.subarray(8) })
      moved.push(key)
    }
    if (ops.length > 0) await this.db.batch(ops)
    for (const key of moved) {
      this.lists.get(from)?.delete(key)
      this.listAdd(to, key)
    }
    return ops.length / 2
  }

  /**
   * The slot `from` held moved to this peer: what was queued (or retained) for `from` enters
   * this peer's inbound queue instead of an outbound queue to itself, unless seen here before.
   */
  async reclaim (pipelineId: string, toStage: string, from: string, now = Date.now()): Promise<InboundEntry[]> {
    const ops: Op[] = []
    const fresh: InboundEntry[] = []
    const seen = new Set<string>()
    for (const prefix of ['o/', 's/']) {
      for await (const [k, v] of this.db.iterator(range(`${prefix}${from}/${pipelineId}/`))) {
        const key = k.slice(3 + from.length)
        if (key.split('/')[3] !== toStage) continue
        ops.push({ type: 'del', key: k })
        if (prefix === 'o/') this.cacheDrop(k)
        if (seen.has(key) || await this.db.get(`d/${key}`) !== undefined) continue
        seen.add(key)
        const bytes = prefix === 'o/' ? v : v.subarray(8)
        ops.push({ type: 'put', key: `d/${key}`, value: stamp(now) }, { type: 'put', key: `i/${key}`, value: bytes })
        fresh.push({ key, bytes })
      }
    }
    if (ops.length > 0) await this.db.batch(ops)
    const listed = this.lists.get(from)
    if (listed !== undefined) for (const k of [...listed]) if (k.startsWith(`${pipelineId}/`) && k.split('/')[3] === toStage) listed.delete(k)
    return fresh
  }

  /** Forgets retained copies, dedup and forwarding marks older than `maxAgeMs`. */
  async prune (maxAgeMs: number, now = Date.now()): Promise<number> {
    const ops: Op[] = []
    for (const prefix of ['s/', 'd/', 'f/', 'j/']) {
      for await (const [k, v] of this.db.iterator(range(prefix))) {
        if (now - readStamp(v) > maxAgeMs) ops.push({ type: 'del', key: k })
      }
    }
    if (ops.length > 0) await this.db.batch(ops)
    return ops.length
  }

  /** Drops everything queued for a stopped or expired pipeline (dedup marks stay). */
  async dropPipeline (pipelineId: string): Promise<number> {
    const ops: Op[] = []
    const unlisted: string[] = []
    for await (const k of this.db.keys(range(`i/${pipelineId}/`))) ops.push({ type: 'del', key: k })
    for (const prefix of ['o/', 's/']) {
      for await (const k of this.db.keys(range(prefix))) {
        if (k.split('/')[2] !== pipelineId) continue
        ops.push({ type: 'del', key: k })
        this.cacheDrop(k)
        if (prefix === 'o/') unlisted.push(k)
      }
    }
    if (ops.length > 0) await this.db.batch(ops)
    for (const k of unlisted) this.lists.get(k.slice(2, k.indexOf('/', 2)))?.delete(k.slice(k.indexOf('/', 2) + 1))
    return ops.length
  }
}
