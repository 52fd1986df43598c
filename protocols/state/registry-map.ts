/**
 * The registry's ReplicatedMap on top of crdt's LWW map: a view in bytes,
 * with an entry filter applied before anything is merged.
 */
import { HybridLogicalClock, LwwMap } from '../../crdt/index.js'
import type { ReplicatedMap } from './index.js'

export type EntryFilter = (key: string, value: Uint8Array | undefined) => boolean

export class LwwRegistryMap implements ReplicatedMap {
  readonly map: LwwMap

  constructor (map: LwwMap) { this.map = map }

  set (key: string, value: Uint8Array): Uint8Array {
    return this.map.encodeDelta(this.map.set(key, value))
  }

  get (key: string): Uint8Array | undefined { return this.map.get(key) }

  keys (): string[] { return [...this.map.keys()] }

  merge (encoded: Uint8Array, filter?: EntryFilter, dryRun = false): string[] {
    const delta = this.map.decode(encoded)
    const accepted = filter === undefined ? delta.entries : delta.entries.filter((e) => filter(e.key, e.value))
    if (dryRun) return []
    // decoded values are views into a network buffer: keep copies of our own
    const entries = accepted.map((e) => e.value === undefined ? e : { ...e, value: e.value.slice() })
    return this.map.merge({ entries }).changed.map((c) => c.key)
  }

  deltaOf (key: string): Uint8Array {
    const e = this.map.entry(key)
    return this.map.encodeDelta({ entries: e === undefined ? [] : [e] })
  }

  digest (): string { return this.map.digest() }

  summary (): Uint8Array { return this.map.encodeSummary() }

  diff (remoteSummary: Uint8Array): Uint8Array {
    return this.map.diffBytes(remoteSummary) ?? new Uint8Array(0)
  }
}

/** A registry map whose stamps carry `nodeId` (the peer's id). */
export function createRegistryMap (nodeId: string): LwwRegistryMap {
  return new LwwRegistryMap(new LwwMap({ clock: new HybridLogicalClock({ nodeId }) }))
}
