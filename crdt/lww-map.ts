/**
 * Last-writer-wins map (state-based CRDT with deltas). Every key holds the entry with the
 * greatest HLC stamp; a delete is a write of a tombstone, so a concurrent older write cannot
 * bring the key back. Merge is the per-key maximum: commutative, associative, idempotent.
 */
import { compareStrings, decodeTopLevel, sha256Hex, stampFromPb, stampToPb, checkKey } from './codec.js'
import { CRDT_ENCODING_VERSION, DEFAULT_TOMBSTONE_GRACE_MS, resolveLimits } from './constants.js'
import { DeltaDocument, type DeltaCodec } from './delta-document.js'
import { ClockDriftError, InvalidTimestampError } from './errors.js'
import { compareTimestamps, maxTimestamp, validateTimestamp } from './hlc.js'
import { checkLocalWrite, compareLwwEntries, lwwEntryFromPb, lwwEntryToPb } from './lww-entry.js'
import { CrdtKind, LwwMap as PbLwwMap, LwwMapSummary as PbLwwMapSummary } from './pb/crdt.js'
import type { CrdtLimits } from './constants.js'
import type { HybridLogicalClock, Timestamp } from './hlc.js'
import type { LwwEntry } from './lww-entry.js'
import type { DirtyRecord, MergeOptions, RejectedEntry, ReplicatedDocument } from './types.js'

export interface LwwMapComponents {
  /** shared by every document of the node so that all its stamps are ordered */
  clock: HybridLogicalClock
}

export interface LwwMapInit {
  /**
   * How long a tombstone is kept after the delete (ms); see the GC assumption in index.ts
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

/** A delta, or a full state: entries including tombstones. */
export interface LwwMapDelta {
  entries: LwwEntry[]
}

/** Per-key stamp vector: the holder has each key at least as new as its stamp. */
export type LwwMapSummary = ReadonlyMap<string, Timestamp>

/** One key whose entry was replaced by a merge. */
export interface LwwMapChange {
  key: string
  /** the new value; undefined when the key is now deleted */
  value: Uint8Array | undefined
  /** the value before the merge; undefined when the key was absent or deleted */
  previous: Uint8Array | undefined
  stamp: Timestamp
}

export interface LwwMapMergeResult {
  /** entries that replaced older ones, in delta order (also value-identical refreshes) */
  changed: LwwMapChange[]
  /** entries refused by the clock check (too far in the future, bad stamp) */
  rejected: RejectedEntry[]
}

const LWW_MAP_CODEC: DeltaCodec<LwwMapDelta, LwwMapSummary> = {
  encode: (d) => encodeLwwMap(d),
  decode: (b, l) => decodeLwwMap(b, l),
  encodeSummary: (s) => encodeLwwMapSummary(s),
  decodeSummary: (b, l) => decodeLwwMapSummary(b, l),
  isEmpty: (d) => d.entries.length === 0
}

export class LwwMap extends DeltaDocument<LwwMapDelta, LwwMapSummary, LwwMapMergeResult> implements ReplicatedDocument<LwwMapMergeResult> {
  readonly kind = CrdtKind.LWW_MAP
  readonly tombstoneGraceMs: number
  readonly #clock: HybridLogicalClock
  readonly #entries = new Map<string, LwwEntry>()
  #digest: string | undefined
  #live = 0

  constructor (components: LwwMapComponents, init: LwwMapInit = {}) {
    super(LWW_MAP_CODEC, init.limits)
    this.#clock = components.clock
    this.tombstoneGraceMs = init.tombstoneGraceMs ?? DEFAULT_TOMBSTONE_GRACE_MS
  }

  /** Writes `value` under `key` with a fresh stamp; returns the delta to send to other replicas. */
  set (key: string, value: Uint8Array): LwwMapDelta {
    checkLocalWrite(key, value, this.limits)
    return this.#write({ key, stamp: this.#clock.now(), value: new Uint8Array(value) })
  }

  /** Deletes `key` by writing a tombstone (also for an unknown key, to beat concurrent older writes). */
  delete (key: string): LwwMapDelta {
    checkLocalWrite(key, undefined, this.limits)
    return this.#write({ key, stamp: this.#clock.now() })
  }

  get (key: string): Uint8Array | undefined {
    return this.#entries.get(key)?.value
  }

  has (key: string): boolean {
    return this.#entries.get(key)?.value !== undefined
  }

  /** The stored entry with its stamp, including a tombstone. */
  entry (key: string): LwwEntry | undefined {
    return this.#entries.get(key)
  }

  /** Number of live (not deleted) keys. */
  get size (): number {
    return this.#live
  }

