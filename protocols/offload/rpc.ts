/** Request/response frames of /ecco/offload/1.0.0 over a bounded channel (protocols/wire). */
import type { Stream } from '@libp2p/interface'
import { InvalidMessageError, openChannel, type FrameChannel } from '../wire/index.js'
import { decodeOffloadMessage, encodeOffloadMessage } from './codec.js'
import { MAX_OFFLOAD_FRAME_BYTES } from './constants.js'
import { OffloadRemoteError } from './errors.js'
import { OffloadMessage } from './pb/offload.js'

export interface OffloadChannelOptions {
  /** the whole conversation must finish within this */
  timeoutMs: number
  signal?: AbortSignal
  /** @default 1048576 */
  maxFrameBytes?: number
}

export function openOffloadChannel (stream: Stream, opts: OffloadChannelOptions): FrameChannel {
  return openChannel(stream, { maxFrameBytes: opts.maxFrameBytes ?? MAX_OFFLOAD_FRAME_BYTES, timeoutMs: opts.timeoutMs, signal: opts.signal })
}

export function send (ch: FrameChannel, msg: Omit<OffloadMessage, 'version'>): void {
  ch.write(encodeOffloadMessage(msg))
}

/** Read one frame and insist on its kind; an ERROR reply becomes OffloadRemoteError. */
export async function receive (ch: FrameChannel, expect: OffloadMessage.Kind): Promise<OffloadMessage> {
  const msg = decodeOffloadMessage(await ch.read())
  if (msg.kind === OffloadMessage.Kind.ERROR && expect !== OffloadMessage.Kind.ERROR) {
    throw new OffloadRemoteError(msg.error?.message ?? 'remote error', msg.error?.code ?? '')
  }
  if (msg.kind !== expect) throw new InvalidMessageError(`OffloadMessage.kind: expected ${expect}, got ${msg.kind}`)
  return msg
}

/** Send `msg`, wait for one reply of kind `expect`, close. Aborts the stream on any failure. */
export async function ask (stream: Stream, msg: Omit<OffloadMessage, 'version'>, expect: OffloadMessage.Kind, opts: OffloadChannelOptions): Promise<OffloadMessage> {
  const ch = openOffloadChannel(stream, opts)
  try {
    send(ch, msg)
    const reply = await receive(ch, expect)
    await ch.close()
    return reply
  } catch (err) {
    ch.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}

export function errorMessage (code: string, message: string): Omit<OffloadMessage, 'version'> {
  return { kind: OffloadMessage.Kind.ERROR, error: { code, message } }
}
