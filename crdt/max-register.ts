/**
 * Max register: the value only grows; merge takes the maximum, which is commutative,
 * associative and idempotent without any clock. Values are (epoch, seq) pairs compared
 * lexicographically; a plain number n is the pair (n, 0). Used for fencing epochs and
 * checkpoint sequence numbers.
 */
import { checkSafeUint, decodeTopLevel, sha256Hex } from './codec.js'
import { CRDT_ENCODING_VERSION, resolveLimits } from './constants.js'
import { DirtyTracker } from './dirty.js'
import { InvalidCrdtArgumentError, InvalidCrdtMessageError } from './errors.js'
import { CrdtKind, MaxRegister as PbMaxRegister } from './pb/crdt.js'
import type { CrdtLimits } from './constants.js'
import type { MaxValue as PbMaxValue } from './pb/crdt.js'
import type { DirtyRecord, ReplicatedDocument } from './types.js'

const RECORD_KEY = 'value'

export interface MaxValue {
  readonly epoch: number
  readonly seq: number
}

/** The bottom element: every register starts here. */
export const MAX_VALUE_ZERO: MaxValue = Object.freeze({ epoch: 0, seq: 0 })

export function compareMaxValues (a: MaxValue, b: MaxValue): -1 | 0 | 1 {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1
  return 0
}

/** Normalises `n` to (n, 0) and checks that both parts are non-negative safe integers. */
export function toMaxValue (value: number | MaxValue): MaxValue {
  const v = typeof value === 'number' ? { epoch: value, seq: 0 } : { epoch: value.epoch, seq: value.seq }
  for (const field of ['epoch', 'seq'] as const) {
    if (!Number.isSafeInteger(v[field]) || v[field] < 0) {
      throw new InvalidCrdtArgumentError(`max value ${field} must be a non-negative safe integer, got ${String(v[field])}`)
    }
  }
  return v
}

export function maxValueFromPb (value: PbMaxValue | undefined, field: string): MaxValue {
  if (value == null) throw new InvalidCrdtMessageError(`missing field ${field}`)
  checkSafeUint(value.epoch, `${field}.epoch`)
  checkSafeUint(value.seq, `${field}.seq`)
  return { epoch: value.epoch, seq: value.seq }
}

export interface MaxRegisterInit {
  /**
   * Decoder limits; missing fields take DEFAULT_CRDT_LIMITS
   *
   * @default DEFAULT_CRDT_LIMITS
   */
  limits?: Partial<CrdtLimits>
}

/** The register's state, which is also its delta. */
export interface MaxRegisterState {
  value: MaxValue
}

export class MaxRegister implements ReplicatedDocument<boolean> {
  readonly kind = CrdtKind.MAX_REGISTER
  readonly limits: CrdtLimits
  readonly #dirty = new DirtyTracker()
  #value: MaxValue = MAX_VALUE_ZERO

  constructor (init: MaxRegisterInit = {}) {
    this.limits = resolveLimits(init.limits)
  }

  get (): MaxValue {
    return this.#value
  }

  /** Raises the register to at least `value`; returns the resulting state as the delta. */
  raise (value: number | MaxValue): MaxRegisterState {
    this.merge({ value: toMaxValue(value) })
    return this.state()
  }

  /** Returns true when the register grew. */
  merge (state: MaxRegisterState): boolean {
    if (compareMaxValues(state.value, this.#value) <= 0) return false
    this.#value = state.value
    this.#dirty.add(RECORD_KEY)
    return true
  }

  state (): MaxRegisterState {
    return { value: this.#value }
  }

  digest (): string {
    return sha256Hex(this.encodeState())
  }

  encodeState (): Uint8Array {
    return encodeMaxRegister(this.state())
  }

  decode (bytes: Uint8Array): MaxRegisterState {
    return decodeMaxRegister(bytes, this.limits)
  }

  mergeBytes (bytes: Uint8Array): boolean {
    return this.merge(this.decode(bytes))
  }

  encodeSummary (): Uint8Array {
    return this.encodeState()
  }

  diffBytes (summary: Uint8Array): Uint8Array | undefined {
    return compareMaxValues(this.decode(summary).value, this.#value) < 0 ? this.encodeState() : undefined
  }

  dirtyKeys (): string[] {
    return this.#dirty.keys()
  }

  takeDirty (): DirtyRecord[] {
    return this.#dirty.take(() => this.encodeState())
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

export function createMaxRegister (init: MaxRegisterInit = {}): MaxRegister {
  return new MaxRegister(init)
}

export function encodeMaxRegister (state: MaxRegisterState): Uint8Array {
  return PbMaxRegister.encode({ version: CRDT_ENCODING_VERSION, kind: CrdtKind.MAX_REGISTER, value: { ...state.value } })
}

export function decodeMaxRegister (bytes: Uint8Array, limits?: Partial<CrdtLimits>): MaxRegisterState {
  const l = resolveLimits(limits)
  const msg = decodeTopLevel('MaxRegister', CrdtKind.MAX_REGISTER, bytes, l, b => PbMaxRegister.decode(b))
  return { value: maxValueFromPb(msg.value, 'MaxRegister.value') }
}
