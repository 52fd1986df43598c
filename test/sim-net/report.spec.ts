/**
 * Report generation from a results object: the numbers in the HTML are the
 * ones in the results, and the file needs nothing but itself.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { renderReport, summarise, writeReport } from '../../sim-net/index.js'
import type { SimResults } from '../../sim-net/index.js'

function results (): SimResults {
  const warn = [112.5, 87.25, 140.75, 99.5, 101.125]
  return {
    version: 1,
    scenario: { name: 'report-unit', description: 'A <synthetic> run', seed: 17, durationMs: 30_000, heartbeatMs: 1000 },
    status: 'completed',
    ok: false,
    startedAt: '2026-01-01T00:00:00.000Z',
    wallMs: 31_234,
    machine: { cpus: 2, model: 'Test CPU', node: 'v24.0.0', platform: 'linux-x64' },
    eventLoop: { meanMs: 10.2, p99Ms: 21.5, maxMs: 33 },
    roads: { main: [{ lat: 48, lon: 11 }, { lat: 48, lon: 11.01 }] },
    nodes: [
      { name: 'lamp-01', group: 'lamp', peerId: '12D3KooWAAAAAAAAAAAAAA', tier: 1, position: { lat: 48, lon: 11 }, state: 'stopped', startedAtMs: 0, crashes: 0, restarts: 0, metrics: { bundles_sent: 40 } },
      { name: 'lamp-02', group: 'lamp', peerId: '12D3KooWBBBBBBBBBBBBBB', tier: 1, position: { lat: 48, lon: 11.005 }, state: 'crashed', startedAtMs: 0, crashes: 1, restarts: 0, metrics: { bundles_sent: 2 } },
      { name: 'cab', group: 'cab', peerId: '12D3KooWCCCCCCCCCCCCCC', tier: 2, position: { lat: 48.001, lon: 11.005 }, state: 'stopped', startedAtMs: 0, crashes: 0, restarts: 0, metrics: { bundles_sent: 7 } }
    ],
    vehicles: [{ name: 'car', peerId: '12D3KooWDDDD', route: [{ lat: 48, lon: 11 }, { lat: 48, lon: 11.01 }], speedKmh: 50, startAtMs: 1000, track: [{ t: 1000, position: { lat: 48, lon: 11 } }, { t: 5000, position: { lat: 48, lon: 11.002 } }], metrics: {}, state: 'stopped' }],
    conditions: [{ id: 'ice-1', condition: 'ice', position: { lat: 48, lon: 11.004 }, radiusM: 60, severity: 1, startMs: 5000, endMs: 20_000 }],
    links: {
      classes: { default: { latencyMs: 4, jitterMs: 1, loss: 0 }, radio: { latencyMs: 3, jitterMs: 1, bandwidthMbps: 6, loss: 0.01 } },
      stats: {
        openConnections: 0,
        partitions: [],
        classes: {
          radio: { connections: 3, bytes: 987_654, messages: 4321, segments: 5000, lostSegments: 51, refusedDials: 2, cutConnections: 1, lateness: { count: 4321, meanMs: 0.25, p50Ms: 0.1, p95Ms: 0.9, p99Ms: 1.75, maxMs: 9 }, withinTenPercent: 0.975 }
        }
      }
    },
    timeSeries: { t: [0, 1000, 2000], livePeers: [3, 3, 2], connections: [2, 4, 2], linkBytes: [0, 1000, 3000], metrics: { bundles_sent: [0, 10, null] } },
    series: { warning_latency_ms: { summary: summarise(warn), samples: warn.map((v, i) => ({ t: i * 1000, v })) } },
    convergence: [
      { change: 'start of 3 peers', atMs: 0, status: 'converged', convergedMs: 1234.5 },
      { change: 'crash lamp-02', atMs: 10_000, status: 'timeout' }
    ],
    faults: [
      { atMs: 10_000, type: 'crash', target: 'lamp-02', ok: true, applyMs: 3, convergence: 1 },
      { atMs: 12_000, type: 'pipeline', target: 'p.yaml', ok: false, applyMs: 1, error: { name: 'ScenarioEventError', message: 'cannot submit' } }
    ],
    log: [{ atMs: 10_000, text: 'crash lamp-02' }],
    totals: { bundles_sent: 49 }
  }
}

describe('report', () => {
  it('shows the numbers of the results object', () => {
    const r = results()
    const html = renderReport(r)
    assert.match(html, /sim-net: report-unit/)
    assert.match(html, /A &lt;synthetic&gt; run/, 'text is escaped')
    assert.match(html, /seed 17/)
    assert.match(html, /1235 ms/, 'convergence p50 1234.5 ms')
    assert.match(html, /1\/2/, 'changes converged')
    assert.match(html, /965 KiB/, 'bytes on the radio class (987654 B)')
    assert.match(html, /51\/5000/, 'lost segments')
    assert.match(html, /97\.5%/, 'within 10%')
    assert.match(html, /lamp-02<\/td><td><span class="ok">ok<\/span><\/td><td>3 ms<\/td><td>timeout<\/td>/, 'the crash and its registry outcome')
    assert.match(html, /ScenarioEventError: cannot submit/)
    assert.match(html, /<td class="l">warning_latency_ms<\/td><td>5<\/td><td>87\.3<\/td><td>108<\/td><td>101<\/td><td>141<\/td><td>141<\/td><td>141<\/td>/, 'summary row of a recorded series')
    assert.match(html, /<td class="l">bundles_sent<\/td><td>49<\/td>/, 'totals')
    assert.match(html, /event-loop delay mean 10\.2 ms, p99 21\.5 ms/)
    assert.match(html, /ice \(ice-1\) r=60 m/, 'the hazard is on the map')
    assert.match(html, /lamp-02 tier 1 crashed/)
    assert.match(html, /vehicle car at 5 s/)
  })

  it('is self-contained: inline SVG only, results embedded as JSON', () => {
    const r = results()
    const html = renderReport(r)
    assert.equal(html.match(/<svg /g)?.length, html.match(/<\/svg>/g)?.length)
    assert.ok((html.match(/<svg /g)?.length ?? 0) >= 5, 'map, time series and ECDFs')
    assert.doesNotMatch(html, /\ssrc=|<link|@import|url\(/)
    assert.equal(html.match(/https?:\/\//g)?.filter(u => u !== 'http://').length ?? 0, 0)
    assert.equal([...html.matchAll(/https?:\/\/[^"]+/g)].every(m => m[0] === 'http://www.w3.org/2000/svg'), true)
    const json = /<script type="application\/json" id="sim-net-results">(.*)<\/script>/s.exec(html)?.[1]
    assert.ok(json !== undefined)
    assert.deepEqual(JSON.parse(json), r)
  })

  it('writes results.json and report.html', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-net-report-'))
    try {
      const paths = await writeReport(results(), dir)
      assert.deepEqual(JSON.parse(await readFile(paths.json, 'utf8')), results())
      assert.match(await readFile(paths.html, 'utf8'), /^<!doctype html>/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
