/**
 * The long-lived streams of /ecco/bundle/1.1.0. A sender keeps one stream per target
 * and writes every batch on it; the receiver persists each bundle (through its callback)
 * and only then writes its BundleAck, in order, so the n-th ack answers the n-th bundle.
 * Opening a stream per batch cost a yamux stream and a multistream-select round trip
 * (about 0.9 ms on loopback, a quarter of a hop).
 *
 * Bounds: frames are length-prefixed and at most MAX_BUNDLE_BYTES (acks MAX_ACK_BYTES);
 * a sender has at most `maxInFlight` bundles unacked; a receiver ends a stream whose
 * sender leaves more than MAX_UNREAD_ACKS acks unread, and one that brings no frame for
 * `idleTimeoutMs`. Any failure ends the whole stream: acks are matched by position, so
 * a stream with a lost ack or a caller that gave up cannot be trusted further.
 */
import type { Pushable } from 'it-pushable'
import type { Stream } from '@libp2p/interface'
import { framedWriter, InvalidMessageError, readFrames, StreamClosedError, StreamTimeoutError, TIMED_OUT, within } from '../wire/index.js'
import { decodeBundle, decodeBundleAck } from './bundle.js'
import {
  BUNDLE_VERSION, DEFAULT_BUNDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_IN_FLIGHT, MAX_ACK_BYTES, MAX_BUNDLE_BYTES, MAX_BUNDLES_PER_STREAM, MAX_UNREAD_ACKS
} from './constants.js'
import { AckStatus, BundleAck, type Bundle } from './pb/bundle.js'

const toError = (err: unknown): Error => err instanceof Error ? err : new Error(String(err))

export interface BundleSessionInit {
  /** bundles written and not yet acked; send() waits for a slot beyond it @default 64 */
  maxInFlight?: number
  /** the stream is closed after this long with nothing in flight @default 10000 (half the receiver's idle timeout) */
  idleCloseMs?: number
  /** called once, when the session takes no more bundles (idle close, failure, remote end) */
  onClose?: (session: BundleSession) => void
}

interface Waiting { resolve: (ack: BundleAck) => void, reject: (err: Error) => void }

/** The sender's side of one long-lived bundle stream. */
export class BundleSession {
  /** set once the session takes no more bundles */
  closing = false
  /** resolves when the stream's read side has ended */
  readonly ended: Promise<void>
  private readonly stream: Stream
  private readonly out: Pushable<Uint8Array>
  private readonly maxInFlight: number
  private readonly idleCloseMs: number
  private readonly onClose?: (s: BundleSession) => void
  /** one entry per bundle written, in order: the next ack answers the first */
  private readonly waiting: Waiting[] = []
  private readonly slots: Array<() => void> = []
  private idleTimer?: ReturnType<typeof setTimeout>
  private closed = false

  constructor (stream: Stream, init: BundleSessionInit = {}) {
    this.stream = stream
    this.maxInFlight = Math.max(1, Math.min(init.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, MAX_UNREAD_ACKS))
    this.idleCloseMs = init.idleCloseMs ?? DEFAULT_IDLE_TIMEOUT_MS / 2
    this.onClose = init.onClose
    this.out = framedWriter(stream).out
    this.ended = this.read()
    this.armIdle()
  }

  get inFlight (): number { return this.waiting.length }

  /**
   * Writes one encoded bundle and resolves with its ack. An abort of `signal` after the
   * bundle left ends the session (its ack would answer the next bundle otherwise).
   */
  async send (frame: Uint8Array, signal?: AbortSignal): Promise<BundleAck> {
    await this.slot(signal)
    if (this.closing) throw new StreamClosedError('bundle stream closed')
    clearTimeout(this.idleTimer)
    const ack = new Promise<BundleAck>((resolve, reject) => { this.waiting.push({ resolve, reject }) })
    this.out.push(frame)
    if (signal === undefined) return await ack
    const onAbort = (): void => { this.abort(signal.reason instanceof Error ? signal.reason : new StreamTimeoutError('bundle stream: no ack in time')) }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      return await ack
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  private async slot (signal?: AbortSignal): Promise<void> {
    while (this.waiting.length >= this.maxInFlight && !this.closing) {
      signal?.throwIfAborted()
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => { signal?.removeEventListener('abort', onAbort); resolve() }
        const onAbort = (): void => {
          const i = this.slots.indexOf(wake)
          if (i >= 0) this.slots.splice(i, 1)
          reject(toError(signal?.reason))
        }
        this.slots.push(wake)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    }
    signal?.throwIfAborted()
  }

  /** Ends our side; bundles in flight still get their acks. */
  close (): void {
    if (this.closing) return
    this.closing = true
    clearTimeout(this.idleTimer)
    this.out.end()
    this.finish()
  }

  /** Ends the stream now; every bundle in flight fails (the sender resends it). */
  abort (err: Error): void {
    this.closing = true
    clearTimeout(this.idleTimer)
    this.out.end(err)
    this.stream.abort(err)
    this.failAll(err)
    this.finish()
  }

  private finish (): void {
    for (const wake of this.slots.splice(0)) wake()
    if (this.closed) return
    this.closed = true
    this.onClose?.(this)
  }

  private failAll (err: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(err)
  }

  private armIdle (): void {
    if (this.waiting.length > 0 || this.closing) return
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => { if (this.waiting.length === 0) this.close() }, this.idleCloseMs)
    this.idleTimer.unref?.()
  }

