/**
 * Placement without a planner: every peer runs this pure rule over the same
 * converged bids and the same set of gone peers, so all compute the same
 * assignment (compare `placementDigest`). Per stage: candidates by lowest
 * cost, ties by PeerId; `replicas` slots go to the best ones; a slot whose
 * peer is gone goes to the best unused candidate, else stays empty (skipped).
 * A stage on every capable peer has one slot per bidder and no substitutes.
 */
import { createHash } from 'node:crypto'
import { distanceMetres } from '../geo/index.js'
import { COST_PER_KM, COST_PER_LOAD } from './constants.js'
import type { Bid, PipelineDescriptor, Stage } from './pb/pipeline.js'
import type { HostCapabilities } from './validate.js'

export interface SlotAssignment {
  slot: number
  /** undefined: no live host (the stage instance is skipped) */
  peer?: string
}

export interface Placement {
  pipelineId: string
  /** slots of each stage, by stage name */
  stages: Map<string, SlotAssignment[]>
  /** stages with at least one empty slot */
  skipped: string[]
  digest: string
}

/** Slot number of an every-capable replica: stable whoever else bids. */
export function everySlot (peer: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < peer.length; i++) h = Math.imul(h ^ peer.charCodeAt(i), 0x01000193) >>> 0
  return h
}

function byCost (a: Bid, b: Bid): number {
  return a.cost !== b.cost ? a.cost - b.cost : a.peer < b.peer ? -1 : a.peer > b.peer ? 1 : 0
}

function placeStage (stage: Stage, bids: Bid[], gone: ReadonlySet<string>): SlotAssignment[] {
  const ranked = bids.filter((b) => b.stage === stage.name && !b.withdrawn).sort(byCost)
  if (stage.everyCapable) {
    return ranked.map((b) => gone.has(b.peer) ? { slot: everySlot(b.peer) } : { slot: everySlot(b.peer), peer: b.peer })
  }
  const base = ranked.slice(0, stage.replicas).map((b) => b.peer)
  const used = new Set(base)
  const spare = ranked.slice(stage.replicas).map((b) => b.peer).filter((p) => !gone.has(p))
  const out: SlotAssignment[] = []
  for (let slot = 0; slot < stage.replicas; slot++) {
    let peer: string | undefined = base[slot]
    if (peer === undefined || gone.has(peer)) {
      peer = spare.find((p) => !used.has(p))
      if (peer !== undefined) used.add(peer)
    }
    out.push(peer === undefined ? { slot } : { slot, peer })
  }
  return out
}

/** The assignment every peer computes from the same bids and gone set. */
export function computePlacement (d: PipelineDescriptor, bids: Bid[], gone: ReadonlySet<string> = new Set()): Placement {
  const mine = bids.filter((b) => b.pipelineId === d.id)
  const stages = new Map<string, SlotAssignment[]>()
  const skipped: string[] = []
  for (const s of d.stages) {
    const slots = placeStage(s, mine, gone)
    stages.set(s.name, slots)
    if (slots.length === 0 || slots.some((x) => x.peer === undefined)) skipped.push(s.name)
  }
  return { pipelineId: d.id, stages, skipped, digest: placementDigest(d.id, stages) }
}

/** Hex sha256 over the canonical assignment. */
export function placementDigest (pipelineId: string, stages: ReadonlyMap<string, SlotAssignment[]>): string {
  const lines = [...stages.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    .map(([s, slots]) => `${s}:${slots.map((x) => `${x.slot}=${x.peer ?? '-'}`).join(',')}`)
  return createHash('sha256').update(`${pipelineId}\n${lines.join('\n')}`).digest('hex')
}

export interface CostInput {
  host: HostCapabilities
  /** running edge functions / capacity, 0..1 */
  loadFraction: number
}

/**
 * A host's cost for a stage: distance to the data (the area's centre, where
 * the sensors of interest are) plus load. Rounded so every peer compares the
 * same numbers. Hosts outside the area do not bid (undefined).
 */
export function bidCost (d: PipelineDescriptor, input: CostInput): number | undefined {
  if (d.area === undefined) return undefined
  const m = distanceMetres({ lat: input.host.lat, lon: input.host.lon }, { lat: d.area.lat, lon: d.area.lon })
  if (m > d.area.radiusM) return undefined
  const cost = (m / 1000) * COST_PER_KM + Math.min(1, Math.max(0, input.loadFraction)) * COST_PER_LOAD
  return Math.round(cost * 1e6) / 1e6
}

/** Slots of `stage` hosted by `peer`. */
export function slotsOf (p: Placement, stage: string, peer: string): number[] {
  return (p.stages.get(stage) ?? []).filter((s) => s.peer === peer).map((s) => s.slot)
}
