// The EF runtime (the thesis' hypervisor interface): seals and compiles images once per
// content hash, keeps idle workers and warm instances in pools, boots sandboxes, and runs
// a watchdog that stops any EF exceeding its wall-time cap without blocking this thread.
import { TypedEventEmitter } from '@libp2p/interface'
import {
  DEFAULT_BLACKBOARD_WAIT_MS, DEFAULT_IDLE_WORKERS, DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_WORKERS,
  DEFAULT_WARM_INSTANCES, DEFAULT_WATCHDOG_INTERVAL_MS, DEFAULT_WORKER_HEAP_MB
} from './constants.js'
import { SandboxStateError, TimeLimitError } from './errors.js'
import { Sandbox } from './sandbox.js'
import { sealImage } from './seal.js'
import { wasm } from './wasm-api.js'
import { WorkerHandle } from './worker-handle.js'
import type { EfImage, ImageManifest } from './manifest.js'
import type { AmbiguityPolicy, InvokeResult, SensorSnapshot } from './protocol.js'
import type { SensorAccessController } from './sac.js'
import type { SandboxHost } from './sandbox.js'
import type { SealedImage } from './seal.js'

/** Instantiation also compiles lazily in V8: allow it on top of the image's time limit. */
/** A worker that has not answered a boot by then is wedged, whatever the CPU load. */
const BOOT_ANSWER_MS = 30_000

export interface EfRuntimeComponents {
  /** Sensors for the EFs' acquisition phase; without it every sensor reads as absent. */
  sac?: SensorAccessController
  /** EF clock (ms) @default Date.now */
  now?: () => number
  log?: (msg: string, fields?: Record<string, unknown>) => void
}

export interface EfRuntimeInit {
  /** Spawned workers kept ready for cold boots @default 1 */
  idleWorkers?: number
  /** Booted instances kept per image once it has been booted @default 0 */
  warmInstances?: number
  /** Cap on live workers (EFs plus pools) @default 32 */
  maxWorkers?: number
  /** How often the watchdog checks wall time @default 5 */
  watchdogIntervalMs?: number
  /** V8 heap cap of each worker harness (the EF's memory is capped by its manifest) @default 16 */
  workerHeapMb?: number
  /** Step graphs: 'error' rejects two true guards, 'first' takes the first @default 'error' */
  ambiguity?: AmbiguityPolicy
  /** How long a writer waits for a busy inbox @default 1000 */
  blackboardWaitMs?: number
  /** Output bytes one call may emit @default 4 MiB */
  maxOutputBytes?: number
}

export interface EfRuntimeEvents {
  'ef:boot': CustomEvent<{ sandbox: Sandbox, warm: boolean, ms: number }>
  'ef:failed': CustomEvent<{ sandbox: Sandbox, error: Error }>
  'ef:output': CustomEvent<{ sandbox: Sandbox, result: InvokeResult }>
}

export interface EfRuntimeStats {
  workers: number
  idleWorkers: number
  running: number
  warm: Record<string, number>
  modules: number
}

export class EfRuntime extends TypedEventEmitter<EfRuntimeEvents> {
  private readonly components: EfRuntimeComponents
  private readonly init: Required<EfRuntimeInit>
  private readonly modules = new Map<string, Promise<SealedImage>>()
  private readonly idle: WorkerHandle[] = []
  private readonly warm = new Map<string, Sandbox[]>()
  private readonly active = new Map<WorkerHandle, Sandbox>()
  private readonly workers = new Set<WorkerHandle>()
  private watchdog?: ReturnType<typeof setInterval>
  private readonly booting = new Map<WorkerHandle, ImageManifest>()
  private started = false
  private counter = 0
  private readonly host: SandboxHost

  constructor (components: EfRuntimeComponents = {}, init: EfRuntimeInit = {}) {
    super()
    this.components = components
    this.init = {
      idleWorkers: init.idleWorkers ?? DEFAULT_IDLE_WORKERS,
      warmInstances: init.warmInstances ?? DEFAULT_WARM_INSTANCES,
      maxWorkers: init.maxWorkers ?? DEFAULT_MAX_WORKERS,
      watchdogIntervalMs: init.watchdogIntervalMs ?? DEFAULT_WATCHDOG_INTERVAL_MS,
      workerHeapMb: init.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB,
      ambiguity: init.ambiguity ?? 'error',
      blackboardWaitMs: init.blackboardWaitMs ?? DEFAULT_BLACKBOARD_WAIT_MS,
      maxOutputBytes: init.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    }
    const now = components.now ?? Date.now
    this.host = {
      now,
      blackboardWaitMs: this.init.blackboardWaitMs,
      sensors: async (sandbox, signal): Promise<SensorSnapshot> => {
        const sac = this.components.sac
        const declared = sandbox.manifest.sensors
        if (sac == null || declared.length === 0) return {}
        return sac.snapshot(sandbox.manifest.name, declared, declared, { signal })
      },
      release: (sandbox, healthy) => { this.release(sandbox, healthy) }
    }
  }

