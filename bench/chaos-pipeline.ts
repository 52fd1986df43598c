/**
 * The black-ice pipeline on the `npm run chaos` road (issue 9 item 7): which lampposts run
 * it, which of its hosts the faults aim at, and the accounting of its bundles and of its
 * stateful stage's outputs, measured from the pipelines feature's events of every
 * incarnation, killed ones included (`pipeline:step`: what a step consumed and queued, after
 * its atomic commit; `pipeline:discarded`; `pipeline:output`; `pipeline:run`).
 *
 * Layout around the partition boundary B (N/2), all within the road's first certificate
 * area: road-weather stations at B-2..B+1 reading ice (three detector slots and a spare,
 * straddling the cut; the rest of the road is dry), workers at B-1 and B-4 (the fusion and its
 * spare), ITS-G5 lampposts at B-3, B-5 and B-6 for the stateful hazard-broadcaster (two
 * slots and a spare), and the pipelines and checkpoints features on B-6..B+3, so checkpoint
 * replicas sit on both sides of the cut. The broadcaster's candidates are all on one side:
 * with replicas re-chosen among live peers, a cut leaving a candidate host and a replica
 * holder on each side would let both sides go on with the action sequence (see the report).
 */
import { checkpointsFeature } from '../node/checkpoints/index.js'
import { getHazards, hazardsFeature } from '../node/hazards/index.js'
import type { EccoPeer } from '../node/peer.js'
import { pipelinesFeature, type PipelineStepEvent } from '../node/pipelines/index.js'
import { securityFeature } from '../node/security/index.js'
import type { Position } from '../protocols/index.js'
import { decodeHazard, loadCatalogue } from '../unikernels/index.js'
import { pipelinesConfig, pipelinesSection, stationWeather } from '../test/hazards/harness.js'
import { waitFor } from '../test/helpers/wait.js'
import { loadRepoDescriptor, newIssuer, pipelinesOf, samePlacement, sign, type Issuer } from '../test/pipelines/helpers.js'
import type { SecurePeerOptions } from '../test/security/harness.js'

export const PIPELINE_ID = 'black-ice'
/** the stateful stage and its slot count (fixed, so a gone host's slot fails over to the spare) */
const STATEFUL = 'broadcast'
const STATEFUL_SLOTS = 2
const WEATHER = ['road-surface-temperature', 'air-temperature', 'humidity'] as const
const CHECKPOINTS = { replicas: 2, quorum: 1, stepIntervalMs: 100, controlPort: 0, gcAfterMs: 60_000 }
const DETAIL = 12

export interface PipelineLayout { boundary: number, stretch: number[], sensors: number[], icy: number[], workers: number[], itsG5: number[] }

export function pipelineLayout (n: number): PipelineLayout {
  if (n < 12) throw new Error(`chaos pipeline: needs at least 12 lampposts, got ${n}`)
  const b = Math.floor(n / 2)
  const stretch = Array.from({ length: 10 }, (_, k) => b - 6 + k).filter((i) => i < n)
  return { boundary: b, stretch, sensors: [b - 2, b - 1, b, b + 1], icy: [b - 2, b - 1, b, b + 1], workers: [b - 1, b - 4], itsG5: [b - 3, b - 5, b - 6] }
}

/** A bundle as the accounting names it: its key and the follower slot it was for (keys name their slot since bundles carry it). */
const idOf = (key: string, slot: number): string => key.endsWith(`#${slot}`) ? key : `${key}#${slot}`
const runOf = (id: string): bigint => BigInt(id.split('/')[1])
interface Use { lamp: number, outcome: PipelineStepEvent['outcome'] }
interface Output { slot: number, run: bigint, seq: number, lamp: number, at: number }
/** why the settle ended: every bundle accounted for, no progress for the stall time, nothing left queued, or the hard maximum */
export type SettleEnd = 'quiescent' | 'stalled' | 'in no live queue' | 'max'
interface Move { stage: string, from: number, to: number, at: number, why: 'host killed' | 'host cut off' | 'handback' }

