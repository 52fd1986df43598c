/**
 * Hot restart (issue 4 item 8) with real ecco-peer processes: a three-stage
 * chain A -> B -> C runs every 400 ms; B is killed with SIGKILL mid-run and
 * restarted from its data directory. A's outbound queue holds B's bundles
 * meanwhile; B's inbound queue resumes; every run A started reaches C exactly
 * once. The pipeline is submitted, inspected and stopped with the CLI.
 */
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { getJson, PEER_BIN, ProcessMesh, spawnPeer, type PeerProcess } from '../helpers/processes.js'
import { waitFor } from '../helpers/wait.js'

const run = promisify(execFile)

interface RunsJson { runs: Record<string, { started: { runs: Record<string, Array<[number, number]>>, repeats: number }, completed: { runs: Record<string, Array<[number, number]>>, repeats: number } }>, duplicateInputs: number }

const DESCRIPTOR = `
id: chain
priority: 5
execution: automatic
area: { lat: 48.2625, lon: 11.6680, radiusM: 20000 }
bidWindowMs: 1000
stages:
  - { name: a, image: image-normalise, role: start, needs: { roles: [host-a] }, input: { source: sensors, intervalMs: 400 } }
  - { name: b, image: image-normalise, role: midsection, after: [a], needs: { roles: [host-b] } }
  - { name: c, image: image-normalise, role: finale, after: [b], needs: { roles: [host-c] }, output: { target: sink } }
`

const expand = (ranges: Array<[number, number]> = []): number[] => ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i))

describe('hot restart after kill -9', () => {
  const mesh = new ProcessMesh()
  let a: PeerProcess, b: PeerProcess, c: PeerProcess
  let root = ''
  let keyFile = ''

  before(async () => {
    root = await mesh.dir()
    keyFile = join(root, 'issuer.key')
    const { stdout: issuer } = await run(process.execPath, [PEER_BIN, 'pipeline', 'keygen', '--out', keyFile])
    const section = (role: string): string => `pipelines: { trustedIssuers: [${issuer.trim()}], roles: [${role}] }\n`
    a = await mesh.start('a', `sensors: [{ type: camera }]\n${section('host-a')}`)
    b = await mesh.start('b', section('host-b'), a.addr)
    c = await mesh.start('c', section('host-c'), a.addr)
    await writeFile(join(root, 'chain.yaml'), DESCRIPTOR)
  })

  after(async () => { await mesh.stop() })

  it('loses no bundle and repeats none when a midsection peer is killed and restarted', async () => {
    const cli = async (...args: string[]): Promise<string> => (await run(process.execPath, [PEER_BIN, 'pipeline', ...args])).stdout
    assert.match(await cli('submit', join(root, 'chain.yaml'), '--to', a.addr ?? '', '--key', keyFile), /submitted/)
    const runsAt = async (p: PeerProcess): Promise<RunsJson> => await getJson<RunsJson>(p, '/pipelines')
    const completedAtC = async (): Promise<number[]> => expand((await runsAt(c)).runs.chain?.completed.runs['c.0'])
    await waitFor(async () => (await completedAtC()).length >= 3, { timeoutMs: 40_000, message: 'no runs reached C' })

    const status = JSON.parse(await cli('status', 'chain', '--to', c.addr ?? '')) as { placement: Array<{ stage: string, peer: string }>, state: string }
    assert.equal(status.state, 'placed')
    assert.equal(status.placement.length, 3)

    // kill -9 in the middle of runs
    const startedAtA = async (): Promise<number[]> => expand((await runsAt(a)).runs.chain?.started.runs['a.0'])
    const before = (await startedAtA()).length
    b.child.kill('SIGKILL')
    await b.exit
    await waitFor(async () => (await startedAtA()).length >= before + 5, { timeoutMs: 20_000, message: 'A stopped starting runs' })

    const args = ['--join', a.addr ?? '', '--config', join(root, 'b.yaml'), '--data-dir', join(root, 'b'), '--http', '0', '--log-level', 'warn']
    const b2 = spawnPeer('b', args)
    mesh.procs.push(b2)
    await waitFor(() => b2.httpPort !== undefined, { timeoutMs: 30_000, message: () => `b did not restart: ${b2.stderr.slice(-400)}` })

    const started = await startedAtA()
    let missing: number[] = []
    await waitFor(async () => { const done = new Set(await completedAtC()); missing = started.filter((r) => !done.has(r)); return missing.length === 0 }, {
      timeoutMs: 40_000, message: () => `runs started at A but not completed at C: ${missing.join(',')}`
    })
    const atC = await runsAt(c)
    assert.equal(atC.runs.chain.completed.repeats, 0, 'a run completed twice at C')
    for (const p of [a, b2, c]) assert.equal((await runsAt(p)).duplicateInputs, 0, `${p.name}: an EF saw a bundle twice`)

    assert.match(await cli('stop', 'chain', '--to', c.addr ?? '', '--key', keyFile), /stopped chain/)
    await waitFor(async () => JSON.parse(await cli('status', 'chain', '--to', a.addr ?? '')).state === 'stopped', { timeoutMs: 15_000, message: 'chain not stopped on A' })
  })
})
