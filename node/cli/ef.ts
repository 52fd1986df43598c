/**
 * `ecco-peer ef list|start|migrate` and `ecco-peer drain`: talk to a running peer
 * through its loopback control API (node/checkpoints/control.ts), found from the
 * peer's data directory (`<data-dir>/ef-control.json`) or given with --control.
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { CONTROL_FILE } from '../checkpoints/index.js'
import { parseFlags } from './args.js'

export const EF_USAGE = `Usage: ecco-peer ef list                              [--data-dir <dir> | --control <port>]
       ecco-peer ef start <instance> --image <name> [--sink <peerId>] [--quorum <n>] [--replicas <k>]
                          [--step-ms <ms>] [--limit <n>]
       ecco-peer ef migrate <instance> --to <peerId>
       ecco-peer drain                                 migrate every hosted EF away before maintenance

Talks to the peer running with --data-dir (default .ecco/peer) over 127.0.0.1.`

const COMMON = {
  'data-dir': { type: 'string' },
  control: { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

async function controlPort (v: Record<string, unknown>): Promise<number> {
  if (typeof v.control === 'string') {
    const port = Number(v.control)
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ConfigError(`--control: expected a port, got "${v.control}"`)
    return port
  }
  const dir = resolve(typeof v['data-dir'] === 'string' ? v['data-dir'] : '.ecco/peer')
  let text: string
  try {
    text = await readFile(join(dir, CONTROL_FILE), 'utf8')
  } catch {
    throw new ConfigError(`--data-dir: no running peer with the checkpoints feature in ${dir} (missing ${CONTROL_FILE})`)
  }
  const port = (JSON.parse(text) as { port?: unknown }).port
  if (typeof port !== 'number') throw new ConfigError(`${join(dir, CONTROL_FILE)}: no port`)
  return port
}

async function call (port: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (err) {
    throw new ConfigError(`control API on 127.0.0.1:${port}: ${(err as Error).message}`)
  }
  const out = await res.json() as { error?: string }
  if (res.status !== 200) throw new ConfigError(`${path}: ${out.error ?? `HTTP ${res.status}`}`)
  return out
}

function int (v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${flag}: expected a non-negative integer, got "${String(v)}"`)
  return n
}

function print (v: unknown): void {
  process.stdout.write(JSON.stringify(v, null, 2) + '\n')
}

export async function runEf (argv: string[]): Promise<number> {
  const sub = argv[0]
  const { values: v, positionals } = parseFlags(argv.slice(1), {
    ...COMMON,
    image: { type: 'string' },
    sink: { type: 'string' },
    quorum: { type: 'string' },
    replicas: { type: 'string' },
    'step-ms': { type: 'string' },
    limit: { type: 'string' },
    to: { type: 'string' }
  }, true)
  if (sub === undefined || v.help === true || sub === '--help' || sub === '-h') {
    process.stdout.write(EF_USAGE + '\n')
    return 0
  }
  const port = await controlPort(v)
  switch (sub) {
    case 'list':
      print(await call(port, 'GET', '/ef'))
      return 0
    case 'start': {
      const instance = positionals[0]
      if (instance === undefined) throw new ConfigError('ef start: give the instance name')
      if (typeof v.image !== 'string') throw new ConfigError('--image: required')
      const limit = int(v.limit, '--limit')
      print(await call(port, 'POST', '/ef/start', {
        instance,
        image: v.image,
        sink: v.sink,
        quorum: int(v.quorum, '--quorum'),
        replicas: int(v.replicas, '--replicas'),
        stepIntervalMs: int(v['step-ms'], '--step-ms'),
        seed: limit === undefined ? undefined : { limit }
      }))
      return 0
    }
    case 'migrate': {
      const instance = positionals[0]
      if (instance === undefined) throw new ConfigError('ef migrate: give the instance name')
      if (typeof v.to !== 'string') throw new ConfigError('--to: required (the target PeerId)')
      print(await call(port, 'POST', '/ef/migrate', { instance, to: v.to }))
      return 0
    }
    default:
      throw new ConfigError(`ef: unknown command "${sub}" (list, start, migrate)`)
  }
}

export async function runDrain (argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, COMMON)
  if (v.help === true) {
    process.stdout.write(EF_USAGE + '\n')
    return 0
  }
  const results = await call(await controlPort(v), 'POST', '/drain', {}) as Array<{ error?: string }>
  print(results)
  return results.some((r) => r.error !== undefined) ? 1 : 0
}
