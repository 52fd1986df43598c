/**
 * Bid CRDT glue: bids live in one LWW map (document `pipeline-bids`) keyed by
 * `<pipeline>/<stage>/<peer>`; only a peer writes its own keys, deltas ride on
 * ecco/v1/pipelines and anti-entropy repairs the rest.
 */
import { checkVersion, decodeMessage, InvalidMessageError } from '../wire/index.js'
import { NAME_PATTERN, PIPELINE_VERSION } from './constants.js'
import { Bid } from './pb/pipeline.js'

export function bidKey (pipelineId: string, stage: string, peer: string): string {
  return `${pipelineId}/${stage}/${peer}`
}

export function encodeBid (b: Omit<Bid, 'version'>): Uint8Array {
  return Bid.encode({ ...b, version: PIPELINE_VERSION })
}

/** Decodes a bid stored under `key`, rejecting one whose fields do not match the key. */
export function decodeBid (key: string, bytes: Uint8Array): Bid {
  const b = decodeMessage(Bid, bytes, 'Bid', { maxBytes: 1024 })
  checkVersion('Bid', b.version, PIPELINE_VERSION)
  if (!NAME_PATTERN.test(b.pipelineId) || !NAME_PATTERN.test(b.stage)) throw new InvalidMessageError(`Bid ${key}: bad pipeline or stage name`)
  if (key !== bidKey(b.pipelineId, b.stage, b.peer)) throw new InvalidMessageError(`Bid under ${key} is for ${bidKey(b.pipelineId, b.stage, b.peer)}`)
  if (!Number.isFinite(b.cost) || b.cost < 0) throw new InvalidMessageError(`Bid ${key}.cost: ${b.cost}`)
  return b
}

/** The peer a bid key belongs to. */
export function bidOwner (key: string): string {
  return key.slice(key.lastIndexOf('/') + 1)
}