export class ChaosPipeline {
  readonly layout: PipelineLayout
  private issuer?: Issuer
  private readonly lampOf = new Map<string, number>()
  private readonly emitted = new Map<string, number>()
  private readonly uses = new Map<string, Use[]>()
  private readonly late = new Set<string>()
  /** bundles a peer that did not host their slot handed on to the slot's host (key -> hops) */
  private readonly handedOn = new Map<string, number>()
  /** the last pipeline event (step, discard, hand-on) anywhere: the road is still moving bundles */
  private activityAt = Date.now()
  private readonly started = new Set<bigint>()
  private readonly finales = new Map<bigint, { slots: Set<number>, partial: boolean, degraded: boolean, failed: boolean }>()
  private readonly outputs: Output[] = []
  /** per stage slot: the lamps that ran its steps, each from when it took over */
  private readonly stepped = new Map<string, Array<{ lamp: number, at: number }>>()
  /** per stage slot: the host most live stretch peers place it on, and its changes */
  private readonly placed = new Map<string, number>()
  private readonly moves: Move[] = []
  private readonly downs: Array<{ lamp: number, from: number, to: number }> = []
  private readonly cuts: Array<{ from: number, to: number }> = []
  /** action keys of the DENMs the broadcasters originated (not forgeries, not the API's) */
  readonly warningKeys = new Set<string>()
  readonly faults: Record<string, string> = {}
  private readonly t0 = Date.now()
  private readonly weather: (i: number, icy: boolean) => void
  /** stages whose image keeps state (one EF wherever its state goes) */
  private readonly statefulStages = new Set<string>()

  constructor (n: number, private readonly at: (i: number) => Position, private readonly lamps: Array<EccoPeer | undefined>) {
    this.layout = pipelineLayout(n)
    this.weather = stationWeather((i) => this.lamps[i] as EccoPeer)
  }

  async init (): Promise<void> { this.issuer = await newIssuer() }

  /** The extra roadside options of lamp `i`: none off the stretch. */
  roadside (i: number): Partial<SecurePeerOptions> {
    const l = this.layout
    if (!l.stretch.includes(i) || this.issuer === undefined) return {}
    const p = {
      trusted: [this.issuer.trusted],
      ...(l.sensors.includes(i) ? { sensors: [...WEATHER] } : {}),
      ...(l.itsG5.includes(i) ? { radios: ['its-g5' as const] } : {}),
      ...(l.workers.includes(i) ? { roles: ['worker'] } : {})
    }
    return { config: pipelinesConfig(p), sections: { ...pipelinesSection(p), checkpoints: CHECKPOINTS }, features: [securityFeature, hazardsFeature, checkpointsFeature, pipelinesFeature] }
  }

  /** Observes one incarnation of lamp `i` (call right after it started). */
  watch (i: number, peer: EccoPeer): void {
    this.lampOf.set(peer.peerId.toString(), i)
    const open = this.downs.find((d) => d.lamp === i && d.to === Infinity)
    if (open !== undefined) open.to = Date.now()
    if (!this.layout.stretch.includes(i)) return
    if (this.layout.sensors.includes(i)) this.weather(i, this.layout.icy.includes(i))
    const f = pipelinesOf(peer)
    f.addEventListener('pipeline:step', (e) => { this.onStep(i, e.detail) })
    f.addEventListener('pipeline:discarded', (e) => { this.activityAt = Date.now(); for (const k of e.detail.keys) this.late.add(idOf(k, e.detail.slot)) })
    f.addEventListener('pipeline:forwarded', (e) => {
      if (e.detail.pipelineId !== PIPELINE_ID) return
      this.activityAt = Date.now()
      for (const k of e.detail.keys) this.handedOn.set(k, (this.handedOn.get(k) ?? 0) + 1)
    })
    f.addEventListener('pipeline:output', (e) => {
      if (e.detail.pipelineId === PIPELINE_ID && e.detail.stage === STATEFUL) this.outputs.push({ slot: e.detail.slot, run: e.detail.run, seq: decodeHazard(e.detail.bytes).actionSeq, lamp: i, at: Date.now() })
    })
    f.addEventListener('pipeline:run', (e) => {
      const r = e.detail
      if (r.pipelineId !== PIPELINE_ID || r.stage !== STATEFUL) return
      const x = this.finale(r.run)
      x.partial ||= r.partial
      x.degraded ||= r.degraded
      x.failed ||= r.failed
    })
  }

