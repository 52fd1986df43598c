import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { resolvePeerConfig } from '../../node/cli/run-peer.js'
import { applyLayer, defaultConfig, parseConfigText } from '../../node/config/parse.js'

const base = defaultConfig('/tmp/x')
const reject = (yaml: string, pattern: RegExp): void => {
  assert.throws(() => applyLayer(base, parseConfigText(yaml, 'peer.yaml'), 'peer.yaml'), (err: Error) => {
    assert.equal(err.name, 'ConfigError')
    assert.match(err.message, pattern)
    return true
  })
}

describe('peer config', () => {
  it('reads every field of a full config', () => {
    const c = applyLayer(base, parseConfigText([
      'name: gantry-3',
      'position: { lat: 48.1, lon: 11.6 }',
      'tier: 2',
      'sensors: [{ type: camera, id: cam0 }, { type: air-temperature, unit: C }]',
      'radios: [its-g5, { type: lte-v2x, rangeM: 800 }]',
      'capacity: { cpuCores: 8, memoryMb: 16384, accelerator: tpu, maxEdgeFunctions: 32 }',
      'heartbeatMs: 250',
      'maxConnections: 48',
      'http: 9100'
    ].join('\n'), 'peer.yaml'), 'peer.yaml')
    assert.equal(c.name, 'gantry-3')
    assert.equal(c.tier, 2)
    assert.deepEqual(c.sensors.map((s) => s.id), ['cam0', 'air-temperature'])
    assert.deepEqual(c.radios[1], { type: 'lte-v2x', rangeM: 800 })
    assert.equal(c.capacity.accelerator, 'tpu')
    assert.equal(c.httpPort, 9100)
    assert.equal(c.maxConnections, 48)
  })

  it('names the bad field', () => {
    reject('position: { lat: 91, lon: 0 }', /position\.lat: must be a number in \[-90, 90\]/)
    reject('tier: 4', /tier: must be <= 3/)
    reject('sensors: [{ type: sonar }]', /sensors\[0\]\.type: must be one of/)
    reject('sensors: [{ type: camera }, { type: camera }]', /sensors\[1\]\.id: duplicate sensor id "camera"/)
    reject('radios: [{ type: wifi, rangeM: -1 }]', /radios\[0\]\.rangeM: must be >= 0/)
    reject('capacity: { memoryMb: lots }', /capacity\.memoryMb: must be a number/)
    reject('listen: [not-a-multiaddr]', /listen\[0\]: not a valid multiaddr/)
    reject('maxConnections: -1', /maxConnections: must be >= 0/)
    reject('colour: red', /colour: unknown field/)
    reject('position: [1, 2', /invalid YAML/)
  })

  it('lets flags override the file and requires --join or --bootstrap', async () => {
    await assert.rejects(resolvePeerConfig(['--data-dir', '/tmp/y']), /--join: give at least one multiaddr/)
    const c = await resolvePeerConfig(['--bootstrap', '--position', '1.5,2.5', '--tier', '3', '--data-dir', '/tmp/y'])
    assert.deepEqual(c.position, { lat: 1.5, lon: 2.5 })
    assert.equal(c.tier, 3)
    await assert.rejects(resolvePeerConfig(['--bootstrap', '--position', 'north']), (err: Error) => err.name === 'ConfigError' && /--position: expected "lat,lon"/.test(err.message))
    await assert.rejects(resolvePeerConfig(['--join', '/ip4/1.2.3.4/tcp/1', '--http', 'x']), /http: must be a number/)
  })
})
