/** The data plane between stage instances on different peers (DESIGN.md "Data plane"). */
export const BUNDLE_PROTOCOL = '/ecco/bundle/1.0.0'
export const BUNDLE_VERSION = 1
/** A bundle carries one EF output (at most 4 MiB, unikernels' per-call cap) plus headers. */
export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024 + 4096
export const MAX_ACK_BYTES = 1024
/** @default deadline of one send (all its bundles and acks) */
export const DEFAULT_BUNDLE_TIMEOUT_MS = 10_000
export const MAX_BUNDLES_PER_STREAM = 256
/** @default inbound bundle streams per connection */
export const DEFAULT_MAX_INBOUND_STREAMS = 16
export const DEFAULT_MAX_OUTBOUND_STREAMS = 16
