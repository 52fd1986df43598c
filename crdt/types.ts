/**
 * Interfaces every replicated document implements, so the sync protocol (protocols/) and the
 * store can treat LWW maps, OR-sets and max registers alike.
 */
import type { ClockDriftError, InvalidTimestampError } from './errors.js'
import type { CrdtKind } from './pb/crdt.js'

export interface AbortOptions {
  signal?: AbortSignal
}

export interface MergeOptions {
  /**
   * Skip the drift check because the data is the replica's own (reloaded from its store);
   * the clock still moves past every stamp
   *
   * @default false
   */
  trusted?: boolean
}

/** An incoming entry that merge refused because its stamp failed the clock check. */
export interface RejectedEntry {
  /** the key, element or tag the entry was for */
  id: string
  error: ClockDriftError | InvalidTimestampError
}

/**
 * Byte-level view for anti-entropy: a peer sends its digest; if digests differ it sends its
 * summary, the other side answers with `diffBytes(summary)` (only what the sender lacks or has
 * older) and its own summary, and so on. All decoding errors are InvalidCrdtMessageError.
 */
export interface CrdtDocument<Change> {
  readonly kind: CrdtKind
  /** the whole state, encoded (a delta that contains everything) */
  encodeState(): Uint8Array
  /** decodes and merges an encoded delta or state */
  mergeBytes(bytes: Uint8Array, options?: MergeOptions): Change
  /** hex SHA-256 over the canonical state; equal on replicas with equal state */
  digest(): string
  /** compact description of what this replica holds */
  encodeSummary(): Uint8Array
  /** encoded delta of what the holder of `summary` lacks or has older; undefined if nothing */
  diffBytes(summary: Uint8Array): Uint8Array | undefined
}

/** One record to write (value) or delete (undefined) in the document's store namespace. */
export interface DirtyRecord {
  key: string
  value: Uint8Array | undefined
}

/**
 * Record-level persistence used by CrdtStore: each record is a small encoded delta (one map
 * entry, one OR-set tag), so a change rewrites only the records it touched.
 */
export interface PersistentDocument {
  /** keys of the records changed since the last `takeDirty` */
  dirtyKeys(): string[]
  /** encodes the changed records (undefined = delete) and forgets them */
  takeDirty(): DirtyRecord[]
  /** marks records as changed again (after a failed write) */
  markDirty(keys: Iterable<string>): void
  clearDirty(): void
  /** merges one stored record (trusted: no drift check) */
  loadRecord(bytes: Uint8Array): void
}

export type ReplicatedDocument<Change> = CrdtDocument<Change> & PersistentDocument
