/** Prefix of the DHT key a peer provides for its geohash cell. */
export const CELL_KEY_PREFIX = '/ecco/cell/'
/** @see {@link CellDiscoveryInit.precision} */
export const DEFAULT_CELL_PRECISION = 6
/** @see {@link CellDiscoveryInit.intervalMs} */
export const DEFAULT_INTERVAL_MS = 60_000
/** a round asked for (first connection, own record out, new cell) starts after this delay */
export const FIRST_ROUND_DELAY_MS = 300
/** the pause after the first quiet round; it doubles with each quiet round up to the interval */
export const QUIET_ROUND_MIN_MS = 15_000
/**
 * A pause between rounds is shortened by up to this share, at random: peers
 * that start together (a road after a power cut, a simulated fleet) would
 * otherwise keep their rounds, and the DHT load, in step for good. Never
 * lengthened: the interval stays the longest pause.
 */
export const ROUND_PAUSE_JITTER = 0.2
/** @see {@link CellDiscoveryInit.roundTimeoutMs} */
export const DEFAULT_ROUND_TIMEOUT_MS = 60_000
/** @see {@link CellDiscoveryInit.lookupTimeoutMs} */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 15_000
/** @see {@link CellDiscoveryInit.provideTimeoutMs} */
export const DEFAULT_PROVIDE_TIMEOUT_MS = 60_000
/** a provide that failed or stored no record is retried after this, doubling up to PROVIDE_RETRY_MAX_MS */
export const PROVIDE_RETRY_MIN_MS = 1_000
export const PROVIDE_RETRY_MAX_MS = 30_000
/** @see {@link CellDiscoveryInit.lookupConcurrency} */
export const DEFAULT_LOOKUP_CONCURRENCY = 9
/** @see {@link CellDiscoveryInit.maxNeighbours} */
export const DEFAULT_MAX_NEIGHBOURS = 64
/** @see {@link CellDiscoveryInit.replication} */
export const DEFAULT_REPLICATION = 20
/** a grown network view asks for a new provide only once the last one is this old */
export const REPROVIDE_ON_GROWTH_MIN_AGE_MS = 15_000
/** @see {@link CellDiscoveryInit.reprovideMs} */
export const DEFAULT_REPROVIDE_MS = 10 * 60_000
/**
 * "I found you through the DHT; my cell is ..." answered with the other
 * side's cell. 1.0.0 carried no data and only asked for a lookup.
 */
export const HELLO_PROTOCOL = '/ecco/discovery/hello/1.1.0'
export const HELLO_VERSION = 1
/** a Hello is a version and a short geohash: anything longer is garbage */
export const HELLO_MAX_BYTES = 64
/** the longest geohash we accept in a Hello (precision 12 is about 4 cm) */
export const HELLO_MAX_CELL_LENGTH = 12
/** @see {@link CellDiscoveryInit.helloTimeoutMs} */
export const DEFAULT_HELLO_TIMEOUT_MS = 10_000
/** a failed hello is tried again after this, doubling, up to HELLO_MAX_ATTEMPTS in all */
export const HELLO_RETRY_MIN_MS = 2_000
export const HELLO_MAX_ATTEMPTS = 5
export const HELLO_MAX_INBOUND_STREAMS = 4
export const HELLO_MAX_OUTBOUND_STREAMS = 4
/** @see {@link CellDiscoveryInit.maxConnections} */
export const DEFAULT_MAX_CONNECTIONS = 20
/** @see {@link CellDiscoveryInit.keepNeighbours} */
export const DEFAULT_KEEP_NEIGHBOURS = 16
/** how often the connection budget is checked */
export const PRUNE_INTERVAL_MS = 10_000
/** connections younger than this are never pruned */
export const PRUNE_MIN_AGE_MS = 30_000
/** streams that are open on every connection, so they do not make one needed */
export const DEFAULT_IDLE_PROTOCOLS = [
  '/ipfs/id/1.0.0', '/ipfs/id/push/1.0.0', '/ipfs/ping/1.0.0', '/meshsub/1.0.0', '/meshsub/1.1.0', '/meshsub/1.2.0', HELLO_PROTOCOL
]
