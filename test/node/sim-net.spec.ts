/**
 * sim-net with the real peer: a small road of ecco-peers over the link
 * emulator, one crash and restart and one partition, ending in a report whose
 * numbers come from this run.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fmtNum, runSimNetCli, type SimResults } from '../../sim-net/index.js'
import { simFactories } from '../../node/sim/factories.js'

const SCENARIO = `
name: ecco-road
duration: 14s
heartbeat: 500ms
sample: 500ms
convergenceTimeout: 6s
seed: 11
roads:
  r: { path: [[48.0, 11.0], [48.0, 11.006]] }
nodes:
  - { name: lamp, count: 4, road: { name: r, spacingM: 120 }, sensors: [road-surface-temperature] }
links:
  default: { latencyMs: 4, jitterMs: 0.5, bandwidthMbps: 20 }
events:
  - { at: 2s, crash: lamp-02 }
  - { at: 5s, restart: lamp-02 }
  - { at: 8s, partition: [[lamp-01, lamp-02], [lamp-03, lamp-04]], id: cut }
  - { at: 11s, heal: cut }
`

describe('sim-net runs real ecco peers', () => {
  let dir = ''
  let results: SimResults
  let html = ''

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-sim-'))
    await writeFile(join(dir, 'road.yaml'), SCENARIO)
    const out: string[] = []; const err: string[] = []
    const code = await runSimNetCli(['run', join(dir, 'road.yaml'), '--json', '--out', join(dir, 'out')], simFactories(), {
      stdout: (t) => { out.push(t) }, stderr: (t) => { err.push(t) }, tty: false
    })
    assert.equal(code, 0, err.join(''))
    results = JSON.parse(out.join('')) as SimResults
    html = await readFile(join(dir, 'out', 'report.html'), 'utf8')
  })

  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('applies the faults and the registry converges after each', () => {
    assert.equal(results.status, 'completed')
    assert.deepEqual(results.faults.map((f) => `${f.type} ${f.target} ${f.ok}`), ['crash lamp-02 true', 'restart lamp-02 true', 'partition cut true', 'heal cut true'])
    for (const c of results.convergence) assert.equal(c.status, 'converged', `${c.change}: ${c.status}`)
    assert.ok(results.timeSeries.livePeers.includes(3), 'one peer down between crash and restart')
  })

  it('writes a report with the numbers of this run', () => {
    for (const c of results.convergence) {
      if (c.convergedMs !== undefined && c.change !== results.convergence[0].change) assert.ok(html.includes(`converged in ${fmtNum(c.convergedMs)} ms`), `report shows ${c.change}`)
    }
    assert.ok(html.includes('<svg'), 'inline plots')
    assert.ok(!/<script[^>]+src=|<link[^>]+href=/.test(html), 'self-contained')
  })
})
