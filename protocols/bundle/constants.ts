/**
 * The data plane between stage instances on different peers (DESIGN.md "Data plane").
 * 1.1.0: one long-lived stream per sender and target carries every batch (1.0.0 opened
 * a stream per batch); the receiver reads until the sender ends it or it stays idle.
 */
export const BUNDLE_PROTOCOL = '/ecco/bundle/1.1.0'
export const BUNDLE_VERSION = 1
/** A bundle carries one EF output (at most 4 MiB, unikernels' per-call cap) plus headers. */
export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024 + 4096
export const MAX_ACK_BYTES = 1024
/** @default deadline for the acks of one batch (a stream that misses it is replaced) */
export const DEFAULT_BUNDLE_TIMEOUT_MS = 10_000
/** at most this many bundles per sendBundles() call */
export const MAX_BUNDLES_PER_STREAM = 256
/** @default bundles a sender has on one stream without their acks (more wait for a slot) */
export const DEFAULT_MAX_IN_FLIGHT = 64
/**
 * Acks a receiver holds because the sender does not read them: a sender keeps at most
 * DEFAULT_MAX_IN_FLIGHT bundles unacked, so more is a violation and ends the stream.
 */
export const MAX_UNREAD_ACKS = 256
/**
 * @default a served stream that brings no frame for this long is ended (counted), so a
 * silent peer cannot pin it; a sender closes its own idle stream after half of it.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 20_000
/** @default inbound bundle streams per connection */
export const DEFAULT_MAX_INBOUND_STREAMS = 16
export const DEFAULT_MAX_OUTBOUND_STREAMS = 16
