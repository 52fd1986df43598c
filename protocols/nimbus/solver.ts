/**
 * Entry points of the solver: ST (`solveNimbus`), the variant presets (greedy, cloud-only) and
 * the pieces MT/2PMT are made of (slice plans, slice tasks, stage 2). No I/O anywhere.
 */
import { findClosestCloud, lteCloudOption, wifiCloudOption } from './cloud.js'
import { DEFAULT_GREEDY_KAPPA, DEFAULT_STAGE_ONE_NEAREST } from './constants.js'
import { InvalidNimbusInputError } from './errors.js'
import { executionMs } from './model.js'
import { resolveOptions, type NimbusSolverInit, type ResolvedOptions } from './options.js'
import { finalizePaper, paperPass, type PassResult } from './paper.js'
import { finalizeReference, referencePass, referenceSecondPass } from './reference.js'
import { createNimbusRng, type NimbusRng } from './rng.js'
import { AllocationState, PreparedSnapshot } from './state.js'
import type { Assignment, InfrastructureSnapshot, OffloadRequest, SolveResult } from './types.js'

export type NimbusVariant = 'nimbus' | 'greedy' | 'cloud-wifi' | 'cloud-4g'

/**
 * The init of a variant: greedy is small kappa, LookAheadLoad off, alpha 1, beta 0 (paper 7(C)),
 * and selfish (served devices are not protected).
 */
export function variantInit (variant: NimbusVariant, init: NimbusSolverInit = {}): NimbusSolverInit {
  if (variant !== 'greedy') return init
  return {
    ...init,
    kappa: init.kappa ?? DEFAULT_GREEDY_KAPPA,
    lookAheadLoad: false,
    alpha: 1,
    beta: 0,
    greedy: true,
    protectServed: false
  }
}

function finalize (p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, assignments: Assignment[]): void {
  if (o.mode === 'paper') finalizePaper(p, st, assignments)
  else finalizeReference(p, st, assignments)
}

function pass (
  p: PreparedSnapshot, st: AllocationState, o: ResolvedOptions, rng: NimbusRng, requests: readonly OffloadRequest[], stage: number, hiddenFloorMs?: Float64Array
): PassResult {
  return o.mode === 'paper' ? paperPass(p, st, o, requests, stage, hiddenFloorMs) : referencePass(p, st, o, rng, requests, stage)
}

/**
 * ST Nimbus: allocate a batch of requests on a snapshot, in batch order. `state` carries the
 * allocation across calls on the same snapshot (e.g. a controller serving several batches).
 */
export function solveNimbus (
  snapshot: InfrastructureSnapshot, requests: readonly OffloadRequest[], init: NimbusSolverInit = {}, state?: AllocationState
): SolveResult {
  const o = resolveOptions(init)
  const p = new PreparedSnapshot(snapshot, o)
  const st = state ?? new AllocationState(snapshot)
  const t0 = performance.now()
  const r = pass(p, st, o, createNimbusRng(o.seed), requests, 1)
  finalize(p, st, o, r.assignments)
  return { assignments: r.assignments, leftovers: r.leftovers, stats: { solveMs: performance.now() - t0, evaluated: r.evaluated } }
}

export interface CloudOnlyInit extends NimbusSolverInit {
  /** @default 'wifi' */
  connection?: 'wifi' | 'lte'
}

