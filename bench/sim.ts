/**
 * bench:sim — the largest number of peers one-process mode runs on this
 * machine with the 1 s heartbeat while emulated link delays stay within 10%
 * of their settings (issue 8's target: >= 200).
 *
 * For growing peer counts it runs a grid scenario and measures delay
 * accuracy two ways: from the outside, echo round trips of a link probe (two
 * extra peers on the `default` link class, 10 ms each way) compared with the
 * configured 20 ms plus the stack's own idle round trip; and from the inside,
 * the emulator's delivery lateness over every chunk of every link. A step
 * passes when both say the delay holds for the typical packet: the probe's
 * median round trip is within 10% of the setting in every shard, and most
 * chunks (the median one) arrive within max(1 ms, 10%) of their scheduled
 * time. The tails (the probe's p95, chunk lateness p95/p99) are recorded,
 * not judged: a busy event loop delays some deliveries on any host.
 *
 * Peers: real ecco-peers from node/'s sim factory (the default), or with
 * SIM_BENCH_FACTORY=bare sim-net's libp2p-only calibration peers, which
 * measure the emulator under plain libp2p load.
 *
 * Threads: one-process mode spreads the peers over SIM_BENCH_SHARDS worker
 * threads (default: one per core; sim-net's shard runtime). Then each shard
 * runs its own link probe, so the probe's round trips cross that shard's
 * event loop like its peers' traffic does, and a step passes only when every
 * shard's median is within 10%. SIM_BENCH_SHARDS=0 hosts every peer on the
 * main thread with the probe next to them (the bare factory always does).
 *
 * Warm-up: the window starts once start-up is over. Start-up is each peer's lookups of its 3x3 block of cells
 * and the provides it repeats while the network it sees grows; on a saturated process it takes longer (at 100
 * peers over two shards, about 170 s). So after SIM_BENCH_WARMUP seconds (default 110) the bench waits until
 * the fleet has settled: every peer sees every other live, and for SETTLE_S no peer looked up its block or
 * provided its cell. What goes on after that is the steady state and falls inside the window: each peer's
 * safety-net walk once an interval (its own cell), the connections those walks dial and the budget closes.
 * A fleet that has not settled after SIM_BENCH_WARMUP_MAX seconds (default 420) is measured anyway and marked
 * unsettled. The window lasts SIM_BENCH_WINDOW seconds (default 40).
 *
 * Env: SIM_BENCH_STEPS (default "25,50,75,100,150,200": real peers are heavier than the calibration peers, so
 * the ladder starts low), SIM_BENCH_WARMUP, SIM_BENCH_WARMUP_MAX, SIM_BENCH_WINDOW,
 * SIM_BENCH_SHARDS (worker threads, default one per core; 0: the main thread), SIM_BENCH_CELL_PRECISION (default 7),
 * SIM_BENCH_PROFILE (a folder: CPU profile of the main thread in each step's measured window; with shards only the orchestrator's),
 * SIM_BENCH_HEAP_GROWING_PERCENT and SIM_BENCH_SEMI_SPACE_MB (heap tuning, node/runtime.ts; the shards get SIM_SEMI_SPACE_MB semi-spaces, 256 MB).
 *
 * Each step also records the fleet in its window from the peers' own counters: connections and beat
 * vectors per peer, false "gone" declarations, and the start-up work before and inside the window.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { Session } from 'node:inspector/promises'
import { dirname, join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createBarePeerFactory, createLinkEmulator, createLinkProbe, runScenario, validateScenario } from '../sim-net/index.js'
import type { LinkEmulator, LinkProbe, Scenario, SimPeerFactory, SimPeerHandle, SimResults } from '../sim-net/index.js'
import { createSimPeerFactory } from '../node/sim/peer-factory.js'
import { simProcessFactories } from '../node/sim/processes.js'
import type { ShardRuntime } from '../sim-net/index.js'
import { SIM_SEMI_SPACE_MB, tuneHeapForPeers } from '../node/runtime.js'
import type { PeerConfig } from '../node/config/schema.js'

// the same process tuning as sim-net's bin: a bench process hosts many peers per thread
// (SIM_BENCH_HEAP_GROWING_PERCENT and SIM_BENCH_SEMI_SPACE_MB: experiments with the memory-for-CPU trade)
tuneHeapForPeers({
  growingPercent: process.env.SIM_BENCH_HEAP_GROWING_PERCENT === undefined ? undefined : Number(process.env.SIM_BENCH_HEAP_GROWING_PERCENT),
  semiSpaceMb: Number(process.env.SIM_BENCH_SEMI_SPACE_MB ?? SIM_SEMI_SPACE_MB)
})

const BARE = process.env.SIM_BENCH_FACTORY === 'bare'
const FACTORY_NAME = BARE ? 'bare-libp2p (sim-net/testing calibration peers, not ecco-peer)' : 'ecco-peer (node/sim factory; no feature sections configured)'
const SHARDS = BARE ? 0 : Number(process.env.SIM_BENCH_SHARDS ?? cpus().length)
/** Registry-only peers (features stay off: each needs its own config section), on the main thread or in shards. */
function peerFactories (): { peers: SimPeerFactory, runtime?: ShardRuntime } {
  if (BARE) return { peers: createBarePeerFactory() }
  if (SHARDS === 0) return { peers: createSimPeerFactory({ config: PEER_CONFIG }) }
  const f = simProcessFactories({ shards: SHARDS, registryOnly: PEER_CONFIG, snapshotMs: 1000 })
  return { peers: f.peers, runtime: f.runtime as ShardRuntime }
}

