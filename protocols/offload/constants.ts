/** Protocol id, version, wire limits and the defaults of the offload protocol (DESIGN.md "Nimbus"). */
export const OFFLOAD_PROTOCOL = '/ecco/offload/1.0.0'
export const OFFLOAD_VERSION = 1

/** A Solve or Reserve with every device of a large batch stays far below this. */
export const MAX_OFFLOAD_FRAME_BYTES = 1024 * 1024
/** devices per Solve / Reserve / Solution */
export const MAX_BATCH_ITEMS = 1024
/** protons limits of every repeated field, nested as the codec reads them */
export const OFFLOAD_LIMITS = {
  handshake: { cloudRtt: 32 },
  offer: { candidates: 8, candidates$: { multiaddrs: 16 } },
  solve: { aps: MAX_BATCH_ITEMS, items: MAX_BATCH_ITEMS, items$: { req: { cloudRtt: 32 } } },
  solution: { placements: MAX_BATCH_ITEMS, placements$: { multiaddrs: 16 } },
  reserve: { candidates: MAX_BATCH_ITEMS },
  reserveReply: { verdicts: MAX_BATCH_ITEMS }
}
/** longest device id / reason text accepted */
export const MAX_ID_LENGTH = 128

/** Registry role tags (PeerState.roles) of the Nimbus feature. */
export const ROLE_MEMBER = 'nimbus-en'
export const ROLE_SLICE_PREFIX = 'nimbus-slice:'
export const ROLE_SOLVER_PREFIX = 'nimbus-solver:'
export const ROLE_STAGE2 = 'nimbus-stage2'
export const ROLE_GATEWAY = 'nimbus-gateway'
/** every role tag this feature owns starts with this */
export const ROLE_PREFIX = 'nimbus-'

/** @see {@link OffloadClientInit.timeoutMs} */
export const DEFAULT_CLIENT_TIMEOUT_MS = 15_000
/** @see {@link OffloadClientInit.dialRetries} */
export const DEFAULT_CLIENT_DIAL_RETRIES = 2
/** @see {@link RttModel} */
export const DEFAULT_RTT_LOCAL_MS = 1
export const DEFAULT_RTT_PER_KM_MS = 0.01
export const DEFAULT_RTT_TIER_MS = { t1: 2, t2: 4, t3: 8 } as const
