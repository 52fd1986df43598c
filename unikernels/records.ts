// Host-side codecs for the byte records the catalogue EFs exchange (little endian, fixed
// layouts documented in unikernels/README.md), and the plain TypeScript version of
// image-normalise used as the benchmark baseline.
import { InvalidImageError } from './errors.js'

export const DETECTION_KIND = { ice: 1, crash: 2, hardBraking: 3 } as const
const DETECTION_MAGIC = 0x54444345
const HAZARD_MAGIC = 0x5a484345
const PARKING_MAGIC = 0x4b504345

export interface Detection { kind: number, detected: boolean, flags: number, confidence: number, time: number, value: number }

export interface HazardRecord {
  cause: number
  subCause: number
  informationQuality: number
  kind: number
  validityS: number
  relevanceM: number
  detectionTime: number
  confidence: number
  actionSeq: number
}

export interface ParkingMap { spots: number, free: number[], faulty: number }

export interface Frame { width: number, height: number, channels: number, pixels: Uint8Array }

function view (b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength)
}

function bad (what: string): never {
  throw new InvalidImageError(`record: ${what}`)
}

export function encodeDetection (d: Detection): Uint8Array {
  const out = new Uint8Array(32)
  const v = view(out)
  v.setUint32(0, DETECTION_MAGIC, true)
  out[4] = d.kind
  out[5] = d.detected ? 1 : 0
  v.setUint16(6, d.flags, true)
  v.setFloat64(8, d.confidence, true)
  v.setFloat64(16, d.time, true)
  v.setFloat64(24, d.value, true)
  return out
}

export function decodeDetection (b: Uint8Array): Detection {
  if (b.length !== 32) bad(`detection has ${b.length} bytes, expected 32`)
  const v = view(b)
  if (v.getUint32(0, true) !== DETECTION_MAGIC) bad('detection magic')
  return { kind: b[4], detected: b[5] !== 0, flags: v.getUint16(6, true), confidence: v.getFloat64(8, true), time: v.getFloat64(16, true), value: v.getFloat64(24, true) }
}

export function decodeHazard (b: Uint8Array): HazardRecord {
  if (b.length !== 40) bad(`hazard has ${b.length} bytes, expected 40`)
  const v = view(b)
  if (v.getUint32(0, true) !== HAZARD_MAGIC) bad('hazard magic')
  return {
    cause: b[4],
    subCause: b[5],
    informationQuality: b[6],
    kind: b[7],
    validityS: v.getUint32(8, true),
    relevanceM: v.getUint32(12, true),
    detectionTime: v.getFloat64(16, true),
    confidence: v.getFloat64(24, true),
    actionSeq: v.getUint32(32, true)
  }
}

export function decodeParking (b: Uint8Array): ParkingMap {
  if (b.length < 12) bad(`parking map has ${b.length} bytes`)
  const v = view(b)
  if (v.getUint32(0, true) !== PARKING_MAGIC) bad('parking magic')
  const count = v.getUint16(6, true)
  if (b.length !== 12 + 2 * count) bad('parking map length')
  const free: number[] = []
  for (let i = 0; i < count; i++) free.push(v.getUint16(12 + 2 * i, true))
  return { spots: v.getUint16(4, true), free, faulty: v.getUint16(8, true) }
}

/** Black-ice detector input: surface °C, air °C, relative humidity %. */
export function encodeIceReading (surfaceC: number, airC: number, humidity: number): Uint8Array {
  const out = new Uint8Array(24)
  const v = view(out)
  v.setFloat64(0, surfaceC, true)
  v.setFloat64(8, airC, true)
  v.setFloat64(16, humidity, true)
  return out
}

/** Crash detector input: peak deceleration m/s², speed before/after km/h, lane occupied s. */
export function encodeCrashFeatures (decel: number, speedBefore: number, speedAfter: number, occupiedS: number): Uint8Array {
  const out = new Uint8Array(32)
  const v = view(out)
  v.setFloat64(0, decel, true)
  v.setFloat64(8, speedBefore, true)
  v.setFloat64(16, speedAfter, true)
  v.setFloat64(24, occupiedS, true)
  return out
}

export function encodeFrame (f: Frame): Uint8Array {
  const out = new Uint8Array(8 + f.pixels.length)
  const v = view(out)
  v.setUint16(0, f.width, true)
  v.setUint16(2, f.height, true)
  out[4] = f.channels
  out.set(f.pixels, 8)
  return out
}

export function decodeFrame (b: Uint8Array): Frame {
  if (b.length < 8) bad(`frame has ${b.length} bytes`)
  const v = view(b)
  const width = v.getUint16(0, true)
  const height = v.getUint16(2, true)
  const channels = b[4]
  if (8 + width * height * channels !== b.length) bad('frame length does not match its header')
  return { width, height, channels, pixels: b.subarray(8) }
}

/** The image-normalise algorithm in plain TypeScript (same integer arithmetic). */
export function normaliseFrame (frame: Uint8Array): Uint8Array {
  const { channels: c, pixels } = decodeFrame(frame)
  const out = new Uint8Array(frame.length)
  out.set(frame.subarray(0, 8))
  const lut = new Uint8Array(256 * c)
  for (let ch = 0; ch < c; ch++) {
    let lo = 255
    let hi = 0
    for (let i = ch; i < pixels.length; i += c) {
      const v = pixels[i]
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    const span = hi - lo
    for (let v = 0; v < 256; v++) {
      const m = span > 0 ? Math.trunc(((v - lo) * 255 + (span >> 1)) / span) : v
      lut[ch * 256 + v] = Math.max(0, Math.min(255, m))
    }
  }
  for (let i = 0; i < pixels.length; i++) out[8 + i] = lut[(i % c) * 256 + pixels[i]]
  return out
}
