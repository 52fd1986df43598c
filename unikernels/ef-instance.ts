// One instantiated EF inside its worker: the host ABI (module "ecco"), the four-phase
// handler call and the step graph engine. Pure with respect to its inputs, so the worker
// harness stays a thin message loop.
import { ABI_MODULE } from './constants.js'
import {
  AmbiguousGuardError, BlackboardBusyError, CheckpointError, EfTrapError, InvalidImageError,
  MemoryLimitError, SensorAccessDeniedError
} from './errors.js'
import { claimInboxSync, controlBlock, fillInbox, ring, FROM_PEER } from './blackboard.js'
import { decodeUnimemValue, encodeUnimemValue, Unimem } from './unimem.js'
import { isRuntimeError, wasm } from './wasm-api.js'
import type { CheckpointState } from './checkpoint.js'
import type { ImageManifest } from './manifest.js'
import type { AmbiguityPolicy, EfLogEntry, EfOutput, HandleStatus, NextLink, SensorSnapshot } from './protocol.js'
import type { WasmImports, WasmInstance, WasmMemory, WasmModule } from './wasm-api.js'

const TERMINATE = -1
const ALWAYS = -1
const utf8 = new TextDecoder()

interface Edge { to: number, guard: number }
type Fn = (...args: Array<number | bigint>) => number | bigint | undefined

export interface EfInstanceInit {
  module: WasmModule
  memory: WasmMemory
  manifest: ImageManifest
  graph: boolean
  ambiguity: AmbiguityPolicy
  maxOutputBytes: number
  blackboardWaitMs: number
}

interface CallContext { sensors: SensorSnapshot, clock: number, inputLen: number }

export class EfInstance {
  readonly manifest: ImageManifest
  readonly memory: WasmMemory
  unimem = new Unimem()
  outputSeq = 0
  stepsDone = 0
  invocations = 0
  busyMs = 0
  peakMemoryBytes = 0
  totalOutputs = 0
  /** Set after a trap: the instance may be inconsistent and must not run again. */
  broken?: Error
  private instance?: WasmInstance
  private readonly init: EfInstanceInit
  private ctx: CallContext = { sensors: {}, clock: 0, inputLen: 0 }
  private outputs: EfOutput[] = []
  private outputBytes = 0
  private logs: EfLogEntry[] = []
  private rejection?: { status: HandleStatus, reason: string }
  private readOnly = false
  private defining = false
  private next?: NextLink & { ctl: ReturnType<typeof controlBlock> }
  readonly steps = new Map<number, string>()
  private readonly edges = new Map<number, Edge[]>()
  position: { next?: number, last?: number, terminated: boolean } = { terminated: false }

  constructor (init: EfInstanceInit) {
    this.init = init
    this.manifest = init.manifest
    this.memory = init.memory
  }

  get name (): string {
    return this.manifest.name
  }

  /** Boot: instantiate (runs the image's start function) and read its step graph. */
  boot (): void {
    this.instance = this.guarded(() => new wasm.Instance(this.init.module, this.imports()))
    if (this.init.graph) {
      this.defining = true
      const initial = this.guarded(() => Number(this.fn('ecco_graph')()))
      this.defining = false
      if (!this.steps.has(initial)) throw new InvalidImageError(`${this.name}: initial step ${initial} was never defined`, this.name)
      for (const [from, edges] of this.edges) {
        for (const e of edges) {
          if (!this.steps.has(from) || (e.to !== TERMINATE && !this.steps.has(e.to))) {
            throw new InvalidImageError(`${this.name}: edge ${from} -> ${e.to} names an undefined step`, this.name)
          }
        }
      }
      this.position = { next: initial, terminated: false }
    }
    this.trackMemory()
  }

  link (next: NextLink | null): void {
    this.next = next == null ? undefined : { ...next, ctl: controlBlock(next.control) }
  }

  /** One input: acquisition (inbox + sensor snapshot), validation, processing, distribution. */
  handle (ctx: CallContext): { status: HandleStatus, reason?: string, outputs: EfOutput[], logs: EfLogEntry[] } {
    this.begin(ctx)
    const code = Number(this.guarded(() => this.fn('ecco_handle')()))
    this.invocations++
    return this.finish(code)
  }

