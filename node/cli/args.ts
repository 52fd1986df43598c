/** CLI flag parsing shared by the ecco-peer subcommands: errors name the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConfigError } from '../errors.js'

export type Options = NonNullable<ParseArgsConfig['options']>

export function parseFlags<T extends Options> (argv: string[], options: T, allowPositionals = false): { values: Record<string, unknown>, positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options, strict: true, allowPositionals })
    return { values: r.values as Record<string, unknown>, positionals: r.positionals }
  } catch (err) {
    const e = err as Error & { code?: string }
    const m = /'([^']+)'/.exec(e.message)
    const flag = m?.[1] ?? ''
    switch (e.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': throw new ConfigError(`unknown flag ${flag}`)
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': throw new ConfigError(`${flag.split(' ')[0]}: ${e.message.includes('argument missing') ? 'missing value' : e.message}`)
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': throw new ConfigError(`unexpected argument ${flag}`)
      default: throw new ConfigError(e.message)
    }
  }
}

export function parsePosition (v: string, flag: string): { lat: number, lon: number } {
  const parts = v.split(',').map((p) => Number(p.trim()))
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) throw new ConfigError(`${flag}: expected "lat,lon", got "${v}"`)
  return { lat: parts[0], lon: parts[1] }
}
