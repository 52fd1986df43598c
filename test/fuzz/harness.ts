/**
 * Shared fuzzing harness: the property every decoder of untrusted input must
 * hold (a value, or one of its documented typed errors, quickly), plus
 * byte-level mutators of valid encodings. Seeds are fixed; FUZZ_RUNS scales
 * every property for a long run and FUZZ_SEED shifts every seed.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'

/** One decode using more CPU than this is a finding (measured by the property itself). */
export const MAX_DECODE_MS = Number(process.env.FUZZ_MAX_MS ?? 200)

/** fast-check parameters: fixed seed, `runs` unless FUZZ_RUNS overrides it. */
export function params (seed: number, runs: number): fc.Parameters<unknown> {
  const long = Number(process.env.FUZZ_RUNS)
  const shift = Number(process.env.FUZZ_SEED)
  return {
    seed: Number.isInteger(shift) && process.env.FUZZ_SEED !== undefined ? seed + shift : seed,
    numRuns: Number.isInteger(long) && long > 0 ? long : runs,
    // a long run may take long; the default suite stays small
    endOnFailure: true
  }
}

/** CPU milliseconds of this process: unlike wall time, not inflated by other processes on a loaded machine. */
function cpuMs (): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

function checkError (what: string, allowed: readonly string[], err: unknown): void {
  const name = err instanceof Error ? err.name : typeof err
  if (!allowed.includes(name)) {
    throw new Error(`${what}: untyped failure ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }
  assert.ok(err instanceof Error && err.message.length > 0, `${what}: ${name} without a message`)
}

function checkTime (what: string, ms: number, maxMs: number): void {
  assert.ok(ms <= maxMs, `${what}: one decode took ${ms.toFixed(1)} ms of CPU (bound ${maxMs} ms)`)
}

/** Runs a synchronous decoder; passes when it returns or throws an allowed error name in time. */
export function holds<I> (what: string, decode: (input: I) => unknown, allowed: readonly string[], maxMs = MAX_DECODE_MS): (input: I) => void {
  const once = (input: I): number => {
    const started = cpuMs()
    try { decode(input) } catch (err) { checkError(what, allowed, err) }
    return cpuMs() - started
  }
  return (input) => {
    const ms = once(input)
    // a GC pause lands on some decode: only a repeatable overrun is a finding
    checkTime(what, ms <= maxMs ? ms : Math.min(ms, once(input)), maxMs)
  }
}

/** The async variant (signature checks, wasm compilation). */
export function holdsAsync<I> (what: string, decode: (input: I) => Promise<unknown>, allowed: readonly string[], maxMs = MAX_DECODE_MS): (input: I) => Promise<void> {
  const once = async (input: I): Promise<number> => {
    const started = cpuMs()
    try { await decode(input) } catch (err) { checkError(what, allowed, err) }
    return cpuMs() - started
  }
  return async (input) => {
    const ms = await once(input)
    checkTime(what, ms <= maxMs ? ms : Math.min(ms, await once(input)), maxMs)
  }
}

/** A valid encoding damaged the ways a wire or disk damages it. */
export type Mutation =
  | { op: 'truncate', at: number }
  | { op: 'flip', at: number, bit: number }
  | { op: 'set', at: number, value: number }
  | { op: 'insert', at: number, bytes: Uint8Array }
  | { op: 'delete', at: number, n: number }
  | { op: 'duplicate' }

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xff) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('duplicate' as const) })
)

export function mutate (bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length
  const at = n === 0 ? 0 : m.op === 'duplicate' ? 0 : m.at % (n + 1)
  switch (m.op) {
    case 'truncate': return bytes.slice(0, at)
    case 'flip': { const out = bytes.slice(); if (at < n) out[at] ^= 1 << m.bit; return out }
    case 'set': { const out = bytes.slice(); if (at < n) out[at] = m.value; return out }
    case 'insert': return concat(bytes.subarray(0, at), m.bytes, bytes.subarray(at))
    case 'delete': return concat(bytes.subarray(0, at), bytes.subarray(Math.min(n, at + m.n)))
    case 'duplicate': return concat(bytes, bytes)
  }
}

export function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

/** Up to four mutations of a valid encoding. */
export function damaged (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([b, ms]) => ms.reduce((acc, m) => mutate(acc, m), b))
}

function varint (n: bigint): number[] {
  const out: number[] = []
  let v = BigInt.asUintN(64, n)
  do {
    let b = Number(v & 0x7fn)
    v >>= 7n
    if (v !== 0n) b |= 0x80
    out.push(b)
  } while (v !== 0n)
  return out
}

function readVarint (b: Uint8Array, pos: number): { value: bigint, end: number } | undefined {
  let value = 0n
  for (let shift = 0n, p = pos; p < b.length && shift < 70n; shift += 7n, p++) {
    value |= BigInt(b[p] & 0x7f) << shift
    if ((b[p] & 0x80) === 0) return { value, end: p + 1 }
  }
  return undefined
}

/**
 * Replaces the value of the k-th top-level varint field (version, enums,
 * counters) of a protobuf encoding: wrong versions, unknown enum numbers,
 * negative and 64-bit values where a decoder expects small ones.
 */
export function rewriteVarint (bytes: Uint8Array, k: number, value: bigint): Uint8Array {
  const fields: Array<{ start: number, end: number }> = []
  let pos = 0
  while (pos < bytes.length) {
    const tag = readVarint(bytes, pos)
    if (tag === undefined) break
    const wire = Number(tag.value & 7n)
    if (wire === 0) {
      const v = readVarint(bytes, tag.end)
      if (v === undefined) break
      fields.push({ start: tag.end, end: v.end })
      pos = v.end
    } else if (wire === 2) {
      const len = readVarint(bytes, tag.end)
      if (len === undefined) break
      pos = len.end + Number(len.value)
    } else if (wire === 1) pos = tag.end + 8
    else if (wire === 5) pos = tag.end + 4
    else break
  }
  if (fields.length === 0) return bytes
  const f = fields[k % fields.length]
  return concat(bytes.subarray(0, f.start), Uint8Array.from(varint(value)), bytes.subarray(f.end))
}

export const oddVarintArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: 20n }),
  fc.constantFrom(-1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n })
)

/** Every way this suite feeds a decoder: garbage, damaged valid bytes, odd varints. */
export function hostileBytes (valid: fc.Arbitrary<Uint8Array>, maxGarbage = 512): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: maxGarbage }) },
    { weight: 1, arbitrary: valid },
    { weight: 4, arbitrary: damaged(valid) },
    { weight: 3, arbitrary: fc.tuple(valid, fc.nat(), oddVarintArb).map(([b, k, v]) => rewriteVarint(b, k, v)) }
  )
}

/** A length-delimited field (field number `field`) wrapping `payload`: builds nesting and oversize messages. */
export function lengthField (field: number, payload: Uint8Array): Uint8Array {
  return concat(Uint8Array.from([...varint(BigInt(field << 3 | 2)), ...varint(BigInt(payload.length))]), payload)
}
