/** Prometheus families of the offload feature; labels are bounded (targets, stages, refusal reasons). */
import { counter, gauge, type MetricFamily } from '../metrics.js'
import type { NimbusOffload } from './feature.js'

export function offloadMetrics (f: NimbusOffload): MetricFamily[] {
  const s = f.stats
  const isSliceSolver = f.sliceSolver() === f.self ? 1 : 0
  const isStage2 = f.stage2Solver() === f.self ? 1 : 0
  return [
    counter('ecco_offload_handshakes_total', 'Device handshakes received by this gateway', [
      { labels: { result: 'accepted' }, value: s.handshakes }, { labels: { result: 'refused' }, value: s.refusedHandshakes }
    ]),
    counter('ecco_offload_offers_total', 'Offers sent to devices, by first candidate', Object.entries(s.offers).map(([target, value]) => ({ labels: { target }, value }))),
    counter('ecco_offload_solves_total', 'Solver stages run on this peer', [{ labels: { stage: '1' }, value: s.solves[1] }, { labels: { stage: '2' }, value: s.solves[2] }]),
    counter('ecco_offload_solve_seconds_total', 'Time spent solving and reserving, by stage', [{ labels: { stage: '1' }, value: s.solveMs[1] / 1000 }, { labels: { stage: '2' }, value: s.solveMs[2] / 1000 }]),
    counter('ecco_offload_reservations_total', 'Reservations this EN confirmed or refused', [
      { labels: { verdict: 'confirmed', reason: '' }, value: s.confirmed },
      ...Object.entries(s.refused).map(([reason, value]) => ({ labels: { verdict: 'refused', reason }, value }))
    ]),
    counter('ecco_offload_retries_total', 'Devices re-solved after a refused reservation by this peer\'s solvers', s.retried),
    counter('ecco_offload_releases_total', 'Reservations released on this EN', s.releases),
    counter('ecco_offload_solver_failovers_total', 'Solver calls that failed and moved to the next solver by rule', s.solverFailovers),
    counter('ecco_offload_invalid_messages_total', 'Offload messages dropped as invalid', s.invalidMessages),
    gauge('ecco_offload_reserved', 'Devices this EN serves', f.table.size),
    gauge('ecco_offload_attached', 'Devices attached through this gateway', f.batcher.attached.size),
    gauge('ecco_offload_solver', 'Solver roles this peer holds', [{ labels: { role: 'slice' }, value: isSliceSolver }, { labels: { role: 'stage2' }, value: isStage2 }])
  ]
}
