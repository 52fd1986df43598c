/** An operator key for a test mesh, its public half written where peer configs can name it. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import type { TestMesh } from './mesh.js'

export async function createOperator (mesh: TestMesh): Promise<{ key: PrivateKey, file: string }> {
  const key = await generateKeyPair('Ed25519')
  const dir = await mesh.dir('operator')
  await mkdir(dir, { recursive: true })
  const file = join(dir, 'operator.pub')
  await writeFile(file, publicKeyToProtobuf(key.publicKey))
  return { key, file }
}
