import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SensorAccessController, dewPoint } from '../../unikernels/index.js'
import type { SensorConfig } from '../../unikernels/index.js'

const T0 = Date.UTC(2026, 0, 15, 0, 0, 0)
const HOUR = 3_600_000
const SENSORS: SensorConfig[] = [
  { id: 'rst', type: 'road-surface-temperature' },
  { id: 'air', type: 'air-temperature' },
  { id: 'rh', type: 'relative-humidity' },
  { id: 'dew', type: 'dew-point' },
  { id: 'spd', type: 'speed' },
  { id: 'cam', type: 'camera' },
  { id: 'vms', type: 'message-sign' }
]

function series (sac: SensorAccessController, name: string, hours: number): number[] {
  return Array.from({ length: hours }, (_, h) => sac.read(name, T0 + h * HOUR) as number)
}

describe('unikernels: sensor access controller', () => {
  it('emulated series are seeded: same seed same values, other seed other values', () => {
    const a = new SensorAccessController({}, { seed: 3, sensors: SENSORS })
    const b = new SensorAccessController({}, { seed: 3, sensors: SENSORS })
    const c = new SensorAccessController({}, { seed: 4, sensors: SENSORS })
    assert.deepEqual(series(a, 'rst', 48), series(b, 'rst', 48))
    assert.notDeepEqual(series(a, 'rst', 48), series(c, 'rst', 48))
    assert.deepEqual(a.read('cam', T0), b.read('cam', T0))
  })

  it('temperatures follow a day: warmest afternoon, coldest before dawn; humidity is physical', () => {
    const sac = new SensorAccessController({}, { seed: 5, sensors: SENSORS })
    const air = series(sac, 'air', 24)
    assert.ok(air[15] > air[3] + 5, `15:00 ${air[15]} vs 03:00 ${air[3]}`)
    for (let h = 0; h < 24; h++) {
      const rh = sac.read('rh', T0 + h * HOUR) as number
      assert.ok(rh > 0 && rh <= 100)
      const dew = sac.read('dew', T0 + h * HOUR) as number
      // each sensor has its own measurement noise: the dew-point sensor agrees within it
      assert.ok(Math.abs(dew - dewPoint(sac.read('air', T0 + h * HOUR) as number, rh)) < 1.5)
    }
  })

  it('injected ice holds only inside its window; an override replaces a reading', () => {
    const sac = new SensorAccessController({}, { seed: 5, sensors: [{ id: 'rst', type: 'road-surface-temperature', options: { meanAirC: 15 } }, { id: 'spd', type: 'speed' }] })
    const at = T0 + 14 * HOUR
    assert.ok((sac.read('rst', at) as number) > 5)
    const id = sac.inject({ kind: 'ice', from: at, to: at + HOUR, surfaceC: -3 })
    assert.ok((sac.read('road-surface-temperature', at + 1000) as number) <= -3)
    assert.ok((sac.read('rst', at + HOUR) as number) > 0)
    sac.inject({ kind: 'override', sensor: 'speed', from: at, to: at + 1, value: 12 })
    assert.equal(sac.read('spd', at), 12)
    assert.deepEqual(sac.injected().map(c => c.id).includes(id), true)
    sac.clear()
    assert.deepEqual(sac.injected(), [])
    assert.throws(() => sac.inject({ kind: 'ice', from: 5, to: 5 }), { name: 'InvalidSensorConfigError' })
    assert.throws(() => sac.inject({ kind: 'override', sensor: 'lidar', from: 0, to: 1, value: 0 }), { name: 'UnknownSensorError' })
  })

  it('shared leases run together; an exclusive lease waits for them and queued readers wait for it', async () => {
    const sac = new SensorAccessController({}, { sensors: SENSORS })
    const r1 = await sac.acquire('ef-a', 'vms')
    const r2 = await sac.acquire('ef-b', 'vms')
    const order: string[] = []
    const x = sac.acquire('ef-c', 'vms', { mode: 'exclusive' }).then(l => { order.push('x'); return l })
    const r3 = sac.acquire('ef-d', 'vms').then(l => { order.push('r3'); return l })
    await Promise.resolve()
    assert.deepEqual(order, [])
    r1.release()
    await Promise.resolve()
    assert.deepEqual(order, [])
    r2.release()
    const lease = await x
    assert.deepEqual(order, ['x'])
    lease.write(new TextEncoder().encode('ICE AHEAD'))
    assert.throws(() => { r1.write(new Uint8Array(0)) }, { name: 'SensorAccessDeniedError' })
    lease.release()
    const reader = await r3
    assert.deepEqual(order, ['x', 'r3'])
    assert.equal(new TextDecoder().decode(reader.read() as Uint8Array), 'ICE AHEAD')
    reader.release()
  })

  it('a queued lease can be aborted', async () => {
    const sac = new SensorAccessController({}, { sensors: SENSORS })
    const held = await sac.acquire('a', 'vms', { mode: 'exclusive' })
    const ctl = new AbortController()
    const waiting = sac.acquire('b', 'vms', { signal: ctl.signal })
    ctl.abort()
    await assert.rejects(waiting, { name: 'AbortError' })
    held.release()
    ;(await sac.acquire('c', 'vms', { mode: 'exclusive' })).release()
  })

  it('an EF snapshot covers only declared sensors', async () => {
    const sac = new SensorAccessController({ now: () => T0 }, { sensors: SENSORS })
    const snap = await sac.snapshot('black-ice-detector', ['rst', 'air'])
    assert.deepEqual(Object.keys(snap), ['rst', 'air'])
    await assert.rejects(sac.snapshot('black-ice-detector', ['rst'], ['cam']), { name: 'SensorAccessDeniedError' })
    assert.throws(() => sac.read('lidar'), { name: 'UnknownSensorError' })
    assert.throws(() => new SensorAccessController({}, { sensors: [{ id: 'a', type: 'speed', driver: 'gpio' }] }), { name: 'InvalidSensorConfigError' })
    assert.equal(sac.list().find(s => s.id === 'vms')?.actuator, true)
    assert.equal(sac.list().find(s => s.id === 'rst')?.unit, '°C')
  })
})
