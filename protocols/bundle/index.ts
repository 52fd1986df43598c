/**
 * @packageDocumentation
 * `/ecco/bundle/1.0.0`: bundles (pipeline, run, from stage/slot, to stage,
 * sequence, payload, trace) over it-pipe length-prefixed protobuf frames,
 * each acknowledged after the receiver persisted it.
 *
 * @example
 * ```ts
 * peer.libp2p.handle(BUNDLE_PROTOCOL, ({ stream }) => { void serveBundles(stream, persistThenAck) })
 * const stream = await peer.libp2p.dialProtocol(target, BUNDLE_PROTOCOL)
 * const acks = await sendBundles(stream, [encodeBundle(b)])
 * ```
 */
export * from './constants.js'
export * from './bundle.js'
export { Bundle, BundleAck, AckStatus, Trace } from './pb/bundle.js'
