/**
 * Add-wins observed-remove set of strings with TTL (delta-state CRDT).
 *
 * Every add carries a unique tag (its HLC stamp). A remove tombstones only the tags its
 * replica has observed, so an add concurrent with a remove survives: add wins. An element
 * is present while it has a tag that is neither tombstoned nor expired. A re-add tombstones
 * the tags it replaces, which keeps one tag per element in the absence of concurrency.
 *
 * Expiry and GC: `expiresAt` is absolute (add stamp wall + TTL). An expired add is dropped
 * without a tombstone: any late copy of it is expired too. A tombstone is dropped when the add
 * it cancels has expired (always safe) or `tombstoneGraceMs` after the removal, which is safe
 * as long as every replica that holds the add receives the removal within that grace period.
 */
import { compareStrings, sha256Hex } from './codec.js'
import { DEFAULT_TOMBSTONE_GRACE_MS, DEFAULT_TTL_MS, resolveLimits } from './constants.js'
import { DeltaDocument, type DeltaCodec } from './delta-document.js'
import { ClockDriftError, InvalidCrdtArgumentError, InvalidTimestampError } from './errors.js'
import { maxTimestamp, timestampKey, validateTimestamp } from './hlc.js'
import { CrdtKind } from './pb/crdt.js'
import { compareAdds, decodeOrSet, decodeOrSetSummary, encodeOrSet, encodeOrSetSummary, isExpired, mergeTombstones, sameTombstone } from './or-set-codec.js'
import type { CrdtLimits } from './constants.js'
import type { HybridLogicalClock, Timestamp } from './hlc.js'
import type { OrSetAdd, OrSetDelta, OrSetRemove, OrSetSummary } from './or-set-codec.js'
import type { DirtyRecord, MergeOptions, RejectedEntry, ReplicatedDocument } from './types.js'

export interface OrSetComponents {
  clock: HybridLogicalClock
}

export interface OrSetInit {
  /**
   * TTL of an add without an explicit `ttlMs` (ms); 0 means never expires
   *
   * @default 0
   */
  defaultTtlMs?: number

  /**
   * How long a tombstone is kept after the removal (ms) when its add has not expired first
   *
   * @default 86400000
   */
  tombstoneGraceMs?: number

  /**
   * Decoder and local-write limits; missing fields take DEFAULT_CRDT_LIMITS
   *
   * @default DEFAULT_CRDT_LIMITS
   */
  limits?: Partial<CrdtLimits>
}

export interface OrSetAddOptions {
  /** TTL of this add (ms); 0 = never expires. Defaults to the set's `defaultTtlMs`. */
  ttlMs?: number
}

export interface OrSetMergeResult {
  /** elements that were absent and are now present */
  added: string[]
  /** elements that were present and are now absent */
  removed: string[]
  /** adds or removes refused by the clock check (id = tag key) */
  rejected: RejectedEntry[]
}

export interface OrSetGcResult {
  /** expired adds dropped */
  expired: number
  /** tombstones dropped */
  purged: number
}

type Touch = (element: string) => void

const OR_SET_CODEC: DeltaCodec<OrSetDelta, OrSetSummary> = {
  encode: (d) => encodeOrSet(d),
  decode: (b, l) => decodeOrSet(b, l),
  encodeSummary: (s) => encodeOrSetSummary(s),
  decodeSummary: (b, l) => decodeOrSetSummary(b, l),
  isEmpty: (d) => d.adds.length === 0 && d.removes.length === 0
}

export class OrSet extends DeltaDocument<OrSetDelta, OrSetSummary, OrSetMergeResult> implements ReplicatedDocument<OrSetMergeResult> {
  readonly kind = CrdtKind.OR_SET
  readonly defaultTtlMs: number
  readonly tombstoneGraceMs: number
  readonly #clock: HybridLogicalClock
  readonly #adds = new Map<string, OrSetAdd>()
  readonly #removes = new Map<string, OrSetRemove>()
  /** element -> tag keys of its adds */
  readonly #byElement = new Map<string, Set<string>>()
  #digest: string | undefined

  constructor (components: OrSetComponents, init: OrSetInit = {}) {
    super(OR_SET_CODEC, init.limits)
    this.#clock = components.clock
    this.defaultTtlMs = checkTtl(init.defaultTtlMs ?? DEFAULT_TTL_MS, 'defaultTtlMs')
    this.tombstoneGraceMs = init.tombstoneGraceMs ?? DEFAULT_TOMBSTONE_GRACE_MS
  }

