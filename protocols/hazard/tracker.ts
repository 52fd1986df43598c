/**
 * Per-action state shared by relays and vehicles: every warning version is classified
 * against what was seen before under the same actionId, so a repetition is not shown
 * twice, an update replaces the warning, a termination removes it, and a replay of an
 * older version (or of the warning after its termination) is refused.
 */
import { actionKey, isTermination, validUntil } from './denm.js'
import type { Denm } from './pb/hazard.js'

/**
 * new: first sighting; update: a newer referenceTime; repeat: the same version again;
 * terminated: first sighting of the termination; stale: older than what was seen, or
 * anything after the termination (a replay).
 */
export type ActionClass = 'new' | 'update' | 'repeat' | 'terminated' | 'stale'

export interface TrackedAction {
  key: string
  denm: Denm
  referenceTime: bigint
  terminated: boolean
  /** Unix ms after which the entry is forgotten */
  expiresAt: number
}

export interface ActionTrackerInit {
  /** @default 4096 */
  maxActions?: number
}

export class ActionTracker {
  private readonly actions = new Map<string, TrackedAction>()
  private readonly maxActions: number

  constructor (init: ActionTrackerInit = {}) {
    this.maxActions = init.maxActions ?? 4096
  }

  /** Classifies without recording (a gossip validator's question). */
  classify (denm: Denm): ActionClass {
    const key = actionKey(denm.actionId ?? { originator: new Uint8Array(0), sequenceNumber: 0 })
    const known = this.actions.get(key)
    if (known === undefined) return isTermination(denm) ? 'terminated' : 'new'
    if (known.terminated) return 'stale'
    if (denm.referenceTime < known.referenceTime) return 'stale'
    if (isTermination(denm)) return 'terminated'
    return denm.referenceTime === known.referenceTime ? 'repeat' : 'update'
  }

  /** Classifies and records. */
  observe (denm: Denm, now = Date.now()): ActionClass {
    const c = this.classify(denm)
    if (c === 'stale' || c === 'repeat') return c
    this.prune(now)
    const key = actionKey(denm.actionId ?? { originator: new Uint8Array(0), sequenceNumber: 0 })
    this.actions.delete(key)
    if (this.actions.size >= this.maxActions) this.actions.delete(this.actions.keys().next().value as string)
    // a terminated action is remembered until its validity ends, so a replay stays refused
    this.actions.set(key, { key, denm, referenceTime: denm.referenceTime, terminated: c === 'terminated', expiresAt: validUntil(denm) })
    return c
  }

  get (key: string): TrackedAction | undefined {
    return this.actions.get(key)
  }

  /** Active (not terminated, not expired) actions. */
  active (now = Date.now()): TrackedAction[] {
    return [...this.actions.values()].filter((a) => !a.terminated && a.expiresAt > now)
  }

  /** Drops entries whose validity ended; returns the active (not terminated) ones among them. */
  prune (now = Date.now()): TrackedAction[] {
    const expired: TrackedAction[] = []
    for (const [key, a] of this.actions) {
      if (a.expiresAt > now) continue
      this.actions.delete(key)
      if (!a.terminated) expired.push(a)
    }
    return expired
  }

  get size (): number { return this.actions.size }
}
