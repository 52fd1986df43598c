/**
 * The `checkpoints:` section of the peer config. Its presence enables the feature:
 *
 *   checkpoints:
 *     replicas: 2          # k replica peers per EF instance
 *     quorum: 1            # replica acks an output waits for; 0 = asynchronous
 *     stepIntervalMs: 100  # pacing of a hosted step-graph EF: a step starts at most this often
 *     controlPort: 0       # loopback control API for `ecco-peer ef` / `drain`; 0 = any free port
 *     catalogue: dist/unikernels/images
 *     gcAfterMs: 60000     # drop a replica copy this long after a newer epoch superseded it
 *     maxWorkers: 32       # EF worker threads of this peer's runtime (hosted + warm + idle)
 */
import { ConfigError } from '../errors.js'
import { asNumber, asObj, asString, rejectUnknown } from '../config/fields.js'

export interface CheckpointsConfig {
  replicas: number
  quorum: number
  stepIntervalMs: number
  controlPort: number
  catalogue?: string
  gcAfterMs: number
  maxWorkers: number
}

export const CHECKPOINTS_SECTION = 'checkpoints'

export const DEFAULT_CHECKPOINTS_CONFIG: CheckpointsConfig = {
  replicas: 2,
  quorum: 1,
  stepIntervalMs: 100,
  controlPort: 0,
  gcAfterMs: 60_000,
  maxWorkers: 32
}

const FIELDS = ['replicas', 'quorum', 'stepIntervalMs', 'controlPort', 'catalogue', 'gcAfterMs', 'maxWorkers'] as const

export function parseCheckpointsSection (value: unknown, path: string): CheckpointsConfig {
  const o = value === null || value === true ? {} : asObj(value, path)
  rejectUnknown(o, FIELDS, path)
  const c: CheckpointsConfig = { ...DEFAULT_CHECKPOINTS_CONFIG }
  if (o.replicas !== undefined) c.replicas = asNumber(o.replicas, `${path}.replicas`, { min: 0, max: 16, integer: true })
  if (o.quorum !== undefined) c.quorum = asNumber(o.quorum, `${path}.quorum`, { min: 0, max: 16, integer: true })
  if (o.stepIntervalMs !== undefined) c.stepIntervalMs = asNumber(o.stepIntervalMs, `${path}.stepIntervalMs`, { min: 0, max: 3_600_000, integer: true })
  if (o.controlPort !== undefined) c.controlPort = asNumber(o.controlPort, `${path}.controlPort`, { min: 0, max: 65535, integer: true })
  if (o.gcAfterMs !== undefined) c.gcAfterMs = asNumber(o.gcAfterMs, `${path}.gcAfterMs`, { min: 0, integer: true })
  if (o.maxWorkers !== undefined) c.maxWorkers = asNumber(o.maxWorkers, `${path}.maxWorkers`, { min: 1, max: 1024, integer: true })
  if (o.catalogue !== undefined) c.catalogue = asString(o.catalogue, `${path}.catalogue`)
  if (c.quorum > c.replicas) throw new ConfigError(`${path}.quorum: ${c.quorum} exceeds replicas ${c.replicas}`)
  return c
}
