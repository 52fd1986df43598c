/**
 * What each timed action does to the running world and the link emulator.
 */
import { CapabilityMissingError, ScenarioEventError } from '../errors.js'
import { CAPABILITY } from '../scenario/schema.js'
import type { ActionHandlers, ActionOutcome } from './actions.js'
import type { World } from './world.js'
import type { LinkEmulator } from '../link/emulator.js'
import type { Scenario } from '../scenario/schema.js'
import type { SimFactories, SimRecordFn } from '../types.js'

export interface HandlerContext {
  scenario: Scenario
  world: World
  emulator: LinkEmulator
  factories: SimFactories
  signal: AbortSignal
  record: SimRecordFn
  /** registers a stop function to call at the end of the run */
  onStop: (fn: () => Promise<void>) => void
}

function eventAt<T extends Scenario['events'][number]['type']> (s: Scenario, index: number, type: T): Extract<Scenario['events'][number], { type: T }> {
  const e = s.events[index]
  if (e?.type !== type) throw new ScenarioEventError(`event ${index} is not a ${type} event`)
  return e as Extract<Scenario['events'][number], { type: T }>
}

export function createHandlers (ctx: HandlerContext): ActionHandlers {
  const { scenario: s, world, emulator, signal } = ctx
  const opts = { signal }
  // multi-process mode: a link change is applied when every peer process has it
  const settle = async (): Promise<number> => (await ctx.factories.runtime?.settleLinks(opts))?.cutConnections ?? 0
  return {
    startPeers: async (names): Promise<ActionOutcome> => {
      await Promise.all(names.map(async n => world.startPeer(n, false, opts)))
      return { change: `start of ${names.join(', ')}`, detail: { peers: names.length } }
    },
    startVehicle: async (name) => {
      await world.startVehicle(name, opts)
      return {}
    },
    submitPipeline: async (file, via) => {
      const submitter = ctx.factories.pipelines
      if (submitter === undefined) throw new CapabilityMissingError(CAPABILITY.pipelines)
      const h = world.live().get(via)
      if (h === undefined) throw new ScenarioEventError(`cannot submit pipeline through "${via}": it is not live`)
      const { id } = await submitter.submit(h, file, opts)
      return { detail: { pipeline: id, via } }
    },
    startWorkload: async (index) => {
      const w = s.workloads[index]
      const runner = ctx.factories.workloads?.[w.type]
      if (runner === undefined) throw new CapabilityMissingError(`workload/${w.type}`)
      const started = await runner.start({ params: w.params, peers: () => world.live(), record: ctx.record, seed: s.seed, signal })
      ctx.onStop(started.stop)
      return {}
    },
    crash: async (node) => {
      await world.crash(node)
      return { change: `crash ${node}` }
    },
    restart: async (node) => {
      await world.restart(node, opts)
      return { change: `restart ${node}` }
    },
    partition: async (id, a, b) => {
      const cut = emulator.partition(id, a, b) + await settle()
      return { change: `partition ${id}`, detail: { groupA: a.length, groupB: b.length, cutConnections: cut } }
    },
    heal: async (id) => {
      emulator.heal(id)
      await settle()
      return { change: `heal ${id}` }
    },
    degrade: async (id, index) => {
      const e = eventAt(s, index, 'degrade')
      emulator.degrade(id, e.target, e.params)
      await settle()
      return { detail: Object.fromEntries(Object.entries(e.params).map(([k, v]) => [k, v ?? ''])) }
    },
    restore: async (id) => {
      emulator.restore(id)
      await settle()
      return {}
    },
    conditionStart: async (index) => {
      const e = eventAt(s, index, 'condition')
      if (ctx.factories.sensors === undefined) throw new CapabilityMissingError(CAPABILITY.sensors)
      const peers = await world.conditionStarted({ id: e.id, condition: e.condition, position: e.position, radiusM: e.radiusM, severity: e.severity }, opts)
      return { detail: { condition: e.condition, peers } }
    },
    conditionEnd: async (id) => {
      const peers = await world.conditionEnded(id, opts)
      return { detail: { peers } }
    }
  }
}
