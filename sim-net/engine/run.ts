/**
 * runScenario: starts the scenario's peers through the factories over the
 * link emulator, replays its timed actions on a wall clock (real peers run
 * in real time; t = 0 is when the initial peers are up), samples metrics,
 * tracks registry convergence, and returns the results.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { CONVERGENCE_POLL_MS, PROGRESS_MS, VEHICLE_TICK_MS } from '../constants.js'
import { createLinkEmulator } from '../link/emulator.js'
import { loadRttMatrix } from '../scenario/load.js'
import { buildActions } from './actions.js'
import type { Action } from './actions.js'
import { checkCapabilities } from './capabilities.js'
import { Collector } from './collector.js'
import { ConvergenceTracker } from './convergence.js'
import { createHandlers } from './handlers.js'
import { addOutcomes } from './outcome.js'
import { summarise } from './results.js'
import { World } from './world.js'
import type { CapabilityOptions } from './capabilities.js'
import type { SimResults } from './results.js'
import type { LinkEmulator, LinkEmulatorInit } from '../link/emulator.js'
import type { Scenario } from '../scenario/schema.js'
import type { SimProcessStats, SimProgressEvent } from '../types.js'

export interface RunOptions extends CapabilityOptions {
  signal?: AbortSignal
  onProgress?: (event: SimProgressEvent) => void
  /** root of the peers' data directories @default a fresh temporary directory, removed after the run */
  dataDir?: string
  /** peers started at once in the start phase @default 8 */
  startConcurrency?: number
  /** emulator tuning (burst, RTO floor, queue size) */
  emulator?: Omit<LinkEmulatorInit, 'links' | 'nodes' | 'seed'>
  /** called with the emulator before any peer starts (e.g. for a benchmark's probes) */
  onEmulator?: (emulator: LinkEmulator) => void
}

const DEFAULT_START_CONCURRENCY = 8

function errInfo (err: unknown): { name: string, message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
}

async function sleepUntil (deadline: number, now: () => number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && now() < deadline) {
    await new Promise<void>(resolve => {
      const t = setTimeout(done, Math.min(1000, Math.max(1, deadline - now())))
      function done (): void { clearTimeout(t); signal.removeEventListener('abort', done); resolve() }
      signal.addEventListener('abort', done, { once: true })
    })
  }
}

/** Runs a scenario to its end (or until `signal` aborts) and returns the results; never leaves peers running. */
export async function runScenario (scenario: Scenario, opts: RunOptions): Promise<SimResults> {
  await checkCapabilities(scenario, opts)
  const rtt = scenario.links.rttMatrix
  if (rtt !== undefined && rtt.rttMs === undefined) rtt.rttMs = await loadRttMatrix(rtt, opts)
  const ownDataDir = opts.dataDir === undefined
  const dataRoot = opts.dataDir ?? await mkdtemp(join(tmpdir(), `sim-net-${scenario.name}-`))
  const run = new ScenarioRun(scenario, opts, dataRoot)
  try {
    return await run.execute()
  } finally {
    // multi-process mode: nothing outlives the run, whatever happened
    await opts.runtime?.close()
    if (ownDataDir) await rm(dataRoot, { recursive: true, force: true })
  }
}

class ScenarioRun {
  private readonly s: Scenario
  private readonly opts: RunOptions
  private readonly emulator: LinkEmulator
  private readonly world: World
  private readonly collector: Collector
  private readonly convergence: ConvergenceTracker
  private readonly controller = new AbortController()
  private readonly startedAt = new Date()
  private readonly wall0 = performance.now()
  readonly loopDelay = monitorEventLoopDelay({ resolution: 10 })
  private readonly cpu0 = process.cpuUsage()
  private rssMax = 0
  private t0 = Number.NaN
  private timers: Array<ReturnType<typeof setInterval>> = []
  /** stop functions of started workloads */
  private readonly stops: Array<() => Promise<void>> = []