  /** Runs up to `n` atomic steps; stops early when the graph terminates. */
  runSteps (n: number, ctx: CallContext, onStep?: () => void): { ran: number, outputs: EfOutput[], logs: EfLogEntry[] } {
    if (!this.init.graph) throw new InvalidImageError(`${this.name}: has no step graph`, this.name)
    this.begin(ctx)
    let ran = 0
    while (ran < n && !this.position.terminated && this.position.next !== undefined) {
      onStep?.()
      const step = this.position.next
      this.guarded(() => this.fn('ecco_step')(step))
      this.stepsDone++
      ran++
      const to = this.transition(step)
      this.position = to === TERMINATE ? { last: step, terminated: true } : { next: to, last: step, terminated: false }
    }
    const { outputs, logs } = this.finish(0)
    return { ran, outputs, logs }
  }

  /** Evaluates the guards leaving `step` in order: first true wins, none terminates. */
  private transition (step: number): number {
    const edges = this.edges.get(step) ?? []
    const taken: Edge[] = []
    this.readOnly = true
    try {
      for (const e of edges) {
        if (e.guard === ALWAYS || Number(this.guarded(() => this.fn('ecco_guard')(e.guard))) !== 0) {
          taken.push(e)
          if (this.init.ambiguity === 'first') break
        }
      }
    } finally {
      this.readOnly = false
    }
    if (taken.length > 1) {
      const targets = taken.map(e => `${e.to === TERMINATE ? 'terminate' : this.steps.get(e.to) ?? e.to} (guard ${e.guard})`).join(', ')
      throw new AmbiguousGuardError(`${this.name}: after step ${this.steps.get(step) ?? step}, ${taken.length} guards are true: ${targets}`, this.name)
    }
    return taken[0]?.to ?? TERMINATE
  }

  checkpointState (clock: number): CheckpointState {
    const { next, last, terminated } = this.position
    return {
      imageHash: this.manifest.hash,
      imageName: this.name,
      step: next === undefined ? undefined : this.steps.get(next),
      lastStep: last === undefined ? undefined : this.steps.get(last),
      terminated,
      unimem: this.unimem.entries(),
      outputSeq: this.outputSeq,
      clock,
      steps: this.stepsDone
    }
  }

  restore (state: CheckpointState): void {
    if (state.imageHash !== this.manifest.hash) {
      throw new CheckpointError(`${this.name}: checkpoint is for image ${state.imageName} ${state.imageHash.slice(0, 12)}, this is ${this.manifest.hash.slice(0, 12)}`, this.name)
    }
    const ids = new Map([...this.steps].map(([id, name]) => [name, id]))
    const lookup = (name: string | undefined): number | undefined => {
      if (name === undefined) return undefined
      const id = ids.get(name)
      if (id === undefined) throw new CheckpointError(`${this.name}: checkpoint names unknown step ${name}`, this.name)
      return id
    }
    if (this.init.graph) {
      const next = lookup(state.step)
      if (next === undefined && !state.terminated) throw new CheckpointError(`${this.name}: checkpoint has neither a next step nor terminated`, this.name)
      this.position = { next, last: lookup(state.lastStep), terminated: state.terminated }
    }
    this.unimem = Unimem.fromEntries(state.unimem)
    this.outputSeq = state.outputSeq
    this.stepsDone = state.steps
  }

  private begin (ctx: CallContext): void {
    if (this.broken != null) throw this.broken
    this.ctx = ctx
    this.outputs = []
    this.outputBytes = 0
    this.logs = []
    this.rejection = undefined
  }

  private finish (code: number): { status: HandleStatus, reason?: string, outputs: EfOutput[], logs: EfLogEntry[] } {
    this.trackMemory()
    const status: HandleStatus = code === 0 ? 'ok' : code === 1 ? 'retransmit' : 'rejected'
    const reason = status === 'ok' ? undefined : this.rejection?.reason ?? `handler returned ${code}`
    return { status, reason, outputs: this.outputs, logs: this.logs }
  }

  private trackMemory (): void {
    this.peakMemoryBytes = Math.max(this.peakMemoryBytes, this.memory.buffer.byteLength)
  }

  private fn (name: string): Fn {
    const f = this.instance?.exports[name]
    if (typeof f !== 'function') throw new InvalidImageError(`${this.name}: does not export ${name}`, this.name)
    return f as Fn
  }

