/**
 * One stage instance on this peer: a booted EF (kept warm, or booted per run
 * for thesis-style measurements), fed one input at a time. A join stage
 * collects the bundles of a run from every expected predecessor slot and
 * fires when all are in, or after its timeout with what arrived (partial).
 */
import { InputSource, Role, type Bundle, type PipelineDescriptor, type Stage, type Trace } from '../../protocols/index.js'
import type { EfImage, EfOutput, Sandbox } from '../../unikernels/index.js'
import { DEFAULT_JOIN_TIMEOUT_MS } from '../../protocols/index.js'

export interface StageInput { key: string, bundle: Bundle }

/** One input of an invocation as a stateful stage's ledger names it. */
export interface StageInputRef {
  key: string
  /** `fromStage.fromSlot.sequence` */
  source: string
  run: bigint
}

/**
 * The replicated state of a stateful stage instance (the checkpoints feature provides it):
 * attach loads the newest state into a fresh sandbox and fences the previous host; commit
 * stores the state after an invocation on a quorum before its outputs may leave.
 */
export interface StageState {
  attach: (sandbox: Sandbox) => Promise<void>
  /** outputs to send again when the state already reflects every input */
  replay: (inputs: StageInputRef[]) => Uint8Array[] | undefined
  commit: (sandbox: Sandbox, inputs: StageInputRef[], outputs: Uint8Array[]) => Promise<void>
}

/** What the runner gives an instance. */
export interface StageHost {
  readonly descriptor: PipelineDescriptor
  boot: (image: EfImage) => Promise<Sandbox>
  /** predecessor slots whose bundles a join of this stage waits for (`stage.slot`) */
  expectedSenders: (stage: Stage) => Set<string>
  /** hands the outputs of one step to routing and persistence */
  complete: (step: StepOutcome) => Promise<void>
  failure: (stage: string, message: string) => void
  /** drops inputs of `stage`'s instance `slot` that arrived after their join fired */
  discard: (stage: Stage, slot: number, keys: string[]) => Promise<void>
  /** whether the join of this run fired before (persisted, survives restarts) */
  joined: (joinKey: string) => Promise<boolean>
  bootPerRun: boolean
  /** replicated state for a stateful image's instance; undefined: the state stays in the sandbox */
  stateful?: (stage: Stage, slot: number, image: EfImage) => StageState | undefined
}

export interface StepOutcome {
  stage: Stage
  slot: number
  run: bigint
  outputs: EfOutput[]
  consumed: string[]
  /** base of the output sequence numbers */
  inputSeq: number
  partial: boolean
  degraded: boolean
  trace: Trace
  joinKey?: string
  /** the EF failed or refused the input: nothing came out */
  failed: boolean
  /** a stateful stage's state already reflected the inputs: its recorded outputs go out again */
  replayed?: boolean
}

/** Missed automatic runs made up for after a stall (older ones are skipped). */
const MAX_CATCH_UP = 5n

/**
 * Steps whose outputs are still being persisted and routed while the EF already takes the
 * next input; past this the EF waits, so a slow store cannot pile up unbounded outputs.
 */
const MAX_PENDING_COMPLETIONS = 8

/** After a slot boundary: a tick this late still reads the new slot's run on every replica. */
const TICK_SLACK_MS = 1

interface JoinBuffer {
  inputs: Map<string, StageInput>
  timer?: ReturnType<typeof setTimeout>
  /** whether this run's join fired before (persisted marker), looked up while the inputs gather */
  firedBefore: Promise<boolean>
}

/** Back-off before an input whose state commit failed is tried again; doubles per failure in a row. */
const STATE_RETRY_MS = 200
const MAX_STATE_RETRY_MS = 5000

const inputRef = (i: StageInput): StageInputRef => ({ key: i.key, source: `${i.bundle.fromStage}.${i.bundle.fromSlot}.${i.bundle.sequence}`, run: i.bundle.run })

const emptyTrace = (now: number): Trace => ({ bootMs: 0, computeMs: 0, intraMs: 0, networkMs: 0, startedAtMs: now, sentAtMs: now, hops: 0 })

