/**
 * Checkpoint codec: a stateful EF's whole state after an atomic step, and the delta
 * between two such states. Hand-written and versioned (format 3) because the protobuf
 * form spent most of its bytes on field tags, lengths, names and the 32-byte image hash:
 * the counter's state went from 154 bytes (format 1) to about 70 (format 2) and to about
 * 36 in the compact form here; a delta after a few steps is about 25.
 *
 * Checkpoint, format 3:
 *   u8      version = 3
 *   u8      flags: 1 terminated, 2 has next step, 4 has last step, 8 short image ref,
 *           16 clock is a float (otherwise a varint of whole ms), 32 no clock; other bits are refused
 *   image   short ref: the first 4 bytes of the image's sha256 | full: 32-byte sha256, string name
 *   varint  steps completed since the first boot
 *   varint  output sequence (of the next output)
 *   clock   varint ms | f64 little endian | nothing (flag 32)
 *   name    next step (flag 2), name last step (flag 4)
 *   varint  Unimem entries, then per entry in key order:
 *           varint (name ref << 3 | value tag), [key UTF-8 string when ref = 0], value payload (see unimem.ts)
 * A name ref is a varint: 0 = a string (varint length + UTF-8) follows, k = names[k - 1] of
 * the name table the receiver knows (the instance descriptor's: Unimem keys and step names).
 *
 * The compact form (what replicas store and full transfers carry) uses a short image ref,
 * the name table and no clock (a resumed EF runs on its new host's clock; nothing restores
 * it): decodeCheckpoint then takes { image, names } and refuses a ref that is not the
 * prefix of that image's hash. The self-describing form (default) needs no context.
 *
 * Delta, format 3 (applies to exactly one base state, which the receiver names by its
 * (epoch, step sequence) elsewhere):
 *   u8      version = 3
 *   u8      flags: 1 terminated, 2 has next step, 4 has last step, 16 clock is a float, 32 no clock
 *   zigzag  steps - base steps; zigzag output sequence - base output sequence
 *   clock   zigzag (clock - base clock) | f64 | nothing (flag 32: the result keeps the base's)
 *   step    per present step: varint 0 = a string follows, 1 = base's next step, 2 = base's last step
 *   varint  changed entries, each: varint (ref << 3 | tag), ref 0 = new key (string follows),
 *           ref k = the base's k-th key (1-based, key order); value payload
 *   varint  removed entries, each: varint index of the base's key (0-based)
 */
import { MAX_CHECKPOINT_BYTES, MAX_UNIMEM_ENTRIES } from './constants.js'
import { CheckpointError } from './errors.js'
import { ByteReader, ByteWriter, Unimem, compactTag, readCompactPayload, sameValue, writeCompactPayload } from './unimem.js'
import type { UnimemValue } from './unimem.js'

/** Version byte of the checkpoint and delta encodings. */
export const CHECKPOINT_FORMAT = 3
/** Bytes of the image hash a short reference keeps. */
export const SHORT_IMAGE_REF_BYTES = 4

const TERMINATED = 1
const HAS_NEXT = 2
const HAS_LAST = 4
const SHORT_REF = 8
const FLOAT_CLOCK = 16
const NO_CLOCK = 32
const KNOWN_FLAGS = TERMINATED | HAS_NEXT | HAS_LAST | SHORT_REF | FLOAT_CLOCK | NO_CLOCK
/** Entries of a name table a checkpoint may refer to (keeps every ref a small varint). */
export const MAX_CHECKPOINT_NAMES = 256

export interface CheckpointState {
  /** Hex sha256 of the image this state belongs to. */
  imageHash: string
  imageName: string
  /** Step that runs next; undefined when terminated or the EF has no step graph. */
  step?: string
  lastStep?: string
  terminated: boolean
  unimem: Array<[string, UnimemValue]>
  /** Sequence number the EF's next output will carry. */
  outputSeq: number
  /** EF clock (ms) when taken. */
  clock: number
  /** Steps completed since the first boot. */
  steps: number
}

/** The image a short-ref checkpoint belongs to, as the receiver already knows it. */
export interface KnownImage {
  /** hex sha256 */
  hash: string
  name: string
}

export interface EncodeCheckpointOptions {
  /** Write a 4-byte image reference instead of the full hash and name @default false */
  shortImageRef?: boolean
  /** Name table: keys and step names found here are written as their 1-based index @default [] */
  names?: readonly string[]
  /** Leave the clock out (decodes as 0) @default false */
  omitClock?: boolean
}

