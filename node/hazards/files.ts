/** Reading the operator keys, certificates and revocations the `certs` CLI writes. */
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { publicKeyFromProtobuf } from '@libp2p/crypto/keys'
import type { PublicKey } from '@libp2p/interface'
import { ConfigError } from '../errors.js'

export async function readBytes (file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file))
  } catch (err) {
    throw new ConfigError(`${what}: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
}

export async function readOperatorKey (file: string, what = 'operator key'): Promise<PublicKey> {
  const bytes = await readBytes(file, what)
  try {
    return publicKeyFromProtobuf(bytes)
  } catch (err) {
    throw new ConfigError(`${what}: ${file} is not a protobuf public key (${(err as Error).message})`)
  }
}

/** Every `*.rev` file of a directory (none if it does not exist yet). */
export async function readRevocationFiles (dir: string): Promise<Array<{ file: string, bytes: Uint8Array }>> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const out = []
  for (const name of names.filter((n) => n.endsWith('.rev')).sort()) {
    out.push({ file: join(dir, name), bytes: new Uint8Array(await readFile(join(dir, name))) })
  }
  return out
}
