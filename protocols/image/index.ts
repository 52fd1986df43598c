/**
 * @packageDocumentation
 * `/ecco/image/1.0.0`: EF images travel between peers by content hash and are
 * verified (sha256 of the wasm bytes) by the fetcher.
 *
 * @example
 * ```ts
 * peer.libp2p.handle(IMAGE_PROTOCOL, ({ stream }) => { void serveImage(stream, (h) => catalogue.byHash(h)) })
 * const { manifest, wasm } = await fetchImage(await peer.libp2p.dialProtocol(other, IMAGE_PROTOCOL), hash)
 * ```
 */
export * from './image.js'
export { ImageRequest, ImageResponse, ImageStatus, WireManifest } from './pb/image.js'
