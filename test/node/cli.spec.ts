/**
 * ecco-peer end to end: a bootstrap process and three joiners with YAML
 * configs, polled over the status API until they agree, then SIGTERM.
 */
import { after, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from '../helpers/wait.js'

const BIN = fileURLToPath(new URL('../../node/bin/ecco-peer.js', import.meta.url))

interface Proc { child: ChildProcess, stdout: string, stderr: string, exit: Promise<number | null> }

function run (args: string[]): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const p: Proc = { child, stdout: '', stderr: '', exit: new Promise((resolve) => child.once('exit', (code) => { resolve(code) })) }
  child.stdout?.on('data', (d: Buffer) => { p.stdout += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { p.stderr += d.toString() })
  return p
}

async function getJson<T> (port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`)
  assert.equal(res.status, 200)
  return await res.json() as T
}

const portOf = (p: Proc): number | undefined => {
  const m = /Status API: http:\/\/127\.0\.0\.1:(\d+)\//.exec(p.stdout)
  return m === null ? undefined : Number(m[1])
}

describe('ecco-peer CLI', () => {
  const procs: Proc[] = []
  let root = ''

  after(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL')
    if (root !== '') await rm(root, { recursive: true, force: true })
  })

  it('rejects a bad flag and a bad config field with one line and exit code 2', async () => {
    root = await mkdtemp(join(tmpdir(), 'ecco-cli-'))
    const bad = run(['--bootstrap', '--frobnicate'])
    assert.equal(await bad.exit, 2)
    assert.equal(bad.stderr.trim(), 'ecco-peer: unknown flag --frobnicate')
    const cfg = join(root, 'bad.yaml')
    await writeFile(cfg, 'position: { lat: 123, lon: 11 }\n')
    const badCfg = run(['--bootstrap', '--config', cfg, '--data-dir', join(root, 'x')])
    assert.equal(await badCfg.exit, 2)
    assert.match(badCfg.stderr.trim(), /^ecco-peer: .*position\.lat: must be a number in \[-90, 90\]/)
    assert.equal(badCfg.stderr.trim().split('\n').length, 1)
  })

  it('runs a bootstrap and three joiners that agree on neighbours and registry, then shut down cleanly', async () => {
    const boot = run(['--bootstrap', '--listen', '/ip4/127.0.0.1/tcp/0', '--http', '0', '--data-dir', join(root, 'boot'), '--name', 'boot', '--heartbeat-ms', '500'])
    procs.push(boot)
    await waitFor(() => /\/p2p\//.test(boot.stdout) && portOf(boot) !== undefined, { timeoutMs: 20_000, message: () => `bootstrap never printed its address: ${boot.stderr}` })
    const addr = /(\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\S+)/.exec(boot.stdout)?.[1] ?? ''
    for (let i = 1; i <= 3; i++) {
      const cfg = join(root, `peer${i}.yaml`)
      await writeFile(cfg, [
        `name: lamppost-${i}`,
        `position: { lat: 48.2625, lon: ${11.668 + i * 0.001} }`,
        'tier: 1',
        'sensors:',
        '  - { type: road-surface-temperature }',
        'radios: [its-g5]',
        'capacity: { cpuCores: 4, memoryMb: 4096 }',
        'heartbeatMs: 500',
        'listen: [/ip4/127.0.0.1/tcp/0]'
      ].join('\n') + '\n')
      procs.push(run(['--join', addr, '--config', cfg, '--data-dir', join(root, `p${i}`), '--http', '0']))
    }
    await waitFor(() => procs.every((p) => portOf(p) !== undefined), { timeoutMs: 20_000, message: () => procs.map((p) => p.stderr.slice(-300)).join('\n') })
    const ports = procs.map((p) => portOf(p) ?? 0)
    interface Status { peerId: string, multiaddrs: string[], registryDigest: string, uptimeS: number }
    const agree = async (): Promise<boolean> => {
      const statuses = await Promise.all(ports.map(async (port) => await getJson<Status>(port, '/status')))
      const regs = await Promise.all(ports.map(async (port) => await getJson<Array<{ peerId: string, live: boolean }>>(port, '/registry')))
      const neigh = await Promise.all(ports.map(async (port) => await getJson<Array<{ peerId: string }>>(port, '/neighbours')))
      const ids = statuses.map((s) => s.peerId).sort()
      return new Set(statuses.map((s) => s.registryDigest)).size === 1 &&
        regs.every((r) => r.length === 4 && r.every((e) => e.live)) &&
        neigh.every((n, i) => n.map((x) => x.peerId).sort().join() === ids.filter((id) => id !== statuses[i].peerId).join())
    }
    await waitFor(agree, { timeoutMs: 30_000, intervalMs: 250, message: 'peers never agreed' })
    const status = await getJson<Status>(ports[1], '/status')
    assert.ok(status.multiaddrs.every((a) => a.includes(`/p2p/${status.peerId}`)))
    const metrics = await (await fetch(`http://127.0.0.1:${ports[1]}/metrics`)).text()
    for (const name of ['ecco_peers_connected', 'ecco_messages_in_total', 'ecco_messages_out_total', 'ecco_bad_messages_dropped_total', 'ecco_dht_queries_total', 'ecco_gossip_rounds_total']) {
      assert.match(metrics, new RegExp(`^${name}`, 'm'))
    }
    for (const p of procs) p.child.kill('SIGTERM')
    const codes = await Promise.all(procs.map(async (p) => await p.exit))
    assert.deepEqual(codes, [0, 0, 0, 0])
    for (const p of procs) {
      for (const line of p.stderr.trim().split('\n')) assert.doesNotThrow(() => JSON.parse(line), `not a JSON log line: ${line}`)
      assert.match(p.stderr, /"msg":"stopped cleanly"/)
    }
  })
})