  constructor (s: Scenario, opts: RunOptions, dataRoot: string) {
    this.s = s
    this.opts = opts
    this.emulator = createLinkEmulator({ ...opts.emulator, links: s.links, nodes: s.nodes, seed: s.seed })
    this.collector = new Collector((atMs, text) => { this.progress({ type: 'event', simMs: atMs, text }) })
    this.world = new World(s.nodes, s.vehicles, {
      factories: opts,
      emulator: this.emulator,
      dataRoot,
      heartbeatMs: s.heartbeatMs,
      ...(s.cellPrecision === undefined ? {} : { cellPrecision: s.cellPrecision }),
      now: () => this.now(),
      record: (series, value, fields) => { this.collector.record(this.now(), series, value, fields) }
    })
    this.convergence = new ConvergenceTracker({
      live: () => this.world.live(),
      reachable: (a, b) => this.emulator.cutBetween(a, b) === undefined
    }, s.convergenceTimeoutMs)
    opts.runtime?.attach({
      emulator: this.emulator,
      links: { links: s.links, nodes: s.nodes.map(n => ({ name: n.name, tier: n.tier, position: n.position })), seed: s.seed },
      // t0 is set once the initial peers are up; the runtime converts its readings when asked
      simTime: (t) => t - (Number.isNaN(this.t0) ? performance.now() : this.t0),
      onPeerExit: (name, peerId, message) => { this.peerExited(name, peerId, message) }
    })
  }

  /** A peer's process died on its own (multi-process mode): a failed fault, never a hang. */
  private peerExited (name: string, peerId: string, message: string): void {
    if (!this.world.lost(name, peerId)) return
    const at = this.now()
    const convergence = Number.isNaN(this.t0) ? undefined : this.convergence.change(`exit ${name}`, at)
    this.collector.fault({ atMs: at, type: 'exit', target: name, ok: false, error: { name: 'PeerProcessExitedError', message }, applyMs: 0, ...(convergence === undefined ? {} : { convergence }) })
    this.collector.event(at, `exit ${name} FAILED: ${message}`)
  }

  /** This process' CPU, RSS and event-loop delay over the run. */
  orchestratorStats (loop: SimResults['eventLoop']): SimProcessStats {
    const cpu = process.cpuUsage(this.cpu0)
    const rss = process.memoryUsage.rss()
    this.rssMax = Math.max(this.rssMax, rss)
    return { name: 'orchestrator', role: 'orchestrator', pid: process.pid, startedAtMs: (this.wall0 - (Number.isNaN(this.t0) ? this.wall0 : this.t0)), endedAtMs: this.now(), cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, rssMaxBytes: this.rssMax, rssLastBytes: rss, eventLoop: loop, end: 'running' }
  }

  /** simulated time: ms since the initial peers were up (negative while starting) */
  now (): number {
    return Number.isNaN(this.t0) ? 0 : performance.now() - this.t0
  }

