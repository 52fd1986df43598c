/**
 * OR-set wire types, ordering helpers and codec (split from or-set.ts to keep files small).
 */
import { checkKey, checkSafeUint, compareStrings, decodeTopLevel, stampFromPb, stampToPb } from './codec.js'
import { CRDT_ENCODING_VERSION, resolveLimits } from './constants.js'
import { InvalidCrdtMessageError } from './errors.js'
import { compareTimestamps, maxTimestamp } from './hlc.js'
import { CrdtKind, OrSet as PbOrSet, OrSetSummary as PbOrSetSummary } from './pb/crdt.js'
import type { CrdtLimits } from './constants.js'
import type { Timestamp } from './hlc.js'
import type { OrSetRemove as PbOrSetRemove } from './pb/crdt.js'

/** An add of `element` under the unique tag `tag`; expiresAt is ms since epoch, 0 = never. */
export interface OrSetAdd {
  readonly element: string
  readonly tag: Timestamp
  readonly expiresAt: number
}

/** Tombstone of the add tagged `tag`, removed at `removed`; expiresAt copies the add's. */
export interface OrSetRemove {
  readonly tag: Timestamp
  readonly removed: Timestamp
  readonly expiresAt: number
}

/** A delta, or a full state: adds and tombstones. */
export interface OrSetDelta {
  adds: OrSetAdd[]
  removes: OrSetRemove[]
}

/** Tags the holder knows as live adds, and its tombstones. */
export interface OrSetSummary {
  live: Timestamp[]
  removed: OrSetRemove[]
}

export function isExpired (expiresAt: number, now: number): boolean {
  return expiresAt !== 0 && expiresAt <= now
}

/** Two adds with one tag only come from a node replaying stamps; pick one deterministically. */
export function compareAdds (a: OrSetAdd, b: OrSetAdd): -1 | 0 | 1 {
  const byElement = compareStrings(a.element, b.element)
  if (byElement !== 0) return byElement
  if (a.expiresAt === b.expiresAt) return 0
  return laterExpiry(a.expiresAt, b.expiresAt) === a.expiresAt ? 1 : -1
}

/** Later of two expiries where 0 means never (so it is the latest). */
function laterExpiry (a: number, b: number): number {
  if (a === 0 || b === 0) return 0
  return Math.max(a, b)
}

/** Join of two tombstones of one tag: the latest removal and the latest expiry (keeps it longest). */
export function mergeTombstones (a: OrSetRemove, b: OrSetRemove): OrSetRemove {
  return { tag: a.tag, removed: maxTimestamp(a.removed, b.removed), expiresAt: laterExpiry(a.expiresAt, b.expiresAt) }
}

export function sameTombstone (a: OrSetRemove, b: OrSetRemove): boolean {
  return compareTimestamps(a.removed, b.removed) === 0 && a.expiresAt === b.expiresAt
}

export function encodeOrSet (delta: OrSetDelta): Uint8Array {
  return PbOrSet.encode({
    version: CRDT_ENCODING_VERSION,
    kind: CrdtKind.OR_SET,
    adds: delta.adds.map(a => ({ element: a.element, tag: stampToPb(a.tag), expiresAt: a.expiresAt })),
    removes: delta.removes.map(removeToPb)
  })
}

function removeToPb (r: OrSetRemove): PbOrSetRemove {
  return { tag: stampToPb(r.tag), removed: stampToPb(r.removed), expiresAt: r.expiresAt }
}

function removeFromPb (r: PbOrSetRemove, field: string, limits: CrdtLimits): OrSetRemove {
  checkSafeUint(r.expiresAt, `${field}.expiresAt`)
  const tag = stampFromPb(r.tag, `${field}.tag`, limits)
  const removed = stampFromPb(r.removed, `${field}.removed`, limits)
  if (compareTimestamps(removed, tag) < 0) {
    throw new InvalidCrdtMessageError(`${field}.removed is earlier than ${field}.tag: a remove must follow the add it observed`)
  }
  return { tag, removed, expiresAt: r.expiresAt }
}

/** Decodes an OR-set delta or state; throws InvalidCrdtMessageError naming what was wrong. */
export function decodeOrSet (bytes: Uint8Array, limits?: Partial<CrdtLimits>): OrSetDelta {
  const l = resolveLimits(limits)
  const msg = decodeTopLevel('OrSet', CrdtKind.OR_SET, bytes, l, b => PbOrSet.decode(b, { limits: { adds: l.maxEntries, removes: l.maxEntries } }))
  const adds = msg.adds.map((a, i): OrSetAdd => {
    const field = `OrSet.adds[${i}]`
    checkKey(a.element, `${field}.element`, l)
    checkSafeUint(a.expiresAt, `${field}.expiresAt`)
    return { element: a.element, tag: stampFromPb(a.tag, `${field}.tag`, l), expiresAt: a.expiresAt }
  })
  const removes = msg.removes.map((r, i) => removeFromPb(r, `OrSet.removes[${i}]`, l))
  return { adds, removes }
}

export function encodeOrSetSummary (summary: OrSetSummary): Uint8Array {
  return PbOrSetSummary.encode({
    version: CRDT_ENCODING_VERSION,
    kind: CrdtKind.OR_SET_SUMMARY,
    live: summary.live.map(stampToPb),
    removed: summary.removed.map(removeToPb)
  })
}

export function decodeOrSetSummary (bytes: Uint8Array, limits?: Partial<CrdtLimits>): OrSetSummary {
  const l = resolveLimits(limits)
  const msg = decodeTopLevel('OrSetSummary', CrdtKind.OR_SET_SUMMARY, bytes, l, b => PbOrSetSummary.decode(b, { limits: { live: l.maxEntries, removed: l.maxEntries } }))
  return {
    live: msg.live.map((t, i) => stampFromPb(t, `OrSetSummary.live[${i}]`, l)),
    removed: msg.removed.map((r, i) => removeFromPb(r, `OrSetSummary.removed[${i}]`, l))
  }
}
