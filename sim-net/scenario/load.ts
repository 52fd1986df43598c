/**
 * Reading scenarios from disk: YAML text, then validation, then the RTT
 * matrix file if the links name one.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parseDocument } from 'yaml'
import { ScenarioError } from '../errors.js'
import { validateScenario } from './validate.js'
import type { Scenario, RttMatrixSpec } from './schema.js'
import type { ValidateOptions } from './validate.js'
import type { AbortOptions } from '@libp2p/interface'

/** Parses YAML text and validates it; YAML syntax errors become ScenarioErrors with line and column. */
export function parseScenario (text: string, opts: ValidateOptions = {}): Scenario {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    const where = e.linePos === undefined ? '' : ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}`
    throw new ScenarioError(`(scenario): YAML syntax error${where}: ${e.message.split('\n')[0]}`)
  }
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: 100 })
  } catch (err) {
    // unresolved aliases and alias bombs ("billion laughs") surface only here
    throw new ScenarioError(`(scenario): YAML error: ${(err as Error).message.split('\n')[0]}`)
  }
  return validateScenario(raw, opts)
}

/** Reads a TSV RTT matrix (square, numbers) into milliseconds. */
export async function loadRttMatrix (spec: RttMatrixSpec, options: AbortOptions = {}): Promise<number[][]> {
  let text: string
  try {
    text = await readFile(spec.file, { encoding: 'utf8', signal: options.signal })
  } catch (err) {
    throw new ScenarioError(`links.rttMatrix.file: cannot read "${spec.file}": ${(err as Error).message}`, 'links.rttMatrix.file')
  }
  const scale = spec.unit === 's' ? 1000 : 1
  const rows = text.split(/\r?\n/).filter(l => l.trim() !== '').map(l => l.trim().split(/\s+/).map(Number))
  rows.forEach((r, i) => {
    if (r.length !== rows.length) throw new ScenarioError(`links.rttMatrix.file: row ${i + 1} of "${spec.file}" has ${r.length} columns, expected ${rows.length} (the matrix must be square)`, 'links.rttMatrix.file')
    const bad = r.findIndex(x => !Number.isFinite(x) || x < 0)
    if (bad >= 0) throw new ScenarioError(`links.rttMatrix.file: row ${i + 1}, column ${bad + 1} of "${spec.file}" is not a non-negative number`, 'links.rttMatrix.file')
  })
  if (spec.offset >= rows.length) throw new ScenarioError(`links.rttMatrix.offset: ${spec.offset} is past the matrix size ${rows.length}`, 'links.rttMatrix.offset')
  return rows.map(r => r.map(x => x * scale))
}

/** Loads, validates and resolves a scenario file. Relative paths inside it resolve against its folder. */
export async function loadScenario (file: string, opts: ValidateOptions & AbortOptions = {}): Promise<Scenario> {
  const abs = resolve(file)
  let text: string
  try {
    text = await readFile(abs, { encoding: 'utf8', signal: opts.signal })
  } catch (err) {
    throw new ScenarioError(`(scenario): cannot read "${abs}": ${(err as Error).message}`)
  }
  const scenario = parseScenario(text, { baseDir: dirname(abs), ...opts })
  scenario.sourceFile = abs
  if (scenario.links.rttMatrix !== undefined) scenario.links.rttMatrix.rttMs = await loadRttMatrix(scenario.links.rttMatrix, opts)
  return scenario
}
