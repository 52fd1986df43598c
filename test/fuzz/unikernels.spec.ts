/**
 * Issue 9 item 6 for unikernels/: checkpoint and Unimem value decoding,
 * the EF record codecs, manifest parsing and image sealing with hostile wasm
 * bytes. Each returns a value or throws its documented typed error, quickly.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import {
  decodeCheckpoint, decodeDetection, decodeFrame, decodeHazard, decodeParking, decodeUnimemValue, encodeCheckpoint, encodeDetection,
  encodeFrame, encodeUnimemValue, parseManifest, readImports, sealImage, sha256Hex, type ImageManifest, type UnimemValue
} from '../../unikernels/index.js'
import { concat, damaged, hostileBytes, holds, holdsAsync, lengthField, params } from './harness.js'

const hex = (s: string): number[] => s.split(' ').map((h) => parseInt(h, 16))
const section = (id: number, body: number[]): number[] => [id, body.length, ...body]
const ascii = (s: string): number[] => [s.length, ...Buffer.from(s)]

/** The smallest image sealImage accepts: imports ecco.memory (shared, max 2), exports ecco_handle, one data byte at 4096. */
export const MINIMAL_WASM = Uint8Array.from([
  ...hex('00 61 73 6d 01 00 00 00'),
  ...section(1, hex('01 60 00 00')),
  ...section(2, [1, ...ascii('ecco'), ...ascii('memory'), 2, 3, 1, 2]),
  ...section(3, [1, 0]),
  ...section(7, [1, ...ascii('ecco_handle'), 0, 0]),
  ...section(10, hex('01 02 00 0b')),
  ...section(11, hex('01 00 41 80 20 0b 01 ff'))
])

export function manifestFor (bytes: Uint8Array, over: Partial<ImageManifest> = {}): ImageManifest {
  return {
    name: 'fuzz', version: '1', hash: sha256Hex(bytes), size: bytes.length, abi: 1, memoryLimitBytes: 2 * 65536, timeLimitMs: 100,
    sensors: [], stateful: false, inbox: { offset: 1024, capacity: 1024 }, ...over
  }
}

/** `depth` UnimemValues of kind LIST, each holding the next; the innermost is INT 0. Built in one pass. */
function nestedList (depth: number): Uint8Array {
  const leb = (n: number): number[] => { const o: number[] = []; do { o.push((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)); n = Math.floor(n / 128) } while (n > 0); return o }
  const prefixes: number[][] = []
  let len = 2
  for (let i = 0; i < depth; i++) {
    const p = [0x08, 0x06, 0x3a, ...leb(len)]
    prefixes.push(p)
    len += p.length
  }
  const out: number[] = []
  for (let i = depth - 1; i >= 0; i--) out.push(...prefixes[i])
  out.push(0x08, 0x01)
  return Uint8Array.from(out)
}

const SEAL = ['InvalidImageError', 'ForeignImportError', 'ImageHashMismatchError']

const unimemArb: fc.Arbitrary<UnimemValue> = fc.letrec<{ v: UnimemValue }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.double({ noNaN: true }), fc.boolean(), fc.string({ maxLength: 20 }),
    fc.uint8Array({ maxLength: 20 }), fc.array(tie('v'), { maxLength: 4 }))
})).v

const checkpointArb = fc.record({
  unimem: fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), unimemArb), { maxLength: 6, selector: ([k]) => k }),
  step: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
  steps: fc.nat(1000)
}).map(({ unimem, step, steps }) => encodeCheckpoint({ imageHash: 'ab'.repeat(32), imageName: 'ice', step, lastStep: undefined, terminated: false, unimem, outputSeq: 3, clock: 10, steps }))