  async start (): Promise<void> {
    if (this.started) return
    this.started = true
    this.watchdog = setInterval(() => { this.checkTime() }, this.init.watchdogIntervalMs)
    this.watchdog.unref()
    await Promise.all(Array.from({ length: this.init.idleWorkers }, async () => this.spawnIdle()))
  }

  async stop (): Promise<void> {
    this.started = false
    clearInterval(this.watchdog)
    this.watchdog = undefined
    for (const sandbox of this.active.values()) sandbox.fail(new SandboxStateError(`${sandbox.manifest.name}: runtime stopped`, sandbox.manifest.name))
    const all = [...this.workers]
    this.idle.length = 0
    this.warm.clear()
    this.active.clear()
    this.workers.clear()
    await Promise.all(all.map(async w => w.close()))
  }

  /** Verifies (hash, imports, layout) and compiles an image once per content hash. */
  async load (image: EfImage): Promise<SealedImage> {
    let sealed = this.modules.get(image.manifest.hash)
    if (sealed == null) {
      sealed = sealImage(image)
      this.modules.set(image.manifest.hash, sealed)
      sealed.catch(() => { this.modules.delete(image.manifest.hash) })
    }
    return sealed
  }

  /** Drops the compiled module (the next boot is cold again) and the warm instances. */
  async evict (hash: string): Promise<void> {
    this.modules.delete(hash)
    const pool = this.warm.get(hash) ?? []
    this.warm.delete(hash)
    await Promise.all(pool.map(async s => s.stop()))
  }

  /** Boots an EF: a warm instance from the pool if there is one, else a cold boot. */
  async boot (image: EfImage, options: { signal?: AbortSignal } = {}): Promise<Sandbox> {
    if (!this.started) throw new SandboxStateError(`${image.manifest.name}: runtime not started`, image.manifest.name)
    const started = performance.now()
    const pool = this.warm.get(image.manifest.hash)
    const warm = pool?.pop()
    if (warm != null) {
      this.active.set(warm.worker, warm)
      if (this.init.warmInstances > 0) void this.prewarm(image, 1).catch(() => {})
      this.safeDispatchEvent('ef:boot', { detail: { sandbox: warm, warm: true, ms: performance.now() - started } })
      return warm
    }
    const sandbox = await this.coldBoot(image, options)
    this.active.set(sandbox.worker, sandbox)
    if (this.init.warmInstances > 0) void this.prewarm(image, this.init.warmInstances).catch(() => {})
    this.safeDispatchEvent('ef:boot', { detail: { sandbox, warm: false, ms: performance.now() - started } })
    return sandbox
  }

  /** Tops the image's warm pool up to `count` booted, unused instances. */
  async prewarm (image: EfImage, count: number): Promise<void> {
    const pool = this.warm.get(image.manifest.hash) ?? []
    this.warm.set(image.manifest.hash, pool)
    while (pool.length < count && this.started) {
      pool.push(await this.coldBoot(image, {}))
    }
  }

  sandboxes (): Sandbox[] {
    return [...this.active.values()]
  }

  stats (): EfRuntimeStats {
    const warm: Record<string, number> = {}
    for (const pool of this.warm.values()) for (const s of pool) warm[s.manifest.name] = (warm[s.manifest.name] ?? 0) + 1
    return { workers: this.workers.size, idleWorkers: this.idle.length, running: this.active.size, warm, modules: this.modules.size }
  }

