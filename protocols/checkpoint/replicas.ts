/**
 * Deterministic replica choice: the peers closest to an EF instance in DHT key space
 * (XOR of sha256 digests, as Kademlia orders keys). Every peer that sees the same
 * candidates computes the same replica set and the same resumer.
 */
import { createHash } from 'node:crypto'

export function sha256 (bytes: Uint8Array | string): Uint8Array {
  return createHash('sha256').update(bytes).digest()
}

/** DHT key of an EF instance. */
export function instanceKey (instance: string): Uint8Array {
  return sha256(`/ecco/ef/${instance}`)
}

/** Compares the XOR distances of a and b to key: negative when a is closer. */
export function compareDistance (key: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < key.length; i++) {
    const da = (a[i] ?? 0) ^ key[i]
    const db = (b[i] ?? 0) ^ key[i]
    if (da !== db) return da - db
  }
  return 0
}

/** Candidates (PeerId strings) ordered by XOR distance of sha256(PeerId) to the instance key. */
export function orderByDistance (instance: string, candidates: Iterable<string>): string[] {
  const key = instanceKey(instance)
  const hashed = [...new Set(candidates)].map((id) => ({ id, h: sha256(id) }))
  hashed.sort((x, y) => compareDistance(key, x.h, y.h) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
  return hashed.map((x) => x.id)
}

/** The k replicas of an instance among `candidates`, never the host itself. */
export function chooseReplicas (instance: string, candidates: Iterable<string>, k: number, host: string): string[] {
  return orderByDistance(instance, [...candidates].filter((c) => c !== host)).slice(0, k)
}

/**
 * The peer that resumes an instance whose host is gone: the live holder closest to the
 * instance key. Closeness, not checkpoint freshness, decides, so holders with different
 * views of who has what still agree; the resumer then fetches the newest from the others.
 */
export function chooseResumer (instance: string, liveHolders: Iterable<string>): string | undefined {
  return orderByDistance(instance, liveHolders)[0]
}
