/**
 * Turns YAML text and CLI flags into a validated PeerConfig. Flags override
 * the file; the file overrides the defaults.
 */
import { readFile } from 'node:fs/promises'
import { parse as parseYaml, YAMLParseError } from 'yaml'
import { multiaddr } from '@multiformats/multiaddr'
import { assertPosition, InvalidPositionError } from '../../protocols/index.js'
import { ConfigError } from '../errors.js'
import { CONFIG_SECTIONS } from './sections.js'
import { asArray, asBoolean, asNumber, asObj, asOneOf, asString, isObj, rejectUnknown, type Obj } from './fields.js'
import {
  DEFAULT_CONFIG, LOG_LEVELS, RADIO_TYPES, SENSOR_TYPES,
  type CapacityConfig, type PeerConfig, type RadioConfig, type SensorConfig, type Tier
} from './schema.js'

const TOP_FIELDS = [
  'name', 'position', 'tier', 'sensors', 'radios', 'capacity', 'listen', 'bootstrap', 'dataDir',
  'logLevel', 'http', 'httpHost', 'heartbeatMs', 'goneAfterHeartbeats', 'beatFanout', 'cellPrecision', 'discoveryIntervalMs', 'neighboursFromRegistry', 'maxConnections'
] as const

function position (v: unknown, path: string): PeerConfig['position'] {
  const o = asObj(v, path)
  rejectUnknown(o, ['lat', 'lon'], path)
  const p = { lat: asNumber(o.lat, `${path}.lat`), lon: asNumber(o.lon, `${path}.lon`) }
  try { assertPosition(p, path) } catch (err) {
    if (err instanceof InvalidPositionError) throw new ConfigError(err.message)
    throw err
  }
  return p
}

function sensors (v: unknown, path: string): SensorConfig[] {
  const ids = new Set<string>()
  return asArray(v, path).map((s, i) => {
    const p = `${path}[${i}]`
    const o = asObj(s, p)
    rejectUnknown(o, ['id', 'type', 'unit', 'driver'], p)
    const type = asOneOf(o.type, SENSOR_TYPES, `${p}.type`)
    const id = o.id === undefined ? type : asString(o.id, `${p}.id`)
    if (ids.has(id)) throw new ConfigError(`${p}.id: duplicate sensor id "${id}"`)
    ids.add(id)
    const out: SensorConfig = { id, type, driver: o.driver === undefined ? 'emulated' : asString(o.driver, `${p}.driver`) }
    if (o.unit !== undefined) out.unit = asString(o.unit, `${p}.unit`)
    return out
  })
}

function radios (v: unknown, path: string): RadioConfig[] {
  return asArray(v, path).map((r, i) => {
    const p = `${path}[${i}]`
    if (typeof r === 'string') return { type: asOneOf(r, RADIO_TYPES, p) }
    const o = asObj(r, p)
    rejectUnknown(o, ['type', 'rangeM'], p)
    const out: RadioConfig = { type: asOneOf(o.type, RADIO_TYPES, `${p}.type`) }
    if (o.rangeM !== undefined) out.rangeM = asNumber(o.rangeM, `${p}.rangeM`, { min: 0 })
    return out
  })
}

function capacity (v: unknown, path: string): CapacityConfig {
  const o = asObj(v, path)
  rejectUnknown(o, ['cpuCores', 'memoryMb', 'accelerator', 'maxEdgeFunctions'], path)
  const d = DEFAULT_CONFIG.capacity
  const out: CapacityConfig = {
    cpuCores: o.cpuCores === undefined ? d.cpuCores : asNumber(o.cpuCores, `${path}.cpuCores`, { min: 0.1, max: 1024 }),
    memoryMb: o.memoryMb === undefined ? d.memoryMb : asNumber(o.memoryMb, `${path}.memoryMb`, { min: 16, max: 16_777_216, integer: true }),
    maxEdgeFunctions: o.maxEdgeFunctions === undefined ? d.maxEdgeFunctions : asNumber(o.maxEdgeFunctions, `${path}.maxEdgeFunctions`, { min: 0, max: 10_000, integer: true })
  }
  if (o.accelerator !== undefined) out.accelerator = asString(o.accelerator, `${path}.accelerator`)
  return out
}

function multiaddrs (v: unknown, path: string): string[] {
  return asArray(v, path).map((a, i) => checkMultiaddr(a, `${path}[${i}]`))
}

