/** An operator key for a test mesh, its public half written where peer configs can name it, and roadside identities it certifies. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { loadOrCreateIdentity } from '../../node/identity.js'
import { CAUSE_CODE, issueCertificate, type Position } from '../../protocols/index.js'
import type { TestMesh } from './mesh.js'

export const DAY_MS = 86_400_000

export async function createOperator (mesh: TestMesh): Promise<{ key: PrivateKey, file: string }> {
  const key = await generateKeyPair('Ed25519')
  const dir = await mesh.dir('operator')
  await mkdir(dir, { recursive: true })
  const file = join(dir, 'operator.pub')
  await writeFile(file, publicKeyToProtobuf(key.publicKey))
  return { key, file }
}

export interface RoadsideIdentityInit {
  name: string
  position: Position
  /** no certificate: the peer runs with the operator key but cannot prove membership */
  uncertified?: boolean
  causes?: number[]
  /** @default 5000 */
  radiusM?: number
  /** @default the operator's key */
  issuer?: PrivateKey
}

/** A roadside certificate for `key`, valid from a minute ago for a day. */
export async function roadsideCertificate (issuer: PrivateKey, key: PrivateKey, o: RoadsideIdentityInit): Promise<Uint8Array> {
  const now = Date.now()
  return await issueCertificate(issuer, {
    subject: key.publicKey,
    notBefore: now - 60_000,
    notAfter: now + DAY_MS,
    causeCodes: o.causes ?? [CAUSE_CODE.adverseWeatherConditionAdhesion, CAUSE_CODE.collisionRisk],
    area: { centre: o.position, radiusM: o.radiusM ?? 5000 },
    name: o.name
  })
}

/**
 * A roadside peer's data directory with its identity, and the `hazards:` section
 * naming the operator key, a revocations folder and (unless uncertified) its certificate.
 */
export async function roadsideIdentity (mesh: TestMesh, operator: { key: PrivateKey, file: string }, o: RoadsideIdentityInit): Promise<{ dataDir: string, hazards: Record<string, unknown> }> {
  const dataDir = await mesh.dir(o.name)
  await mkdir(dataDir, { recursive: true })
  const { key } = await loadOrCreateIdentity(dataDir)
  const hazards: Record<string, unknown> = { operatorKeys: [operator.file], revocationsDir: join(dataDir, 'revocations') }
  if (o.uncertified !== true) {
    const certFile = join(dataDir, 'peer.cert')
    await writeFile(certFile, await roadsideCertificate(o.issuer ?? operator.key, key, o))
    hazards.certificate = certFile
  }
  return { dataDir, hazards }
}
