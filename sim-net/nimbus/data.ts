/**
 * Loader of the published Nimbus inputs (shared/data/nimbus, see its README.md). Only what the
 * trace-driven simulator uses is read: AP names, tier fits and compute samples, the RTT mixtures
 * and the cloud RTT samples.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { NimbusDataError } from './errors.js'
import type { NimbusTier, QueueCurve } from '../../protocols/index.js'

/** default data directory, relative to the repository root (process.cwd()) */
export const DEFAULT_NIMBUS_DATA_DIR = '../shared/data/nimbus'

export interface GaussianMixture {
  weights: number[]
  meansMs: number[]
  sdMs: number[]
}

export interface NimbusData {
  dir: string
  /** AP names of ap_description.csv, in file order */
  apNames: string[]
  queue: Record<NimbusTier, QueueCurve>
  computeSamplesMs: Record<NimbusTier, number[]>
  rttMixtures: Record<string, GaussianMixture>
  cloudRttSamplesMs: number[]
}

function read (dir: string, file: string): string {
  const path = join(dir, file)
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new NimbusDataError(`${path}: cannot read (${(err as Error).message})`)
  }
}

function json (dir: string, file: string): unknown {
  try {
    return JSON.parse(read(dir, file))
  } catch (err) {
    if (err instanceof NimbusDataError) throw err
    throw new NimbusDataError(`${join(dir, file)}: not valid JSON (${(err as Error).message})`)
  }
}

function num (v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new NimbusDataError(`${where}: expected a number, got ${JSON.stringify(v)}`)
  return v
}

function obj (v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new NimbusDataError(`${where}: expected an object`)
  return v as Record<string, unknown>
}

function numbers (v: unknown, where: string): number[] {
  if (!Array.isArray(v)) throw new NimbusDataError(`${where}: expected an array of numbers`)
  return v.map((x, i) => num(x, `${where}[${i}]`))
}

/** first field of every data line of a CSV (the AP names are never quoted) */
function firstColumn (text: string, where: string, header: string): string[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0)
  if (lines[0]?.split(',')[0] !== header) throw new NimbusDataError(`${where}: first column must be '${header}'`)
  return lines.slice(1).map((l) => l.slice(0, l.indexOf(',') < 0 ? l.length : l.indexOf(',')))
}

/** numeric columns of a CSV with a header row */
function numericColumns (text: string, where: string): Record<string, number[]> {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0)
  const header = lines[0]?.split(',') ?? []
  const cols: Record<string, number[]> = Object.fromEntries(header.map((h) => [h, []]))
  lines.slice(1).forEach((l, i) => {
    l.split(',').forEach((cell, c) => {
      const v = Number(cell)
      if (!Number.isFinite(v)) throw new NimbusDataError(`${where}: line ${i + 2}, column ${header[c]}: not a number: ${cell}`)
      cols[header[c]].push(v)
    })
  })
  return cols
}

/** Resolve the data directory (relative paths from process.cwd()) and fail clearly when missing. */
export function resolveNimbusDataDir (dir: string = DEFAULT_NIMBUS_DATA_DIR): string {
  const abs = resolve(process.cwd(), dir)
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new NimbusDataError(`Nimbus data directory not found: ${abs} (pass --data <dir>; expected shared/data/nimbus with tiers.json, rtt_gmm.json, ...)`)
  }
  return abs
}

export function loadNimbusData (dir: string = DEFAULT_NIMBUS_DATA_DIR): NimbusData {
  const abs = resolveNimbusDataDir(dir)
  const tiersJson = obj(json(abs, 'tiers.json'), 'tiers.json')
  const queue = {} as Record<NimbusTier, QueueCurve>
  for (const t of ['t1', 't2', 't3'] as const) {
    const fit = obj(obj(tiersJson[t], `tiers.json.${t}`).queue_time_fit, `tiers.json.${t}.queue_time_fit`)
    queue[t] = { slopeMs: num(fit.slope_ms_per_client, `tiers.json.${t}.queue_time_fit.slope_ms_per_client`), interceptMs: num(fit.intercept_ms, `tiers.json.${t}.queue_time_fit.intercept_ms`) }
  }
  const compute = numericColumns(read(abs, 'tier_compute_time_samples.csv'), 'tier_compute_time_samples.csv')
  const computeSamplesMs = {} as Record<NimbusTier, number[]>
  for (const t of ['t1', 't2', 't3'] as const) {
    const col = compute[`${t}_compute_ms`]
    if (col === undefined || col.length === 0) throw new NimbusDataError(`tier_compute_time_samples.csv: missing column ${t}_compute_ms`)
    computeSamplesMs[t] = col
  }
  const gmmJson = obj(json(abs, 'rtt_gmm.json'), 'rtt_gmm.json')
  const rttMixtures: Record<string, GaussianMixture> = {}
  for (const [name, v] of Object.entries(gmmJson)) {
    const g = obj(v, `rtt_gmm.json.${name}`)
    rttMixtures[name] = { weights: numbers(g.weights, `rtt_gmm.json.${name}.weights`), meansMs: numbers(g.means_ms, `rtt_gmm.json.${name}.means_ms`), sdMs: numbers(g.std_ms, `rtt_gmm.json.${name}.std_ms`) }
  }
  if (rttMixtures.Seattle === undefined) throw new NimbusDataError('rtt_gmm.json: missing the Seattle mixture')
  const cloud = numericColumns(read(abs, 'cloud_rtt_samples.csv'), 'cloud_rtt_samples.csv').cloud_rtt_ms
  if (cloud === undefined || cloud.length === 0) throw new NimbusDataError('cloud_rtt_samples.csv: missing column cloud_rtt_ms')
  const apNames = firstColumn(read(abs, 'ap_description.csv'), 'ap_description.csv', 'ap')
  if (apNames.length === 0) throw new NimbusDataError('ap_description.csv: no APs')
  return { dir: abs, apNames, queue, computeSamplesMs, rttMixtures, cloudRttSamplesMs: cloud }
}
