/**
 * DENM-style warnings: building one with DENM's defaults, validating every field of a
 * decoded one, and the signed envelope that travels on the hazard topics.
 */
import type { PrivateKey } from '@libp2p/interface'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { assertPosition, type Position } from '../geo/index.js'
import { checkEnum, checkVersion, decodeMessage, InvalidMessageError } from '../wire/index.js'
import { isKnownCause } from './cause-codes.js'
import {
  DEFAULT_TRANSMISSION_INTERVAL_MS, DEFAULT_VALIDITY_S, HAZARD_VERSION, MAX_DENM_BYTES, MAX_INFORMATION_QUALITY,
  MAX_ORIGINATOR_BYTES, MAX_PIPELINE_ID_LENGTH, MAX_SIGNED_WARNING_BYTES, MAX_TRANSMISSION_INTERVAL_MS, MAX_VALIDITY_S, RELEVANCE_METRES
} from './constants.js'
import { InvalidWarningError } from './errors.js'
import { Denm, RelevanceDistance, RelevanceTrafficDirection, SignedWarning, Termination, type ActionId } from './pb/hazard.js'

/** The enumerations in DENM order (the generated enum objects also carry a codec). */
export const RELEVANCE_DISTANCES: readonly RelevanceDistance[] = [
  RelevanceDistance.LESS_THAN_50M, RelevanceDistance.LESS_THAN_100M, RelevanceDistance.LESS_THAN_200M, RelevanceDistance.LESS_THAN_500M,
  RelevanceDistance.LESS_THAN_1000M, RelevanceDistance.LESS_THAN_5KM, RelevanceDistance.LESS_THAN_10KM, RelevanceDistance.OVER_10KM
]
export const RELEVANCE_TRAFFIC_DIRECTIONS: readonly RelevanceTrafficDirection[] = [
  RelevanceTrafficDirection.ALL_TRAFFIC_DIRECTIONS, RelevanceTrafficDirection.UPSTREAM_TRAFFIC,
  RelevanceTrafficDirection.DOWNSTREAM_TRAFFIC, RelevanceTrafficDirection.OPPOSITE_TRAFFIC
]
export const TERMINATIONS: readonly Termination[] = [Termination.NONE, Termination.IS_CANCELLATION, Termination.IS_NEGATION]

export interface WarningInput {
  /** the originating peer's id as bytes (`peerId.toMultihash().bytes`) */
  originator: Uint8Array
  sequenceNumber: number
  eventPosition: Position
  causeCode: number
  /** @default 0 (unavailable) */
  subCauseCode?: number
  /** Unix ms @default now */
  detectionTime?: number
  /** Unix ms @default now */
  referenceTime?: number
  /** @default RelevanceDistance.LESS_THAN_1000M */
  relevanceDistance?: RelevanceDistance
  /** @default RelevanceTrafficDirection.ALL_TRAFFIC_DIRECTIONS */
  relevanceTrafficDirection?: RelevanceTrafficDirection
  /** @default 600 (DENM) */
  validityS?: number
  /** @default 1000 */
  transmissionIntervalMs?: number
  /** 0..7 @default 0 (unavailable) */
  informationQuality?: number
  /** degrees from north of the affected traffic */
  eventHeadingDeg?: number
  /** @default '' */
  pipelineId?: string
  /** @default Termination.NONE */
  termination?: Termination
}

export function createDenm (input: WarningInput): Denm {
  const now = Date.now()
  const detectionTime = input.detectionTime ?? now
  const denm: Denm = {
    version: HAZARD_VERSION,
    actionId: { originator: input.originator, sequenceNumber: input.sequenceNumber },
    detectionTime: BigInt(Math.round(detectionTime)),
    referenceTime: BigInt(Math.round(input.referenceTime ?? Math.max(now, detectionTime))),
    termination: input.termination ?? Termination.NONE,
    eventPosition: { lat: input.eventPosition.lat, lon: input.eventPosition.lon },
    relevanceDistance: input.relevanceDistance ?? RelevanceDistance.LESS_THAN_1000M,
    relevanceTrafficDirection: input.relevanceTrafficDirection ?? RelevanceTrafficDirection.ALL_TRAFFIC_DIRECTIONS,
    validityDuration: input.validityS ?? DEFAULT_VALIDITY_S,
    transmissionInterval: input.transmissionIntervalMs ?? DEFAULT_TRANSMISSION_INTERVAL_MS,
    causeCode: input.causeCode,
    subCauseCode: input.subCauseCode ?? 0,
    informationQuality: input.informationQuality ?? 0,
    pipelineId: input.pipelineId ?? ''
  }
  if (input.eventHeadingDeg !== undefined) denm.eventHeading = Math.round((((input.eventHeadingDeg % 360) + 360) % 360) * 10) % 3600
  validateDenm(denm)
  return denm
}

