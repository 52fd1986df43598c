/**
 * `ecco-peer certs init|issue|revoke|list`: the road operator's certificate authority.
 * The operator directory holds operator.key (mode 0600), operator.pub (give it to peers
 * and vehicles), issued/<id>.cert and revoked/<id>.rev. A revocation file reaches the
 * mesh when it is dropped into a peer's `hazards.revocationsDir`; from there the
 * revocation set spreads by gossip and anti-entropy.
 */
import { chmod, copyFile, mkdir, open, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import {
  CAUSE_CODE_TABLE, createRevocation, describeCertificate, issueCertificate, parseCertificate, verifyRevocation, TrustStore, type ParsedCertificate
} from '../../protocols/index.js'
import { ConfigError } from '../errors.js'
import { KEY_FILE } from '../identity.js'
import { parseFlags } from './args.js'

export const CERTS_USAGE = `Usage: ecco-peer certs <command> [options]

Commands:
  init    create the operator key pair in --dir
  issue   certify a roadside peer: --peer-id <id> | --peer-data-dir <dir>, --area lat,lon,radiusM, --causes 6,97,...
  revoke  revoke an issued certificate: --cert <file> | --id <certificate id or prefix>
  list    issued certificates and revocations

Options:
  --dir <dir>            operator directory                        (default .ecco/operator)
  --peer-id <id>         the roadside peer's PeerId (Ed25519)
  --peer-data-dir <dir>  read the PeerId from a peer's data directory
  --area <lat,lon,m>     circular area the peer may warn about
  --causes <list>        DENM cause codes (TS 102 894-2), e.g. 6,97,94,14
  --valid-days <n>       validity from now                         (default 365)
  --name <name>          a label for the certificate
  --parking              may also publish free-parking information
  --out <file>           also write the certificate / revocation here
  --json                 list: one JSON object per line`

const OPTIONS = {
  dir: { type: 'string' },
  'peer-id': { type: 'string' },
  'peer-data-dir': { type: 'string' },
  area: { type: 'string' },
  causes: { type: 'string' },
  'valid-days': { type: 'string' },
  name: { type: 'string' },
  parking: { type: 'boolean' },
  out: { type: 'string' },
  cert: { type: 'string' },
  id: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

type Flags = Record<string, unknown>

const str = (v: Flags, k: string): string | undefined => typeof v[k] === 'string' ? v[k] : undefined

async function writeSecret (file: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  const fh = await open(tmp, 'w', 0o600)
  try { await fh.writeFile(bytes); await fh.sync() } finally { await fh.close() }
  await rename(tmp, file)
}

async function exists (file: string): Promise<boolean> {
  return await stat(file).then(() => true, () => false)
}

export async function loadOperatorKey (dir: string): Promise<PrivateKey> {
  const file = join(dir, 'operator.key')
  let bytes: Uint8Array
  try { bytes = await readFile(file) } catch { throw new ConfigError(`--dir: no operator key at ${file} (run "ecco-peer certs init --dir ${dir}" first)`) }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600)
  return privateKeyFromProtobuf(bytes)
}

async function init (dir: string): Promise<number> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if (await exists(join(dir, 'operator.key'))) throw new ConfigError(`--dir: ${dir} already holds an operator key; refusing to overwrite it`)
  const key = await generateKeyPair('Ed25519')
  await writeSecret(join(dir, 'operator.key'), privateKeyToProtobuf(key))
  await writeFile(join(dir, 'operator.pub'), publicKeyToProtobuf(key.publicKey))
  process.stdout.write(`Operator key created in ${dir}\n  private: ${join(dir, 'operator.key')} (keep it offline)\n  public:  ${join(dir, 'operator.pub')} (give it to peers and vehicles)\n`)
  return 0
}

