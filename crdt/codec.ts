/**
 * Shared helpers of the binary encoding: bounded decoding of a top-level document into a
 * typed error, stamp conversion and validation, and the content digest.
 */
import { createHash } from 'node:crypto'
import { CRDT_ENCODING_VERSION } from './constants.js'
import { InvalidCrdtMessageError } from './errors.js'
import { validateTimestamp } from './hlc.js'
import type { CrdtKind } from './pb/crdt.js'
import type { CrdtLimits } from './constants.js'
import type { Timestamp } from './hlc.js'
import type { Timestamp as PbTimestamp } from './pb/crdt.js'

interface TopLevel {
  version: number
  kind: CrdtKind
}

/**
 * Runs a generated decoder under the size limit and turns every failure (garbage, truncation,
 * MaxLengthError from protons limits) into InvalidCrdtMessageError; then checks version and kind.
 */
export function decodeTopLevel<T extends TopLevel> (what: string, kind: CrdtKind, bytes: Uint8Array, limits: CrdtLimits, decode: (bytes: Uint8Array) => T): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidCrdtMessageError(`${what} must be a Uint8Array`)
  }
  if (bytes.byteLength > limits.maxMessageBytes) {
    throw new InvalidCrdtMessageError(`${what} is ${bytes.byteLength} bytes, max ${limits.maxMessageBytes}`)
  }
  let message: T
  try {
    message = decode(bytes)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new InvalidCrdtMessageError(`cannot decode ${what}: ${reason}`, { cause: err })
  }
  if (message.version === 0) {
    throw new InvalidCrdtMessageError(`${what} is missing field version`)
  }
  if (message.version !== CRDT_ENCODING_VERSION) {
    throw new InvalidCrdtMessageError(`${what}.version ${message.version} is not supported (expected ${CRDT_ENCODING_VERSION})`)
  }
  if (message.kind !== kind) {
    throw new InvalidCrdtMessageError(`${what}.kind must be ${kind}, got ${message.kind}`)
  }
  return message
}

/** Converts a decoded stamp, rejecting a missing or out-of-range one with the field path. */
export function stampFromPb (stamp: PbTimestamp | undefined, field: string, limits: CrdtLimits): Timestamp {
  if (stamp == null) {
    throw new InvalidCrdtMessageError(`missing field ${field}`)
  }
  try {
    validateTimestamp(stamp, field, limits.maxNodeIdLength)
  } catch (err) {
    throw new InvalidCrdtMessageError(err instanceof Error ? err.message : String(err), { cause: err })
  }
  return { wall: stamp.wall, logical: stamp.logical, node: stamp.node }
}

export function stampToPb (stamp: Timestamp): PbTimestamp {
  return { wall: stamp.wall, logical: stamp.logical, node: stamp.node }
}

export function checkKey (key: string, field: string, limits: CrdtLimits): void {
  if (key.length > limits.maxKeyLength) {
    throw new InvalidCrdtMessageError(`${field} is ${key.length} characters long, max ${limits.maxKeyLength}`)
  }
}

/** Checks an epoch/seq style uint64 that must be representable exactly in a JS number. */
export function checkSafeUint (value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidCrdtMessageError(`${field} must be a non-negative safe integer, got ${String(value)}`)
  }
}

/** Lexicographic byte order; a shorter prefix sorts first. */
export function compareBytes (a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1
  }
  if (a.byteLength === b.byteLength) return 0
  return a.byteLength < b.byteLength ? -1 : 1
}

/** Code-unit string order, the same order `timestampKey` and Level keys use. */
export function compareStrings (a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0
  return a < b ? -1 : 1
}

/** Hex SHA-256 of a canonical encoding; replicas with equal state produce equal digests. */
export function sha256Hex (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

