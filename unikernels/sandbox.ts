// One booted EF: the hypervisor-style interface (feed input, run steps, checkpoint,
// resume, suspend, stop, status, resource use). Calls on one sandbox run one at a time.
import { TypedEventEmitter } from '@libp2p/interface'
import { FROM_HOST, claimInboxAsync, fillInbox, lastTransferNs } from './blackboard.js'
import { decodeCheckpoint } from './checkpoint.js'
import { BlackboardBusyError, CheckpointError, InputTooLargeError, SandboxStateError } from './errors.js'
import type { ImageManifest } from './manifest.js'
import type { InvokeResult, SensorSnapshot, StepResult, UsageResult } from './protocol.js'
import type { SealedImage } from './seal.js'
import type { UnimemValue } from './unimem.js'
import type { WasmMemory } from './wasm-api.js'
import type { WorkerHandle } from './worker-handle.js'

export type SandboxStatus = 'ready' | 'running' | 'suspended' | 'terminated' | 'stopped' | 'failed'

export interface SandboxEvents {
  /** A run triggered by the previous EF writing this EF's inbox (blackboard chain). */
  output: CustomEvent<InvokeResult>
  failed: CustomEvent<Error>
  status: CustomEvent<SandboxStatus>
}

export interface SandboxUsage extends UsageResult {
  /** Cap on linear memory (bytes) and per-invocation wall time (ms). */
  memoryLimitBytes: number
  timeLimitMs: number
}

/** What a sandbox needs from its runtime. */
export interface SandboxHost {
  now(): number
  sensors(sandbox: Sandbox, signal?: AbortSignal): Promise<SensorSnapshot>
  release(sandbox: Sandbox, healthy: boolean): void
  blackboardWaitMs: number
}

/** Errors after which the instance must not run again. */
const FATAL = new Set(['MemoryLimitError', 'TimeLimitError', 'EfTrapError', 'SensorAccessDeniedError', 'WorkerCrashedError', 'AmbiguousGuardError', 'BlackboardBusyError'])

export class Sandbox extends TypedEventEmitter<SandboxEvents> {
  readonly id: string
  readonly manifest: ImageManifest
  readonly memory: WasmMemory
  readonly graph: boolean
  readonly worker: WorkerHandle
  private _status: SandboxStatus = 'ready'
  private _error?: Error
  private queue: Promise<unknown> = Promise.resolve()
  private readonly host: SandboxHost
  /** Sandboxes whose outputs flow into this one's inbox; cut when this one goes away. */
  private readonly upstream = new Set<Sandbox>()
  private downstream?: Sandbox

  constructor (host: SandboxHost, worker: WorkerHandle, sealed: SealedImage, memory: WasmMemory, id: string) {
    super()
    this.host = host
    this.worker = worker
    this.manifest = sealed.manifest
    this.graph = sealed.graph
    this.memory = memory
    this.id = id
  }

  get status (): SandboxStatus {
    return this._status
  }

  /** Why the sandbox failed, if it did. */
  get error (): Error | undefined {
    return this._error
  }

  /**
   * Feeds one input (bundle payload) through the EF's four phases. The payload is
   * written once into the EF's inbox pages; the EF reads it in place.
   */
  async invoke (payload: Uint8Array = new Uint8Array(0), options: { signal?: AbortSignal } = {}): Promise<InvokeResult> {
    if (payload.length > this.manifest.inbox.capacity) {
      throw new InputTooLargeError(`${this.manifest.name}: input of ${payload.length} bytes, inbox holds ${this.manifest.inbox.capacity}`, this.manifest.name)
    }
    return this.serial(['ready', 'running'], async () => {
      const sensors = await this.host.sensors(this, options.signal)
      options.signal?.throwIfAborted()
      if (!await claimInboxAsync(this.worker.ctl, this.host.blackboardWaitMs)) {
        throw new BlackboardBusyError(`${this.manifest.name}: inbox still busy after ${this.host.blackboardWaitMs} ms`, this.manifest.name)
      }
      fillInbox(this.worker.ctl, this.memory, this.manifest.inbox, payload, FROM_HOST)
      return this.worker.request<'invoke'>({ op: 'invoke', sensors, clock: this.host.now() })
    })
  }

  /** Runs up to `n` atomic steps of a step-graph EF. */
  async steps (n = 1, options: { signal?: AbortSignal } = {}): Promise<StepResult> {
    return this.serial(['ready', 'running'], async () => {
      const sensors = await this.host.sensors(this, options.signal)
      const r = await this.worker.request<'steps'>({ op: 'steps', n, sensors, clock: this.host.now() })
      if (r.terminated) this.setStatus('terminated')
      return r
    })
  }

  /** Protobuf checkpoint {image hash, step, Unimem, output sequence, clock}. */
  async checkpoint (): Promise<Uint8Array> {
    return this.serial(['ready', 'running', 'suspended', 'terminated'], async () => this.worker.request<'checkpoint'>({ op: 'checkpoint', clock: this.host.now() }))
  }

