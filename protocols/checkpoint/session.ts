/**
 * Sessions of `/ecco/checkpoint/3.0.0`: one long-lived stream per (opener, peer) carries
 * every request the opener sends that peer, each with its own id, and the answers in any
 * order. Opening a stream per request cost a yamux stream, a protocol select and a peer
 * store write on both sides for every checkpoint: about 2 ms on loopback against 0.45 ms
 * for a frame on an open stream, and a live migration makes several requests in a row.
 *
 * Bounds: frames are length-prefixed and at most `maxFrameBytes`; a session has at most
 * `maxPending` requests in flight (the opener queues more, the server aborts a session
 * that sends more); every server read has a deadline (`readTimeoutMs`), so a peer that
 * opens streams and never writes (or dribbles a frame) does not pin them; the opener
 * closes a session it has not used for half that time, before the server would.
 */
import type { Pushable } from 'it-pushable'
import type { Stream } from '@libp2p/interface'
import { framedWriter, InvalidMessageError, readFrames, StreamClosedError, StreamTimeoutError, TIMED_OUT, within } from '../wire/index.js'

export interface SessionLimits {
  maxFrameBytes: number
  maxPending: number
  readTimeoutMs: number
}

interface Pending {
  resolve: (frame: Uint8Array) => void
  reject: (err: Error) => void
  sentAt: number
  /** the caller gave up (deadline): the slot stays taken until the answer or the session's end */
  abandoned?: boolean
}

/** The opener's side: sends requests, matches answers to them by id. */
export class ClientSession {
  readonly peer: string
  /** set once the session takes no new requests (idle close, error, remote end) */
  closing = false
  private readonly stream: Stream
  private readonly limits: SessionLimits
  private readonly out: Pushable<Uint8Array>
  private readonly pending = new Map<number, Pending>()
  private readonly slots: Array<() => void> = []
  /** slots granted by slot() whose request has not been sent yet */
  private reserved = 0
  private nextId = 1
  private lastFrameAt = performance.now()
  private idleTimer?: ReturnType<typeof setTimeout>
  private readonly onClose: (s: ClientSession) => void
  /** answer frames, for the owner's byte count */
  onFrame?: (bytes: number) => void

  constructor (peer: string, stream: Stream, limits: SessionLimits, onClose: (s: ClientSession) => void) {
    this.peer = peer
    this.stream = stream
    this.limits = limits
    this.onClose = onClose
    this.out = framedWriter(stream).out
    void this.read()
    this.armIdle()
  }

  get inFlight (): number { return this.pending.size }

  /** Next request id; ids wrap inside uint32 and skip 0 (the proto default). */
  takeId (): number {
    const id = this.nextId
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1
    return id
  }

  /**
   * Reserves a slot (at most `maxPending` requests in flight, counting those the server
   * may still be answering after their caller gave up); send() or unreserve() use it up.
   */
  async slot (signal: AbortSignal): Promise<void> {
    while (this.pending.size + this.reserved >= this.limits.maxPending) {
      signal.throwIfAborted()
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => { signal.removeEventListener('abort', onAbort); resolve() }
        const onAbort = (): void => {
          const i = this.slots.indexOf(wake)
          if (i >= 0) this.slots.splice(i, 1)
          // every slot held by a request whose caller gave up: the server is stuck, start afresh
          if (this.pending.size > 0 && [...this.pending.values()].every((p) => p.abandoned === true)) this.abort(new StreamTimeoutError(`session to ${this.peer}: no answer to ${this.pending.size} requests`))
          reject(signal.reason)
        }
        this.slots.push(wake)
        signal.addEventListener('abort', onAbort, { once: true })
      })
      if (this.closing) throw new StreamClosedError(`session to ${this.peer} closed`)
    }
    this.reserved++
    clearTimeout(this.idleTimer)
  }

  /** Gives back a slot that was not used for a request. */
  unreserve (): void {
    this.reserved--
    this.slots.shift()?.()
    this.armIdle()
  }

  /** Writes one request frame with `id` (in a reserved slot) and resolves with the answer frame. */
  async send (id: number, frame: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
    this.reserved--
    if (this.closing || signal.aborted) {
      this.slots.shift()?.()
      if (this.closing) throw new StreamClosedError(`session to ${this.peer} closed`)
      signal.throwIfAborted()
    }
    const sentAt = performance.now()
    const answer = new Promise<Uint8Array>((resolve, reject) => { this.pending.set(id, { resolve, reject, sentAt }) })
    const onAbort = (): void => {
      const p = this.pending.get(id)
      if (p === undefined || p.abandoned === true) return
      p.abandoned = true
      p.reject(signal.reason instanceof Error ? signal.reason : new StreamTimeoutError(`no answer from ${this.peer}`))
      // nothing at all heard since this request left: the stream is dead, start afresh
      if (this.lastFrameAt < p.sentAt) this.abort(new StreamTimeoutError(`session to ${this.peer}: silent for ${(performance.now() - p.sentAt).toFixed(0)} ms`))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    this.out.push(frame)
    try {
      return await answer
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  /** Ends our side; pending requests still get their answers. */
  close (): void {
    if (this.closing) return
    this.closing = true
    clearTimeout(this.idleTimer)
    this.out.end()
    this.onClose(this)
  }

  abort (err: Error): void {
    this.closing = true
    clearTimeout(this.idleTimer)
    this.out.end(err)
    this.stream.abort(err)
    this.failAll(err)
    this.onClose(this)
  }

  private release (id: number): void {
    this.pending.delete(id)
    this.slots.shift()?.()
    this.armIdle()
  }

  private armIdle (): void {
    if (this.pending.size > 0 || this.reserved > 0 || this.closing) return
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => { if (this.pending.size === 0 && this.reserved === 0) this.close() }, Math.max(1, Math.floor(this.limits.readTimeoutMs / 2)))
    this.idleTimer.unref?.()
  }

  private failAll (err: Error): void {
    for (const [id, p] of [...this.pending]) { this.pending.delete(id); if (p.abandoned !== true) p.reject(err) }
    for (const wake of this.slots.splice(0)) wake()
  }

  private async read (): Promise<void> {
    const it = readFrames(this.stream, this.limits.maxFrameBytes)
    let error: Error = new StreamClosedError(`${this.peer} closed the session`)
    try {
      for (let r = await it.next(); r.done !== true; r = await it.next()) {
        this.lastFrameAt = performance.now()
        this.onFrame?.(r.value.byteLength)
        const id = answerId(r.value)
        const p = id === undefined ? undefined : this.pending.get(id)
        if (id === undefined || p === undefined) continue
        this.release(id)
        if (p.abandoned !== true) p.resolve(r.value)
      }
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err))
    }
    this.closing = true
    clearTimeout(this.idleTimer)
    this.out.end()
    this.failAll(error)
    this.onClose(this)
  }
}