/** The cloud-only baselines (algorithm_cloud): closest cloud over Wi-Fi or 4G, else local. */
export function solveCloudOnly (snapshot: InfrastructureSnapshot, requests: readonly OffloadRequest[], init: CloudOnlyInit = {}): SolveResult {
  const o = resolveOptions(init)
  const connection = init.connection ?? 'wifi'
  if (connection !== 'wifi' && connection !== 'lte') throw new InvalidNimbusInputError(`connection: must be 'wifi' or 'lte', got ${String(connection)}`)
  const p = new PreparedSnapshot(snapshot, o)
  const t0 = performance.now()
  const assignments: Assignment[] = []
  const leftovers: string[] = []
  requests.forEach((req, i) => {
    const a = p.requestAp(req, i)
    const cloud = findClosestCloud(snapshot.clouds, req)
    const c = cloud === undefined ? undefined : connection === 'wifi' ? wifiCloudOption(req, cloud, p.apShareMbps[a], o) : lteCloudOption(req, cloud, o)
    // the published simulator needs L < eps_t and B <= local energy; the paper L <= eps_t, B <= eps_b
    const ok = c !== undefined && (o.mode === 'reference'
      ? c.latencyMs < req.epsT && c.energyMJ <= req.localEnergyMJ
      : c.latencyMs <= req.epsT && c.energyMJ <= req.epsB)
    leftovers.push(req.device)
    assignments.push(ok && c !== undefined
      ? { device: req.device, target: 'cloud', cloud: c.cloud.id, networkMs: c.networkMs, inferenceMs: c.cloud.inferenceMs, latencyMs: c.latencyMs, energyMJ: c.energyMJ, epsT: req.epsT, stage: 1 }
      : { device: req.device, target: 'local', networkMs: 0, inferenceMs: req.localLatencyMs, latencyMs: req.localLatencyMs, energyMJ: req.localEnergyMJ, epsT: req.epsT, stage: 1 })
  })
  return { assignments, leftovers, stats: { solveMs: performance.now() - t0, evaluated: 0 } }
}

/** Non-overlapping slices of the infrastructure: EN ids per slice and the slice of every AP. */
export interface SlicePlan {
  slices: string[][]
  /** AP id -> slice index: a device is solved by the slice of its AP */
  apSlice: Record<string, number>
}

/**
 * Which slice solves an AP's devices: 'contiguous' = the slice of the AP's position (the paper's
 * naive partition); 'nearest' = the slice that holds the AP's lowest-RTT EN (ties: snapshot order).
 */
export type SliceDevices = 'contiguous' | 'nearest'

export interface PlanSlicesInit {
  /** @default 'contiguous' */
  devices?: SliceDevices
}

/**
 * The naive partition of the paper (7(D)): APs in snapshot order split into contiguous groups;
 * a T1 goes with its AP; T2s and T3s are dealt round-robin per tier, so slices can be unbalanced.
 * With `devices: 'nearest'` the ENs are cut the same way but an AP's devices go to the slice of
 * its lowest-RTT EN: the paper's RTTs are drawn independently per AP and EN, so the AP's
 * position says nothing about where its good ENs are.
 */
export function planSlices (snapshot: InfrastructureSnapshot, count: number, init: PlanSlicesInit = {}): SlicePlan {
  if (!Number.isInteger(count) || count < 1) throw new InvalidNimbusInputError(`slices: must be an integer >= 1, got ${count}`)
  const devices = init.devices ?? 'contiguous'
  if (devices !== 'contiguous' && devices !== 'nearest') throw new InvalidNimbusInputError(`devices: must be 'contiguous' or 'nearest', got ${String(devices)}`)
  const apSlice: Record<string, number> = {}
  const n = snapshot.aps.length
  snapshot.aps.forEach((ap, i) => { apSlice[ap.id] = Math.floor(i * count / n) })
  const slices: string[][] = Array.from({ length: count }, () => [])
  const enSlice = new Int32Array(snapshot.ens.length)
  const perTier = { t1: 0, t2: 0, t3: 0 }
  snapshot.ens.forEach((en, j) => {
    const s = en.tier === 't1' && en.ap !== undefined && apSlice[en.ap] !== undefined
      ? apSlice[en.ap]
      : perTier[en.tier]++ % count
    slices[s].push(en.id)
    enSlice[j] = s
  })
  if (devices === 'nearest' && snapshot.ens.length > 0) {
    for (const ap of snapshot.aps) {
      const row = ap.rttMs
      let best = 0
      for (let j = 1; j < row.length; j++) if (row[j] < row[best]) best = j
      apSlice[ap.id] = enSlice[best]
    }
  }
  return { slices, apSlice }
}

