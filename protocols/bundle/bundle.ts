/**
 * Bundles on the wire: the dedup key and the codecs. The streams that carry them
 * (/ecco/bundle/1.1.0) are in session.ts.
 */
import { checkEnum, checkVersion, decodeMessage, InvalidMessageError } from '../wire/index.js'
import { BUNDLE_VERSION, MAX_ACK_BYTES, MAX_BUNDLE_BYTES } from './constants.js'
import { AckStatus, Bundle, BundleAck } from './pb/bundle.js'

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/

/**
 * The dedup key: (pipeline, run, from stage/slot, to stage, sequence), and `#<toSlot>` when the
 * bundle names its follower slot: each slot gets its own copy, and a peer that holds one slot's
 * copy (e.g. to hand it on) must still accept another slot's. Sorts by run.
 */
export function bundleKey (b: Pick<Bundle, 'pipelineId' | 'run' | 'fromStage' | 'fromSlot' | 'toStage' | 'sequence' | 'toSlot'>): string {
  const base = `${b.pipelineId}/${b.run.toString().padStart(16, '0')}/${b.fromStage}.${b.fromSlot}/${b.toStage}/${b.sequence.toString().padStart(8, '0')}`
  return b.toSlot === undefined ? base : `${base}#${b.toSlot}`
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

/** Decodes an untrusted ack; names the bad field. */
export function decodeBundleAck (bytes: Uint8Array): BundleAck {
  const ack = decodeMessage(BundleAck, bytes, 'BundleAck', { maxBytes: MAX_ACK_BYTES })
  checkVersion('BundleAck', ack.version, BUNDLE_VERSION)
  checkEnum('BundleAck', 'status', ack.status, Object.values(AckStatus))
  return ack
}