export interface DecodeCheckpointOptions {
  /** Needed for a checkpoint with a short image reference; verified against it. */
  image?: KnownImage
  /** The name table the checkpoint was encoded with; needed when it refers to names. */
  names?: readonly string[]
}

/** Index lookup of a name table (1-based refs). */
function nameIndex (names: readonly string[] | undefined): Map<string, number> {
  const index = new Map<string, number>()
  if (names === undefined) return index
  for (let i = 0; i < names.length && i < MAX_CHECKPOINT_NAMES; i++) if (!index.has(names[i])) index.set(names[i], i + 1)
  return index
}

function writeNameRef (w: ByteWriter, name: string, index: Map<string, number>): void {
  const ref = index.get(name)
  if (ref === undefined) { w.varint(0); w.string(name) } else w.varint(ref)
}

function resolveName (r: ByteReader, ref: number, names: readonly string[] | undefined, what: string): string {
  if (ref === 0) return r.string(what)
  const name = names !== undefined && ref <= Math.min(names.length, MAX_CHECKPOINT_NAMES) ? names[ref - 1] : undefined
  if (name === undefined) throw new CheckpointError(`checkpoint: ${what} refers to name ${ref}, the name table has ${names?.length ?? 0}`)
  return name
}

const isWholeMs = (x: number): boolean => Number.isSafeInteger(x) && x >= 0
const zig = (n: number): number => n >= 0 ? n * 2 : -n * 2 - 1
const unzig = (z: number): number => z % 2 === 0 ? z / 2 : -(z + 1) / 2

function checkCounter (n: number, field: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new CheckpointError(`checkpoint: ${field} ${n} is not a non-negative integer`)
  return n
}

export function encodeCheckpoint (state: CheckpointState, options: EncodeCheckpointOptions = {}): Uint8Array {
  const hash = Buffer.from(state.imageHash, 'hex')
  if (hash.length !== 32) throw new CheckpointError(`checkpoint: imageHash "${state.imageHash.slice(0, 16)}" is not a hex sha256`)
  const short = options.shortImageRef === true
  const noClock = options.omitClock === true
  const floatClock = !noClock && !isWholeMs(state.clock)
  const index = nameIndex(options.names)
  const w = new ByteWriter()
  w.u8(CHECKPOINT_FORMAT)
  w.u8((state.terminated ? TERMINATED : 0) | (state.step !== undefined ? HAS_NEXT : 0) | (state.lastStep !== undefined ? HAS_LAST : 0) |
    (short ? SHORT_REF : 0) | (floatClock ? FLOAT_CLOCK : 0) | (noClock ? NO_CLOCK : 0))
  if (short) {
    w.bytes(hash.subarray(0, SHORT_IMAGE_REF_BYTES))
  } else {
    w.bytes(hash)
    w.string(state.imageName)
  }
  w.varint(checkCounter(state.steps, 'steps'))
  w.varint(checkCounter(state.outputSeq, 'outputSeq'))
  if (floatClock) w.f64(state.clock)
  else if (!noClock) w.varint(state.clock)
  if (state.step !== undefined) writeNameRef(w, state.step, index)
  if (state.lastStep !== undefined) writeNameRef(w, state.lastStep, index)
  const entries = Unimem.fromEntries(state.unimem).entries()
  w.varint(entries.length)
  for (const [key, value] of entries) {
    const tag = compactTag(value)
    const ref = index.get(key) ?? 0
    w.varint(ref * 8 + tag)
    if (ref === 0) w.string(key)
    writeCompactPayload(w, value, tag)
  }
  return w.finish()
}

/** The same checkpoint with a short image reference (or the full one back, given the image). */
export function recodeCheckpoint (bytes: Uint8Array, options: EncodeCheckpointOptions & DecodeCheckpointOptions): Uint8Array {
  return encodeCheckpoint(decodeCheckpoint(bytes, options), options)
}

/** Whether a checkpoint carries a short image reference. */
export function hasShortImageRef (bytes: Uint8Array): boolean {
  return bytes.length > 1 && bytes[0] === CHECKPOINT_FORMAT && (bytes[1] & SHORT_REF) !== 0
}

export function decodeCheckpoint (bytes: Uint8Array, options: DecodeCheckpointOptions = {}): CheckpointState {
  if (bytes.length > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`checkpoint: ${bytes.length} bytes, at most ${MAX_CHECKPOINT_BYTES}`)
  try {
    return readCheckpoint(new ByteReader(bytes), options)
  } catch (err) {
    if (err instanceof CheckpointError) throw err
    throw new CheckpointError(`checkpoint: does not decode: ${(err as Error).message}`)
  }
}