  /** Runs wasm; classifies a trap as memory limit (memory at its cap) or plain trap. */
  private guarded<T> (run: () => T): T {
    try {
      return run()
    } catch (err) {
      const e = this.classify(err)
      this.broken = e
      throw e
    }
  }

  private classify (err: unknown): Error {
    if (!isRuntimeError(err)) {
      if (err instanceof RangeError && /memory/i.test(err.message)) {
        return new MemoryLimitError(`${this.name}: cannot get memory (${err.message}), limit ${this.manifest.memoryLimitBytes} bytes`, this.name)
      }
      return err instanceof Error ? err : new EfTrapError(`${this.name}: threw ${String(err)}`, this.name)
    }
    // an allocator that cannot grow traps (AssemblyScript: unreachable); a trap with the
    // memory (nearly) at its cap is the memory limit, not a bug in the EF
    if (this.memory.buffer.byteLength + 2 * 65536 > this.manifest.memoryLimitBytes) {
      return new MemoryLimitError(`${this.name}: linear memory reached its limit of ${this.manifest.memoryLimitBytes} bytes (${err.message})`, this.name)
    }
    return new EfTrapError(`${this.name}: trapped: ${err.message}`, this.name)
  }

  private bytes (ptr: number, len: number): Uint8Array {
    const buf = this.memory.buffer
    if (ptr < 0 || len < 0 || ptr + len > buf.byteLength) throw new EfTrapError(`${this.name}: range ${ptr}+${len} outside linear memory`, this.name)
    return new Uint8Array(buf, ptr, len)
  }

  private str (ptr: number, len: number): string {
    return utf8.decode(this.bytes(ptr, len).slice())
  }

  private sensor (ptr: number, len: number): number | Uint8Array | undefined {
    const name = this.str(ptr, len)
    if (!this.manifest.sensors.includes(name)) {
      throw new SensorAccessDeniedError(`${this.name}: sensor ${name} is not declared in the manifest (declares: ${this.manifest.sensors.join(', ') || 'none'})`, this.name)
    }
    return this.ctx.sensors[name]
  }

  private emit (route: number, ptr: number, len: number): number {
    this.outputBytes += len
    if (this.outputBytes > this.init.maxOutputBytes) throw new EfTrapError(`${this.name}: emitted more than ${this.init.maxOutputBytes} bytes in one call`, this.name)
    const seq = this.outputSeq++
    this.totalOutputs++
    const src = this.bytes(ptr, len)
    if (route === 0 && this.next != null) {
      if (len > this.next.inbox.capacity) throw new EfTrapError(`${this.name}: output of ${len} bytes does not fit the inbox of ${this.next.name} (${this.next.inbox.capacity})`, this.name)
      if (!claimInboxSync(this.next.ctl, this.init.blackboardWaitMs)) {
        throw new BlackboardBusyError(`${this.name}: ${this.next.name} did not free its inbox within ${this.init.blackboardWaitMs} ms`, this.name)
      }
      fillInbox(this.next.ctl, this.next.memory, this.next.inbox, src, FROM_PEER)
      ring(this.next.ctl)
      this.outputs.push({ seq, route: 'next', bytes: new Uint8Array(0), forwarded: true })
    } else {
      this.outputs.push({ seq, route: route === 0 ? 'next' : 'network', bytes: src.slice(), forwarded: false })
    }
    return seq
  }

  private setValue (ptr: number, len: number, value: Parameters<Unimem['set']>[1]): void {
    if (this.readOnly) throw new EfTrapError(`${this.name}: a transition guard wrote Unimem key ${this.str(ptr, len)}`, this.name)
    this.unimem.set(this.str(ptr, len), value)
  }

