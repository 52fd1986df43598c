/**
 * One solver stage of decentralised 2PMT. Stage 1 (a slice's solver) places devices on the
 * slice's ENs only; stage 2 (one solver for the mesh) runs the full algorithm over every live EN
 * with the registry's loads, then Failover to the cloud, else local. Every edge placement is
 * confirmed by the target EN; refused devices are re-solved with the EN's reply as the new
 * knowledge, up to `maxRetries` times.
 */
import {
  buildSnapshot, placementFromAssignment, solveNimbus, toOffloadRequest,
  type Assignment, type DeviceRequirements, type EnLoadSummary, type FitRequest, type NimbusMember, type NimbusSolverInit,
  type OffloadPlacement, type OffloadRequest, type ReserveVerdict, type SnapshotAp
} from '../../protocols/index.js'
import type { NimbusConfig } from './config.js'
import type { LoadKnowledge } from './knowledge.js'

export interface SolveItemInput { req: DeviceRequirements, ap: string }

export interface SolveInput {
  stage: 1 | 2
  slice: string
  aps: SnapshotAp[]
  items: SolveItemInput[]
}

export interface SolveOutput {
  placements: OffloadPlacement[]
  /** reservations refused by ENs and retried */
  refusals: number
}

export interface ReserveReplyInput { verdicts: ReserveVerdict[], summary: EnLoadSummary }

export interface SolverDeps {
  self: string
  config: NimbusConfig
  members: () => NimbusMember[]
  knowledge: LoadKnowledge
  /** how long an EN that failed a call is left out */
  unreachableMs: number
  reserve: (en: NimbusMember, candidates: FitRequest[], signal?: AbortSignal) => Promise<ReserveReplyInput>
  /** stage 1 hands its leftovers to the stage-2 solver (which may be this peer) */
  stage2: (input: SolveInput, signal?: AbortSignal) => Promise<SolveOutput>
  /**
   * Runs the solve-and-reserve part of a stage alone (one at a time per stage on this peer), so
   * the solver's knowledge stays consistent; stage 2 of a slice's leftovers runs outside it.
   */
  exclusive: <T>(stage: 1 | 2, fn: () => Promise<T>) => Promise<T>
  /**
   * A reservation call failed (timeout, broken stream): the EN may still have confirmed it.
   * Best effort, release it there so a late confirmation does not hold the EN until its lease ends.
   */
  abandon: (en: NimbusMember, devices: string[]) => void
}

interface Round {
  out: Map<string, OffloadPlacement>
  retry: Set<string>
}

function solverInit (config: NimbusConfig, stage: 1 | 2): NimbusSolverInit {
  // paper 2PMT: stage 1 places on the edge only; the cloud decision belongs to
  // stage 2, which keeps Algorithm 1's edge-first rule unless configured otherwise
  return { cloudWhenFaster: false, ...config.solver, mode: 'paper', cloudFailover: stage === 2 }
}

async function reserveOnEn (
  deps: SolverDeps, en: NimbusMember, as: Assignment[], items: Map<string, SolveItemInput>, stage: number, round: Round, signal?: AbortSignal
): Promise<void> {
  const candidates: FitRequest[] = as.map((a) => {
    const item = items.get(a.device)
    return { device: a.device, epsT: a.epsT, epsB: item?.req.epsB ?? 0, networkMs: a.networkMs, gateway: item?.ap ?? '', leaseMs: item?.req.leaseMs ?? 0 }
  })
  let reply: ReserveReplyInput
  try {
    reply = await deps.reserve(en, candidates, signal)
  } catch (err) {
    if (signal?.aborted === true) throw err
    deps.knowledge.markUnreachable(en.peerId, deps.unreachableMs)
    deps.abandon(en, as.map((a) => a.device))
    for (const a of as) round.retry.add(a.device)
    return
  }
  deps.knowledge.update(en.peerId, reply.summary)
  const verdicts = new Map(reply.verdicts.map((v) => [v.device, v]))
  for (const a of as) {
    const v = verdicts.get(a.device)
    if (v?.ok !== true) { round.retry.add(a.device); continue }
    const p = placementFromAssignment({ ...a, stage }, deps.self)
    round.out.set(a.device, { ...p, reserved: true, inferenceMs: v.inferenceMs, latencyMs: a.networkMs + v.inferenceMs, multiaddrs: en.multiaddrs, tier: en.tier })
  }
}

