/**
 * Free-parking information: not a DENM (TS 102 894-2 has no parking cause), so its own
 * message on its own topic, signed like a warning by a certified roadside peer.
 */
import type { PrivateKey } from '@libp2p/interface'
import { assertPosition, type Position } from '../geo/index.js'
import { checkVersion, decodeMessage, InvalidMessageError } from '../wire/index.js'
import {
  HAZARD_VERSION, MAX_ORIGINATOR_BYTES, MAX_PARKING_BYTES, MAX_PIPELINE_ID_LENGTH, MAX_SIGNED_PARKING_BYTES, MAX_VALIDITY_S, PARKING_LIMITS
} from './constants.js'
import { InvalidWarningError } from './errors.js'
import { FreeParking, SignedParking } from './pb/hazard.js'

export interface FreeParkingInput {
  originator: Uint8Array
  sequenceNumber: number
  position: Position
  spots: number
  free: number[]
  /** Unix ms @default now */
  time?: number
  /** @default 120 */
  validityS?: number
  /** @default '' */
  pipelineId?: string
}

export function createFreeParking (input: FreeParkingInput): FreeParking {
  const p: FreeParking = {
    version: HAZARD_VERSION,
    originator: input.originator,
    sequenceNumber: input.sequenceNumber,
    time: BigInt(Math.round(input.time ?? Date.now())),
    position: { lat: input.position.lat, lon: input.position.lon },
    spots: input.spots,
    free: input.free,
    validityDuration: input.validityS ?? 120,
    pipelineId: input.pipelineId ?? ''
  }
  validateFreeParking(p)
  return p
}

export function validateFreeParking (p: FreeParking): void {
  const bad = (field: string, why: string): never => { throw new InvalidWarningError(`FreeParking.${field}: ${why}`) }
  if (p.originator.byteLength === 0 || p.originator.byteLength > MAX_ORIGINATOR_BYTES) bad('originator', `${p.originator.byteLength} bytes`)
  if (p.time <= 0n) bad('time', 'not a time')
  const pos = p.position
  if (pos === undefined) return bad('position', 'missing')
  try { assertPosition(pos, 'position') } catch (err) { bad('position', (err as Error).message) }
  if (p.spots > PARKING_LIMITS.free) bad('spots', `${p.spots} exceeds ${PARKING_LIMITS.free}`)
  if (p.free.length > p.spots) bad('free', `${p.free.length} free of ${p.spots} spots`)
  const i = p.free.findIndex((s) => s >= p.spots)
  if (i >= 0) bad(`free[${i}]`, `spot ${p.free[i]} outside 0..${p.spots - 1}`)
  if (p.validityDuration > MAX_VALIDITY_S) bad('validityDuration', `${p.validityDuration} s exceeds ${MAX_VALIDITY_S}`)
  if (p.pipelineId.length > MAX_PIPELINE_ID_LENGTH) bad('pipelineId', 'too long')
}

export function decodeFreeParking (bytes: Uint8Array): FreeParking {
  const p = decodeMessage(FreeParking, bytes, 'FreeParking', { maxBytes: MAX_PARKING_BYTES, limits: PARKING_LIMITS })
  checkVersion('FreeParking', p.version, HAZARD_VERSION)
  validateFreeParking(p)
  return p
}

export function decodeSignedFreeParking (bytes: Uint8Array): SignedParking {
  const s = decodeMessage(SignedParking, bytes, 'SignedParking', { maxBytes: MAX_SIGNED_PARKING_BYTES })
  checkVersion('SignedParking', s.version, HAZARD_VERSION)
  if (s.signature.byteLength === 0) throw new InvalidMessageError('SignedParking.signature: empty')
  return s
}

export async function signFreeParking (p: FreeParking, key: PrivateKey, certificate: Uint8Array): Promise<Uint8Array> {
  validateFreeParking(p)
  const bytes = FreeParking.encode(p)
  return SignedParking.encode({ version: HAZARD_VERSION, parking: bytes, signature: await key.sign(bytes), certificate })
}
