/**
 * sim-net's SimVehicleFactory: each scenario vehicle is a real ecco-vehicle
 * light client (node/vehicle) over a shaped transport, trusting the run's
 * operator key. The engine drives it with moveTo; every warning it shows is
 * reported through `record`: latency from the DENM's detection time and from
 * the start of the scenario condition it is about.
 */
import { tcp } from '@libp2p/tcp'
import { SIM_VEHICLE_METRICS, type SimRecordFn, type SimVehicleFactory, type SimVehicleHandle, type SimVehicleSpec } from '../../sim-net/index.js'
import { createVehicle, type ShownWarning, type Vehicle } from '../vehicle/index.js'
import { DEFAULT_VEHICLE_LOOKAHEAD_M, SERIES } from './constants.js'
import { runOf, type SimNodeState } from './state.js'

export interface SimVehicleFactoryInit {
  state: SimNodeState
  /** how far ahead along its route a vehicle shows warnings @default 5000 */
  lookaheadM?: number
}

/** Counters a vehicle handle reports (results.json `vehicles[].metrics`). */
interface VehicleCounters { shown: number, cleared: number, updated: number, rejected: number }

function onShown (w: ShownWarning, spec: SimVehicleSpec, state: SimNodeState, record: SimRecordFn, c: VehicleCounters): void {
  c.shown++
  const detection = Number(w.denm.detectionTime)
  const fields = { vehicle: spec.name, action: w.key, distanceM: Math.round(w.distanceM), cause: w.cause }
  record(SERIES.warningLatency, w.shownAt - detection, fields)
  const where = w.denm.eventPosition
  const cond = where === undefined ? undefined : state.conditionNear(runOf(spec.dataDir), where)
  if (cond !== undefined && cond.endedAt === undefined) {
    const after = w.shownAt - cond.startedAt
    record(SERIES.warningAfterCondition, after, { ...fields, condition: cond.condition.id })
  }
}

export function createSimVehicleFactory (init: SimVehicleFactoryInit): SimVehicleFactory & { vehicles: Map<string, Vehicle> } {
  const vehicles = new Map<string, Vehicle>()
  return {
    vehicles,
    createVehicle: async (spec: SimVehicleSpec): Promise<SimVehicleHandle> => {
      const trust = await init.state.trust.forDataDir(spec.dataDir)
      const wrap = spec.transportWrapper
      const car = await createVehicle({
        operatorKeys: [trust.operator.publicKey],
        bootstrap: spec.bootstrap,
        position: spec.position,
        route: spec.route,
        // the engine moves the vehicle (moveTo), so it does not drive itself
        speedMps: 0,
        listen: [spec.listen],
        lookaheadM: init.lookaheadM ?? DEFAULT_VEHICLE_LOOKAHEAD_M,
        transports: [wrap === undefined ? tcp() : wrap(tcp())]
      })
      const c: VehicleCounters = { shown: 0, cleared: 0, updated: 0, rejected: 0 }
      car.addEventListener('warning:shown', (e) => { onShown(e.detail, spec, init.state, spec.record, c) })
      car.addEventListener('warning:updated', () => { c.updated++ })
      car.addEventListener('warning:cleared', () => { c.cleared++ })
      car.addEventListener('warning:rejected', () => { c.rejected++ })
      await car.start()
      vehicles.set(spec.name, car)
      return {
        name: spec.name,
        peerId: car.peerId,
        multiaddrs: car.libp2p.getMultiaddrs().map(String),
        moveTo: (position) => { car.setPosition(position) },
        stop: async () => { await car.stop() },
        metrics: () => ({
          ...Object.fromEntries(Object.entries(car.inbox.stats.rejected).map(([reason, n]) => [`hazard_messages_rejected_${reason}`, n ?? 0])),
          [SIM_VEHICLE_METRICS.received]: car.inbox.stats.accepted + car.inbox.stats.repeats,
          [SIM_VEHICLE_METRICS.shown]: c.shown,
          warnings_updated: c.updated,
          warnings_cleared: c.cleared,
          warnings_rejected: c.rejected,
          [SIM_VEHICLE_METRICS.onDisplay]: car.warnings().length,
          hazard_messages_accepted: car.inbox.stats.accepted,
          hazard_messages_repeated: car.inbox.stats.repeats,
          connections: car.libp2p.getConnections().length,
          cells_watched: car.cells().length
        })
      }
    }
  }
}
