import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  DETECTION_KIND, EfRuntime, SensorAccessController, decodeDetection, decodeFrame, decodeHazard,
  decodeParking, dewPoint, encodeCrashFeatures, encodeDetection, encodeFrame, encodeIceReading,
  loadCatalogue, normaliseFrame
} from '../../unikernels/index.js'
import type { Catalogue, Detection, InvokeResult, Sandbox } from '../../unikernels/index.js'

// 2026-01-15 15:00 UTC: a mild afternoon in the emulated weather (mean air 12 °C)
const T0 = Date.UTC(2026, 0, 15, 15, 0, 0)

function detection (r: InvokeResult): Detection {
  assert.equal(r.status, 'ok', r.reason)
  assert.equal(r.outputs.length, 1)
  return decodeDetection(r.outputs[0].bytes)
}

describe('unikernels: catalogue', () => {
  let catalogue: Catalogue
  let runtime: EfRuntime
  let sac: SensorAccessController
  let clock = T0
  const booted: Sandbox[] = []

  async function boot (name: string): Promise<Sandbox> {
    const ef = await runtime.boot(catalogue.get(name))
    booted.push(ef)
    return ef
  }

  before(async () => {
    catalogue = await loadCatalogue()
    sac = new SensorAccessController({ now: () => clock }, {
      seed: 7,
      sensors: [
        { id: 'rst', type: 'road-surface-temperature', options: { meanAirC: 12 } },
        { id: 'air', type: 'air-temperature', options: { meanAirC: 12 } },
        { id: 'rh', type: 'relative-humidity', options: { meanAirC: 12 } },
        { id: 'acc', type: 'accelerometer' },
        { id: 'spd', type: 'speed' },
        { id: 'loop', type: 'loop-occupancy' },
        { id: 'park', type: 'parking-occupancy', options: { spots: 24 } },
        { id: 'cam', type: 'camera', options: { width: 32, height: 24 } }
      ]
    })
    runtime = new EfRuntime({ sac, now: () => clock }, { idleWorkers: 2 })
    await runtime.start()
  })

  after(async () => {
    for (const ef of booted) await ef.stop()
    await runtime.stop()
  })

  it('lists the seven catalogue EFs, sealed, each under 100 KB', () => {
    assert.deepEqual(catalogue.names().sort(), ['black-ice-detector', 'counter', 'crash-detector', 'fusion', 'hazard-broadcaster', 'image-normalise', 'parking-detector'])
    for (const image of catalogue.images.values()) {
      assert.ok(image.bytes.length < 100 * 1024, `${image.manifest.name} is ${image.bytes.length} bytes`)
      assert.equal(image.manifest.fixture, undefined)
    }
  })

  describe('black-ice-detector', () => {
    it('ice at and below 0 °C when the surface is at or below dew point + margin', async () => {
      const dew = dewPoint(1, 95)
      assert.ok(dew > 0 && dew < 1)
      const cases: Array<[number, number, number, boolean]> = [
        [-2, 1, 95, true], // below zero, humid: ice
        [0, 1, 95, true], // exactly 0 °C counts
        [0.1, 1, 95, false], // just above freezing
        [-3, 5, 30, false], // cold but dry: dew point about -11 °C, no frost
        [-0.5, -1, 80, false] // dew point about -4 °C: the surface is above dew + margin
      ]
      for (const [surface, air, rh, expected] of cases) {
        const ef = await boot('black-ice-detector')
        const d = detection(await ef.invoke(encodeIceReading(surface, air, rh)))
        assert.equal(d.kind, DETECTION_KIND.ice)
        assert.equal(d.detected, expected, `surface ${surface} air ${air} rh ${rh}`)
        assert.ok(d.confidence >= 0.5 && d.confidence <= 1)
        assert.ok(Math.abs(d.value - dewPoint(air, rh)) < 1e-9)
      }
    })

    it('holds the alarm with hysteresis until the surface is clearly above', async () => {
      const ef = await boot('black-ice-detector')
      const seq = [[-1, true, 0], [0.5, true, 1], [0.9, true, 1], [1.5, false, 0], [0.5, false, 0]] as const
      for (const [surface, iced, hold] of seq) {
        const d = detection(await ef.invoke(encodeIceReading(surface, 1, 95)))
        assert.equal(d.detected, iced, `surface ${surface}`)
        assert.equal(d.flags & 1, hold, `hold flag at ${surface}`)
      }
    })

    it('confidence grows with how far below the thresholds the surface is', async () => {
      const a = detection(await (await boot('black-ice-detector')).invoke(encodeIceReading(-0.2, 1, 95)))
      const b = detection(await (await boot('black-ice-detector')).invoke(encodeIceReading(-4, 1, 95)))
      assert.ok(b.confidence > a.confidence)
    })

    it('validation: damaged input asks for retransmission, impossible values are rejected', async () => {
      const ef = await boot('black-ice-detector')
      const short = await ef.invoke(new Uint8Array(10))
      assert.equal(short.status, 'retransmit')
      assert.match(short.reason ?? '', /input: length 10/)
      const wet = await ef.invoke(encodeIceReading(-1, 1, 150))
      assert.equal(wet.status, 'rejected')
      assert.match(wet.reason ?? '', /humidity/)
      const nan = await ef.invoke(encodeIceReading(NaN, 1, 50))
      assert.equal(nan.status, 'rejected')
      assert.match(nan.reason ?? '', /surface/)
      assert.equal(ef.status, 'ready')
    })

    it('reads its sensors through the SAC, and sees injected ice', async () => {
      clock = T0
      const warm = detection(await (await boot('black-ice-detector')).invoke())
      assert.equal(warm.detected, false)
      const id = sac.inject({ kind: 'ice', from: T0 - 60_000, to: T0 + 60_000 })
      const iced = detection(await (await boot('black-ice-detector')).invoke())
      assert.equal(iced.detected, true)
      sac.clear(id)
    })
  })

  describe('crash-detector', () => {
    const cases: Array<[string, [number, number, number, number], boolean, number]> = [
      ['impact and blocked lane', [35, 80, 0, 30], true, 6],
      ['hard braking without blockage', [8, 80, 30, 0], false, 2],
      ['slow queue to standstill', [3, 80, 0, 30], false, 4],
      ['sudden stop and blocked lane', [9, 90, 0, 15], true, 6],
      ['impact, traffic still flowing', [35, 80, 60, 0], false, 2]
    ]
    for (const [label, features, crash, flags] of cases) {
      it(label, async () => {
        const ef = await boot('crash-detector')
        const d = detection(await ef.invoke(encodeCrashFeatures(...features)))
        assert.equal(d.kind, DETECTION_KIND.crash)
        assert.equal(d.detected, crash)
        assert.equal(d.flags, flags)
      })
    }

    it('validation', async () => {
      const ef = await boot('crash-detector')
      assert.equal((await ef.invoke(new Uint8Array(31))).status, 'retransmit')
      const r = await ef.invoke(encodeCrashFeatures(10, -5, 0, 0))
      assert.equal(r.status, 'rejected')
      assert.match(r.reason ?? '', /speedBefore/)
    })

    it('through the SAC: impact peak held until the lane counts as blocked', async () => {
      const ef = await boot('crash-detector')
      const at = T0 + 3_600_000
      sac.inject({ kind: 'crash', at })
      clock = at - 2000
      assert.equal(detection(await ef.invoke()).detected, false)
      clock = at + 50
      const pulse = detection(await ef.invoke())
      assert.equal(pulse.detected, false)
      assert.ok(pulse.value > 20)
      clock = at + 15_000
      const d = detection(await ef.invoke())
      assert.equal(d.detected, true)
      sac.clear()
      clock = T0
    })
  })

  describe('parking-detector', () => {
    it('lists free spots and counts faulty sensors', async () => {
      const ef = await boot('parking-detector')
      const r = await ef.invoke(Uint8Array.of(0, 1, 0, 255, 1, 0))
      assert.equal(r.status, 'ok')
      assert.deepEqual(decodeParking(r.outputs[0].bytes), { spots: 6, free: [0, 2, 5], faulty: 1 })
      const bad = await ef.invoke(Uint8Array.of(0, 7))
      assert.equal(bad.status, 'retransmit')
      assert.match(bad.reason ?? '', /occupancy\[1\]/)
    })

    it('reads the parking-occupancy sensor with an injected occupancy', async () => {
      const ef = await boot('parking-detector')
      const id = sac.inject({ kind: 'parking', from: T0 - 1, to: T0 + 1, occupied: Array.from({ length: 22 }, (_, i) => i) })
      const r = await ef.invoke()
      assert.deepEqual(decodeParking(r.outputs[0].bytes), { spots: 24, free: [22, 23], faulty: 0 })
      sac.clear(id)
    })
  })

  describe('fusion', () => {
    const vote = (detected: boolean, confidence: number, value = 1): Uint8Array =>
      encodeDetection({ kind: DETECTION_KIND.ice, detected, flags: 0, confidence, time: T0, value })

    it('confidence-weighted majority vote', async () => {
      const ef = await boot('fusion')
      const yes = detection(await ef.invoke(Buffer.concat([vote(true, 0.9), vote(true, 0.6), vote(false, 0.8)])))
      assert.equal(yes.detected, true)
      assert.ok(Math.abs(yes.confidence - 1.5 / 2.3) < 1e-12)
      assert.equal(yes.flags, 3)
      // one confident yes outweighed by two fairly sure no
      const no = detection(await ef.invoke(Buffer.concat([vote(true, 0.9), vote(false, 0.7), vote(false, 0.7)])))
      assert.equal(no.detected, false)
      assert.ok(Math.abs(no.confidence - 1.4 / 2.3) < 1e-12)
    })

    it('validation', async () => {
      const ef = await boot('fusion')
      assert.equal((await ef.invoke(new Uint8Array(33))).status, 'retransmit')
      const crash = encodeDetection({ kind: DETECTION_KIND.crash, detected: true, flags: 0, confidence: 1, time: 0, value: 0 })
      const mixed = await ef.invoke(Buffer.concat([vote(true, 0.9), crash]))
      assert.equal(mixed.status, 'rejected')
      assert.match(mixed.reason ?? '', /record\[1\]: kind 2/)
      const broken = vote(true, 0.9)
      broken[0] = 0
      assert.equal((await ef.invoke(broken)).status, 'retransmit')
    })
  })

  describe('hazard-broadcaster', () => {
    it('turns a confident detection into a DENM-style hazard, numbering actions across a migration', async () => {
      const ef = await boot('hazard-broadcaster')
      const ice = encodeDetection({ kind: DETECTION_KIND.ice, detected: true, flags: 0, confidence: 0.8, time: T0, value: 0 })
      const r = await ef.invoke(ice)
      assert.equal(r.outputs[0].route, 'network')
      assert.deepEqual(decodeHazard(r.outputs[0].bytes), {
        cause: 6, subCause: 6, informationQuality: 6, kind: 1, validityS: 600, relevanceM: 1000, detectionTime: T0, confidence: 0.8, actionSeq: 1
      })
      assert.equal(decodeHazard((await ef.invoke(ice)).outputs[0].bytes).actionSeq, 2)
      const quiet = await ef.invoke(encodeDetection({ kind: DETECTION_KIND.ice, detected: false, flags: 0, confidence: 0.9, time: T0, value: 0 }))
      assert.deepEqual(quiet.outputs, [])
      const unsure = await ef.invoke(encodeDetection({ kind: DETECTION_KIND.ice, detected: true, flags: 0, confidence: 0.55, time: T0, value: 0 }))
      assert.deepEqual(unsure.outputs, [])
      const moved = await boot('hazard-broadcaster')
      await moved.resume(await ef.suspend())
      const crash = await moved.invoke(encodeDetection({ kind: DETECTION_KIND.crash, detected: true, flags: 0, confidence: 1, time: T0, value: 35 }))
      const h = decodeHazard(crash.outputs[0].bytes)
      assert.equal(h.cause, 2)
      assert.equal(h.actionSeq, 3)
      assert.equal(crash.outputs[0].seq, 2)
      await assert.rejects(ef.invoke(ice), { name: 'SandboxStateError' })
    })
  })

  describe('image-normalise', () => {
    it('stretches each channel to 0..255', async () => {
      const ef = await boot('image-normalise')
      // 2x1 pixels, 3 channels: channel ranges 50..150, 0..255, 7..7 (flat)
      const frame = encodeFrame({ width: 2, height: 1, channels: 3, pixels: Uint8Array.of(50, 0, 7, 150, 255, 7) })
      const r = await ef.invoke(frame)
      assert.equal(r.status, 'ok')
      assert.deepEqual([...decodeFrame(r.outputs[0].bytes).pixels], [0, 0, 7, 255, 255, 7])
      const mid = encodeFrame({ width: 3, height: 1, channels: 1, pixels: Uint8Array.of(50, 100, 150) })
      assert.deepEqual([...decodeFrame((await ef.invoke(mid)).outputs[0].bytes).pixels], [0, 128, 255])
    })

    it('matches the TypeScript reference on a 250 KB frame', async () => {
      const ef = await boot('image-normalise')
      const pixels = new Uint8Array(320 * 260 * 3)
      for (let i = 0; i < pixels.length; i++) pixels[i] = 60 + ((i * 2654435761) >>> 26)
      const frame = encodeFrame({ width: 320, height: 260, channels: 3, pixels })
      const r = await ef.invoke(frame)
      assert.equal(r.status, 'ok')
      assert.deepEqual(r.outputs[0].bytes, normaliseFrame(frame))
    })

    it('validation and the SAC camera', async () => {
      const ef = await boot('image-normalise')
      const two = encodeFrame({ width: 1, height: 1, channels: 2, pixels: Uint8Array.of(1, 2) })
      assert.equal((await ef.invoke(two)).status, 'rejected')
      assert.equal((await ef.invoke(encodeFrame({ width: 1, height: 1, channels: 3, pixels: Uint8Array.of(1, 2, 3) }).subarray(0, 9))).status, 'retransmit')
      const cam = await ef.invoke()
      const out = decodeFrame(cam.outputs[0].bytes)
      assert.equal(out.width, 32)
      for (let ch = 0; ch < 3; ch++) {
        const values = out.pixels.filter((_, i) => i % 3 === ch)
        assert.equal(Math.min(...values), 0)
        assert.equal(Math.max(...values), 255)
      }
    })

    it('reads the camera again and again on one instance (each read allocates a 520 KB buffer)', async () => {
      const ef = await boot('image-normalise')
      for (let i = 0; i < 8; i++) assert.equal((await ef.invoke()).status, 'ok', `camera read ${i + 1}`)
    })
  })

  describe('counter', () => {
    it('is the stateful step-graph EF', async () => {
      const ef = await boot('counter')
      assert.equal(ef.graph, true)
      assert.equal(ef.manifest.stateful, true)
    })
  })
})
