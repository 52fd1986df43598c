/**
 * sim-net with the real peer: a small road of ecco-peers over the link
 * emulator, one crash and restart and one partition, ending in a report whose
 * numbers come from this run; and the black ice end to end with everything
 * node/ provides: roadside peers with certificates, the black-ice pipeline
 * submitted through the cabinet and signed with the run's issuer key, ice
 * injected into the SACs of the lampposts near it, and a real ecco-vehicle
 * driving toward the ice, which must show the warning.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { SIM_SERIES, fmtNum, runSimNetCli, type SimResults } from '../../sim-net/index.js'
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

const PIPELINE = join(process.cwd(), 'sim-net', 'scenarios', 'pipelines', 'black-ice.yaml')

const ICE_SCENARIO = `
name: ice-e2e
duration: 30s
heartbeat: 1s
sample: 500ms
convergenceTimeout: 20s
seed: 5
roads:
  b471: { path: [[48.2500, 11.6400], [48.2530, 11.6530], [48.2545, 11.6660]] }
nodes:
  - { name: lamp, count: 3, road: { name: b471, fromKm: 1.15, spacingM: 50 }, sensors: [road-surface-temperature, air-temperature, humidity], radios: [its-g5] }
  - { name: cabinet, position: { road: b471, km: 1.1 }, tier: 2, radios: [ethernet] }
links:
  default: { latencyMs: 3, jitterMs: 0.5, bandwidthMbps: 50 }
vehicles:
  - { name: car, route: { road: b471, fromKm: 0.9, toKm: 1.6 }, speedKmh: 60, startAt: 1s }
pipelines:
  - { file: "${PIPELINE}", via: cabinet, at: 500ms }
events:
  - { at: 3s, condition: ice, position: { road: b471, km: 1.2 }, radiusM: 80, severity: 1, id: ice }
`

describe('sim-net: black ice with a vehicle, the pipeline and an ice condition', () => {
  let dir = ''
  let results: SimResults
  let html = ''

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-sim-ice-'))
    await writeFile(join(dir, 'ice.yaml'), ICE_SCENARIO)
    const out: string[] = []; const err: string[] = []
    const code = await runSimNetCli(['run', join(dir, 'ice.yaml'), '--json', '--out', join(dir, 'out')], simFactories(), {
      stdout: (t) => { out.push(t) }, stderr: (t) => { err.push(t) }, tty: false
    })
    assert.equal(code, 0, err.join(''))
    results = JSON.parse(out.join('')) as SimResults
    html = await readFile(join(dir, 'out', 'report.html'), 'utf8')
  })

  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('submits the pipeline, starts the ice and the vehicle', () => {
    assert.equal(results.status, 'completed')
    assert.deepEqual(results.faults.map((f) => `${f.type} ${f.target} ${f.ok}`).sort(), [`condition ice true`, `pipeline ${PIPELINE} true`, 'vehicle car true'])
    assert.equal(results.faults.find((f) => f.type === 'pipeline')?.detail?.pipeline, 'black-ice')
    assert.equal(results.conditions[0]?.id, 'ice')
  })

  it('detects the ice with the pipeline and shows the warning at the vehicle', () => {
    const det = results.series[SIM_SERIES.detectionAfterCondition]
    assert.ok(det !== undefined && det.summary.count === 1, 'one first detection')
    assert.ok((results.series[SIM_SERIES.pipelineRun]?.summary.count ?? 0) > 0, 'pipeline runs completed')
    const shown = results.series[SIM_SERIES.warningLatency]?.samples.filter((s) => s.f?.vehicle === 'car') ?? []
    assert.ok(shown.length >= 1, 'the vehicle showed a warning')
    assert.equal(shown[0].f?.cause, 'blackIceOnRoad (6/6)')
    assert.ok(shown[0].v >= 0, 'display after detection')
    const car = results.vehicles.find((v) => v.name === 'car')
    assert.ok((car?.metrics.warnings_shown ?? 0) >= 1)
    // the warning came after the ice started, and after the pipeline detected it
    const after = results.series[SIM_SERIES.warningAfterCondition]?.samples[0]
    assert.ok(after !== undefined && after.v >= det.samples[0].v)
  })

  it('writes a report whose warning numbers are this run\'s', () => {
    const first = results.series[SIM_SERIES.warningAfterCondition]?.samples[0]
    assert.ok(first !== undefined)
    const fmt = (v: number): string => v >= 10_000 ? `${fmtNum(v / 1000)} s` : `${fmtNum(v)} ms`
    assert.ok(html.includes('Hazard warnings at the vehicles'))
    assert.ok(html.includes(`<td class="l">car</td><td>${fmt(results.vehicles[0].startAtMs)}</td><td>${fmt(first.t)}</td><td>${fmt(first.v)}</td>`), 'the vehicle row shows when it got its first warning')
    assert.ok(html.includes('vehicles warned</span><b>1/1</b>'))
  })
})
