/**
 * Which link class and parameters apply between two named nodes: a per-pair
 * override, else the RTT matrix, else the first matching class rule, else the
 * default. Degradations from timed events are applied on top, in order.
 */
import { distanceMetres } from '../../protocols/index.js'
import { DEFAULT_LINK } from '../constants.js'
import type { Position } from '../../protocols/index.js'
import type { ScenarioLinks, DegradeTarget } from '../scenario/schema.js'
import type { LinkParams, Tier } from '../types.js'

export interface LinkNode { name: string, tier: Tier, position: Position }

export interface ResolvedLink { class: string, params: LinkParams }

interface Degradation { id: string, target: DegradeTarget, params: Partial<LinkParams> }

function pairKey (a: string, b: string): string {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`
}

export class LinkTable {
  private readonly links: ScenarioLinks
  private readonly nodes = new Map<string, LinkNode>()
  private readonly pairs = new Map<string, LinkParams>()
  private readonly rttIndex = new Map<string, number>()
  private readonly cache = new Map<string, ResolvedLink>()
  private active: Degradation[] = []
  /** bumped whenever the answer for some pair may have changed */
  version = 0

  constructor (links?: ScenarioLinks, nodes: readonly LinkNode[] = []) {
    this.links = links ?? { default: { ...DEFAULT_LINK }, classes: {}, rules: [], pairs: [] }
    for (const n of nodes) this.nodes.set(n.name, n)
    for (const p of this.links.pairs) this.pairs.set(pairKey(p.between[0], p.between[1]), p.params)
    const rtt = this.links.rttMatrix
    if (rtt?.rttMs !== undefined) {
      const size = rtt.rttMs.length
      rtt.nodes.forEach((n, i) => { this.rttIndex.set(n, (rtt.offset + i) % size) })
    }
  }

  addNode (n: LinkNode): void {
    this.nodes.set(n.name, n)
    this.invalidate()
  }

  degrade (id: string, target: DegradeTarget, params: Partial<LinkParams>): void {
    this.active.push({ id, target, params })
    this.invalidate()
  }

  /** Degradations in force, in the order they apply. */
  degradations (): Array<{ id: string, target: DegradeTarget, params: Partial<LinkParams> }> {
    return this.active.map(d => ({ ...d }))
  }

  restore (id: string): void {
    this.active = this.active.filter(d => d.id !== id)
    this.invalidate()
  }

  /** The link between two nodes; `undefined` names (unregistered addresses) get the default link. */
  resolve (a: string | undefined, b: string | undefined): ResolvedLink {
    if (a === undefined || b === undefined) return { class: 'default', params: this.links.default }
    const key = pairKey(a, b)
    let hit = this.cache.get(key)
    if (hit === undefined) {
      hit = this.applyDegradations(a, b, this.base(a, b))
      this.cache.set(key, hit)
    }
    return hit
  }

  classNames (): string[] {
    return ['default', ...Object.keys(this.links.classes), ...(this.links.pairs.length > 0 ? ['pair'] : []), ...(this.links.rttMatrix !== undefined ? ['rtt-matrix'] : [])]
  }

  paramsOfClass (cls: string): LinkParams | undefined {
    if (cls === 'default') return this.links.default
    return this.links.classes[cls]
  }

  private invalidate (): void {
    this.cache.clear()
    this.version++
  }

  private base (a: string, b: string): ResolvedLink {
    const pair = this.pairs.get(pairKey(a, b))
    if (pair !== undefined) return { class: 'pair', params: pair }
    const ia = this.rttIndex.get(a)
    const ib = this.rttIndex.get(b)
    const rtt = this.links.rttMatrix
    if (ia !== undefined && ib !== undefined && rtt?.rttMs !== undefined) {
      const there = rtt.rttMs[ia][ib]
      const back = rtt.rttMs[ib][ia]
      const ms = Math.max(rtt.minRttMs, there > 0 && back > 0 ? (there + back) / 2 : Math.max(there, back))
      return { class: 'rtt-matrix', params: { ...this.links.default, latencyMs: ms / 2 } }
    }
    const na = this.nodes.get(a)
    const nb = this.nodes.get(b)
    if (na !== undefined && nb !== undefined) {
      for (const r of this.links.rules) {
        if (r.tiers !== undefined && !((r.tiers[0] === na.tier && r.tiers[1] === nb.tier) || (r.tiers[0] === nb.tier && r.tiers[1] === na.tier))) continue
        if (r.maxDistanceM !== undefined && distanceMetres(na.position, nb.position) > r.maxDistanceM) continue
        return { class: r.class, params: this.paramsOfClass(r.class) ?? this.links.default }
      }
    }
    return { class: 'default', params: this.links.default }
  }

  private applyDegradations (a: string, b: string, link: ResolvedLink): ResolvedLink {
    let params = link.params
    for (const d of this.active) {
      const t = d.target
      const hit = 'class' in t
        ? t.class === link.class
        : (t.between[0].includes(a) && t.between[1].includes(b)) || (t.between[0].includes(b) && t.between[1].includes(a))
      if (hit) params = { ...params, ...d.params }
    }
    return params === link.params ? link : { class: link.class, params }
  }
}
