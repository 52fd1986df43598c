/**
 * MT and 2PMT with one worker thread per slice solver. The pool is long-lived so a controller
 * pays the thread start-up once, not per batch.
 */
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { SliceWorkerError } from './errors.js'
import {
  combineSlices, runsStageTwo, slicePlan, sliceTasks, solverInit, stageOneInit, stageOneNearest,
  type SlicedInit, type SlicedSolveResult, type SliceTask, type SliceTaskResult
} from './solver.js'
import type { InfrastructureSnapshot, OffloadRequest } from './types.js'

export interface SliceWorkerPoolInit {
  /** number of worker threads. @default os.availableParallelism() */
  size?: number
}

interface Reply { id: number, result?: SliceTaskResult, error?: string }
interface Pending { task: SliceTask, resolve: (r: SliceTaskResult) => void, reject: (e: Error) => void }

export class SliceWorkerPool {
  readonly size: number
  private readonly workers: Worker[] = []
  private readonly idle: Worker[] = []
  private readonly queue: Pending[] = []
  private readonly inFlight = new Map<number, Pending & { worker: Worker }>()
  private nextId = 0
  private stopped = false

  constructor (init: SliceWorkerPoolInit = {}) {
    this.size = Math.max(1, init.size ?? availableParallelism())
  }

  private spawn (): Worker {
    const w = new Worker(new URL('./slice-worker.js', import.meta.url))
    w.unref()
    w.on('message', (m: Reply) => { this.onReply(w, m) })
    w.on('error', (err) => { this.onCrash(w, err) })
    this.workers.push(w)
    return w
  }

  private onReply (w: Worker, m: Reply): void {
    const p = this.inFlight.get(m.id)
    if (p === undefined) return
    this.inFlight.delete(m.id)
    w.unref()
    if (m.result !== undefined) p.resolve(m.result)
    else p.reject(new SliceWorkerError(`slice ${p.task.index}: ${m.error ?? 'no result'}`))
    this.idle.push(w)
    this.pump()
  }

  private onCrash (w: Worker, err: Error): void {
    for (const [id, p] of this.inFlight) {
      if (p.worker !== w) continue
      this.inFlight.delete(id)
      p.reject(new SliceWorkerError(`slice ${p.task.index}: worker crashed: ${err.message}`))
    }
    const i = this.workers.indexOf(w)
    if (i >= 0) this.workers.splice(i, 1)
  }

  private pump (): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop()
      if (w === undefined && this.workers.length < this.size) w = this.spawn()
      if (w === undefined) return
      const job = this.queue.shift()
      if (job === undefined) { this.idle.push(w); return }
      const id = this.nextId++
      this.inFlight.set(id, { ...job, worker: w })
      w.ref()
      w.postMessage({ id, task: job.task })
    }
  }

  /** run stage-1 tasks, at most `size` at a time */
  async run (tasks: readonly SliceTask[]): Promise<SliceTaskResult[]> {
    if (this.stopped) throw new SliceWorkerError('the slice worker pool is stopped')
    const all = tasks.map(async (task) => new Promise<SliceTaskResult>((resolve, reject) => {
      this.queue.push({ task, resolve, reject })
    }))
    this.pump()
    return Promise.all(all)
  }

  /** start every thread now, so the first batch does not pay for it */
  async warm (): Promise<void> {
    const fresh: Worker[] = []
    while (this.workers.length < this.size) fresh.push(this.spawn())
    this.idle.push(...fresh)
    await Promise.all(fresh.map(async (w) => new Promise<void>((resolve) => { w.once('online', () => { resolve() }) })))
  }

  async stop (): Promise<void> {
    this.stopped = true
    for (const p of this.queue.splice(0)) p.reject(new SliceWorkerError('the slice worker pool stopped'))
    for (const [id, p] of this.inFlight) {
      this.inFlight.delete(id)
      p.reject(new SliceWorkerError('the slice worker pool stopped'))
    }
    await Promise.all(this.workers.splice(0).map(async (w) => w.terminate()))
    this.idle.length = 0
  }
}

export interface PooledSolveResult extends SlicedSolveResult {
  /** wall-clock time including posting the slices to the workers and merging */
  wallMs: number
}

/** MT (twoPhase false) or 2PMT with the slices solved in parallel worker threads. */
export async function solveSlicedInWorkers (
  pool: SliceWorkerPool, snapshot: InfrastructureSnapshot, requests: readonly OffloadRequest[], init: SlicedInit = {}
): Promise<PooledSolveResult> {
  const t0 = performance.now()
  const { plan, planMs } = slicePlan(snapshot, init)
  const n = plan.slices.length
  const tasks = sliceTasks(snapshot, requests, plan, stageOneInit(init, n), stageOneNearest(init))
  const results = await pool.run(tasks)
  const out = combineSlices(snapshot, requests, results, solverInit(init), runsStageTwo(init, n))
  return { ...out, planMs, wallMs: performance.now() - t0 }
}
