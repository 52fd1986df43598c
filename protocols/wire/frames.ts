/**
 * The pieces every framed stream protocol shares: a bounded frame reader, a
 * framed writer, and a deadline for one read. Length-prefixed frames with a
 * maximum size, so a peer cannot make us buffer more than one frame's worth.
 */
import type { Stream } from '@libp2p/interface'
import { pipe } from 'it-pipe'
import * as lp from 'it-length-prefixed'
import { pushable, type Pushable } from 'it-pushable'
import type { Uint8ArrayList } from 'uint8arraylist'
import { InvalidMessageError } from './errors.js'

const OVERSIZED = new Set(['InvalidDataLengthError', 'InvalidMessageLengthError', 'InvalidDataLengthLengthError'])

/** Frames of a stream as an iterator; oversized or truncated frames throw InvalidMessageError. */
export function readFrames (stream: Pick<Stream, 'source'>, maxFrameBytes: number): AsyncIterator<Uint8Array> {
  return (async function * () {
    try {
      for await (const frame of lp.decode(stream.source, { maxDataLength: maxFrameBytes })) yield frame.subarray()
    } catch (err) {
      const name = (err as Error).name
      if (OVERSIZED.has(name)) throw new InvalidMessageError(`frame exceeds ${maxFrameBytes} bytes`)
      if (name === 'UnexpectedEOFError') throw new InvalidMessageError('truncated frame')
      throw err
    }
  })()
}

/**
 * Length-prefixes each message as one chunk. it-length-prefixed's `encode`
 * yields the prefix and the message separately, and a muxer stream sends each
 * chunk it is given as its own frame: two frames, two Noise messages, two
 * socket writes and two Yamux window updates back for every message.
 */
export async function * encodeFrames (source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8ArrayList> {
  for await (const message of source) yield lp.encode.single(message)
}

export interface FramedWriter {
  out: Pushable<Uint8Array>
  /** settles when the sink is done (errors are the reader's to report) */
  done: Promise<void>
  /** frames pushed and not yet taken by the sink: what a peer that stops reading leaves with us */
  unread: () => number
}

/** A framed writer onto a stream's sink. */
export function framedWriter (stream: Pick<Stream, 'sink'>): FramedWriter {
  const out = pushable<Uint8Array>()
  let pushed = 0
  let taken = 0
  const push = out.push.bind(out)
  out.push = (frame) => { pushed++; return push(frame) }
  const done = pipe(out, async function * (s) { for await (const f of s) { taken++; yield f } }, encodeFrames, stream.sink).catch(() => {})
  return { out, done, unread: () => pushed - taken }
}

export const TIMED_OUT = Symbol('timed out')

/** `p`, or TIMED_OUT when it has not settled within `ms`. */
export async function within<T> (p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const t = new Promise<typeof TIMED_OUT>((resolve) => { timer = setTimeout(() => { resolve(TIMED_OUT) }, ms) })
  try {
    return await Promise.race([p, t])
  } finally {
    clearTimeout(timer)
  }
}
