/**
 * sim-net's multi-process mode with the real peer: every ecco-peer in its own
 * OS process (node/bin/sim-peer.ts), a crash that is a real SIGKILL and a
 * restart that forks again with the same data dir (same PeerId), a partition
 * and its heal, and a report whose numbers come from this run. Then the
 * orchestrator is stopped by SIGINT, killed -9 and crashed by an exception,
 * and no peer process may outlive it.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { fmtNum, runSimNetCli, type SimResults } from '../../sim-net/index.js'
import { simFactories } from '../../node/sim/factories.js'
import { simProcessFactories } from '../../node/sim/processes.js'
import type { ChildProcess } from 'node:child_process'

const SCENARIO = `
name: mp-road
duration: 16s
heartbeat: 500ms
sample: 500ms
convergenceTimeout: 6s
seed: 9
roads:
  r: { path: [[48.0, 11.0], [48.0, 11.006]] }
nodes:
  - { name: lamp, count: 3, road: { name: r, spacingM: 120 }, sensors: [road-surface-temperature] }
links:
  default: { latencyMs: 4, jitterMs: 0.5, bandwidthMbps: 20 }
events:
  - { at: 3s, crash: lamp-02 }
  - { at: 6s, restart: lamp-02 }
  - { at: 9s, partition: [[lamp-01], [lamp-02, lamp-03]], id: cut }
  - { at: 12s, heal: cut }
`

const LONG = `
name: mp-idle
duration: 2m
heartbeat: 500ms
nodes:
  - { name: lamp, count: 3, road: { name: r, spacingM: 120 } }
roads:
  r: { path: [[48.0, 11.0], [48.0, 11.006]] }
`

const CLI = fileURLToPath(new URL('../../node/bin/sim-net.js', import.meta.url))

/** State letter of a process from /proc, undefined when it is gone (a zombie counts as gone: it has exited). */
async function procState (pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]
    return state === 'Z' || state === 'X' ? undefined : state
  } catch {
    return undefined
  }
}

/** Live child pids of `ppid`. */
async function childrenOf (ppid: number): Promise<number[]> {
  const out: number[] = []
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const stat = await readFile(`/proc/${d}/stat`, 'utf8')
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(parent) === ppid && state !== 'Z') out.push(Number(d))
    } catch {}
  }
  return out
}

async function until<T> (what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

async function allGone (pids: number[], timeoutMs: number): Promise<void> {
  await until(`processes ${pids.join(', ')} to exit`, timeoutMs, async () => (await Promise.all(pids.map(procState))).every(s => s === undefined) ? true : undefined)
}

describe('sim-net --processes: every peer its own OS process', () => {
  let dir = ''
  let results: SimResults
  let html = ''

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-sim-mp-'))
    await writeFile(join(dir, 'road.yaml'), SCENARIO)
    const out: string[] = []; const err: string[] = []
    const code = await runSimNetCli(['run', join(dir, 'road.yaml'), '--processes', '--json', '--out', join(dir, 'out')], (mode) => mode === 'multi-process' ? simProcessFactories() : simFactories(), {
      stdout: (t) => { out.push(t) }, stderr: (t) => { err.push(t) }, tty: false
    })
    assert.equal(code, 0, err.join('') + out.join('').slice(0, 2000))
    results = JSON.parse(out.join('')) as SimResults
    html = await readFile(join(dir, 'out', 'report.html'), 'utf8')
  })

  after(async () => { await rm(dir, { recursive: true, force: true }) })

  it('applies the faults and the registry converges after each', () => {
    assert.equal(results.mode, 'multi-process')
    assert.equal(results.status, 'completed')
    assert.deepEqual(results.faults.map((f) => `${f.type} ${f.target} ${f.ok}`), ['crash lamp-02 true', 'restart lamp-02 true', 'partition cut true', 'heal cut true'])
    for (const c of results.convergence) assert.equal(c.status, 'converged', `${c.change}: ${c.status}`)
    assert.ok(results.timeSeries.livePeers.includes(2), 'one peer down between crash and restart')
    const cut = results.faults.find(f => f.type === 'partition')?.detail?.cutConnections
    assert.ok(typeof cut === 'number' && cut >= 1, 'the partition cut connections in the peer processes')
    assert.ok((results.links.stats.classes.default?.bytes ?? 0) > 0, 'traffic counted in the peer processes')
  })

  it('a crash is SIGKILL of the peer\'s process; the restart is a new process with the same PeerId', () => {
    const procs = results.processes ?? []
    assert.deepEqual(procs.map(p => p.name).sort(), ['lamp-01#1', 'lamp-02#1', 'lamp-02#2', 'lamp-03#1', 'orchestrator'])
    const first = procs.find(p => p.name === 'lamp-02#1')
    const second = procs.find(p => p.name === 'lamp-02#2')
    assert.equal(first?.end, 'killed')
    assert.equal(first?.exit?.signal, 'SIGKILL')
    assert.equal(second?.end, 'stopped')
    assert.notEqual(first?.pid, second?.pid)
    assert.ok(first?.peerId !== undefined && first.peerId !== '')
    assert.equal(second?.peerId, first?.peerId, 'same data dir, same identity')
    assert.equal(results.nodes.find(n => n.name === 'lamp-02')?.peerId, first?.peerId)
    assert.ok(procs.filter(p => p.role === 'peer').every(p => p.pid !== process.pid))
  })

  it('measures CPU, RSS and event-loop delay per process, and leaves none running', async () => {
    for (const p of results.processes ?? []) {
      assert.ok(p.cpuUserMs + p.cpuSystemMs > 0, `${p.name} used CPU`)
      assert.ok(p.rssMaxBytes > 10 * (1 << 20), `${p.name} RSS ${p.rssMaxBytes}`)
      assert.ok(p.eventLoop.maxMs >= p.eventLoop.p99Ms)
    }
    await allGone((results.processes ?? []).filter(p => p.role === 'peer').map(p => p.pid), 5000)
  })

  it('writes a report with the mode and this run\'s processes', () => {
    assert.ok(html.includes('Processes (multi-process)'))
    for (const p of results.processes ?? []) {
      assert.ok(html.includes(`<td class="l">${p.name}</td><td>${p.role}</td><td>${p.pid}</td>`), `row of ${p.name}`)
      assert.ok(html.includes(fmtNum(p.rssMaxBytes / (1 << 20))), `RSS of ${p.name}`)
    }
    const conv = results.convergence.find(c => c.change === 'restart lamp-02')?.convergedMs
    assert.ok(conv !== undefined && html.includes(`converged in ${fmtNum(conv)} ms`))
  })
})

