/**
 * The `hazards:` config section. Without it a peer neither relays nor validates hazard
 * topics; with `operatorKeys` it relays and validates; with a `certificate` as well it
 * may originate warnings.
 *
 * ```yaml
 * hazards:
 *   operatorKeys: [/etc/ecco/operator.pub]
 *   certificate: /etc/ecco/lamppost-17.cert
 *   revocationsDir: /etc/ecco/revocations
 *   transmissionIntervalMs: 1000
 *   clearAfterMs: 5000        # no confirming finale output for this long: cancel
 *   clearAfterQuietRuns: 3    # or this many finale runs in a row without one
 * ```
 */
import { ConfigError } from '../errors.js'
import { asArray, asNumber, asObj, asString, rejectUnknown } from '../config/fields.js'
import { DEFAULT_CLEAR_AFTER_MS, DEFAULT_CLEAR_AFTER_QUIET_RUNS, DEFAULT_COVERAGE_M, DEFAULT_REVOCATION_SCAN_MS } from './constants.js'
import { DEFAULT_TRANSMISSION_INTERVAL_MS, MAX_TRANSMISSION_INTERVAL_MS } from '../../protocols/index.js'

export interface HazardsConfig {
  /** files holding operator public keys (protobuf, as written by `ecco-peer certs init`) */
  operatorKeys: string[]
  /** this peer's roadside certificate; without one the peer only relays */
  certificate?: string
  /** directory scanned for signed revocation files (`*.rev`) */
  revocationsDir?: string
  /** repetition interval of warnings this peer originates @default 1000 */
  transmissionIntervalMs: number
  /** radius around the peer whose hazard cells it subscribes to and relays @default 3000 */
  coverageM: number
  /** a pipeline-driven warning is cancelled when no finale output confirms it for this long @default 5000 */
  clearAfterMs: number
  /** ... or after this many finale runs in a row on this peer emitted no hazard record @default 3 */
  clearAfterQuietRuns: number
  /** @default 5000 */
  revocationScanMs: number
}

const FIELDS = ['operatorKeys', 'certificate', 'revocationsDir', 'transmissionIntervalMs', 'coverageM', 'clearAfterMs', 'clearAfterQuietRuns', 'revocationScanMs'] as const

export function parseHazardsSection (value: unknown, path: string): HazardsConfig {
  const o = asObj(value, path)
  rejectUnknown(o, FIELDS, path)
  const keys = asArray(o.operatorKeys, `${path}.operatorKeys`).map((k, i) => asString(k, `${path}.operatorKeys[${i}]`))
  if (keys.length === 0) throw new ConfigError(`${path}.operatorKeys: at least one operator public key file`)
  const c: HazardsConfig = {
    operatorKeys: keys,
    transmissionIntervalMs: o.transmissionIntervalMs === undefined ? DEFAULT_TRANSMISSION_INTERVAL_MS : asNumber(o.transmissionIntervalMs, `${path}.transmissionIntervalMs`, { min: 1, max: MAX_TRANSMISSION_INTERVAL_MS, integer: true }),
    coverageM: o.coverageM === undefined ? DEFAULT_COVERAGE_M : asNumber(o.coverageM, `${path}.coverageM`, { min: 0, max: 50_000 }),
    clearAfterMs: o.clearAfterMs === undefined ? DEFAULT_CLEAR_AFTER_MS : asNumber(o.clearAfterMs, `${path}.clearAfterMs`, { min: 100, max: 3_600_000, integer: true }),
    clearAfterQuietRuns: o.clearAfterQuietRuns === undefined ? DEFAULT_CLEAR_AFTER_QUIET_RUNS : asNumber(o.clearAfterQuietRuns, `${path}.clearAfterQuietRuns`, { min: 1, max: 1000, integer: true }),
    revocationScanMs: o.revocationScanMs === undefined ? DEFAULT_REVOCATION_SCAN_MS : asNumber(o.revocationScanMs, `${path}.revocationScanMs`, { min: 100, max: 3_600_000, integer: true })
  }
  if (o.certificate !== undefined) c.certificate = asString(o.certificate, `${path}.certificate`)
  if (o.revocationsDir !== undefined) c.revocationsDir = asString(o.revocationsDir, `${path}.revocationsDir`)
  return c
}
