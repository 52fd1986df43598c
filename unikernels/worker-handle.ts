// Host side of one EF worker thread: request/reply over a MessagePort, doorbell over the
// control block, and typed failure when the thread dies or is terminated.
import { MessageChannel, Worker } from 'node:worker_threads'
import { BUSY, BUSY_SINCE, CONTROL_BYTES, controlBlock, ring } from './blackboard.js'
import { EF_ERRORS, EfTrapError, MemoryLimitError, WorkerCrashedError, isEfErrorName } from './errors.js'
import type { ControlBlock } from './blackboard.js'
import type { Command, InvokeResult, Op, Reply, ResultMap, WireError } from './protocol.js'
import type { MessagePort } from 'node:worker_threads'

const WORKER_URL = new URL('./worker.js', import.meta.url)

export function fromWire (e: WireError): Error {
  if (isEfErrorName(e.name)) return new EF_ERRORS[e.name](e.message, e.image)
  return new EfTrapError(`${e.image ?? 'EF'}: ${e.name}: ${e.message}`, e.image)
}

interface Pending { resolve: (v: unknown) => void, reject: (e: Error) => void }

type CommandOf<O extends Op> = Omit<Extract<Command, { op: O }>, 'id'>

export interface WorkerHandleInit {
  heapMb: number
  onChained: (result: InvokeResult | undefined, error: Error | undefined) => void
  onExit: (handle: WorkerHandle, error: Error) => void
}

export class WorkerHandle {
  readonly control: SharedArrayBuffer
  readonly ctl: ControlBlock
  private readonly worker: Worker
  private readonly port: MessagePort
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private dead?: Error
  private readonly init: WorkerHandleInit
  readonly online: Promise<void>
  /** Who the exit should be blamed on (set before terminate). */
  private killReason?: Error

  constructor (init: WorkerHandleInit) {
    this.init = init
    this.control = new SharedArrayBuffer(CONTROL_BYTES)
    this.ctl = controlBlock(this.control)
    const { port1, port2 } = new MessageChannel()
    this.port = port1
    this.worker = new Worker(WORKER_URL, {
      workerData: { port: port2, control: this.control },
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: init.heapMb, maxYoungGenerationSizeMb: Math.max(1, Math.floor(init.heapMb / 4)), stackSizeMb: 4 }
    })
    this.port.unref()
    // keep the process alive until the thread is up; afterwards an idle EF must not
    this.online = new Promise((resolve, reject) => {
      this.worker.once('online', () => {
        this.worker.unref()
        resolve()
      })
      this.worker.once('error', reject)
    })
    this.online.catch(() => {})
    this.port.on('message', (reply: Reply) => { this.onReply(reply) })
    this.worker.on('error', (err: Error & { code?: string }) => {
      this.fail(err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new MemoryLimitError(`EF worker ran out of heap (${init.heapMb} MB): ${err.message}`)
        : new WorkerCrashedError(`EF worker crashed: ${err.message}`))
    })
    this.worker.on('exit', (code) => { this.fail(this.killReason ?? new WorkerCrashedError(`EF worker exited with code ${code}`)) })
  }

  get alive (): boolean {
    return this.dead == null
  }

  /** Nanoseconds the current call has been running, 0 when idle. */
  busyFor (now: bigint): bigint {
    if (Atomics.load(this.ctl.i32, BUSY) === 0) return 0n
    const since = Atomics.load(this.ctl.i64, BUSY_SINCE)
    return since === 0n ? 0n : now - since
  }

  async request<O extends Op> (cmd: CommandOf<O>, transfer: ArrayBuffer[] = []): Promise<ResultMap[O]> {
    if (this.dead != null) throw this.dead
    const id = this.nextId++
    const done = new Promise<ResultMap[O]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
    })
    if (this.pending.size === 1) this.port.ref()
    this.port.postMessage({ ...cmd, id }, transfer)
    ring(this.ctl)
    return done
  }

  /** Stops the thread now (a runaway EF); pending requests fail with `reason`. */
  kill (reason: Error): void {
    if (this.dead != null) return
    this.killReason = reason
    void this.worker.terminate()
  }

  async close (): Promise<void> {
    this.killReason ??= new WorkerCrashedError('EF worker closed')
    await this.worker.terminate()
  }

  private onReply (reply: Reply): void {
    if (reply.op === 'chained') {
      this.init.onChained(reply.result, reply.error == null ? undefined : fromWire(reply.error))
      return
    }
    const p = this.pending.get(reply.id)
    if (p == null) return
    this.pending.delete(reply.id)
    if (this.pending.size === 0) this.port.unref()
    if (reply.ok) p.resolve(reply.result)
    else p.reject(fromWire(reply.error))
  }

  private fail (err: Error): void {
    if (this.dead != null) return
    this.dead = err
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
    this.port.close()
    this.init.onExit(this, err)
  }
}