export class StageInstance {
  private sandbox?: Sandbox
  private chain: Promise<void> = Promise.resolve()
  /** finished steps being persisted and routed, behind the EF's own queue */
  private readonly completing = new Set<Promise<void>>()
  private readonly joins = new Map<bigint, JoinBuffer>()
  private readonly fired = new Set<bigint>()
  /** keys handed to this instance (a scan and a live delivery may race) */
  private readonly delivered = new Set<string>()
  /** the next tick, while ticking */
  private timer?: ReturnType<typeof setTimeout>
  private lastRun = -1n
  private stopped = false
  invocations = 0
  /** runs seen per input key, to prove no EF sees a bundle twice */
  readonly seen = new Set<string>()
  duplicateInputs = 0
  private readonly state?: StageState
  /** the sandbox the replicated state was loaded into */
  private attached?: Sandbox
  /** state loads or commits failed in a row, and no attempt before this time */
  private stateFailures = 0
  private stateRetryAt = 0

  constructor (private readonly host: StageHost, readonly stage: Stage, readonly slot: number, private readonly image: EfImage, private readonly local: (key: string) => boolean) {
    this.state = image.manifest.stateful ? host.stateful?.(stage, slot, image) : undefined
  }

  get isJoin (): boolean {
    const d = this.host.descriptor
    if (this.stage.after.length > 1) return true
    return this.stage.after.some((a) => { const p = d.stages.find((s) => s.name === a); return p !== undefined && (p.everyCapable || p.replicas > 1) })
  }

  /** Boots the EF now, so the first run does not wait for it. */
  warm (): void {
    this.enqueue(async () => {
      if (this.sandbox === undefined && !this.stopped) this.sandbox = await this.host.boot(this.image)
      if (this.sandbox !== undefined && !this.stopped) await this.attach(this.sandbox)
    })
  }

  /** Loads the replicated state into `sandbox` once (a stateful stage on a new host or after a fence). */
  private async attach (sandbox: Sandbox): Promise<void> {
    if (this.state === undefined || this.attached === sandbox) return
    await this.state.attach(sandbox)
    this.attached = sandbox
  }

  /**
   * Automatic start stages tick every intervalMs (run = time slot since issue, the same on
   * every replica). Ticks fall on the slot boundaries, so every replica reads its sensors
   * at the same moment and a join after them completes at once, instead of waiting up to
   * an interval for the replica whose timer happened to start last.
   */
  startTicking (intervalMs: number): void {
    if (this.stage.role !== Role.ROLE_START || this.stage.input?.source !== InputSource.INPUT_SENSORS || intervalMs <= 0 || this.timer !== undefined) return
    const issued = Number(this.host.descriptor.issuedAtMs)
    const tick = (): void => {
      const run = BigInt(Math.floor((Date.now() - issued) / intervalMs))
      if (run <= this.lastRun) return
      // a late timer (busy event loop) must not skip a run: catch up on the missed slots
      const from = this.lastRun < 0n ? run : (run - this.lastRun > MAX_CATCH_UP ? run - MAX_CATCH_UP + 1n : this.lastRun + 1n)
      this.lastRun = run
      for (let r = from; r <= run; r++) {
        const slotRun = r
        this.enqueue(async () => { await this.invoke(slotRun, new Uint8Array(0), [], emptyTrace(Date.now()), false, false, 0) })
      }
    }
    // stopTicking clears the pending timer, so a tick that runs always schedules the next
    const next = (): void => {
      const boundary = issued + (Math.floor((Date.now() - issued) / intervalMs) + 1) * intervalMs
      this.timer = setTimeout(() => { tick(); next() }, Math.max(0, boundary - Date.now()) + TICK_SLACK_MS)
      this.timer.unref?.()
    }
    tick()
    next()
  }

  stopTicking (): void {
    clearTimeout(this.timer)
    this.timer = undefined
  }

  /** A trigger: one run of a start stage with the command's payload. */
  trigger (run: bigint, payload: Uint8Array): void {
    if (this.stage.role !== Role.ROLE_START) return
    const input = this.stage.input?.source === InputSource.INPUT_TRIGGER ? payload : new Uint8Array(0)
    this.enqueue(async () => { await this.invoke(run, input, [], emptyTrace(Date.now()), false, false, 0) })
  }

