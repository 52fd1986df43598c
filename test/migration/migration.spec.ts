/**
 * Live migration and output commit between in-process peers: replication to k
 * replicas, exactly-once outputs at the sink, migration back and forth, drain.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { TestMesh } from '../helpers/mesh.js'
import { PEER_BIN } from '../helpers/processes.js'
import { waitFor } from '../helpers/wait.js'
import type { EccoPeer } from '../../node/peer.js'
import { COUNTER_LIMIT, SinkRecorder, checkpointMesh, feature, referenceOutputs } from './helpers.js'

const run = async (args: string[]): Promise<{ stdout: string, stderr: string }> => await promisify(execFile)(process.execPath, [PEER_BIN, ...args])

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

  it('an instance hosted on its own sink peer delivers there (regression: OUTPUT to self never succeeded)', async () => {
    // a failover or drain can land the instance on the consumer itself: it is a checkpoint peer too
    const [s] = peers
    const from = peers.find((p) => feature(p).service.hosted.get('counter-a')?.status === 'running')
    assert.ok(from !== undefined && from !== s)
    const before = sink.count('counter-a')
    await feature(from).migrate('counter-a', s.peerId.toString())
    const h = feature(s).service.hosted.get('counter-a')
    assert.equal(h?.status, 'running')
    await sink.waitFor('counter-a', before + 20, 10_000)
    await waitFor(() => h.outbox.length === 0, { timeoutMs: 10_000, message: () => `outbox of the instance on its sink holds ${h.outbox.length}` })
    sink.assertExact('counter-a', reference, 'hosted on the sink:')
    await feature(s).migrate('counter-a', from.peerId.toString())
    await sink.waitFor('counter-a', sink.count('counter-a') + 2)
    sink.assertExact('counter-a', reference, 'back from the sink:')
  })

  it('a host that starts with no live replica candidates refills its set once they appear (regression: quorum wait never re-armed)', async () => {
    const [s, b, c, d] = peers
    await mesh.partition([d], [s, b, c])
    await waitFor(() => feature(d).service.replicaCandidates().length === 0, { timeoutMs: 15_000, message: 'isolated peer still sees candidates' })
    const released = feature(d).service.counters.released
    const h = await feature(d).service.startInstance({ instance: 'counter-iso', image: 'counter', sink: s.peerId.toString(), seed: { limit: COUNTER_LIMIT } })
    await waitFor(() => h.latest !== undefined, { timeoutMs: 10_000, message: 'no first checkpoint' })
    assert.deepEqual(h.replicaSet, [], 'no replica to choose while isolated')
    assert.equal(feature(d).service.counters.released, released, 'nothing released without a quorum')
    mesh.heal()
    await sink.waitFor('counter-iso', 10, 20_000)
    // a quorum releases outputs before the second candidate is seen live again
    await waitFor(() => h.replicaSet.length === 2, { timeoutMs: 20_000, message: () => `the set refilled to ${h.replicaSet.length} of k = 2 replicas` })
    sink.assertExact('counter-iso', reference, 'after isolation:')
    await h.finish('stopped')
  })

  it('ecco-peer ef list / migrate talk to the running peer', async () => {
    const host = peers.find((p) => feature(p).service.hosted.has('counter-a'))
    const target = peers.find((p) => p !== host && p !== peers[0])
    assert.ok(host !== undefined && target !== undefined)
    const port = String(feature(host).controlPort)
    const list = JSON.parse((await run(['ef', 'list', '--control', port])).stdout) as { hosted: Array<{ instance: string, status: string }> }
    assert.deepEqual(list.hosted.map((h) => [h.instance, h.status]), [['counter-a', 'running']])
    const moved = JSON.parse((await run(['ef', 'migrate', 'counter-a', '--to', target.peerId.toString(), '--control', port])).stdout) as { to: string, epoch: number }
    assert.equal(moved.to, target.peerId.toString())
    assert.equal(feature(target).service.hosted.get('counter-a')?.epoch, moved.epoch)
    const bad = await run(['ef', 'migrate', 'counter-a', '--to', target.peerId.toString(), '--control', port]).catch((err: { code: number, stderr: string }) => err)
    assert.ok('code' in bad && bad.code === 2, 'migrating an instance the peer does not host exits 2')
    assert.match(bad.stderr, /not running on this peer/)
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
