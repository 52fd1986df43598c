/**
 * Real ecco-peer processes on loopback, driven over their status API. One
 * process per peer uses every core, as a deployment would.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait.js'

export const PEER_BIN = fileURLToPath(new URL('../../node/bin/ecco-peer.js', import.meta.url))

export interface PeerProcess {
  name: string
  child: ChildProcess
  stdout: string
  stderr: string
  exit: Promise<number | null>
  httpPort?: number
  addr?: string
}

export function spawnPeer (name: string, args: string[]): PeerProcess {
  const child = spawn(process.execPath, [PEER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const p: PeerProcess = { name, child, stdout: '', stderr: '', exit: new Promise((resolve) => child.once('exit', (code) => { resolve(code) })) }
  child.stdout?.on('data', (d: Buffer) => {
    p.stdout += d.toString()
    p.httpPort ??= Number(/Status API: http:\/\/127\.0\.0\.1:(\d+)\//.exec(p.stdout)?.[1] ?? NaN) || undefined
    // the peer's own address, not the bootstrap address it joined through
    p.addr ??= /^\s+(\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/\S+)$/m.exec(p.stdout)?.[1]
  })
  child.stderr?.on('data', (d: Buffer) => { p.stderr += d.toString() })
  return p
}

export async function getJson<T> (p: PeerProcess, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${p.httpPort ?? 0}${path}`)
  if (res.status !== 200) throw new Error(`${p.name} ${path}: HTTP ${res.status}`)
  return await res.json() as T
}

export class ProcessMesh {
  readonly procs: PeerProcess[] = []
  root = ''

  async dir (): Promise<string> {
    if (this.root === '') this.root = await mkdtemp(join(tmpdir(), 'ecco-procs-'))
    return this.root
  }

  /** Starts a peer from a YAML config; `join` undefined makes it a bootstrap peer. */
  async start (name: string, yaml: string, join?: string): Promise<PeerProcess> {
    const root = await this.dir()
    const cfg = join === undefined ? `${root}/${name}.yaml` : `${root}/${name}.yaml`
    await writeFile(cfg, `name: ${name}\nlisten: [/ip4/127.0.0.1/tcp/0]\n${yaml}`)
    const args = ['--config', cfg, '--data-dir', `${root}/${name}`, '--http', '0', '--log-level', 'warn']
    const p = spawnPeer(name, join === undefined ? ['--bootstrap', ...args] : ['--join', join, ...args])
    this.procs.push(p)
    await waitFor(() => p.httpPort !== undefined && p.addr !== undefined, {
      timeoutMs: 60_000, message: () => `${name} did not start: ${p.stderr.slice(-500)}`
    })
    return p
  }

  async stop (): Promise<Array<number | null>> {
    for (const p of this.procs) if (p.child.exitCode === null) p.child.kill('SIGTERM')
    const codes = await Promise.all(this.procs.map(async (p) => await p.exit))
    if (this.root !== '') await rm(this.root, { recursive: true, force: true })
    return codes
  }
}
