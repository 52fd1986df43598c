/**
 * @packageDocumentation
 * Hazard warnings modelled on ETSI DENM (EN 302 637-3) with the cause code table of
 * TS 102 894-2: building, validating, signing and decoding warnings, the topics they are
 * disseminated on (`ecco/v1/hazards/<geohash-5>` for every cell within the relevance
 * distance), and free-parking information as its own message on `ecco/v1/parking/<cell>`.
 * Trust (certificates, revocations, `verifyWarning`) lives in protocols/certs.
 *
 * @example
 * ```ts
 * const denm = createDenm({
 *   originator: peerId.toMultihash().bytes, sequenceNumber: 1, eventPosition: { lat, lon },
 *   causeCode: CAUSE_CODE.adverseWeatherConditionAdhesion, subCauseCode: SUB_CAUSE.blackIceOnRoad
 * })
 * const bytes = await signWarning(denm, privateKey, certificateBytes)
 * for (const cell of disseminationCells(denm)) await pubsub.publish(hazardTopic(cell), bytes)
 * ```
 */
export * from './cause-codes.js'
export * from './constants.js'
export * from './errors.js'
export * from './denm.js'
export * from './dissemination.js'
export * from './parking.js'
export * from './tracker.js'
export { Denm, SignedWarning, FreeParking, SignedParking, RelevanceDistance, RelevanceTrafficDirection, Termination } from './pb/hazard.js'
export type { ActionId, EventPosition } from './pb/hazard.js'