  /** Continues from a checkpoint taken on any sandbox of the same image. */
  async resume (checkpoint: Uint8Array): Promise<{ next?: string, terminated: boolean, outputSeq: number }> {
    const state = decodeCheckpoint(checkpoint)
    if (state.imageHash !== this.manifest.hash) {
      throw new CheckpointError(`${this.manifest.name}: checkpoint belongs to ${state.imageName} ${state.imageHash.slice(0, 12)}, not ${this.manifest.hash.slice(0, 12)}`, this.manifest.name)
    }
    return this.serial(['ready', 'running', 'terminated'], async () => {
      const r = await this.worker.request<'resume'>({ op: 'resume', checkpoint })
      this.setStatus(r.terminated ? 'terminated' : 'ready')
      return r
    })
  }

  /** Sets Unimem values before the first step (e.g. a counter's limit). */
  async seed (values: Record<string, UnimemValue>): Promise<void> {
    await this.serial(['ready'], async () => this.worker.request<'seed'>({ op: 'seed', entries: Object.entries(values) }))
  }

  /**
   * Chains this EF to `next` on the same peer: outputs routed "next" are written straight
   * into next's inbox over the blackboard (no copy through the host). null unlinks.
   */
  async link (next: Sandbox | null): Promise<void> {
    const link = next == null ? null : { name: next.manifest.name, memory: next.memory, control: next.worker.control, inbox: next.manifest.inbox }
    await this.serial(['ready', 'running', 'suspended'], async () => this.worker.request<'link'>({ op: 'link', next: link }))
    this.downstream?.upstream.delete(this)
    this.downstream = next ?? undefined
    next?.upstream.add(this)
  }

  /** A stopped or failed EF's worker may host another EF next: nobody may write into it. */
  private async cutUpstream (): Promise<void> {
    const ups = [...this.upstream].filter(up => up.downstream === this)
    this.upstream.clear()
    await Promise.all(ups.map(async up => up.link(null).catch(() => {})))
  }

  /** Stops taking input after the current call and returns a final checkpoint. */
  async suspend (): Promise<Uint8Array> {
    const cp = await this.checkpoint()
    if (this._status === 'ready' || this._status === 'running') this.setStatus('suspended')
    return cp
  }

  wake (): void {
    if (this._status !== 'suspended') throw new SandboxStateError(`${this.manifest.name}: wake needs a suspended sandbox, it is ${this._status}`, this.manifest.name)
    this.setStatus('ready')
  }

  async usage (): Promise<SandboxUsage> {
    const limits = { memoryLimitBytes: this.manifest.memoryLimitBytes, timeLimitMs: this.manifest.timeLimitMs }
    if (!this.worker.alive || this._status === 'stopped') {
      return { memoryBytes: this.memory.buffer.byteLength, peakMemoryBytes: this.memory.buffer.byteLength, invocations: 0, steps: 0, outputs: 0, busyMs: 0, ...limits }
    }
    return { ...await this.worker.request<'usage'>({ op: 'usage' }), ...limits }
  }

  /**
   * Blackboard timing of the last input delivered to this EF (host or peer EF writer):
   * from the start of the copy into the inbox until the EF's thread woke up and saw it.
   */
  lastTransferNs (): bigint {
    return lastTransferNs(this.worker.ctl)
  }

  /** Stops the EF; a healthy worker goes back to the runtime's pool. */
  async stop (): Promise<void> {
    if (this._status === 'stopped') return
    await this.queue.catch(() => {})
    const healthy = this._status !== 'failed'
    await this.cutUpstream()
    this.setStatus('stopped')
    this.host.release(this, healthy)
  }

  /** Called by the runtime (watchdog, worker exit) or after a fatal call. */
  fail (error: Error): void {
    if (this._status === 'failed' || this._status === 'stopped') return
    this._error = error
    void this.cutUpstream()
    this.setStatus('failed')
    this.safeDispatchEvent('failed', { detail: error })
  }

  /** Result of a chained (EF-to-EF) run, reported by the worker. */
  chained (result: InvokeResult | undefined, error: Error | undefined): void {
    if (error != null) this.fail(error)
    else if (result != null) this.safeDispatchEvent('output', { detail: result })
  }

  private setStatus (status: SandboxStatus): void {
    if (this._status === status) return
    this._status = status
    this.safeDispatchEvent('status', { detail: status })
  }

  private async serial<T> (allowed: SandboxStatus[], op: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (!allowed.includes(this._status)) {
        throw this._error != null && this._status === 'failed'
          ? this._error
          : new SandboxStateError(`${this.manifest.name}: sandbox is ${this._status}`, this.manifest.name)
      }
      const before = this._status
      if (before === 'ready') this.setStatus('running')
      try {
        return await op()
      } catch (err) {
        if (err instanceof Error && FATAL.has(err.name)) this.fail(err)
        throw err
      } finally {
        if (this._status === 'running') this.setStatus('ready')
      }
    }
    const p = this.queue.then(run, run)
    this.queue = p.catch(() => {})
    return p
  }
}
