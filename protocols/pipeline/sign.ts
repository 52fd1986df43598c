/**
 * Trust: the issuer signs the protobuf encoding of the unsigned descriptor
 * (and of each command) with its Ed25519 key; a peer opens a signed message
 * only if the signature verifies and the issuer key is one its operator trusts.
 */
import { signatureVerifies } from '../certs/index.js'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf, publicKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { base58btc } from 'multiformats/bases/base58'
import { fromString, toString } from 'uint8arrays'
import { decodeMessage, checkVersion } from '../wire/index.js'
import { DESCRIPTOR_LIMITS, MAX_COMMAND_BYTES, MAX_DESCRIPTOR_BYTES, PIPELINE_VERSION } from './constants.js'
import { InvalidSignatureError, IssuerKeyError, UnsignedDescriptorError, UntrustedIssuerError } from './errors.js'
import { Command, PipelineDescriptor, SignedCommand, SignedDescriptor } from './pb/pipeline.js'

/** A new issuer key (Ed25519). */
export async function generateIssuerKey (): Promise<PrivateKey> {
  return generateKeyPair('Ed25519')
}

/** Issuer key files hold the protobuf private key, base58btc text. */
export function issuerKeyToText (key: PrivateKey): string {
  return base58btc.encode(privateKeyToProtobuf(key))
}

export function issuerKeyFromText (text: string): PrivateKey {
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(base58btc.decode(text.trim()))
  } catch (err) {
    throw new IssuerKeyError(`not an issuer key (base58btc protobuf private key): ${(err as Error).message}`)
  }
  if (key.type !== 'Ed25519') throw new IssuerKeyError(`issuer key type ${key.type}, expected Ed25519`)
  return key
}

/** The public key as operators list it in `pipelines.trustedIssuers` (base58btc protobuf). */
export function formatIssuer (key: PublicKey | Uint8Array): string {
  return base58btc.encode(key instanceof Uint8Array ? key : publicKeyToProtobuf(key))
}

/** Accepts base58btc (with its `z` prefix) or hex of the protobuf or raw 32-byte key. */
export function parseIssuer (text: string): string {
  const t = text.trim()
  let bytes: Uint8Array
  try {
    bytes = /^[0-9a-f]+$/i.test(t) && t.length % 2 === 0 ? fromString(t.toLowerCase(), 'base16') : base58btc.decode(t.startsWith('z') ? t : `z${t}`)
    if (bytes.length === 32) bytes = publicKeyToProtobuf(publicKeyFromProtobuf(new Uint8Array([8, 1, 18, 32, ...bytes])))
    const key = publicKeyFromProtobuf(bytes)
    if (key.type !== 'Ed25519') throw new Error(`key type ${key.type}, expected Ed25519`)
  } catch (err) {
    throw new IssuerKeyError(`trusted issuer "${text}": ${(err as Error).message}`)
  }
  return formatIssuer(bytes)
}

/** Signs `d` as `key`: sets the issuer, encodes, signs the encoding. */
export async function signDescriptor (d: PipelineDescriptor, key: PrivateKey): Promise<SignedDescriptor> {
  const unsigned: PipelineDescriptor = { ...d, issuer: publicKeyToProtobuf(key.publicKey) }
  const bytes = PipelineDescriptor.encode(unsigned)
  return { version: PIPELINE_VERSION, descriptor: bytes, signature: await key.sign(bytes) }
}

export async function signCommand (c: Command, key: PrivateKey): Promise<SignedCommand> {
  const bytes = Command.encode(c)
  return { version: PIPELINE_VERSION, command: bytes, signature: await key.sign(bytes) }
}

/** Issuer keys a peer trusts, in `formatIssuer` form. */
export type TrustedIssuers = ReadonlySet<string>

async function verifySigned (issuer: Uint8Array, bytes: Uint8Array, signature: Uint8Array, what: string, trusted: TrustedIssuers): Promise<string> {
  if (signature.byteLength === 0) throw new UnsignedDescriptorError(`${what}: no signature`)
  if (issuer.byteLength === 0) throw new UnsignedDescriptorError(`${what}: no issuer key`)
  let key: PublicKey
  try { key = publicKeyFromProtobuf(issuer) } catch (err) { throw new InvalidSignatureError(`${what}.issuer: ${(err as Error).message}`) }
  const id = formatIssuer(issuer)
  if (!trusted.has(id)) throw new UntrustedIssuerError(`${what}: issuer ${id} is not in pipelines.trustedIssuers`)
  if (!(await signatureVerifies(key, bytes, signature))) throw new InvalidSignatureError(`${what}: signature by ${id} does not verify (altered or forged)`)
  return id
}

export interface OpenedDescriptor {
  descriptor: PipelineDescriptor
  /** formatIssuer of the signer */
  issuer: string
}

/** Verifies signature and trust, then decodes with limits. */
export async function openDescriptor (signed: SignedDescriptor, trusted: TrustedIssuers): Promise<OpenedDescriptor> {
  checkVersion('SignedDescriptor', signed.version, PIPELINE_VERSION)
  const d = decodeMessage(PipelineDescriptor, signed.descriptor, 'PipelineDescriptor', { maxBytes: MAX_DESCRIPTOR_BYTES, limits: DESCRIPTOR_LIMITS })
  const issuer = await verifySigned(d.issuer, signed.descriptor, signed.signature, `pipeline ${d.id}`, trusted)
  return { descriptor: d, issuer }
}

/** Verifies a command against the issuer of the pipeline it names. */
export async function openCommand (signed: SignedCommand, issuerOf: (pipelineId: string) => Uint8Array | undefined, trusted: TrustedIssuers): Promise<Command> {
  checkVersion('SignedCommand', signed.version, PIPELINE_VERSION)
  const c = decodeMessage(Command, signed.command, 'Command', { maxBytes: MAX_COMMAND_BYTES })
  checkVersion('Command', c.version, PIPELINE_VERSION)
  const issuer = issuerOf(c.pipelineId)
  if (issuer === undefined) throw new UntrustedIssuerError(`command for unknown pipeline ${c.pipelineId}`)
  await verifySigned(issuer, signed.command, signed.signature, `command for ${c.pipelineId}`, trusted)
  return c
}

/** A short, stable fingerprint of a key for logs. */
export function issuerFingerprint (issuer: Uint8Array): string {
  return toString(issuer.subarray(-6), 'base16')
}
