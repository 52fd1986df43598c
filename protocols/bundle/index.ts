/**
 * @packageDocumentation
 * `/ecco/bundle/1.1.0`: bundles (pipeline, run, from stage/slot, to stage,
 * sequence, payload, trace) over it-pipe length-prefixed protobuf frames,
 * each acknowledged in order after the receiver persisted it. A sender keeps
 * one long-lived stream per target (BundleSession) for every batch; the
 * receiver serves a stream until the sender ends it or it stays idle.
 *
 * @example
 * ```ts
 * peer.libp2p.handle(BUNDLE_PROTOCOL, ({ stream }) => { void serveBundles(stream, persistThenAck) })
 * const session = new BundleSession(await peer.libp2p.dialProtocol(target, BUNDLE_PROTOCOL))
 * const ack = await session.send(encodeBundle(b), AbortSignal.timeout(10_000))
 * ```
 */
export * from './constants.js'
export * from './bundle.js'
export * from './session.js'
export { Bundle, BundleAck, AckStatus, Trace } from './pb/bundle.js'
