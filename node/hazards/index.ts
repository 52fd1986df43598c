/**
 * @packageDocumentation
 * Hazard warnings on a roadside peer: the `hazards` feature (validation and relay of
 * `ecco/v1/hazards/<cell>`, revocations, origination with DENM repetition), the inbox
 * shared with vehicles, and the finale-output hook for pipelines.
 *
 * @example
 * ```ts
 * const hazards = getHazards(peer)
 * const action = await hazards.publish({ eventPosition, causeCode: 6, subCauseCode: 6 })
 * await hazards.terminate(action)
 * // pipelines: every hazard-broadcaster output
 * await hazards.onFinaleOutput(decodeHazard(output.bytes), { pipelineId, position: peer.config.position })
 * ```
 */
export * from './config.js'
export * from './constants.js'
export * from './errors.js'
export * from './feature.js'
export * from './files.js'
export * from './inbox.js'
export * from './publisher.js'
export * from './source.js'