  /** Adds (or refreshes the TTL of) `element`; the delta also tombstones the tags it replaces. */
  add (element: string, options: OrSetAddOptions = {}): OrSetDelta {
    this.#checkElement(element)
    const ttl = checkTtl(options.ttlMs ?? this.defaultTtlMs, 'ttlMs')
    const tag = this.#clock.now()
    const delta: OrSetDelta = {
      adds: [{ element, tag, expiresAt: ttl === 0 ? 0 : tag.wall + ttl }],
      removes: this.#liveTags(element).map(a => ({ tag: a.tag, removed: tag, expiresAt: a.expiresAt }))
    }
    this.merge(delta, { trusted: true })
    return delta
  }

  /** Removes `element` by tombstoning every tag of it this replica has observed. */
  remove (element: string): OrSetDelta {
    this.#checkElement(element)
    const observed = this.#liveTags(element)
    if (observed.length === 0) return { adds: [], removes: [] }
    const removed = this.#clock.now()
    const delta: OrSetDelta = { adds: [], removes: observed.map(a => ({ tag: a.tag, removed, expiresAt: a.expiresAt })) }
    this.merge(delta, { trusted: true })
    return delta
  }

  has (element: string): boolean {
    return this.#present(element, this.#clock.physicalNow())
  }

  /** Present elements, sorted. */
  values (): string[] {
    const now = this.#clock.physicalNow()
    return [...this.#byElement.keys()].filter(e => this.#present(e, now)).sort(compareStrings)
  }

  get size (): number {
    return this.values().length
  }

  /** When `element` expires (ms since epoch): Infinity if never, undefined if absent. */
  expiresAt (element: string): number | undefined {
    const live = this.#liveTags(element)
    if (live.length === 0) return undefined
    return Math.max(...live.map(a => a.expiresAt === 0 ? Infinity : a.expiresAt))
  }

  merge (delta: OrSetDelta, options: MergeOptions = {}): OrSetMergeResult {
    const now = this.#clock.physicalNow()
    const before = new Map<string, boolean>()
    const touch: Touch = (element) => { if (!before.has(element)) before.set(element, this.#present(element, now)) }
    const rejected: RejectedEntry[] = []
    let newest: Timestamp | undefined
    for (const [i, add] of delta.adds.entries()) {
      const error = this.#checkStamp(add.tag, `adds[${i}].tag`, options)
      if (error !== undefined) { rejected.push({ id: timestampKey(add.tag), error }); continue }
      newest = newest === undefined ? add.tag : maxTimestamp(newest, add.tag)
      this.#applyAdd(add, now, touch)
    }
    for (const [i, rm] of delta.removes.entries()) {
      const error = this.#checkStamp(rm.tag, `removes[${i}].tag`, options) ?? this.#checkStamp(rm.removed, `removes[${i}].removed`, options)
      if (error !== undefined) { rejected.push({ id: timestampKey(rm.tag), error }); continue }
      newest = newest === undefined ? rm.removed : maxTimestamp(newest, rm.removed)
      this.#applyRemove(rm, now, touch)
    }
    if (newest !== undefined) this.#clock.observe(newest)
    const result: OrSetMergeResult = { added: [], removed: [], rejected }
    for (const [element, was] of before) {
      const is = this.#present(element, now)
      if (is && !was) result.added.push(element)
      if (!is && was) result.removed.push(element)
    }
    return result
  }

  /** Drops expired adds and tombstones that are no longer needed (see the module comment). */
  gc (): OrSetGcResult {
    const now = this.#clock.physicalNow()
    const result: OrSetGcResult = { expired: 0, purged: 0 }
    for (const [key, add] of this.#adds) {
      if (!isExpired(add.expiresAt, now)) continue
      this.#deleteAdd(key, add)
      result.expired++
    }
    for (const [key, rm] of this.#removes) {
      if (!this.#purgeable(rm, now)) continue
      this.#removes.delete(key)
      this.#changed(key)
      result.purged++
    }
    return result
  }

  /** The full state as a delta, after dropping what gc would drop. */
  state (): OrSetDelta {
    this.gc()
    return { adds: [...this.#adds.values()], removes: [...this.#removes.values()] }
  }

  summary (): OrSetSummary {
    this.gc()
    return { live: [...this.#adds.values()].map(a => a.tag), removed: [...this.#removes.values()] }
  }

  /** Adds whose tag the holder of `summary` does not know, and tombstones that would change its own. */
  diffAgainst (summary: OrSetSummary): OrSetDelta {
    const removed = new Map(summary.removed.map(r => [timestampKey(r.tag), r]))
    const live = new Set(summary.live.map(timestampKey))
    const { adds, removes } = this.state()
    return {
      adds: adds.filter(a => { const k = timestampKey(a.tag); return !live.has(k) && !removed.has(k) }),
      removes: removes.filter(r => {
        const theirs = removed.get(timestampKey(r.tag))
        return theirs === undefined || !sameTombstone(theirs, mergeTombstones(theirs, r))
      })
    }
  }

  digest (): string {
    this.gc()
    this.#digest ??= sha256Hex(encodeOrSet(this.#canonical()))
    return this.#digest
  }

  takeDirty (): DirtyRecord[] {
    return this.dirty.take(key => {
      const add = this.#adds.get(key)
      if (add !== undefined) return encodeOrSet({ adds: [add], removes: [] })
      const rm = this.#removes.get(key)
      return rm === undefined ? undefined : encodeOrSet({ adds: [], removes: [rm] })
    })
  }

  #applyAdd (add: OrSetAdd, now: number, touch: Touch): void {
    if (isExpired(add.expiresAt, now)) return
    const key = timestampKey(add.tag)
    if (this.#removes.has(key)) return
    const current = this.#adds.get(key)
    if (current !== undefined && compareAdds(add, current) <= 0) return
    touch(add.element)
    if (current !== undefined) {
      touch(current.element)
      this.#unindex(key, current)
    }
    this.#adds.set(key, add)
    let tags = this.#byElement.get(add.element)
    if (tags === undefined) this.#byElement.set(add.element, tags = new Set())
    tags.add(key)
    this.#changed(key)
  }

  #applyRemove (rm: OrSetRemove, now: number, touch: Touch): void {
    const key = timestampKey(rm.tag)
    const add = this.#adds.get(key)
    if (add !== undefined) {
      touch(add.element)
      this.#deleteAdd(key, add)
    }
    const existing = this.#removes.get(key)
    const merged = existing === undefined ? rm : mergeTombstones(existing, rm)
    if (existing !== undefined && sameTombstone(existing, merged)) return
    if (!this.#purgeable(merged, now)) {
      this.#removes.set(key, merged)
      this.#changed(key)
    } else if (existing !== undefined) {
      // the cancelled add has expired (or the grace is over): applied above, not kept
      this.#removes.delete(key)
      this.#changed(key)
    }
  }

  #deleteAdd (key: string, add: OrSetAdd): void {
    this.#adds.delete(key)
    this.#unindex(key, add)
    this.#changed(key)
  }

  #unindex (key: string, add: OrSetAdd): void {
    const tags = this.#byElement.get(add.element)
    tags?.delete(key)
    if (tags?.size === 0) this.#byElement.delete(add.element)
  }

  #changed (key: string): void {
    this.dirty.add(key)
    this.#digest = undefined
  }

  #observedTags (element: string): OrSetAdd[] {
    const out: OrSetAdd[] = []
    for (const key of this.#byElement.get(element) ?? []) {
      const add = this.#adds.get(key)
      if (add !== undefined) out.push(add)
    }
    return out
  }

  /** Unexpired adds of `element`: expired ones need no tombstone, a late copy is dropped anyway. */
  #liveTags (element: string): OrSetAdd[] {
    const now = this.#clock.physicalNow()
    return this.#observedTags(element).filter(a => !isExpired(a.expiresAt, now))
  }

  #present (element: string, now: number): boolean {
    return this.#observedTags(element).some(a => !isExpired(a.expiresAt, now))
  }

  #purgeable (rm: OrSetRemove, now: number): boolean {
    return isExpired(rm.expiresAt, now) || rm.removed.wall + this.tombstoneGraceMs <= now
  }

