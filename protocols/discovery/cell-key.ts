import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { CELL_KEY_PREFIX } from './constants.js'

/** The content-routing key under which every peer in `cell` is a provider. */
export async function cellKey (cell: string): Promise<CID> {
  const digest = await sha256.digest(new TextEncoder().encode(CELL_KEY_PREFIX + cell))
  return CID.createV1(raw.code, digest)
}
