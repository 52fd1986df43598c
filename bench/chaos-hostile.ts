/**
 * What the hostile peers of `npm run chaos` send: forged black-ice warnings of every
 * kind a validator must catch, junk on mesh topics, floods, oversized gossip and
 * malformed stream frames. Each function returns how many messages it sent.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import {
  CAUSE_CODE, HAZARD_CELL_PRECISION, STATE_TOPIC, SUB_CAUSE, SYNC_PROTOCOL, createDenm, encodeGeohash, hazardTopic,
  offsetMetres, signWarning, type Position, type WarningInput
} from '../protocols/index.js'
import { CERT_PROTOCOL } from '../node/security/index.js'
import type { Hostile, SecureMesh } from '../test/security/harness.js'

export type ForgeryKind = 'untrusted-issuer' | 'cause-not-certified' | 'originator-spoofed' | 'outside-area' | 'expired' | 'bad-signature' | 'garbage'
export const FORGERY_KINDS: readonly ForgeryKind[] = ['untrusted-issuer', 'cause-not-certified', 'originator-spoofed', 'outside-area', 'expired', 'bad-signature', 'garbage']

/** A hostile's keys: its own (possibly genuinely certified) and a rogue operator's certificate for it. */
export interface Forger {
  node: Hostile
  key: PrivateKey
  /** a genuine operator certificate (an insider), or undefined (an outsider) */
  certificate?: Uint8Array
  rogueCertificate: Uint8Array
}

export async function forger (m: SecureMesh, at: Position, insider: boolean): Promise<Forger> {
  const key = await generateKeyPair('Ed25519')
  const certificate = insider ? await m.certificateFor(key, at) : undefined
  const rogue = await generateKeyPair('Ed25519')
  const node = await m.hostile({ key, ...(certificate === undefined ? {} : { certificate }) })
  return { node, key, certificate, rogueCertificate: await m.certificateFor(key, at, rogue) }
}

function input (f: Forger, seq: number, at: Position, over: Partial<WarningInput> = {}): WarningInput {
  return {
    originator: peerIdFromPrivateKey(f.key).toMultihash().bytes,
    sequenceNumber: seq,
    eventPosition: at,
    causeCode: CAUSE_CODE.adverseWeatherConditionAdhesion,
    subCauseCode: SUB_CAUSE.blackIceOnRoad,
    informationQuality: 7,
    validityS: 60,
    ...over
  }
}

/** One forged warning of `kind` about `at`, as bytes for the hazard topic of `at`'s cell. */
export async function forge (f: Forger, kind: ForgeryKind, seq: number, at: Position, victim: Uint8Array): Promise<Uint8Array> {
  const cert = f.certificate ?? f.rogueCertificate
  switch (kind) {
    case 'untrusted-issuer': return await signWarning(createDenm(input(f, seq, at)), f.key, f.rogueCertificate)
    case 'cause-not-certified': return await signWarning(createDenm(input(f, seq, at, { causeCode: CAUSE_CODE.hazardousLocationObstacleOnTheRoad, subCauseCode: 1 })), f.key, cert)
    case 'originator-spoofed': return await signWarning(createDenm(input(f, seq, at, { originator: victim })), f.key, cert)
    // the event is 50 km away, published on a local cell: out of the certificate's area
    case 'outside-area': return await signWarning(createDenm(input(f, seq, offsetMetres(at, 50_000, 0))), f.key, cert)
    case 'expired': {
      const old = Date.now() - 3_600_000
      return await signWarning(createDenm(input(f, seq, at, { detectionTime: old, referenceTime: old, validityS: 60 })), f.key, cert)
    }
    case 'bad-signature': {
      const bytes = await signWarning(createDenm(input(f, seq, at)), f.key, cert)
      bytes[bytes.length - 3] ^= 0xff
      return bytes
    }
    case 'garbage': {
      const out = new Uint8Array(96 + (seq % 64))
      for (let i = 0; i < out.length; i++) out[i] = (seq * 31 + i * 7) & 0xff
      return out
    }
  }
}

export function topicOf (at: Position): string {
  return hazardTopic(encodeGeohash(at, HAZARD_CELL_PRECISION))
}

/** Publishes, tolerating "no peers" (the hostile may have been graylisted or cut off). */
export async function send (node: Hostile, topic: string, data: Uint8Array): Promise<boolean> {
  try {
    await node.services.pubsub.publish(topic, data)
    return true
  } catch {
    return false
  }
}

/** `count` junk messages on the state topic as fast as the hostile can sign them. */
export async function flood (node: Hostile, count: number, seed: number): Promise<number> {
  let sent = 0
  for (let i = 0; i < count; i++) {
    const junk = new Uint8Array(64)
    junk.fill((seed + i) & 0xff)
    if (await send(node, STATE_TOPIC, junk)) sent++
    // yield now and then: the hostile shares the process with its victims
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
  }
  return sent
}

/**
 * Malformed frames on stream protocols: a length prefix announcing 1 GiB, a truncated
 * frame, and a well-framed protobuf of garbage. Returns the frames sent.
 */
export async function malformedFrames (node: Hostile, target: Parameters<Hostile['dialProtocol']>[0]): Promise<number> {
  const frames = [
    Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x04),
    Uint8Array.of(0x20, 1, 2, 3),
    Uint8Array.of(0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
  ]
  let sent = 0
  for (const protocol of [SYNC_PROTOCOL, CERT_PROTOCOL]) {
    for (const frame of frames) {
      try {
        const stream = await node.dialProtocol(target, protocol, { signal: AbortSignal.timeout(3000) })
        await stream.sink([frame])
        sent++
        stream.abort(new Error('hostile done'))
      } catch {}
    }
  }
  return sent
}
