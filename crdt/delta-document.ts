/**
 * What every delta-state document shares: the byte-level surface the store and the
 * anti-entropy exchange use, and the dirty-record tracking. A document supplies its codec
 * and the four CRDT operations (merge, state, summary, diffAgainst).
 */
import { resolveLimits } from './constants.js'
import { DirtyTracker } from './dirty.js'
import type { CrdtLimits } from './constants.js'
import type { MergeOptions } from './types.js'

export interface DeltaCodec<Delta, Summary> {
  encode: (delta: Delta) => Uint8Array
  decode: (bytes: Uint8Array, limits: CrdtLimits) => Delta
  encodeSummary: (summary: Summary) => Uint8Array
  decodeSummary: (bytes: Uint8Array, limits: CrdtLimits) => Summary
  /** true when the delta carries nothing the receiver lacks */
  isEmpty: (delta: Delta) => boolean
}

export abstract class DeltaDocument<Delta, Summary, Result> {
  readonly limits: CrdtLimits
  protected readonly dirty = new DirtyTracker()
  readonly #codec: DeltaCodec<Delta, Summary>

  constructor (codec: DeltaCodec<Delta, Summary>, limits?: Partial<CrdtLimits>) {
    this.#codec = codec
    this.limits = resolveLimits(limits)
  }

  abstract merge (delta: Delta, options?: MergeOptions): Result
  abstract state (): Delta
  abstract summary (): Summary
  /** What the holder of `summary` lacks. */
  abstract diffAgainst (summary: Summary): Delta

  encodeDelta (delta: Delta): Uint8Array {
    return this.#codec.encode(delta)
  }

  encodeState (): Uint8Array {
    return this.encodeDelta(this.state())
  }

  decode (bytes: Uint8Array): Delta {
    return this.#codec.decode(bytes, this.limits)
  }

  mergeBytes (bytes: Uint8Array, options?: MergeOptions): Result {
    return this.merge(this.decode(bytes), options)
  }

  encodeSummary (summary: Summary = this.summary()): Uint8Array {
    return this.#codec.encodeSummary(summary)
  }

  decodeSummary (bytes: Uint8Array): Summary {
    return this.#codec.decodeSummary(bytes, this.limits)
  }

  /** The encoded delta the holder of `summary` lacks, or undefined when it lacks nothing. */
  diffBytes (summary: Uint8Array): Uint8Array | undefined {
    const delta = this.diffAgainst(this.decodeSummary(summary))
    return this.#codec.isEmpty(delta) ? undefined : this.encodeDelta(delta)
  }

  dirtyKeys (): string[] {
    return this.dirty.keys()
  }

  markDirty (keys: Iterable<string>): void {
    this.dirty.mark(keys)
  }

  clearDirty (): void {
    this.dirty.clear()
  }

  /** A record read back from the store is this node's own state: no clock-drift check. */
  loadRecord (bytes: Uint8Array): void {
    this.mergeBytes(bytes, { trusted: true })
  }
}
