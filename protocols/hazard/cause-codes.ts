/**
 * The DENM cause code table: ETSI TS 102 894-2 V1.3.1 (2018-08), Intelligent Transport
 * Systems; Users and applications requirements; Part 2: Applications and facilities layer
 * common data dictionary, DE_CauseCodeType (A.10) and the DE_*SubCauseCode types
 * (A.11 - A.35), as used in the situation container of EN 302 637-3 (DENM).
 *
 * Only the causes a roadside ECCO pipeline can detect are listed with their sub-causes;
 * a cause code outside this table is refused on the wire (an unknown code cannot be
 * shown to a driver meaningfully, and a certificate cannot grant it knowingly).
 */
export interface CauseCodeEntry {
  /** DE_CauseCodeType value */
  code: number
  /** ASN.1 identifier of the cause */
  name: string
  /** sub-cause value -> ASN.1 identifier; 0 is always "unavailable" */
  subCauses: Readonly<Record<number, string>>
}

/** DE_CauseCodeType values used by ECCO pipelines (TS 102 894-2 A.10). */
export const CAUSE_CODE = {
  trafficCondition: 1,
  accident: 2,
  roadworks: 3,
  adverseWeatherConditionAdhesion: 6,
  hazardousLocationSurfaceCondition: 9,
  hazardousLocationObstacleOnTheRoad: 10,
  wrongWayDriving: 14,
  adverseWeatherConditionVisibility: 18,
  stationaryVehicle: 94,
  collisionRisk: 97
} as const

export const CAUSE_CODE_TABLE: Readonly<Record<number, CauseCodeEntry>> = Object.freeze({
  // A.13 DE_TrafficConditionSubCauseCode
  1: { code: 1, name: 'trafficCondition', subCauses: { 0: 'unavailable', 1: 'increasedVolumeOfTraffic', 2: 'trafficJamSlowlyIncreasing', 3: 'trafficJamIncreasing', 4: 'trafficJamStronglyIncreasing', 5: 'trafficStationary', 6: 'trafficJamSlightlyDecreasing', 7: 'trafficJamDecreasing', 8: 'trafficJamStronglyDecreasing' } },
  // A.11 DE_AccidentSubCauseCode
  2: { code: 2, name: 'accident', subCauses: { 0: 'unavailable', 1: 'multiVehicleAccident', 2: 'heavyAccident', 3: 'accidentInvolvingLorry', 4: 'accidentInvolvingBus', 5: 'accidentInvolvingHazardousMaterials', 6: 'accidentOnOppositeLane', 7: 'unsecuredAccident', 8: 'assistanceRequested' } },
  // A.29 DE_RoadworksSubCauseCode
  3: { code: 3, name: 'roadworks', subCauses: { 0: 'unavailable', 1: 'majorRoadworks', 2: 'roadMarkingWork', 3: 'slowMovingRoadMaintenance', 4: 'shortTermStationaryRoadworks', 5: 'streetCleaning', 6: 'winterService' } },
  // A.12 DE_AdverseWeatherCondition-AdhesionSubCauseCode
  6: { code: 6, name: 'adverseWeatherCondition-Adhesion', subCauses: { 0: 'unavailable', 1: 'heavyFrostOnRoad', 2: 'fuelOnRoad', 3: 'mudOnRoad', 4: 'snowOnRoad', 5: 'iceOnRoad', 6: 'blackIceOnRoad', 7: 'oilOnRoad', 8: 'looseChippings', 9: 'instantBlackIce', 10: 'roadsSalted' } },
  // A.19 DE_HazardousLocation-SurfaceConditionSubCauseCode
  9: { code: 9, name: 'hazardousLocation-SurfaceCondition', subCauses: { 0: 'unavailable', 1: 'rockfalls', 2: 'earthquakeDamage', 3: 'sewerCollapse', 4: 'subsidence', 5: 'snowDrifts', 6: 'stormDamage', 7: 'burstPipe', 8: 'volcanoEruption', 9: 'fallingIce' } },
  // A.18 DE_HazardousLocation-ObstacleOnTheRoadSubCauseCode
  10: { code: 10, name: 'hazardousLocation-ObstacleOnTheRoad', subCauses: { 0: 'unavailable', 1: 'shedLoad', 2: 'partsOfVehicles', 3: 'partsOfTyres', 4: 'bigObjects', 5: 'fallenTrees', 6: 'hubCaps', 7: 'waitingVehicles' } },
  // A.35 DE_WrongWayDrivingSubCauseCode
  14: { code: 14, name: 'wrongWayDriving', subCauses: { 0: 'unavailable', 1: 'wrongLane', 2: 'wrongDirection' } },
  // A.16 DE_AdverseWeatherCondition-VisibilitySubCauseCode
  18: { code: 18, name: 'adverseWeatherCondition-Visibility', subCauses: { 0: 'unavailable', 1: 'fog', 2: 'smoke', 3: 'heavySnowfall', 4: 'heavyRain', 5: 'heavyHail', 6: 'lowSunGlare', 7: 'sandstorms', 8: 'swarmsOfInsects' } },
  // A.31 DE_StationaryVehicleSubCauseCode
  94: { code: 94, name: 'stationaryVehicle', subCauses: { 0: 'unavailable', 1: 'humanProblem', 2: 'vehicleBreakdown', 3: 'postCrash', 4: 'publicTransportStop', 5: 'carryingDangerousGoods' } },
  // A.14 DE_CollisionRiskSubCauseCode
  97: { code: 97, name: 'collisionRisk', subCauses: { 0: 'unavailable', 1: 'longitudinalCollisionRisk', 2: 'crossingCollisionRisk', 3: 'lateralCollisionRisk', 4: 'vulnerableRoadUser' } }
})

/** Sub-cause values of the causes ECCO pipelines emit most (TS 102 894-2 A.12, A.14, A.35). */
export const SUB_CAUSE = {
  iceOnRoad: 5,
  blackIceOnRoad: 6,
  longitudinalCollisionRisk: 1,
  crossingCollisionRisk: 2,
  lateralCollisionRisk: 3,
  vulnerableRoadUser: 4,
  wrongLane: 1,
  wrongDirection: 2
} as const

export function isKnownCause (cause: number, subCause = 0): boolean {
  const entry = CAUSE_CODE_TABLE[cause]
  return entry !== undefined && Object.hasOwn(entry.subCauses, subCause)
}

/** "blackIceOnRoad (6/6)": the sub-cause name when there is one, else the cause name. */
export function describeCause (cause: number, subCause = 0): string {
  const entry = CAUSE_CODE_TABLE[cause]
  if (entry === undefined) return `cause ${cause}/${subCause}`
  const sub = subCause === 0 ? undefined : entry.subCauses[subCause]
  return `${sub ?? entry.name} (${cause}/${subCause})`
}