  private imports (): WasmImports {
    const m = this.manifest
    const abi = {
      memory: this.memory,
      abort: (msg: number | bigint, file: number | bigint, line: number | bigint, col: number | bigint) => {
        throw new EfTrapError(`${this.name}: abort: ${this.asString(Number(msg))} at ${this.asString(Number(file))}:${line}:${col}`, this.name)
      },
      input_ptr: () => m.inbox.offset,
      input_len: () => this.ctx.inputLen,
      emit: (route: number | bigint, ptr: number | bigint, len: number | bigint) => this.emit(Number(route), Number(ptr), Number(len)),
      reject: (kind: number | bigint, ptr: number | bigint, len: number | bigint) => {
        this.rejection = { status: Number(kind) === 1 ? 'retransmit' : 'rejected', reason: this.str(Number(ptr), Number(len)) }
      },
      sensor_f64: (ptr: number | bigint, len: number | bigint) => {
        const v = this.sensor(Number(ptr), Number(len))
        return typeof v === 'number' ? v : NaN
      },
      sensor_bytes: (ptr: number | bigint, len: number | bigint, dst: number | bigint, cap: number | bigint) => {
        const v = this.sensor(Number(ptr), Number(len))
        if (!(v instanceof Uint8Array)) return -1
        this.bytes(Number(dst), Math.min(Number(cap), v.length)).set(v.subarray(0, Number(cap)))
        return v.length
      },
      unimem_get_i64: (ptr: number | bigint, len: number | bigint, dflt: number | bigint) => this.unimem.getInt(this.str(Number(ptr), Number(len)), BigInt(dflt)),
      unimem_set_i64: (ptr: number | bigint, len: number | bigint, v: number | bigint) => { this.setValue(Number(ptr), Number(len), BigInt.asIntN(64, BigInt(v))) },
      unimem_get_f64: (ptr: number | bigint, len: number | bigint, dflt: number | bigint) => this.unimem.getFloat(this.str(Number(ptr), Number(len)), Number(dflt)),
      unimem_set_f64: (ptr: number | bigint, len: number | bigint, v: number | bigint) => { this.setValue(Number(ptr), Number(len), Number(v)) },
      unimem_get_bytes: (ptr: number | bigint, len: number | bigint, dst: number | bigint, cap: number | bigint) => {
        const v = this.unimem.getBytes(this.str(Number(ptr), Number(len)))
        return v === undefined ? -1 : this.copyOut(v, Number(dst), Number(cap))
      },
      unimem_set_bytes: (ptr: number | bigint, len: number | bigint, src: number | bigint, n: number | bigint) => { this.setValue(Number(ptr), Number(len), this.bytes(Number(src), Number(n)).slice()) },
      unimem_get_value: (ptr: number | bigint, len: number | bigint, dst: number | bigint, cap: number | bigint) => {
        const v = this.unimem.get(this.str(Number(ptr), Number(len)))
        return v === undefined ? -1 : this.copyOut(encodeUnimemValue(v), Number(dst), Number(cap))
      },
      unimem_set_value: (ptr: number | bigint, len: number | bigint, src: number | bigint, n: number | bigint) => {
        this.setValue(Number(ptr), Number(len), decodeUnimemValue(this.bytes(Number(src), Number(n)).slice()))
      },
      log: (level: number | bigint, ptr: number | bigint, len: number | bigint) => { if (this.logs.length < 100) this.logs.push({ level: Number(level), message: this.str(Number(ptr), Number(len)) }) },
      clock_ms: () => this.ctx.clock,
      step_define: (id: number | bigint, ptr: number | bigint, len: number | bigint) => {
        if (!this.defining) throw new EfTrapError(`${this.name}: step_define outside ecco_graph`, this.name)
        this.steps.set(Number(id), this.str(Number(ptr), Number(len)))
      },
      edge_define: (from: number | bigint, to: number | bigint, guard: number | bigint) => {
        if (!this.defining) throw new EfTrapError(`${this.name}: edge_define outside ecco_graph`, this.name)
        const list = this.edges.get(Number(from)) ?? []
        list.push({ to: Number(to), guard: Number(guard) })
        this.edges.set(Number(from), list)
      }
    }
    return { [ABI_MODULE]: abi }
  }

  private copyOut (v: Uint8Array, dst: number, cap: number): number {
    this.bytes(dst, Math.min(cap, v.length)).set(v.subarray(0, cap))
    return v.length
  }

  /** AssemblyScript string (UTF-16, byte length at ptr - 4), for abort messages. */
  private asString (ptr: number): string {
    if (ptr < 4) return '?'
    try {
      const buf = this.memory.buffer
      const len = new DataView(buf).getUint32(ptr - 4, true)
      if (ptr + len > buf.byteLength || len > 4096) return '?'
      return new TextDecoder('utf-16le').decode(new Uint8Array(buf, ptr, len).slice())
    } catch {
      return '?'
    }
  }
}

