/**
 * Map of max registers keyed by string (e.g. fencing epoch per edge function instance).
 * Grow-only: keys are never deleted, each value only grows, merge is the per-key maximum.
 */
import { checkKey, compareStrings, decodeTopLevel, sha256Hex } from './codec.js'
import { CRDT_ENCODING_VERSION, resolveLimits } from './constants.js'
import { DirtyTracker } from './dirty.js'
import { InvalidCrdtArgumentError } from './errors.js'
import { compareMaxValues, maxValueFromPb, MAX_VALUE_ZERO, toMaxValue } from './max-register.js'
import { CrdtKind, MaxMap as PbMaxMap } from './pb/crdt.js'
import type { CrdtLimits } from './constants.js'
import type { MaxValue } from './max-register.js'
import type { DirtyRecord, ReplicatedDocument } from './types.js'

export interface MaxMapInit {
  /**
   * Decoder and local-write limits; missing fields take DEFAULT_CRDT_LIMITS
   *
   * @default DEFAULT_CRDT_LIMITS
   */
  limits?: Partial<CrdtLimits>
}

export interface MaxMapEntry {
  readonly key: string
  readonly value: MaxValue
}

/** A delta or the full state. The state is also the summary: a diff needs every value. */
export interface MaxMapDelta {
  entries: MaxMapEntry[]
}

export interface MaxMapChange {
  key: string
  value: MaxValue
  /** undefined when the key was new */
  previous: MaxValue | undefined
}

export class MaxMap implements ReplicatedDocument<MaxMapChange[]> {
  readonly kind = CrdtKind.MAX_MAP
  readonly limits: CrdtLimits
  readonly #values = new Map<string, MaxValue>()
  readonly #dirty = new DirtyTracker()
  #digest: string | undefined

  constructor (init: MaxMapInit = {}) {
    this.limits = resolveLimits(init.limits)
  }

  get (key: string): MaxValue | undefined {
    return this.#values.get(key)
  }

  /** Raises `key` to at least `value`; returns a delta with the resulting value. */
  raise (key: string, value: number | MaxValue): MaxMapDelta {
    if (typeof key !== 'string' || key.length > this.limits.maxKeyLength) {
      throw new InvalidCrdtArgumentError(`key must be a string of at most ${this.limits.maxKeyLength} characters`)
    }
    this.merge({ entries: [{ key, value: toMaxValue(value) }] })
    return { entries: [{ key, value: this.#values.get(key) ?? MAX_VALUE_ZERO }] }
  }

  get size (): number {
    return this.#values.size
  }

  * entries (): IterableIterator<[string, MaxValue]> {
    yield * this.#values
  }

  /** Merges a delta or state; returns the keys whose value grew. */
  merge (delta: MaxMapDelta): MaxMapChange[] {
    const changed: MaxMapChange[] = []
    for (const { key, value } of delta.entries) {
      const previous = this.#values.get(key)
      if (previous !== undefined && compareMaxValues(value, previous) <= 0) continue
      this.#values.set(key, value)
      this.#dirty.add(key)
      this.#digest = undefined
      changed.push({ key, value, previous })
    }
    return changed
  }

  state (): MaxMapDelta {
    return { entries: [...this.#values].map(([key, value]) => ({ key, value })) }
  }

  /** Entries where this replica is ahead of `theirs` (a state or summary of the other side). */
  diffAgainst (theirs: MaxMapDelta): MaxMapDelta {
    const other = new Map(theirs.entries.map(e => [e.key, e.value]))
    return {
      entries: this.state().entries.filter(e => {
        const v = other.get(e.key)
        return v === undefined || compareMaxValues(v, e.value) < 0
      })
    }
  }

  digest (): string {
    if (this.#digest === undefined) {
      const entries = this.state().entries.sort((a, b) => compareStrings(a.key, b.key))
      this.#digest = sha256Hex(encodeMaxMap({ entries }))
    }
    return this.#digest
  }

  encodeDelta (delta: MaxMapDelta): Uint8Array {
    return encodeMaxMap(delta)
  }

  encodeState (): Uint8Array {
    return encodeMaxMap(this.state())
  }

  decode (bytes: Uint8Array): MaxMapDelta {
    return decodeMaxMap(bytes, this.limits)
  }

  mergeBytes (bytes: Uint8Array): MaxMapChange[] {
    return this.merge(this.decode(bytes))
  }

  encodeSummary (): Uint8Array {
    return this.encodeState()
  }

  diffBytes (summary: Uint8Array): Uint8Array | undefined {
    const delta = this.diffAgainst(this.decode(summary))
    return delta.entries.length === 0 ? undefined : encodeMaxMap(delta)
  }

  dirtyKeys (): string[] {
    return this.#dirty.keys()
  }

  takeDirty (): DirtyRecord[] {
    return this.#dirty.take(key => {
      const value = this.#values.get(key)
      return value === undefined ? undefined : encodeMaxMap({ entries: [{ key, value }] })
    })
  }

  markDirty (keys: Iterable<string>): void {
    this.#dirty.mark(keys)
  }

  clearDirty (): void {
    this.#dirty.clear()
  }

  loadRecord (bytes: Uint8Array): void {
    this.mergeBytes(bytes)
  }
}

export function createMaxMap (init: MaxMapInit = {}): MaxMap {
  return new MaxMap(init)
}

export function encodeMaxMap (delta: MaxMapDelta): Uint8Array {
  return PbMaxMap.encode({
    version: CRDT_ENCODING_VERSION,
    kind: CrdtKind.MAX_MAP,
    entries: delta.entries.map(e => ({ key: e.key, value: { ...e.value } }))
  })
}

export function decodeMaxMap (bytes: Uint8Array, limits?: Partial<CrdtLimits>): MaxMapDelta {
  const l = resolveLimits(limits)
  const msg = decodeTopLevel('MaxMap', CrdtKind.MAX_MAP, bytes, l, b => PbMaxMap.decode(b, { limits: { entries: l.maxEntries } }))
  return {
    entries: msg.entries.map((e, i) => {
      checkKey(e.key, `MaxMap.entries[${i}].key`, l)
      return { key: e.key, value: maxValueFromPb(e.value, `MaxMap.entries[${i}].value`) }
    })
  }
}
