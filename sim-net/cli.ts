/**
 * The `sim-net` command line. node/bin/sim-net.ts builds the factories and
 * calls `runSimNetCli(process.argv.slice(2), factories)`.
 *
 * Exit codes: 0 ok; 1 the run failed or an action failed; 2 usage or
 * scenario error; 3 a capability the scenario needs is missing.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runScenario } from './engine/run.js'
import { CapabilityMissingError, CliUsageError, ScenarioError } from './errors.js'
import { runNimbusCli } from './nimbus/index.js'
import { createProgressPrinter } from './progress.js'
import { writeReport } from './report/write.js'
import { loadScenario } from './scenario/load.js'
import { warningSummary } from './report/summary.js'
import { SIM_MODES } from './types.js'
import type { RunOptions } from './engine/run.js'
import type { SimResults } from './engine/results.js'
import type { SimMode } from './types.js'

const DEMO_SCENARIO = 'black-ice-demo.yaml'

export const SIM_NET_HELP = `usage: sim-net <command> [options]

commands:
  run <scenario.yaml>       run a scenario with real peers over emulated links
      --json                print only the results JSON on stdout (no progress)
      --out <dir>           where results.json and report.html go
                            (default .ecco/sim-net/<scenario name>)
      --seed <n>            override the scenario's seed
      --data-dir <dir>      keep the peers' data here (default: a temporary folder, removed)
      --data-root <dir>     what {data} in scenario paths means (default ../shared/data)
      --mode <one-process|multi-process>
                            one-process (default): every peer in this process, for large
                            scenarios; multi-process: every peer in its own OS process
                            (forked, same node/ code, same emulated links), crashes are a
                            real kill -9: for realism and per-peer CPU/RSS
      --processes           the same as --mode multi-process
      --shards <n>          one-process mode over n worker threads of this process (n in
                            1-64; the peers split between them), so a large scenario uses
                            more than one core
  demo [--json] [--out <dir>] [--processes | --shards <n>]
                            the black-ice demo (sim-net/scenarios/black-ice-demo.yaml, under a
                            minute): what \`npm start\` runs
  validate <scenario.yaml>  check a scenario file and print what it expands to
  nimbus <experiment> ...   trace-driven Nimbus experiments (sim-net nimbus --help)
  help                      this text
`

export interface SimNetCliIo {
  stdout?: (text: string) => void
  stderr?: (text: string) => void
  /** whether stdout is a terminal (status line redrawn in place) @default process.stdout.isTTY */
  tty?: boolean
  signal?: AbortSignal
}

/** The factories the `run` command passes to runScenario. */
export type SimNetFactories = Omit<RunOptions, 'signal' | 'onProgress' | 'dataDir'>

/** Builds the factories for the mode asked for on the command line (called once per run); `shards` asks for one-process mode over worker threads. */
export type SimNetFactoryProvider = (mode: SimMode, options: { shards?: number }) => SimNetFactories

interface RunArgs { file: string, json: boolean, mode: SimMode, out?: string, seed?: number, dataDir?: string, dataRoot?: string, shards?: number }

export const MAX_SHARDS = 64

function parseMode (v: string): SimMode {
  const m = SIM_MODES.find(x => x === v)
  if (m === undefined) throw new CliUsageError(`--mode must be one of ${SIM_MODES.join(', ')}, got "${v}"`)
  return m
}

