import { RelevanceDistance } from './pb/hazard.js'

export const HAZARD_VERSION = 1
/** Topic prefix; the suffix is a geohash cell of HAZARD_CELL_PRECISION characters. */
export const HAZARD_TOPIC_PREFIX = 'ecco/v1/hazards/'
export const PARKING_TOPIC_PREFIX = 'ecco/v1/parking/'
/** Geohash-5 cells are about 4.9 km x 4.9 km: a few topics cover a relevance area. */
export const HAZARD_CELL_PRECISION = 5
/** DENM's default validity (EN 302 637-3 7.1.3: validityDuration default 600 s). */
export const DEFAULT_VALIDITY_S = 600
/** DE_ValidityDuration range: 0..86400 s. */
export const MAX_VALIDITY_S = 86_400
/** DE_TransmissionInterval range: 1..10000 ms. */
export const MAX_TRANSMISSION_INTERVAL_MS = 10_000
/** @see {@link WarningInput.transmissionIntervalMs} */
export const DEFAULT_TRANSMISSION_INTERVAL_MS = 1000
export const MAX_INFORMATION_QUALITY = 7
export const MAX_DENM_BYTES = 1024
export const MAX_SIGNED_WARNING_BYTES = 8 * 1024
export const MAX_PARKING_BYTES = 4 * 1024
export const MAX_SIGNED_PARKING_BYTES = 12 * 1024
export const MAX_ORIGINATOR_BYTES = 64
export const MAX_PIPELINE_ID_LENGTH = 128
export const PARKING_LIMITS = { free: 1024 }

/**
 * Upper bound in metres of each DE_RelevanceDistance value (TS 102 894-2 A.123);
 * over10km is taken as 20 km for the dissemination area.
 */
export const RELEVANCE_METRES: Readonly<Record<RelevanceDistance, number>> = Object.freeze({
  [RelevanceDistance.LESS_THAN_50M]: 50,
  [RelevanceDistance.LESS_THAN_100M]: 100,
  [RelevanceDistance.LESS_THAN_200M]: 200,
  [RelevanceDistance.LESS_THAN_500M]: 500,
  [RelevanceDistance.LESS_THAN_1000M]: 1000,
  [RelevanceDistance.LESS_THAN_5KM]: 5000,
  [RelevanceDistance.LESS_THAN_10KM]: 10_000,
  [RelevanceDistance.OVER_10KM]: 20_000
})
