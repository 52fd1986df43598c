/**
 * A MultiaddrConnection whose two directions run through ShapedPipes. It is
 * handed to the upgrader in place of the raw TCP one; everything but
 * source/sink/close/abort is forwarded to the raw connection, including the
 * `timeline` object, which the upgrader replaces with a Proxy to learn when
 * the socket closes.
 */
import { anySignal } from 'any-signal'
import { raceSignal } from 'race-signal'
import { ShapedPipe } from './pipe.js'
import type { DirectionShaper } from './shaper.js'
import type { ResolvedLink } from './table.js'
import type { AbortOptions, MultiaddrConnection, MultiaddrConnectionTimeline } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** the longest a close waits for what is in flight to arrive (a saturated host delivers it late) */
const CLOSE_FLUSH_TIMEOUT_MS = 10_000

export interface ShapedConnectionInit {
  local: string
  inner: MultiaddrConnection
  remoteName: () => string | undefined
  link: (remote: string | undefined) => ResolvedLink
  /** [outbound (local -> remote), inbound] */
  shapers: [DirectionShaper, DirectionShaper]
  now: () => number
  maxQueuedBytes: number
  onChunk: (cls: string, bytes: number, segments: number, lostSegments: number) => void
  onDelivered: (cls: string, latenessMs: number, delayMs: number) => void
  onClosed: () => void
}

export class ShapedConnection {
  readonly local: string
  readonly maConn: MultiaddrConnection
  private readonly init: ShapedConnectionInit
  private readonly pipes: ShapedPipe[] = []
  private remote: string | undefined
  private closed = false

  constructor (init: ShapedConnectionInit) {
    this.init = init
    this.local = init.local
    this.remote = init.remoteName()
    const inner = init.inner
    const outPipe = this.pipe(0)
    const inPipe = this.pipe(1)
    const source = inPipe.run(inner.source)
    let sent: Promise<void> | undefined
    this.maConn = {
      source,
      sink: async (src: AsyncGenerator<Uint8Array | Uint8ArrayList>) => {
        sent = (async () => { await inner.sink(outPipe.run(src)) })()
        await sent
      },
      get remoteAddr () { return inner.remoteAddr },
      get timeline (): MultiaddrConnectionTimeline { return inner.timeline },
      set timeline (t: MultiaddrConnectionTimeline) { inner.timeline = t },
      get log () { return inner.log },
      close: async (options?: AbortOptions) => {
        // a socket's close sends what was written before it: the muxer has
        // ended its output (its goodbyes among it), which is still in flight
        // here. Closing the socket at once dropped the last link delay's worth
        // of every connection closed on purpose.
        if (sent !== undefined) {
          const signal = anySignal([options?.signal, AbortSignal.timeout(CLOSE_FLUSH_TIMEOUT_MS)])
          await raceSignal(sent, signal).catch(() => {}).finally(() => { signal.clear() })
        }
        this.markClosed()
        await inner.close(options)
      },
      abort: (err: Error) => { this.abort(err) }
    }
  }

  remoteName (): string | undefined {
    // the remote may register its addresses after we dialled it
    this.remote ??= this.init.remoteName()
    return this.remote
  }

  linkClass (): string {
    return this.init.link(this.remoteName()).class
  }

  /** Cuts the connection: queued data is dropped and the socket destroyed. */
  abort (err: Error): void {
    for (const p of this.pipes) p.abort(err)
    this.markClosed()
    this.init.inner.abort(err)
  }

  private markClosed (): void {
    if (this.closed) return
    this.closed = true
    this.init.onClosed()
  }

  private pipe (dir: 0 | 1): ShapedPipe {
    const shaper = this.init.shapers[dir]
    let cls = 'default'
    const p = new ShapedPipe({
      now: this.init.now,
      maxQueuedBytes: this.init.maxQueuedBytes,
      schedule: (bytes) => {
        const link = this.init.link(this.remoteName())
        cls = link.class
        const s = shaper.schedule(this.init.now(), bytes, link.params)
        this.init.onChunk(link.class, bytes, s.segments, s.lostSegments)
        return s.arrival
      },
      delivered: (_bytes, scheduled, actual, sent) => {
        this.init.onDelivered(cls, actual - scheduled, scheduled - sent)
      },
      ended: () => {
        // the inbound side ends when the socket has closed; the connection is gone then
        if (dir === 1) this.markClosed()
      }
    })
    this.pipes.push(p)
    return p
  }
}
