/**
 * What node/'s sim-net factories share within one set of factories: the
 * running peers by name (the hooks get handles, the features live on the
 * EccoPeer), the per-run trust, the conditions in force with their wall-clock
 * start (warning latency is measured from it), and pipeline submissions.
 */
import { dirname } from 'node:path'
import { distanceMetres, type Position } from '../../protocols/index.js'
import type { SimCondition } from '../../sim-net/index.js'
import type { EccoPeer } from '../peer.js'
import { SimPeerMissingError } from './errors.js'
import { SimTrustBook } from './trust.js'

/** The run a peer or vehicle belongs to: the engine puts them in `<dataRoot>/<kind>/<name>`. */
export function runOf (dataDir: string): string {
  return dirname(dirname(dataDir))
}

export interface ConditionState {
  /** runOf() of the peers it applies to */
  run: string
  condition: SimCondition
  /** Date.now() when the first peer learnt of it */
  startedAt: number
  endedAt?: number
  /** Date.now() of the first hazard record a finale produced for it */
  detectedAt?: number
}

export class SimNodeState {
  readonly trust = new SimTrustBook()
  readonly peers = new Map<string, EccoPeer>()
  /** by `${run}|${condition id}` */
  readonly conditions = new Map<string, ConditionState>()
  /** pipeline id → Date.now() of its (latest) submission */
  readonly submitted = new Map<string, number>()

  peer (name: string): EccoPeer {
    const p = this.peers.get(name)
    if (p === undefined) throw new SimPeerMissingError(`peer "${name}" was not started by node/'s sim factory`)
    return p
  }

  /** Notes that a scenario condition is in force for `run`: started at its own wall-clock start (the engine's), else now. */
  conditionStarted (run: string, condition: SimCondition, now = Date.now()): ConditionState {
    const key = `${run}|${condition.id}`
    const known = this.conditions.get(key)
    if (known !== undefined && known.endedAt === undefined) return known
    const c = { run, condition, startedAt: condition.startedAt ?? now }
    this.conditions.set(key, c)
    return c
  }

  conditionEnded (run: string, id: string, now = Date.now()): void {
    const known = this.conditions.get(`${run}|${id}`)
    if (known !== undefined && known.endedAt === undefined) known.endedAt = now
  }

  /** The condition of `run` a warning at `position` is about: the nearest started one (ties: the latest). */
  conditionNear (run: string, position: Position): ConditionState | undefined {
    let best: ConditionState | undefined
    let bestD = Infinity
    for (const c of this.conditions.values()) {
      if (c.run !== run) continue
      const d = distanceMetres(position, c.condition.position)
      if (d < bestD || (d === bestD && best !== undefined && c.startedAt > best.startedAt)) { best = c; bestD = d }
    }
    return best
  }
}