  async execute (): Promise<SimResults> {
    const signal = this.opts.signal
    const onAbort = (): void => { this.controller.abort(signal?.reason) }
    signal?.addEventListener('abort', onAbort, { once: true })
    if (signal?.aborted === true) onAbort()
    this.opts.onEmulator?.(this.emulator)
    let status: SimResults['status'] = 'completed'
    let error: SimResults['error']
    try {
      await this.startInitialPeers()
      this.t0 = performance.now()
      this.loopDelay.enable()
      this.convergence.change(`start of ${this.world.live().size} peers`, 0)
      this.startLoops()
      this.progress({ type: 'phase', phase: 'running', simMs: 0 })
      await this.replay()
      await sleepUntil(this.s.durationMs, () => this.now(), this.controller.signal)
      if (this.controller.signal.aborted) status = 'aborted'
    } catch (err) {
      status = this.controller.signal.aborted ? 'aborted' : 'failed'
      error = errInfo(err)
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
    return this.finish(status, error)
  }

  private progress (e: SimProgressEvent): void {
    this.opts.onProgress?.(e)
  }

  private async startInitialPeers (): Promise<void> {
    this.progress({ type: 'phase', phase: 'starting', simMs: 0 })
    const names = this.s.nodes.filter(n => n.startAtMs === 0).map(n => n.name)
    const batch = Math.max(1, this.opts.startConcurrency ?? DEFAULT_START_CONCURRENCY)
    // the first peer alone, so the others have someone to bootstrap to
    for (let i = 0; i < names.length;) {
      const size = i === 0 ? 1 : batch
      const part = names.slice(i, i + size)
      this.controller.signal.throwIfAborted()
      await Promise.all(part.map(async n => this.world.startPeer(n, false, { signal: this.controller.signal })))
      i += part.length
      this.collector.event(0, `started ${i}/${names.length} peers`)
    }
  }

  private startLoops (): void {
    const every = (ms: number, fn: () => void): void => { this.timers.push(setInterval(fn, ms)) }
    this.collector.sample(0, this.world, this.emulator)
    let lastSample = 0
    every(Math.min(VEHICLE_TICK_MS, this.s.sampleMs), () => {
      const t = this.now()
      const sample = t - lastSample >= this.s.sampleMs
      this.world.moveVehicles(t, sample)
      // samples stay on the sampleMs grid: a late timer on a loaded machine must
      // not stretch every later interval (one sample per missed slot is not made up)
      if (sample) { lastSample = t - ((t - lastSample) % this.s.sampleMs); this.collector.sample(t, this.world, this.emulator) }
    })
    every(CONVERGENCE_POLL_MS, () => { this.convergence.poll(this.now()) })
    every(PROGRESS_MS, () => { this.tick() })
  }

  private tick (): void {
    this.rssMax = Math.max(this.rssMax, process.memoryUsage.rss())
    const traffic = this.emulator.traffic()
    this.progress({
      type: 'tick',
      simMs: this.now(),
      durationMs: this.s.durationMs,
      livePeers: this.world.live().size,
      totalPeers: this.world.peers.size,
      vehicles: [...this.world.vehicles.values()].filter(v => v.state === 'running').length,
      faults: this.collector.faults.length,
      converging: this.convergence.converging ? 1 : 0,
      bytes: traffic.bytes
    })
  }

  private async replay (): Promise<void> {
    const handlers = createHandlers({
      scenario: this.s,
      world: this.world,
      emulator: this.emulator,
      factories: this.opts,
      signal: this.controller.signal,
      record: (series, value, fields) => { this.collector.record(this.now(), series, value, fields) },
      onStop: (fn) => { this.stops.push(fn) }
    })
    // each action starts on time even when an earlier one is still being applied (a
    // restart or a submission can take seconds on a loaded machine); actions on the same
    // node, partition, condition or link serialise, so a restart never overtakes its crash
    const chains = new Map<string, Promise<void>>()
    const inFlight: Array<Promise<void>> = []
    for (const action of buildActions(this.s, handlers)) {
      await sleepUntil(action.atMs, () => this.now(), this.controller.signal)
      if (this.controller.signal.aborted) break
      const keys = action.target.split(',')
      const before = Promise.all(keys.map(async k => await chains.get(k)))
      const done = before.then(async () => { await this.apply(action) })
      for (const k of keys) chains.set(k, done)
      inFlight.push(done)
    }
    await Promise.all(inFlight)
  }

  private async apply (action: Action): Promise<void> {
    if (this.controller.signal.aborted) return
    const at = this.now()
    const begin = performance.now()
    const base = { atMs: at, type: action.type, target: action.target }
    try {
      const out = await action.run()
      const conv = out.change === undefined ? undefined : this.convergence.change(out.change, at)
      this.collector.fault({ ...base, ok: true, applyMs: performance.now() - begin, ...(out.detail === undefined ? {} : { detail: out.detail }), ...(conv === undefined ? {} : { convergence: conv }) })
      const detail = out.detail === undefined ? '' : ' ' + Object.entries(out.detail).map(([k, v]) => `${k}=${v}`).join(' ')
      this.collector.event(at, `${action.type} ${action.target}${detail}`)
    } catch (err) {
      this.collector.fault({ ...base, ok: false, error: errInfo(err), applyMs: performance.now() - begin })
      this.collector.event(at, `${action.type} ${action.target} FAILED: ${errInfo(err).message}`)
    }
  }

  private async finish (status: SimResults['status'], error: SimResults['error']): Promise<SimResults> {
    for (const t of this.timers) clearInterval(t)
    this.loopDelay.disable()
    this.progress({ type: 'phase', phase: 'stopping', simMs: this.now() })
    if (!Number.isNaN(this.t0)) {
      this.convergence.poll(this.now())
      this.collector.sample(this.now(), this.world, this.emulator)
    }
    this.convergence.finish()
    for (const stop of this.stops) await stop().catch(() => {})
    const stopErrors = await this.world.stopAll()
    for (const e of stopErrors) this.collector.event(this.now(), e.message)
    const linkStats = this.emulator.stats()
    this.emulator.close()
    const processes = [this.orchestratorStats(this.parts.loop), ...this.opts.runtime?.processes() ?? []]
    const results = { ...buildResults(this, status, error, linkStats), mode: this.opts.runtime?.mode ?? 'one-process', ...(this.opts.runtime?.shards === undefined ? {} : { shards: this.opts.runtime.shards }), processes }
    this.progress({ type: 'phase', phase: 'done', simMs: this.now() })
    return results
  }

  get parts (): { s: Scenario, world: World, collector: Collector, convergence: ConvergenceTracker, startedAt: Date, wall0: number, loop: SimResults['eventLoop'] } {
    const h = this.loopDelay
    // the histogram's values include its 10 ms sampling resolution
    const ms = (ns: number): number => Number.isFinite(ns) ? Math.max(0, ns / 1e6 - 10) : 0
    const loop = { meanMs: ms(h.mean), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) }
    return { s: this.s, world: this.world, collector: this.collector, convergence: this.convergence, startedAt: this.startedAt, wall0: this.wall0, loop }
  }
}