/** extra peer configuration for experiments, e.g. SIM_BENCH_PEER_CONFIG='{"beatFanout":3}' */
const PEER_CONFIG = JSON.parse(process.env.SIM_BENCH_PEER_CONFIG ?? '{}') as Partial<PeerConfig>
const LATENCY_MS = 10
const CELL_PRECISION = Number(process.env.SIM_BENCH_CELL_PRECISION ?? 7)
const TOLERANCE = 0.1
const STEPS = (process.env.SIM_BENCH_STEPS ?? '25,50,75,100,150,200').split(',').map(Number).filter(n => n > 0)
const WARMUP_S = Number(process.env.SIM_BENCH_WARMUP ?? 110)
const WARMUP_MAX_S = Math.max(WARMUP_S, Number(process.env.SIM_BENCH_WARMUP_MAX ?? 420))
const WINDOW_S = Number(process.env.SIM_BENCH_WINDOW ?? 40)
/** quiet this long (no block lookup or provide in the fleet) counts as settled */
const SETTLE_S = 15
/** fleet counters of start-up work, whose quiet is settling (node/peer-metrics names, flattened) */
const SETTLE_WORK = ['ecco_discovery_rounds_total_block', 'ecco_dht_provides_total']
/** fleet counters of discovery work, reported before the window and in it */
const START_UP_WORK = [
  ...SETTLE_WORK, 'ecco_discovery_rounds_total_safety-net', 'ecco_dht_queries_total', 'ecco_connections_pruned_total_budget', 'ecco_connections_pruned_total_duplicate'
]
/** a folder: the measured window of each step is CPU-profiled into sim-<peers>.cpuprofile */
const PROFILE_DIR = process.env.SIM_BENCH_PROFILE === '' ? undefined : process.env.SIM_BENCH_PROFILE
const profiler = createWindowProfiler()

/** The inspector's sampling profiler over one window (no --cpu-prof: that covers start-up too). */
function createWindowProfiler (): { start: () => Promise<void>, stop: (file: string) => Promise<void> } {
  const session = new Session()
  return {
    start: async () => {
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.start')
    },
    stop: async (file) => {
      const { profile } = await session.post('Profiler.stop')
      session.disconnect()
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, JSON.stringify(profile))
    }
  }
}