function readHeader (r: ByteReader, what: string): number {
  const version = r.u8(`${what} version`)
  if (version !== CHECKPOINT_FORMAT) throw new CheckpointError(`${what}: version ${version}, expected ${CHECKPOINT_FORMAT}`)
  const flags = r.u8(`${what} flags`)
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new CheckpointError(`${what}: unknown flags 0x${flags.toString(16)}`)
  if ((flags & TERMINATED) !== 0 && (flags & HAS_NEXT) !== 0) throw new CheckpointError(`${what}: terminated, yet names a next step`)
  if ((flags & NO_CLOCK) !== 0 && (flags & FLOAT_CLOCK) !== 0) throw new CheckpointError(`${what}: no clock, yet a float clock`)
  return flags
}

function readImage (r: ByteReader, flags: number, known?: KnownImage): KnownImage {
  if ((flags & SHORT_REF) === 0) {
    const hash = Buffer.from(r.bytes(32, 'imageHash')).toString('hex')
    return { hash, name: r.string('imageName') }
  }
  const ref = Buffer.from(r.bytes(SHORT_IMAGE_REF_BYTES, 'image ref')).toString('hex')
  if (known === undefined) throw new CheckpointError(`checkpoint: short image reference ${ref} and no known image to resolve it`)
  if (!known.hash.startsWith(ref)) throw new CheckpointError(`checkpoint: image reference ${ref} is not image ${known.name} ${known.hash.slice(0, 12)}`)
  return known
}

function readCheckpoint (r: ByteReader, options: DecodeCheckpointOptions): CheckpointState {
  const flags = readHeader(r, 'checkpoint')
  const image = readImage(r, flags, options.image)
  const steps = r.varint('steps')
  const outputSeq = r.varint('outputSeq')
  const clock = (flags & NO_CLOCK) !== 0 ? 0 : (flags & FLOAT_CLOCK) !== 0 ? r.f64('clock') : r.varint('clock')
  const step = (flags & HAS_NEXT) !== 0 ? resolveName(r, r.varint('step'), options.names, 'step') : undefined
  const lastStep = (flags & HAS_LAST) !== 0 ? resolveName(r, r.varint('lastStep'), options.names, 'lastStep') : undefined
  const n = r.count('unimem entries', MAX_UNIMEM_ENTRIES, 2)
  const unimem: Array<[string, UnimemValue]> = []
  for (let i = 0; i < n; i++) {
    const h = r.varint(`unimem[${i}] header`)
    const key = resolveName(r, Math.floor(h / 8), options.names, `unimem[${i}] key`)
    const prev = unimem.at(-1)?.[0]
    if (prev !== undefined && !(prev < key)) throw new CheckpointError(`checkpoint: unimem key "${key}" out of order after "${prev}"`)
    unimem.push([key, readCompactPayload(r, h % 8, `unimem["${key}"]`)])
  }
  r.end('checkpoint')
  return { imageHash: image.hash, imageName: image.name, step, lastStep, terminated: (flags & TERMINATED) !== 0, unimem, outputSeq, clock, steps }
}

function writeStepRef (w: ByteWriter, name: string, base: CheckpointState): void {
  if (name === base.step) w.varint(1)
  else if (name === base.lastStep) w.varint(2)
  else { w.varint(0); w.string(name) }
}

function readStepRef (r: ByteReader, base: CheckpointState, what: string): string {
  const ref = r.varint(what)
  const name = ref === 0 ? r.string(what) : ref === 1 ? base.step : ref === 2 ? base.lastStep : undefined
  if (name === undefined) throw new CheckpointError(`checkpoint delta: ${what} refers to ${ref}, which the base lacks`)
  return name
}

