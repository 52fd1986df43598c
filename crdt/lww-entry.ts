/**
 * Last-writer-wins entries shared by LwwRegister and LwwMap: the order that decides which
 * write wins, and the conversion to and from the wire form.
 */
import { checkKey, compareBytes, stampFromPb, stampToPb } from './codec.js'
import { InvalidCrdtArgumentError, InvalidCrdtMessageError } from './errors.js'
import { compareTimestamps } from './hlc.js'
import type { CrdtLimits } from './constants.js'
import type { Timestamp } from './hlc.js'
import type { LwwEntry as PbLwwEntry } from './pb/crdt.js'

export interface LwwEntry {
  readonly key: string
  readonly stamp: Timestamp
  /** undefined marks a tombstone: the key was deleted at `stamp` */
  readonly value?: Uint8Array
}

/**
 * Winner order: the later stamp wins. Equal stamps come only from a node replaying a stamp
 * with other content (a bug or a wiped clock); ordering them too (tombstone over value, then
 * bytes) keeps merge a deterministic join even then.
 */
export function compareLwwEntries (a: LwwEntry, b: LwwEntry): -1 | 0 | 1 {
  const byStamp = compareTimestamps(a.stamp, b.stamp)
  if (byStamp !== 0) return byStamp
  if (a.value === undefined || b.value === undefined) {
    if (a.value === b.value) return 0
    return a.value === undefined ? 1 : -1
  }
  return compareBytes(a.value, b.value)
}

export function lwwEntryToPb (entry: LwwEntry): PbLwwEntry {
  return { key: entry.key, stamp: stampToPb(entry.stamp), value: entry.value }
}

/** Validates and copies a decoded entry (copy: the decoder returns views into the input buffer). */
export function lwwEntryFromPb (entry: PbLwwEntry, field: string, limits: CrdtLimits): LwwEntry {
  checkKey(entry.key, `${field}.key`, limits)
  const stamp = stampFromPb(entry.stamp, `${field}.stamp`, limits)
  if (entry.value === undefined) return { key: entry.key, stamp }
  if (entry.value.byteLength > limits.maxValueBytes) {
    throw new InvalidCrdtMessageError(`${field}.value is ${entry.value.byteLength} bytes, max ${limits.maxValueBytes}`)
  }
  return { key: entry.key, stamp, value: new Uint8Array(entry.value) }
}

/** Checks the arguments of a local write against the limits. */
export function checkLocalWrite (key: string, value: Uint8Array | undefined, limits: CrdtLimits): void {
  if (typeof key !== 'string') {
    throw new InvalidCrdtArgumentError('key must be a string')
  }
  if (key.length > limits.maxKeyLength) {
    throw new InvalidCrdtArgumentError(`key is ${key.length} characters long, max ${limits.maxKeyLength}`)
  }
  if (value === undefined) return
  if (!(value instanceof Uint8Array)) {
    throw new InvalidCrdtArgumentError(`value for key "${key}" must be a Uint8Array`)
  }
  if (value.byteLength > limits.maxValueBytes) {
    throw new InvalidCrdtArgumentError(`value for key "${key}" is ${value.byteLength} bytes, max ${limits.maxValueBytes}`)
  }
}