  #checkStamp (stamp: Timestamp, field: string, options: MergeOptions): ClockDriftError | InvalidTimestampError | undefined {
    try {
      if (options.trusted === true) validateTimestamp(stamp, field, this.limits.maxNodeIdLength)
      else this.#clock.check(stamp, field)
      return undefined
    } catch (err) {
      if (err instanceof ClockDriftError || err instanceof InvalidTimestampError) return err
      throw err
    }
  }

  #checkElement (element: string): void {
    if (typeof element !== 'string') throw new InvalidCrdtArgumentError('element must be a string')
    if (element.length > this.limits.maxKeyLength) {
      throw new InvalidCrdtArgumentError(`element is ${element.length} characters long, max ${this.limits.maxKeyLength}`)
    }
  }

  #canonical (): OrSetDelta {
    const byTag = <T extends { tag: Timestamp }>(items: Iterable<[string, T]>): T[] =>
      [...items].sort((a, b) => compareStrings(a[0], b[0])).map(([, v]) => v)
    return { adds: byTag(this.#adds), removes: byTag(this.#removes) }
  }
}

function checkTtl (ttl: number, field: string): number {
  if (!Number.isSafeInteger(ttl) || ttl < 0) {
    throw new InvalidCrdtArgumentError(`${field} must be a non-negative integer number of ms, got ${String(ttl)}`)
  }
  return ttl
}

export function createOrSet (components: OrSetComponents, init: OrSetInit = {}): OrSet {
  return new OrSet(components, init)
}
