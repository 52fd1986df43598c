/**
 * A framed, bounded conversation over a libp2p stream: it-pipe with
 * it-length-prefixed framing, a maximum frame size and a deadline, so a slow
 * or silent peer cannot pin memory or a handler.
 */
import type { Stream } from '@libp2p/interface'
import { pipe } from 'it-pipe'
import { pushable } from 'it-pushable'
import { StreamClosedError, StreamTimeoutError } from './errors.js'
import { encodeFrames, readFrames } from './frames.js'

export interface ChannelOptions {
  maxFrameBytes: number
  /** the whole conversation must finish before this */
  timeoutMs: number
  signal?: AbortSignal
}

export interface FrameChannel {
  /** the next frame; StreamClosedError if the remote ended the stream first */
  read: () => Promise<Uint8Array>
  /** undefined when the remote closed its side cleanly */
  readOrEnd: () => Promise<Uint8Array | undefined>
  write: (frame: Uint8Array) => void
  /** flush our side and wait until both directions are done, within the deadline */
  close: () => Promise<void>
  abort: (err: Error) => void
}

export function openChannel (stream: Stream, opts: ChannelOptions): FrameChannel {
  const outgoing = pushable<Uint8Array>()
  const timeout = AbortSignal.timeout(opts.timeoutMs)
  const signal = opts.signal === undefined ? timeout : AbortSignal.any([timeout, opts.signal])
  const onAbort = (): void => {
    const err = timeout.aborted ? new StreamTimeoutError(`${stream.protocol ?? 'stream'}: no answer within ${opts.timeoutMs} ms`) : new StreamClosedError('aborted')
    stream.abort(err)
    outgoing.end(err)
  }
  signal.addEventListener('abort', onAbort, { once: true })
  const frames = readFrames(stream, opts.maxFrameBytes)
  const sending = pipe(outgoing, encodeFrames, stream.sink).catch(() => {})
  const readOrEnd = async (): Promise<Uint8Array | undefined> => {
    if (signal.aborted) throw timeout.aborted ? new StreamTimeoutError(`no answer within ${opts.timeoutMs} ms`) : new StreamClosedError('aborted')
    const r = await frames.next()
    return r.done === true ? undefined : r.value
  }
  return {
    readOrEnd,
    read: async () => {
      const f = await readOrEnd()
      if (f === undefined) throw new StreamClosedError(`${stream.protocol ?? 'stream'}: remote closed before the expected frame`)
      return f
    },
    write: (frame) => { outgoing.push(frame) },
    close: async () => {
      outgoing.end()
      // the deadline holds until both sides are closed: closing, like reading,
      // must not outlast the conversation's deadline
      try {
        await sending
        // we read exactly the frames we expected: close the read side too, or the stream lingers
        await stream.close({ signal }).catch(() => {})
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },
    abort: (err) => {
      signal.removeEventListener('abort', onAbort)
      outgoing.end(err)
      stream.abort(err)
    }
  }
}
