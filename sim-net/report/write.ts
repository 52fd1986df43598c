/**
 * Writes a run's results.json and report.html into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { renderReport } from './html.js'
import type { SimResults } from '../engine/results.js'

export interface ReportPaths {
  json: string
  html: string
}

/** Writes `results.json` and `report.html` into `outDir` (created if missing); returns their absolute paths. */
export async function writeReport (results: SimResults, outDir: string): Promise<ReportPaths> {
  const dir = resolve(outDir)
  await mkdir(dir, { recursive: true })
  const paths = { json: join(dir, 'results.json'), html: join(dir, 'report.html') }
  await writeFile(paths.json, JSON.stringify(results, null, 1) + '\n')
  await writeFile(paths.html, renderReport(results))
  return paths
}
