/** SolveInput / SolveOutput <-> their wire messages, validating what arrives. */
import {
  checkRequirements, InvalidMessageError, placementFromWire, placementToWire, requirementsFromWire, requirementsToWire,
  type NimbusMember, type SnapshotAp, type WireSolve as Solve, type WireSolution as Solution
} from '../../protocols/index.js'
import type { SolveInput, SolveOutput } from './solver.js'

export function solveToWire (input: SolveInput): Solve {
  return {
    stage: input.stage,
    slice: input.slice,
    aps: input.aps.map((a) => ({ id: a.id, users: a.users, bandwidthMbps: a.bandwidthMbps ?? 0 })),
    items: input.items.map((i) => ({ req: requirementsToWire(i.req), ap: i.ap }))
  }
}

/** An AP must be a known member (its position gives the RTTs); every item must name one of the APs. */
export function solveFromWire (s: Solve, members: readonly NimbusMember[]): SolveInput {
  if (s.stage !== 1 && s.stage !== 2) throw new InvalidMessageError(`Solve.stage: must be 1 or 2, got ${s.stage}`)
  const byId = new Map(members.map((m) => [m.peerId, m]))
  const aps: SnapshotAp[] = s.aps.map((a, i) => {
    const m = byId.get(a.id)
    if (m === undefined) throw new InvalidMessageError(`Solve.aps[${i}].id: ${a.id} is not a Nimbus member in this registry`)
    if (!Number.isFinite(a.bandwidthMbps) || a.bandwidthMbps < 0) throw new InvalidMessageError(`Solve.aps[${i}].bandwidthMbps: must be >= 0, got ${a.bandwidthMbps}`)
    const ap: SnapshotAp = { id: a.id, users: a.users, lat: m.lat, lon: m.lon }
    if (a.bandwidthMbps > 0) ap.bandwidthMbps = a.bandwidthMbps
    return ap
  })
  const apIds = new Set(aps.map((a) => a.id))
  const devices = new Set<string>()
  const items = s.items.map((item, i) => {
    if (item.req === undefined) throw new InvalidMessageError(`Solve.items[${i}].req: missing`)
    checkRequirements(item.req, `Solve.items[${i}].req`)
    if (!apIds.has(item.ap)) throw new InvalidMessageError(`Solve.items[${i}].ap: ${item.ap} is not in Solve.aps`)
    if (devices.has(item.req.device)) throw new InvalidMessageError(`Solve.items[${i}].req.device: duplicate ${item.req.device}`)
    devices.add(item.req.device)
    return { req: requirementsFromWire(item.req), ap: item.ap }
  })
  return { stage: s.stage, slice: s.slice, aps, items }
}

export function solutionToWire (out: SolveOutput): Solution {
  return { placements: out.placements.map(placementToWire), refusals: out.refusals }
}

export function solutionFromWire (s: Solution | undefined): SolveOutput {
  return { placements: (s?.placements ?? []).map(placementFromWire), refusals: s?.refusals ?? 0 }
}
