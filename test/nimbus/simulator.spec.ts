/** The trace-driven simulator and its CLI on the real data directory (kept to one iteration). */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createNimbusRng } from '../../protocols/index.js'
import {
  activeApCount, generateInstance, loadNimbusData, measureRun, parseNimbusArgs, runNimbusCli, type Instance
} from '../../sim-net/nimbus/index.js'

const DATA = '../shared/data/nimbus'

function capture (): { io: { stdout: (t: string) => void, stderr: (t: string) => void }, out: string[], err: string[] } {
  const out: string[] = []
  const err: string[] = []
  return { io: { stdout: (t) => { out.push(t) }, stderr: (t) => { err.push(t) } }, out, err }
}

describe('nimbus simulator metrics', () => {
  it('energy: eq. 4.2 per offloaded device, per frame with the whole latency, and over all devices', () => {
    const base = { ap: 'a', epsB: 3180, payloadKB: 330, localLatencyMs: 116, localEnergyMJ: 3180 }
    const inst: Instance = {
      snapshot: { ens: [], aps: [], clouds: [] },
      requests: [{ device: 'b1', epsT: 100, ...base }, { device: 'b2', epsT: 100, ...base }],
      profiles: new Map([['b1', 'Mobile_B'], ['b2', 'Mobile_B']])
    }
    const m = measureRun(inst, [
      { device: 'b1', target: 'edge', en: 't1-0', networkMs: 20, inferenceMs: 30, latencyMs: 50, energyMJ: 20 * 1.21, epsT: 100 },
      { device: 'b2', target: 'local', networkMs: 0, inferenceMs: 116, latencyMs: 116, energyMJ: 3180, epsT: 100 }
    ], 0)
    const close = (a: number, b: number): void => { assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`) }
    close(m.energySavedOffloadedFracMobileB, 1 - 24.2 / 3180)
    // one frame at 10 FPS costs 318 mJ locally; offloaded, 1.21 mJ/ms for L = 50 ms
    close(m.energySavedPerFrameMobileB, 1 - 1.21 * 50 / 318)
    close(m.energySavedFracMobileB, 1 - (24.2 + 3180) / 6360)
  })
})

describe('nimbus simulator data', () => {
  it('fails with a typed error naming the missing directory', () => {
    assert.throws(() => loadNimbusData('/nonexistent/nimbus'), (e: Error) => e.name === 'NimbusDataError' && e.message.includes('/nonexistent/nimbus'))
  })

  it('generates exactly N MDs over n_AP active APs, every AP with at least one', () => {
    const data = loadNimbusData(DATA)
    assert.equal(data.apNames.length, 4418)
    assert.equal(activeApCount(1000), 610)
    const inst = generateInstance(data, { mds: 1000, t1: 100, t2: 50, t3: 2, fpsMean: 10 }, createNimbusRng(3))
    assert.equal(inst.requests.length, 1000)
    assert.equal(inst.snapshot.aps.length, 610)
    assert.ok(inst.snapshot.aps.every((ap) => ap.users >= 1))
    assert.equal(inst.snapshot.ens.length, 152)
    // co-located AP/T1 entries are 1 ms
    const t1 = inst.snapshot.ens[0]
    const ap = inst.snapshot.aps.find((a) => a.id === t1.ap)
    assert.equal(ap?.rttMs[0], 1)
    const again = generateInstance(data, { mds: 1000, t1: 100, t2: 50, t3: 2, fpsMean: 10 }, createNimbusRng(3))
    assert.deepEqual(again.requests, inst.requests)
  })
})

describe('sim-net nimbus CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nimbus-cli-'))
  after(() => { rmSync(dir, { recursive: true, force: true }) })

  it('validates flags with one line naming the bad flag (exit 2)', async () => {
    for (const [argv, flag] of [[['baselines', '--iterations', '0'], '--iterations'], [['baselines', '--bogus'], '--bogus'], [['nope'], 'experiment'], [['configs', '--mode', 'x'], '--mode'], [['kappa', '--seed'], '--seed']] as const) {
      const c = capture()
      assert.equal(await runNimbusCli([...argv], c.io), 2)
      assert.equal(c.err.length, 1)
      assert.ok(c.err[0].includes(flag), c.err[0])
    }
    assert.throws(() => parseNimbusArgs(['all', '--mds', '10,x']), (e: Error) => e.name === 'NimbusUsageError')
  })

  it('prints help', async () => {
    const c = capture()
    assert.equal(await runNimbusCli(['--help'], c.io), 0)
    assert.ok(c.out.join('').includes('Usage: sim-net nimbus'))
  })

  it('exits 1 with a clear error when the data directory is missing', async () => {
    const c = capture()
    assert.equal(await runNimbusCli(['baselines', '--data', join(dir, 'missing'), '--out', dir], c.io), 1)
    assert.ok(c.err.join('').includes('NimbusDataError'))
  })

  it('runs the baselines and writes CSV and SVG', async () => {
    const c = capture()
    assert.equal(await runNimbusCli(['baselines', '--iterations', '1', '--data', DATA, '--out', dir, '--quiet'], c.io), 0)
    const summary = readFileSync(join(dir, 'baselines-summary.csv'), 'utf8').trim().split('\n')
    assert.equal(summary.length, 1 + 8) // 4 variants x 2 modes
    assert.ok(summary[0].startsWith('experiment,mode,group,runs,mds,frac_edge'))
    for (const kind of ['served', 'latency', 'energy', 'convergence']) {
      const svg = readFileSync(join(dir, `baselines-paper-${kind}.svg`), 'utf8')
      assert.ok(svg.startsWith('<svg') && svg.includes('greedy'))
    }
    const paperNimbus = summary.find((l) => l.startsWith('baselines,paper,nimbus,'))?.split(',')
    assert.ok(paperNimbus !== undefined)
    assert.equal(paperNimbus[11 + 1], '0') // past_deadline of the paper mode
  })

  it('runs the slice experiment with worker threads', async () => {
    const c = capture()
    assert.equal(await runNimbusCli(['slices', '--iterations', '1', '--mode', 'paper', '--workers', '2', '--data', DATA, '--out', dir, '--quiet'], c.io), 0)
    assert.ok(existsSync(join(dir, 'slices-paper-served.svg')))
    assert.ok(c.out.join('').includes('2PMT-8'))
  })
})
