/** Typed events of the pipelines feature (see index.ts for the hooks other features use). */
import type { PipelineState, Position, Trace } from '../../protocols/index.js'

/**
 * An output of a finale stage (`output: sink`) on this peer: e.g. the hazard
 * records of the black-ice pipeline's broadcasters, for the hazards feature
 * to sign and publish as DENM warnings.
 */
export interface PipelineOutput {
  pipelineId: string
  run: bigint
  stage: string
  slot: number
  bytes: Uint8Array
  final: true
  /** a join of the run proceeded without every predecessor */
  partial: boolean
  /** a stage of the run had no host */
  degraded: boolean
  trace: Trace
  /** positions of the live hosts of the start stages (where the data came from) */
  origins: Position[]
}

/** A finale finished a run on this peer (with or without outputs). */
export interface PipelineRunEvent {
  pipelineId: string
  run: bigint
  stage: string
  outputs: number
  partial: boolean
  degraded: boolean
  /** the finale's EF failed or refused the input (no outputs is then no evidence) */
  failed: boolean
  trace: Trace
}

/** A bundle a step queued for a follower slot (remote: the outbound queue of `target`; local: this peer's inbound queue). */
export interface StepBundle {
  /** bundleKey: pipeline/run/fromStage.fromSlot/toStage/sequence#toSlot */
  key: string
  toStage: string
  toSlot: number
  target: string
}

/**
 * One step of a stage instance on this peer, after its atomic queue commit: the inbound
 * bundles it consumed left the inbound queue and its outputs entered the queues, in one
 * batch (so an observer sees exactly what a kill -9 afterwards would keep).
 */
export interface PipelineStepEvent {
  pipelineId: string
  stage: string
  slot: number
  run: bigint
  /**
   * how the consumed inputs were used: `applied` (the EF ran on them), `replayed` (a
   * stateful stage's state already reflected them: the outputs recorded with it went out
   * again, the EF did not run), `failed` (the EF failed or refused them: consumed, no output)
   */
  outcome: 'applied' | 'replayed' | 'failed'
  /** keys of the inbound bundles consumed */
  consumed: string[]
  emitted: StepBundle[]
}

/** Inbound bundles dropped without reaching an EF: they arrived after their run's join had fired. */
export interface PipelineDiscardEvent {
  pipelineId: string
  stage: string
  slot: number
  keys: string[]
}

/**
 * Inbound bundles this peer held for a stage slot it does not host, handed on (one batch)
 * to the slot's host in this peer's settled placement; they left the inbound queue here.
 */
export interface PipelineForwardEvent {
  pipelineId: string
  /** the slot host they were queued for */
  target: string
  keys: string[]
}

export interface PipelinesEvents {
  'pipeline:output': CustomEvent<PipelineOutput>
  'pipeline:run': CustomEvent<PipelineRunEvent>
  'pipeline:step': CustomEvent<PipelineStepEvent>
  'pipeline:discarded': CustomEvent<PipelineDiscardEvent>
  'pipeline:forwarded': CustomEvent<PipelineForwardEvent>
  'pipeline:placed': CustomEvent<{ pipelineId: string, digest: string, skipped: string[] }>
  'pipeline:preempted': CustomEvent<{ pipelineId: string, stage: string, by: number }>
  'pipeline:ended': CustomEvent<{ pipelineId: string, state: PipelineState }>
  'pipeline:rejected': CustomEvent<{ reason: string, kind: string }>
}