  private async read (): Promise<void> {
    const it = readFrames(this.stream, MAX_ACK_BYTES)
    let error: Error | undefined
    try {
      for (let r = await it.next(); r.done !== true; r = await it.next()) {
        const ack = decodeBundleAck(r.value)
        const w = this.waiting.shift()
        if (w === undefined) throw new InvalidMessageError('BundleAck: an ack for no bundle sent')
        w.resolve(ack)
        this.slots.shift()?.()
        this.armIdle()
      }
    } catch (err) {
      error = toError(err)
    }
    if (error !== undefined || this.waiting.length > 0) {
      this.abort(error ?? new StreamClosedError(`bundle stream: remote ended it with ${this.waiting.length} bundles unacked`))
      return
    }
    // the remote ended its side (it closed an idle stream, or answered our close)
    this.closing = true
    clearTimeout(this.idleTimer)
    this.out.end()
    this.finish()
    await this.stream.close().catch(() => {})
  }
}

/** What the receiver did with one bundle. */
export type BundleVerdict = { status: AckStatus, reason?: string }

export interface ServeOptions {
  /** a stream that brings no frame for this long is ended @default 20000 */
  idleTimeoutMs?: number
  /** ends the stream (shutdown) */
  signal?: AbortSignal
  /** a frame that does not decode as a Bundle (acked ACK_REJECTED; the stream goes on) */
  onInvalid?: (err: Error) => void
  /** the stream was ended for bringing nothing within idleTimeoutMs */
  onTimeout?: () => void
  /** the stream was ended for breaking a limit (oversized or truncated frame, unread acks) */
  onViolation?: (err: Error) => void
}

/**
 * Answers one inbound stream until the sender ends it: each bundle goes to `accept`
 * (which persists it or finds it a duplicate) before its ack is written. A frame that
 * does not decode is acked ACK_REJECTED and counted; a broken limit or an idle stream
 * ends it. Resolves with the number of frames read.
 */
export async function serveBundles (stream: Stream, accept: (b: Bundle, raw: Uint8Array) => Promise<BundleVerdict>, options: ServeOptions = {}): Promise<number> {
  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
  const { out, done, unread } = framedWriter(stream)
  const it = readFrames(stream, MAX_BUNDLE_BYTES)
  const end = (err: Error): void => { out.end(err); stream.abort(err) }
  const onAbort = (): void => { end(new StreamClosedError('bundle stream: receiver stopping')) }
  if (options.signal?.aborted === true) onAbort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  let n = 0
  try {
    for (;;) {
      const next = it.next()
      next.catch(() => {})
      const r = await within(next, idleMs)
      if (r === TIMED_OUT) {
        options.onTimeout?.()
        end(new StreamTimeoutError(`bundle stream: no frame within ${idleMs} ms`))
        return n
      }
      if (r.done === true) break
      n++
      const verdict = await judge(r.value, accept, options)
      if (unread() >= MAX_UNREAD_ACKS) throw new InvalidMessageError(`bundle stream: more than ${MAX_UNREAD_ACKS} acks left unread`)
      out.push(BundleAck.encode({ version: BUNDLE_VERSION, status: verdict.status, reason: verdict.reason ?? '' }))
    }
    out.end()
    await done
    await stream.close().catch(() => {})
    return n
  } catch (err) {
    const e = toError(err)
    if (e instanceof InvalidMessageError) options.onViolation?.(e)
    end(e)
    throw e
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
}

async function judge (frame: Uint8Array, accept: (b: Bundle, raw: Uint8Array) => Promise<BundleVerdict>, options: ServeOptions): Promise<BundleVerdict> {
  let b: Bundle
  try {
    b = decodeBundle(frame)
  } catch (err) {
    if (!(err instanceof InvalidMessageError)) throw err
    options.onInvalid?.(err)
    return { status: AckStatus.ACK_REJECTED, reason: err.message }
  }
  return await accept(b, frame)
}

export interface SendOptions {
  /** @default 10000 */
  timeoutMs?: number
  signal?: AbortSignal
}

/** Sends encoded bundles on `stream`, ends it, and returns one ack per bundle, in order. */
export async function sendBundles (stream: Stream, bundles: Uint8Array[], options: SendOptions = {}): Promise<BundleAck[]> {
  if (bundles.length > MAX_BUNDLES_PER_STREAM) throw new RangeError(`at most ${MAX_BUNDLES_PER_STREAM} bundles per stream`)
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_BUNDLE_TIMEOUT_MS)
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal])
  const session = new BundleSession(stream)
  try {
    const acks = await Promise.all(bundles.map(async (b) => await session.send(b, signal)))
    session.close()
    await session.ended
    return acks
  } catch (err) {
    session.abort(toError(err))
    throw err
  }
}
