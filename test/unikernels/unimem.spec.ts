import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  Unimem, decodeCheckpoint, decodeUnimemValue, encodeCheckpoint, encodeUnimemValue, loadCatalogue,
  readImports, renameImportModules
} from '../../unikernels/index.js'
import type { UnimemValue } from '../../unikernels/index.js'

describe('unikernels: Unimem and checkpoints', () => {
  it('round-trips every value type, lists of lists included', () => {
    const values: UnimemValue[] = [0n, -(2n ** 63n), 2n ** 63n - 1n, 3.25, -0.5, true, false, 'ü', new Uint8Array([1, 2, 255]),
      [1n, 2n], [[1.5, 2.5], [], [3.5]], [['a', new Uint8Array([9])], [true]]]
    for (const v of values) assert.deepEqual(decodeUnimemValue(encodeUnimemValue(v)), v)
  })

  it('typed getters refuse another type', () => {
    const u = new Unimem()
    u.set('n', 5n)
    u.set('f', 1.5)
    assert.equal(u.getInt('n', 0n), 5n)
    assert.equal(u.getInt('missing', 7n), 7n)
    assert.throws(() => u.getInt('f', 0n), { name: 'UnimemTypeError' })
    assert.throws(() => u.getFloat('n', 0), { name: 'UnimemTypeError' })
    assert.throws(() => decodeUnimemValue(Uint8Array.of(0xff, 0xff)), { name: 'UnimemTypeError' })
  })

  it('checkpoint carries image hash, step, Unimem, output sequence and clock', () => {
    const state = {
      imageHash: 'ab'.repeat(32),
      imageName: 'counter',
      step: 'f2',
      lastStep: 'f1',
      terminated: false,
      unimem: [['count', 12n], ['grid', [[1.5], [2.5, 3.5]]], ['round', 7n]] as Array<[string, UnimemValue]>,
      outputSeq: 6,
      clock: 1234.5,
      steps: 13
    }
    assert.deepEqual(decodeCheckpoint(encodeCheckpoint(state)), state)
  })

  it('rejects damaged or foreign checkpoints with CheckpointError', () => {
    assert.throws(() => decodeCheckpoint(Uint8Array.of(0x0a, 0xff)), { name: 'CheckpointError' })
    assert.throws(() => decodeCheckpoint(new Uint8Array(5 * 1024 * 1024)), { name: 'CheckpointError' })
    const wrongVersion = encodeCheckpoint({ imageHash: '00'.repeat(32), imageName: 'x', terminated: false, unimem: [], outputSeq: 0, clock: 0, steps: 0 })
    wrongVersion[1] = 9
    assert.throws(() => decodeCheckpoint(wrongVersion), { name: 'CheckpointError' })
  })

  it('build output imports only from module "ecco"; import renaming is byte exact', async () => {
    const catalogue = await loadCatalogue({ fixtures: true })
    for (const image of catalogue.images.values()) {
      const imports = readImports(image.bytes)
      assert.ok(imports.every(i => i.module === 'ecco'), `${image.manifest.name}: ${imports.map(i => i.module).join()}`)
      const memory = imports.find(i => i.kind === 'memory')?.memory
      assert.equal(memory?.shared, true)
      assert.ok((memory?.maximum ?? Infinity) * 65536 <= image.manifest.memoryLimitBytes)
    }
    const counter = catalogue.get('counter').bytes
    const there = renameImportModules(counter, { 'ecco.emit': 'elsewhere' })
    assert.deepEqual(renameImportModules(there, { 'elsewhere.emit': 'ecco' }), counter)
  })
})
