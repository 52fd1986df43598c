/**
 * @packageDocumentation
 * Pipelines negotiated between peers (issue 4): the peer feature that accepts
 * signed descriptors, bids, places stages with the deterministic rule, runs
 * its stage instances as EFs, moves bundles through persisted queues, fails
 * over, preempts by priority and resumes after kill -9.
 *
 * Enable it with a `pipelines:` config section (`trustedIssuers`, `roles`,
 * `catalogueDir`, `bootPerRun`, `retainMs`) and `pipelinesFeature` in
 * DEFAULT_FEATURES. The running feature is `peer.features.get('pipelines')`.
 *
 * Hooks for other features:
 * - `pipeline:output` (PipelineOutput) fires on the peer that ran a finale
 *   stage with `output: sink`, once per EF output: `{ pipelineId, run, stage,
 *   slot, bytes, final: true, partial, degraded, trace, origins }` (origins: the
 *   positions of the start stages' live hosts, where the data came from). The
 *   black-ice pipeline's hazard-broadcaster emits its 40-byte hazard records
 *   here (decode with unikernels' `decodeHazard`): the hazards feature signs and
 *   publishes them as DENM warnings at the origins' centre.
 * - `pipeline:run` (PipelineRunEvent) fires for every finale run on this peer,
 *   with or without outputs (`failed` when the EF refused the input): a run
 *   without a hazard record is the hazards feature's evidence that the event
 *   is over (termination).
 * - `pipeline:step` (PipelineStepEvent) fires after every step of a stage instance
 *   here is committed: the bundle keys it consumed (applied by the EF, replayed from
 *   a stateful stage's ledger, or failed) and the bundles it queued per follower slot;
 *   `pipeline:discarded` names inbound bundles dropped because their join had fired.
 *   Together they account for every bundle (bench/chaos: none lost, none applied twice).
 * - `pipeline:forwarded` names inbound bundles this peer held for a stage slot it
 *   does not host (senders' placements disagreed, or the slot moved) and handed on
 *   to the slot's host once its own placement settled (`forwardSettleMs`); counted
 *   in the transport stats as `bundlesForwarded`.
 * - `retarget(pipelineId, stage, newPeerId)` moves this peer's queued and
 *   retained bundles for a stage to a new host (migration of a stateful stage).
 * - `sac` is the peer's Sensor Access Controller (inject conditions for sims).
 *
 * @example
 * ```ts
 * const pipelines = peer.features.get('pipelines') as PipelinesFeature
 * pipelines.addEventListener('pipeline:output', (e) => {
 *   if (e.detail.pipelineId === 'black-ice') publishDenm(decodeHazard(e.detail.bytes))
 * })
 * ```
 */
export { PipelinesFeature, pipelinesFeature } from './feature.js'
export { parsePipelinesSection, PIPELINES_SECTION, DEFAULT_PIPELINES_CONFIG } from './config.js'
export type { PipelinesConfig } from './config.js'
export type { PipelineDiscardEvent, PipelineForwardEvent, PipelineOutput, PipelineRunEvent, PipelineStepEvent, PipelinesEvents, StepBundle } from './events.js'
export { BundleQueues } from './queues.js'
export { DEFAULT_FORWARD_SETTLE_MS, forwardTarget } from './stranded.js'
