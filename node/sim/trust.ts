/**
 * The trust material of one sim-net run: an operator key that certifies the
 * roadside peers (so their hazard warnings are accepted by vehicles and
 * relays) and a pipeline issuer key the peers trust (so the scenario's
 * descriptors are accepted). Both are generated per run in the run's data
 * directory (`<dataRoot>/trust/`), so a rerun with `--data-dir` reuses them
 * and a crashed peer restarts with a still-valid certificate.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { CAUSE_CODE, formatIssuer, generateIssuerKey, issueCertificate, type Position } from '../../protocols/index.js'
import { loadOrCreateIdentity } from '../identity.js'
import { CERT_RADIUS_M, CERT_VALIDITY_MS } from './constants.js'

export interface SimTrust {
  /** folder of the files below */
  dir: string
  operator: PrivateKey
  /** `<dir>/operator.pub`, protobuf public key, for `hazards.operatorKeys` */
  operatorFile: string
  issuer: PrivateKey
  /** formatIssuer form, for `pipelines.trustedIssuers` */
  trustedIssuer: string
}

/**
 * Writes `bytes` unless the file already holds them, through a temporary file
 * and a rename: in multi-process mode several peer processes open the run's
 * trust at once, and none may read a half-written file.
 */
async function writeAtomic (file: string, bytes: Uint8Array, mode = 0o644): Promise<void> {
  try {
    if (Buffer.compare(await readFile(file), bytes) === 0) return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, bytes, { mode })
  await rename(tmp, file)
}

/** A key kept as a protobuf file: read it if it exists, else generate and write it (mode 0600). */
async function keyFile (file: string, create: () => Promise<PrivateKey>): Promise<PrivateKey> {
  try {
    return privateKeyFromProtobuf(new Uint8Array(await readFile(file)))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const key = await create()
  await writeAtomic(file, privateKeyToProtobuf(key), 0o600)
  // another process may have won the race to create it: use whichever key is on disk
  return privateKeyFromProtobuf(new Uint8Array(await readFile(file)))
}

async function createTrust (dataRoot: string): Promise<SimTrust> {
  const dir = join(dataRoot, 'trust')
  await mkdir(dir, { recursive: true })
  const operator = await keyFile(join(dir, 'operator.key'), async () => await generateKeyPair('Ed25519'))
  const issuer = await keyFile(join(dir, 'issuer.key'), generateIssuerKey)
  const operatorFile = join(dir, 'operator.pub')
  await writeAtomic(operatorFile, publicKeyToProtobuf(operator.publicKey))
  return { dir, operator, operatorFile, issuer, trustedIssuer: formatIssuer(issuer.publicKey) }
}

/**
 * Trust per run, keyed by the run's data root (the engine puts peers in
 * `<dataRoot>/peers/<name>` and vehicles in `<dataRoot>/vehicles/<name>`), so
 * one set of factories can serve several runs without sharing keys.
 */
export class SimTrustBook {
  private readonly runs = new Map<string, Promise<SimTrust>>()

  /** The trust of the run whose peer or vehicle lives in `dataDir`. */
  async forDataDir (dataDir: string): Promise<SimTrust> {
    const root = dirname(dirname(dataDir))
    let t = this.runs.get(root)
    if (t === undefined) {
      t = createTrust(root)
      this.runs.set(root, t)
      t.catch(() => { this.runs.delete(root) })
    }
    return await t
  }

  /**
   * A roadside certificate for the peer whose identity is in `dataDir`
   * (created here if the peer has not run yet), written to `<dataDir>/peer.cert`.
   */
  async certify (dataDir: string, name: string, position: Position): Promise<string> {
    const trust = await this.forDataDir(dataDir)
    await mkdir(dataDir, { recursive: true })
    const { key } = await loadOrCreateIdentity(dataDir)
    const file = join(dataDir, 'peer.cert')
    const now = Date.now()
    await writeFile(file, await issueCertificate(trust.operator, {
      subject: key.publicKey,
      notBefore: now - 60_000,
      notAfter: now + CERT_VALIDITY_MS,
      causeCodes: Object.values(CAUSE_CODE),
      area: { centre: position, radiusM: CERT_RADIUS_M },
      name,
      parking: true
    }))
    return file
  }
}