function buildResults (run: ScenarioRun, status: SimResults['status'], error: SimResults['error'], linkStats: SimResults['links']['stats']): SimResults {
  const { s, world, collector, convergence, startedAt, wall0, loop } = run.parts
  const totals: Record<string, number> = {}
  const nodes = [...world.peers.values()].map(p => {
    for (const [k, v] of Object.entries(p.lastMetrics)) totals[k] = (totals[k] ?? 0) + v
    return { name: p.node.name, group: p.node.group, peerId: p.peerId, tier: p.node.tier, position: p.node.position, state: p.state, ...(p.startedAtMs === undefined ? {} : { startedAtMs: p.startedAtMs }), crashes: p.crashes, restarts: p.restarts, metrics: p.lastMetrics }
  })
  const classes: SimResults['links']['classes'] = { default: s.links.default, ...s.links.classes }
  const cpu = cpus()
  addOutcomes(collector.timeSeries, collector.faults)
  const series: SimResults['series'] = {}
  for (const [k, v] of collector.series) series[k] = { summary: summarise(v.values), samples: v.samples }
  return {
    version: 1,
    scenario: { name: s.name, description: s.description, seed: s.seed, durationMs: s.durationMs, heartbeatMs: s.heartbeatMs, ...(s.sourceFile === undefined ? {} : { file: s.sourceFile }) },
    status,
    ok: status === 'completed' && collector.faults.every(f => f.ok),
    ...(error === undefined ? {} : { error }),
    startedAt: startedAt.toISOString(),
    wallMs: performance.now() - wall0,
    machine: { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
    eventLoop: loop,
    roads: s.roads,
    nodes,
    vehicles: [...world.vehicles.values()].map(v => ({ name: v.spec.name, peerId: v.handle?.peerId ?? '', route: v.spec.route, speedKmh: v.spec.speedKmh, startAtMs: v.spec.startAtMs, track: v.track, metrics: v.lastMetrics, state: v.state })),
    conditions: conditionResults(s, collector),
    links: { classes, stats: linkStats },
    timeSeries: collector.timeSeries,
    series,
    convergence: convergence.records,
    faults: collector.faults,
    log: collector.log,
    totals
  }
}

function conditionResults (s: Scenario, collector: Collector): SimResults['conditions'] {
  const out: SimResults['conditions'] = []
  for (const e of s.events) {
    if (e.type !== 'condition') continue
    const started = collector.faults.find(f => f.type === 'condition' && f.target === e.id && f.ok)
    if (started === undefined) continue
    const ended = collector.faults.find(f => f.type === 'condition-end' && f.target === e.id && f.ok)
    out.push({ id: e.id, condition: e.condition, position: e.position, radiusM: e.radiusM, severity: e.severity, startMs: started.atMs, ...(ended === undefined ? {} : { endMs: ended.atMs }) })
  }
  return out
}
