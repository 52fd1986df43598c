/**
 * The paper's experiments (Table 4): (A) configurations C0-C3 x MD densities, (C) baselines,
 * (D) ST vs MT vs 2PMT over 1-10 slices, and the kappa sweep of Fig. 11. Every iteration draws
 * a fresh seeded instance; every case and mode of the iteration runs on that same instance.
 */
import {
  createNimbusRng, solveCloudOnly, solveNimbus, solveSliced, solveSlicedInWorkers, variantInit,
  type Assignment, type NimbusMode, type NimbusSolverInit, type SliceWorkerPool
} from '../../protocols/index.js'
import type { NimbusData } from './data.js'
import { generateInstance, MT_GMM_WEIGHTS, type Instance, type InstanceParams } from './generate.js'
import { measureRun, type RunMetrics } from './metrics.js'

export const EXPERIMENTS = ['configs', 'baselines', 'slices', 'kappa'] as const
export type ExperimentName = typeof EXPERIMENTS[number]

/** Table 4-(A) EN configurations (T1, T2, T3) */
export const EN_CONFIGS: Record<string, [number, number, number]> = {
  C0: [350, 200, 10],
  C1: [250, 100, 5],
  C2: [150, 50, 2],
  C3: [100, 25, 0]
}
export const CONFIG_MDS = [500, 1000, 2000, 4000]
export const SLICE_COUNTS = [1, 2, 4, 8, 10]
export const KAPPAS = [1, 5, 10, 25, 50, 75, 100, 0]
const BASE: InstanceParams = { mds: 1000, t1: 100, t2: 50, t3: 2, fpsMean: 10 }

interface RunOutcome { assignments: Assignment[], convergenceMs: number, wallMs?: number }
interface Case {
  group: string
  variant: string
  slices?: number
  kappa?: number
  run: (inst: Instance, init: NimbusSolverInit, pool?: SliceWorkerPool) => Promise<RunOutcome>
}
interface Cell { label: string, params: InstanceParams, cases: Case[] }

export interface RunRow extends RunMetrics {
  experiment: ExperimentName
  group: string
  mode: NimbusMode
  variant: string
  cell: string
  slices: number
  kappa: number
  iteration: number
  wallMs: number
}

export interface ExperimentOptions {
  data: NimbusData
  /** @default 100 */
  iterations?: number
  /** @default 1 */
  seed?: number
  /** @default ['paper', 'reference'] */
  modes?: NimbusMode[]
  /** run MT/2PMT slices in these worker threads (otherwise inline, one after the other) */
  pool?: SliceWorkerPool
  /** MD densities of experiment A. @default [500, 1000, 2000, 4000] */
  mds?: number[]
  onProgress?: (message: string) => void
  signal?: AbortSignal
}

export interface ExperimentResult {
  name: ExperimentName
  rows: RunRow[]
  /** latencies of offloaded devices per `${mode}|${group}`, pooled over iterations */
  latencies: Map<string, number[]>
}

const st = (kappa?: number): Case['run'] => async (inst, init) => {
  const r = solveNimbus(inst.snapshot, inst.requests, kappa === undefined ? init : { ...init, kappa })
  return { assignments: r.assignments, convergenceMs: r.stats.solveMs }
}

function slicedCase (slices: number, twoPhase: boolean): Case['run'] {
  return async (inst, init, pool) => {
    if (pool !== undefined) {
      const r = await solveSlicedInWorkers(pool, inst.snapshot, inst.requests, { ...init, slices, twoPhase })
      return { assignments: r.assignments, convergenceMs: r.criticalPathMs, wallMs: r.wallMs }
    }
    const r = solveSliced(inst.snapshot, inst.requests, { ...init, slices, twoPhase })
    return { assignments: r.assignments, convergenceMs: r.criticalPathMs }
  }
}

