/**
 * Bundle transfer over /ecco/bundle/1.0.0: the sender writes length-prefixed
 * Bundle frames; the receiver persists each (through its callback) and only
 * then answers with a BundleAck, in order. A sender deletes a bundle from its
 * outbound queue only on an ack, so a crash anywhere loses nothing; the
 * receiver's dedup by key turns a resend into ACK_DUPLICATE.
 */
import type { Stream } from '@libp2p/interface'
import { checkEnum, checkVersion, decodeMessage, InvalidMessageError, openChannel } from '../wire/index.js'
import { BUNDLE_VERSION, DEFAULT_BUNDLE_TIMEOUT_MS, MAX_ACK_BYTES, MAX_BUNDLE_BYTES, MAX_BUNDLES_PER_STREAM } from './constants.js'
import { AckStatus, Bundle, BundleAck } from './pb/bundle.js'

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/

/** The dedup key: (pipeline, run, from stage/slot, to stage, sequence); sorts by run. */
export function bundleKey (b: Pick<Bundle, 'pipelineId' | 'run' | 'fromStage' | 'fromSlot' | 'toStage' | 'sequence'>): string {
  return `${b.pipelineId}/${b.run.toString().padStart(16, '0')}/${b.fromStage}.${b.fromSlot}/${b.toStage}/${b.sequence.toString().padStart(8, '0')}`
}

export function encodeBundle (b: Omit<Bundle, 'version'>): Uint8Array {
  return Bundle.encode({ ...b, version: BUNDLE_VERSION })
}

/** Decodes an untrusted bundle; names the bad field. */
export function decodeBundle (bytes: Uint8Array): Bundle {
  const b = decodeMessage(Bundle, bytes, 'Bundle', { maxBytes: MAX_BUNDLE_BYTES })
  checkVersion('Bundle', b.version, BUNDLE_VERSION)
  if (!NAME.test(b.pipelineId)) throw new InvalidMessageError(`Bundle.pipelineId: bad name "${b.pipelineId.slice(0, 80)}"`)
  if (!NAME.test(b.fromStage)) throw new InvalidMessageError(`Bundle.fromStage: bad name "${b.fromStage.slice(0, 80)}"`)
  if (!NAME.test(b.toStage)) throw new InvalidMessageError(`Bundle.toStage: bad name "${b.toStage.slice(0, 80)}"`)
  return b
}

export interface SendOptions {
  /** @default 10000 */
  timeoutMs?: number
  signal?: AbortSignal
}

/** Sends encoded bundles on a fresh stream and returns one ack per bundle, in order. */
export async function sendBundles (stream: Stream, bundles: Uint8Array[], options: SendOptions = {}): Promise<BundleAck[]> {
  if (bundles.length > MAX_BUNDLES_PER_STREAM) throw new RangeError(`at most ${MAX_BUNDLES_PER_STREAM} bundles per stream`)
  const ch = openChannel(stream, { maxFrameBytes: MAX_ACK_BYTES, timeoutMs: options.timeoutMs ?? DEFAULT_BUNDLE_TIMEOUT_MS, signal: options.signal })
  try {
    for (const b of bundles) ch.write(b)
    const acks: BundleAck[] = []
    for (let i = 0; i < bundles.length; i++) {
      const ack = decodeMessage(BundleAck, await ch.read(), 'BundleAck', { maxBytes: MAX_ACK_BYTES })
      checkVersion('BundleAck', ack.version, BUNDLE_VERSION)
      checkEnum('BundleAck', 'status', ack.status, Object.values(AckStatus))
      acks.push(ack)
    }
    await ch.close()
    return acks
  } catch (err) {
    ch.abort(err as Error)
    throw err
  }
}

/** What the receiver did with one bundle. */
export type BundleVerdict = { status: AckStatus, reason?: string }

export interface ServeOptions {
  /** @default 10000 */
  timeoutMs?: number
  signal?: AbortSignal
  /** called for each frame that does not decode */
  onInvalid?: (err: Error) => void
}

/**
 * Answers one inbound stream: each bundle goes to `accept` (which persists it
 * or finds it a duplicate) before its ack is written. A frame that does not
 * decode is acked ACK_REJECTED and counted; the stream goes on.
 */
export async function serveBundles (stream: Stream, accept: (b: Bundle, raw: Uint8Array) => Promise<BundleVerdict>, options: ServeOptions = {}): Promise<number> {
  const ch = openChannel(stream, { maxFrameBytes: MAX_BUNDLE_BYTES, timeoutMs: options.timeoutMs ?? DEFAULT_BUNDLE_TIMEOUT_MS, signal: options.signal })
  let n = 0
  try {
    for (;;) {
      const frame = await ch.readOrEnd()
      if (frame === undefined) break
      if (++n > MAX_BUNDLES_PER_STREAM) throw new InvalidMessageError(`more than ${MAX_BUNDLES_PER_STREAM} bundles on one stream`)
      let verdict: BundleVerdict
      try {
        verdict = await accept(decodeBundle(frame), frame)
      } catch (err) {
        if (!(err instanceof InvalidMessageError)) throw err
        options.onInvalid?.(err)
        verdict = { status: AckStatus.ACK_REJECTED, reason: err.message }
      }
      ch.write(BundleAck.encode({ version: BUNDLE_VERSION, status: verdict.status, reason: verdict.reason ?? '' }))
    }
    await ch.close()
    return n
  } catch (err) {
    ch.abort(err as Error)
    throw err
  }
}