  * keys (): IterableIterator<string> {
    for (const [key, e] of this.#entries) if (e.value !== undefined) yield key
  }

  /** Live entries as [key, value]. */
  * entries (): IterableIterator<[string, Uint8Array]> {
    for (const [key, e] of this.#entries) if (e.value !== undefined) yield [key, e.value]
  }

  /**
   * Merges a delta or a full state. Entries with a stamp the clock rejects are skipped and
   * reported; the rest are applied, so one bad stamp cannot block the others.
   */
  merge (delta: LwwMapDelta, options: MergeOptions = {}): LwwMapMergeResult {
    const result: LwwMapMergeResult = { changed: [], rejected: [] }
    const now = this.#clock.physicalNow()
    let newest: Timestamp | undefined
    for (const [i, entry] of delta.entries.entries()) {
      const error = this.#checkStamp(entry.stamp, `entries[${i}].stamp`, options)
      if (error !== undefined) {
        result.rejected.push({ id: entry.key, error })
        continue
      }
      newest = newest === undefined ? entry.stamp : maxTimestamp(newest, entry.stamp)
      const change = this.#apply(entry, now)
      if (change !== undefined) result.changed.push(change)
    }
    // move the clock past what we saw, so our next write wins over it
    if (newest !== undefined) this.#clock.observe(newest)
    return result
  }

  /** Drops tombstones older than the grace period; returns their keys. */
  gc (): string[] {
    // only tombstones are purged: with none held (the usual case) there is
    // nothing to walk, and digest() runs this for every beat vector received
    if (this.#entries.size === this.#live) return []
    const now = this.#clock.physicalNow()
    const purged: string[] = []
    for (const [key, e] of this.#entries) {
      if (this.#purgeable(e, now)) {
        this.#entries.delete(key)
        this.dirty.add(key)
        purged.push(key)
      }
    }
    if (purged.length > 0) this.#digest = undefined
    return purged
  }

  /** The full state as a delta (tombstones included), after dropping what gc would drop. */
  state (): LwwMapDelta {
    this.gc()
    return { entries: [...this.#entries.values()] }
  }

  /** Stamp of every key held, tombstones included (after gc, like state()). */
  summary (): LwwMapSummary {
    this.gc()
    const out = new Map<string, Timestamp>()
    for (const [key, e] of this.#entries) out.set(key, e.stamp)
    return out
  }

  /** Entries the holder of `summary` lacks or holds with an older stamp. */
  diffAgainst (summary: LwwMapSummary): LwwMapDelta {
    const entries: LwwEntry[] = []
    for (const e of this.state().entries) {
      const theirs = summary.get(e.key)
      if (theirs === undefined || compareTimestamps(theirs, e.stamp) < 0) entries.push(e)
    }
    return { entries }
  }

  /** Hash of the canonical state after gc, so replicas at the same time agree whoever ran gc last. */
  digest (): string {
    this.gc()
    this.#digest ??= sha256Hex(this.encodeDelta(this.#canonical()))
    return this.#digest
  }

  takeDirty (): DirtyRecord[] {
    return this.dirty.take(key => {
      const e = this.#entries.get(key)
      return e === undefined ? undefined : encodeLwwMap({ entries: [e] })
    })
  }

  #write (entry: LwwEntry): LwwMapDelta {
    this.#apply(entry, this.#clock.physicalNow())
    return { entries: [entry] }
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

  /** Replaces the stored entry if `entry` wins; a tombstone past its grace is applied but not kept. */
  #apply (entry: LwwEntry, now: number): LwwMapChange | undefined {
    const current = this.#entries.get(entry.key)
    if (current !== undefined && compareLwwEntries(entry, current) <= 0) return undefined
    if (this.#purgeable(entry, now)) {
      if (current === undefined) return undefined
      this.#entries.delete(entry.key)
    } else {
      this.#entries.set(entry.key, entry)
    }
    this.#live += (entry.value !== undefined ? 1 : 0) - (current?.value !== undefined ? 1 : 0)
    this.dirty.add(entry.key)
    this.#digest = undefined
    if (entry.value === undefined && current?.value === undefined) return undefined
    return { key: entry.key, value: entry.value, previous: current?.value, stamp: entry.stamp }
  }

  #purgeable (entry: LwwEntry, now: number): boolean {
    return entry.value === undefined && entry.stamp.wall + this.tombstoneGraceMs <= now
  }

  #canonical (): LwwMapDelta {
    return { entries: [...this.#entries.values()].sort((a, b) => compareStrings(a.key, b.key)) }
  }
}

export function createLwwMap (components: LwwMapComponents, init: LwwMapInit = {}): LwwMap {
  return new LwwMap(components, init)
}

export function encodeLwwMap (delta: LwwMapDelta): Uint8Array {
  return PbLwwMap.encode({
    version: CRDT_ENCODING_VERSION,
    kind: CrdtKind.LWW_MAP,
    entries: delta.entries.map(lwwEntryToPb)
  })
}

/** Decodes an LWW map delta or state; throws InvalidCrdtMessageError naming what was wrong. */
export function decodeLwwMap (bytes: Uint8Array, limits?: Partial<CrdtLimits>): LwwMapDelta {
  const l = resolveLimits(limits)
  const msg = decodeTopLevel('LwwMap', CrdtKind.LWW_MAP, bytes, l, b => PbLwwMap.decode(b, { limits: { entries: l.maxEntries } }))
  return { entries: msg.entries.map((e, i) => lwwEntryFromPb(e, `LwwMap.entries[${i}]`, l)) }
}

export function encodeLwwMapSummary (summary: LwwMapSummary): Uint8Array {
  return PbLwwMapSummary.encode({
    version: CRDT_ENCODING_VERSION,
    kind: CrdtKind.LWW_MAP_SUMMARY,
    keys: [...summary].map(([key, stamp]) => ({ key, stamp: stampToPb(stamp) }))
  })
}

export function decodeLwwMapSummary (bytes: Uint8Array, limits?: Partial<CrdtLimits>): LwwMapSummary {
  const l = resolveLimits(limits)
  const msg = decodeTopLevel('LwwMapSummary', CrdtKind.LWW_MAP_SUMMARY, bytes, l, b => PbLwwMapSummary.decode(b, { limits: { keys: l.maxEntries } }))
  const out = new Map<string, Timestamp>()
  for (const [i, k] of msg.keys.entries()) {
    checkKey(k.key, `LwwMapSummary.keys[${i}].key`, l)
    out.set(k.key, stampFromPb(k.stamp, `LwwMapSummary.keys[${i}].stamp`, l))
  }
  return out
}