function cells (name: ExperimentName, mds: readonly number[]): Cell[] {
  switch (name) {
    case 'configs':
      return Object.entries(EN_CONFIGS).flatMap(([c, [t1, t2, t3]]) => mds.map((n) => ({
        label: `${c}/${n}`,
        params: { mds: n, t1, t2, t3, fpsMean: 15 },
        cases: [{ group: `${c}/${n}`, variant: 'nimbus', run: st() }]
      })))
    case 'baselines':
      return [{
        label: 'baseline',
        params: BASE,
        cases: [
          { group: 'nimbus', variant: 'nimbus', run: st() },
          { group: 'greedy', variant: 'greedy', run: async (inst, init) => st()(inst, variantInit('greedy', init)) },
          { group: 'cloud', variant: 'cloud-wifi', run: async (inst, init) => cloudRun(inst, init, 'wifi') },
          { group: 'cloud-4g', variant: 'cloud-4g', run: async (inst, init) => cloudRun(inst, init, 'lte') }
        ]
      }]
    case 'slices':
      return [{
        label: 'variants',
        params: { ...BASE, gmmWeights: MT_GMM_WEIGHTS },
        cases: [
          { group: 'ST', variant: 'st', slices: 1, run: st() },
          ...SLICE_COUNTS.map((s) => ({ group: `MT-${s}`, variant: 'mt', slices: s, run: slicedCase(s, false) })),
          ...SLICE_COUNTS.map((s) => ({ group: `2PMT-${s}`, variant: '2pmt', slices: s, run: slicedCase(s, true) }))
        ]
      }]
    case 'kappa':
      return [{
        label: 'kappa',
        params: { ...BASE, gmmWeights: MT_GMM_WEIGHTS },
        cases: KAPPAS.map((k) => ({ group: k === 0 ? 'k=all' : `k=${k}`, variant: 'nimbus', kappa: k, run: st(k) }))
      }]
  }
}

async function cloudRun (inst: Instance, init: NimbusSolverInit, connection: 'wifi' | 'lte'): Promise<RunOutcome> {
  const r = solveCloudOnly(inst.snapshot, inst.requests, { ...init, connection })
  return { assignments: r.assignments, convergenceMs: r.stats.solveMs }
}

function modeInit (mode: NimbusMode, data: NimbusData, seed: number): NimbusSolverInit {
  return mode === 'paper' ? { mode, seed } : { mode, seed, tetSamples: data.computeSamplesMs }
}

/** Run one experiment: iterations x cells x cases x modes. */
export async function runExperiment (name: ExperimentName, opts: ExperimentOptions): Promise<ExperimentResult> {
  const iterations = opts.iterations ?? 100
  const modes = opts.modes ?? ['paper', 'reference']
  const rows: RunRow[] = []
  const latencies = new Map<string, number[]>()
  const list = cells(name, opts.mds ?? CONFIG_MDS)
  for (const [ci, cell] of list.entries()) {
    for (let it = 0; it < iterations; it++) {
      opts.signal?.throwIfAborted()
      const seed = ((opts.seed ?? 1) * 1_000_003 + ci * 10_007 + it) >>> 0
      const inst = generateInstance(opts.data, cell.params, createNimbusRng(seed))
      for (const mode of modes) {
        for (const c of cell.cases) {
          const key = `${mode}|${c.group}`
          const sink = latencies.get(key) ?? []
          latencies.set(key, sink)
          const out = await c.run(inst, modeInit(mode, opts.data, seed), opts.pool)
          rows.push({
            experiment: name, group: c.group, mode, variant: c.variant, cell: cell.label, slices: c.slices ?? 0,
            kappa: c.kappa ?? 0, iteration: it, wallMs: out.wallMs ?? Number.NaN,
            ...measureRun(inst, out.assignments, out.convergenceMs, sink)
          })
        }
      }
    }
    opts.onProgress?.(`${name}: ${cell.label} done (${ci + 1}/${list.length})`)
  }
  return { name, rows, latencies }
}
