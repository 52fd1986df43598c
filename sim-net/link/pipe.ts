/**
 * One shaped direction of a connection: reads chunks from `input` as soon as
 * they are written (they are "on the wire"), and yields each at its scheduled
 * arrival time. Reading stops while `maxQueuedBytes` are in flight, which
 * gives the writer backpressure like a full socket buffer.
 */
import type { Uint8ArrayList } from 'uint8arraylist'

export interface PipeHooks {
  now: () => number
  /** arrival time for a chunk of `bytes` written now */
  schedule: (bytes: number) => number
  /** called as each chunk is handed on, with its scheduled and actual time */
  delivered?: (bytes: number, scheduled: number, actual: number, sent: number) => void
  /** called once when the pipe has ended, for any reason */
  ended?: () => void
  maxQueuedBytes: number
}

/**
 * Chunks due within this many ms are delivered now; none earlier, as no
 * packet beats its link's delay. Node's timers count whole milliseconds from
 * the event loop's cached clock: a timer for the whole milliseconds to go
 * wakes the pipe about when a chunk is due, and what it leaves (it fired
 * early) is polled for once per loop turn. Sleeping only to a millisecond
 * short of each arrival and polling from there (what this pipe did) kept
 * every shaped connection spinning through the last millisecond of each
 * chunk: 40% of what a loaded sim-net shard allocated (bench:sim, 200 peers,
 * sampling heap profile). For 500 connections carrying 5000 chunks/s it took
 * 87% of a core against 29% now (bench:link), for 99.7% against 98.5% of
 * chunks within a millisecond of their time.
 */
const DUE_MS = 0.02

interface Item { data: Uint8Array, at: number, sent: number }

export class ShapedPipe {
  private readonly queue: Item[] = []
  private queuedBytes = 0
  private inputDone = false
  private error: Error | undefined
  private aborted = false
  private wake: (() => void) | undefined
  private space: (() => void) | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private iterator: AsyncIterator<Uint8Array | Uint8ArrayList> | undefined
  private readonly hooks: PipeHooks

  constructor (hooks: PipeHooks) {
    this.hooks = hooks
  }

  /** Starts pumping `input` and returns the delayed stream. */
  run (input: AsyncIterable<Uint8Array | Uint8ArrayList>): AsyncGenerator<Uint8Array> {
    this.iterator = input[Symbol.asyncIterator]()
    void this.pump()
    return this.output()
  }

  /** Drops everything in flight and ends the output with `err` (the connection was cut). */
  abort (err: Error): void {
    if (this.aborted) return
    this.aborted = true
    this.error = err
    this.queue.length = 0
    this.queuedBytes = 0
    this.notify()
    this.space?.()
    void this.iterator?.return?.().catch(() => {})
  }

  private notify (): void {
    const w = this.wake
    this.wake = undefined
    if (this.timer !== undefined) { clearTimeout(this.timer); this.timer = undefined }
    w?.()
  }

  private async pump (): Promise<void> {
    const it = this.iterator
    if (it === undefined) return
    try {
      while (!this.aborted) {
        const r = await it.next()
        if (r.done === true || this.aborted) break
        const data = r.value instanceof Uint8Array ? r.value : r.value.subarray()
        if (data.byteLength === 0) continue
        const sent = this.hooks.now()
        this.queue.push({ data, at: this.hooks.schedule(data.byteLength), sent })
        this.queuedBytes += data.byteLength
        this.notify()
        while (this.queuedBytes > this.hooks.maxQueuedBytes && !this.aborted) {
          await new Promise<void>(resolve => { this.space = resolve })
        }
      }
    } catch (err) {
      if (!this.aborted) this.error = err instanceof Error ? err : new Error(String(err))
    } finally {
      this.inputDone = true
      this.notify()
    }
  }

  private async * output (): AsyncGenerator<Uint8Array> {
    try {
      while (true) {
        const head = this.queue[0]
        if (head === undefined) {
          if (this.aborted || this.inputDone) {
            if (this.error !== undefined) throw this.error
            return
          }
          await new Promise<void>(resolve => { this.wake = resolve })
          continue
        }
        const wait = head.at - this.hooks.now()
        if (wait > DUE_MS) {
          // arrivals never decrease, so nothing can overtake the head while we wait
          await new Promise<void>(resolve => {
            this.wake = resolve
            if (wait >= 1) this.timer = setTimeout(() => { this.timer = undefined; this.notify() }, Math.floor(wait))
            else setImmediate(() => { if (this.wake === resolve) this.notify() })
          })
          continue
        }
        this.queue.shift()
        this.queuedBytes -= head.data.byteLength
        if (this.queuedBytes <= this.hooks.maxQueuedBytes) { const s = this.space; this.space = undefined; s?.() }
        this.hooks.delivered?.(head.data.byteLength, head.at, this.hooks.now(), head.sent)
        yield head.data
      }
    } finally {
      if (this.timer !== undefined) clearTimeout(this.timer)
      if (!this.inputDone && !this.aborted) {
        this.aborted = true
        void this.iterator?.return?.().catch(() => {})
      }
      this.hooks.ended?.()
    }
  }
}
