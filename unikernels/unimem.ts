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

// ---- compact value encoding (checkpoint format v2) ----
//
// A value is a 3-bit tag plus a payload. The tag travels in the low bits of a varint the
// caller writes (so an entry spends one byte on key length and type together); list items
// carry their own tag byte.
//   0 INT     zigzag varint          1 INT64  8 bytes little endian (|v| >= 2^48: shorter)
//   2 FLOAT   8 bytes IEEE 754 LE    3 FALSE  4 TRUE (no payload)
//   5 STRING  varint length + UTF-8  6 BYTES  varint length + bytes
//   7 LIST    varint count + items, each a tag byte and its payload

/** Deepest list nesting a checkpoint may carry (a hostile one must not exhaust the stack). */
export const MAX_UNIMEM_DEPTH = 32

const TAG_INT = 0
const TAG_INT64 = 1
const TAG_FLOAT = 2
const TAG_FALSE = 3
const TAG_TRUE = 4
const TAG_STRING = 5
const TAG_BYTES = 6
const TAG_LIST = 7
const FIXED_FROM = 1n << 48n
const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/** Appends bytes to a growing buffer. */
export class ByteWriter {
  private buf: Uint8Array
  private view: DataView
  private len = 0

  constructor (size = 64) {
    this.buf = new Uint8Array(size)
    this.view = new DataView(this.buf.buffer)
  }

  private room (n: number): void {
    if (this.len + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n))
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  u8 (b: number): void {
    this.room(1)
    this.buf[this.len++] = b
  }

  /** A non-negative safe integer. */
  varint (n: number): void {
    this.room(8)
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80
      n = Math.floor(n / 0x80)
    }
    this.buf[this.len++] = n
  }

  /** An unsigned 64-bit integer. */
  bigVarint (n: bigint): void {
    if (n <= BigInt(Number.MAX_SAFE_INTEGER)) { this.varint(Number(n)); return }
    this.room(10)
    while (n >= 0x80n) {
      this.buf[this.len++] = Number(n & 0x7fn) | 0x80
      n >>= 7n
    }
    this.buf[this.len++] = Number(n)
  }

  f64 (x: number): void {
    this.room(8)
    this.view.setFloat64(this.len, x, true)
    this.len += 8
  }

  i64 (x: bigint): void {
    this.room(8)
    this.view.setBigInt64(this.len, x, true)
    this.len += 8
  }

  bytes (b: Uint8Array): void {
    this.room(b.length)
    this.buf.set(b, this.len)
    this.len += b.length
  }

  /** varint length + bytes */
  lengthPrefixed (b: Uint8Array): void {
    this.varint(b.length)
    this.bytes(b)
  }

  string (s: string): void {
    this.lengthPrefixed(utf8Encoder.encode(s))
  }

  finish (): Uint8Array {
    return this.buf.slice(0, this.len)
  }
}

/** Reads what ByteWriter wrote; every read checks the bounds and throws RangeError naming `what`. */
export class ByteReader {
  private at = 0
  private readonly view: DataView

  constructor (private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  get remaining (): number { return this.buf.length - this.at }

  private need (n: number, what: string): void {
    if (n > this.remaining) throw new RangeError(`${what}: needs ${n} bytes, ${this.remaining} left`)
  }

  u8 (what: string): number {
    this.need(1, what)
    return this.buf[this.at++]
  }

  varint (what: string): number {
    let n = 0
    let scale = 1
    for (let i = 0; ; i++) {
      const b = this.u8(what)
      n += (b & 0x7f) * scale
      if ((b & 0x80) === 0) break
      scale *= 0x80
      if (i >= 7) throw new RangeError(`${what}: varint longer than 8 bytes`)
    }
    if (!Number.isSafeInteger(n)) throw new RangeError(`${what}: ${n} is not a safe integer`)
    return n
  }

  bigVarint (what: string): bigint {
    let n = 0n
    for (let shift = 0n; ; shift += 7n) {
      if (shift > 63n) throw new RangeError(`${what}: varint longer than 10 bytes`)
      const b = this.u8(what)
      n |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) break
    }
    if (n >= 1n << 64n) throw new RangeError(`${what}: exceeds 64 bits`)
    return n
  }

  /** A count of things that take at least `minBytes` each: bounded by what is left. */
  count (what: string, max: number, minBytes = 1): number {
    const n = this.varint(what)
    if (n > max) throw new RangeError(`${what}: ${n}, at most ${max}`)
    if (n * minBytes > this.remaining) throw new RangeError(`${what}: ${n} items cannot fit in ${this.remaining} bytes`)
    return n
  }

