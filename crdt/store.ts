/**
 * LevelDB persistence of named CRDT documents. Each document lives under the key prefix
 * `<name>/` of the given (sublevel) database, one record per map entry or OR-set tag, and
 * every save writes all records changed since the last save in ONE batch, which LevelDB
 * applies atomically: a `kill -9` leaves either the old or the new records, never half.
 */
import { CrdtStoreError, InvalidCrdtArgumentError } from './errors.js'
import type { AbortOptions, PersistentDocument } from './types.js'

export type CrdtBatchOperation =
  | { type: 'put', key: string, value: Uint8Array }
  | { type: 'del', key: string }

/**
 * The slice of a Level database the store uses; `level`'s
 * `db.sublevel('crdt', { valueEncoding: 'view' })` satisfies it.
 */
export interface CrdtDatabase {
  batch(operations: CrdtBatchOperation[]): Promise<void>
  iterator(options: { gte: string, lt: string }): AsyncIterable<[string, Uint8Array]>
}

export interface CrdtStoreComponents {
  db: CrdtDatabase
}

/** Names may contain letters, digits and `._:-` so the `/` separator stays unambiguous. */
const NAME = /^[\w.:-]{1,128}$/

export class CrdtStore {
  readonly #db: CrdtDatabase
  /** batches are chained so that a later save never lands before an earlier one */
  #tail: Promise<void> = Promise.resolve()

  constructor (components: CrdtStoreComponents) {
    this.#db = components.db
  }

  /**
   * Merges every stored record of `name` into `doc` (trusted: no drift check, the clock still
   * advances past the stored stamps). Call before using the document. Returns the record count.
   */
  async load (name: string, doc: PersistentDocument, options: AbortOptions = {}): Promise<number> {
    checkName(name)
    await this.#tail
    const pending = doc.dirtyKeys()
    let count = 0
    try {
      for await (const [key, value] of this.#db.iterator(range(name))) {
        options.signal?.throwIfAborted()
        try {
          doc.loadRecord(value)
        } catch (err) {
          throw new CrdtStoreError(`stored record "${key}" of document "${name}" is invalid: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
        }
        count++
      }
    } finally {
      // records that came from disk need no rewrite; changes made before load still do
      doc.clearDirty()
      doc.markDirty(pending)
    }
    return count
  }

  /**
   * Writes every record of `doc` changed since the last save in one atomic batch.
   * Returns the number of records written or deleted.
   */
  async save (name: string, doc: PersistentDocument, options: AbortOptions = {}): Promise<number> {
    checkName(name)
    options.signal?.throwIfAborted()
    const records = doc.takeDirty()
    if (records.length === 0) return 0
    const ops: CrdtBatchOperation[] = records.map(r => r.value === undefined
      ? { type: 'del', key: recordKey(name, r.key) }
      : { type: 'put', key: recordKey(name, r.key), value: r.value })
    const write = this.#tail.then(async () => { await this.#db.batch(ops) })
    this.#tail = write.catch(() => {})
    try {
      await write
    } catch (err) {
      doc.markDirty(records.map(r => r.key))
      throw new CrdtStoreError(`cannot save ${ops.length} records of document "${name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err })
    }
    return ops.length
  }

  /** Deletes every stored record of `name` in one batch. */
  async clear (name: string): Promise<void> {
    checkName(name)
    await this.#tail
    const ops: CrdtBatchOperation[] = []
    for await (const [key] of this.#db.iterator(range(name))) ops.push({ type: 'del', key })
    if (ops.length === 0) return
    const write = this.#tail.then(async () => { await this.#db.batch(ops) })
    this.#tail = write.catch(() => {})
    await write
  }

  /** Resolves when every save issued so far has been written. */
  async flushed (): Promise<void> {
    await this.#tail
  }
}

export function createCrdtStore (components: CrdtStoreComponents): CrdtStore {
  return new CrdtStore(components)
}

function checkName (name: string): void {
  if (!NAME.test(name)) {
    throw new InvalidCrdtArgumentError(`document name "${name}" must be 1-128 characters of letters, digits and ._:-`)
  }
}

function recordKey (name: string, key: string): string {
  return `${name}/${key}`
}

/** All keys starting with `<name>/`: '0' is the character after '/'. */
function range (name: string): { gte: string, lt: string } {
  return { gte: `${name}/`, lt: `${name}0` }
}
