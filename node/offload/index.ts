/**
 * Nimbus offloading on a peer (decentralised 2PMT): the `nimbus:` config section, the peer
 * feature (gateway, slice and stage-2 solvers, EN reservation table) and its parts.
 */
export { nimbusOffload, NimbusOffload, type NimbusOffloadEvents, type OffloadStats } from './feature.js'
export { parseNimbusSection, defaultNimbusConfig, type NimbusConfig, type NimbusSolverConfig } from './config.js'
export { ReservationTable, type Reservation, type ReservationTableInit, type ReserveOutcome } from './reservations.js'
export { LoadKnowledge } from './knowledge.js'
export { solveStage, type SolveInput, type SolveOutput, type SolverDeps, type SolveItemInput } from './solver.js'
export { GatewayBatcher, type GatewayDeps, type Attachment } from './gateway.js'
