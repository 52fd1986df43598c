import assert from 'node:assert/strict'
import { once } from 'node:events'
import { after, before, describe, it } from 'node:test'
import { EfRuntime, encodeFrame, decodeFrame, loadCatalogue, normaliseFrame } from '../../unikernels/index.js'
import type { Catalogue, InvokeResult, Sandbox } from '../../unikernels/index.js'

async function until (what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setImmediate(resolve))
  }
}

describe('unikernels: runtime and blackboard', () => {
  let catalogue: Catalogue
  let runtime: EfRuntime

  before(async () => {
    catalogue = await loadCatalogue({ fixtures: true })
    runtime = new EfRuntime({}, { idleWorkers: 2, warmInstances: 1 })
    await runtime.start()
  })

  after(async () => {
    await runtime.stop()
  })

  it('compiles an image once per content hash and boots warm instances from the pool', async () => {
    const image = catalogue.get('fusion')
    assert.equal(await runtime.load(image), await runtime.load(image))
    const boots: boolean[] = []
    runtime.addEventListener('ef:boot', (e) => { if (e.detail.sandbox.manifest.name === 'fusion') boots.push(e.detail.warm) })
    const cold = await runtime.boot(image)
    await until('a warm fusion instance', () => runtime.stats().warm.fusion === 1)
    const warm = await runtime.boot(image)
    assert.deepEqual(boots, [false, true])
    assert.notEqual(cold.id, warm.id)
    // warm instances are fresh: separate memories
    assert.notEqual(cold.memory, warm.memory)
    await cold.stop()
    await warm.stop()
  })

  it('status, suspend, wake, stop and resource use', async () => {
    const ef = await runtime.boot(catalogue.get('parking-detector'))
    assert.equal(ef.status, 'ready')
    const statuses: string[] = []
    ef.addEventListener('status', (e) => { statuses.push(e.detail) })
    await ef.invoke(Uint8Array.of(0, 1, 0))
    const usage = await ef.usage()
    assert.equal(usage.invocations, 1)
    assert.equal(usage.outputs, 1)
    assert.ok(usage.memoryBytes >= 65536 && usage.memoryBytes <= usage.memoryLimitBytes)
    assert.equal(usage.timeLimitMs, ef.manifest.timeLimitMs)
    const cp = await ef.suspend()
    assert.ok(cp.length > 0)
    assert.equal(ef.status, 'suspended')
    await assert.rejects(ef.invoke(Uint8Array.of(0)), { name: 'SandboxStateError' })
    ef.wake()
    assert.equal((await ef.invoke(Uint8Array.of(0))).status, 'ok')
    await ef.stop()
    assert.equal(ef.status, 'stopped')
    // invoke, the checkpoint taken by suspend, suspended, wake, invoke, stop
    assert.deepEqual(statuses, ['running', 'ready', 'running', 'ready', 'suspended', 'ready', 'running', 'ready', 'stopped'])
    await assert.rejects(ef.invoke(Uint8Array.of(0)), { name: 'SandboxStateError' })
  })

  it('host to EF: a 250 KB payload is written once into the EF pages and read in place', async () => {
    const ef = await runtime.boot(catalogue.get('probe'))
    const payload = new Uint8Array(250 * 1024)
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff
    payload[0] = 7 // probe mode: checksum the input where it lies
    const r = await ef.invoke(payload)
    let sum = 0
    for (const b of payload) sum = (sum + b) >>> 0
    assert.equal(new DataView(r.outputs[0].bytes.buffer).getUint32(0, true), sum)
    const inbox = new Uint8Array(ef.memory.buffer, ef.manifest.inbox.offset, payload.length)
    assert.deepEqual(inbox, payload)
    await ef.stop()
  })

  it('EF to EF: output goes straight into the next EF inbox over the blackboard', async () => {
    const relay = await runtime.boot(catalogue.get('probe'))
    const normalise = await runtime.boot(catalogue.get('image-normalise'))
    await relay.link(normalise)
    // width 262 = 0x0106: the frame's first byte (6) is also the probe's relay mode
    const pixels = new Uint8Array(262 * 100 * 3)
    for (let i = 0; i < pixels.length; i++) pixels[i] = 90 + (i % 77)
    const frame = encodeFrame({ width: 262, height: 100, channels: 3, pixels })
    const chained = once(normalise, 'output') as Promise<[CustomEvent<InvokeResult>]>
    const r = await relay.invoke(frame)
    assert.deepEqual(r.outputs.map(o => ({ seq: o.seq, forwarded: o.forwarded, bytes: o.bytes.length })), [{ seq: 0, forwarded: true, bytes: 0 }])
    const [event] = await chained
    assert.equal(event.detail.status, 'ok')
    assert.deepEqual(event.detail.outputs[0].bytes, normaliseFrame(frame))
    assert.equal(decodeFrame(event.detail.outputs[0].bytes).width, 262)
    await relay.link(null)
    await relay.stop()
    await normalise.stop()
  })

  it('a failing EF is reported through runtime events; others are unaffected', async () => {
    const failed: Array<{ sandbox: Sandbox, error: Error }> = []
    runtime.addEventListener('ef:failed', (e) => { failed.push(e.detail) })
    const bad = await runtime.boot(catalogue.get('probe'))
    const good = await runtime.boot(catalogue.get('fusion'))
    await assert.rejects(bad.invoke(Uint8Array.of(3)), { name: 'EfTrapError' })
    assert.equal(failed.length, 1)
    assert.equal(failed[0].sandbox, bad)
    assert.equal(good.status, 'ready')
    await bad.stop()
    await good.stop()
  })

  it('refuses to boot before start and fails running EFs on stop', async () => {
    const other = new EfRuntime({}, { idleWorkers: 0 })
    await assert.rejects(other.boot(catalogue.get('fusion')), { name: 'SandboxStateError' })
    await other.start()
    const ef = await other.boot(catalogue.get('fusion'))
    await other.stop()
    assert.equal(ef.status, 'failed')
  })
})