  f64 (what: string): number {
    this.need(8, what)
    const x = this.view.getFloat64(this.at, true)
    this.at += 8
    return x
  }

  i64 (what: string): bigint {
    this.need(8, what)
    const x = this.view.getBigInt64(this.at, true)
    this.at += 8
    return x
  }

  bytes (n: number, what: string): Uint8Array {
    this.need(n, what)
    const b = this.buf.slice(this.at, this.at + n)
    this.at += n
    return b
  }

  lengthPrefixed (what: string): Uint8Array {
    return this.bytes(this.varint(what), what)
  }

  string (what: string): string {
    const b = this.lengthPrefixed(what)
    try {
      return utf8Decoder.decode(b)
    } catch {
      throw new RangeError(`${what}: not UTF-8`)
    }
  }

  end (what: string): void {
    if (this.remaining !== 0) throw new RangeError(`${what}: ${this.remaining} trailing bytes`)
  }
}

const zigzag = (v: bigint): bigint => BigInt.asUintN(64, (v << 1n) ^ (v >> 63n))
const unzigzag = (z: bigint): bigint => BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n))

/** The tag of a value (see the table above). */
export function compactTag (v: UnimemValue): number {
  if (typeof v === 'bigint') {
    const x = BigInt.asIntN(64, v)
    return x >= FIXED_FROM || x < -FIXED_FROM ? TAG_INT64 : TAG_INT
  }
  if (typeof v === 'number') return TAG_FLOAT
  if (typeof v === 'boolean') return v ? TAG_TRUE : TAG_FALSE
  if (typeof v === 'string') return TAG_STRING
  if (v instanceof Uint8Array) return TAG_BYTES
  return TAG_LIST
}

/** Writes the payload of `v`, whose tag the caller has written already. */
export function writeCompactPayload (w: ByteWriter, v: UnimemValue, tag = compactTag(v)): void {
  switch (tag) {
    case TAG_INT: w.bigVarint(zigzag(BigInt.asIntN(64, v as bigint))); return
    case TAG_INT64: w.i64(BigInt.asIntN(64, v as bigint)); return
    case TAG_FLOAT: w.f64(v as number); return
    case TAG_FALSE: case TAG_TRUE: return
    case TAG_STRING: w.string(v as string); return
    case TAG_BYTES: w.lengthPrefixed(v as Uint8Array); return
    default: {
      const list = v as UnimemValue[]
      if (list.length > MAX_UNIMEM_LIST_ITEMS) throw new UnimemTypeError(`unimem: list of ${list.length} items, at most ${MAX_UNIMEM_LIST_ITEMS}`)
      w.varint(list.length)
      for (const item of list) {
        const t = compactTag(item)
        w.u8(t)
        writeCompactPayload(w, item, t)
      }
    }
  }
}

/** Reads the payload of a value with tag `tag`; throws RangeError on anything malformed. */
export function readCompactPayload (r: ByteReader, tag: number, what: string, depth = 0): UnimemValue {
  switch (tag) {
    case TAG_INT: return unzigzag(r.bigVarint(what))
    case TAG_INT64: return r.i64(what)
    case TAG_FLOAT: return r.f64(what)
    case TAG_FALSE: return false
    case TAG_TRUE: return true
    case TAG_STRING: return r.string(what)
    case TAG_BYTES: return r.lengthPrefixed(what)
    case TAG_LIST: {
      if (depth >= MAX_UNIMEM_DEPTH) throw new RangeError(`${what}: lists nested deeper than ${MAX_UNIMEM_DEPTH}`)
      const n = r.count(`${what} list length`, MAX_UNIMEM_LIST_ITEMS)
      const out: UnimemValue[] = []
      for (let i = 0; i < n; i++) {
        const t = r.u8(`${what}[${i}] tag`)
        if (t > TAG_LIST) throw new RangeError(`${what}[${i}]: unknown tag ${t}`)
        out.push(readCompactPayload(r, t, `${what}[${i}]`, depth + 1))
      }
      return out
    }
    default: throw new RangeError(`${what}: unknown tag ${tag}`)
  }
}

/** Deep equality of two values, type included (1n and 1 differ; float bits compare with Object.is). */
export function sameValue (a: UnimemValue, b: UnimemValue): boolean {
  if (typeof a !== typeof b) return false
  if (typeof a === 'number') return Object.is(a, b)
  if (typeof a !== 'object') return a === b
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }
  if (!Array.isArray(b) || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false
  return true
}
