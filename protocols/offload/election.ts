/**
 * Network slices and solver roles, computed by every peer from its own registry view with one
 * deterministic rule, so no election messages are needed: a slice's stage-1 solver is its live
 * member with the lowest PeerId; the stage-2 solver is the lowest live member that solves no
 * slice (the lowest member overall when every member solves one). When a solver is declared
 * gone, or cannot be reached, the same rule without it names the successor.
 */
import type { RegistryEntry } from '../state/index.js'
import { InvalidOffloadConfigError } from './errors.js'
import { ROLE_GATEWAY, ROLE_MEMBER, ROLE_SLICE_PREFIX, ROLE_SOLVER_PREFIX, ROLE_STAGE2 } from './constants.js'

/**
 * How peers are grouped into slices: by the first `precision` characters of their geohash
 * cell, by tier, or by a group name each peer is configured with.
 */
export type SliceRule =
  | { by: 'geohash', precision: number }
  | { by: 'tier' }
  | { by: 'group', name: string }

/** The slice key a peer announces in its `nimbus-slice:<key>` role. */
export function sliceKey (rule: SliceRule, peer: { cell: string, tier: number }): string {
  switch (rule.by) {
    case 'geohash':
      if (!Number.isInteger(rule.precision) || rule.precision < 1 || rule.precision > peer.cell.length) {
        throw new InvalidOffloadConfigError(`slice.precision: must be an integer in 1..${peer.cell.length} (the cell precision), got ${rule.precision}`)
      }
      return `gh:${peer.cell.slice(0, rule.precision)}`
    case 'tier':
      return `tier:${peer.tier}`
    case 'group':
      if (rule.name === '' || /\s/.test(rule.name)) throw new InvalidOffloadConfigError(`slice.name: must be a non-empty name without spaces, got "${rule.name}"`)
      return `group:${rule.name}`
  }
}

/** A Nimbus peer as seen in the registry. */
export interface NimbusMember {
  peerId: string
  slice: string
  tier: number
  lat: number
  lon: number
  multiaddrs: string[]
  /** the EN's published load (`Load.offloadClients`) */
  offloadClients: number
  gateway: boolean
  live: boolean
}

/** Registry entries that carry the `nimbus-en` role and a slice, sorted by PeerId. */
export function membersFromRegistry (entries: readonly RegistryEntry[]): NimbusMember[] {
  const out: NimbusMember[] = []
  for (const e of entries) {
    const roles = e.state.roles
    if (!roles.includes(ROLE_MEMBER)) continue
    const slice = roles.find((r) => r.startsWith(ROLE_SLICE_PREFIX))?.slice(ROLE_SLICE_PREFIX.length)
    if (slice === undefined || slice === '') continue
    out.push({
      peerId: e.peerId,
      slice,
      tier: e.state.tier,
      lat: e.state.lat,
      lon: e.state.lon,
      multiaddrs: e.state.multiaddrs,
      offloadClients: e.state.load?.offloadClients ?? 0,
      gateway: roles.includes(ROLE_GATEWAY),
      live: e.live
    })
  }
  return out.sort((a, b) => a.peerId < b.peerId ? -1 : a.peerId > b.peerId ? 1 : 0)
}

function candidates (members: readonly NimbusMember[], exclude: ReadonlySet<string>): NimbusMember[] {
  return members.filter((m) => m.live && !exclude.has(m.peerId))
}

const lowest = (ms: readonly NimbusMember[]): string | undefined =>
  ms.reduce<string | undefined>((best, m) => best === undefined || m.peerId < best ? m.peerId : best, undefined)

/** The stage-1 solver of `slice`: its lowest live member not in `exclude`. */
export function electSliceSolver (members: readonly NimbusMember[], slice: string, exclude: ReadonlySet<string> = new Set()): string | undefined {
  return lowest(candidates(members, exclude).filter((m) => m.slice === slice))
}

/** Every slice with a live member, and its solver. */
export function sliceSolvers (members: readonly NimbusMember[], exclude: ReadonlySet<string> = new Set()): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of candidates(members, exclude)) {
    const cur = out.get(m.slice)
    if (cur === undefined || m.peerId < cur) out.set(m.slice, m.peerId)
  }
  return out
}

/** The stage-2 solver: the lowest live member that solves no slice, else the lowest live member. */
export function electStage2Solver (members: readonly NimbusMember[], exclude: ReadonlySet<string> = new Set()): string | undefined {
  const live = candidates(members, exclude)
  const busy = new Set(sliceSolvers(members, exclude).values())
  return lowest(live.filter((m) => !busy.has(m.peerId))) ?? lowest(live)
}

/** Solver role tags `self` holds under the rule, for its registry entry (informational). */
export function solverRoles (members: readonly NimbusMember[], self: string): string[] {
  const roles: string[] = []
  for (const [slice, solver] of sliceSolvers(members)) if (solver === self) roles.push(`${ROLE_SOLVER_PREFIX}${slice}`)
  if (electStage2Solver(members) === self) roles.push(ROLE_STAGE2)
  return roles
}
