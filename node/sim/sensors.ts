/**
 * sim-net's SimSensorHook for real peers: a scenario condition (ice at a
 * position and radius, a crash) goes into the Sensor Access Controller of
 * every peer within the radius, so the detector EFs read it through the SAC
 * like any sensor value. Outside conditions the road surface is held at a
 * mild baseline (see DEFAULT_BASELINE_SURFACE_C).
 */
import { distanceMetres } from '../../protocols/index.js'
import type { SensorCondition } from '../../unikernels/index.js'
import type { SimCondition, SimPeerHandle, SimSensorHook } from '../../sim-net/index.js'
import type { PipelinesFeature } from '../pipelines/index.js'
import type { EccoPeer } from '../peer.js'
import { OPEN_END_MS } from './constants.js'
import { UnsupportedConditionError } from './errors.js'
import { runOf, type SimNodeState } from './state.js'

const SURFACE = 'road-surface-temperature'

/** The SAC condition for a scenario condition starting now. */
export function sacCondition (c: SimCondition, now: number): SensorCondition {
  switch (c.condition) {
    // severity 0..1: from just below freezing to -5 °C, saturated air
    case 'ice': return { kind: 'ice', from: now, to: now + OPEN_END_MS, surfaceC: -1 - 4 * c.severity, humidity: 95 }
    case 'crash': return { kind: 'crash', at: now, clearAt: now + OPEN_END_MS, peakDecel: 20 + 30 * c.severity }
    case 'hard-braking': return { kind: 'hard-braking', at: now, durationMs: OPEN_END_MS, decel: 4 + 6 * c.severity }
    default: throw new UnsupportedConditionError(`condition "${c.condition}" (${c.id}): the emulated sensors know ice, crash and hard-braking`)
  }
}

function sacOf (peer: EccoPeer): PipelinesFeature['sac'] | undefined {
  const f = peer.features.get('pipelines') as PipelinesFeature | undefined
  return f?.sac
}

/** Per peer: SAC condition ids of the scenario conditions in force, and of the baseline. */
interface PeerConditions { baseline?: string, byCondition: Map<string, string> }

export class SimSensors implements SimSensorHook {
  private readonly state: SimNodeState
  private readonly baselineSurfaceC: number | undefined
  private readonly injected = new WeakMap<EccoPeer, PeerConditions>()

  constructor (state: SimNodeState, baselineSurfaceC: number | undefined) {
    this.state = state
    this.baselineSurfaceC = baselineSurfaceC
  }

  private of (peer: EccoPeer): PeerConditions {
    let p = this.injected.get(peer)
    if (p === undefined) { p = { byCondition: new Map() }; this.injected.set(peer, p) }
    return p
  }

  /** Holds a freshly started peer's road surface at the baseline while no condition touches it. */
  applyBaseline (peer: EccoPeer): void {
    this.setBaseline(peer, true)
  }

  private setBaseline (peer: EccoPeer, on: boolean): void {
    const sac = sacOf(peer)
    if (sac === undefined || this.baselineSurfaceC === undefined || !sac.has(SURFACE)) return
    const p = this.of(peer)
    if (on && p.baseline === undefined) {
      const now = Date.now()
      p.baseline = sac.inject({ kind: 'override', sensor: SURFACE, from: now - 60_000, to: now + OPEN_END_MS, value: this.baselineSurfaceC })
    } else if (!on && p.baseline !== undefined) {
      sac.clear(p.baseline)
      p.baseline = undefined
    }
  }

  conditionStarted = async (handle: SimPeerHandle, c: SimCondition): Promise<void> => {
    const peer = this.state.peer(handle.name)
    const now = Date.now()
    const cond = sacCondition(c, now)
    this.state.conditionStarted(runOf(peer.config.dataDir), c, now)
    const sac = sacOf(peer)
    if (sac === undefined || distanceMetres(peer.config.position, c.position) > c.radiusM) return
    const p = this.of(peer)
    if (p.byCondition.has(c.id)) return
    // the baseline override would hide the ice from the surface sensor
    if (c.condition === 'ice') this.setBaseline(peer, false)
    p.byCondition.set(c.id, sac.inject(cond))
  }

  conditionEnded = async (handle: SimPeerHandle, id: string): Promise<void> => {
    const peer = this.state.peer(handle.name)
    this.state.conditionEnded(runOf(peer.config.dataDir), id)
    const p = this.injected.get(peer)
    const sacId = p?.byCondition.get(id)
    if (p === undefined || sacId === undefined) return
    sacOf(peer)?.clear(sacId)
    p.byCondition.delete(id)
    if (![...p.byCondition.keys()].some((k) => this.state.conditions.get(`${runOf(peer.config.dataDir)}|${k}`)?.condition.condition === 'ice')) this.setBaseline(peer, true)
  }
}
