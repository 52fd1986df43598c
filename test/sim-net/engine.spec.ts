/**
 * The scenario engine and CLI end to end with real libp2p peers over the
 * link emulator. The peers are sim-net's libp2p-only calibration peers (TCP,
 * Noise, Yamux, gossip membership), not ecco-peer: node/ is tested against
 * the same engine by the lead.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createBarePeerFactory, fmtNum, runScenario, runSimNetCli, validateScenario } from '../../sim-net/index.js'
import type { SimResults } from '../../sim-net/index.js'

const SCENARIO = `
name: engine-e2e
duration: 10s
heartbeat: 200ms
sample: 250ms
convergenceTimeout: 4s
seed: 3
roads:
  r: { path: [[48.0, 11.0], [48.0, 11.006]] }
nodes:
  - { name: n, count: 4, road: { name: r, spacingM: 100 } }
links:
  default: { latencyMs: 3, jitterMs: 0.5, bandwidthMbps: 20 }
  classes:
    near: { latencyMs: 2, bandwidthMbps: 10, loss: 0.01 }
  rules:
    - { class: near, maxDistanceM: 150 }
events:
  - { at: 1.5s, crash: n-02 }
  - { at: 3.5s, restart: n-02 }
  - { at: 5.5s, partition: [[n-01, n-02], [n-03, n-04]], id: cut }
  - { at: 7.5s, heal: cut }
`

function capture (): { out: string[], err: string[], io: { stdout: (t: string) => void, stderr: (t: string) => void, tty: boolean } } {
  const out: string[] = []; const err: string[] = []
  return { out, err, io: { stdout: t => { out.push(t) }, stderr: t => { err.push(t) }, tty: false } }
}

describe('scenario engine with real peers (sim-net run)', () => {
  let dir = ''
  let results: SimResults
  let html = ''
  const factories = { peers: createBarePeerFactory({ goneAfterHeartbeats: 4 }) }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-net-e2e-'))
    await writeFile(join(dir, 'e2e.yaml'), SCENARIO)
    const c = capture()
    const code = await runSimNetCli(['run', join(dir, 'e2e.yaml'), '--json', '--out', join(dir, 'out')], factories, c.io)
    assert.equal(code, 0, c.err.join(''))
    assert.equal(c.out.length, 1, '--json prints only the results')
    results = JSON.parse(c.out[0])
    assert.deepEqual(JSON.parse(await readFile(join(dir, 'out', 'results.json'), 'utf8')), results)
    html = await readFile(join(dir, 'out', 'report.html'), 'utf8')
  })

  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('applies every timed fault and the registry converges after each change', () => {
    assert.equal(results.status, 'completed')
    assert.deepEqual(results.faults.map(f => `${f.type} ${f.target} ${f.ok}`), ['crash n-02 true', 'restart n-02 true', 'partition cut true', 'heal cut true'])
    assert.deepEqual(results.convergence.map(c => c.change), ['start of 4 peers', 'crash n-02', 'restart n-02', 'partition cut', 'heal cut'])
    for (const c of results.convergence) assert.equal(c.status, 'converged', `${c.change}: ${c.status}`)
    const crash = results.convergence[1].convergedMs ?? 0
    // the crashed peer is declared gone after 4 heartbeats of 200 ms without news
    assert.ok(crash >= 700 && crash < 4000, `crash detected after ${crash} ms`)
    const n2 = results.nodes.find(n => n.name === 'n-02')
    assert.equal(n2?.crashes, 1)
    assert.equal(n2?.restarts, 1)
    assert.ok(results.nodes.every(n => n.state === 'stopped'))
  })

  it('counts traffic per link class and cuts connections on partition', () => {
    const near = results.links.stats.classes.near
    assert.ok(near.bytes > 0 && near.messages > 0)
    assert.ok(near.lostSegments > 0, 'the 1% loss class lost some segments')
    const cut = results.faults.find(f => f.type === 'partition')?.detail?.cutConnections
    assert.ok(typeof cut === 'number' && cut > 0, `partition cut ${String(cut)} connections`)
    assert.ok(results.timeSeries.t.length >= 30, 'sampled every 250 ms')
    assert.ok(results.timeSeries.livePeers.includes(3), 'one peer down between crash and restart')
    assert.ok(results.timeSeries.metrics.heartbeats_sent.some(v => v !== null && v > 0))
  })

  it('writes a report whose numbers come from the run', () => {
    for (const f of results.faults) {
      const c = f.convergence === undefined ? undefined : results.convergence[f.convergence]
      if (c?.convergedMs !== undefined) assert.ok(html.includes(`converged in ${fmtNum(c.convergedMs)} ms`), `report shows ${f.type} convergence`)
    }
    assert.ok(html.includes(`${results.links.stats.classes.near.lostSegments}/${results.links.stats.classes.near.segments}`))
    assert.ok(html.includes(`<td>${results.totals.heartbeats_sent}</td>`) || html.includes(fmtNum(results.totals.heartbeats_sent)))
  })
})

describe('sim-net CLI and engine errors', () => {
  it('exits 3 naming the missing capability, before starting any peer', async () => {
    const c = capture()
    let created = 0
    const peers = { createPeer: async () => { created++; throw new Error('must not be called') } }
    const code = await runSimNetCli(['run', resolve(process.cwd(), 'sim-net/scenarios/black-ice.yaml'), '--json'], { peers }, c.io)
    assert.equal(code, 3)
    assert.match(c.err.join(''), /capability hazards\/vehicles not available/)
    assert.equal(created, 0)
  })

  it('exits 2 on a bad scenario with the path of the field, and on bad flags', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-net-cli-'))
    try {
      await writeFile(join(dir, 'bad.yaml'), 'name: bad\nduration: 10s\nnodes:\n  - { name: a, position: { lat: 123, lon: 1 } }\n')
      const c = capture()
      assert.equal(await runSimNetCli(['run', join(dir, 'bad.yaml')], { peers: createBarePeerFactory() }, c.io), 2)
      assert.match(c.err.join(''), /nodes\[0\]\.position\.lat: must be a number in \[-90, 90\], got 123/)
      const c2 = capture()
      assert.equal(await runSimNetCli(['run', join(dir, 'bad.yaml'), '--sed', '3'], { peers: createBarePeerFactory() }, c2.io), 2)
      assert.match(c2.err.join(''), /unknown option --sed/)
      const c3 = capture()
      assert.equal(await runSimNetCli(['validate', resolve(process.cwd(), 'sim-net/scenarios/city-grid-soak.yaml')], { peers: createBarePeerFactory() }, c3.io), 0)
      assert.match(c3.out.join(''), /city-grid-soak: valid\n {2}200 nodes/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('stops every peer and reports "aborted" when the signal fires', async () => {
    const s = validateScenario({ name: 'abort', duration: '60s', heartbeat: '200ms', nodes: [{ name: 'a', count: 2, grid: { origin: [48, 11], rows: 1, cols: 2, spacingM: 50 } }] })
    const stopped: string[] = []
    const base = createBarePeerFactory()
    const peers = {
      createPeer: async (spec: Parameters<typeof base.createPeer>[0]) => {
        const h = await base.createPeer(spec)
        return { ...h, stop: async () => { stopped.push(spec.name); await h.stop() } }
      }
    }
    const r = await runScenario(s, { peers, signal: AbortSignal.timeout(1500) })
    assert.equal(r.status, 'aborted')
    assert.equal(r.ok, false)
    assert.deepEqual(stopped.sort(), ['a-01', 'a-02'])
  })
})
