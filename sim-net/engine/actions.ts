/**
 * The scenario as a list of timed actions: peer starts, vehicle starts,
 * pipeline submissions, workloads, and the faults and conditions of
 * `events:` (with their end actions for `until`). Each action reports a
 * FaultRecord-shaped outcome.
 */
import type { FaultRecord } from './results.js'
import type { Scenario } from '../scenario/schema.js'

export interface ActionOutcome {
  detail?: Record<string, string | number>
  /** label of the membership change for convergence tracking */
  change?: string
}

export interface Action {
  atMs: number
  type: FaultRecord['type']
  target: string
  run: () => Promise<ActionOutcome>
}

export interface ActionHandlers {
  startPeers: (names: string[]) => Promise<ActionOutcome>
  startVehicle: (name: string) => Promise<ActionOutcome>
  submitPipeline: (file: string, via: string) => Promise<ActionOutcome>
  startWorkload: (index: number) => Promise<ActionOutcome>
  crash: (node: string) => Promise<ActionOutcome>
  restart: (node: string) => Promise<ActionOutcome>
  partition: (id: string, a: string[], b: string[]) => Promise<ActionOutcome>
  heal: (id: string) => Promise<ActionOutcome>
  degrade: (id: string, index: number) => Promise<ActionOutcome>
  restore: (id: string) => Promise<ActionOutcome>
  conditionStart: (index: number) => Promise<ActionOutcome>
  conditionEnd: (id: string) => Promise<ActionOutcome>
}

/** Every action after t=0 (peers with startAt 0 are started before the clock runs), in time order. */
export function buildActions (s: Scenario, h: ActionHandlers): Action[] {
  const out: Action[] = []
  const late = new Map<number, string[]>()
  for (const n of s.nodes) {
    if (n.startAtMs === 0) continue
    late.set(n.startAtMs, [...(late.get(n.startAtMs) ?? []), n.name])
  }
  for (const [atMs, names] of late) out.push({ atMs, type: 'start', target: names.join(','), run: async () => h.startPeers(names) })
  for (const v of s.vehicles) out.push({ atMs: v.startAtMs, type: 'vehicle', target: v.name, run: async () => h.startVehicle(v.name) })
  for (const p of s.pipelines) out.push({ atMs: p.atMs, type: 'pipeline', target: p.file, run: async () => h.submitPipeline(p.file, p.via) })
  s.workloads.forEach((w, i) => { out.push({ atMs: w.atMs, type: 'workload', target: w.type, run: async () => h.startWorkload(i) }) })
  s.events.forEach((e, i) => {
    switch (e.type) {
      case 'crash': out.push({ atMs: e.atMs, type: 'crash', target: e.node, run: async () => h.crash(e.node) }); break
      case 'restart': out.push({ atMs: e.atMs, type: 'restart', target: e.node, run: async () => h.restart(e.node) }); break
      case 'partition': out.push({ atMs: e.atMs, type: 'partition', target: e.id, run: async () => h.partition(e.id, e.groups[0], e.groups[1]) }); break
      case 'heal': out.push({ atMs: e.atMs, type: 'heal', target: e.partition, run: async () => h.heal(e.partition) }); break
      case 'degrade': {
        const id = `degrade-${i}`
        out.push({ atMs: e.atMs, type: 'degrade', target: id, run: async () => h.degrade(id, i) })
        if (e.untilMs !== undefined) out.push({ atMs: e.untilMs, type: 'restore', target: id, run: async () => h.restore(id) })
        break
      }
      case 'condition': {
        out.push({ atMs: e.atMs, type: 'condition', target: e.id, run: async () => h.conditionStart(i) })
        if (e.untilMs !== undefined) out.push({ atMs: e.untilMs, type: 'condition-end', target: e.id, run: async () => h.conditionEnd(e.id) })
        break
      }
    }
  })
  // stable: same-time actions keep the order above (starts before faults)
  return out.map((a, i) => ({ a, i })).sort((x, y) => x.a.atMs - y.a.atMs || x.i - y.i).map(x => x.a)
}
