// Emulated sensor drivers. Every reading is a pure function of (seed, time, injected
// conditions), so a run is reproducible whatever order EFs read in. The weather model is
// shared by the temperature and humidity sensors of one peer, so they stay consistent.
import { InvalidSensorConfigError } from './errors.js'

export type SensorType =
  | 'road-surface-temperature' | 'air-temperature' | 'relative-humidity' | 'dew-point'
  | 'camera' | 'loop-occupancy' | 'parking-occupancy' | 'accelerometer' | 'speed' | 'message-sign'

export const SENSOR_UNITS: Record<SensorType, string> = {
  'road-surface-temperature': '°C',
  'air-temperature': '°C',
  'relative-humidity': '%',
  'dew-point': '°C',
  camera: 'frame',
  'loop-occupancy': 's',
  'parking-occupancy': 'spot map',
  accelerometer: 'm/s²',
  speed: 'km/h',
  'message-sign': 'text'
}

/** Actuators take exclusive leases to write. */
export const ACTUATORS: ReadonlySet<SensorType> = new Set(['message-sign'])

export type SensorValue = number | Uint8Array

/** Conditions sim-net (or a test) injects; times are ms on the SAC clock. */
export type SensorCondition =
  | { kind: 'ice', from: number, to: number, surfaceC?: number, humidity?: number }
  | { kind: 'crash', at: number, clearAt?: number, peakDecel?: number }
  | { kind: 'hard-braking', at: number, durationMs?: number, decel?: number }
  | { kind: 'parking', from: number, to: number, occupied: number[] }
  | { kind: 'override', sensor: string, from: number, to: number, value: SensorValue }

export interface EmulatedOptions {
  /** Mean air temperature (°C) @default 4 */
  meanAirC?: number
  /** Camera frame size @default 64 x 48, 3 channels */
  width?: number
  height?: number
  channels?: number
  /** Parking spots @default 24 */
  spots?: number
  /** Free-flow speed (km/h) @default 80 */
  freeFlowKmh?: number
}

export interface SensorConfig {
  /** Unique per peer, e.g. "rst-1". EFs may name a sensor by id or by type. */
  id: string
  type: SensorType
  /** @default SENSOR_UNITS[type] */
  unit?: string
  /** Driver name in the SAC's driver table @default 'emulated' */
  driver?: string
  /** Seed of this sensor's measurement noise @default derived from id */
  seed?: number
  options?: EmulatedOptions
}

export interface SensorDriver {
  read(t: number, conditions: readonly SensorCondition[]): SensorValue
  write?(value: SensorValue): void
}

export type DriverFactory = (config: SensorConfig, peerSeed: number) => SensorDriver

const DAY = 86_400_000
const C_CRASH_CLEAR = 30 * 60_000

/** splitmix32 of (a, b): uniform in [0, 1). */
export function hash01 (a: number, b: number): number {
  let z = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77)) >>> 0
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0
  return ((z ^ (z >>> 15)) >>> 0) / 4294967296
}

function gauss (seed: number, i: number): number {
  const u = Math.max(hash01(seed, 2 * i), 1e-12)
  const v = hash01(seed, 2 * i + 1)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

export function seedOf (id: string): number {
  let h = 2166136261
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619)
  return h >>> 0
}

/** +1 at 15:00, -1 at 03:00 (UTC of the SAC clock). */
function diurnal (t: number): number {
  return Math.cos(2 * Math.PI * ((t % DAY) / DAY - 15 / 24))
}

export class Weather {
  constructor (readonly seed: number, readonly meanAirC = 4) {}

  private drift (t: number): number {
    const d = t / DAY
    return 3 * Math.sin(2 * Math.PI * (d / 3.1 + hash01(this.seed, 1))) + 2 * Math.sin(2 * Math.PI * (d / 7.3 + hash01(this.seed, 2)))
  }

  air (t: number): number {
    return this.meanAirC + 5 * diurnal(t) + this.drift(t)
  }

  humidity (t: number): number {
    return Math.min(100, Math.max(25, 80 - 12 * diurnal(t) + 4 * Math.sin(2 * Math.PI * (t / DAY / 2.3 + hash01(this.seed, 3)))))
  }

  /** Radiative cooling at night, solar gain by day. */
  surface (t: number): number {
    const d = diurnal(t)
    return this.air(t) - 1.5 + (d > 0 ? 4 * d : 1.5 * d)
  }
}

export function dewPoint (airC: number, rh: number): number {
  const g = Math.log(rh / 100) + 17.62 * airC / (243.12 + airC)
  return 243.12 * g / (17.62 - g)
}

/** [from, to) of a condition on the SAC clock. */
export function conditionWindow (c: SensorCondition): [number, number] {
  switch (c.kind) {
    case 'crash': return [c.at, c.clearAt ?? c.at + C_CRASH_CLEAR]
    case 'hard-braking': return [c.at, c.at + (c.durationMs ?? 2000)]
    default: return [c.from, c.to]
  }
}

