/**
 * The registry map, persisted in the `crdt` sublevel: every change is saved
 * as one atomic batch (coalesced per tick), and reloaded on restart.
 */
import { CrdtStore } from '../crdt/index.js'
import { createRegistryMap, REGISTRY_DOCUMENT, type LwwRegistryMap, type ReplicatedMap } from '../protocols/index.js'
import type { Sublevel } from './store.js'

export interface PersistentRegistry {
  map: ReplicatedMap
  flush: () => Promise<void>
}

export async function openRegistryMap (db: Sublevel, nodeId: string, onError: (err: Error) => void): Promise<PersistentRegistry> {
  const store = new CrdtStore({ db })
  const inner: LwwRegistryMap = createRegistryMap(nodeId)
  await store.load(REGISTRY_DOCUMENT, inner.map)
  let pending: Promise<void> | undefined
  const save = (): void => {
    pending ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        pending = undefined
        store.save(REGISTRY_DOCUMENT, inner.map).then(() => { resolve() }, (err: Error) => { onError(err); resolve() })
      })
    })
  }
  const map: ReplicatedMap = {
    set: (key, value) => { const d = inner.set(key, value); save(); return d },
    merge: (encoded, filter, dryRun) => { const changed = inner.merge(encoded, filter, dryRun); if (changed.length > 0) save(); return changed },
    get: (key) => inner.get(key),
    keys: () => inner.keys(),
    deltaOf: (key) => inner.deltaOf(key),
    digest: () => inner.digest(),
    summary: () => inner.summary(),
    diff: (s) => inner.diff(s)
  }
  return {
    map,
    flush: async () => {
      await pending
      await store.save(REGISTRY_DOCUMENT, inner.map)
      await store.flushed()
    }
  }
}
