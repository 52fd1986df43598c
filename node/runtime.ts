/**
 * Process-wide tuning for a process that hosts peers (the bins, the one-process
 * sim and the benches), applied once by the entry point, never by a factory.
 *
 * V8 grows the old generation to up to four times the live heap between full
 * collections when the mutator seems to have CPU to spare. A peer allocates
 * about 1 MB/s while idle (frames, timers, CRDT summaries) but keeps only a few
 * MB live, so the heap sat at ~5x its live size: 20 idle peers in one process
 * held 900 MB resident for 90 MB live. Growing by 25 % instead halves the
 * resident memory at the same idle CPU (measured in bench:mesh).
 *
 * Hosting a hundred peers or more on a thread is another trade. Every stream
 * keeps a read pending (promises, iterator results) that lives until its next
 * message, a second or two later. With V8's default young generation here
 * (semi-spaces of at most 32 MB, a scavenge every few hundred ms at that
 * allocation rate) those outlived two scavenges, were promoted and died in the
 * old generation, where only full collections reclaim them: 60 peers on one
 * thread promoted about 55 MB/s and ran a full collection every 4 s, and
 * V8's four GC threads together took most of a core while 200 peers on two
 * shards started. Semi-spaces of 64 MB let most of them die young. With a
 * hundred peers a thread still allocates about 130 MB/s, and a scavenge
 * stops the thread for 35-40 ms whatever the semi-space size (what survives
 * is the pending reads, which are the same): 64 MB made that three pauses a
 * second, and every emulated link delivery due in one came late. 256 MB
 * makes it one every two seconds (bench:sim, 200 peers: on-time chunks 32%
 * to 67%, steady CPU 139% to 56%, RSS 1.8 to 3.1 GB).
 *
 * The Node we pin (24.21) cuts Buffers under 32 KB out of a shared 64 KB pool
 * (8 KB from 2015 until nodejs/node#63597), and a small Buffer that lives on
 * keeps its whole slab alive. A peer keeps many: PeerId digests, multiaddr
 * bytes, kad-dht distances, each a few dozen bytes of a message buffer cut
 * from the pool. A heap snapshot of a shard with 30 peers held 1427 such
 * slabs, 93 MB of its 225 MB; at 8 KB the resident memory of 200 peers on
 * two shards fell from 3.1 to 1.8 GB.
 */
import { setFlagsFromString } from 'node:v8'

/** old generation growth between full collections, in percent of the live heap */
export const HEAP_GROWING_PERCENT = 25

/** semi-space MB for processes that host many peers per thread (sim-net, bench:sim) */
export const SIM_SEMI_SPACE_MB = 256

/** bytes of Node's small-Buffer pool: the 8 KB of Node before nodejs/node#63597 */
export const BUFFER_POOL_BYTES = 8 * 1024

export interface HeapTuning {
  /** @default HEAP_GROWING_PERCENT */
  growingPercent?: number
  /**
   * The young generation's semi-space size in MB for isolates created from
   * now on (worker threads such as sim-net's shards): V8 reads it when it
   * builds a heap, so the calling thread's own heap keeps its size. Unset:
   * V8's default, right for a process with one peer.
   */
  semiSpaceMb?: number
}

export function tuneHeapForPeers (tuning: HeapTuning = {}): void {
  tuneBufferPool()
  const percent = tuning.growingPercent ?? HEAP_GROWING_PERCENT
  if (!Number.isInteger(percent) || percent < 1) throw new RangeError(`heap growing percent must be a positive integer, got ${percent}`)
  setFlagsFromString(`--heap-growing-percent=${percent}`)
  const semi = tuning.semiSpaceMb
  if (semi === undefined) return
  if (!Number.isInteger(semi) || semi < 1 || semi > 1024) throw new RangeError(`semi-space size must be an integer number of MB in 1-1024, got ${semi}`)
  // the minimum raises the maximum with it; a maximum alone grows only when survival is high
  setFlagsFromString(`--min-semi-space-size=${semi}`)
  setFlagsFromString(`--max-semi-space-size=${semi}`)
}

/**
 * The small-Buffer pool belongs to the thread (each isolate has its own
 * Buffer), so a worker that hosts peers calls this itself; tuneHeapForPeers
 * does it for the thread that calls it.
 */
export function tuneBufferPool (bytes = BUFFER_POOL_BYTES): void {
  Buffer.poolSize = bytes
}
