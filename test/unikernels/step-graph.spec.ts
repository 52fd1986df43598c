import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { EfRuntime, decodeCheckpoint, encodeCheckpoint, loadCatalogue } from '../../unikernels/index.js'
import type { Catalogue, EfOutput } from '../../unikernels/index.js'

const STEPS = 1000
const EVERY = 7

function flat (outputs: EfOutput[]): string[] {
  return outputs.map(o => `${o.seq}:${Buffer.from(o.bytes).toString('hex')}`)
}

describe('unikernels: Unimem step graph (MirageManager)', () => {
  let catalogue: Catalogue
  let runtime: EfRuntime

  before(async () => {
    catalogue = await loadCatalogue({ fixtures: true })
    runtime = new EfRuntime({ now: () => 1_000_000 }, { idleWorkers: 2 })
    await runtime.start()
  })

  after(async () => {
    await runtime.stop()
  })

  it('counter: 1000 steps straight equal 1000 steps with a checkpoint and fresh sandbox every 7', async () => {
    const image = catalogue.get('counter')
    const straight = await runtime.boot(image)
    // Listing 1 stops after round 250 (about 500 steps): raise the limit to reach 1000
    await straight.seed({ limit: 600n })
    const a = await straight.steps(STEPS)
    assert.equal(a.ran, STEPS)
    assert.equal(a.terminated, false)
    const expected = flat(a.outputs)
    assert.ok(expected.length > 400)
    await straight.stop()

    const first = await runtime.boot(image)
    await first.seed({ limit: 600n })
    let checkpoint = await first.checkpoint()
    await first.stop()
    const got: EfOutput[] = []
    let ran = 0
    let sandboxes = 0
    while (ran < STEPS) {
      const ef = await runtime.boot(image)
      sandboxes++
      await ef.resume(checkpoint)
      const r = await ef.steps(Math.min(EVERY, STEPS - ran))
      ran += r.ran
      got.push(...r.outputs)
      checkpoint = await ef.checkpoint()
      await ef.stop()
    }
    assert.equal(sandboxes, Math.ceil(STEPS / EVERY))
    assert.deepEqual(flat(got), expected)
    const state = decodeCheckpoint(checkpoint)
    assert.equal(state.steps, STEPS)
    assert.equal(state.outputSeq, expected.length)
    assert.equal(state.imageHash, image.manifest.hash)
  })

  it('counter: terminates after round 250 as in Listing 1', async () => {
    const ef = await runtime.boot(catalogue.get('counter'))
    const r = await ef.steps(10_000)
    assert.equal(r.terminated, true)
    assert.equal(r.lastStep, 'f1')
    // 251 visits of f1, 250 of f2 or f3
    assert.equal(r.ran, 501)
    assert.equal(r.outputs.length, 250)
    assert.equal(ef.status, 'terminated')
    const state = decodeCheckpoint(await ef.checkpoint())
    assert.equal(state.terminated, true)
    assert.equal(state.step, undefined)
    assert.deepEqual(state.unimem.find(([k]) => k === 'round')?.[1], 251n)
    await ef.stop()
  })

  it('detects ambiguous guards with a clear error', async () => {
    const ef = await runtime.boot(catalogue.get('graph-probe'))
    await ef.seed({ x: 0n })
    await assert.rejects(ef.steps(1), (err: Error & { image?: string }) => {
      assert.equal(err.name, 'AmbiguousGuardError')
      assert.equal(err.image, 'graph-probe')
      assert.match(err.message, /after step a, 2 guards are true: b \(guard 0\), c \(guard 1\)/)
      return true
    })
    await ef.stop()
  })

  it('takes the first true guard and terminates when none is true', async () => {
    const ef = await runtime.boot(catalogue.get('graph-probe'))
    await ef.seed({ x: -1n })
    const r = await ef.steps(10)
    assert.equal(r.ran, 2)
    assert.equal(r.terminated, true)
    assert.deepEqual(r.outputs.map(o => Buffer.from(o.bytes).toString()), ['a', 'ac'])
    const state = decodeCheckpoint(await ef.checkpoint())
    assert.deepEqual(state.unimem.find(([k]) => k === 'trail')?.[1], new TextEncoder().encode('ac'))
    await ef.stop()

    const first = new EfRuntime({}, { ambiguity: 'first', idleWorkers: 0 })
    await first.start()
    const lenient = await first.boot(catalogue.get('graph-probe'))
    await lenient.seed({ x: 0n })
    const l = await lenient.steps(10)
    assert.deepEqual(l.outputs.map(o => Buffer.from(o.bytes).toString()), ['a', 'ab'])
    await first.stop()
  })

  it('refuses a checkpoint of another image or a corrupted one', async () => {
    const counter = await runtime.boot(catalogue.get('counter'))
    const probe = await runtime.boot(catalogue.get('graph-probe'))
    const cp = await counter.checkpoint()
    await assert.rejects(probe.resume(cp), { name: 'CheckpointError' })
    await assert.rejects(counter.resume(cp.subarray(0, cp.length - 3)), { name: 'CheckpointError' })
    const state = decodeCheckpoint(cp)
    await assert.rejects(counter.resume(encodeCheckpoint({ ...state, step: 'f9' })), { name: 'CheckpointError' })
    await counter.stop()
    await probe.stop()
  })
})
