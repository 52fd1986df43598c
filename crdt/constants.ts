/**
 * Defaults and limits of crdt/. Init objects fall back to these with `??`.
 */

/** Encoding version written into every top-level CRDT message; decoders reject any other. */
export const CRDT_ENCODING_VERSION = 1

/**
 * Largest remote stamp lead over the local physical clock that `update()` accepts (ms). One
 * minute tolerates unsynchronised roadside clocks while stopping a peer whose clock is hours
 * ahead from pinning everyone's HLC to its future (Kulkarni et al. 2014, section 4: epsilon).
 */
export const DEFAULT_MAX_DRIFT_MS = 60_000

/**
 * The logical counter travels as uint32. A stamp at the maximum is rejected on receipt so
 * that `update()` can always add one without overflowing.
 */
export const MAX_LOGICAL = 0xffff_ffff

/**
 * How long a tombstone without an expiry is kept after its removal (ms). Replicas must see
 * every removal within this period (see README in crdt/index.ts); one day outlasts ordinary
 * partitions of a roadside mesh.
 */
export const DEFAULT_TOMBSTONE_GRACE_MS = 24 * 60 * 60 * 1000

/** Default time-to-live of an OR-set add (ms); 0 means elements never expire. */
export const DEFAULT_TTL_MS = 0

/** Bounds enforced by every decoder and on local operations. */
export interface CrdtLimits {
  /**
   * Largest encoded message accepted by a decoder (bytes)
   *
   * @default 8388608
   */
  maxMessageBytes: number

  /**
   * Most entries in one repeated field (map entries, OR-set adds or removes, summary items)
   *
   * @default 65536
   */
  maxEntries: number

  /**
   * Longest key or OR-set element (UTF-16 code units)
   *
   * @default 1024
   */
  maxKeyLength: number

  /**
   * Largest LWW value (bytes)
   *
   * @default 65536
   */
  maxValueBytes: number

  /**
   * Longest node id in a timestamp (UTF-16 code units); a PeerId string is about 52
   *
   * @default 256
   */
  maxNodeIdLength: number
}

export const DEFAULT_CRDT_LIMITS: Readonly<CrdtLimits> = Object.freeze({
  maxMessageBytes: 8 * 1024 * 1024,
  maxEntries: 65_536,
  maxKeyLength: 1024,
  maxValueBytes: 65_536,
  maxNodeIdLength: 256
})

/** Fills the missing fields of a partial limits object with the defaults. */
export function resolveLimits (limits?: Partial<CrdtLimits>): CrdtLimits {
  return {
    maxMessageBytes: limits?.maxMessageBytes ?? DEFAULT_CRDT_LIMITS.maxMessageBytes,
    maxEntries: limits?.maxEntries ?? DEFAULT_CRDT_LIMITS.maxEntries,
    maxKeyLength: limits?.maxKeyLength ?? DEFAULT_CRDT_LIMITS.maxKeyLength,
    maxValueBytes: limits?.maxValueBytes ?? DEFAULT_CRDT_LIMITS.maxValueBytes,
    maxNodeIdLength: limits?.maxNodeIdLength ?? DEFAULT_CRDT_LIMITS.maxNodeIdLength
  }
}
