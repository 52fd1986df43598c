export const SYNC_PROTOCOL = '/ecco/sync/1.0.0'
export const SYNC_VERSION = 1
/** @see {@link AntiEntropyInit.maxFrameBytes} */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024
export const DEFAULT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_INBOUND_STREAMS = 4
export const DEFAULT_MAX_OUTBOUND_STREAMS = 4
export const MAX_DOCUMENTS = 64
