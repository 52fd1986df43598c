/**
 * `sim-net nimbus <experiment> [flags]`: the trace-driven Nimbus experiments. Returns an exit
 * code: 0 done, 1 failure (e.g. data directory missing), 2 bad command line.
 */
import { SliceWorkerPool, type NimbusMode } from '../../protocols/index.js'
import { DEFAULT_NIMBUS_DATA_DIR, loadNimbusData } from './data.js'
import { NimbusUsageError } from './errors.js'
import { EXPERIMENTS, runExperiment, type ExperimentName } from './experiments.js'
import { writeExperiment, type GroupSummary } from './output.js'

export const DEFAULT_NIMBUS_OUT_DIR = 'sim-results/nimbus'

export const NIMBUS_HELP = `Usage: sim-net nimbus <experiment> [flags]

Trace-driven Nimbus simulator on the published inputs (Table 4 of the paper).

Experiments:
  configs     (A) EN configurations C0-C3 x 500/1000/2000/4000 MDs, FPS 15, ST Nimbus
  baselines   (C) Nimbus vs greedy vs cloud (Wi-Fi) vs cloud (4G), 1000 MDs, 100/50/2 ENs, FPS 10
  slices      (D) ST vs MT vs 2PMT with 1, 2, 4, 8 and 10 slices, 1000 MDs, 100/50/2 ENs
  kappa       kappa sweep (1, 5, 10, 25, 50, 75, 100, all), 152 ENs, 1000 MDs
  all         all of the above

Flags:
  --iterations N   iterations per case (default 100)
  --seed N         base seed (default 1)
  --mode M         paper | reference | both (default both)
  --out DIR        output directory for CSV and SVG files (default ${DEFAULT_NIMBUS_OUT_DIR})
  --data DIR       Nimbus data directory (default ${DEFAULT_NIMBUS_DATA_DIR}, relative to the working directory)
  --mds LIST       MD densities of 'configs', comma separated (default 500,1000,2000,4000)
  --workers N      solve MT/2PMT slices in N worker threads (default 0: inline, one after the other)
  --quiet          no progress lines
  -h, --help       this text
`

export interface NimbusCliIo {
  stdout?: (text: string) => void
  stderr?: (text: string) => void
}

interface Parsed {
  experiments: ExperimentName[]
  iterations: number
  seed: number
  modes: NimbusMode[]
  out: string
  data: string
  mds?: number[]
  workers: number
  quiet: boolean
  help: boolean
}

const VALUE_FLAGS = new Set(['--iterations', '--seed', '--mode', '--out', '--data', '--mds', '--workers'])

function int (flag: string, v: string, min: number): number {
  const n = Number(v)
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new NimbusUsageError(`${flag}: must be an integer >= ${min}, got '${v}'`)
  return n
}

export function parseNimbusArgs (argv: readonly string[]): Parsed {
  const p: Parsed = { experiments: [], iterations: 100, seed: 1, modes: ['paper', 'reference'], out: DEFAULT_NIMBUS_OUT_DIR, data: DEFAULT_NIMBUS_DATA_DIR, workers: 0, quiet: false, help: false }
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]
    let value: string | undefined
    if (arg.startsWith('--') && arg.includes('=')) { value = arg.slice(arg.indexOf('=') + 1); arg = arg.slice(0, arg.indexOf('=')) }
    if (arg === '-h' || arg === '--help') { p.help = true; continue }
    if (arg === '--quiet') { p.quiet = true; continue }
    if (!arg.startsWith('-')) { positional.push(arg); continue }
    if (!VALUE_FLAGS.has(arg)) throw new NimbusUsageError(`${arg}: unknown flag (see --help)`)
    if (value === undefined) {
      value = argv[++i]
      if (value === undefined || value.startsWith('--')) throw new NimbusUsageError(`${arg}: missing value`)
    }
    switch (arg) {
      case '--iterations': p.iterations = int(arg, value, 1); break
      case '--seed': p.seed = int(arg, value, 0); break
      case '--workers': p.workers = int(arg, value, 0); break
      case '--out': p.out = value; break
      case '--data': p.data = value; break
      case '--mds': p.mds = value.split(',').map((v) => int(arg, v.trim(), 1)); break
      case '--mode':
        if (value === 'both') p.modes = ['paper', 'reference']
        else if (value === 'paper' || value === 'reference') p.modes = [value]
        else throw new NimbusUsageError(`--mode: must be paper, reference or both, got '${value}'`)
        break
    }
  }
  if (p.help) return p
  if (positional.length !== 1) throw new NimbusUsageError(positional.length === 0 ? 'experiment: missing (configs, baselines, slices, kappa or all)' : `experiment: expected one, got '${positional.join(' ')}'`)
  const e = positional[0]
  if (e === 'all') p.experiments = [...EXPERIMENTS]
  else if ((EXPERIMENTS as readonly string[]).includes(e)) p.experiments = [e as ExperimentName]
  else throw new NimbusUsageError(`experiment: unknown '${e}' (configs, baselines, slices, kappa or all)`)
  return p
}

function pct (v: number): string {
  return `${(100 * v).toFixed(1)}%`
}

function describe (s: GroupSummary): string {
  const n = Math.max(1, s.mean.mds)
  return `${s.mode.padEnd(9)} ${s.group.padEnd(10)} edge ${pct(s.mean.edge / n)} cloud ${pct(s.mean.cloud / n)} local ${pct(s.mean.local / n)}` +
    ` | latency median ${s.latency.p50.toFixed(1)} ms p95 ${s.latency.p95.toFixed(1)} ms | energy saved ${pct(s.mean.energySavedFrac)}` +
    ` | past deadline ${s.mean.pastDeadline.toFixed(1)} | convergence ${s.convergenceMedianMs.toFixed(2)} ms`
}

/** Entry point of `sim-net nimbus`. */
export async function runNimbusCli (argv: string[], io: NimbusCliIo = {}): Promise<number> {
  const out = io.stdout ?? ((t: string) => { process.stdout.write(t) })
  const err = io.stderr ?? ((t: string) => { process.stderr.write(t) })
  let parsed: Parsed
  try {
    parsed = parseNimbusArgs(argv)
  } catch (e) {
    if (e instanceof NimbusUsageError) { err(`sim-net nimbus: ${e.message}\n`); return 2 }
    throw e
  }
  if (parsed.help) { out(NIMBUS_HELP); return 0 }
  const pool = parsed.workers > 0 ? new SliceWorkerPool({ size: parsed.workers }) : undefined
  try {
    const data = loadNimbusData(parsed.data)
    if (pool !== undefined) await pool.warm()
    for (const name of parsed.experiments) {
      const result = await runExperiment(name, {
        data, iterations: parsed.iterations, seed: parsed.seed, modes: parsed.modes, pool, mds: parsed.mds,
        onProgress: parsed.quiet ? undefined : (m) => { out(`${m}\n`) }
      })
      const { files, summaries } = writeExperiment(parsed.out, result)
      for (const s of summaries) out(`${describe(s)}\n`)
      out(`wrote ${files.length} files to ${parsed.out}\n`)
    }
    return 0
  } catch (e) {
    err(`sim-net nimbus: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`)
    return 1
  } finally {
    await pool?.stop()
  }
}
