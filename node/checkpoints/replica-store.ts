/**
 * The replica side: per EF instance, the newest checkpoint by (epoch, step seq), kept in
 * the peer's `checkpoints` sublevel under `rec/<instance>`. Writing a newer version
 * replaces the old one in the same put, so old checkpoints are collected as they are
 * superseded; `collect()` drops copies whose epoch a newer host has left behind.
 */
import { ReplicaRecord } from '../../protocols/index.js'
import { decodeCheckpoint } from '../../unikernels/index.js'
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

export class ReplicaStore {
  private readonly db: Sublevel
  private readonly records = new Map<string, ReplicaRecord>()
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
        decodeCheckpoint(r.checkpoint)
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

  /** Stores `r` if it is newer than what we hold; resolves once it is on disk. */
  async put (r: ReplicaRecord): Promise<boolean> {
    if (!newer(versionOf(r), this.version(r.instance))) return false
    this.records.set(r.instance, r)
    const write = this.tail.then(async () => { await this.db.put(PREFIX + r.instance, ReplicaRecord.encode(r)) })
    this.tail = write.catch(() => {})
    await write
    return true
  }

  version (instance: string): StoredVersion | undefined {
    const r = this.records.get(instance)
    return r === undefined ? undefined : versionOf(r)
  }

  async delete (instance: string): Promise<void> {
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
