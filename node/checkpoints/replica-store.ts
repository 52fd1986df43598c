/**
 * The replica side: per EF instance, the newest checkpoint by (epoch, step seq), kept in
 * the peer's `checkpoints` sublevel under `rec/<instance>` (compact form, next to its
 * descriptor). Writing a newer version replaces the old one in the same put, so old
 * checkpoints are collected as they are superseded; `collect()` drops copies whose epoch
 * a newer host has left behind.
 *
 * Writes go out in order, one per instance at a time, the newest winning, and a store is
 * acked only once its write is done: the host counts the ack towards its quorum, and a
 * replica acking from memory lost the only copy to a kill -9 in the chaos run (quorum 1 of
 * 2, first copy of an instance, write still queued).
 */
import { decodeWireCheckpoint, ReplicaRecord, type HolderVersion } from '../../protocols/index.js'
import type { CheckpointState } from '../../unikernels/index.js'
import type { Sublevel } from '../store.js'

const PREFIX = 'rec/'

export interface StoredVersion { epoch: number, seq: number }

export function newer (a: StoredVersion, b: StoredVersion | undefined): boolean {
  if (b === undefined) return true
  return a.epoch !== b.epoch ? a.epoch > b.epoch : a.seq > b.seq
}

export function versionOf (r: ReplicaRecord): StoredVersion {
  return { epoch: Number(r.epoch), seq: Number(r.seq) }
}

/**
 * A copy may be collected once a newer one is stored on another peer. A newer host claim is
 * not enough: an attach that claims an epoch and then fails (its holders unreachable, a
 * newer copy it could not fetch) stores nothing, and collecting on the claim alone dropped
 * the only copies of the state a minute later, so no host could ever resume it.
 */
export function supersededByStored (r: ReplicaRecord, holders: readonly HolderVersion[], self: string): boolean {
  const mine = versionOf(r)
  return holders.some((h) => h.peer !== self && newer(h, mine))
}

export class ReplicaStore {
  private readonly db: Sublevel
  private readonly records = new Map<string, ReplicaRecord>()
  /** decoded checkpoint of each record, so a delta does not decode its base again */
  private readonly states = new Map<string, CheckpointState>()
  /**
   * the version replaced last and its state: a delta the host made before our newest
   * ack reached it (one store in flight per replica) still applies
   */
  private readonly previous = new Map<string, { version: StoredVersion, state: CheckpointState }>()
  /** the queued write of each instance whose newest record is not on disk yet */
  private readonly queued = new Map<string, Promise<void>>()
  private tail: Promise<void> = Promise.resolve()

  constructor (db: Sublevel) {
    this.db = db
  }

  /** Loads every stored record; a record (or its checkpoint) that does not decode is dropped (counted). */
  async open (): Promise<{ loaded: number, dropped: number }> {
    let loaded = 0
    let dropped = 0
    for await (const [key, value] of this.db.iterator({ gte: PREFIX, lt: PREFIX + '\xff' })) {
      try {
        const r = ReplicaRecord.decode(value)
        // a copy in an older checkpoint format cannot resume anything: drop it like a torn one
        if (r.descriptor === undefined) throw new Error('no descriptor')
        this.states.set(r.instance, decodeWireCheckpoint(r.checkpoint, r.descriptor))
        this.records.set(r.instance, r)
        loaded++
      } catch {
        dropped++
        await this.db.del(key)
      }
    }
    return { loaded, dropped }
  }

  get (instance: string): ReplicaRecord | undefined {
    return this.records.get(instance)
  }

  all (): ReplicaRecord[] {
    return [...this.records.values()]
  }

  /** The state of `instance` at exactly `version`: the record held, or the one it replaced. */
  stateAt (instance: string, version: StoredVersion): CheckpointState | undefined {
    const have = this.version(instance)
    if (have !== undefined && have.epoch === version.epoch && have.seq === version.seq) return this.state(instance)
    const prev = this.previous.get(instance)
    return prev !== undefined && prev.version.epoch === version.epoch && prev.version.seq === version.seq ? prev.state : undefined
  }

  /** The decoded checkpoint of the record held for `instance`. */
  state (instance: string): CheckpointState | undefined {
    const s = this.states.get(instance)
    if (s !== undefined) return s
    const r = this.records.get(instance)
    if (r?.descriptor === undefined) return undefined
    const decoded = decodeWireCheckpoint(r.checkpoint, r.descriptor)
    this.states.set(instance, decoded)
    return decoded
  }

  /**
   * Holds `r` (with its decoded `state`, if known) if it is newer than what we hold, and
   * resolves once it is on disk; false when it is not newer.
   */
  async put (r: ReplicaRecord, state?: CheckpointState): Promise<boolean> {
    const was = this.version(r.instance)
    if (!newer(versionOf(r), was)) return false
    const wasState = this.states.get(r.instance)
    if (was !== undefined && wasState !== undefined) this.previous.set(r.instance, { version: was, state: wasState })
    this.records.set(r.instance, r)
    if (state === undefined) this.states.delete(r.instance)
    else this.states.set(r.instance, state)
    // a write still queued takes this record along; its failure is this record's too
    let write = this.queued.get(r.instance)
    if (write === undefined) {
      write = this.tail.then(async () => {
        // the newest record when the write's turn comes: intermediate versions are skipped
        this.queued.delete(r.instance)
        const newest = this.records.get(r.instance)
        if (newest !== undefined) await this.db.put(PREFIX + r.instance, ReplicaRecord.encode(newest))
      })
      this.queued.set(r.instance, write)
      this.tail = write.catch(() => {})
    }
    await write
    return true
  }

  version (instance: string): StoredVersion | undefined {
    const r = this.records.get(instance)
    return r === undefined ? undefined : versionOf(r)
  }

  async delete (instance: string): Promise<void> {
    this.states.delete(instance)
    this.previous.delete(instance)
    if (!this.records.delete(instance)) return
    const write = this.tail.then(async () => { await this.db.del(PREFIX + instance) })
    this.tail = write.catch(() => {})
    await write
  }

  /** Drops copies that `superseded(record)` says a newer epoch has left behind for longer than `afterMs`. */
  async collect (superseded: (r: ReplicaRecord) => boolean, afterMs: number, now = Date.now()): Promise<string[]> {
    const gone = this.all().filter((r) => superseded(r) && now - r.storedAt > afterMs).map((r) => r.instance)
    for (const instance of gone) await this.delete(instance)
    return gone
  }

  async flushed (): Promise<void> {
    await this.tail
  }
}
