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

export interface PipelinesEvents {
  'pipeline:output': CustomEvent<PipelineOutput>
  'pipeline:run': CustomEvent<PipelineRunEvent>
  'pipeline:placed': CustomEvent<{ pipelineId: string, digest: string, skipped: string[] }>
  'pipeline:preempted': CustomEvent<{ pipelineId: string, stage: string, by: number }>
  'pipeline:ended': CustomEvent<{ pipelineId: string, state: PipelineState }>
  'pipeline:rejected': CustomEvent<{ reason: string, kind: string }>
}
