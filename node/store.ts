/**
 * One LevelDB per peer. Every subsystem gets its own sublevel so that a
 * kill -9 leaves each consistent on its own (writes are batched per change).
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Level } from 'level'

import type { AbstractSublevel } from 'abstract-level'

export type Bytes = Uint8Array
export type PeerDb = Level<string, Bytes>
/** A Uint8Array-valued sublevel of the peer's LevelDB. */
export type Sublevel = AbstractSublevel<PeerDb, string | Bytes | Buffer, string, Bytes>

export const SUBLEVELS = ['identity', 'crdt', 'queues', 'checkpoints', 'images', 'offload'] as const
export type SublevelName = typeof SUBLEVELS[number]

export interface PeerStore {
  db: PeerDb
  sub: (name: SublevelName) => Sublevel
  close: () => Promise<void>
}

/**
 * A peer's data is small (registry, queues, checkpoints, a few images) and
 * its hot part lives in memory anyway; LevelDB's defaults (8 MiB block cache,
 * 4 MiB write buffer) were a third of an idle peer's resident memory.
 */
const LEVEL_CACHE_BYTES = 1024 * 1024
const LEVEL_WRITE_BUFFER_BYTES = 1024 * 1024

export async function openPeerStore (dataDir: string): Promise<PeerStore> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const db: PeerDb = new Level<string, Bytes>(join(dataDir, 'db'), {
    valueEncoding: 'view', cacheSize: LEVEL_CACHE_BYTES, writeBufferSize: LEVEL_WRITE_BUFFER_BYTES
  })
  await db.open()
  const subs = new Map<SublevelName, Sublevel>()
  return {
    db,
    sub: (name) => {
      let s = subs.get(name)
      if (s === undefined) {
        s = db.sublevel<string, Bytes>(name, { valueEncoding: 'view' })
        subs.set(name, s)
      }
      return s
    },
    close: async () => { if (db.status === 'open') await db.close() }
  }
}