function fail (field: string, why: string): never {
  throw new InvalidWarningError(`Denm.${field}: ${why}`)
}

/** Every field in range; throws InvalidWarningError naming the first bad one. */
export function validateDenm (d: Denm): void {
  if (d.actionId === undefined) fail('actionId', 'missing')
  const o = d.actionId.originator.byteLength
  if (o === 0 || o > MAX_ORIGINATOR_BYTES) fail('actionId.originator', `${o} bytes, expected 1..${MAX_ORIGINATOR_BYTES}`)
  if (d.detectionTime <= 0n) fail('detectionTime', `${d.detectionTime} is not a time`)
  if (d.referenceTime < d.detectionTime) fail('referenceTime', `${d.referenceTime} precedes detectionTime ${d.detectionTime}`)
  if (d.eventPosition === undefined) fail('eventPosition', 'missing')
  try { assertPosition(d.eventPosition, 'eventPosition') } catch (err) { fail('eventPosition', (err as Error).message) }
  try {
    checkEnum('Denm', 'termination', d.termination, TERMINATIONS)
    checkEnum('Denm', 'relevanceDistance', d.relevanceDistance, RELEVANCE_DISTANCES)
    checkEnum('Denm', 'relevanceTrafficDirection', d.relevanceTrafficDirection, RELEVANCE_TRAFFIC_DIRECTIONS)
  } catch (err) {
    throw new InvalidWarningError((err as Error).message)
  }
  if (d.validityDuration > MAX_VALIDITY_S) fail('validityDuration', `${d.validityDuration} s exceeds ${MAX_VALIDITY_S}`)
  if (d.transmissionInterval < 1 || d.transmissionInterval > MAX_TRANSMISSION_INTERVAL_MS) fail('transmissionInterval', `${d.transmissionInterval} ms outside 1..${MAX_TRANSMISSION_INTERVAL_MS}`)
  if (!isKnownCause(d.causeCode, d.subCauseCode)) fail('causeCode', `${d.causeCode}/${d.subCauseCode} is not in the DENM cause code table (TS 102 894-2)`)
  if (d.informationQuality > MAX_INFORMATION_QUALITY) fail('informationQuality', `${d.informationQuality} outside 0..${MAX_INFORMATION_QUALITY}`)
  if (d.eventHeading !== undefined && d.eventHeading >= 3600) fail('eventHeading', `${d.eventHeading} outside 0..3599 (0.1 degrees)`)
  if (d.pipelineId.length > MAX_PIPELINE_ID_LENGTH) fail('pipelineId', `${d.pipelineId.length} characters exceeds ${MAX_PIPELINE_ID_LENGTH}`)
}

export function encodeDenm (d: Denm): Uint8Array {
  return Denm.encode(d)
}

/** Bounded decode plus full validation: InvalidMessageError or InvalidWarningError. */
export function decodeDenm (bytes: Uint8Array): Denm {
  const d = decodeMessage(Denm, bytes, 'Denm', { maxBytes: MAX_DENM_BYTES })
  checkVersion('Denm', d.version, HAZARD_VERSION)
  validateDenm(d)
  return d
}

export function decodeSignedWarning (bytes: Uint8Array): SignedWarning {
  const w = decodeMessage(SignedWarning, bytes, 'SignedWarning', { maxBytes: MAX_SIGNED_WARNING_BYTES })
  checkVersion('SignedWarning', w.version, HAZARD_VERSION)
  if (w.signature.byteLength === 0) throw new InvalidMessageError('SignedWarning.signature: empty')
  return w
}

/** Signs the encoded DENM with the originating peer's key and attaches its certificate. */
export async function signWarning (denm: Denm, key: PrivateKey, certificate: Uint8Array): Promise<Uint8Array> {
  validateDenm(denm)
  const bytes = encodeDenm(denm)
  const signature = await key.sign(bytes)
  return SignedWarning.encode({ version: HAZARD_VERSION, denm: bytes, signature, certificate })
}

/** `<originator PeerId>:<sequence>`: the identity of a warning across its updates. */
export function actionKey (id: ActionId): string {
  return `${uint8ArrayToString(id.originator, 'base58btc')}:${id.sequenceNumber}`
}

/** The smallest DENM relevance distance that covers `metres`. */
export function relevanceDistanceFor (metres: number): RelevanceDistance {
  for (const rd of RELEVANCE_DISTANCES) if (RELEVANCE_METRES[rd] >= metres) return rd
  return RelevanceDistance.OVER_10KM
}

export function relevanceMetres (rd: RelevanceDistance): number {
  return RELEVANCE_METRES[rd]
}

/** Unix ms at which the warning stops being valid: detectionTime + validityDuration. */
export function validUntil (d: Denm): number {
  return Number(d.detectionTime) + d.validityDuration * 1000
}

export function isTermination (d: Denm): boolean {
  return d.termination !== Termination.NONE
}
