/**
 * @packageDocumentation
 * Replicated data types of the ECCO mesh: a hybrid logical clock, last-writer-wins register
 * and map, an add-wins OR-set with TTL and tombstone GC, and max registers. Pure data types
 * with a versioned protobuf encoding (protons) and LevelDB persistence; no networking. The
 * sync protocol (protocols/) moves their bytes: deltas on gossip, and on each new connection
 * an anti-entropy exchange of digest, summary and `diffBytes(summary)`.
 *
 * Every merge is commutative, associative and idempotent (test/crdt/ checks this with
 * fast-check over random histories and delivery orders), so replicas that have received the
 * same deltas in any order, with duplicates, hold the same state and the same `digest()`.
 *
 * GC assumption. A tombstone (LWW delete, OR-set remove) is dropped `tombstoneGraceMs`
 * (default 24 h) after the removal. Within the grace period nothing can come back. After it,
 * a replica that still holds the removed entry and has NOT seen the removal could reintroduce
 * it, so the mesh must deliver every removal to every replica within the grace period
 * (anti-entropy on every connection, partitions shorter than the grace). An OR-set tombstone
 * whose add has a TTL is also dropped as soon as that add expires; that case needs no
 * assumption, since a late copy of an expired add is discarded on arrival.
 *
 * Clock assumption. Remote stamps more than `maxDriftMs` (default 60 s) ahead of the local
 * physical clock are rejected (ClockDriftError, reported per entry by merge), so one peer
 * with a wrong clock cannot pin every HLC to its future. TTLs are measured on the physical
 * clocks, so replicas may disagree about an expiry for as long as their clocks differ.
 *
 * @example
 * ```ts
 * import { Level } from 'level'
 * import { createHybridLogicalClock, createLwwMap, createCrdtStore } from '../crdt/index.js'
 *
 * const clock = createHybridLogicalClock({ nodeId: peerId.toString() })
 * const registry = createLwwMap({ clock })
 * const store = createCrdtStore({ db: level.sublevel('crdt', { valueEncoding: 'view' }) })
 * await store.load('registry', registry)
 *
 * const delta = registry.set(peerId.toString(), encodedPeerState)
 * await store.save('registry', registry)             // one atomic batch
 * publish(registry.encodeDelta(delta))               // gossip the delta
 *
 * // on receipt of a delta or a full state
 * const { changed, rejected } = registry.mergeBytes(bytes)
 *
 * // anti-entropy: send what the other replica lacks
 * const reply = registry.diffBytes(theirSummaryBytes) // undefined when nothing to send
 * ```
 */
export * from './constants.js'
export * from './errors.js'
export * from './types.js'
export * from './hlc.js'
export type { LwwEntry } from './lww-entry.js'
export { compareLwwEntries } from './lww-entry.js'
export * from './lww-register.js'
export * from './lww-map.js'
export * from './or-set.js'
export type { OrSetAdd, OrSetRemove, OrSetDelta, OrSetSummary } from './or-set-codec.js'
export { decodeOrSet, encodeOrSet, decodeOrSetSummary, encodeOrSetSummary } from './or-set-codec.js'
export * from './max-register.js'
export * from './max-map.js'
export * from './store.js'
export { CrdtKind } from './pb/crdt.js'
/** The generated protons codecs, for protocols that embed or inspect CRDT messages. */
export * as crdtPb from './pb/crdt.js'
