/**
 * PeerId strings to and from the multihash bytes beat vectors carry. The first
 * vector on every new stream introduces the whole view, and the connection
 * budget closes and DHT walks reopen connections all the time, so a fleet
 * converts the same few hundred PeerIds over and over; at 200 peers the
 * base58 work was a twentieth of a shard's time. Both directions are cached.
 * The caches are bounded (cleared when full): a hostile stream naming endless
 * PeerIds costs no more than the bound.
 */
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { InvalidMessageError } from '../wire/index.js'

/** more than any fleet's view (MAX_BEAT_ENTRIES is 4096 per stream, most streams name the same peers) */
const DEFAULT_MAX_CACHED = 8192

export class PeerIdCache {
  private readonly strings = new Map<string, string>()
  private readonly multihashes = new Map<string, Uint8Array>()
  private readonly max: number

  constructor (max = DEFAULT_MAX_CACHED) {
    this.max = max
  }

  /** The multihash bytes of a PeerId string this peer holds (never remote input). Shared: do not modify. */
  bytes (peer: string): Uint8Array {
    let bytes = this.multihashes.get(peer)
    if (bytes === undefined) {
      bytes = peerIdFromString(peer).toMultihash().bytes
      if (this.multihashes.size >= this.max) this.multihashes.clear()
      this.multihashes.set(peer, bytes)
    }
    return bytes
  }

  /** The PeerId string of multihash bytes off the wire; a typed error when they name none. */
  string (bytes: Uint8Array): string {
    const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    let peer = this.strings.get(key)
    if (peer === undefined) {
      try {
        peer = peerIdFromMultihash(Digest.decode(bytes)).toString()
      } catch (err) {
        throw new InvalidMessageError(`BeatVector: intro names no PeerId (${(err as Error).message})`)
      }
      if (this.strings.size >= this.max) this.strings.clear()
      this.strings.set(key, peer)
    }
    return peer
  }
}
