/**
 * Nimbus benchmarks (issue 7): ST convergence time, 2PMT speed-up and allocation, scale, paper
 * vs reference mode on the same inputs, and the reproduced figures. Writes bench/results/nimbus.json.
 * NIMBUS_BENCH_ITER scales the number of instances per measurement (default 20).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, platform, release } from 'node:os'
import { join, resolve } from 'node:path'
import {
  createNimbusRng, SliceWorkerPool, solveNimbus, solveSliced, solveSlicedInWorkers,
  type Assignment, type NimbusSolverInit
} from '../protocols/index.js'
import {
  generateInstance, loadNimbusData, MT_GMM_WEIGHTS, runExperiment, summarize,
  type GroupSummary, type Instance, type InstanceParams, type NimbusData
} from '../sim-net/nimbus/index.js'

const ITER = Number(process.env.NIMBUS_BENCH_ITER ?? 20)
const BASE: InstanceParams = { mds: 1000, t1: 100, t2: 50, t3: 2, fpsMean: 10 }

function median (xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b)
  return s.length === 0 ? Number.NaN : (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d
const frac = (xs: Assignment[], f: (a: Assignment) => boolean): number => xs.filter(f).length / Math.max(1, xs.length)
const served = (a: Assignment): boolean => a.target !== 'local'
const onEdge = (a: Assignment): boolean => a.target === 'edge'
const late = (a: Assignment): boolean => a.target !== 'local' && a.latencyMs > a.epsT + 1e-6

function instances (data: NimbusData, p: InstanceParams, n: number, seed: number): Instance[] {
  return Array.from({ length: n }, (_, i) => generateInstance(data, p, createNimbusRng(seed + i)))
}

function stConvergence (data: NimbusData): Record<string, unknown> {
  const insts = instances(data, BASE, ITER, 1000)
  solveNimbus(insts[0].snapshot, insts[0].requests, { kappa: 10 }) // warm the JIT
  const out: Record<string, unknown> = {}
  for (const kappa of [10, 0]) {
    const times = insts.map((i) => solveNimbus(i.snapshot, i.requests, { kappa }).stats.solveMs)
    out[`kappa${kappa === 0 ? 'All' : kappa}`] = { medianMs: round(median(times)), maxMs: round(Math.max(...times)), targetMs: 50, meetsTarget: median(times) <= 50 }
  }
  const ref = insts.map((i) => solveNimbus(i.snapshot, i.requests, { mode: 'reference', kappa: 10, tetSamples: data.computeSamplesMs }).stats.solveMs)
  out.referenceKappa10MedianMs = round(median(ref))
  return { setting: '152 ENs (100/50/2), 1000 MDs, FPS 10, paper mode, one core', ...out }
}

const REPEAT = 3

function bestOf<T> (run: () => T, ms: (r: T) => number): T {
  let best = run()
  for (let i = 1; i < REPEAT; i++) {
    const r = run()
    if (ms(r) < ms(best)) best = r
  }
  return best
}

interface Row { ms: number[], wall: number[], workers: number[], plan: number[], slice: number[], stage2: number[], stage2Devices: number[], edge: number[], served: number[] }
interface Times { ms: number, wall: number, workers?: number, plan?: number, slice?: number, stage2?: number }

async function twoPhase (data: NimbusData, pool: SliceWorkerPool): Promise<Record<string, unknown>> {
  const insts = instances(data, { ...BASE, gmmWeights: MT_GMM_WEIGHTS }, ITER, 2000)
  const rows: Record<string, Row> = {}
  const add = (k: string, xs: Assignment[], t: Times): void => {
    const r = rows[k] ?? (rows[k] = { ms: [], wall: [], workers: [], plan: [], slice: [], stage2: [], stage2Devices: [], edge: [], served: [] })
    r.ms.push(t.ms); r.wall.push(t.wall); r.workers.push(t.workers ?? t.ms); r.plan.push(t.plan ?? 0); r.slice.push(t.slice ?? t.ms); r.stage2.push(t.stage2 ?? 0)
    r.stage2Devices.push(xs.filter((a) => a.stage === 2).length); r.edge.push(frac(xs, onEdge)); r.served.push(frac(xs, served))
  }
  const counts = [2, 4, 8]
  // warm the JIT here and in every worker thread before measuring
  for (const inst of insts.slice(0, 3)) {
    solveNimbus(inst.snapshot, inst.requests)
    for (const slices of counts) {
      solveSliced(inst.snapshot, inst.requests, { slices })
      await solveSlicedInWorkers(pool, inst.snapshot, inst.requests, { slices })
    }
  }
  for (const inst of insts) {
    // best of REPEAT runs, the same for ST and 2PMT: the machine is shared, so a run can be
    // descheduled or hit a GC pause in its window
    const t0 = performance.now()
    const st = bestOf(() => solveNimbus(inst.snapshot, inst.requests), (r) => r.stats.solveMs)
    add('ST', st.assignments, { ms: st.stats.solveMs, wall: (performance.now() - t0) / REPEAT })
    for (const slices of counts) {
      // convergence: each slice's loop alone on a core (run here one after the other); wall and
      // the workers' own critical path from the pool (8 threads sharing this machine's cores)
      const r = bestOf(() => solveSliced(inst.snapshot, inst.requests, { slices }), (x) => x.criticalPathMs)
      const w = await solveSlicedInWorkers(pool, inst.snapshot, inst.requests, { slices })
      add(`2PMT-${slices}`, r.assignments, { ms: r.criticalPathMs, wall: w.wallMs, workers: w.criticalPathMs, plan: r.planMs, slice: Math.max(...r.sliceMs), stage2: r.stage2Ms })
    }
  }
  const sum = Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, {
    convergenceMedianMs: round(median(r.ms)),
    maxSliceMedianMs: round(median(r.slice)),
    stage2MedianMs: round(median(r.stage2)),
    stage2Devices: round(mean(r.stage2Devices), 1),
    planMedianMs: round(median(r.plan)),
    wallMedianMs: round(median(r.wall)),
    convergenceInWorkersMedianMs: round(median(r.workers)),
    edgeRatio: round(mean(r.edge)),
    servedRatio: round(mean(r.served))
  }]))
  const st = sum.ST
  const p8 = sum['2PMT-8']
  const p2 = sum['2PMT-2']
  return {
    setting: '1000 MDs, 100/50/2 ENs, FPS 10, GMM weights [0.2,0.2,0.6] (MT notebook), paper mode (defaults: devices solved by the slice of their AP\'s lowest-RTT EN, stage 1 on the 8 nearest ENs); convergence = max slice loop (incl. cutting its RTT rows) + stage 2, each slice timed alone on a core (one core per slice), best of 3 runs per instance for ST and 2PMT alike; plan = AP->slice map, once per snapshot, not in convergence; wall = pool of 8 worker threads on this machine; convergenceInWorkers = the same critical path timed inside those threads (slices time-share the cores and each receives a structured clone, so GC pauses and descheduling land in its window)',
    ...sum,
    speedup8: round(st.convergenceMedianMs / p8.convergenceMedianMs, 2),
    speedup8WithPlan: round(st.convergenceMedianMs / (p8.convergenceMedianMs + p8.planMedianMs), 2),
    speedup8Wall: round(st.wallMedianMs / p8.wallMedianMs, 2),
    edgeRatioGapPoints8: round(100 * (st.edgeRatio - p8.edgeRatio), 2),
    servedRatioGapPoints8: round(100 * (st.servedRatio - p8.servedRatio), 2),
    speedup2: round(st.convergenceMedianMs / p2.convergenceMedianMs, 2),
    edgeRatioGapPoints2: round(100 * (st.edgeRatio - p2.edgeRatio), 2),
    target: 'speedup >= 3x, edge and served ratio within 2 points of ST',
    meetsTarget: st.convergenceMedianMs / p8.convergenceMedianMs >= 3 && Math.abs(st.edgeRatio - p8.edgeRatio) <= 0.02 && Math.abs(st.servedRatio - p8.servedRatio) <= 0.02
  }
}

async function scale (data: NimbusData, pool: SliceWorkerPool): Promise<Record<string, unknown>> {
  const p: InstanceParams = { mds: 10_000, t1: 700, t2: 270, t3: 30, fpsMean: 10 }
  const insts = instances(data, p, Math.max(2, Math.floor(ITER / 5)), 3000)
  const st = insts.map((i) => solveNimbus(i.snapshot, i.requests))
  const stK = insts.map((i) => solveNimbus(i.snapshot, i.requests, { kappa: 100 }))
  const two: number[] = []; const wall: number[] = []; const ratios: number[] = []
  for (const i of insts) {
    const r = await solveSlicedInWorkers(pool, i.snapshot, i.requests, { slices: 8 })
    two.push(r.criticalPathMs); wall.push(r.wallMs); ratios.push(frac(r.assignments, onEdge))
  }
  return {
    setting: '10,000 MDs, 1,000 ENs (700/270/30), FPS 10, APs capped at the 4,418 of the data set',
    stMedianMs: round(median(st.map((r) => r.stats.solveMs))),
    stKappa100MedianMs: round(median(stK.map((r) => r.stats.solveMs))),
    stEdgeRatio: round(mean(st.map((r) => frac(r.assignments, onEdge)))),
    twoPmt8ConvergenceMedianMs: round(median(two)),
    twoPmt8WallMedianMs: round(median(wall)),
    twoPmt8EdgeRatio: round(mean(ratios))
  }
}

const PAPER_NET: NimbusSolverInit = { pathBandwidth: 'bottleneck', wifiShare: 'attached' }
const REF_NET: NimbusSolverInit = { pathBandwidth: 'fastest', wifiShare: 'attached-plus-one' }

interface Share { servedShare: number, servedWithinDeadlineShare: number, edgeShare: number, cloudShare: number, pastDeadlineMean: number }

function paperVsReference (data: NimbusData): Record<string, unknown> {
  const configs: Array<[string, InstanceParams]> = [
    ['baseline/1000', BASE],
    ...[['C0', 350, 200, 10], ['C3', 100, 25, 0]].flatMap(([c, t1, t2, t3]) => [500, 4000].map((mds): [string, InstanceParams] =>
      [`${String(c)}/${mds}`, { mds, t1: Number(t1), t2: Number(t2), t3: Number(t3), fpsMean: 15 }]))
  ]
  const ref = (seed: number, net: NimbusSolverInit): NimbusSolverInit => ({ mode: 'reference', seed, tetSamples: data.computeSamplesMs, ...net })
  // each network model is run by both algorithms; the rule compares them on the same model
  const variants: Record<string, (seed: number) => NimbusSolverInit> = {
    reference: (seed) => ref(seed, {}),
    referencePaperNetwork: (seed) => ref(seed, PAPER_NET),
    paper: () => ({}),
    paperAlgorithm1EdgeFirst: () => ({ cloudWhenFaster: false }),
    paperReferenceNetwork: () => ({ ...REF_NET }),
    paperReferenceNetworkEdgeFirst: () => ({ ...REF_NET, cloudWhenFaster: false })
  }
  const out: Record<string, unknown> = {}
  for (const [label, p] of configs) {
    const insts = instances(data, p, Math.max(3, Math.floor(ITER / 4)), 4000)
    const cell: Record<string, Share> = {}
    for (const [v, init] of Object.entries(variants)) {
      const rs = insts.map((inst, i) => solveNimbus(inst.snapshot, inst.requests, init(i)).assignments)
      cell[v] = {
        servedShare: round(mean(rs.map((xs) => frac(xs, served)))),
        servedWithinDeadlineShare: round(mean(rs.map((xs) => frac(xs, (a) => served(a) && !late(a))))),
        edgeShare: round(mean(rs.map((xs) => frac(xs, onEdge)))),
        cloudShare: round(mean(rs.map((xs) => frac(xs, (a) => a.target === 'cloud')))),
        pastDeadlineMean: round(mean(rs.map((xs) => xs.filter(late).length)), 1)
      }
    }
    const rule = (a: string, b: string): Record<string, boolean> => ({
      withinDeadline: cell[a].servedWithinDeadlineShare >= cell[b].servedWithinDeadlineShare && cell[a].pastDeadlineMean === 0,
      servedInclLate: cell[a].servedShare >= cell[b].servedShare && cell[a].pastDeadlineMean === 0
    })
    out[label] = {
      ...cell,
      ruleSameNetworkPaperModel: rule('paper', 'referencePaperNetwork'),
      ruleSameNetworkReferenceModel: rule('paperReferenceNetwork', 'reference'),
      defaultsOnDifferentNetworks: rule('paper', 'reference')
    }
  }
  return {
    note: 'served = edge or cloud; within deadline = served with final L <= eps_t (the published simulator leaves some past it). The rule (paper not worse, zero past deadline) is checked with both algorithms on the same network model: the paper\'s (bottleneck d/min(R/N, EN link), N = devices at the AP) and the published simulator\'s (the faster of the two hops, N + 1). defaultsOnDifferentNetworks compares the two defaults, whose network models differ (README "Paper vs reference")',
    ...out
  }
}

async function figures (data: NimbusData): Promise<Record<string, unknown>> {
  const iterations = Math.max(3, Math.floor(ITER / 2))
  const a = summarize(await runExperiment('configs', { data, iterations, modes: ['paper', 'reference'] }))
  // the worst case of the paper's Fig. 6: the cell with the highest median task latency, per mode
  const worstOf = (mode: string): GroupSummary | undefined => a.filter((s) => s.mode === mode).sort((x, y) => y.latency.p50 - x.latency.p50)[0]
  const best = a.filter((s) => s.group === 'C0/4000')
  const d = summarize(await runExperiment('slices', { data, iterations, modes: ['paper'] }))
  const g = (k: string): { edge: number, ms: number } => {
    const s = d.find((x) => x.group === k)
    return { edge: round((s?.mean.edge ?? 0) / Math.max(1, s?.mean.mds ?? 1)), ms: round(s?.convergenceMedianMs ?? Number.NaN) }
  }
  const worst = (['paper', 'reference'] as const).map((m) => worstOf(m)).filter((s): s is GroupSummary => s !== undefined)
  return {
    iterations,
    worstCaseLatency: Object.fromEntries(worst.map((s) => [s.mode, { cell: s.group, medianMs: round(s.latency.p50, 1), p95Ms: round(s.latency.p95, 1), ratioToFastestLocal116: round(116 / s.latency.p50, 2) }])),
    paperWorstCaseLatency: '~2x lower than the fastest local MD (116 ms), i.e. about 58 ms',
    worstCaseEnergySavedMobileB: Object.fromEntries(worst.map((s) => [s.mode, {
      cell: s.group,
      perFrameWholeLatency: round(s.mean.energySavedPerFrameMobileB),
      offloadedEq42OneSecondPayload: round(s.mean.energySavedOffloadedFracMobileB),
      allDevicesEq42: round(s.mean.energySavedFracMobileB),
      perFrameAtPaperLatency58: round(1 - 1.21 * 58 / 318)
    }])),
    paperEnergySaved: '~77 % (most power-hungry phone = Mobile_B 318 mJ/frame, average saving, worst case). perFrameWholeLatency = mean over offloaded Mobile_B devices of 1 - 1.21 mJ/ms x L / 318 mJ; eq. 4.2 (B = w x Lt) gives ~99 % per offloaded device; over all devices (local ones save 0) it is the offloaded share',
    edgeRatioC0at4000: Object.fromEntries(best.map((s) => [s.mode, round(s.mean.edge / s.mean.mds)])),
    paperEdgeRatio4000: 'about 75 % (largest configuration) down to 25 % (smallest)',
    slices: { ST: g('ST'), '2PMT-2': g('2PMT-2'), '2PMT-8': g('2PMT-8'), 'MT-4': g('MT-4') },
    paperSlices: '2PMT with 2 slices: allocation close to ST at about half the time; 2PMT-8 about 3x faster than 2PMT-2'
  }
}

async function main (): Promise<void> {
  const data = loadNimbusData()
  const pool = new SliceWorkerPool({ size: 8 })
  await pool.warm()
  try {
    const t0 = performance.now()
    const result = {
      benchmark: 'nimbus',
      timestamp: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, platform: platform(), release: release() },
      iterations: ITER,
      stConvergence: stConvergence(data),
      twoPhase8: await twoPhase(data, pool),
      scale: await scale(data, pool),
      paperVsReference: paperVsReference(data),
      figures: await figures(data),
      totalSeconds: 0
    }
    result.totalSeconds = round((performance.now() - t0) / 1000, 1)
    const dir = resolve(process.cwd(), 'bench/results')
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'nimbus.json'), JSON.stringify(result, null, 2) + '\n')
    process.stdout.write(JSON.stringify(result, null, 2) + '\n')
  } finally {
    await pool.stop()
  }
}

await main()