function active<K extends SensorCondition['kind']> (conds: readonly SensorCondition[], kind: K, t: number): Extract<SensorCondition, { kind: K }> | undefined {
  return conds.find(c => {
    if (c.kind !== kind) return false
    const [from, to] = conditionWindow(c)
    return t >= from && t < to
  }) as Extract<SensorCondition, { kind: K }> | undefined
}

function weatherDriver (type: SensorType, w: Weather, seed: number): SensorDriver {
  return {
    read (t, conds) {
      const sample = Math.floor(t / 1000)
      const ice = active(conds, 'ice', t)
      let air = w.air(t) + 0.15 * gauss(seed, sample)
      let rh = Math.min(100, Math.max(1, w.humidity(t) + 1.5 * gauss(seed ^ 0x55, sample)))
      let surface = w.surface(t) + 0.2 * gauss(seed ^ 0xaa, sample)
      if (ice != null) {
        air = Math.min(air, 2)
        rh = Math.max(rh, ice.humidity ?? 95)
        surface = Math.min(surface, ice.surfaceC ?? -2)
      }
      if (type === 'air-temperature') return air
      if (type === 'relative-humidity') return rh
      if (type === 'dew-point') return dewPoint(air, rh)
      return surface
    }
  }
}

function trafficDriver (type: SensorType, seed: number, freeFlow: number): SensorDriver {
  return {
    read (t, conds) {
      const crash = active(conds, 'crash', t)
      const braking = active(conds, 'hard-braking', t)
      if (type === 'accelerometer') {
        if (crash != null && t - crash.at < 200) return -(crash.peakDecel ?? 35)
        if (braking != null) return -(braking.decel ?? 8)
        return 0.3 * gauss(seed, Math.floor(t / 100))
      }
      if (type === 'speed') {
        if (crash != null) return 0
        if (braking != null) return Math.max(0, freeFlow - (braking.decel ?? 8) * 3.6 * (t - braking.at) / 1000)
        return Math.max(0, freeFlow + 6 * gauss(seed, Math.floor(t / 1000)))
      }
      // loop occupancy: seconds the loop has been occupied without a gap
      if (crash != null) return (t - crash.at) / 1000
      return 1.5 * hash01(seed, Math.floor(t / 1000))
    }
  }
}

function cameraDriver (seed: number, o: EmulatedOptions): SensorDriver {
  const w = o.width ?? 64
  const h = o.height ?? 48
  const c = o.channels ?? 3
  return {
    read (t) {
      const frame = new Uint8Array(8 + w * h * c)
      const v = new DataView(frame.buffer)
      v.setUint16(0, w, true)
      v.setUint16(2, h, true)
      frame[4] = c
      // dim, low-contrast scene that brightens by day: what colour normalisation is for
      const light = 0.6 + 0.4 * Math.max(0, diurnal(t))
      const n = Math.floor(t / 100)
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let ch = 0; ch < c; ch++) {
            const base = 70 + 40 * x / w + 30 * y / h + 10 * ch
            const i = (y * w + x) * c + ch
            frame[8 + i] = Math.max(0, Math.min(255, Math.round(light * base + 8 * (hash01(seed ^ n, i) - 0.5))))
          }
        }
      }
      return frame
    }
  }
}

function parkingDriver (seed: number, spots: number): SensorDriver {
  return {
    read (t, conds) {
      const map = new Uint8Array(spots)
      const forced = active(conds, 'parking', t)
      if (forced != null) {
        for (const s of forced.occupied) if (s >= 0 && s < spots) map[s] = 1
        return map
      }
      const p = 0.3 + 0.5 * Math.max(0, diurnal(t + DAY / 8))
      const slot = Math.floor(t / (15 * 60_000))
      for (let s = 0; s < spots; s++) map[s] = hash01(seed + s, slot) < p ? 1 : 0
      return map
    }
  }
}

function signDriver (): SensorDriver {
  let shown: SensorValue = new Uint8Array(0)
  return {
    read () { return shown },
    write (value) { shown = value }
  }
}

/** The default driver table: 'emulated' covers every SensorType. */
export const emulatedDriver: DriverFactory = (config, peerSeed) => {
  const seed = config.seed ?? seedOf(config.id)
  const o = config.options ?? {}
  switch (config.type) {
    case 'road-surface-temperature':
    case 'air-temperature':
    case 'relative-humidity':
    case 'dew-point':
      return weatherDriver(config.type, new Weather(peerSeed, o.meanAirC ?? 4), seed)
    case 'accelerometer':
    case 'speed':
    case 'loop-occupancy':
      return trafficDriver(config.type, seed, o.freeFlowKmh ?? 80)
    case 'camera':
      return cameraDriver(seed, o)
    case 'parking-occupancy':
      return parkingDriver(seed, o.spots ?? 24)
    case 'message-sign':
      return signDriver()
    default:
      throw new InvalidSensorConfigError(`sensor ${config.id}: unknown type ${String(config.type)}`)
  }
}
