/**
 * Field readers for scenario validation. Each takes the raw value and its
 * path and throws a ScenarioError that starts with that path, so a user sees
 * exactly which line of the YAML to fix.
 */
import { ScenarioError } from '../errors.js'

export type Raw = Record<string, unknown>

export function fail (path: string, message: string): never {
  throw new ScenarioError(`${path === '' ? '(scenario)' : path}: ${message}`, path)
}

export function join (path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path === '' ? key : `${path}.${key}`
}

function describe (v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '...' : v}"`
  if (typeof v === 'object') return 'a mapping'
  return String(v)
}

/** A mapping with only the given keys; unknown keys are errors (typos must not pass silently). */
export function readObject (v: unknown, path: string, allowed: readonly string[]): Raw {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, `must be a mapping, got ${describe(v)}`)
  const o = v as Raw
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) fail(join(path, k), `unknown field (expected one of: ${allowed.join(', ')})`)
  }
  return o
}

/** A mapping with free keys (names chosen by the user, e.g. roads or link classes). */
export function readMap (v: unknown, path: string): Raw {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, `must be a mapping, got ${describe(v)}`)
  return v as Raw
}

export function readList (v: unknown, path: string, opts: { min?: number } = {}): unknown[] {
  if (!Array.isArray(v)) fail(path, `must be a list, got ${describe(v)}`)
  if (opts.min !== undefined && v.length < opts.min) fail(path, `must have at least ${opts.min} item(s), got ${v.length}`)
  return v
}

export interface NumberRule { min?: number, max?: number, integer?: boolean, exclusiveMin?: boolean }

/** Bounds computed from geometry (a road's length) print with 4 decimals at most. */
function bound (x: number): string {
  return String(Number(x.toFixed(4)))
}

function rangeText (r: NumberRule): string {
  const kind = r.integer === true ? 'an integer' : 'a number'
  const lo = r.min === undefined ? '' : `${r.exclusiveMin === true ? '(' : '['}${bound(r.min)}`
  const hi = r.max === undefined ? '' : `${bound(r.max)}]`
  if (r.min !== undefined && r.max !== undefined) return `${kind} in ${lo}, ${hi}`
  if (r.min !== undefined) return `${kind} ${r.exclusiveMin === true ? '>' : '>='} ${bound(r.min)}`
  if (r.max !== undefined) return `${kind} <= ${bound(r.max)}`
  return kind
}

export function readNumber (v: unknown, path: string, rule: NumberRule = {}): number {
  const ok = typeof v === 'number' && Number.isFinite(v) &&
    (rule.integer !== true || Number.isInteger(v)) &&
    (rule.min === undefined || (rule.exclusiveMin === true ? v > rule.min : v >= rule.min)) &&
    (rule.max === undefined || v <= rule.max)
  if (!ok) fail(path, `must be ${rangeText(rule)}, got ${describe(v)}`)
  return v
}

export function optNumber (v: unknown, path: string, rule: NumberRule, dflt: number): number {
  return v === undefined ? dflt : readNumber(v, path, rule)
}

export function readString (v: unknown, path: string, pattern?: RegExp, patternText?: string): string {
  if (typeof v !== 'string' || v.length === 0) fail(path, `must be a non-empty string, got ${describe(v)}`)
  if (pattern !== undefined && !pattern.test(v)) fail(path, `must be ${patternText ?? `a string matching ${String(pattern)}`}, got ${describe(v)}`)
  return v
}

export function optString (v: unknown, path: string, dflt: string): string {
  return v === undefined ? dflt : readString(v, path)
}

export function readBoolean (v: unknown, path: string, dflt: boolean): boolean {
  if (v === undefined) return dflt
  if (typeof v !== 'boolean') fail(path, `must be true or false, got ${describe(v)}`)
  return v
}

export function readEnum<T extends string | number> (v: unknown, path: string, allowed: readonly T[]): T {
  const hit = allowed.find(a => a === v)
  if (hit === undefined) fail(path, `must be one of ${allowed.map(a => String(a)).join(', ')}, got ${describe(v)}`)
  return hit
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** A duration: a number of seconds, or a string like `250ms`, `12s`, `2m`, `1.5h`. Returns ms. */
export function readDuration (v: unknown, path: string, opts: { min?: number } = {}): number {
  let ms: number | undefined
  if (typeof v === 'number' && Number.isFinite(v)) ms = v * 1000
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(v)
    if (m !== null) ms = Number(m[1]) * UNIT_MS[m[2]]
  }
  if (ms === undefined) fail(path, `must be a duration (seconds as a number, or a string like "500ms", "12s", "2m"), got ${describe(v)}`)
  const min = opts.min ?? 0
  if (ms < min) fail(path, `must be at least ${min} ms, got ${ms} ms`)
  return Math.round(ms)
}

export function optDuration (v: unknown, path: string, dflt: number, opts: { min?: number } = {}): number {
  return v === undefined ? dflt : readDuration(v, path, opts)
}

export function readStringList (v: unknown, path: string): string[] {
  return readList(v, path).map((s, i) => readString(s, join(path, i)))
}

/** Formats ms as the shortest readable duration for messages. */
export function fmtMs (ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
