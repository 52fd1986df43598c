/**
 * sim-net's one-process mode over worker threads (`--shards`) with the real
 * peer: ecco-peers split between two shards of this process, a crash and a
 * restart that keeps the PeerId, a partition cut inside the shards' emulators
 * and its heal, and a report whose traffic comes from the shards.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { runSimNetCli, type ShardRuntime, type SimResults } from '../../sim-net/index.js'
import { simFactories } from '../../node/sim/factories.js'
import { simProcessFactories } from '../../node/sim/processes.js'

const SCENARIO = `
name: shard-road
duration: 16s
heartbeat: 500ms
sample: 500ms
convergenceTimeout: 6s
seed: 5
roads:
  r: { path: [[48.0, 11.0], [48.0, 11.008]] }
nodes:
  - { name: lamp, count: 4, road: { name: r, spacingM: 120 }, sensors: [road-surface-temperature] }
links:
  default: { latencyMs: 4, jitterMs: 0.5, bandwidthMbps: 20 }
events:
  - { at: 3s, crash: lamp-02 }
  - { at: 6s, restart: lamp-02 }
  - { at: 9s, partition: [[lamp-01, lamp-02], [lamp-03, lamp-04]], id: cut }
  - { at: 12s, heal: cut }
`

async function run (args: string[], provider: Parameters<typeof runSimNetCli>[1]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []; const err: string[] = []
  const code = await runSimNetCli(args, provider, { stdout: (t) => { out.push(t) }, stderr: (t) => { err.push(t) }, tty: false })
  return { code, out: out.join(''), err: err.join('') }
}

describe('sim-net --shards: one process, peers in worker threads', () => {
  let dir = ''
  let results: SimResults
  let runtime: ShardRuntime | undefined

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-sim-shards-'))
    await writeFile(join(dir, 'road.yaml'), SCENARIO)
    const r = await run(['run', join(dir, 'road.yaml'), '--shards', '2', '--json', '--out', join(dir, 'out')], (mode, { shards }) => {
      assert.equal(mode, 'one-process')
      const f = simProcessFactories(shards === undefined ? {} : { shards })
      runtime = f.runtime as ShardRuntime
      return f
    })
    assert.equal(r.code, 0, r.err + r.out.slice(0, 2000))
    results = JSON.parse(r.out) as SimResults
  })

  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('splits the peers between the shards', () => {
    assert.equal(results.mode, 'one-process')
    assert.equal(results.shards, 2)
    const shards = ['lamp-01', 'lamp-02', 'lamp-03', 'lamp-04'].map(n => runtime?.shardOf(n))
    assert.deepEqual([...new Set(shards)].sort(), ['shard-1', 'shard-2'])
    // the threads are this process: no peer process, the orchestrator's figures cover them
    assert.deepEqual(results.processes?.map(p => p.role), ['orchestrator'])
  })

  it('applies the faults inside the shards and the registry converges after each', () => {
    assert.equal(results.status, 'completed')
    assert.deepEqual(results.faults.map((f) => `${f.type} ${f.target} ${f.ok}`), ['crash lamp-02 true', 'restart lamp-02 true', 'partition cut true', 'heal cut true'])
    for (const c of results.convergence) assert.equal(c.status, 'converged', `${c.change}: ${c.status}`)
    assert.ok(results.timeSeries.livePeers.includes(3), 'one peer down between crash and restart')
    const cut = results.faults.find(f => f.type === 'partition')?.detail?.cutConnections
    assert.ok(typeof cut === 'number' && cut >= 1, 'the partition cut connections in the shards')
    assert.ok((results.links.stats.classes.default?.bytes ?? 0) > 0, 'traffic counted in the shards')
    assert.ok(results.nodes.every(n => n.peerId !== undefined && n.peerId !== ''), 'every peer reported its id')
  })

  it('refuses --shards with multi-process mode, a bad count, or factories that cannot shard', async () => {
    const yaml = join(dir, 'road.yaml')
    for (const [args, message] of [
      [['--shards', '2', '--processes'], /--shards is for one-process mode/],
      [['--shards', '0'], /--shards must be an integer in \[1, 64\], got "0"/],
      [['--shards', 'two'], /--shards must be an integer/]
    ] as const) {
      const r = await run(['run', yaml, ...args], () => simFactories())
      assert.equal(r.code, 2, args.join(' '))
      assert.match(r.err, message)
    }
    const plain = await run(['run', yaml, '--shards', '2'], simFactories())
    assert.equal(plain.code, 2)
    assert.match(plain.err, /--shards: these factories run every peer on one thread/)
  })
})
