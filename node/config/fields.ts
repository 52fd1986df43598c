/** Small typed readers for untrusted YAML objects; every failure names the field path. */
import { showValue } from '../../protocols/index.js'
import { ConfigError } from '../errors.js'

export type Obj = Record<string, unknown>

export function isObj (v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function asObj (v: unknown, path: string): Obj {
  if (!isObj(v)) throw new ConfigError(`${path}: must be a mapping`)
  return v
}

export function rejectUnknown (o: Obj, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      throw new ConfigError(`${path === '' ? '' : path + '.'}${k}: unknown field (allowed: ${allowed.join(', ')})`)
    }
  }
}

/** A hostile value for an error message (see protocols/wire). */
export const show = showValue

export interface NumberRule { min?: number, max?: number, integer?: boolean }

export function asNumber (v: unknown, path: string, rule: NumberRule = {}): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new ConfigError(`${path}: must be a number, got ${show(v)}`)
  if (rule.integer === true && !Number.isInteger(n)) throw new ConfigError(`${path}: must be an integer, got ${n}`)
  if (rule.min !== undefined && n < rule.min) throw new ConfigError(`${path}: must be >= ${rule.min}, got ${n}`)
  if (rule.max !== undefined && n > rule.max) throw new ConfigError(`${path}: must be <= ${rule.max}, got ${n}`)
  return n
}

export function asString (v: unknown, path: string): string {
  if (typeof v !== 'string' || v === '') throw new ConfigError(`${path}: must be a non-empty string`)
  return v
}

export function asOneOf<T extends string> (v: unknown, options: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
    throw new ConfigError(`${path}: must be one of ${options.join(', ')}, got ${show(v)}`)
  }
  return v as T
}

export function asArray (v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ConfigError(`${path}: must be a list`)
  return v
}

export function asBoolean (v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(`${path}: must be true or false`)
  return v
}
