/** Keys, certificates and warnings for the hazard tests (real Ed25519 keys, no mocks). */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import {
  CAUSE_CODE, SUB_CAUSE, createDenm, issueCertificate, offsetMetres, signWarning, type Position, type WarningInput
} from '../../protocols/index.js'

export const ROAD_START: Position = { lat: 48.2625, lon: 11.668 }
export const DAY_MS = 86_400_000

export interface Station { key: PrivateKey, peerId: string, originator: Uint8Array, cert: Uint8Array }

export async function station (operator: PrivateKey, opts: { causes?: number[], centre?: Position, radiusM?: number, notBefore?: number, notAfter?: number, parking?: boolean, key?: PrivateKey } = {}): Promise<Station> {
  const key = opts.key ?? await generateKeyPair('Ed25519')
  const now = Date.now()
  const cert = await issueCertificate(operator, {
    subject: key.publicKey,
    notBefore: opts.notBefore ?? now - DAY_MS,
    notAfter: opts.notAfter ?? now + 365 * DAY_MS,
    causeCodes: opts.causes ?? [CAUSE_CODE.adverseWeatherConditionAdhesion, CAUSE_CODE.collisionRisk],
    area: { centre: opts.centre ?? ROAD_START, radiusM: opts.radiusM ?? 5000 },
    name: 'lamppost',
    parking: opts.parking ?? false
  })
  const id = peerIdFromPrivateKey(key)
  return { key, peerId: id.toString(), originator: id.toMultihash().bytes, cert }
}

export function blackIce (s: Station, over: Partial<WarningInput> = {}): WarningInput {
  return {
    originator: s.originator,
    sequenceNumber: 1,
    eventPosition: offsetMetres(ROAD_START, 0, 1000),
    causeCode: CAUSE_CODE.adverseWeatherConditionAdhesion,
    subCauseCode: SUB_CAUSE.blackIceOnRoad,
    informationQuality: 5,
    pipelineId: 'black-ice',
    ...over
  }
}

export async function signed (s: Station, over: Partial<WarningInput> = {}): Promise<Uint8Array> {
  return signWarning(createDenm(blackIce(s, over)), s.key, s.cert)
}