  private finale (run: bigint): { slots: Set<number>, partial: boolean, degraded: boolean, failed: boolean } {
    const x = this.finales.get(run) ?? { slots: new Set<number>(), partial: false, degraded: false, failed: false }
    this.finales.set(run, x)
    return x
  }

  private onStep (i: number, s: PipelineStepEvent): void {
    if (s.pipelineId !== PIPELINE_ID) return
    this.activityAt = Date.now()
    if (s.stage === 'detect' && s.outcome !== 'failed') this.started.add(s.run)
    if (s.stage === STATEFUL) this.finale(s.run).slots.add(s.slot)
    const ran = this.stepped.get(`${s.stage}.${s.slot}`) ?? []
    if (ran.at(-1)?.lamp !== i) ran.push({ lamp: i, at: Date.now() })
    this.stepped.set(`${s.stage}.${s.slot}`, ran)
    for (const b of s.emitted) if (!this.emitted.has(idOf(b.key, b.toSlot))) this.emitted.set(idOf(b.key, b.toSlot), i)
    for (const key of s.consumed) {
      const id = idOf(key, s.slot)
      this.uses.set(id, [...(this.uses.get(id) ?? []), { lamp: i, outcome: s.outcome }])
    }
  }

  private live (): EccoPeer[] {
    return this.layout.stretch.map((i) => this.lamps[i]).filter((p): p is EccoPeer => p !== undefined)
  }

  /** Submits the repo's black-ice descriptor and waits for one placement and outputs on every stateful slot. */
  async start (timeoutMs: number): Promise<number> {
    const t0 = Date.now()
    const centre = this.at(this.layout.boundary - 0.5)
    const d = await loadRepoDescriptor('black-ice.yaml', (x) => {
      if (x.area !== undefined) { x.area.lat = centre.lat; x.area.lon = centre.lon }
      const s = x.stages.find((y) => y.name === STATEFUL)
      if (s !== undefined) { s.everyCapable = false; s.replicas = STATEFUL_SLOTS }
    })
    if (this.issuer === undefined) throw new Error('chaos pipeline: init() first')
    const catalogue = await loadCatalogue()
    for (const s of d.stages) if (s.image !== undefined && catalogue.get(s.image.name).manifest.stateful) this.statefulStages.add(s.name)
    const peers = this.live()
    await pipelinesOf(peers[peers.length - 1]).submit(await sign(d, this.issuer))
    await samePlacement(peers, PIPELINE_ID, timeoutMs)
    await waitFor(() => Array.from({ length: STATEFUL_SLOTS }, (_, s) => s).every((s) => this.outputs.some((o) => o.slot === s)), {
      timeoutMs, intervalMs: 250, message: () => `no output on every ${STATEFUL} slot: ${this.outputs.length} outputs, ${this.started.size} runs started; ${this.diagnosis()}`
    })
    return Date.now() - t0
  }

  private diagnosis (): string {
    return this.live().map((p) => {
      const st = pipelinesOf(p).status(PIPELINE_ID)
      return `lamp-${this.lampOf.get(p.peerId.toString()) ?? '?'}: [${st?.localStages.join(',') ?? '-'}] failures ${st?.recentFailures.slice(-2).join(' | ') ?? ''}`
    }).join('; ')
  }

