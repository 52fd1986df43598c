// The EF memory manager's blackboard (thesis EF-MM): a writer copies a payload once into
// the inbox pages of the receiver's shared linear memory and rings its doorbell
// (Atomics.notify). The receiver reads the payload in place. The control block lives in
// a separate SharedArrayBuffer the EF cannot address.
import type { WasmMemory } from './wasm-api.js'
import type { InboxLayout } from './manifest.js'

/** Int32 word indexes in the control block. */
export const DOORBELL = 0
/** 0 empty, 1 full, 2 being written */
export const INBOX_STATE = 1
export const INBOX_LEN = 2
/** 0 the host wrote the inbox (an invoke command follows), 1 a peer EF did. */
export const INBOX_FROM = 3
export const INBOX_SEQ = 4
export const BUSY = 5
/** BigInt64 indexes (hrtime ns): when the current call started, when the payload was sent and seen. */
export const BUSY_SINCE = 4
export const SENT_AT = 5
export const SEEN_AT = 6
export const CONTROL_BYTES = 64

export const INBOX_EMPTY = 0
export const INBOX_FULL = 1
export const INBOX_WRITING = 2
export const FROM_HOST = 0
export const FROM_PEER = 1

/** Atomics.waitAsync (ES2024; the project's lib is ES2023, Node 24 has it). */
const waitAsync = (Atomics as unknown as {
  waitAsync: (a: Int32Array, i: number, v: number, t: number) => { async: false, value: string } | { async: true, value: Promise<string> }
}).waitAsync

export interface ControlBlock {
  i32: Int32Array
  i64: BigInt64Array
}

export function controlBlock (sab: SharedArrayBuffer): ControlBlock {
  return { i32: new Int32Array(sab, 0, CONTROL_BYTES / 4), i64: new BigInt64Array(sab, 0, CONTROL_BYTES / 8) }
}

export function resetControl (c: ControlBlock): void {
  for (const i of [INBOX_STATE, INBOX_LEN, INBOX_FROM, INBOX_SEQ, BUSY]) Atomics.store(c.i32, i, 0)
  for (const i of [BUSY_SINCE, SENT_AT, SEEN_AT]) Atomics.store(c.i64, i, 0n)
}

/** Nanoseconds from the start of the last inbox write to the receiver seeing it (0 if none yet). */
export function lastTransferNs (c: ControlBlock): bigint {
  const sent = Atomics.load(c.i64, SENT_AT)
  const seen = Atomics.load(c.i64, SEEN_AT)
  return sent === 0n || seen < sent ? 0n : seen - sent
}

export function ring (c: ControlBlock): void {
  Atomics.add(c.i32, DOORBELL, 1)
  Atomics.notify(c.i32, DOORBELL)
}

export function tryClaimInbox (c: ControlBlock): boolean {
  return Atomics.compareExchange(c.i32, INBOX_STATE, INBOX_EMPTY, INBOX_WRITING) === INBOX_EMPTY
}

/** Copies `payload` into the claimed inbox and publishes it. The caller claimed it first. */
export function fillInbox (c: ControlBlock, memory: WasmMemory, inbox: InboxLayout, payload: Uint8Array, from: number): void {
  // stamped before the copy: SEEN_AT - SENT_AT is the whole transfer (copy + wake-up)
  Atomics.store(c.i64, SENT_AT, process.hrtime.bigint())
  if (payload.buffer instanceof SharedArrayBuffer) {
    // EF to EF: V8's TypedArray set between two shared buffers is about 1.5x slower than
    // the plain memmove behind Buffer.copy
    Buffer.from(payload.buffer, payload.byteOffset, payload.length).copy(Buffer.from(memory.buffer, inbox.offset, payload.length))
  } else {
    new Uint8Array(memory.buffer, inbox.offset, payload.length).set(payload)
  }
  Atomics.store(c.i32, INBOX_LEN, payload.length)
  Atomics.store(c.i32, INBOX_FROM, from)
  Atomics.store(c.i32, INBOX_STATE, INBOX_FULL)
  Atomics.notify(c.i32, INBOX_STATE)
}

export function releaseInbox (c: ControlBlock): void {
  Atomics.store(c.i32, INBOX_STATE, INBOX_EMPTY)
  Atomics.add(c.i32, INBOX_SEQ, 1)
  Atomics.notify(c.i32, INBOX_STATE)
}

/** Host side: waits without blocking the event loop until the inbox can be claimed. */
export async function claimInboxAsync (c: ControlBlock, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!tryClaimInbox(c)) {
    const left = deadline - performance.now()
    if (left <= 0) return false
    const state = Atomics.load(c.i32, INBOX_STATE)
    if (state === INBOX_EMPTY) continue
    const w = waitAsync(c.i32, INBOX_STATE, state, left)
    if (w.async) await w.value
  }
  return true
}

/** Worker side (EF to EF): blocks this EF's thread until the receiver's inbox is free. */
export function claimInboxSync (c: ControlBlock, timeoutMs: number): boolean {
  const deadline = performance.now() + timeoutMs
  while (!tryClaimInbox(c)) {
    const left = deadline - performance.now()
    if (left <= 0) return false
    const state = Atomics.load(c.i32, INBOX_STATE)
    if (state !== INBOX_EMPTY) Atomics.wait(c.i32, INBOX_STATE, state, left)
  }
  return true
}
