/**
 * Live migration and output commit between in-process peers: replication to k
 * replicas, exactly-once outputs at the sink, migration back and forth, drain.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TestMesh } from '../helpers/mesh.js'
import { waitFor } from '../helpers/wait.js'
import type { EccoPeer } from '../../node/peer.js'
import { COUNTER_LIMIT, SinkRecorder, checkpointMesh, feature, referenceOutputs } from './helpers.js'

describe('live migration', () => {
  const mesh = new TestMesh()
  let peers: EccoPeer[]
  let sink: SinkRecorder
  let reference: Uint8Array[]

  before(async () => {
    peers = await checkpointMesh(mesh, { names: ['sink', 'b', 'c', 'd'] })
    sink = new SinkRecorder(peers[0])
    reference = await referenceOutputs(4000)
  })
  after(async () => { await mesh.stop() })

  it('replicates checkpoints to k replicas and commits outputs in order', async () => {
    const [s, b] = peers
    const h = await feature(b).service.startInstance({ instance: 'counter-a', image: 'counter', sink: s.peerId.toString(), seed: { limit: COUNTER_LIMIT } })
    await sink.waitFor('counter-a', 30)
    assert.equal(h.replicaSet.length, 2)
    assert.ok(!h.replicaSet.includes(b.peerId.toString()))
    for (const r of h.replicaSet) {
      const holder = peers.find((p) => p.peerId.toString() === r)
      assert.ok(holder !== undefined)
      await waitFor(() => feature(holder).service.replicas.get('counter-a') !== undefined, { timeoutMs: 5000, message: `replica ${r} holds nothing` })
    }
    sink.assertExact('counter-a', reference)
  })

  it('migrates back and forth 50 times with continuous outputs', async () => {
    const [, b, c] = peers
    let from = b
    let to = c
    const pauses: number[] = []
    for (let i = 0; i < 50; i++) {
      const before = sink.count('counter-a')
      const r = await feature(from).migrate('counter-a', to.peerId.toString())
      pauses.push(r.pausedMs)
      assert.equal(feature(to).service.hosted.get('counter-a')?.status, 'running', `migration ${i}: target not running`)
      assert.equal(feature(from).service.hosted.has('counter-a'), false, `migration ${i}: source still hosts`)
      await sink.waitFor('counter-a', before + 2)
      ;[from, to] = [to, from]
    }
    sink.assertExact('counter-a', reference, 'after 50 migrations:')
    const epoch = feature(from).service.hosted.get('counter-a')?.epoch
    assert.equal(epoch, 51)
    pauses.sort((x, y) => x - y)
    process.stdout.write(`# 50 migrations: paused p50 ${pauses[25].toFixed(1)} ms, max ${pauses[49].toFixed(1)} ms\n`)
  })

  it('drain moves every hosted instance away', async () => {
    const host = peers.find((p) => feature(p).service.hosted.has('counter-a'))
    assert.ok(host !== undefined)
    const before = sink.count('counter-a')
    const results = await feature(host).drain()
    assert.equal(results.length, 1)
    assert.ok(!('error' in results[0]), JSON.stringify(results[0]))
    assert.equal(feature(host).service.hosted.size, 0)
    await sink.waitFor('counter-a', before + 10)
    sink.assertExact('counter-a', reference, 'after drain:')
  })
})
