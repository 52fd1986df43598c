/**
 * EF images on this peer: the local catalogue plus images fetched from other
 * peers by content hash over /ecco/image/1.0.0 (verified, then kept in the
 * `images` sublevel so a restart does not fetch again).
 */
import { readdir } from 'node:fs/promises'
import { peerIdFromString } from '@libp2p/peer-id'
import {
  fetchImage, ImageResponse, ImageStatus, IMAGE_PROTOCOL, IMAGE_VERSION, serveImage, type FetchedImage, type WireManifest
} from '../../protocols/index.js'
import { DEFAULT_CATALOGUE_DIR, loadCatalogue, parseManifest, verifyHash, type EfImage } from '../../unikernels/index.js'
import type { EccoPeer } from '../peer.js'
import type { Sublevel } from '../store.js'

export function toWire (m: EfImage['manifest']): WireManifest {
  return {
    name: m.name,
    version: m.version,
    description: m.description ?? '',
    hash: m.hash,
    size: m.size,
    abi: m.abi,
    memoryLimitBytes: m.memoryLimitBytes,
    timeLimitMs: m.timeLimitMs,
    sensors: m.sensors,
    stateful: m.stateful,
    inboxOffset: m.inbox.offset,
    inboxCapacity: m.inbox.capacity
  }
}

/** Validates a manifest from a peer exactly like one from disk. */
export function fromWire (w: WireManifest, wasm: Uint8Array): EfImage {
  const manifest = parseManifest({
    name: w.name,
    version: w.version,
    description: w.description === '' ? undefined : w.description,
    hash: w.hash,
    size: w.size,
    abi: w.abi,
    memoryLimitBytes: w.memoryLimitBytes,
    timeLimitMs: w.timeLimitMs,
    sensors: w.sensors,
    stateful: w.stateful,
    inbox: { offset: w.inboxOffset, capacity: w.inboxCapacity }
  })
  const image = { manifest, bytes: wasm }
  verifyHash(image)
  return image
}

export class ImageStore {
  private readonly byHash = new Map<string, EfImage>()
  private readonly fetching = new Map<string, Promise<EfImage>>()
  readonly stats = { fetched: 0, fetchFailures: 0, served: 0 }

  constructor (private readonly peer: EccoPeer, private readonly db: Sublevel, private readonly dir?: string) {}

  async start (): Promise<void> {
    const dir = this.dir ?? DEFAULT_CATALOGUE_DIR
    const exists = await readdir(dir).then(() => true, () => false)
    if (exists) {
      const catalogue = await loadCatalogue({ dir, fixtures: true })
      for (const image of catalogue.images.values()) this.byHash.set(image.manifest.hash, image)
    }
    for await (const [hash, bytes] of this.db.iterator()) {
      try {
        const r = ImageResponse.decode(bytes)
        if (r.manifest !== undefined) this.byHash.set(hash, fromWire(r.manifest, r.wasm))
      } catch (err) {
        this.peer.log.warn('stored image invalid, dropped', { hash, error: err })
        await this.db.del(hash)
      }
    }
    await this.peer.libp2p.handle(IMAGE_PROTOCOL, ({ stream }) => {
      this.stats.served++
      serveImage(stream, (h) => this.wire(h)).catch(() => {})
    }, { maxInboundStreams: 8 })
  }

  async stop (): Promise<void> {
    await this.peer.libp2p.unhandle(IMAGE_PROTOCOL)
  }

  private wire (hash: string): FetchedImage | undefined {
    const image = this.byHash.get(hash)
    return image === undefined ? undefined : { manifest: toWire(image.manifest), wasm: image.bytes }
  }

  get (hash: string): EfImage | undefined { return this.byHash.get(hash) }

  /** name -> hash of the newest known image of each name (for validation and signing). */
  names (): Map<string, string> {
    const out = new Map<string, string>()
    for (const image of this.byHash.values()) out.set(image.manifest.name, image.manifest.hash)
    return out
  }

  /** The image, fetched from `sources` (tried in order) if this peer lacks it. */
  async ensure (hash: string, sources: string[], signal?: AbortSignal): Promise<EfImage> {
    const have = this.byHash.get(hash)
    if (have !== undefined) return have
    let p = this.fetching.get(hash)
    if (p === undefined) {
      p = this.fetchFrom(hash, sources, signal).finally(() => this.fetching.delete(hash))
      this.fetching.set(hash, p)
    }
    return p
  }

  private async fetchFrom (hash: string, sources: string[], signal?: AbortSignal): Promise<EfImage> {
    let last: Error = new Error(`no peer to fetch image ${hash} from`)
    for (const source of sources) {
      if (source === this.peer.peerId.toString()) continue
      try {
        const stream = await this.peer.libp2p.dialProtocol(peerIdFromString(source), IMAGE_PROTOCOL, { signal })
        const got = await fetchImage(stream, hash, { signal })
        const image = fromWire(got.manifest, got.wasm)
        await this.db.put(hash, ImageResponse.encode({ version: IMAGE_VERSION, status: ImageStatus.IMAGE_OK, manifest: got.manifest, wasm: got.wasm }))
        this.byHash.set(hash, image)
        this.stats.fetched++
        this.peer.log.info('image fetched', { image: image.manifest.name, hash, from: source })
        return image
      } catch (err) {
        last = err as Error
      }
    }
    this.stats.fetchFailures++
    throw last
  }
}
