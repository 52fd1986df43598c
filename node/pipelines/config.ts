/**
 * The `pipelines:` section of a peer config. Without it the peer runs no
 * pipelines (the feature is off).
 *
 * ```yaml
 * pipelines:
 *   trustedIssuers: [z4MX...]      # issuer public keys (ecco-peer pipeline keygen prints one)
 *   roles: [nuc]                    # capability tags stages may need (needs.roles)
 *   catalogueDir: dist/unikernels/images
 *   bootPerRun: false               # true: a fresh EF for every run (thesis measurements)
 *   retainMs: 60000                 # acked bundles kept for resending to a substitute
 *   idleWorkers: 1                  # EF workers kept ready for cold boots
 *   forwardSettleMs: 3000           # placement stable this long: stranded inbound bundles go to their slot's host
 * ```
 */
import { IssuerKeyError, parseIssuer } from '../../protocols/index.js'
import { ConfigError } from '../errors.js'
import { asArray, asBoolean, asNumber, asObj, asString, rejectUnknown } from '../config/fields.js'

export interface PipelinesConfig {
  /** formatIssuer form of every trusted issuer key */
  trustedIssuers: string[]
  /** extra registry roles (needs.roles) */
  roles: string[]
  /** EF catalogue folder; undefined = the build's dist/unikernels/images */
  catalogueDir?: string
  /** boot a fresh EF for every run (thesis measurements) instead of keeping it booted */
  bootPerRun: boolean
  /** how long acked bundles are kept for resending to a substitute (ms) */
  retainMs: number
  /** EF workers kept ready for cold boots (0 for peers that rarely host stages) */
  idleWorkers: number
  /**
   * how long this peer's placement of a pipeline must stay unchanged before inbound bundles
   * for slots it does not host are handed on to their hosts (ms) @default 3000
   */
  forwardSettleMs?: number
}

export const PIPELINES_SECTION = 'pipelines'

export const DEFAULT_PIPELINES_CONFIG: PipelinesConfig = { trustedIssuers: [], roles: [], bootPerRun: false, retainMs: 60_000, idleWorkers: 1 }

export function parsePipelinesSection (value: unknown, path: string): PipelinesConfig {
  const o = asObj(value ?? {}, path)
  rejectUnknown(o, ['trustedIssuers', 'roles', 'catalogueDir', 'bootPerRun', 'retainMs', 'idleWorkers', 'forwardSettleMs'], path)
  const trustedIssuers = o.trustedIssuers === undefined
    ? []
    : asArray(o.trustedIssuers, `${path}.trustedIssuers`).map((k, i) => {
      const p = `${path}.trustedIssuers[${i}]`
      try { return parseIssuer(asString(k, p)) } catch (err) {
        if (err instanceof IssuerKeyError) throw new ConfigError(`${p}: ${err.message}`)
        throw err
      }
    })
  const out: PipelinesConfig = {
    trustedIssuers,
    roles: o.roles === undefined ? [] : asArray(o.roles, `${path}.roles`).map((r, i) => asString(r, `${path}.roles[${i}]`)),
    bootPerRun: o.bootPerRun === undefined ? false : asBoolean(o.bootPerRun, `${path}.bootPerRun`),
    retainMs: o.retainMs === undefined ? DEFAULT_PIPELINES_CONFIG.retainMs : asNumber(o.retainMs, `${path}.retainMs`, { min: 0, max: 86_400_000, integer: true }),
    idleWorkers: o.idleWorkers === undefined ? DEFAULT_PIPELINES_CONFIG.idleWorkers : asNumber(o.idleWorkers, `${path}.idleWorkers`, { min: 0, max: 64, integer: true })
  }
  if (o.forwardSettleMs !== undefined) out.forwardSettleMs = asNumber(o.forwardSettleMs, `${path}.forwardSettleMs`, { min: 0, max: 600_000, integer: true })
  if (o.catalogueDir !== undefined) out.catalogueDir = asString(o.catalogueDir, `${path}.catalogueDir`)
  return out
}