  /** The lamp hosting `stage` slot `slot` in the placement the most live stretch peers hold. */
  hostOf (stage: string, slot: number): number | undefined {
    const votes = new Map<string, number>()
    for (const p of this.live()) {
      const peer = pipelinesOf(p).status(PIPELINE_ID)?.placement.find((x) => x.stage === stage && x.slot === slot)?.peer
      if (peer !== undefined && peer !== '') votes.set(peer, (votes.get(peer) ?? 0) + 1)
    }
    const best = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0]
    return best === undefined ? undefined : this.lampOf.get(best)
  }

  /** A lamp hosting a detector slot and neither the fusion nor a broadcaster. */
  detectorVictim (): number | undefined {
    const others = new Set([this.hostOf('fuse', 0), ...Array.from({ length: STATEFUL_SLOTS }, (_, s) => this.hostOf(STATEFUL, s))])
    return [0, 1, 2].map((s) => this.hostOf('detect', s)).find((i) => i !== undefined && !others.has(i))
  }

  /** The host of the stateful stage's slot 0, unless it also runs the fusion. */
  broadcasterVictim (): number | undefined {
    const i = this.hostOf(STATEFUL, 0)
    return i === this.hostOf('fuse', 0) ? undefined : i
  }

  /** Before a kill: its DENM keys, and the outage start. */
  killing (i: number, peer: EccoPeer): void {
    this.collect([peer])
    this.downs.push({ lamp: i, from: Date.now(), to: Infinity })
  }

  cut (): void { this.cuts.push({ from: Date.now(), to: Infinity }) }
  healed (): void { const c = this.cuts.at(-1); if (c !== undefined) c.to = Date.now() }

  /**
   * Once per tick: where each stage slot is placed (the majority view of the live stretch),
   * and why it moved: its last host killed, cut off by the partition, or back (handback).
   */
  observe (): void {
    this.collect()
    const now = Date.now()
    for (const [stage, n] of [['detect', 3], ['fuse', 1], [STATEFUL, STATEFUL_SLOTS]] as const) {
      for (let slot = 0; slot < n; slot++) {
        const host = this.hostOf(stage, slot)
        const last = this.placed.get(`${stage}.${slot}`)
        if (host === undefined || host === last) continue
        this.placed.set(`${stage}.${slot}`, host)
        if (last === undefined) continue
        const down = this.downs.some((d) => d.lamp === last && d.from <= now && d.to >= now - 2000)
        const b = this.layout.boundary
        const cut = this.cuts.some((c) => c.from <= now && c.to >= now - 2000) && (last < b) !== (host < b)
        this.moves.push({ stage: `${stage}.${slot}`, from: last, to: host, at: now, why: down ? 'host killed' : cut ? 'host cut off' : 'handback' })
      }
    }
  }

  /** Whether the new host of a move ran the slot's steps after it. */
  private served (m: Move): boolean {
    return (this.stepped.get(m.stage) ?? []).some((x) => x.lamp === m.to && x.at >= m.at - 2000)
  }

  /** The broadcasters' originated warnings so far (a killed incarnation forgets its own). */
  collect (also: EccoPeer[] = []): void {
    const peers = [...this.layout.itsG5.map((i) => this.lamps[i]).filter((p): p is EccoPeer => p !== undefined), ...also]
    for (const p of peers) for (const a of getHazards(p)?.publisher?.active() ?? []) this.warningKeys.add(a.key)
  }

  private unaccounted (): string[] {
    return [...this.emitted.keys()].filter((id) => !this.uses.has(id) && !this.late.has(id))
  }

  /**
   * Stops the detectors (no new runs) and waits for run-level quiescence: every emitted bundle
   * consumed or dropped as late. It goes on while bundles are demonstrably in flight with
   * progress (the unaccounted count falls, or a step, discard or hand-on happens anywhere),
   * stops after `stallMs` without any, early once none of the unaccounted bundles sits in a
   * live peer's queue (nothing left that could arrive), and at `maxMs` in any case.
   */
  async settle (stallMs: number, maxMs: number): Promise<{ ms: number, end: SettleEnd, left: number }> {
    // a re-placement starts a new detector instance ticking: stopped again on every poll, or new runs keep the road busy
    const quiet = (): void => { for (const p of this.live()) for (const inst of pipelinesOf(p).runners.get(PIPELINE_ID)?.instances.values() ?? []) if (inst.stage.name === 'detect') inst.stopTicking() }
    quiet()
    const t0 = Date.now()
    let left = Infinity
    let progressAt = t0
    let lookedAt = t0
    let end: SettleEnd = 'max'
    await waitFor(async () => {
      quiet()
      const ids = this.unaccounted()
      const now = Date.now()
      if (ids.length < left) { left = ids.length; progressAt = now }
      progressAt = Math.max(progressAt, this.activityAt)
      if (ids.length === 0) { end = 'quiescent'; return true }
      if (now - progressAt > stallMs) { end = 'stalled'; return true }
      // every few seconds without progress: is anything still queued anywhere?
      if (now - progressAt > 5000 && now - lookedAt > 5000) {
        lookedAt = now
        const where = await this.whereIs(ids)
        if (ids.every((id) => !where.has(id))) { end = 'in no live queue'; return true }
      }
      return false
    }, { timeoutMs: maxMs, intervalMs: 500, message: '' }).catch(() => {})
    this.collect()
    return { ms: Date.now() - t0, end, left: Math.max(0, left === Infinity ? 0 : left) }
  }

  /** Where an unaccounted bundle is now: a live peer's outbound or inbound queue, or nowhere (by id: key and slot). */
  private async whereIs (ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    const keys = new Set(ids)
    for (const p of this.live()) {
      const q = pipelinesOf(p).queues
      const lamp = `lamp-${this.lampOf.get(p.peerId.toString()) ?? '?'}`
      for (const e of await q.inbound(PIPELINE_ID)) if (keys.has(e.key)) out.set(e.key, `in the inbound queue of ${lamp}`)
      for (const t of await q.targets()) {
        for (const e of await q.outbound(t, 100_000)) if (keys.has(e.key)) out.set(e.key, `queued at ${lamp} for lamp-${this.lampOf.get(t) ?? t.slice(-6)}`)
      }
    }
    return out
  }

  /** The measured figures, and the targets missed. */
  async report (): Promise<{ section: Record<string, unknown>, failures: string[] }> {
    const lostIds = this.unaccounted()
    const where = await this.whereIs(lostIds)
    const consumed = (o: Use['outcome']): number => [...this.uses.values()].filter((u) => u.some((x) => x.outcome === o)).length
    // an EF: a stateless slot on one host, or a stateful slot wherever its state runs
    const applied = [...this.uses].map(([id, u]) => [id, u.filter((x) => x.outcome !== 'replayed')] as const).filter(([, u]) => u.length > 1)
    const oneEf = ([id, u]: readonly [string, Use[]]): boolean => this.statefulStages.has(id.split('/')[3]) || new Set(u.map((x) => x.lamp)).size < u.length
    const dupIds = applied.filter(oneEf)
    const reexecuted = applied.filter((x) => !oneEf(x))
    const unmatched = [...this.uses.keys()].filter((id) => !this.emitted.has(id)).length
    const stateful = this.statefulOutputs()
    const notCompleted = [...this.started].filter((r) => !this.finales.has(r)).sort((a, b) => a < b ? -1 : 1)
    const runs = [...this.finales.values()]
    const failovers = this.moves.filter((m) => m.why !== 'handback')
    const statefulServed = failovers.filter((m) => m.stage.startsWith(`${STATEFUL}.`) && this.served(m)).length
    const section = {
      layout: { ...this.layout, stretch: `${this.layout.stretch[0]}..${this.layout.stretch.at(-1) ?? ''}`, statefulSlots: STATEFUL_SLOTS, checkpoints: CHECKPOINTS },
      faultsOnPipeline: this.faults,
      runs: {
        started: this.started.size,
        completed: runs.length,
        completedOnEveryStatefulSlot: runs.filter((r) => r.slots.size === STATEFUL_SLOTS).length,
        partial: runs.filter((r) => r.partial).length,
        degraded: runs.filter((r) => r.degraded).length,
        failed: runs.filter((r) => r.failed).length,
        notCompleted: notCompleted.length,
        notCompletedRuns: notCompleted.slice(0, DETAIL).map((r) => `${r}: ${this.fateOf(r)}`),
        note: 'partial: the fusion\'s join timed out without every detector (a detector killed or cut off); degraded: a stage slot had no live host (skipped, no substitute). Neither is a loss: their late bundles are counted under bundles.lateAfterJoin'
      },
      bundles: {
        emitted: this.emitted.size,
        consumed: { applied: consumed('applied'), replayedFromState: consumed('replayed'), failed: consumed('failed') },
        lateAfterJoin: [...this.late].filter((id) => !this.uses.has(id)).length,
        lost: lostIds.length,
        lostTarget: 0,
        duplicated: dupIds.length,
        duplicatedTarget: 0,
        reexecutedBySubstitute: reexecuted.length,
        consumedNeverEmitted: unmatched,
        handedOn: this.handedOn.size,
        handedOnMoreThanOnce: [...this.handedOn.values()].filter((n) => n > 1).length,
        lostDetail: lostIds.slice(0, DETAIL).map((id) => `${id}: from lamp-${this.emitted.get(id) ?? '?'}, ${where.get(id) ?? 'in no live queue'}${this.handedOn.has(id) ? `, handed on ${this.handedOn.get(id) ?? 0}x` : ''}`),
        duplicatedDetail: dupIds.slice(0, DETAIL).map(([id, u]) => `${id}: ${u.map((x) => `${x.outcome}@lamp-${x.lamp}`).join(', ')}`),
        reexecutedDetail: reexecuted.slice(0, DETAIL).map(([id, u]) => `${id}: ${u.map((x) => `lamp-${x.lamp}`).join(', ')}`),
        definitions: 'a bundle is (key, follower slot); handedOn: bundles a peer that did not host their slot in its settled placement passed on to the slot\'s host (senders\' views disagreed or the slot moved); lost: emitted (its step committed) and never consumed by an EF of that slot nor dropped as late after its join fired, after the source stopped and the road settled (every killed lamppost restarted from its data dir, so every queue survived); duplicated: applied (or failed) twice by one EF, i.e. by a stateless slot on the same host, or by a stateful slot on any host (its state is one EF wherever it runs); reexecutedBySubstitute: a stateless slot\'s bundle applied again by the host that took the slot over (upstream resends what it retained; the outputs carry the same keys and are dropped downstream by key, so they count once above); replayedFromState: answered from the stateful stage\'s ledger without running the EF'
      },
      statefulOutputs: stateful.section,
      failovers: {
        observed: failovers.length,
        statefulStage: failovers.filter((m) => m.stage.startsWith(`${STATEFUL}.`)).length,
        statefulServedBySubstitute: statefulServed,
        moves: this.moves.map((m) => `${Math.round((m.at - this.t0) / 1000)} s ${m.stage} lamp-${m.from} -> lamp-${m.to} (${m.why}${this.served(m) ? ', ran there' : ''})`),
        ranOn: Object.fromEntries([...this.stepped].map(([k, v]) => [k, [...new Set(v.map((x) => `lamp-${x.lamp}`))]])),
        definitions: 'a move is a change of the host most live stretch peers place a stage slot on; a failover is a move whose last host was killed or cut off (handback: it came back); ran there: the new host ran the slot\'s steps (for the stateful stage: attached to the replicated state and went on)'
      },
      warnings: { originatedByBroadcasters: this.warningKeys.size },
      finalViews: this.views(),
      recentFailures: this.live().flatMap((p) => (pipelinesOf(p).status(PIPELINE_ID)?.recentFailures ?? []).slice(-3).map((f) => `lamp-${this.lampOf.get(p.peerId.toString()) ?? '?'} ${f}`)),
      notCovered: 'the stateful stage\'s candidate hosts are all on one side of the partition: a cut leaving a candidate host and a replica holder on each side would let both sides carry on the action sequence (replicas are re-chosen among live peers, quorum 1 of 2); not exercised here'
    }
    const failures: string[] = []
    if (lostIds.length > 0) failures.push(`${lostIds.length} pipeline bundles lost`)
    if (dupIds.length > 0) failures.push(`${dupIds.length} pipeline bundles applied twice`)
    if (stateful.gaps > 0) failures.push(`${stateful.gaps} gaps in the stateful action sequence`)
    if (stateful.duplicates > 0) failures.push(`${stateful.duplicates} duplicate stateful action sequences`)
    if (stateful.outputs === 0) failures.push('the stateful stage emitted nothing')
    if (statefulServed === 0) failures.push('no failover of the stateful stage served by a substitute')
    return { section, failures }
  }

  /** Each live stretch lamp's own placement at the end, and the peers it holds gone: where views still disagree. */
  private views (): Record<string, string> {
    const name = (id: string): string => id === '' ? '-' : `lamp-${this.lampOf.get(id) ?? id.slice(-6)}`
    return Object.fromEntries(this.live().map((p) => {
      const f = pipelinesOf(p)
      const st = f.status(PIPELINE_ID)
      const slots = (st?.placement ?? []).map((x) => `${x.stage}.${x.slot}@${name(x.peer)}`).join(' ')
      const t = f.transport.stats
      return [name(p.peerId.toString()), `${slots}; gone: ${[...f.goneSet].map(name).join(',') || '-'}; bundles in ${t.bundlesIn} out ${t.bundlesOut} handed on ${t.bundlesForwarded} send failures ${t.sendFailures} duplicates ${t.duplicates}`]
    }))
  }

  /** What happened to the bundles of a run that never reached a broadcaster. */
  private fateOf (run: bigint): string {
    const ids = [...this.emitted.keys()].filter((id) => runOf(id) === run)
    const n = (f: (id: string) => boolean): number => ids.filter(f).length
    return `${ids.length} bundles: ${n((id) => this.uses.has(id))} consumed, ${n((id) => this.late.has(id))} late after the join`
  }

  /** The outputs next to a missing sequence, and how the inputs of their runs were used. */
  private around (mine: Output[], slot: number, gap: number): string {
    const near = mine.filter((o) => Math.abs(o.seq - gap) <= 2).sort((a, b) => a.at - b.at)
    const runs = [...new Set(near.map((o) => o.run))]
    const lo = runs.reduce((a, b) => a < b ? a : b, runs[0] ?? 0n)
    const hi = runs.reduce((a, b) => a > b ? a : b, runs[0] ?? 0n)
    const uses = [...this.uses].filter(([id]) => id.endsWith(`#${slot}`) && id.split('/')[3] === STATEFUL && runOf(id) >= lo - 2n && runOf(id) <= hi + 2n)
      .map(([id, u]) => `run ${runOf(id)}: ${u.map((x) => `${x.outcome}@lamp-${x.lamp}`).join(',')}`)
    return `seq ${gap}: outputs ${near.map((o) => `${o.seq}=run ${o.run}@lamp-${o.lamp} ${Math.round((o.at - this.t0) / 1000)} s`).join(', ')}; inputs ${uses.join('; ')}`
  }

  /** Per stateful slot: action sequences by run; gaps (a sequence skipped) and duplicates (issued twice). */
  private statefulOutputs (): { section: Record<string, unknown>, outputs: number, gaps: number, duplicates: number } {
    let gaps = 0
    let duplicates = 0
    let outputs = 0
    const instances: Record<string, unknown> = {}
    for (let slot = 0; slot < STATEFUL_SLOTS; slot++) {
      const mine = this.outputs.filter((o) => o.slot === slot)
      const seqsOfRun = new Map<bigint, Set<number>>()
      const runsOfSeq = new Map<number, Set<bigint>>()
      for (const o of mine) {
        seqsOfRun.set(o.run, (seqsOfRun.get(o.run) ?? new Set()).add(o.seq))
        runsOfSeq.set(o.seq, (runsOfSeq.get(o.seq) ?? new Set()).add(o.run))
      }
      const dups = [...seqsOfRun].filter(([, s]) => s.size > 1).map(([r, s]) => `run ${r} got ${[...s].join(' and ')}`)
        .concat([...runsOfSeq].filter(([, r]) => r.size > 1).map(([s, r]) => `seq ${s} issued for runs ${[...r].join(', ')}`))
      const max = Math.max(0, ...runsOfSeq.keys())
      const missing = Array.from({ length: max }, (_, k) => k + 1).filter((s) => !runsOfSeq.has(s))
      gaps += missing.length
      duplicates += dups.length
      outputs += runsOfSeq.size
      const hostsOf = [...new Set(mine.map((o) => o.lamp))].map((l) => `lamp-${l}`)
      instances[`${STATEFUL}.${slot}`] = { outputs: runsOfSeq.size, replayed: mine.length - [...seqsOfRun.values()].reduce((n, s) => n + s.size, 0), lastSeq: max, hosts: hostsOf, gaps: missing.slice(0, DETAIL), duplicates: dups.slice(0, DETAIL), aroundGaps: missing.slice(0, 3).map((g) => this.around(mine, slot, g)) }
    }
    return { section: { outputs, gaps, gapsTarget: 0, duplicates, duplicatesTarget: 0, instances, definitions: 'per stage slot (one hazard-broadcaster instance, its DENM action sequence in Unimem, checkpointed to 2 replicas, quorum 1): the distinct action sequences it emitted must be 1..last with none skipped (gap) and none issued for two runs nor a run given two (duplicate); replayed: the same record emitted again for the same run' }, outputs, gaps, duplicates }
  }
}