export function checkMultiaddr (v: unknown, path: string): string {
  const s = asString(v, path)
  try { multiaddr(s) } catch { throw new ConfigError(`${path}: not a valid multiaddr: "${s}"`) }
  return s
}

/** Applies one validated layer (YAML object or flag object) over `base`. */
export function applyLayer (base: PeerConfig, layer: Obj, origin: string): PeerConfig {
  const at = (k: string): string => origin === '' ? k : `${origin}: ${k}`
  rejectUnknown(layer, [...TOP_FIELDS, 'bootstrapMode', ...Object.keys(CONFIG_SECTIONS)], origin === '' ? '' : `${origin}:`)
  const c: PeerConfig = { ...base, sections: { ...base.sections } }
  const L = layer
  for (const [key, parse] of Object.entries(CONFIG_SECTIONS)) {
    if (L[key] !== undefined) c.sections[key] = parse(L[key], at(key))
  }
  if (L.name !== undefined) c.name = asString(L.name, at('name'))
  if (L.position !== undefined) c.position = position(L.position, at('position'))
  if (L.tier !== undefined) c.tier = asNumber(L.tier, at('tier'), { min: 1, max: 3, integer: true }) as Tier
  if (L.sensors !== undefined) c.sensors = sensors(L.sensors, at('sensors'))
  if (L.radios !== undefined) c.radios = radios(L.radios, at('radios'))
  if (L.capacity !== undefined) c.capacity = capacity(L.capacity, at('capacity'))
  if (L.listen !== undefined) c.listen = multiaddrs(L.listen, at('listen'))
  if (L.bootstrap !== undefined) c.bootstrap = multiaddrs(L.bootstrap, at('bootstrap'))
  if (L.bootstrapMode !== undefined) c.bootstrapMode = asBoolean(L.bootstrapMode, at('bootstrapMode'))
  if (L.dataDir !== undefined) c.dataDir = asString(L.dataDir, at('dataDir'))
  if (L.logLevel !== undefined) c.logLevel = asOneOf(L.logLevel, LOG_LEVELS, at('logLevel'))
  if (L.http !== undefined) c.httpPort = asNumber(L.http, at('http'), { min: 0, max: 65535, integer: true })
  if (L.httpHost !== undefined) c.httpHost = asString(L.httpHost, at('httpHost'))
  if (L.heartbeatMs !== undefined) c.heartbeatMs = asNumber(L.heartbeatMs, at('heartbeatMs'), { min: 50, max: 600_000, integer: true })
  if (L.goneAfterHeartbeats !== undefined) c.goneAfterHeartbeats = asNumber(L.goneAfterHeartbeats, at('goneAfterHeartbeats'), { min: 1, max: 1000, integer: true })
  if (L.beatFanout !== undefined) c.beatFanout = asNumber(L.beatFanout, at('beatFanout'), { min: 1, max: 1000, integer: true })
  if (L.cellPrecision !== undefined) c.cellPrecision = asNumber(L.cellPrecision, at('cellPrecision'), { min: 1, max: 9, integer: true })
  if (L.discoveryIntervalMs !== undefined) c.discoveryIntervalMs = asNumber(L.discoveryIntervalMs, at('discoveryIntervalMs'), { min: 100, max: 3_600_000, integer: true })
  if (L.neighboursFromRegistry !== undefined) c.neighboursFromRegistry = asBoolean(L.neighboursFromRegistry, at('neighboursFromRegistry'))
  if (L.maxConnections !== undefined) c.maxConnections = asNumber(L.maxConnections, at('maxConnections'), { min: 0, max: 10_000, integer: true })
  return c
}

export function parseConfigText (text: string, file: string): Obj {
  let doc: unknown
  try {
    doc = parseYaml(text, { prettyErrors: false })
  } catch (err) {
    const line = err instanceof YAMLParseError ? ` at line ${err.linePos?.[0]?.line ?? '?'}` : ''
    throw new ConfigError(`${file}: invalid YAML${line}: ${(err as Error).message.split('\n')[0]}`)
  }
  if (doc == null) return {}
  if (!isObj(doc)) throw new ConfigError(`${file}: top level must be a mapping`)
  return doc
}

export async function loadConfigFile (file: string): Promise<Obj> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`--config: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  return parseConfigText(text, file)
}

export function defaultConfig (dataDir: string): PeerConfig {
  return { ...DEFAULT_CONFIG, dataDir, sections: {} }
}
