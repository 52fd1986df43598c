/** Bounded decoding of the pipeline wire messages (gossip and control). */
import { checkEnum, checkVersion, decodeMessage } from '../wire/index.js'
import { CONTROL_LIMITS, MAX_CONTROL_BYTES, MAX_GOSSIP_BYTES, PIPELINE_VERSION } from './constants.js'
import { ControlOp, ControlRequest, ControlResponse, PipelineGossip } from './pb/pipeline.js'

export function decodeGossip (bytes: Uint8Array): PipelineGossip {
  const g = decodeMessage(PipelineGossip, bytes, 'PipelineGossip', { maxBytes: MAX_GOSSIP_BYTES })
  checkVersion('PipelineGossip', g.version, PIPELINE_VERSION)
  return g
}

export function decodeControlRequest (bytes: Uint8Array): ControlRequest {
  const r = decodeMessage(ControlRequest, bytes, 'ControlRequest', { maxBytes: MAX_CONTROL_BYTES })
  checkVersion('ControlRequest', r.version, PIPELINE_VERSION)
  checkEnum('ControlRequest', 'op', r.op, Object.values(ControlOp))
  return r
}

export function decodeControlResponse (bytes: Uint8Array): ControlResponse {
  const r = decodeMessage(ControlResponse, bytes, 'ControlResponse', { maxBytes: MAX_CONTROL_BYTES, limits: CONTROL_LIMITS })
  checkVersion('ControlResponse', r.version, PIPELINE_VERSION)
  return r
}
