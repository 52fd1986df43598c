/**
 * Shared harness of the migration tests: peers with the checkpoints feature, a sink
 * that records what it accepted, and the counter's uninterrupted reference run.
 */
import assert from 'node:assert/strict'
import { CheckpointsFeature, type SinkOutput } from '../../node/checkpoints/index.js'
import type { EccoPeer } from '../../node/peer.js'
import { EfRuntime, loadCatalogue } from '../../unikernels/index.js'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'

export const HEARTBEAT_MS = 500
export const GONE_AFTER = 3
/** large enough that the counter never terminates within a test */
export const COUNTER_LIMIT = 1_000_000_000

export function feature (peer: EccoPeer): CheckpointsFeature {
  const f = peer.features.get('checkpoints')
  assert.ok(f instanceof CheckpointsFeature, 'checkpoints feature is not running')
  return f
}

export interface MeshOptions {
  names: string[]
  stepIntervalMs?: number
  quorum?: number
}

/** Starts peers with the feature, all joined through the first, and waits until each sees every other live. */
export async function checkpointMesh (mesh: TestMesh, o: MeshOptions): Promise<EccoPeer[]> {
  const peers: EccoPeer[] = []
  for (const [i, name] of o.names.entries()) {
    peers.push(await mesh.add({
      name,
      position: { lat: 48.26 + i * 0.0005, lon: 11.66 },
      ...(i === 0 ? {} : { bootstrap: [mesh.addrOf(peers[0])] }),
      heartbeatMs: HEARTBEAT_MS,
      config: { goneAfterHeartbeats: GONE_AFTER, sections: { checkpoints: { replicas: 2, quorum: o.quorum ?? 1, stepIntervalMs: o.stepIntervalMs ?? 5, controlPort: 0, gcAfterMs: 60_000 } } }
    }))
  }
  await waitAllLive(peers, peers.map((p) => p.peerId.toString()))
  return peers
}

export async function waitAllLive (peers: EccoPeer[], ids: string[]): Promise<void> {
  await waitFor(() => peers.every((p) => ids.every((id) => id === p.peerId.toString() || feature(p).service.replicaCandidates().includes(id))), {
    timeoutMs: 20_000, message: 'checkpoint peers did not see each other live'
  })
}

/** Records every output a sink accepted, per instance. */
export class SinkRecorder {
  readonly outputs: SinkOutput[] = []
  constructor (sink: EccoPeer) {
    feature(sink).service.addEventListener('sink:output', (e) => { this.outputs.push(e.detail) })
  }

  count (instance: string): number {
    return this.outputs.filter((o) => o.instance === instance).length
  }

  async waitFor (instance: string, n: number, timeoutMs = 20_000): Promise<void> {
    await waitFor(() => this.count(instance) >= n, { timeoutMs, message: () => `${instance}: ${this.count(instance)} of ${n} outputs` })
  }

  /**
   * Waits for `n` outputs while they keep coming: fails only when none arrives for
   * `stallMs` (a stall), not when an overloaded machine makes them slow.
   */
  async waitProgress (instance: string, n: number, stallMs = 20_000): Promise<void> {
    let last = this.count(instance)
    let lastAt = Date.now()
    await waitFor(() => {
      const c = this.count(instance)
      if (c !== last) { last = c; lastAt = Date.now() }
      if (c < n && Date.now() - lastAt > stallMs) throw new Error(`${instance}: stalled at ${c} of ${n} outputs, none for ${stallMs} ms`)
      return c >= n
    }, { timeoutMs: 10 * 60_000, message: () => `${instance}: ${this.count(instance)} of ${n} outputs` })
  }

  /** Asserts the accepted outputs are exactly the reference sequence's prefix: no gap, no duplicate. */
  assertExact (instance: string, reference: Uint8Array[], context = ''): void {
    const got = this.outputs.filter((o) => o.instance === instance)
    got.forEach((o, i) => {
      assert.equal(o.seq, i, `${context} output #${i} has seq ${o.seq} (gap or duplicate)`)
      assert.ok(i < reference.length, `${context} more outputs than the reference run`)
      assert.deepEqual(Buffer.from(o.data), Buffer.from(reference[i]), `${context} output ${i} differs from the uninterrupted run`)
    })
  }
}

/** The counter's first `n` outputs in an uninterrupted run on one sandbox. */
export async function referenceOutputs (n: number): Promise<Uint8Array[]> {
  const catalogue = await loadCatalogue()
  const runtime = new EfRuntime({}, { idleWorkers: 0 })
  await runtime.start()
  try {
    const ef = await runtime.boot(catalogue.get('counter'))
    await ef.seed({ limit: BigInt(COUNTER_LIMIT) })
    const out: Uint8Array[] = []
    while (out.length < n) {
      const r = await ef.steps(64)
      for (const o of r.outputs) out.push(o.bytes)
    }
    await ef.stop()
    return out
  } finally {
    await runtime.stop()
  }
}
