// EF worker harness. Blocks on its doorbell (Atomics.wait) instead of an event loop, so a
// payload written into its inbox wakes it directly; commands arrive on a MessagePort and
// are read synchronously after each wake-up.
import { receiveMessageOnPort, workerData } from 'node:worker_threads'
import {
  BUSY, BUSY_SINCE, DOORBELL, FROM_PEER, INBOX_FROM, INBOX_FULL, INBOX_LEN, INBOX_STATE, SEEN_AT,
  controlBlock, releaseInbox, resetControl
} from './blackboard.js'
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js'
import { EfInstance } from './ef-instance.js'
import type { Command, EfOutput, InvokeResult, Reply, ResultMap, SensorSnapshot, WireError } from './protocol.js'
import type { MessagePort } from 'node:worker_threads'

interface WorkerData { port: MessagePort, control: SharedArrayBuffer }

const { port, control } = workerData as WorkerData
const ctl = controlBlock(control)
let ef: EfInstance | undefined
let lastSensors: SensorSnapshot = {}
let lastClock = 0

function toWire (err: unknown): WireError {
  if (err instanceof Error) return { name: err.name, message: err.message, image: (err as Error & { image?: string }).image ?? ef?.name }
  return { name: 'EfTrapError', message: String(err), image: ef?.name }
}

function busy (on: boolean): void {
  if (on) {
    Atomics.store(ctl.i64, BUSY_SINCE, process.hrtime.bigint())
    Atomics.store(ctl.i32, BUSY, 1)
  } else {
    Atomics.store(ctl.i32, BUSY, 0)
    Atomics.store(ctl.i64, BUSY_SINCE, 0n)
  }
}

function current (): EfInstance {
  if (ef == null) throw new Error('no EF loaded in this worker')
  return ef
}

/** Runs the handler on whatever is in the inbox, then frees the inbox. */
function runInbox (sensors: SensorSnapshot, clock: number, full: boolean): InvokeResult {
  const instance = current()
  const inputLen = full ? Atomics.load(ctl.i32, INBOX_LEN) : 0
  Atomics.store(ctl.i64, SEEN_AT, process.hrtime.bigint())
  const started = performance.now()
  busy(true)
  try {
    const r = instance.handle({ sensors, clock, inputLen })
    return { ...r, elapsedMs: performance.now() - started }
  } finally {
    busy(false)
    instance.busyMs += performance.now() - started
    if (full) releaseInbox(ctl)
  }
}

function execute (cmd: Command): ResultMap[Command['op']] {
  switch (cmd.op) {
    case 'load': {
      resetControl(ctl)
      // the start function runs at instantiation: time it like a call, from here, so
      // the host's wall-time cap does not count queueing for a busy CPU
      busy(true)
      try {
        ef = new EfInstance(cmd)
        ef.boot()
      } finally {
        busy(false)
      }
      const next = ef.position.next
      return { memoryBytes: cmd.memory.buffer.byteLength, graph: cmd.graph, initialStep: next === undefined ? undefined : ef.steps.get(next) }
    }
    case 'invoke':
      lastSensors = cmd.sensors
      lastClock = cmd.clock
      return runInbox(cmd.sensors, cmd.clock, Atomics.load(ctl.i32, INBOX_STATE) === INBOX_FULL)
    case 'steps': {
      const instance = current()
      const started = performance.now()
      try {
        // the wall-time cap applies to each atomic step
        const r = instance.runSteps(cmd.n, { sensors: cmd.sensors, clock: cmd.clock, inputLen: 0 }, () => { busy(true) })
        const { next, last, terminated } = instance.position
        return { ...r, next: next === undefined ? undefined : instance.steps.get(next), lastStep: last === undefined ? undefined : instance.steps.get(last), terminated, elapsedMs: performance.now() - started }
      } finally {
        busy(false)
        instance.busyMs += performance.now() - started
      }
    }
    case 'checkpoint':
      return encodeCheckpoint(current().checkpointState(cmd.clock))
    case 'resume': {
      const instance = current()
      instance.restore(decodeCheckpoint(cmd.checkpoint))
      const next = instance.position.next
      return { next: next === undefined ? undefined : instance.steps.get(next), terminated: instance.position.terminated, outputSeq: instance.outputSeq }
    }
    case 'seed':
      for (const [k, v] of cmd.entries) current().unimem.set(k, v)
      return undefined
    case 'link':
      current().link(cmd.next)
      return undefined
    case 'usage': {
      const i = current()
      return { memoryBytes: i.memory.buffer.byteLength, peakMemoryBytes: i.peakMemoryBytes, invocations: i.invocations, steps: i.stepsDone, outputs: i.totalOutputs, busyMs: i.busyMs }
    }
    case 'reset':
      ef = undefined
      resetControl(ctl)
      return undefined
  }
}

function post (reply: Reply): void {
  const transfer: ArrayBuffer[] = []
  const result = reply.op === 'chained' ? reply.result : reply.ok ? reply.result : undefined
  const outputs = result != null && typeof result === 'object' && 'outputs' in result ? (result as { outputs: EfOutput[] }).outputs : []
  if (outputs.length > 0) {
    for (const o of outputs) if (o.bytes.byteLength > 0) transfer.push(o.bytes.buffer as ArrayBuffer)
  }
  port.postMessage(reply, transfer)
}

function drainCommands (): void {
  for (let msg = receiveMessageOnPort(port); msg !== undefined; msg = receiveMessageOnPort(port)) {
    const cmd = msg.message as Command
    try {
      post({ op: 'reply', id: cmd.id, ok: true, result: execute(cmd) })
    } catch (err) {
      post({ op: 'reply', id: cmd.id, ok: false, error: toWire(err) })
    }
  }
}

/** A peer EF wrote our inbox (EF-to-EF over the blackboard): run without a host command. */
function drainChained (): void {
  if (ef == null || ef.broken != null) return
  if (Atomics.load(ctl.i32, INBOX_STATE) !== INBOX_FULL || Atomics.load(ctl.i32, INBOX_FROM) !== FROM_PEER) return
  try {
    post({ op: 'chained', result: runInbox(lastSensors, lastClock, true) })
  } catch (err) {
    post({ op: 'chained', error: toWire(err) })
  }
}

let seen = 0
for (;;) {
  Atomics.wait(ctl.i32, DOORBELL, seen)
  seen = Atomics.load(ctl.i32, DOORBELL)
  drainCommands()
  drainChained()
}
