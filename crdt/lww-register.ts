/**
 * Last-writer-wins register: one value, the write with the greatest HLC stamp wins.
 * Merge keeps the greater entry, so it is commutative, associative and idempotent.
 */
import { decodeTopLevel, sha256Hex } from './codec.js'
import { CRDT_ENCODING_VERSION, resolveLimits } from './constants.js'
import { DirtyTracker } from './dirty.js'
import { ClockDriftError, InvalidCrdtMessageError, InvalidTimestampError } from './errors.js'
import { validateTimestamp } from './hlc.js'
import { checkLocalWrite, compareLwwEntries, lwwEntryFromPb, lwwEntryToPb } from './lww-entry.js'
import { CrdtKind, LwwRegister as PbLwwRegister } from './pb/crdt.js'
import type { CrdtLimits } from './constants.js'
import type { HybridLogicalClock, Timestamp } from './hlc.js'
import type { LwwEntry } from './lww-entry.js'
import type { DirtyRecord, MergeOptions, ReplicatedDocument } from './types.js'

/** Store record key of the register's single record. */
const RECORD_KEY = 'value'

export interface LwwRegisterComponents {
  clock: HybridLogicalClock
}

export interface LwwRegisterInit {
  /**
   * Decoder and local-write limits; missing fields take DEFAULT_CRDT_LIMITS
   *
   * @default DEFAULT_CRDT_LIMITS
   */
  limits?: Partial<CrdtLimits>
}

/** The register's state (or a delta, which is the same): at most one entry. */
export interface LwwRegisterState {
  entry?: LwwEntry
}

export interface LwwRegisterMergeResult {
  /** true when the merged entry replaced ours */
  changed: boolean
  /** set when the incoming stamp failed the clock check */
  rejected?: ClockDriftError | InvalidTimestampError
}

export class LwwRegister implements ReplicatedDocument<LwwRegisterMergeResult> {
  readonly kind = CrdtKind.LWW_REGISTER
  readonly limits: CrdtLimits
  readonly #clock: HybridLogicalClock
  readonly #dirty = new DirtyTracker()
  #entry: LwwEntry | undefined

  constructor (components: LwwRegisterComponents, init: LwwRegisterInit = {}) {
    this.#clock = components.clock
    this.limits = resolveLimits(init.limits)
  }

  set (value: Uint8Array): LwwRegisterState {
    checkLocalWrite('', value, this.limits)
    this.#entry = { key: '', stamp: this.#clock.now(), value: new Uint8Array(value) }
    this.#dirty.add(RECORD_KEY)
    return { entry: this.#entry }
  }

  get (): Uint8Array | undefined {
    return this.#entry?.value
  }

  /** Stamp of the current value. */
  stamp (): Timestamp | undefined {
    return this.#entry?.stamp
  }

  merge (state: LwwRegisterState, options: MergeOptions = {}): LwwRegisterMergeResult {
    const incoming = state.entry
    if (incoming === undefined) return { changed: false }
    try {
      if (options.trusted === true) validateTimestamp(incoming.stamp, 'entry.stamp', this.limits.maxNodeIdLength)
      else this.#clock.check(incoming.stamp, 'entry.stamp')
    } catch (err) {
      if (err instanceof ClockDriftError || err instanceof InvalidTimestampError) return { changed: false, rejected: err }
      throw err
    }
    this.#clock.observe(incoming.stamp)
    if (this.#entry !== undefined && compareLwwEntries(incoming, this.#entry) <= 0) return { changed: false }
    this.#entry = incoming
    this.#dirty.add(RECORD_KEY)
    return { changed: true }
  }

  state (): LwwRegisterState {
    return this.#entry === undefined ? {} : { entry: this.#entry }
  }

  digest (): string {
    return sha256Hex(this.encodeState())
  }

  encodeState (): Uint8Array {
    return encodeLwwRegister(this.state())
  }

  decode (bytes: Uint8Array): LwwRegisterState {
    return decodeLwwRegister(bytes, this.limits)
  }

  mergeBytes (bytes: Uint8Array, options?: MergeOptions): LwwRegisterMergeResult {
    return this.merge(this.decode(bytes), options)
  }

  /** The state is one entry, so it is its own summary. */
  encodeSummary (): Uint8Array {
    return this.encodeState()
  }

  diffBytes (summary: Uint8Array): Uint8Array | undefined {
    const theirs = this.decode(summary).entry
    if (this.#entry === undefined) return undefined
    if (theirs !== undefined && compareLwwEntries(theirs, this.#entry) >= 0) return undefined
    return this.encodeState()
  }

  dirtyKeys (): string[] {
    return this.#dirty.keys()
  }

  takeDirty (): DirtyRecord[] {
    return this.#dirty.take(() => this.#entry === undefined ? undefined : this.encodeState())
  }

  markDirty (keys: Iterable<string>): void {
    this.#dirty.mark(keys)
  }

  clearDirty (): void {
    this.#dirty.clear()
  }

  loadRecord (bytes: Uint8Array): void {
    this.mergeBytes(bytes, { trusted: true })
  }
}

export function createLwwRegister (components: LwwRegisterComponents, init: LwwRegisterInit = {}): LwwRegister {
  return new LwwRegister(components, init)
}

export function encodeLwwRegister (state: LwwRegisterState): Uint8Array {
  return PbLwwRegister.encode({
    version: CRDT_ENCODING_VERSION,
    kind: CrdtKind.LWW_REGISTER,
    entry: state.entry === undefined ? undefined : lwwEntryToPb(state.entry)
  })
}

export function decodeLwwRegister (bytes: Uint8Array, limits?: Partial<CrdtLimits>): LwwRegisterState {
  const l = resolveLimits(limits)
  const msg = decodeTopLevel('LwwRegister', CrdtKind.LWW_REGISTER, bytes, l, b => PbLwwRegister.decode(b))
  if (msg.entry === undefined) return {}
  const entry = lwwEntryFromPb(msg.entry, 'LwwRegister.entry', l)
  if (entry.value === undefined) {
    throw new InvalidCrdtMessageError('missing field LwwRegister.entry.value')
  }
  return { entry }
}
