/** The YAML key of the feature's config section. */
export const HAZARDS_SECTION = 'hazards'
/** @see {@link HazardsConfig.coverageM} */
export const DEFAULT_COVERAGE_M = 3000
/** @see {@link HazardsConfig.clearAfterMs} */
export const DEFAULT_CLEAR_AFTER_MS = 5000
/** @see {@link HazardsConfig.clearAfterQuietRuns} */
export const DEFAULT_CLEAR_AFTER_QUIET_RUNS = 3
/** @see {@link HazardsConfig.revocationScanMs} */
export const DEFAULT_REVOCATION_SCAN_MS = 5000
/** how often expired actions are dropped and reported */
export const PRUNE_INTERVAL_MS = 1000
/** the sublevel key of the next DENM sequence number */
export const SEQUENCE_KEY = 'hazards/sequence'