/** What one slice solver needs: its ENs, its APs (RTT rows cut to its ENs) and its devices. */
export interface SliceTask {
  index: number
  snapshot: InfrastructureSnapshot
  requests: OffloadRequest[]
  init: NimbusSolverInit
  /** time spent cutting this slice's RTT rows: slice work, counted in its solve time */
  prepMs: number
  /**
   * per AP id of `requests`: a lower bound of RTT + TET + q(n+1) over the ENs this slice does not
   * offer the AP's devices. Stage 1 may settle a device on a faster cloud only when the cloud
   * also beats this bound, i.e. when the whole-infrastructure pass would choose the cloud too.
   */
  hiddenFloorMs?: Record<string, number>
}

export interface SliceTaskResult {
  index: number
  assignments: Assignment[]
  leftovers: string[]
  /** paper 2PMT: the devices stage 1 could not settle (stage 2 revisits only these) */
  undecided?: string[]
  solveMs: number
  evaluated: number
}

/**
 * An AP's RTT row cut to the slice's columns. With `nearest` > 0 only the ENs among the AP's
 * `nearest` lowest-RTT ENs of the whole infrastructure stay reachable: stage 1 then makes only
 * placements ST could also make, and a device whose good ENs sit in other slices waits for
 * stage 2 instead of loading a far EN (with RTTs drawn independently per AP and EN, as in the
 * paper's data, a slice rarely holds a device's best ENs). `floorMs`: the lowest RTT + `enFloor`
 * over the ENs the cut row hides. One pass over the row; `best` is scratch of `nearest` entries.
 */
function cutRow (
  row: readonly number[], cols: readonly number[], nearest: number, inSlice: Uint8Array, enFloor: Float64Array, best: Float64Array
): { rttMs: number[], floorMs: number } {
  const k = nearest <= 0 || nearest >= row.length ? 0 : nearest
  let size = 0
  let floorMs = Number.POSITIVE_INFINITY
  for (let j = 0; j < row.length; j++) {
    const x = row[j]
    if (inSlice[j] === 0 && x + enFloor[j] < floorMs) floorMs = x + enFloor[j]
    // the k smallest RTTs so far, by a bounded insertion sort (k is small)
    if (k === 0 || (size === k && x >= best[k - 1])) continue
    let i = size < k ? size++ : k - 1
    while (i > 0 && best[i - 1] > x) { best[i] = best[i - 1]; i-- }
    best[i] = x
  }
  const cap = k === 0 ? Number.POSITIVE_INFINITY : best[size - 1]
  const rttMs = new Array<number>(cols.length)
  for (let i = 0; i < cols.length; i++) {
    const j = cols[i]
    const x = row[j]
    if (x <= cap) { rttMs[i] = x; continue }
    rttMs[i] = Number.POSITIVE_INFINITY
    if (x + enFloor[j] < floorMs) floorMs = x + enFloor[j]
  }
  return { rttMs, floorMs }
}

/** Cut the snapshot and the batch into one task per slice. */
export function sliceTasks (
  snapshot: InfrastructureSnapshot, requests: readonly OffloadRequest[], plan: SlicePlan, init: NimbusSolverInit, nearest = 0
): SliceTask[] {
  const enIdx = new Map(snapshot.ens.map((en, j) => [en.id, j]))
  const seed = init.seed ?? 1
  // one slice holds every EN: nothing to wait for, 2PMT is ST
  const cut = plan.slices.length > 1 ? nearest : 0
  // the fastest Le an EN can offer a newcomer: TET + q(served + 1)
  const enFloor = Float64Array.from(snapshot.ens, (en) => executionMs(en, (en.served?.length ?? 0) + 1))
  return plan.slices.map((ids, index) => {
    const cols = ids.map((id) => {
      const j = enIdx.get(id)
      if (j === undefined) throw new InvalidNimbusInputError(`slices[${index}]: unknown EN id ${id}`)
      return j
    })
    const inSlice = new Uint8Array(snapshot.ens.length)
    for (const j of cols) inSlice[j] = 1
    const reqs = requests.filter((r) => plan.apSlice[r.ap] === index)
    const used = new Set(reqs.map((r) => r.ap))
    const hiddenFloorMs: Record<string, number> = {}
    const scratch = new Float64Array(Math.max(1, cut))
    const mine = snapshot.aps.filter((ap) => plan.apSlice[ap.id] === index)
    // cutting the rows of the APs with devices is slice work, counted in its solve time
    const t0 = performance.now()
    const aps = mine.map((ap) => {
      if (!used.has(ap.id)) return { ...ap, rttMs: cols.map((j) => ap.rttMs[j]) }
      const { rttMs, floorMs } = cutRow(ap.rttMs, cols, cut, inSlice, enFloor, scratch)
      hiddenFloorMs[ap.id] = floorMs
      return { ...ap, rttMs }
    })
    const prepMs = performance.now() - t0
    const sub: InfrastructureSnapshot = { ens: cols.map((j) => snapshot.ens[j]), aps, clouds: snapshot.clouds }
    // paper 2PMT: stage 1 settles a device off the edge only when stage 2 would (see paperPass)
    return { index, snapshot: sub, requests: reqs, init: { ...init, slice: undefined, seed: seed + index }, prepMs, hiddenFloorMs }
  })
}