  /** An inbound bundle for this stage (already persisted). */
  deliver (input: StageInput): void {
    if (this.stopped || this.delivered.has(input.key)) return
    this.delivered.add(input.key)
    if (this.delivered.size > 65_536) this.delivered.delete(this.delivered.values().next().value ?? input.key)
    if (!this.isJoin) {
      const b = input.bundle
      this.enqueue(async () => { await this.invoke(b.run, b.payload, [input], this.traceOf([input]), b.partial, b.degraded, b.sequence) })
      return
    }
    const run = input.bundle.run
    if (this.fired.has(run)) { this.enqueue(async () => { await this.host.discard(this.stage, this.slot, [input.key]) }); return }
    let buf = this.joins.get(run)
    if (buf === undefined) {
      // the persisted marker is read now, while the other inputs travel, not after the join fires
      const firedBefore = this.host.joined(this.joinKeyOf(run))
      void firedBefore.catch(() => {})
      buf = { inputs: new Map(), firedBefore }
      this.joins.set(run, buf)
      const timeout = this.stage.input?.joinTimeoutMs === undefined || this.stage.input.joinTimeoutMs === 0 ? DEFAULT_JOIN_TIMEOUT_MS : this.stage.input.joinTimeoutMs
      buf.timer = setTimeout(() => { this.fire(run, true) }, timeout)
      buf.timer.unref?.()
    }
    buf.inputs.set(`${input.bundle.fromStage}.${input.bundle.fromSlot}`, input)
    this.checkJoin(run)
  }

  /** Re-evaluates waiting joins (a predecessor slot went away). */
  recheck (): void {
    for (const run of [...this.joins.keys()]) this.checkJoin(run)
  }

  private checkJoin (run: bigint): void {
    const buf = this.joins.get(run)
    if (buf === undefined) return
    const expected = this.host.expectedSenders(this.stage)
    if ([...expected].every((s) => buf.inputs.has(s))) this.fire(run, false)
  }

  private fire (run: bigint, timedOut: boolean): void {
    const buf = this.joins.get(run)
    if (buf === undefined) return
    this.joins.delete(run)
    this.fired.add(run)
    if (this.fired.size > 4096) this.fired.delete(this.fired.values().next().value ?? run)
    clearTimeout(buf.timer)
    const expected = this.host.expectedSenders(this.stage)
    const partial = timedOut && ![...expected].every((s) => buf.inputs.has(s))
    const inputs = [...buf.inputs.entries()].sort(([a], [b]) => a < b ? -1 : 1).map(([, v]) => v)
    const payload = concat(inputs.map((i) => i.bundle.payload))
    const degraded = inputs.some((i) => i.bundle.degraded)
    const joinKey = this.joinKeyOf(run)
    this.enqueue(async () => {
      if (await buf.firedBefore) { await this.host.discard(this.stage, this.slot, inputs.map((i) => i.key)); return }
      await this.invoke(run, payload, inputs, this.traceOf(inputs), partial || inputs.some((i) => i.bundle.partial), degraded, 0, joinKey)
    })
  }

  private joinKeyOf (run: bigint): string { return `${this.host.descriptor.id}/${this.stage.name}/${run}` }

  private traceOf (inputs: StageInput[]): Trace {
    const now = Date.now()
    // the slowest input decides when a join could start
    const first = inputs.reduce((a, b) => (b.bundle.trace?.sentAtMs ?? 0) > (a.bundle.trace?.sentAtMs ?? 0) ? b : a)
    const t: Trace = { ...(first.bundle.trace ?? emptyTrace(now)) }
    const transfer = Math.max(0, now - t.sentAtMs)
    if (this.local(first.key)) t.intraMs += transfer
    else t.networkMs += transfer
    t.hops++
    return t
  }

  private enqueue (job: () => Promise<void>): void {
    this.chain = this.chain.then(job).catch((err: Error) => { this.host.failure(this.stage.name, err.message) })
  }

