/**
 * `/ecco/image/1.0.0`: fetch an EF image by content hash. One request, one
 * response; the fetcher checks that the wasm hashes to what it asked for and
 * that the manifest names the same hash, so a peer cannot serve anything else.
 */
import { createHash } from 'node:crypto'
import type { Stream } from '@libp2p/interface'
import { checkEnum, checkVersion, decodeMessage, InvalidMessageError, openChannel } from '../wire/index.js'
import { ImageRequest, ImageResponse, ImageStatus, type WireManifest } from './pb/image.js'

export const IMAGE_PROTOCOL = '/ecco/image/1.0.0'
export const IMAGE_VERSION = 1
/** Images are small (tens of KB); this bounds a hostile response. */
export const MAX_IMAGE_BYTES = 16 * 1024 * 1024
export const DEFAULT_IMAGE_TIMEOUT_MS = 15_000
const HASH = /^[0-9a-f]{64}$/

/** The content hash did not match or the peer does not have the image. */
export class ImageFetchError extends Error {
  static name = 'ImageFetchError'
  readonly code = 'ERR_IMAGE_FETCH'
  constructor (message = 'image fetch failed') {
    super(message)
    this.name = 'ImageFetchError'
  }
}

export interface FetchedImage {
  manifest: WireManifest
  wasm: Uint8Array
}

export interface ImageStreamOptions {
  /** @default 15000 */
  timeoutMs?: number
  signal?: AbortSignal
}

export function imageHash (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Asks for `hash` on `stream`; verifies before returning. */
export async function fetchImage (stream: Stream, hash: string, options: ImageStreamOptions = {}): Promise<FetchedImage> {
  if (!HASH.test(hash)) throw new ImageFetchError(`hash "${hash}" is not 64 lowercase hex digits`)
  const ch = openChannel(stream, { maxFrameBytes: MAX_IMAGE_BYTES, timeoutMs: options.timeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS, signal: options.signal })
  try {
    ch.write(ImageRequest.encode({ version: IMAGE_VERSION, hash }))
    const r = decodeMessage(ImageResponse, await ch.read(), 'ImageResponse', { maxBytes: MAX_IMAGE_BYTES, limits: { manifest: { sensors: 32 } } })
    await ch.close()
    checkVersion('ImageResponse', r.version, IMAGE_VERSION)
    checkEnum('ImageResponse', 'status', r.status, Object.values(ImageStatus))
    if (r.status === ImageStatus.IMAGE_NOT_FOUND) throw new ImageFetchError(`peer does not have image ${hash}`)
    if (r.manifest === undefined) throw new InvalidMessageError('ImageResponse.manifest: missing')
    const got = imageHash(r.wasm)
    if (got !== hash) throw new ImageFetchError(`image ${hash}: received bytes hash to ${got}`)
    if (r.manifest.hash !== hash) throw new ImageFetchError(`image ${hash}: manifest names hash ${r.manifest.hash}`)
    return { manifest: r.manifest, wasm: r.wasm }
  } catch (err) {
    ch.abort(err as Error)
    throw err
  }
}

/** Answers one request from `lookup` (undefined: not found). */
export async function serveImage (stream: Stream, lookup: (hash: string) => FetchedImage | undefined, options: ImageStreamOptions = {}): Promise<void> {
  const ch = openChannel(stream, { maxFrameBytes: 1024, timeoutMs: options.timeoutMs ?? DEFAULT_IMAGE_TIMEOUT_MS, signal: options.signal })
  try {
    const req = decodeMessage(ImageRequest, await ch.read(), 'ImageRequest', { maxBytes: 1024 })
    checkVersion('ImageRequest', req.version, IMAGE_VERSION)
    const found = HASH.test(req.hash) ? lookup(req.hash) : undefined
    ch.write(ImageResponse.encode(found === undefined
      ? { version: IMAGE_VERSION, status: ImageStatus.IMAGE_NOT_FOUND, wasm: new Uint8Array(0) }
      : { version: IMAGE_VERSION, status: ImageStatus.IMAGE_OK, manifest: found.manifest, wasm: found.wasm }))
    await ch.close()
  } catch (err) {
    ch.abort(err as Error)
    throw err
  }
}