/** Stage-1 work of one slice (run in a worker thread, or inline). Assignments are not finalized. */
export function runSliceTask (task: SliceTask): SliceTaskResult {
  const o = resolveOptions(task.init)
  const p = new PreparedSnapshot(task.snapshot, o)
  const st = new AllocationState(task.snapshot)
  const t0 = performance.now()
  const floors = new Float64Array(task.snapshot.aps.length).fill(Number.NEGATIVE_INFINITY)
  for (const [id, f] of Object.entries(task.hiddenFloorMs ?? {})) {
    const a = p.apIndex.get(id)
    if (a !== undefined) floors[a] = f
  }
  const r = pass(p, st, o, createNimbusRng(o.seed), task.requests, 1, floors)
  return { index: task.index, assignments: r.assignments, leftovers: r.leftovers, undecided: r.undecided, solveMs: task.prepMs + performance.now() - t0, evaluated: r.evaluated }
}

export interface SlicedSolveResult extends SolveResult {
  /** stage-1 loop time of every slice */
  sliceMs: number[]
  /** stage-2 loop time (0 for MT) */
  stage2Ms: number
  /** max(sliceMs) + stage2Ms: the convergence time with one core per slice */
  criticalPathMs: number
  /** time spent planning the slices (0 when an explicit plan was given); not in criticalPathMs */
  planMs: number
}

/**
 * Merge slice results into the whole infrastructure and, for 2PMT, run stage 2 over the
 * leftovers with the current loads.
 */
export function combineSlices (
  snapshot: InfrastructureSnapshot, requests: readonly OffloadRequest[], results: readonly SliceTaskResult[],
  init: NimbusSolverInit, twoPhase: boolean
): SlicedSolveResult {
  const o = resolveOptions({ ...init, slice: undefined })
  const p = new PreparedSnapshot(snapshot, o)
  const st = new AllocationState(snapshot)
  const byDevice = new Map<string, Assignment>()
  let evaluated = 0
  for (const r of results) {
    evaluated += r.evaluated
    for (const x of r.assignments) {
      byDevice.set(x.device, x)
      const j = x.en === undefined ? undefined : p.enIndex.get(x.en)
      if (x.target === 'edge' && j !== undefined) st.add(j, { device: x.device, epsT: x.epsT, networkMs: x.networkMs }, o.mode === 'reference' ? x.inferenceMs : Number.NaN)
    }
  }
  // paper stage 1 settles cloud or local only when the whole infrastructure would: stage 2 takes the rest
  let leftovers = results.flatMap((r) => o.mode === 'paper' ? r.undecided ?? r.leftovers : r.leftovers)
  let stage2Ms = 0
  if (twoPhase && leftovers.length > 0) {
    const wanted = new Set(leftovers)
    const reqs = requests.filter((r) => wanted.has(r.device))
    const rng = createNimbusRng((o.seed ^ 0x5bd1e995) >>> 0)
    const t0 = performance.now()
    const r2 = o.mode === 'paper'
      ? paperPass(p, st, o, reqs, 2)
      : referenceSecondPass(p, st, o, rng, reqs, byDevice, 2)
    stage2Ms = performance.now() - t0
    evaluated += r2.evaluated
    for (const x of r2.assignments) byDevice.set(x.device, x)
    leftovers = r2.assignments.filter((x) => x.target !== 'edge').map((x) => x.device)
  }
  const assignments = requests.map((r) => byDevice.get(r.device)).filter((x): x is Assignment => x !== undefined)
  finalize(p, st, o, assignments)
  const sliceMs = results.map((r) => r.solveMs)
  const criticalPathMs = Math.max(0, ...sliceMs) + stage2Ms
  return { assignments, leftovers, sliceMs, stage2Ms, criticalPathMs, planMs: 0, stats: { solveMs: criticalPathMs, evaluated } }
}

