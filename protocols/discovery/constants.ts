/** Prefix of the DHT key a peer provides for its geohash cell. */
export const CELL_KEY_PREFIX = '/ecco/cell/'
/** @see {@link DiscoveryInit.precision} */
export const DEFAULT_CELL_PRECISION = 6
export const DEFAULT_INTERVAL_MS = 60_000
/** Rounds follow a change after this delay, then back off (doubling) to the interval. */
export const FIRST_ROUND_DELAY_MS = 300
export const DEFAULT_ROUND_TIMEOUT_MS = 8_000
export const DEFAULT_MAX_NEIGHBOURS = 64
/** @see {@link CellDiscoveryInit.reprovideMs} */
export const DEFAULT_REPROVIDE_MS = 10 * 60_000
/** peers remembered as having dialled us, so only a newcomer triggers a round */
export const MAX_SEEN_INBOUND = 4096
/** a newcomer's first connection usually comes from its own provide query: give the provide time to land */
export const NEWCOMER_DELAY_MS = 1000
/** "I just found you through the DHT: look me up" — carries no data */
export const HELLO_PROTOCOL = '/ecco/discovery/hello/1.0.0'
export const HELLO_MIN_INTERVAL_MS = 1000
/** for this long after start, rounds are at most WARMUP_MAX_DELAY_MS apart and the own cell is provided again as often */
export const WARMUP_MS = 120_000
export const WARMUP_MAX_DELAY_MS = 4_000
