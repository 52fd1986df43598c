import { ABI_VERSION } from './constants.js'
import { InvalidManifestError } from './errors.js'

/** Where the host writes input in the EF's linear memory (bytes). */
export interface InboxLayout {
  offset: number
  capacity: number
}

/**
 * Everything a peer needs to run an image besides its bytes. Travels next to the wasm
 * (content addressed by `hash`) and is written by the build as `<name>.json`.
 */
export interface ImageManifest {
  name: string
  version: string
  description?: string
  /** Hex sha256 of the wasm bytes. */
  hash: string
  /** Size of the wasm bytes. */
  size: number
  abi: number
  /** Cap on the EF's linear memory (whole 64 KiB pages). */
  memoryLimitBytes: number
  /** Wall-time cap of one invocation (input, or a batch of steps). */
  timeLimitMs: number
  /** Sensor names (id or type) the EF may read through the SAC. */
  sensors: string[]
  /** Keeps state in Unimem: checkpoint/resume make sense. */
  stateful: boolean
  inbox: InboxLayout
  /** Test or benchmark fixture, not part of the catalogue proper. */
  fixture?: boolean
  /** Hash of the sources and compiler the build used (for incremental builds). */
  sourceHash?: string
  compiler?: string
}

export interface EfImage {
  manifest: ImageManifest
  bytes: Uint8Array
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/
const HASH = /^[0-9a-f]{64}$/

function fail (field: string, why: string, name?: string): never {
  throw new InvalidManifestError(`manifest${name != null ? ` of ${name}` : ''}: ${field} ${why}`, name)
}

/** A hostile value for an error message: String() throws on objects without a callable toString. */
function show (v: unknown): string {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return String(v)
  return Array.isArray(v) ? 'an array' : 'an object'
}

function positiveInt (o: Record<string, unknown>, field: string, name: string): number {
  const v = o[field]
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) fail(field, `must be a positive integer, got ${show(v)}`, name)
  return v
}

/** Validates an untrusted manifest (from disk or a peer) field by field. */
export function parseManifest (input: unknown): ImageManifest {
  if (input == null || typeof input !== 'object') fail('root', 'must be an object')
  const o = input as Record<string, unknown>
  const name = o.name
  if (typeof name !== 'string' || !NAME.test(name)) fail('name', `must match ${NAME.source}, got ${show(name)}`)
  if (typeof o.version !== 'string' || o.version === '') fail('version', 'must be a non-empty string', name)
  if (typeof o.hash !== 'string' || !HASH.test(o.hash)) fail('hash', 'must be 64 lowercase hex digits', name)
  if (o.abi !== ABI_VERSION) fail('abi', `must be ${ABI_VERSION}, got ${show(o.abi)}`, name)
  const memoryLimitBytes = positiveInt(o, 'memoryLimitBytes', name)
  if (memoryLimitBytes % 65536 !== 0) fail('memoryLimitBytes', 'must be a multiple of 65536', name)
  const sensors = o.sensors
  if (!Array.isArray(sensors) || sensors.some(s => typeof s !== 'string' || s === '')) fail('sensors', 'must be an array of sensor names', name)
  if (typeof o.stateful !== 'boolean') fail('stateful', 'must be a boolean', name)
  const inbox = o.inbox as Record<string, unknown> | undefined
  if (inbox == null || typeof inbox !== 'object') fail('inbox', 'must be an object', name)
  const offset = positiveInt(inbox, 'offset', name)
  const capacity = positiveInt(inbox, 'capacity', name)
  if (offset + capacity > memoryLimitBytes) fail('inbox', 'does not fit the memory limit', name)
  return {
    name,
    version: o.version,
    description: typeof o.description === 'string' ? o.description : undefined,
    hash: o.hash,
    size: positiveInt(o, 'size', name),
    abi: ABI_VERSION,
    memoryLimitBytes,
    timeLimitMs: positiveInt(o, 'timeLimitMs', name),
    sensors: [...sensors as string[]],
    stateful: o.stateful,
    inbox: { offset, capacity },
    fixture: o.fixture === true ? true : undefined,
    sourceHash: typeof o.sourceHash === 'string' ? o.sourceHash : undefined,
    compiler: typeof o.compiler === 'string' ? o.compiler : undefined
  }
}