export interface SlicedInit extends NimbusSolverInit {
  /** number of slices, or an explicit plan. @default 1 */
  slices?: number | SlicePlan
  /** run stage 2 (2PMT) after the slices (MT). @default true */
  twoPhase?: boolean
  /**
   * 2PMT in paper mode: stage 1 offers a device only the ENs among its AP's k lowest-RTT ENs
   * of the whole infrastructure; 0 = every EN of its slice. @default 8
   */
  stageOneNearest?: number
  /**
   * With `slices` given as a count: which slice solves an AP's devices (see `planSlices`).
   * @default 'nearest' for 2PMT in paper mode, 'contiguous' otherwise (MT, reference mode)
   */
  sliceDevices?: SliceDevices
}

function isPaperTwoPhase (init: SlicedInit): boolean {
  return (init.twoPhase ?? true) && (init.mode ?? 'paper') === 'paper'
}

/**
 * The solver options of stage 1: in paper 2PMT the cloud decision belongs to stage 2, unless a
 * single slice holds every EN: its stage 1 already sees the whole infrastructure and is ST.
 */
function stageOneInit (init: SlicedInit, sliceCount = 2): NimbusSolverInit {
  const rest = solverInit(init)
  return isPaperTwoPhase(init) && sliceCount > 1 ? { ...rest, cloudFailover: false } : rest
}

/** Whether stage 2 runs: 2PMT, except paper mode with one slice (nothing outside it to try). */
function runsStageTwo (init: SlicedInit, sliceCount: number): boolean {
  return (init.twoPhase ?? true) && !(isPaperTwoPhase(init) && sliceCount === 1)
}

/** How many globally nearest ENs stage 1 may use (0 = no cut). */
function stageOneNearest (init: SlicedInit): number {
  const k = isPaperTwoPhase(init) ? init.stageOneNearest ?? DEFAULT_STAGE_ONE_NEAREST : 0
  if (!Number.isInteger(k) || k < 0) throw new InvalidNimbusInputError(`stageOneNearest: must be an integer >= 0, got ${k}`)
  return k
}

/** The options every pass shares, without the slicing ones. */
function solverInit (init: SlicedInit): NimbusSolverInit {
  const { slices: _s, twoPhase: _t, stageOneNearest: _k, sliceDevices: _d, ...rest } = init
  return rest
}

/** The slice plan of a sliced solve and the time it took to make (0 for an explicit plan). */
function slicePlan (snapshot: InfrastructureSnapshot, init: SlicedInit): { plan: SlicePlan, planMs: number } {
  if (typeof init.slices === 'object') return { plan: init.slices, planMs: 0 }
  const t0 = performance.now()
  const devices = init.sliceDevices ?? (isPaperTwoPhase(init) ? 'nearest' : 'contiguous')
  const plan = planSlices(snapshot, init.slices ?? 1, { devices })
  return { plan, planMs: performance.now() - t0 }
}

/** MT / 2PMT solved slice after slice in this thread (same results as the worker pool). */
export function solveSliced (snapshot: InfrastructureSnapshot, requests: readonly OffloadRequest[], init: SlicedInit = {}): SlicedSolveResult {
  const { plan, planMs } = slicePlan(snapshot, init)
  const n = plan.slices.length
  const results = sliceTasks(snapshot, requests, plan, stageOneInit(init, n), stageOneNearest(init)).map(runSliceTask)
  return { ...combineSlices(snapshot, requests, results, solverInit(init), runsStageTwo(init, n)), planMs }
}

export { stageOneInit, stageOneNearest, solverInit, slicePlan, runsStageTwo }
