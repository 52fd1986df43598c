/** Writes a benchmark's JSON to bench/results/<name>.json with the machine it ran on. */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { HEAP_GROWING_PERCENT } from '../node/runtime.js'

export function machine (): Record<string, unknown> {
  const c = cpus()
  return { cores: c.length, cpu: c[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform, v8HeapGrowingPercent: HEAP_GROWING_PERCENT }
}

export async function writeResults (name: string, results: Record<string, unknown>): Promise<string> {
  const dir = join(process.cwd(), 'bench', 'results')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${name}.json`)
  await writeFile(file, JSON.stringify({ benchmark: name, date: new Date().toISOString(), machine: machine(), ...results }, null, 2) + '\n')
  return file
}

export function percentile (values: number[], p: number): number {
  if (values.length === 0) return NaN
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}
