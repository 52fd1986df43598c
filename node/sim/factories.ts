/**
 * Everything sim-net can drive with the real peer code: roadside peers with
 * certificates, hazards and pipelines; ecco-vehicle clients; a pipeline
 * submitter signing with the run's issuer key; and the sensor hook that puts
 * scenario conditions into the peers' SACs. A capability that is absent
 * stays undefined, so scenarios that need it fail loudly instead of being faked.
 */
import type { SimNetFactories } from '../../sim-net/index.js'
import { DEFAULT_BASELINE_SURFACE_C } from './constants.js'
import { createSimPeerFactory } from './peer-factory.js'
import { createSimPipelineSubmitter } from './pipelines.js'
import { SimSensors } from './sensors.js'
import { SimNodeState } from './state.js'
import { createSimVehicleFactory } from './vehicles.js'

export interface SimFactoriesInit {
  /**
   * Road surface in °C outside scenario conditions; `null` keeps the SAC's
   * seeded, clock-driven weather (which freezes roads at night)
   * @default 6
   */
  baselineSurfaceC?: number | null
  /** repetition interval of roadside warnings @default 1000 */
  transmissionIntervalMs?: number
  /** how far ahead along its route a vehicle shows warnings @default 5000 */
  lookaheadM?: number
  /** EF catalogue for pinning descriptor image hashes @default the build's */
  catalogueDir?: string
  /** multi-process mode: each peer's process load is its own @default false */
  ownProcess?: boolean
}

export function simFactories (init: SimFactoriesInit = {}, state = new SimNodeState()): SimNetFactories {
  const baseline = init.baselineSurfaceC === undefined ? DEFAULT_BASELINE_SURFACE_C : init.baselineSurfaceC ?? undefined
  const sensors = new SimSensors(state, baseline)
  return {
    peers: createSimPeerFactory({
      ownProcess: init.ownProcess ?? false,
      roadside: {
        state,
        onStarted: (peer) => { sensors.applyBaseline(peer) },
        ...(init.transmissionIntervalMs === undefined ? {} : { transmissionIntervalMs: init.transmissionIntervalMs })
      }
    }),
    vehicles: createSimVehicleFactory({ state, ...(init.lookaheadM === undefined ? {} : { lookaheadM: init.lookaheadM }) }),
    pipelines: createSimPipelineSubmitter({ state, ...(init.catalogueDir === undefined ? {} : { catalogueDir: init.catalogueDir }) }),
    sensors
  }
}