/** The delta that turns `base` into `next` (both of the same image); `omitClock` leaves the clock out. */
export function encodeCheckpointDelta (base: CheckpointState, next: CheckpointState, options: { omitClock?: boolean } = {}): Uint8Array {
  const noClock = options.omitClock === true
  const floatClock = !noClock && (!isWholeMs(next.clock) || !isWholeMs(base.clock))
  const w = new ByteWriter()
  w.u8(CHECKPOINT_FORMAT)
  w.u8((next.terminated ? TERMINATED : 0) | (next.step !== undefined ? HAS_NEXT : 0) | (next.lastStep !== undefined ? HAS_LAST : 0) |
    (floatClock ? FLOAT_CLOCK : 0) | (noClock ? NO_CLOCK : 0))
  w.varint(zig(checkCounter(next.steps, 'steps') - base.steps))
  w.varint(zig(checkCounter(next.outputSeq, 'outputSeq') - base.outputSeq))
  if (floatClock) w.f64(next.clock)
  else if (!noClock) w.varint(zig(next.clock - base.clock))
  if (next.step !== undefined) writeStepRef(w, next.step, base)
  if (next.lastStep !== undefined) writeStepRef(w, next.lastStep, base)
  const baseIndex = new Map(base.unimem.map(([k], i) => [k, i]))
  const entries = Unimem.fromEntries(next.unimem).entries()
  const changed = entries.filter(([k, v]) => { const i = baseIndex.get(k); return i === undefined || !sameValue(base.unimem[i][1], v) })
  w.varint(changed.length)
  for (const [key, value] of changed) {
    const tag = compactTag(value)
    const i = baseIndex.get(key)
    w.varint((i === undefined ? 0 : i + 1) * 8 + tag)
    if (i === undefined) w.string(key)
    writeCompactPayload(w, value, tag)
  }
  const present = new Set(entries.map(([k]) => k))
  const removed = base.unimem.flatMap(([k], i) => present.has(k) ? [] : [i])
  w.varint(removed.length)
  for (const i of removed) w.varint(i)
  return w.finish()
}

/** Applies a delta to the base it was made against; CheckpointError when it does not fit. */
export function applyCheckpointDelta (base: CheckpointState, delta: Uint8Array): CheckpointState {
  if (delta.length > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`checkpoint delta: ${delta.length} bytes, at most ${MAX_CHECKPOINT_BYTES}`)
  try {
    return readDelta(new ByteReader(delta), base)
  } catch (err) {
    if (err instanceof CheckpointError) throw err
    throw new CheckpointError(`checkpoint delta: does not decode: ${(err as Error).message}`)
  }
}

function readDelta (r: ByteReader, base: CheckpointState): CheckpointState {
  const flags = readHeader(r, 'checkpoint delta')
  if ((flags & SHORT_REF) !== 0) throw new CheckpointError('checkpoint delta: flag 8 (short image ref) has no meaning in a delta')
  const steps = checkCounter(base.steps + unzig(r.varint('steps')), 'steps')
  const outputSeq = checkCounter(base.outputSeq + unzig(r.varint('outputSeq')), 'outputSeq')
  const clock = (flags & NO_CLOCK) !== 0 ? base.clock : (flags & FLOAT_CLOCK) !== 0 ? r.f64('clock') : base.clock + unzig(r.varint('clock'))
  const step = (flags & HAS_NEXT) !== 0 ? readStepRef(r, base, 'step') : undefined
  const lastStep = (flags & HAS_LAST) !== 0 ? readStepRef(r, base, 'lastStep') : undefined
  const unimem = new Map(base.unimem)
  const n = r.count('changed entries', MAX_UNIMEM_ENTRIES, 2)
  for (let i = 0; i < n; i++) {
    const h = r.varint(`changed[${i}] header`)
    const ref = Math.floor(h / 8)
    if (ref > base.unimem.length) throw new CheckpointError(`checkpoint delta: changed[${i}] refers to key ${ref}, the base has ${base.unimem.length}`)
    const key = ref === 0 ? r.string(`changed[${i}] key`) : base.unimem[ref - 1][0]
    unimem.set(key, readCompactPayload(r, h % 8, `changed["${key}"]`))
  }
  const m = r.count('removed entries', base.unimem.length)
  for (let i = 0; i < m; i++) {
    const at = r.varint(`removed[${i}]`)
    if (at >= base.unimem.length) throw new CheckpointError(`checkpoint delta: removed[${i}] = ${at}, the base has ${base.unimem.length} keys`)
    unimem.delete(base.unimem[at][0])
  }
  r.end('checkpoint delta')
  if (unimem.size > MAX_UNIMEM_ENTRIES) throw new CheckpointError(`checkpoint delta: ${unimem.size} Unimem keys, at most ${MAX_UNIMEM_ENTRIES}`)
  const sorted = [...unimem].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
  return { imageHash: base.imageHash, imageName: base.imageName, step, lastStep, terminated: (flags & TERMINATED) !== 0, unimem: sorted, outputSeq, clock, steps }
}