/** Objects shaped like a manifest with random, missing and hostile fields (toString/valueOf that are not functions). */
const manifestLikeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.tuple(fc.constant(manifestFor(MINIMAL_WASM)), fc.dictionary(
    fc.constantFrom('name', 'version', 'hash', 'size', 'abi', 'memoryLimitBytes', 'timeLimitMs', 'sensors', 'stateful', 'inbox', 'description', 'fixture'),
    fc.oneof(fc.jsonValue(), fc.constant({ toString: 1, valueOf: 2 }), fc.constant(Object.create(null) as object))
  )).map(([m, over]) => ({ ...m, ...over }))
)

describe('fuzz: unikernels/ decoders', () => {
  it('decodeCheckpoint', () => {
    fc.assert(fc.property(hostileBytes(checkpointArb), holds('decodeCheckpoint', decodeCheckpoint, ['CheckpointError'])), params(9101, 300))
  })

  it('decodeCheckpoint and decodeUnimemValue refuse deep Unimem list nesting', () => {
    // a stack overflow deep in the generated decoder must still surface as the typed error
    const deep = nestedList(20_000)
    holds('decodeUnimemValue(deep)', decodeUnimemValue, ['UnimemTypeError'])(deep)
    const entry = concat(lengthField(1, Buffer.from('k')), lengthField(2, deep))
    holds('decodeCheckpoint(deep)', decodeCheckpoint, ['CheckpointError'])(concat(Uint8Array.from([0x08, 0x01]), lengthField(7, entry)))
  })

  it('decodeUnimemValue', () => {
    fc.assert(fc.property(hostileBytes(unimemArb.map(encodeUnimemValue)), holds('decodeUnimemValue', decodeUnimemValue, ['UnimemTypeError'])), params(9102, 300))
  })

  it('record codecs (detection, hazard, parking, frame)', () => {
    const valid = fc.oneof(
      fc.constant(encodeDetection({ kind: 1, detected: true, flags: 0, confidence: 0.9, time: 1, value: -3 })),
      fc.constant(encodeFrame({ width: 4, height: 2, channels: 3, pixels: new Uint8Array(24) }))
    )
    const records = (b: Uint8Array): void => {
      for (const d of [decodeDetection, decodeHazard, decodeParking, decodeFrame]) {
        try { d(b) } catch (err) { if ((err as Error).name !== 'InvalidImageError' && (err as Error).name !== 'RecordError') throw err }
      }
    }
    fc.assert(fc.property(hostileBytes(valid, 128), holds('records', records, [])), params(9103, 500))
  })

  it('parseManifest', () => {
    fc.assert(fc.property(manifestLikeArb, holds('parseManifest', parseManifest, ['InvalidManifestError'])), params(9104, 500))
  })

  it('readImports on hostile wasm', () => {
    fc.assert(fc.property(hostileBytes(fc.constant(MINIMAL_WASM)), holds('readImports', readImports, ['InvalidImageError'])), params(9105, 500))
  })

  it('sealImage seals the minimal image', async () => {
    const sealed = await sealImage({ manifest: manifestFor(MINIMAL_WASM), bytes: MINIMAL_WASM })
    assert.equal(sealed.graph, false)
  })

  it('sealImage on hostile wasm whose hash the manifest names', async () => {
    const seal = holdsAsync('sealImage', async (bytes: Uint8Array) => await sealImage({ manifest: manifestFor(bytes), bytes }), SEAL)
    await fc.assert(fc.asyncProperty(fc.oneof(damaged(fc.constant(MINIMAL_WASM)), fc.uint8Array({ maxLength: 256 }).map((b) => concat(MINIMAL_WASM.subarray(0, 8), b))), seal), params(9106, 200))
  })

  it('sealImage refuses bytes the manifest does not name', async () => {
    const differs = (b: Uint8Array): boolean => b.length !== MINIMAL_WASM.length || b.some((x, i) => x !== MINIMAL_WASM[i])
    await fc.assert(fc.asyncProperty(damaged(fc.constant(MINIMAL_WASM)).filter(differs), async (bytes) => {
      await assert.rejects(sealImage({ manifest: manifestFor(MINIMAL_WASM), bytes }), (err: Error) => SEAL.includes(err.name))
    }), params(9107, 100))
  })
})