function quantile (xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

/** The stack's own round trip (Noise, Yamux, loopback) on an idle process, with a zero-delay link. */
async function baselineRtt (): Promise<number> {
  const emu = createLinkEmulator({ links: { default: { latencyMs: 0, jitterMs: 0, loss: 0 }, classes: {}, rules: [], pairs: [] } })
  const probe = await createLinkProbe(emu, ['base-a', 'base-b'])
  const rtts: number[] = []
  for (let i = 0; i < 60; i++) rtts.push(await probe.roundTrip())
  await probe.stop()
  emu.close()
  return quantile(rtts.slice(10), 0.5)
}

/** How late a plain 10 ms setTimeout fires in this process right now: the machine's own timer noise. */
async function timerNoise (): Promise<{ p50Ms: number, p95Ms: number, p99Ms: number }> {
  const late: number[] = []
  for (let i = 0; i < 200; i++) {
    const t = performance.now()
    await new Promise(resolve => setTimeout(resolve, 10))
    late.push(performance.now() - t - 10)
  }
  return { p50Ms: quantile(late, 0.5), p95Ms: quantile(late, 0.95), p99Ms: quantile(late, 0.99) }
}

interface StepResult {
  peers: number
  ok: boolean
  startMs: number
  /** from running to the window's start: the minimum warm-up, then until the fleet settled */
  warmupMs: number
  /** false when the fleet was still starting up at SIM_BENCH_WARMUP_MAX */
  settled: boolean
  /** the worst probe's (with shards: the shard whose median is furthest off) */
  probe: { samples: number, errors: number, medianRttMs: number, p95RttMs: number, expectedRttMs: number, medianErrorPct: number }
  /** with shards: each shard's probe median error, % */
  shardMedianErrorPct?: number[]
  emulator: { chunks: number, withinTolerance: number, latenessP50Ms: number, latenessP95Ms: number, latenessP99Ms: number, latenessMaxMs: number }
  eventLoop: SimResults['eventLoop']
  cpuPercent: number
  steadyCpuPercent: number | null
  rssMb: number
  initialConvergenceMs: number | null
  bytesPerSecond: number
  /** the fleet in the window, from the peers' own counters: what each peer carries */
  fleet: FleetWindow | null
}

/** The fleet over the measured window: per-peer means, fleet sums where a field says so (gauges at its end). */
interface FleetWindow {
  connectedPeers: number
  beatVectorsOutPerSecond: number
  beatVectorsInPerSecond: number
  /** peers named in the vectors a peer takes in: changes and refreshes (protocols/state/liveness.ts) */
  beatEntriesInPerSecond: number
  /** the fewest live registry entries any peer saw at the window's end (all: the fleet size) */
  minLive: number
  /** fleet sums */
  beatIdleTimeouts: number
  syncExchanges: number
  /** live peers declared gone, a fleet sum: no peer dies here, so each is a false alarm */
  goneEvents: number
  /** suspicions raised and refuted, fleet sums: connections the budget closed, and silences */
  suspicions: number
  /** of the suspicions, members silent on a stream still open (the rest: a stream ended unannounced) */
  silentSuspicions: number
  refutations: number
  /** start-up work (START_UP_WORK's counters), fleet sums: before the window, and in it */
  startUpWork: { beforeWindow: Record<string, number>, inWindow: Record<string, number> }
}

function fleetWindow (handles: SimPeerHandle[], before: Array<Record<string, number>>, seconds: number): FleetWindow {
  type Counters = Record<string, number>
  const after = handles.map(h => h.metrics())
  const sum = (f: (m: Counters, i: number) => number, views: Counters[] = after): number => views.reduce((a, m, i) => a + f(m, i), 0)
  const mean = (f: (m: Counters, i: number) => number): number => sum(f) / Math.max(1, after.length)
  const delta = (k: string) => (m: Counters, i: number): number => (m[k] ?? 0) - (before[i]?.[k] ?? 0)
  return {
    connectedPeers: mean(m => m.ecco_peers_connected ?? 0),
    beatVectorsOutPerSecond: mean(delta('ecco_beat_vectors_total_out')) / seconds,
    beatVectorsInPerSecond: mean(delta('ecco_beat_vectors_total_in')) / seconds,
    beatEntriesInPerSecond: mean(delta('ecco_beat_entries_total_in')) / seconds,
    minLive: Math.min(...after.map(m => m.ecco_registry_peers_live ?? 0)),
    beatIdleTimeouts: sum(delta('ecco_beat_idle_timeouts_total')),
    syncExchanges: sum(delta('ecco_sync_exchanges_total')),
    goneEvents: sum(delta('ecco_registry_gone_total')),
    suspicions: sum(delta('ecco_liveness_suspicions_total_stream-ended')) + sum(delta('ecco_liveness_suspicions_total_silent')),
    silentSuspicions: sum(delta('ecco_liveness_suspicions_total_silent')),
    refutations: sum(delta('ecco_liveness_refutations_total')),
    startUpWork: {
      beforeWindow: Object.fromEntries(START_UP_WORK.map(k => [k, sum(m => m[k] ?? 0, before)])),
      inWindow: Object.fromEntries(START_UP_WORK.map(k => [k, sum(delta(k))]))
    }
  }
}

/**
 * A grid of `peers` 150 m apart; neighbours on a 5 ms radio class, everything
 * else (and the probe) on 10 ms. Discovery cells of precision 7 (about 150 m),
 * as a city deployment this dense would configure: with the default 6 a
 * peer's 3x3 block spans 3.6 km and every peer would dial 64 others.
 */
function benchScenario (peers: number): Scenario {
  const cols = Math.min(20, peers)
  return validateScenario({
    name: `bench-sim-${peers}`,
    // the run is stopped when its window ends; this only bounds it
    duration: `${WARMUP_MAX_S + WINDOW_S + 30}s`,
    heartbeat: '1s',
    cellPrecision: CELL_PRECISION,
    sample: '2s',
    seed: peers,
    nodes: [{ name: 'p', count: peers, grid: { origin: [48.13, 11.55], rows: Math.ceil(peers / cols), cols, spacingM: 150 } }],
    links: {
      default: { latencyMs: LATENCY_MS, jitterMs: 0, bandwidthMbps: 100 },
      classes: { radio: { latencyMs: 5, bandwidthMbps: 20 } },
      rules: [{ class: 'radio', maxDistanceM: 160 }]
    }
  })
}

/**
 * Resolves once start-up is over (see the header) or at `deadline`; true when settled.
 * Reads the peers' counters (with shards, from each shard's latest snapshot).
 */
async function settled (handles: SimPeerHandle[], peers: number, deadline: number, signal: AbortSignal): Promise<boolean> {
  let last = -1
  let quietSince = performance.now()
  while (!signal.aborted && performance.now() < deadline) {
    const views = handles.map(h => h.metrics())
    const work = views.reduce((sum, m) => sum + SETTLE_WORK.reduce((a, k) => a + (m[k] ?? 0), 0), 0)
    if (work !== last) { last = work; quietSince = performance.now() }
    const converged = handles.length === peers && views.every(m => m.ecco_registry_peers_live === peers)
    if (converged && performance.now() - quietSince >= SETTLE_S * 1000) return true
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  return false
}

async function step (peers: number, baseline: number): Promise<StepResult> {
  const scenario = benchScenario(peers)
  const built = peerFactories()
  const runtime = built.runtime
  const handles: SimPeerHandle[] = []
  const factory: SimPeerFactory = { createPeer: async (spec, o) => { const h = await built.peers.createPeer(spec, o); handles.push(h); return h } }
  const stop = new AbortController()
  let probe: Promise<LinkProbe> | undefined
  let emulator: LinkEmulator | undefined
  // the histogram's values include its 10 ms resolution; subtracted below
  const loop = monitorEventLoopDelay({ resolution: 10 })
  /** round trips of each probe: the main thread's, or one per shard */
  let probes: number[][] = [[]]
  let probing: Promise<void> | undefined
  let running = false
  let probeErrors = 0
  let rss = 0
  const cpu0 = process.cpuUsage()
  const wall0 = performance.now()
  let startMs = 0
  let warmupMs = 0
  let isSettled = false
  let steady: { cpu: NodeJS.CpuUsage, at: number } | undefined
  let steadyCpu: NodeJS.CpuUsage | undefined
  let steadyMs = 0
  let profiled: Promise<void> | undefined
  let fleet: FleetWindow | null = null
  const measure = async (): Promise<void> => {
    if (runtime !== undefined) {
      // each shard probes its own links for the window
      probes = await runtime.probe(WINDOW_S * 1000)
      return
    }
    const p = await probe
    if (p === undefined) return
    const sampled = await p.sample(WINDOW_S * 1000, 100)
    probes[0] = sampled.rtts
    probeErrors += sampled.errors
  }
  const results = await runScenario(scenario, {
    peers: factory,
    ...(runtime === undefined ? {} : { runtime }),
    startConcurrency: 16,
    signal: stop.signal,
    onEmulator: (emu: LinkEmulator) => { emulator = emu; if (runtime === undefined) probe = createLinkProbe(emu) },
    onProgress: (e) => {
      if (e.type === 'tick') rss = Math.max(rss, process.memoryUsage().rss)
      if (e.type === 'phase' && e.phase === 'running') {
        startMs = performance.now() - wall0
        running = true
        probing = (async () => {
          await new Promise(resolve => setTimeout(resolve, WARMUP_S * 1000))
          isSettled = await settled(handles, peers, wall0 + startMs + WARMUP_MAX_S * 1000, stop.signal)
          warmupMs = performance.now() - wall0 - startMs
          if (!running) return
          // measure steady state only: start-up (key generation, handshakes) is excluded
          emulator?.resetAccuracy()
          loop.enable()
          steady = { cpu: process.cpuUsage(), at: performance.now() }
          if (PROFILE_DIR !== undefined) await profiler.start()
          const before = handles.map(h => h.metrics())
          const measuredFrom = performance.now()
          await measure()
          fleet = fleetWindow(handles, before, (performance.now() - measuredFrom) / 1000)
          stop.abort()
        })()
      }
      if (e.type === 'phase' && e.phase === 'stopping') {
        running = false
        loop.disable()
        if (steady !== undefined) {
          steadyCpu = process.cpuUsage(steady.cpu)
          steadyMs = performance.now() - steady.at
        }
        // (a step that ended inside its warm-up never started the profiler)
        if (PROFILE_DIR !== undefined && steady !== undefined) profiled = profiler.stop(join(PROFILE_DIR, `sim-${peers}.cpuprofile`))
      }
    }
  })
  running = false
  await probing?.catch(() => { probeErrors++ })
  await profiled
  await (await probe)?.stop()
  const cpu = process.cpuUsage(cpu0)
  const wall = performance.now() - wall0
  const classes = Object.values(results.links.stats.classes)
  const chunks = classes.reduce((a, c) => a + c.lateness.count, 0)
  const onTime = chunks === 0 ? 1 : classes.reduce((a, c) => a + c.withinTenPercent * c.lateness.count, 0) / chunks
  const expected = 2 * LATENCY_MS
  const errorOf = (rtts: number[]): number => (quantile(rtts, 0.5) - baseline - expected) / expected
  // the probe furthest off decides; an empty one (NaN) is the worst
  const offBy = (rtts: number[]): number => Number.isNaN(errorOf(rtts)) ? Infinity : Math.abs(errorOf(rtts))
  const worst = probes.reduce((a, b) => offBy(b) > offBy(a) ? b : a)
  const err = errorOf(worst)
  const worstClass = (f: (c: typeof classes[number]) => number): number => Math.max(0, ...classes.map(f))
  return {
    peers,
    ok: probes.every(r => r.length > 0 && Math.abs(errorOf(r)) <= TOLERANCE) && onTime >= 0.5,
    startMs,
    warmupMs,
    settled: isSettled,
    probe: { samples: worst.length, errors: probeErrors, medianRttMs: quantile(worst, 0.5) - baseline, p95RttMs: quantile(worst, 0.95) - baseline, expectedRttMs: expected, medianErrorPct: 100 * err },
    ...(runtime === undefined ? {} : { shardMedianErrorPct: probes.map(r => 100 * errorOf(r)) }),
    emulator: { chunks, withinTolerance: onTime, latenessP50Ms: worstClass(c => c.lateness.p50Ms), latenessP95Ms: worstClass(c => c.lateness.p95Ms), latenessP99Ms: worstClass(c => c.lateness.p99Ms), latenessMaxMs: worstClass(c => c.lateness.maxMs) },
    eventLoop: { meanMs: Math.max(0, loop.mean / 1e6 - 10), p99Ms: Math.max(0, loop.percentile(99) / 1e6 - 10), maxMs: Math.max(0, loop.max / 1e6 - 10) },
    cpuPercent: 100 * (cpu.user + cpu.system) / 1000 / wall,
    // after the warm-up only: what the emulated network costs once it runs
    steadyCpuPercent: steadyCpu === undefined ? null : 100 * (steadyCpu.user + steadyCpu.system) / 1000 / steadyMs,
    rssMb: rss / (1 << 20),
    initialConvergenceMs: results.convergence[0]?.convergedMs ?? null,
    bytesPerSecond: classes.reduce((a, c) => a + c.bytes, 0) / (wall / 1000),
    fleet
  }
}

async function main (): Promise<void> {
  const baseline = await baselineRtt()
  const noise = await timerNoise()
  process.stdout.write(`bench:sim: ${FACTORY_NAME}; ${SHARDS === 0 ? 'main thread' : `${SHARDS} shards`}; link ${LATENCY_MS} ms each way; idle stack RTT ${baseline.toFixed(2)} ms; idle setTimeout lateness p50 ${noise.p50Ms.toFixed(2)} / p95 ${noise.p95Ms.toFixed(2)} / p99 ${noise.p99Ms.toFixed(2)} ms\n`)
  const steps: StepResult[] = []
  for (const n of STEPS) {
    const r = await step(n, baseline)
    steps.push(r)
    process.stdout.write(`${String(n).padStart(4)} peers: ${r.ok ? 'ok  ' : 'FAIL'} probe median RTT ${r.probe.medianRttMs.toFixed(2)} ms (${r.probe.medianErrorPct.toFixed(1)}%${r.shardMedianErrorPct === undefined ? '' : `; shards ${r.shardMedianErrorPct.map(e => e.toFixed(1)).join('/')}%`}), chunks on time ${(100 * r.emulator.withinTolerance).toFixed(1)}%, lateness p99 ${r.emulator.latenessP99Ms.toFixed(1)} ms, loop p99 ${r.eventLoop.p99Ms.toFixed(1)} ms, warm-up ${(r.warmupMs / 1000).toFixed(0)} s${r.settled ? '' : ' (unsettled)'}, cpu ${r.cpuPercent.toFixed(0)}% (steady ${r.steadyCpuPercent?.toFixed(0) ?? '-'}%), rss ${r.rssMb.toFixed(0)} MB${r.fleet === null ? '' : `; per peer ${r.fleet.connectedPeers.toFixed(1)} connections, ${r.fleet.beatVectorsOutPerSecond.toFixed(1)} beat vectors/s out (${r.fleet.beatEntriesInPerSecond.toFixed(0)} entries/s in), min live ${r.fleet.minLive}, false gone ${r.fleet.goneEvents}`}\n`)
    if (!r.ok) break
  }
  const passing = steps.filter(s => s.ok).map(s => s.peers)
  const cpu = cpus()
  const out = {
    bench: 'sim',
    timestamp: new Date().toISOString(),
    machine: { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
    factory: FACTORY_NAME,
    /** worker threads hosting the peers (0: the main thread) */
    shards: SHARDS,
    heartbeatMs: 1000,
    linkLatencyMs: LATENCY_MS,
    tolerance: TOLERANCE,
    /** minimum and maximum warm-up, the quiet period that counts as settled, and the measured window */
    warmupSeconds: { min: WARMUP_S, max: WARMUP_MAX_S, settleQuiet: SETTLE_S },
    windowSeconds: WINDOW_S,
    idleStackRttMs: baseline,
    idleTimerLatenessMs: noise,
    steps,
    maxPeersWithinTolerance: passing.length === 0 ? 0 : Math.max(...passing),
    target: 200
  }
  const file = resolve(process.cwd(), 'bench/results/sim.json')
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify(out, null, 1) + '\n')
  process.stdout.write(`max peers within ${100 * TOLERANCE}%: ${out.maxPeersWithinTolerance} (target ${out.target}); wrote ${file}\n`)
}

await main()
