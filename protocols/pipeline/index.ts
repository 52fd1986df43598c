/**
 * @packageDocumentation
 * Pipelines negotiated between peers: the descriptor (YAML for people, signed
 * protobuf on the wire), its validation, the issuer's signature and the
 * operator's trust list, the bid CRDT glue and the deterministic placement rule.
 *
 * @example
 * ```ts
 * const draft = parseDescriptorYaml(text, 'p1.yaml')
 * validateDescriptor(draft, { images })            // PipelineValidationError names the path
 * const signed = await signDescriptor(draft, issuerKey)
 * const { descriptor } = await openDescriptor(signed, new Set([formatIssuer(issuerKey.publicKey)]))
 * const placement = computePlacement(descriptor, bids, gone) // same digest on every peer
 * ```
 */
export * from './constants.js'
export * from './errors.js'
export * from './yaml.js'
export * from './validate.js'
export * from './sign.js'
export * from './placement.js'
export * from './bids.js'
export * from './messages.js'
export {
  Execution, Role, InputSource, OutputTarget, CommandOp, ControlOp, PipelineState,
  PipelineDescriptor, SignedDescriptor, Command, SignedCommand, Bid, PipelineGossip,
  ControlRequest, ControlResponse, PipelineStatus, StageAssignment, Stage, Needs, ImageRef, Area, InputRule, OutputRule, TimeWindow
} from './pb/pipeline.js'