function parseRunArgs (argv: string[]): RunArgs {
  const args: Partial<RunArgs> & { json: boolean, mode: SimMode } = { json: false, mode: 'one-process' }
  let modeFlag: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${a} needs a value`)
      return v
    }
    if (a === '--json') args.json = true
    else if (a === '--processes' || a === '--mode') {
      const m = a === '--processes' ? 'multi-process' : parseMode(value())
      if (modeFlag !== undefined && m !== args.mode) throw new CliUsageError(`${a} contradicts ${modeFlag}`)
      modeFlag = a
      args.mode = m
    }
    else if (a === '--out') args.out = value()
    else if (a === '--shards') {
      const v = value()
      if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_SHARDS) throw new CliUsageError(`--shards must be an integer in [1, ${MAX_SHARDS}], got "${v}"`)
      args.shards = Number(v)
    } else if (a === '--data-dir') args.dataDir = value()
    else if (a === '--data-root') args.dataRoot = value()
    else if (a === '--seed') {
      const v = value()
      const n = Number(v)
      if (!/^\d+$/.test(v) || n > 2 ** 32 - 1) throw new CliUsageError(`--seed must be an integer in [0, 4294967295], got "${v}"`)
      args.seed = n
    } else if (a.startsWith('--')) throw new CliUsageError(`unknown option ${a}`)
    else if (args.file === undefined) args.file = a
    else throw new CliUsageError(`unexpected argument "${a}" (one scenario file per run)`)
  }
  if (args.file === undefined) throw new CliUsageError('run needs a scenario file: sim-net run <scenario.yaml>')
  if (args.shards !== undefined && args.mode !== 'one-process') throw new CliUsageError(`--shards is for one-process mode; ${modeFlag ?? '--mode'} asks for ${args.mode}`)
  return { ...args, file: args.file }
}

/** The factories for the mode asked for; plain factories only serve their own mode, on one thread. */
function factoriesFor (given: SimNetFactories | SimNetFactoryProvider, mode: SimMode, shards?: number): SimNetFactories {
  if (typeof given !== 'function' && shards !== undefined) throw new CliUsageError('--shards: these factories run every peer on one thread')
  const f = typeof given === 'function' ? given(mode, shards === undefined ? {} : { shards }) : given
  const has = f.runtime?.mode ?? 'one-process'
  if (has !== mode) throw new CliUsageError(`--mode ${mode}: these factories run peers in ${has} mode only`)
  return f
}

/** One line per run on the processes: how many, and what a peer process cost. */
export function processSummary (r: SimResults): string | undefined {
  const peers = (r.processes ?? []).filter(p => p.role === 'peer')
  if (peers.length === 0) return undefined
  const mib = (b: number): string => (b / (1 << 20)).toFixed(0)
  const rss = peers.map(p => p.rssMaxBytes).sort((a, b) => a - b)
  const cpu = peers.reduce((a, p) => a + p.cpuUserMs + p.cpuSystemMs, 0) / peers.length
  const loop = Math.max(...peers.map(p => p.eventLoop.p99Ms))
  const died = peers.filter(p => p.end === 'died').length
  const up = peers.flatMap(p => p.startupMs === undefined ? [] : [p.startupMs]).sort((a, b) => a - b)
  const startup = up.length === 0 ? '' : `, start-up ${(up[Math.floor((up.length - 1) / 2)] / 1000).toFixed(1)} s median`
  return `processes: ${peers.length} peer processes (${peers.filter(p => p.end === 'killed').length} killed by crashes, ${died} died on their own); peer RSS max ${mib(rss[0])}-${mib(rss[rss.length - 1])} MiB (median ${mib(rss[Math.floor((rss.length - 1) / 2)])}), CPU ${(cpu / 1000).toFixed(1)} s per peer process, event-loop p99 up to ${loop.toFixed(0)} ms${startup}`
}

async function runCommand (argv: string[], given: SimNetFactories | SimNetFactoryProvider, io: Required<Omit<SimNetCliIo, 'signal'>> & Pick<SimNetCliIo, 'signal'>): Promise<number> {
  const args = parseRunArgs(argv)
  const factories = factoriesFor(given, args.mode, args.shards)
  const scenario = await loadScenario(args.file, { ...(args.seed === undefined ? {} : { seed: args.seed }), ...(args.dataRoot === undefined ? {} : { dataRoot: args.dataRoot }) })
  const progress = args.json ? undefined : createProgressPrinter({ write: io.stdout, tty: io.tty })
  if (!args.json) io.stdout(`sim-net: ${scenario.name}: ${scenario.nodes.length} peers, ${scenario.vehicles.length} vehicles, ${scenario.events.length} events, ${scenario.durationMs / 1000} s, seed ${scenario.seed}, ${args.mode}${args.shards === undefined ? '' : ` over ${args.shards} shards`}\n`)
  const results = await runScenario(scenario, {
    ...factories,
    ...(io.signal === undefined ? {} : { signal: io.signal }),
    ...(progress === undefined ? {} : { onProgress: progress }),
    ...(args.dataDir === undefined ? {} : { dataDir: args.dataDir })
  })
  const outDir = args.out ?? join('.ecco', 'sim-net', scenario.name)
  const paths = args.json && args.out === undefined ? undefined : await writeReport(results, outDir)
  if (args.json) io.stdout(JSON.stringify(results) + '\n')
  else {
    io.stdout(`\n${results.ok ? 'ok' : `NOT OK (${results.status}${results.error === undefined ? '' : `: ${results.error.message}`})`}: ${results.faults.filter(f => !f.ok).length} failed actions, ${results.convergence.filter(c => c.status === 'converged').length}/${results.convergence.length} changes converged\n`)
    for (const line of warningSummary(results)) io.stdout(`${line}\n`)
    const procs = processSummary(results)
    if (procs !== undefined) io.stdout(`${procs}\n`)
    if (paths !== undefined) io.stdout(`results: ${paths.json}\nreport:  ${paths.html}\n`)
  }
  return results.ok ? 0 : 1
}

/** The shipped demo scenario: from the working directory (npm start), else next to this package. */
export function demoScenarioPath (): string {
  const local = resolve('sim-net', 'scenarios', DEMO_SCENARIO)
  return existsSync(local) ? local : fileURLToPath(new URL(`../../sim-net/scenarios/${DEMO_SCENARIO}`, import.meta.url))
}

async function validateCommand (argv: string[], io: Required<Omit<SimNetCliIo, 'signal'>>): Promise<number> {
  if (argv.length !== 1) throw new CliUsageError('validate needs exactly one scenario file')
  const s = await loadScenario(argv[0])
  const tiers = [1, 2, 3].map(t => `tier ${t}: ${s.nodes.filter(n => n.tier === t).length}`).join(', ')
  io.stdout(`${s.name}: valid\n  ${s.nodes.length} nodes (${tiers}), ${s.vehicles.length} vehicles, ${s.pipelines.length} pipelines, ${s.workloads.length} workloads, ${s.events.length} events, duration ${s.durationMs / 1000} s, seed ${s.seed}\n`)
  return 0
}

/** Runs the sim-net command line; returns the process exit code. */
export async function runSimNetCli (argv: string[], factories: SimNetFactories | SimNetFactoryProvider, io: SimNetCliIo = {}): Promise<number> {
  const full = {
    stdout: io.stdout ?? ((t: string) => { process.stdout.write(t) }),
    stderr: io.stderr ?? ((t: string) => { process.stderr.write(t) }),
    tty: io.tty ?? process.stdout.isTTY === true,
    signal: io.signal
  }
  const [cmd, ...rest] = argv
  try {
    switch (cmd) {
      case 'run': return await runCommand(rest, factories, full)
      case 'demo': return await runCommand([demoScenarioPath(), ...rest], factories, full)
      case 'validate': return await validateCommand(rest, full)
      case 'nimbus': return await runNimbusCli(rest, { stdout: full.stdout, stderr: full.stderr })
      case undefined: case 'help': case '--help': case '-h':
        full.stdout(SIM_NET_HELP)
        return cmd === undefined ? 2 : 0
      default: throw new CliUsageError(`unknown command "${cmd}"`)
    }
  } catch (err) {
    if (err instanceof CliUsageError) { full.stderr(`sim-net: ${err.message}\n${SIM_NET_HELP}`); return 2 }
    if (err instanceof ScenarioError) { full.stderr(`sim-net: invalid scenario: ${err.message}\n`); return 2 }
    if (err instanceof CapabilityMissingError) { full.stderr(`sim-net: ${err.message}\n`); return 3 }
    throw err
  }
}
