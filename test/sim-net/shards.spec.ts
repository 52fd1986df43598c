/**
 * sim-net's shard runtime with its own calibration peers (no node/): peers
 * split over two worker threads, a link probe measured inside each shard,
 * and a shard that dies mid-run, whose peers become `exit` faults while the
 * other shard's peers run on. node/'s peers in shards are tested in
 * test/node/sim-net-shards.spec.ts.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { createShardRuntime, runScenario, validateScenario, type ShardRuntime, type SimResults } from '../../sim-net/index.js'

const ENTRY = fileURLToPath(new URL('./shard-entry.js', import.meta.url))

describe('shard runtime: peers in worker threads of this process', () => {
  let dir = ''
  let runtime: ShardRuntime
  let results: SimResults
  let probes: number[][] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-shards-'))
    runtime = createShardRuntime({ entry: ENTRY, shards: 2 })
    const scenario = validateScenario({
      name: 'shards',
      duration: '8s',
      heartbeat: '500ms',
      seed: 3,
      roads: { r: { path: [[48.0, 11.0], [48.0, 11.006]] } },
      nodes: [{ name: 'lamp', count: 4, road: { name: 'r', spacingM: 120 } }],
      links: { default: { latencyMs: 5, jitterMs: 0 } },
      events: [{ at: '5s', condition: 'ice', position: [48.0, 11.0], radiusM: 30, severity: 1, id: 'kills-its-shard' }]
    })
    results = await runScenario(scenario, {
      peers: runtime.peers,
      sensors: runtime.sensors,
      runtime,
      dataDir: dir,
      onProgress: (e) => {
        // between start-up and the condition: a probe of 1 s in each shard
        if (e.type === 'phase' && e.phase === 'running') void runtime.probe(1000, 50).then(p => { probes = p })
      }
    })
  })

  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('splits the peers between the shards and measures a link probe in each', () => {
    const shards = ['lamp-01', 'lamp-02', 'lamp-03', 'lamp-04'].map(n => runtime.shardOf(n))
    assert.deepEqual(shards.filter(s => s === 'shard-1').length, 2, shards.join(', '))
    assert.deepEqual(shards.filter(s => s === 'shard-2').length, 2, shards.join(', '))
    assert.equal(results.shards, 2)
    assert.equal(probes.length, 2)
    for (const rtts of probes) {
      assert.ok(rtts.length >= 5, `${rtts.length} round trips`)
      // two 5 ms hops each way at least
      assert.ok(rtts.every(t => t >= 10), rtts.join(', '))
    }
  })

  it('a shard that dies takes its peers with it, as exit faults; the other shard runs on', () => {
    const dead = runtime.shardOf('lamp-01')
    const lost = ['lamp-01', 'lamp-02', 'lamp-03', 'lamp-04'].filter(n => runtime.shardOf(n) === dead)
    const exits = results.faults.filter(f => f.type === 'exit')
    assert.deepEqual(exits.map(f => f.target).sort(), lost)
    for (const f of exits) {
      assert.equal(f.ok, false)
      assert.equal(f.error?.name, 'PeerProcessExitedError')
      assert.match(f.error?.message ?? '', new RegExp(`${dead ?? '?'} died`))
    }
    assert.equal(results.faults.find(f => f.type === 'condition')?.ok, false, 'the condition that killed the shard failed')
    assert.equal(results.timeSeries.livePeers.at(-1), 4 - lost.length)
  })
})