  private async coldBoot (image: EfImage, options: { signal?: AbortSignal }): Promise<Sandbox> {
    const sealed = await this.load(image)
    options.signal?.throwIfAborted()
    const worker = await this.takeWorker()
    const memory = new wasm.Memory({ initial: sealed.memory.initial, maximum: sealed.memory.maximum, shared: true })
    // the image's start function runs at instantiation: the watchdog gives it the same
    // wall-time cap, measured in the worker; the timer only catches a worker that never answers
    const name = sealed.manifest.name
    this.booting.set(worker, sealed.manifest)
    const timer = setTimeout(() => { worker.kill(new TimeLimitError(`${name}: worker did not answer the boot within ${BOOT_ANSWER_MS} ms`, name)) }, BOOT_ANSWER_MS)
    try {
      await worker.request<'load'>({
        op: 'load',
        module: sealed.module,
        memory,
        manifest: sealed.manifest,
        graph: sealed.graph,
        ambiguity: this.init.ambiguity,
        maxOutputBytes: this.init.maxOutputBytes,
        blackboardWaitMs: this.init.blackboardWaitMs
      })
    } catch (err) {
      this.recycle(worker)
      throw err
    } finally {
      clearTimeout(timer)
      this.booting.delete(worker)
    }
    const sandbox = new Sandbox(this.host, worker, sealed, memory, `${sealed.manifest.name}#${++this.counter}`)
    sandbox.addEventListener('failed', (evt) => {
      this.components.log?.('ef failed', { image: sandbox.manifest.name, sandbox: sandbox.id, error: evt.detail.message })
      this.safeDispatchEvent('ef:failed', { detail: { sandbox, error: evt.detail } })
    })
    sandbox.addEventListener('output', (evt) => { this.safeDispatchEvent('ef:output', { detail: { sandbox, result: evt.detail } }) })
    return sandbox
  }

  private async takeWorker (): Promise<WorkerHandle> {
    const worker = this.idle.pop() ?? this.spawn()
    if (this.idle.length < this.init.idleWorkers && this.started) void this.spawnIdle().catch(() => {})
    await worker.online
    return worker
  }

  private spawn (): WorkerHandle {
    if (this.workers.size >= this.init.maxWorkers) {
      throw new SandboxStateError(`runtime: ${this.workers.size} workers live, maxWorkers is ${this.init.maxWorkers}`)
    }
    const worker = new WorkerHandle({
      heapMb: this.init.workerHeapMb,
      onChained: (result, error) => { this.active.get(worker)?.chained(result, error) },
      onExit: (w, error) => { this.onWorkerExit(w, error) }
    })
    this.workers.add(worker)
    return worker
  }

  private async spawnIdle (): Promise<void> {
    const worker = this.spawn()
    await worker.online
    if (this.started && worker.alive) this.idle.push(worker)
    else await worker.close()
  }

  private release (sandbox: Sandbox, healthy: boolean): void {
    this.active.delete(sandbox.worker)
    if (healthy && sandbox.worker.alive) this.recycle(sandbox.worker)
    else if (sandbox.worker.alive) sandbox.worker.kill(new SandboxStateError(`${sandbox.manifest.name}: stopped after failure`))
  }

  /** A worker whose EF ended cleanly is reset and reused (fresh memory and instance next time). */
  private recycle (worker: WorkerHandle): void {
    if (!this.started || !worker.alive) return
    worker.request<'reset'>({ op: 'reset' }).then(() => {
      if (this.started && worker.alive && this.idle.length < Math.max(this.init.idleWorkers, 4)) this.idle.push(worker)
      else void worker.close()
    }, () => {})
  }

  private onWorkerExit (worker: WorkerHandle, error: Error): void {
    this.workers.delete(worker)
    const i = this.idle.indexOf(worker)
    if (i >= 0) this.idle.splice(i, 1)
    const sandbox = this.active.get(worker)
    if (sandbox != null) sandbox.fail(error)
    for (const pool of this.warm.values()) {
      const j = pool.findIndex(s => s.worker === worker)
      if (j >= 0) pool.splice(j, 1)
    }
    if (this.started && this.idle.length < this.init.idleWorkers) void this.spawnIdle().catch(() => {})
  }

  /** Watchdog: a call past its wall-time cap gets its worker terminated. */
  private checkTime (): void {
    const now = process.hrtime.bigint()
    for (const [worker, manifest] of this.booting) {
      const busy = worker.busyFor(now)
      if (busy > BigInt(manifest.timeLimitMs) * 1_000_000n) {
        worker.kill(new TimeLimitError(`${manifest.name}: boot ran past ${manifest.timeLimitMs} ms`, manifest.name))
      }
    }
    for (const [worker, sandbox] of this.active) {
      const limitNs = BigInt(sandbox.manifest.timeLimitMs) * 1_000_000n
      const busy = worker.busyFor(now)
      if (busy > limitNs) {
        const error = new TimeLimitError(`${sandbox.manifest.name}: call ran ${Number(busy / 1_000_000n)} ms, limit is ${sandbox.manifest.timeLimitMs} ms`, sandbox.manifest.name)
        sandbox.fail(error)
        worker.kill(error)
      }
    }
  }
}
