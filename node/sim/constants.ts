/** Defaults of node/'s sim-net factories (see SimFactoriesInit). */
import { SIM_SERIES } from '../../sim-net/index.js'

/** Roadside certificates of a run are valid this long from issue. */
export const CERT_VALIDITY_MS = 7 * 86_400_000
/** Radius of the area a roadside certificate covers around its peer. */
export const CERT_RADIUS_M = 5000
/**
 * Road surface outside scenario conditions, in °C. The SAC's emulated
 * weather follows the real clock and freezes roads at night; holding the
 * surface dry and mild makes the scenario's ice events the only ice.
 */
export const DEFAULT_BASELINE_SURFACE_C = 6
/** How far ahead along its route a simulated vehicle shows warnings, metres. */
export const DEFAULT_VEHICLE_LOOKAHEAD_M = 5000
/** Repetition interval of roadside warnings. */
export const DEFAULT_TRANSMISSION_INTERVAL_MS = 1000
/**
 * A pipeline-driven warning is cancelled after this long without a confirming
 * record. Longer than a deployed peer's 5 s: in one process on a loaded
 * machine a run of the black-ice pipeline can take seconds, and a warning
 * cancelled between two runs would come back under a new actionId.
 */
export const DEFAULT_CLEAR_AFTER_MS = 10_000
/** Registry role of tier-2/3 peers: the black-ice fusion stage needs `roles: [worker]`. */
export const WORKER_ROLE = 'worker'
/** Condition windows are open-ended in the SAC until the scenario ends them. */
export const OPEN_END_MS = 365 * 86_400_000

/** Series names node/ reports through `record` (sim-net's contract). */
export const SERIES = SIM_SERIES