  private async invoke (run: bigint, payload: Uint8Array, inputs: StageInput[], trace: Trace, partial: boolean, degraded: boolean, inputSeq: number, joinKey?: string): Promise<void> {
    if (this.stopped) return
    if (this.state !== undefined && this.attached === undefined && Date.now() < this.stateRetryAt) {
      // the state failed a moment ago: every queued input asking every holder again (a boot
      // and a FETCH round each) is what kept an overloaded road from recovering
      this.retryLater(run, inputs, this.stateRetryAt - Date.now())
      return
    }
    for (const i of inputs) {
      if (this.seen.has(i.key)) this.duplicateInputs++
      this.seen.add(i.key)
    }
    const t0 = performance.now()
    if (this.sandbox === undefined || this.sandbox.status === 'failed' || this.sandbox.status === 'stopped') {
      this.sandbox = await this.host.boot(this.image)
      trace.bootMs += performance.now() - t0
    }
    const sandbox = this.sandbox
    let outputs: EfOutput[] = []
    let failed = true
    const refs = inputs.map(inputRef)
    try {
      await this.attach(sandbox)
    } catch (err) {
      // the state cannot be loaded now: nothing is applied, nothing counts as consumed
      await this.setBack(sandbox, run, inputs, err as Error)
      return
    }
    try {
      const again = this.state?.replay(refs)
      if (again !== undefined) {
        this.stateFailures = 0
        // applied before (by a host that died or moved): answer with what it produced then
        await this.handOver({ stage: this.stage, slot: this.slot, run, outputs: again.map((bytes, i) => ({ seq: i, route: 'network', bytes, forwarded: false })), consumed: inputs.map((i) => i.key), inputSeq, partial, degraded, trace, joinKey, failed: false, replayed: true })
        return
      }
      const r = await sandbox.invoke(payload)
      trace.computeMs += r.elapsedMs
      this.invocations++
      if (r.status !== 'ok') this.host.failure(this.stage.name, `run ${run}: ${r.status}: ${r.reason ?? ''}`)
      else { outputs = r.outputs; failed = false }
      // output commit: nothing leaves (and no input counts as consumed) before a quorum holds the state
      if (this.state !== undefined && !failed && !await this.commitState(sandbox, run, inputs, refs, outputs)) return
      if (this.state !== undefined && !failed) this.stateFailures = 0
    } catch (err) {
      this.host.failure(this.stage.name, `run ${run}: ${(err as Error).name}: ${(err as Error).message}`)
    } finally {
      if (this.host.bootPerRun) { this.sandbox = undefined; await sandbox.stop().catch(() => {}) }
    }
    await this.handOver({ stage: this.stage, slot: this.slot, run, outputs, consumed: inputs.map((i) => i.key), inputSeq, partial, degraded, trace, joinKey, failed })
  }

  /**
   * Persists and routes a finished step while the EF takes its next input; steps of
   * different runs persist side by side (each one atomic batch). Serially, a run cost the
   * EF call plus its commit's store round trips, an event-loop turn each: on a loaded
   * process (turns of ~0.6 s) the fusion, which also feeds a local finale, took ~1.3 s per
   * 1 s run and its runs queued up without bound. Outputs still leave only once persisted;
   * runs may reach the next stage out of order, which joins (keyed by run) and the hazard
   * source (quiet runs ordered by run number) accept.
   */
  private async handOver (step: StepOutcome): Promise<void> {
    const done: Promise<void> = this.host.complete(step)
      .catch((err: Error) => { this.host.failure(this.stage.name, `run ${step.run}: ${err.message}`) })
      .finally(() => { this.completing.delete(done) })
    this.completing.add(done)
    if (this.completing.size > MAX_PENDING_COMPLETIONS) await Promise.race(this.completing)
  }

  /**
   * Stores the state after an invocation; false when it could not be (fenced by a newer
   * host, no quorum): then the sandbox is dropped, and the inputs come back after a short
   * pause to a sandbox that loads the newest state first (if this peer still hosts the stage).
   */
  private async commitState (sandbox: Sandbox, run: bigint, inputs: StageInput[], refs: StageInputRef[], outputs: EfOutput[]): Promise<boolean> {
    try {
      await this.state?.commit(sandbox, refs, outputs.map((o) => o.bytes))
      return true
    } catch (err) {
      await this.setBack(sandbox, run, inputs, err as Error)
      return false
    }
  }

  /** Drops a sandbox whose state is not (or no longer) the replicated one; its inputs return later. */
  private async setBack (sandbox: Sandbox, run: bigint, inputs: StageInput[], err: Error): Promise<void> {
    this.host.failure(this.stage.name, `run ${run}: state not loaded or stored: ${err.name}: ${err.message}`)
    this.attached = undefined
    if (this.sandbox === sandbox) this.sandbox = undefined
    await sandbox.stop().catch(() => {})
    const pause = Math.min(MAX_STATE_RETRY_MS, STATE_RETRY_MS * 2 ** Math.min(this.stateFailures++, 8))
    this.stateRetryAt = Date.now() + pause
    this.retryLater(run, inputs, pause)
  }

  /** Hands `inputs` back to this instance after `ms` (a join of `run` may fire again). */
  private retryLater (run: bigint, inputs: StageInput[], ms: number): void {
    if (inputs.length === 0) return
    const t = setTimeout(() => {
      this.fired.delete(run)
      for (const i of inputs) { this.seen.delete(i.key); this.delivered.delete(i.key); this.deliver(i) }
    }, Math.max(0, ms))
    t.unref?.()
  }

  async stop (): Promise<void> {
    this.stopped = true
    this.stopTicking()
    for (const b of this.joins.values()) clearTimeout(b.timer)
    this.joins.clear()
    await this.chain
    await Promise.all([...this.completing])
    await this.sandbox?.stop().catch(() => {})
    this.sandbox = undefined
  }
}

function concat (parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.byteLength }
  return out
}