/** Solve, reserve, re-solve the refused: the edge part of one stage. */
async function placeAndReserve (deps: SolverDeps, input: SolveInput, signal?: AbortSignal): Promise<{ out: Map<string, OffloadPlacement>, pending: OffloadRequest[], refusals: number }> {
  const { config } = deps
  const live = deps.members().filter((m) => m.live)
  const pool = input.stage === 1 ? live.filter((m) => m.slice === input.slice) : live
  const items = new Map(input.items.map((i) => [i.req.device, i]))
  const out = new Map<string, OffloadPlacement>()
  let pending = input.items.map((i) => toOffloadRequest(i.req, i.ap))
  let refusals = 0
  const init = solverInit(config, input.stage)
  for (let attempt = 0; pending.length > 0 && attempt <= config.maxRetries; attempt++) {
    signal?.throwIfAborted()
    const ens = pool.filter((m) => deps.knowledge.reachable(m.peerId))
    const byId = new Map(ens.map((m) => [m.peerId, m]))
    const snapshot = buildSnapshot({ ens, aps: input.aps, profiles: config.tiers, rtt: config.rtt, clouds: config.clouds, served: (m) => deps.knowledge.served(m) })
    const { assignments } = solveNimbus(snapshot, pending, init)
    const byEn = new Map<string, Assignment[]>()
    for (const a of assignments) {
      if (a.target === 'edge' && a.en !== undefined) byEn.set(a.en, [...(byEn.get(a.en) ?? []), a])
      else out.set(a.device, placementFromAssignment({ ...a, stage: input.stage }, deps.self))
    }
    const round: Round = { out, retry: new Set() }
    await Promise.all([...byEn].map(async ([id, as]) => {
      const en = byId.get(id)
      if (en !== undefined) await reserveOnEn(deps, en, as, items, input.stage, round, signal)
    }))
    refusals += round.retry.size
    pending = pending.filter((r) => round.retry.has(r.device))
  }
  return { out, pending, refusals }
}

/** Failover for devices whose reservations kept being refused: the cloud if it meets both constraints, else local. */
function withoutEdge (config: NimbusConfig, input: SolveInput, pending: OffloadRequest[], stage: 1 | 2, self: string): OffloadPlacement[] {
  const snapshot = buildSnapshot({ ens: [], aps: input.aps, profiles: config.tiers, rtt: config.rtt, clouds: config.clouds, served: () => [] })
  return solveNimbus(snapshot, pending, solverInit(config, stage)).assignments.map((a) => placementFromAssignment({ ...a, stage }, self))
}

export async function solveStage (deps: SolverDeps, input: SolveInput, signal?: AbortSignal): Promise<SolveOutput> {
  const { out, pending, refusals } = await deps.exclusive(input.stage, async () => await placeAndReserve(deps, input, signal))
  for (const p of withoutEdge(deps.config, input, pending, input.stage, deps.self)) out.set(p.device, p)
  let placements = input.items.map((i) => out.get(i.req.device)).filter((p): p is OffloadPlacement => p !== undefined)
  if (input.stage === 2) return { placements, refusals }
  const leftovers = new Set(placements.filter((p) => p.target !== 'edge').map((p) => p.device))
  if (leftovers.size === 0) return { placements, refusals }
  const items = input.items.filter((i) => leftovers.has(i.req.device))
  const aps = new Set(items.map((i) => i.ap))
  const second = await deps.stage2({ stage: 2, slice: input.slice, aps: input.aps.filter((a) => aps.has(a.id)), items }, signal)
  const byDevice = new Map(second.placements.map((p) => [p.device, p]))
  placements = placements.map((p) => byDevice.get(p.device) ?? p)
  return { placements, refusals: refusals + second.refusals }
}