describe('no peer process outlives the orchestrator', () => {
  let dir = ''
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ecco-sim-orphans-'))
    await writeFile(join(dir, 'idle.yaml'), LONG)
  })
  after(async () => { await rm(dir, { recursive: true, force: true }) })

  function start (args: string[]): { child: ChildProcess, out: string[], err: string[], exited: Promise<number | null> } {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: string[] = []; const err: string[] = []
    child.stdout?.setEncoding('utf8').on('data', (t: string) => { out.push(t) })
    child.stderr?.setEncoding('utf8').on('data', (t: string) => { err.push(t) })
    const exited = new Promise<number | null>(resolve => { child.once('exit', (code) => { resolve(code) }) })
    return { child, out, err, exited }
  }

  async function threePeers (pid: number): Promise<number[]> {
    return await until('three peer processes', 40_000, async () => { const c = await childrenOf(pid); return c.length === 3 ? c : undefined })
  }

  it('SIGINT stops the run; a peer process that dies on its own is a recorded fault', async () => {
    const out = join(dir, 'sigint')
    const p = start([CLI, 'run', join(dir, 'idle.yaml'), '--processes', '--out', out])
    await until('the run to start', 40_000, async () => p.out.join('').includes('[running]') ? true : undefined)
    const pids = await threePeers(p.child.pid ?? -1)
    process.kill(pids[2], 'SIGKILL')
    await until('the orchestrator to notice', 10_000, async () => p.out.join('').includes('exit lamp-') ? true : undefined)
    p.child.kill('SIGINT')
    const code = await p.exited
    assert.equal(code, 1, p.err.join(''))
    const r = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as SimResults
    assert.equal(r.status, 'aborted')
    const exit = r.faults.find(f => f.type === 'exit')
    assert.equal(exit?.ok, false)
    assert.equal(exit?.error?.name, 'PeerProcessExitedError')
    assert.match(exit?.error?.message ?? '', /was killed by SIGKILL/)
    assert.equal(r.processes?.filter(x => x.end === 'died').length, 1)
    await allGone(pids, 5000)
  })

  it('kill -9 of the orchestrator: its peer processes exit when their IPC channel closes', async () => {
    const p = start([CLI, 'run', join(dir, 'idle.yaml'), '--processes', '--json'])
    const pids = await threePeers(p.child.pid ?? -1)
    p.child.kill('SIGKILL')
    await p.exited
    await allGone(pids, 5000)
  })

  it('an uncaught exception in the orchestrator takes its peer processes with it', async () => {
    const url = (rel: string): string => new URL(rel, import.meta.url).href
    const script = `
      const { loadScenario, runScenario } = await import(${JSON.stringify(url('../../sim-net/index.js'))})
      const { simProcessFactories } = await import(${JSON.stringify(url('../../node/sim/processes.js'))})
      const f = simProcessFactories()
      const t = setInterval(() => {
        const live = f.runtime.processes().filter(p => p.end === 'running' && p.peerId !== undefined)
        if (live.length < 3) return
        clearInterval(t)
        process.stdout.write(JSON.stringify(live.map(p => p.pid)) + '\\n')
        throw new Error('orchestrator bug')
      }, 100)
      await runScenario(await loadScenario(${JSON.stringify(join(dir, 'idle.yaml'))}), f)
    `
    const p = start(['--input-type=module', '-e', script])
    const code = await p.exited
    assert.equal(code, 1)
    assert.match(p.err.join(''), /orchestrator bug/)
    const pids = JSON.parse(p.out.join('')) as number[]
    assert.equal(pids.length, 3)
    await allGone(pids, 5000)
  })
})