/**
 * The request id of an encoded CheckpointMessage without decoding all of it: field 17
 * (varint). Undefined when absent. Fields are skipped by wire type.
 */
export function answerId (frame: Uint8Array): number | undefined {
  let at = 0
  const varint = (): number => {
    let n = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      if (at >= frame.length) throw new RangeError('truncated')
      const b = frame[at++]
      n += (b & 0x7f) * scale
      if ((b & 0x80) === 0) return n
      scale *= 128
    }
    throw new RangeError('varint too long')
  }
  try {
    while (at < frame.length) {
      const key = varint()
      const field = Math.floor(key / 8)
      const type = key % 8
      if (field === 17 && type === 0) return varint()
      if (type === 0) varint()
      else if (type === 1) at += 8
      else if (type === 2) { const len = varint(); at += len }
      else if (type === 5) at += 4
      else return undefined
    }
  } catch {
    return undefined
  }
  return undefined
}

export interface ServeHandlers {
  /** Answers one request frame; resolves with the encoded answer (carrying the request's id). */
  answer: (frame: Uint8Array) => Promise<Uint8Array | undefined>
  onTimeout: () => void
  onViolation: (err: Error) => void
}

/**
 * The answering side of one session: reads request frames (each read within
 * `readTimeoutMs` unless requests are still being answered), runs up to `maxPending` at
 * once, writes each answer when ready, and ends once the opener has ended its side and
 * every answer is out.
 */
export async function serveSession (stream: Stream, limits: SessionLimits, h: ServeHandlers): Promise<void> {
  const { out, done } = framedWriter(stream)
  const it = readFrames(stream, limits.maxFrameBytes)
  let inFlight = 0
  let ended = false
  let drained: (() => void) | undefined
  let next = it.next()
  next.catch(() => {})
  try {
    for (;;) {
      const r = await within(next, limits.readTimeoutMs)
      if (r === TIMED_OUT) {
        if (inFlight > 0) continue
        h.onTimeout()
        const err = new StreamTimeoutError(`no request within ${limits.readTimeoutMs} ms`)
        ended = true
        out.end(err)
        stream.abort(err)
        return
      }
      if (r.done === true) break
      if (inFlight >= limits.maxPending) throw new InvalidMessageError(`more than ${limits.maxPending} requests in flight on one session`)
      inFlight++
      void h.answer(r.value).then((bytes) => {
        // the session may have ended meanwhile (aborted): the answer has nowhere to go
        if (bytes !== undefined && !ended) out.push(bytes)
      }).catch(() => {}).finally(() => {
        inFlight--
        if (inFlight === 0) drained?.()
      })
      next = it.next()
      next.catch(() => {})
    }
    if (inFlight > 0) await new Promise<void>((resolve) => { drained = resolve })
    ended = true
    out.end()
    await done
    await stream.close().catch(() => {})
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err))
    h.onViolation(e)
    ended = true
    out.end(e)
    stream.abort(e)
  }
}
