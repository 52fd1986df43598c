// Unimem: MirageManager's typed key-value store. A stateful EF keeps all of its state
// here (never in wasm globals), so the store plus the step position is the whole state.
import { MAX_UNIMEM_ENTRIES, MAX_UNIMEM_LIST_ITEMS } from './constants.js'
import { UnimemTypeError } from './errors.js'
import { UnimemValue as PbValue } from './pb/checkpoint.js'
import type { UnimemEntry } from './pb/checkpoint.js'

/** int is bigint (wasm i64), float is number; lists nest (a list of lists is a list). */
export type UnimemValue = bigint | number | boolean | string | Uint8Array | UnimemValue[]

export class Unimem {
  private readonly store = new Map<string, UnimemValue>()

  get size (): number {
    return this.store.size
  }

  has (key: string): boolean {
    return this.store.has(key)
  }

  get (key: string): UnimemValue | undefined {
    return this.store.get(key)
  }

  set (key: string, value: UnimemValue): void {
    if (!this.store.has(key) && this.store.size >= MAX_UNIMEM_ENTRIES) {
      throw new UnimemTypeError(`unimem: more than ${MAX_UNIMEM_ENTRIES} keys, cannot add ${key}`)
    }
    this.store.set(key, value)
  }

  delete (key: string): boolean {
    return this.store.delete(key)
  }

  clear (): void {
    this.store.clear()
  }

  entries (): Array<[string, UnimemValue]> {
    return [...this.store.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  }

  getInt (key: string, dflt: bigint): bigint {
    const v = this.store.get(key)
    if (v === undefined) return dflt
    if (typeof v !== 'bigint') throw new UnimemTypeError(`unimem: ${key} is ${describe(v)}, not an int`)
    return v
  }

  getFloat (key: string, dflt: number): number {
    const v = this.store.get(key)
    if (v === undefined) return dflt
    if (typeof v !== 'number') throw new UnimemTypeError(`unimem: ${key} is ${describe(v)}, not a float`)
    return v
  }

  getBytes (key: string): Uint8Array | undefined {
    const v = this.store.get(key)
    if (v === undefined) return undefined
    if (!(v instanceof Uint8Array)) throw new UnimemTypeError(`unimem: ${key} is ${describe(v)}, not bytes`)
    return v
  }

  toEntries (): UnimemEntry[] {
    return this.entries().map(([key, value]) => ({ key, value: toPb(value) }))
  }

  static fromEntries (entries: Iterable<UnimemEntry | [string, UnimemValue]>): Unimem {
    const u = new Unimem()
    for (const e of entries) {
      if (Array.isArray(e)) u.set(e[0], e[1])
      else if (e.value != null) u.set(e.key, fromPb(e.value))
    }
    return u
  }
}

export function describe (v: UnimemValue): string {
  if (typeof v === 'bigint') return 'an int'
  if (typeof v === 'number') return 'a float'
  if (typeof v === 'boolean') return 'a bool'
  if (typeof v === 'string') return 'a string'
  if (v instanceof Uint8Array) return 'bytes'
  return 'a list'
}

export function toPb (v: UnimemValue): PbValue {
  const base: PbValue = { kind: PbValue.Kind.NONE, int: 0n, float: 0, bool: false, string: '', bytes: new Uint8Array(0), list: [] }
  if (typeof v === 'bigint') return { ...base, kind: PbValue.Kind.INT, int: BigInt.asUintN(64, v) }
  if (typeof v === 'number') return { ...base, kind: PbValue.Kind.FLOAT, float: v }
  if (typeof v === 'boolean') return { ...base, kind: PbValue.Kind.BOOL, bool: v }
  if (typeof v === 'string') return { ...base, kind: PbValue.Kind.STRING, string: v }
  if (v instanceof Uint8Array) return { ...base, kind: PbValue.Kind.BYTES, bytes: v }
  if (v.length > MAX_UNIMEM_LIST_ITEMS) throw new UnimemTypeError(`unimem: list of ${v.length} items, at most ${MAX_UNIMEM_LIST_ITEMS}`)
  return { ...base, kind: PbValue.Kind.LIST, list: v.map(toPb) }
}

export function fromPb (v: PbValue): UnimemValue {
  switch (v.kind) {
    case PbValue.Kind.INT: return BigInt.asIntN(64, v.int)
    case PbValue.Kind.FLOAT: return v.float
    case PbValue.Kind.BOOL: return v.bool
    case PbValue.Kind.STRING: return v.string
    case PbValue.Kind.BYTES: return v.bytes
    case PbValue.Kind.LIST: return v.list.map(fromPb)
    default: throw new UnimemTypeError(`unimem: value has no kind (${String(v.kind)})`)
  }
}

/** Protobuf encoding of one value: what ecco.unimem_get_value/set_value exchange with an EF. */
export function encodeUnimemValue (v: UnimemValue): Uint8Array {
  return PbValue.encode(toPb(v))
}

export function decodeUnimemValue (bytes: Uint8Array): UnimemValue {
  try {
    return fromPb(PbValue.decode(bytes, { limits: { list: MAX_UNIMEM_LIST_ITEMS } }))
  } catch (err) {
    if (err instanceof UnimemTypeError) throw err
    throw new UnimemTypeError(`unimem: value does not decode: ${(err as Error).message}`)
  }
}