async function subjectKey (v: Flags): Promise<PublicKey> {
  const id = str(v, 'peer-id')
  const dataDir = str(v, 'peer-data-dir')
  if ((id === undefined) === (dataDir === undefined)) throw new ConfigError('issue: give exactly one of --peer-id or --peer-data-dir')
  if (id !== undefined) {
    let key: PublicKey | undefined
    try { key = peerIdFromString(id).publicKey } catch (err) { throw new ConfigError(`--peer-id: "${id}" is not a PeerId (${(err as Error).message})`) }
    if (key === undefined) throw new ConfigError(`--peer-id: ${id} does not embed its public key (use an Ed25519 peer)`)
    return key
  }
  const file = join(dataDir ?? '', KEY_FILE)
  try {
    return privateKeyFromProtobuf(await readFile(file)).publicKey
  } catch (err) {
    throw new ConfigError(`--peer-data-dir: cannot read the peer key ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
}

function parseArea (text: string | undefined): { centre: { lat: number, lon: number }, radiusM: number } {
  if (text === undefined) throw new ConfigError('--area: required, "lat,lon,radiusM"')
  const p = text.split(',').map(Number)
  if (p.length !== 3 || p.some((n) => !Number.isFinite(n)) || Math.abs(p[0]) > 90 || Math.abs(p[1]) > 180 || p[2] <= 0) {
    throw new ConfigError(`--area: expected "lat,lon,radiusM" with radiusM > 0, got "${text}"`)
  }
  return { centre: { lat: p[0], lon: p[1] }, radiusM: p[2] }
}

function parseCauses (text: string | undefined): number[] {
  if (text === undefined) throw new ConfigError(`--causes: required, DENM cause codes such as 6,97 (known: ${Object.keys(CAUSE_CODE_TABLE).join(', ')})`)
  return text.split(',').map((s) => {
    const n = Number(s.trim())
    if (!Number.isInteger(n) || CAUSE_CODE_TABLE[n] === undefined) throw new ConfigError(`--causes: "${s}" is not a DENM cause code in the table (known: ${Object.keys(CAUSE_CODE_TABLE).join(', ')})`)
    return n
  })
}

async function issue (dir: string, v: Flags): Promise<number> {
  const operator = await loadOperatorKey(dir)
  const subject = await subjectKey(v)
  const area = parseArea(str(v, 'area'))
  const causes = parseCauses(str(v, 'causes'))
  const days = Number(str(v, 'valid-days') ?? 365)
  if (!Number.isFinite(days) || days <= 0 || days > 3650) throw new ConfigError(`--valid-days: expected 1..3650, got "${str(v, 'valid-days')}"`)
  const now = Date.now()
  const bytes = await issueCertificate(operator, { subject, notBefore: now - 60_000, notAfter: now + days * 86_400_000, causeCodes: causes, area, name: str(v, 'name') ?? '', parking: v.parking === true })
  const cert = parseCertificate(bytes)
  await mkdir(join(dir, 'issued'), { recursive: true })
  const file = join(dir, 'issued', `${cert.id}.cert`)
  await writeFile(file, bytes)
  const out = str(v, 'out')
  if (out !== undefined) await copyFile(file, out)
  process.stdout.write(`Issued certificate ${cert.id}\n  peer:   ${cert.subjectPeerId}\n  causes: ${causes.join(', ')}\n  area:   ${area.centre.lat},${area.centre.lon} r=${area.radiusM} m\n  until:  ${new Date(Number(cert.body.notAfter)).toISOString()}\n  file:   ${out ?? file}\n`)
  return 0
}

async function findIssued (dir: string, v: Flags): Promise<ParsedCertificate> {
  const certFile = str(v, 'cert')
  const id = str(v, 'id')
  if ((certFile === undefined) === (id === undefined)) throw new ConfigError('revoke: give exactly one of --cert or --id')
  if (certFile !== undefined) {
    try { return parseCertificate(await readFile(certFile)) } catch (err) { throw new ConfigError(`--cert: ${certFile}: ${(err as Error).message}`) }
  }
  const names = (await readdir(join(dir, 'issued')).catch(() => [] as string[])).filter((n) => n.startsWith(id ?? '') && n.endsWith('.cert'))
  if (names.length !== 1) throw new ConfigError(`--id: "${id}" matches ${names.length} issued certificates in ${join(dir, 'issued')}`)
  return parseCertificate(await readFile(join(dir, 'issued', names[0])))
}

async function revoke (dir: string, v: Flags): Promise<number> {
  const operator = await loadOperatorKey(dir)
  const cert = await findIssued(dir, v)
  const bytes = await createRevocation(operator, cert)
  await mkdir(join(dir, 'revoked'), { recursive: true })
  const file = join(dir, 'revoked', `${cert.id}.rev`)
  await writeFile(file, bytes)
  const out = str(v, 'out')
  if (out !== undefined) await copyFile(file, out)
  process.stdout.write(`Revoked certificate ${cert.id} (peer ${cert.subjectPeerId})\n  revocation: ${out ?? file}\n  copy it into a peer's hazards.revocationsDir; the mesh spreads it from there\n`)
  return 0
}

async function list (dir: string, json: boolean): Promise<number> {
  const operator = await loadOperatorKey(dir)
  const trust = new TrustStore({ operatorKeys: [operator.publicKey] })
  const revoked = new Set<string>()
  for (const n of (await readdir(join(dir, 'revoked')).catch(() => [] as string[])).filter((x) => x.endsWith('.rev'))) {
    revoked.add((await verifyRevocation(await readFile(join(dir, 'revoked', n)), trust)).certificateId)
  }
  const lines: string[] = []
  for (const n of (await readdir(join(dir, 'issued')).catch(() => [] as string[])).filter((x) => x.endsWith('.cert')).sort()) {
    const cert = parseCertificate(await readFile(join(dir, 'issued', n)))
    const d = { ...describeCertificate(cert), revoked: revoked.has(cert.id), expired: Date.now() >= Number(cert.body.notAfter) }
    const a = cert.body.area
    lines.push(json
      ? JSON.stringify(d)
      : `${cert.id.slice(0, 16)}  ${d.revoked ? 'REVOKED' : d.expired ? 'EXPIRED' : 'valid  '}  ${cert.subjectPeerId}  causes ${cert.body.causeCodes.join(',')}  area ${a?.lat},${a?.lon} r=${a?.radiusM}m  until ${new Date(Number(cert.body.notAfter)).toISOString().slice(0, 10)}${cert.body.name === '' ? '' : '  ' + cert.body.name}`)
  }
  process.stdout.write(lines.length === 0 ? (json ? '' : 'no certificates issued\n') : lines.join('\n') + '\n')
  return 0
}

export async function runCerts (argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(CERTS_USAGE + '\n')
    return command === undefined ? 2 : 0
  }
  const { values: v } = parseFlags(rest, OPTIONS)
  if (v.help === true) { process.stdout.write(CERTS_USAGE + '\n'); return 0 }
  const dir = resolve(str(v, 'dir') ?? '.ecco/operator')
  switch (command) {
    case 'init': return await init(dir)
    case 'issue': return await issue(dir, v)
    case 'revoke': return await revoke(dir, v)
    case 'list': return await list(dir, v.json === true)
    default: throw new ConfigError(`certs: unknown command "${command}" (init, issue, revoke, list)`)
  }
}

/** The PeerId a data directory's key belongs to (for scripts and tests). */
export async function peerIdOfDataDir (dataDir: string): Promise<string> {
  return peerIdFromPrivateKey(privateKeyFromProtobuf(await readFile(join(dataDir, KEY_FILE)))).toString()
}
