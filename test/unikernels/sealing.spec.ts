import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  EfRuntime, SensorAccessController, decodeDetection, encodeIceReading, loadCatalogue,
  readImports, renameImportModules, sha256Hex
} from '../../unikernels/index.js'
import type { Catalogue, EfImage } from '../../unikernels/index.js'

/** Proves the peer is unaffected: another EF still answers. */
async function stillServing (runtime: EfRuntime, catalogue: Catalogue): Promise<void> {
  const ef = await runtime.boot(catalogue.get('black-ice-detector'))
  const r = await ef.invoke(encodeIceReading(-2, 1, 95))
  assert.equal(r.status, 'ok')
  assert.equal(decodeDetection(r.outputs[0].bytes).detected, true)
  await ef.stop()
}

function withBytes (image: EfImage, bytes: Uint8Array): EfImage {
  return { manifest: { ...image.manifest, hash: sha256Hex(bytes), size: bytes.length }, bytes }
}

describe('unikernels: sealing', () => {
  let catalogue: Catalogue
  let runtime: EfRuntime

  before(async () => {
    catalogue = await loadCatalogue({ fixtures: true })
    const sac = new SensorAccessController({}, {
      sensors: [{ id: 'air', type: 'air-temperature' }, { id: 'rst', type: 'road-surface-temperature' }]
    })
    runtime = new EfRuntime({ sac }, { idleWorkers: 2 })
    await runtime.start()
  })

  after(async () => {
    await runtime.stop()
  })

  it('rejects an image that imports outside the host ABI', async () => {
    const probe = catalogue.get('probe')
    // same bytes, but the emit import now comes from WASI instead of the ECCO module
    const bytes = renameImportModules(probe.bytes, { 'ecco.emit': 'wasi_snapshot_preview1' })
    assert.ok(readImports(bytes).some(i => i.module === 'wasi_snapshot_preview1'))
    await assert.rejects(runtime.boot(withBytes(probe, bytes)), (err: Error & { image?: string }) => {
      assert.equal(err.name, 'ForeignImportError')
      assert.equal(err.image, 'probe')
      assert.match(err.message, /wasi_snapshot_preview1\.emit/)
      return true
    })
    await stillServing(runtime, catalogue)
  })

  it('rejects bytes that do not match the manifest hash', async () => {
    const probe = catalogue.get('probe')
    const bytes = probe.bytes.slice()
    bytes[bytes.length - 1] ^= 0xff
    await assert.rejects(runtime.boot({ manifest: probe.manifest, bytes }), { name: 'ImageHashMismatchError' })
  })

  it('stops a memory bomb at its memory cap', async () => {
    const ef = await runtime.boot(catalogue.get('probe'))
    await assert.rejects(ef.invoke(Uint8Array.of(1)), (err: Error & { image?: string }) => {
      assert.equal(err.name, 'MemoryLimitError')
      assert.equal(err.image, 'probe')
      return true
    })
    assert.equal(ef.status, 'failed')
    assert.ok(ef.memory.buffer.byteLength <= ef.manifest.memoryLimitBytes)
    await ef.stop()
    await stillServing(runtime, catalogue)
  })

  it('terminates an endless loop at its wall-time cap without blocking the host', async () => {
    const ef = await runtime.boot(catalogue.get('probe'))
    let ticks = 0
    const timer = setInterval(() => { ticks++ }, 10)
    const started = performance.now()
    await assert.rejects(ef.invoke(Uint8Array.of(2)), (err: Error & { image?: string }) => {
      assert.equal(err.name, 'TimeLimitError')
      assert.equal(err.image, 'probe')
      return true
    })
    clearInterval(timer)
    const elapsed = performance.now() - started
    assert.ok(elapsed >= ef.manifest.timeLimitMs, `stopped after ${elapsed} ms`)
    assert.ok(elapsed < ef.manifest.timeLimitMs + 2000, `stopped after ${elapsed} ms`)
    // the host's event loop kept running while the EF spun
    assert.ok(ticks >= 5, `only ${ticks} timer ticks while the EF looped`)
    assert.equal(ef.status, 'failed')
    await ef.stop()
    await stillServing(runtime, catalogue)
  })

  it('stops an image whose start function loops, at its wall-time cap', async () => {
    // a hand-built module: imports only ecco.memory, exports ecco_handle, and its start
    // function is `loop br 0 end`, so instantiation itself never returns
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x02, 0x11, 0x01, 0x04, ...Buffer.from('ecco'), 0x06, ...Buffer.from('memory'), 0x02, 0x03, 0x01, 0x01,
      0x03, 0x03, 0x02, 0x00, 0x00,
      0x07, 0x0f, 0x01, 0x0b, ...Buffer.from('ecco_handle'), 0x00, 0x01,
      0x08, 0x01, 0x00,
      0x0a, 0x0c, 0x02, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x02, 0x00, 0x0b
    ])
    const probe = catalogue.get('probe')
    const started = performance.now()
    await assert.rejects(runtime.boot(withBytes(probe, bytes)), (err: Error & { image?: string }) => {
      assert.equal(err.name, 'TimeLimitError')
      assert.equal(err.image, 'probe')
      assert.match(err.message, /boot ran past/)
      return true
    })
    assert.ok(performance.now() - started >= probe.manifest.timeLimitMs)
    await stillServing(runtime, catalogue)
  })

  it('reports a trap with the image name', async () => {
    const ef = await runtime.boot(catalogue.get('probe'))
    await assert.rejects(ef.invoke(Uint8Array.of(3)), (err: Error & { image?: string }) => {
      assert.equal(err.name, 'EfTrapError')
      assert.equal(err.image, 'probe')
      assert.match(err.message, /unreachable/)
      return true
    })
    // a failed sandbox refuses further input with the same typed error
    await assert.rejects(ef.invoke(Uint8Array.of(5)), { name: 'EfTrapError' })
    await ef.stop()
    await stillServing(runtime, catalogue)
  })

  it('refuses a sensor the manifest does not declare', async () => {
    const ef = await runtime.boot(catalogue.get('probe'))
    // declared sensor: fine
    const ok = await ef.invoke(Uint8Array.of(5))
    assert.equal(ok.status, 'ok')
    assert.ok(Number.isFinite(new DataView(ok.outputs[0].bytes.buffer).getFloat64(0, true)))
    await assert.rejects(ef.invoke(Uint8Array.of(4)), (err: Error & { image?: string }) => {
      assert.equal(err.name, 'SensorAccessDeniedError')
      assert.equal(err.image, 'probe')
      assert.match(err.message, /road-surface-temperature/)
      return true
    })
    await ef.stop()
    await stillServing(runtime, catalogue)
  })

  it('rejects input larger than the inbox with a typed error', async () => {
    const ef = await runtime.boot(catalogue.get('counter'))
    await assert.rejects(ef.invoke(new Uint8Array(ef.manifest.inbox.capacity + 1)), { name: 'InputTooLargeError' })
    await ef.stop()
  })
})
