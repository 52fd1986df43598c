/**
 * Regression (found by `npm run chaos` at 30 peers with the black-ice pipeline): a stateful
 * stage whose state could not be loaded handed every queued input back after 200 ms, and
 * each of them booted a sandbox and asked every holder again (a FETCH round per input,
 * every 200 ms), which kept an overloaded road from ever recovering. Now a failure pauses
 * the instance, doubling per failure in a row: the inputs queued meanwhile wait it out.
 * Pure logic: a stub host and a state that never loads.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { StageInstance, type StageHost, type StageState } from '../../node/pipelines/stage.js'
import { Role, type Bundle, type PipelineDescriptor, type Stage } from '../../protocols/index.js'
import type { EfImage, Sandbox } from '../../unikernels/index.js'
import { waitFor } from '../helpers/wait.js'

const stage: Stage = { name: 'broadcast', role: Role.ROLE_FINALE, after: ['detect'], replicas: 1, everyCapable: false }
const bundle = (run: number): Bundle => ({ version: 1, pipelineId: 'p', run: BigInt(run), fromStage: 'detect', fromSlot: 0, toStage: 'broadcast', sequence: 0, payload: new Uint8Array(32), partial: false, degraded: false })

describe('a stateful stage whose state cannot be loaded', () => {
  it('pauses, doubling the pause, instead of retrying every queued input at once', async () => {
    const attaches: number[] = []
    let boots = 0
    const state: StageState = {
      attach: async () => { attaches.push(Date.now()); throw new Error('no holder answered') },
      replay: () => undefined,
      commit: async () => {}
    }
    const sandbox = { status: 'ready', stop: async () => {} } as unknown as Sandbox
    const host: StageHost = {
      descriptor: { id: 'p', stages: [{ ...stage, name: 'detect', role: Role.ROLE_START, after: [] }, stage] } as unknown as PipelineDescriptor,
      boot: async () => { boots++; return sandbox },
      expectedSenders: () => new Set(),
      complete: async () => {},
      failure: () => {},
      discard: async () => {},
      joined: async () => false,
      bootPerRun: false,
      stateful: () => state
    }
    const image = { manifest: { stateful: true } } as unknown as EfImage
    const inst = new StageInstance(host, stage, 0, image, () => false)
    try {
      for (let run = 0; run < 20; run++) inst.deliver({ key: `p/${run}/detect.0/broadcast/0`, bundle: bundle(run) })
      await waitFor(() => attaches.length >= 3, { timeoutMs: 10_000, message: () => `${attaches.length} attach attempts` })
      // one attempt per pause, not one per queued input (20 a round before)
      assert.equal(attaches.length, 3, `attempts: ${attaches.length}`)
      assert.equal(boots, 3)
      const gaps = [attaches[1] - attaches[0], attaches[2] - attaches[1]]
      assert.ok(gaps[0] >= 190 && gaps[1] >= 390, `pauses ${gaps.join(', ')} ms`)
    } finally {
      await inst.stop()
    }
  })
})
