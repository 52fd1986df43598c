/**
 * The peer's Ed25519 identity, kept in `<dataDir>/peer.key` (protobuf-encoded,
 * mode 0600) so a restarted peer keeps its PeerId.
 */
import { chmod, open, readFile, rename, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { IdentityError } from './errors.js'

export const KEY_FILE = 'peer.key'

export async function loadOrCreateIdentity (dataDir: string): Promise<{ key: PrivateKey, created: boolean }> {
  const file = join(dataDir, KEY_FILE)
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  if (bytes !== undefined) {
    let key: PrivateKey
    try {
      key = privateKeyFromProtobuf(bytes)
    } catch (err) {
      throw new IdentityError(`${file}: not a protobuf-encoded private key (${(err as Error).message})`)
    }
    if (key.type !== 'Ed25519') throw new IdentityError(`${file}: key type ${key.type}, expected Ed25519`)
    // a key readable by others is repaired, not trusted as-is
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600)
    return { key: key as PrivateKey, created: false }
  }
  const key = await generateKeyPair('Ed25519')
  // write-then-rename so a crash never leaves a truncated key behind
  const tmp = `${file}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(privateKeyToProtobuf(key))
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, file)
  return { key, created: true }
}
